"""The YouNiverse load is a dlt load: its package, schema and state are dlt's and live in the warehouse."""

from __future__ import annotations

import json

import pytest
from dlt.common.data_writers.writers import ArrowToParquetWriter
from dlt.normalize.items_normalizers import ArrowItemsNormalizer

from ingestion.pipeline import make_pipeline
from ingestion.youniverse import append_timeseries, load_youniverse, source_state

from .ingest_support import query
from .test_ingest_youniverse import CHANNEL, _with_timeseries, readme_folder  # noqa: F401 (a fixture)

KEY_COLUMNS = ("channel_id", "observed_on")


@pytest.fixture
def history(readme_folder, tmp_path):
    """The README example history loaded; its summary."""
    return load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")


def _pipeline(tmp_path, folder: str = "dlt"):
    return make_pipeline("youniverse", pipelines_dir=tmp_path / folder)


def _stored_schema() -> dict:
    [(schema,)] = query("SELECT schema FROM raw_youniverse._dlt_version WHERE schema_name = 'youniverse' "
                        "ORDER BY inserted_at DESC LIMIT 1")
    return json.loads(schema)


def test_the_history_is_one_completed_load_package_with_the_time_series_as_parquet(history, tmp_path):
    [load_id] = history["load_ids"]
    pipeline = _pipeline(tmp_path)
    assert pipeline.get_load_package_info(load_id).state == "loaded"
    # The finished files are deleted (load.delete_completed_jobs); the load's trace still lists them.
    (package,) = pipeline.last_trace.last_load_info.load_packages
    files = {job.job_file_info.table_name: job.job_file_info.file_format for job in package.jobs["completed_jobs"]}
    assert {name: files[name] for name in ("channels", "timeseries", "rejects")} == \
        {"channels": "parquet", "timeseries": "parquet", "rejects": "parquet"}
    assert query("SELECT load_id, schema_name, status FROM raw_youniverse._dlt_loads") == [(load_id, "youniverse", 0)]


def test_the_stored_dlt_schema_keys_the_time_series_by_channel_and_date(history):
    columns = _stored_schema()["tables"]["timeseries"]["columns"]
    assert [name for name, column in columns.items() if column.get("primary_key")] == list(KEY_COLUMNS)
    assert columns["views"]["data_type"] == "double"
    assert columns["observed_on"]["data_type"] == "date"


def test_dlt_imports_the_files_duckdb_wrote_instead_of_writing_the_rows_again(readme_folder, tmp_path, monkeypatch):
    def rewrite(*args, **kwargs):
        raise AssertionError("dlt rewrote a YouNiverse load file")

    # Extract would write arrow items through this writer, normalize would rewrite a mismatched file here.
    monkeypatch.setattr(ArrowToParquetWriter, "write_data", rewrite)
    monkeypatch.setattr(ArrowItemsNormalizer, "_write_with_dlt_columns", rewrite)
    summary = load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    assert summary["row_counts"]["timeseries"] == 3


def test_the_source_state_kept_in_the_warehouse_names_the_file_and_its_rows(history, tmp_path):
    restored = _pipeline(tmp_path, "fresh_dlt")  # no local state: dlt reads it back from the warehouse
    restored.sync_destination()
    assert source_state(restored)["history"] == {"file": "df_timeseries_en.tsv", "rows": 3,
                                                 "load_id": history["load_ids"][0]}
    assert query("SELECT DISTINCT pipeline_name FROM raw_youniverse._dlt_pipeline_state") == [("urated_youniverse",)]


def test_a_rerun_adds_no_rows_and_every_row_carries_the_new_completed_load(history, readme_folder, tmp_path):
    rerun = load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    assert query("SELECT count(*) FROM raw_youniverse.timeseries") == [(3,)]
    assert query("SELECT DISTINCT _dlt_load_id FROM raw_youniverse.timeseries") == [(rerun["load_ids"][0],)]
    assert query("SELECT count(*) FROM raw_youniverse._dlt_loads WHERE status = 0") == [(2,)]


def test_an_append_replaces_its_keys_through_a_dlt_merge_and_is_remembered(history, tmp_path):
    week = _with_timeseries(tmp_path / "week", f"{CHANNEL}\tMusic\t2017-07-17\t840000\t0\t1510\t0\t6\t0\t1",
                            f"{CHANNEL}\tMusic\t2017-07-24\t900000\t0\t1600\t0\t7\t0\t1") / "df_timeseries_en.tsv"
    result = append_timeseries(week, pipelines_dir=tmp_path / "dlt")
    assert (result["rows"], result["replaced"]) == (2, 1)
    assert query("SELECT observed_on::VARCHAR, _dlt_load_id FROM raw_youniverse.timeseries "
                 f"WHERE _dlt_load_id <> '{history['load_ids'][0]}' ORDER BY 1") == \
        [("2017-07-17", result["load_id"]), ("2017-07-24", result["load_id"])]
    assert _stored_schema()["tables"]["timeseries"]["write_disposition"] == "merge"
    assert source_state(_pipeline(tmp_path))["last_week"]["rows"] == 2


