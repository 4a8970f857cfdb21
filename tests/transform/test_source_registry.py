"""The registry of metric sources: one declaration that dbt and Python both read, and a new
source is an entry there plus its staging model (and its raw table's declaration)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from . import raw_fixture
from .dbt_cli import WAREHOUSE_FILE, WATCHLIST_FILE, run_dbt, target_dir
from urated import settings, sources

REGISTRY_COLUMNS = ("source", "platform", "description", "observations_model", "raw_assets", "metrics", "cadence",
                    "precedence", "rounded_metrics", "rounded_since", "era_start", "era_end", "hands_over_to", "junction")


def test_python_reads_the_registry_that_dbt_publishes(built):
    # One declaration: what dbt rendered into marts.dim_sources is what urated.sources gives Python.
    published = built.query(f"select {', '.join(REGISTRY_COLUMNS)} from marts.dim_sources")
    declared = [tuple(list(v) if isinstance(v, tuple) else v for v in (getattr(s, c) for c in REGISTRY_COLUMNS))
                for s in sources.sources()]
    assert sorted(published) == sorted(declared)


def test_each_observations_model_reads_only_raw_tables_its_entry_declares(built):
    # The raw asset keys Python hands Dagster must be the tables dbt's lineage really reads.
    manifest = json.loads((target_dir(built.folder) / "manifest.json").read_text())
    nodes = {**manifest["nodes"], **manifest["sources"]}

    def raw_tables_under(unique_id: str) -> set[str]:
        node = nodes[unique_id]
        if node["resource_type"] == "source":
            return {"/".join(node["config"]["meta"]["dagster"]["asset_key"])}
        return set().union(*(raw_tables_under(parent) for parent in node["depends_on"]["nodes"]))

    for entry in sources.sources():
        read = raw_tables_under(f"model.urated.{entry.observations_model}")
        assert read and read <= set(entry.raw_assets), entry.source


def test_every_raw_table_dbt_reads_belongs_to_a_source_and_so_has_a_cadence(built):
    # Dagster's schedules and freshness policies take each raw asset's cadence from here.
    manifest = json.loads((target_dir(built.folder) / "manifest.json").read_text())
    raw_tables = {"/".join(s["config"]["meta"]["dagster"]["asset_key"]) for s in manifest["sources"].values()
                  if s["source_name"].startswith("raw_")}
    assert raw_tables == {asset for entry in sources.sources() for asset in entry.raw_assets}
    assert {sources.raw_asset_cadence(asset) for asset in raw_tables} == {"daily", "weekly"}


def test_junctions_give_the_raw_assets_on_each_side_in_history_order():
    # What the Dagster wiring needs: which landed assets can move which hand-over.
    by_name = {j.name: j for j in sources.junctions()}
    assert [j.order for j in sources.junctions()] == list(range(1, len(by_name) + 1))
    api = by_name["viewstats_api"]
    assert (api.older.source, api.newer.source) == ("viewstats", "youtube_api")
    assert (api.older_assets, api.newer_assets) == (("raw/viewstats/weekly",), ("raw/youtube/channels",))


def test_a_raw_dataset_lands_as_often_as_the_source_it_belongs_to():
    # The Wayback CDX listing is phase 2A of the Social Blade history: weekly, like its pages.
    assert sources.dataset_cadence("wayback") == sources.cadence("socialblade") == "weekly"
    assert sources.dataset_cadence("spotify") == "daily"
    assert sources.raw_asset_cadence("raw/youniverse/channels") == "weekly"
    with pytest.raises(KeyError, match="raw_nowhere"):
        sources.dataset_cadence("nowhere")


def test_only_registered_rounding_rules_round():
    # YouTube truncates subscribers since 2019-09; YouNiverse's counts are exact.
    assert sources.source("viewstats").is_rounded("subscribers", date(2022, 8, 21))
    assert not sources.source("viewstats").is_rounded("views", date(2022, 8, 21))
    assert not sources.source("socialblade").is_rounded("subscribers", date(2019, 8, 25))
    assert not sources.source("youniverse").is_rounded("subscribers", date(2019, 9, 22))


def edited_registry(tmp_path: Path, old: str, new: str) -> Path:
    text = (settings.TRANSFORM_DIR / "dbt_project.yml").read_text()
    assert old in text
    path = tmp_path / "dbt_project.yml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ("precedence: 30", "precedence: 20", "socialblade and viewstats both measure subscribers, views on youtube with precedence 20"),
    ("hands_over_to: viewstats", "hands_over_to: viewstat", "socialblade hands over to 'viewstat', which is not registered"),
    ("cadence: weekly", "cadence: monthly", "metric source 'youniverse': cadence must be daily or weekly, got 'monthly'"),
    ("      junction: youniverse_socialblade\n", "", "metric source 'youniverse': missing junction"),
])
def test_a_malformed_registry_is_an_error_naming_the_source_and_the_rule(tmp_path, old, new, message):
    # A typo must never shorten the registry silently (a source or a junction quietly gone).
    with pytest.raises(sources.RegistryError) as raised:
        sources.load(edited_registry(tmp_path, old, new))
    assert message in str(raised.value)


# A new history source, NoxInfluencer (weekly subscribers and views since Aug 2022), handing over
# to the YouTube API. Its precedence puts it below ViewStats, so it supplies only the two weeks
# ViewStats missed for art_alpha.
NEW_ENTRY = """\
    - source: noxinfluencer
      platform: youtube
      description: "NoxInfluencer: weekly channel history since Aug 2022."
      observations_model: stg_noxinfluencer__observations
      raw_assets: [raw/noxinfluencer/weekly]
      metrics: [subscribers, views]
      cadence: weekly
      precedence: 25
      rounded_metrics: [subscribers]
      rounded_since: "2019-09-01"
      era_start: "2022-08-01"
      era_end: null
      hands_over_to: youtube_api
      junction: noxinfluencer_api
