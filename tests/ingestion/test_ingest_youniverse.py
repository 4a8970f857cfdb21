"""The YouNiverse bulk load: real example rows, duplicates, shifted lines, idempotence."""

from __future__ import annotations

import shutil

import pytest

from ingestion.youniverse import load_youniverse

from ..fixtures import realdata
from .ingest_support import query


@pytest.fixture
def readme_folder(tmp_path):
    """The README's example rows under the file names the loader expects."""
    folder = tmp_path / "youniverse"
    folder.mkdir()
    shutil.copy(realdata("youniverse/readme_df_channels_en_example.tsv"), folder / "df_channels_en.tsv")
    shutil.copy(realdata("youniverse/readme_df_timeseries_en_example.tsv"), folder / "df_timeseries_en.tsv")
    return folder


@pytest.fixture(scope="module")
def sandbox_files(tmp_path_factory):
    """A small synthetic world written in YouNiverse's format, with its injected quirks."""
    from sandbox.world import build_world
    from sandbox.youniverse_files import write_youniverse_files

    folder = tmp_path_factory.mktemp("youniverse_sandbox")
    return folder, write_youniverse_files(build_world(seed=7, n_artists=40), folder, gz=True)


def test_readme_example_rows_load_with_the_exact_duplicate_dropped(readme_folder, tmp_path):
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    rows = query("SELECT observed_on::VARCHAR, views, subs FROM raw_youniverse.timeseries ORDER BY observed_on")
    assert rows == [("2017-07-03", 202495.0, 650.0), ("2017-07-10", 394086.0, 1046.0),
                    ("2017-07-17", 835394.0, 1501.0)]


def test_channels_table_follows_the_contract(readme_folder, tmp_path):
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    rows = query("SELECT channel_id, category, join_date::VARCHAR, name, subscribers_cc, videos_cc, "
                 "subscriber_rank_sb, weights FROM raw_youniverse.channels ORDER BY name")
    assert rows[0] == ("UCi_AR7WqvXa6LEnRn_7ES7A", "Gaming", "2015-08-26", "Thunder Play", 11500, 849, 877395.0, 11.175)


def test_loading_twice_adds_no_rows(readme_folder, tmp_path):
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    assert query("SELECT count(*) FROM raw_youniverse.timeseries") == [(3,)]
    assert query("SELECT count(*) FROM raw_youniverse.channels") == [(3,)]


def test_rows_carry_a_completed_dlt_load_id(readme_folder, tmp_path):
    summary = load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    ids = query("SELECT DISTINCT t._dlt_load_id, l.status FROM raw_youniverse.timeseries t "
                "JOIN raw_youniverse._dlt_loads l ON l.load_id = t._dlt_load_id")
    assert ids == [(summary["load_ids"][0], 0)]


def test_the_tolerant_path_reads_the_comma_separated_channel_export(readme_folder, tmp_path):
    csv = realdata("youniverse/adamantiumforgers_df_channels_en_subset_with_allsides.csv")
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt", channels_file=csv)
    assert query("SELECT name, category, subscribers_cc FROM raw_youniverse.channels "
                 "WHERE channel_id = 'UCBi2mrWuNuyYy4gbM6fU18Q'") == [("abc news", "News & Politics", 6640000)]
    distinct_ids = {line.split(",")[3] for line in csv.read_text().splitlines()[1:]}
    assert query("SELECT count(*) FROM raw_youniverse.channels") == [(len(distinct_ids),)]


def test_sandbox_files_lose_only_the_injected_duplicates_and_shifted_lines(sandbox_files, tmp_path):
    folder, truth = sandbox_files
    summary = load_youniverse(folder, pipelines_dir=tmp_path / "dlt")
    expected = truth["timeseries_rows"] - len(truth["duplicates"]) - len(truth["shifted"])
    assert summary["row_counts"]["timeseries"] == expected
    assert query("SELECT count(*), count(DISTINCT (channel_id, observed_on)) FROM raw_youniverse.timeseries") == \
        [(expected, expected)]