def test_reloading_the_history_forgets_the_weeks_appended_to_the_old_one(history, readme_folder, tmp_path):
    week = _with_timeseries(tmp_path / "week", f"{CHANNEL}\tMusic\t2017-07-24\t900000\t0\t1600\t0\t7\t0\t1")
    append_timeseries(week / "df_timeseries_en.tsv", pipelines_dir=tmp_path / "dlt")
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    assert query("SELECT count(*) FROM raw_youniverse.timeseries WHERE observed_on = DATE '2017-07-24'") == [(0,)]
    assert "last_week" not in source_state(_pipeline(tmp_path))


def _time_series_rewrites(monkeypatch) -> list[str]:
    """The relations staging writes again as load files (the time series only when a row was left out)."""
    from ingestion.youniverse import source

    written: list[str] = []
    original = source._parquet_files

    def recording(staged, relation, name, stamped=False):
        written.append(name)
        return original(staged, relation, name, stamped)

    monkeypatch.setattr(source, "_parquet_files", recording)
    return written


def test_a_time_series_whose_every_row_passes_is_loaded_from_the_files_read_without_a_second_write(
        readme_folder, tmp_path, monkeypatch):
    written = _time_series_rewrites(monkeypatch)
    _with_timeseries(readme_folder, f"{CHANNEL}\tMusic\t2017-07-03\t100\t0\t10\t0\t1\t0\t0",
                     f"{CHANNEL}\tMusic\t2017-07-10\t300\t200\t12\t2\t1\t0\t0")
    summary = load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    assert "timeseries" not in written
    # The files read carry the package's load id, so the rows are loaded under it.
    assert query("SELECT observed_on::VARCHAR, views, _dlt_load_id FROM raw_youniverse.timeseries ORDER BY 1") == \
        [("2017-07-03", 100.0, summary["load_ids"][0]), ("2017-07-10", 300.0, summary["load_ids"][0])]


def test_a_time_series_with_a_duplicate_is_loaded_without_it(readme_folder, tmp_path):
    summary = load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")  # the README's rows hold an exact copy
    assert summary["row_counts"]["timeseries"] == 3
    assert query("SELECT count(*), count(DISTINCT (channel_id, observed_on)) FROM raw_youniverse.timeseries") == [(3, 3)]


def _load_files(monkeypatch) -> list[str]:
    """The files the time series' load package imports, recorded as the source hands them to dlt."""
    from ingestion.youniverse import source

    imported: list[str] = []
    original = source._files_of

    def recording(cursor, relation, files):
        imported.extend(path for path, _ in files)
        return original(cursor, relation, files)

    monkeypatch.setattr(source, "_files_of", recording)
    return imported


def test_only_the_files_holding_a_left_out_row_are_written_again(readme_folder, tmp_path, monkeypatch):
    from datetime import date, timedelta

    from ingestion.youniverse import readers

    # Small files (a DuckDB vector each), so the history spans several load files.
    monkeypatch.setattr(readers, "LOAD_FILE_BYTES", "1KB")
    monkeypatch.setattr(readers, "DUCKDB_ROW_GROUP", 2048)
    imported = _load_files(monkeypatch)
    days = [date(2010, 1, 4) + timedelta(days=7 * n) for n in range(3000)]
    lines = [f"UC{c:022d}\tMusic\t{d}\t{n}\t0\t{n}\t0\t1\t0\t0" for c in range(3) for n, d in enumerate(days)]
    lines.append(lines[5])  # an exact copy, far from the row it repeats
    _with_timeseries(readme_folder, *lines)
    summary = load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")

    assert summary["row_counts"]["timeseries"] == 9000
    assert query("SELECT count(DISTINCT (channel_id, observed_on)) FROM raw_youniverse.timeseries") == [(9000,)]
    as_read = [p for p in imported if "/read/" in p]
    written_again = [p for p in imported if "/checked/" in p]
    assert len(as_read) >= 2  # most files are loaded as DuckDB read them
    assert 1 <= len(written_again) <= 3  # the files holding the copy (at most two) and the key's winner
