"""The YouNiverse history and its weekly merge land the same in a DuckDB file and in a DuckLake."""

from __future__ import annotations

from urated import warehouse

CHANNEL = "UCBJuEqXfXTdcPSbGO9qqn1g"
CHANNELS_TSV = ("category_cc\tjoin_date\tchannel\tname_cc\tsubscribers_cc\tvideos_cc\tsubscriber_rank_sb\tweights\n"
                f"Music\t2015-08-26\t{CHANNEL}\tSome Band\t1500\t7\t1000.0\t2.5\n")
HEADER = "channel\tcategory\tdatetime\tviews\tdelta_views\tsubs\tdelta_subs\tvideos\tdelta_videos\tactivity\n"


def _timeseries(folder, *rows: tuple[str, int]):
    """A time series file in ``folder`` with one line per (date, views)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"{CHANNEL}\tMusic\t{day}\t{views}\t0\t10\t0\t1\t0\t0\n" for day, views in rows)
    (folder / "df_timeseries_en.tsv").write_text(HEADER + lines)
    return folder / "df_timeseries_en.tsv"


def _rows() -> list[tuple]:
    with warehouse.connect(read_only=True) as con:
        return con.execute("select observed_on::varchar, views from raw_youniverse.timeseries order by 1").fetchall()


def test_the_history_loads_and_a_week_replaces_its_keys_in_either_target(any_target, tmp_path):
    from ingestion.youniverse import append_timeseries, load_youniverse

    history = tmp_path / "history"
    _timeseries(history, ("2017-07-03", 100), ("2017-07-03", 100), ("2017-07-10", 200))
    (history / "df_channels_en.tsv").write_text(CHANNELS_TSV)
    load_youniverse(history, pipelines_dir=tmp_path / "dlt")
    assert _rows() == [("2017-07-03", 100.0), ("2017-07-10", 200.0)]

    week = _timeseries(tmp_path / "week", ("2017-07-10", 250), ("2017-07-17", 300))
    result = append_timeseries(week, pipelines_dir=tmp_path / "dlt")
    assert (result["rows"], result["replaced"]) == (2, 1)
    assert _rows() == [("2017-07-03", 100.0), ("2017-07-10", 250.0), ("2017-07-17", 300.0)]