def test_shifted_lines_are_rejected_with_a_reason(sandbox_files, tmp_path):
    folder, truth = sandbox_files
    load_youniverse(folder, pipelines_dir=tmp_path / "dlt")
    rejects = query("SELECT payload_excerpt, reason FROM raw_youniverse.rejects")
    assert len(rejects) == len(truth["shifted"])
    rejected_channels = sorted(p.split("\t")[0] for p, _ in rejects)
    assert rejected_channels == sorted(s["channel"] for s in truth["shifted"])
    assert all("column" in reason.lower() for _, reason in rejects)


HEADER = "channel\tcategory\tdatetime\tviews\tdelta_views\tsubs\tdelta_subs\tvideos\tdelta_videos\tactivity\n"
CHANNEL = "UCBJuEqXfXTdcPSbGO9qqn1g"  # the README example's channel


def _with_timeseries(folder, *lines: str):
    """``folder`` with its time series replaced by the header and ``lines`` (tab-separated rows)."""
    folder.mkdir(exist_ok=True)
    (folder / "df_timeseries_en.tsv").write_text(HEADER + "".join(line + "\n" for line in lines))
    return folder


def test_a_second_different_row_for_a_key_keeps_the_larger_views_and_rejects_the_other(readme_folder, tmp_path):
    _with_timeseries(readme_folder,
                     f"{CHANNEL}\tMusic\t2017-07-03\t100\t0\t10\t0\t1\t0\t0",
                     f"{CHANNEL}\tMusic\t2017-07-03\t250\t0\t9\t0\t1\t0\t0",
                     f"{CHANNEL}\tMusic\t2017-07-10\t300\t50\t12\t3\t1\t0\t0")
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    assert query("SELECT observed_on::VARCHAR, views FROM raw_youniverse.timeseries ORDER BY 1") == \
        [("2017-07-03", 250.0), ("2017-07-10", 300.0)]
    [(payload, reason)] = query("SELECT payload_excerpt, reason FROM raw_youniverse.rejects")
    assert payload.split("\t")[3] == "100.0"
    assert "kept the larger views" in reason


def test_rows_without_a_channel_id_or_a_date_are_rejected_with_the_reason(readme_folder, tmp_path):
    _with_timeseries(readme_folder,
                     f"{CHANNEL}\tMusic\t2017-07-03\t100\t0\t10\t0\t1\t0\t0",
                     "not-a-channel\tMusic\t2017-07-03\t100\t0\t10\t0\t1\t0\t0",
                     f"{CHANNEL}\tMusic\t\t100\t0\t10\t0\t1\t0\t0")
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    assert query("SELECT count(*) FROM raw_youniverse.timeseries") == [(1,)]
    assert sorted(r for (r,) in query("SELECT reason FROM raw_youniverse.rejects")) == \
        ["channel is not a YouTube channel id (columns shifted?)", "datetime is empty"]


def test_duplicates_are_still_found_when_a_garbage_date_makes_the_span_too_long_for_day_bitmaps(
        readme_folder, tmp_path):
    # 1900 to 2017 is beyond MAX_BITMAP_DAYS: the hashed-key fallback runs.
    row = f"{CHANNEL}\tMusic\t2017-07-03\t100\t0\t10\t0\t1\t0\t0"
    _with_timeseries(readme_folder, row, row, f"{CHANNEL}\tMusic\t1900-01-01\t1\t0\t1\t0\t1\t0\t0")
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    assert query("SELECT observed_on::VARCHAR FROM raw_youniverse.timeseries ORDER BY 1") == \
        [("1900-01-01",), ("2017-07-03",)]
    assert query("SELECT count(*) FROM raw_youniverse.rejects") == [(0,)]


def test_a_reload_leaves_only_the_source_tables_and_dlt_bookkeeping_in_raw(readme_folder, tmp_path):
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    tables = query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw_youniverse' "
                   "ORDER BY table_name")
    assert tables == [("_dlt_loads",), ("_dlt_pipeline_state",), ("_dlt_version",), ("channels",), ("rejects",),
                      ("timeseries",)]


def test_staging_duckdb_takes_its_memory_limit_from_the_setting(monkeypatch):
    import duckdb

    from ingestion.youniverse.session import open_staging

    monkeypatch.setenv("URATED_DUCKDB_MEMORY", "700MB")
    with duckdb.connect(config={"memory_limit": "700MB"}) as reference:
        expected = reference.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    with open_staging() as con:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == expected