"""
NEW_RAW_TABLE = """
  - name: raw_noxinfluencer
    description: "NoxInfluencer weekly channel history."
    tables:
      - name: weekly
        description: "One weekly point per channel."
        config:
          meta: {dagster: {asset_key: ["raw", "noxinfluencer", "weekly"]}}
        columns:
          - {name: channel_id, data_type: varchar, description: "YouTube channel id."}
          - {name: observed_on, data_type: date, description: "Date of the weekly point."}
          - {name: subscribers, data_type: bigint, description: "Subscribers (3 significant figures)."}
          - {name: views, data_type: bigint, description: "Total views."}
          - {name: _dlt_load_id, data_type: varchar, description: "dlt load that wrote the row."}
"""
NEW_STAGING_MODEL = """\
-- NoxInfluencer's weekly points in the observation contract.
with source as (
    {{ completed_source('raw_noxinfluencer', 'weekly') }}
),

measured as (
    unpivot (
        select channel_id as account_id, observed_on, observed_on as value_on, _dlt_loaded_at as loaded_at,
            cast(subscribers as double) as subscribers, cast(views as double) as views
        from source
    ) on subscribers, views into name metric value value
)

select account_id, metric, observed_on, value_on, value, false as is_degraded, loaded_at
from measured
"""
NEW_SCHEMA = {"channel_id": "varchar", "observed_on": "date", "subscribers": "bigint", "views": "bigint"}


def project_with_a_new_source(folder: Path) -> Path:
    """A copy of the dbt project with one more source: its entry, its raw table, its staging model."""
    project = folder / "transform"
    shutil.copytree(settings.TRANSFORM_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    registry = project / "dbt_project.yml"
    text = registry.read_text()
    registry.write_text(text.replace("\nmodels:\n", "\n" + NEW_ENTRY + "\nmodels:\n", 1))
    with (project / "models" / "sources.yml").open("a") as raw_tables:
        raw_tables.write(NEW_RAW_TABLE)
    (project / "models" / "staging" / "stg_noxinfluencer__observations.sql").write_text(NEW_STAGING_MODEL)
    return project


@pytest.mark.slow
def test_a_new_source_is_an_entry_and_a_staging_model_and_reaches_every_mart(tmp_path):
    # No model, test or Python module is edited: fct_metrics, source_coverage and
    # junction_report take the new source from the registry.
    project = project_with_a_new_source(tmp_path)
    raw_fixture.write_watchlist(tmp_path / WATCHLIST_FILE)
    raw_fixture.build_raw_warehouse(tmp_path / WAREHOUSE_FILE)
    weeks = raw_fixture.sundays(raw_fixture.VIEWSTATS_START, raw_fixture.VIEWSTATS_END)
    raw_fixture.write_table(tmp_path / WAREHOUSE_FILE, "raw_noxinfluencer.weekly", NEW_SCHEMA, [
        {"channel_id": channel, "observed_on": sunday,
         "subscribers": raw_fixture.round_3sf(raw_fixture.true_subscribers(channel, sunday)),
         "views": round(raw_fixture.true_views(channel, sunday))}
        for channel in (raw_fixture.UC_ALPHA, raw_fixture.UC_BETA) for sunday in weeks])

    build = run_dbt(["build"], tmp_path, project_dir=project)

    assert build.returncode == 0, build.output[-3000:]
    with duckdb.connect(str(tmp_path / WAREHOUSE_FILE), read_only=True) as con:
        supplied = con.execute("select artist_id, metric, observed_at, quality from marts.fct_metrics "
                               "where source = 'noxinfluencer' order by all").fetchall()
        coverage = con.execute("select artist_id, weeks_covered, weeks_supplied from marts.source_coverage "
                               "where source = 'noxinfluencer' order by all").fetchall()
        junction = con.execute("select artist_id, junction_order, older_source, newer_source, gap_days, passed "
                               "from marts.junction_report where junction = 'noxinfluencer_api' order by all").fetchall()
    # It fills exactly the weeks the higher-precedence ViewStats missed, no longer interpolated.
    assert supplied == [("art_alpha", metric, week, quality) for metric, quality in (("subscribers", "rounded"), ("views", "exact"))
                        for week in raw_fixture.ALPHA_MISSING_WEEKS]
    assert coverage == [("art_alpha", len(weeks), len(raw_fixture.ALPHA_MISSING_WEEKS)), ("art_beta", len(weeks), 0)]
    order = len(sources.junctions()) + 1
    assert junction == [(artist, order, "noxinfluencer", "youtube_api", 1, True) for artist in ("art_alpha", "art_beta")]
    # And Python's view of the same file knows the new hand-over's raw assets.
    (new,) = [j for j in sources.junctions_of(sources.load(project / "dbt_project.yml")) if j.name == "noxinfluencer_api"]
    assert (new.older_assets, new.newer_assets) == (("raw/noxinfluencer/weekly",), ("raw/youtube/channels",))
