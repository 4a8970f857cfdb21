"""The watchlist model tests the same id rules the collectors enforce (one seed), and needs a watchlist."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest

from ingestion.watchlist import COLUMNS, ID_COLUMNS, id_formats

from .dbt_cli import WAREHOUSE_FILE, WATCHLIST_FILE, run_dbt, target_dir

pytestmark = pytest.mark.slow  # each builds a dbt warehouse: minutes, not seconds

# Valid and invalid ids side by side, so both rule books must agree on every one.
IDS = {
    "youtube_channel_id": ["UCACO4dtaLXFxLY-ldiyQo3k", "not-a-channel", "UC" + "x" * 21, "UC_x5XG1OV2P6uZZ5FSM9Ttw"],
    "spotify_artist_id": ["2CMj4nJ7r58wWSgdc1YHoV", "2CMj4nJ7r58wWSgdc1YHo-", "short", "0TnOYISbd1XYRBk9myaseg"],
    "instagram_username": ["neonrebels", "two..dots", ".leading", "the.real_one.2"],
}
WATCHLIST_MODEL = ["account_id_formats", "int_artists__watchlist"]


def write_watchlist(path):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(4):
            writer.writerow([f"a{i}", f"Artist {i}", *(IDS[c][i] for c in ID_COLUMNS)])


@pytest.fixture(scope="module")
def format_failures(tmp_path_factory) -> dict[str, set[str]]:
    """The ids the dbt test flags, per column (its failing rows, stored)."""
    folder = tmp_path_factory.mktemp("bad_watchlist")
    write_watchlist(folder / WATCHLIST_FILE)
    build = run_dbt(["build", "--select", *WATCHLIST_MODEL, "--store-failures"], folder)
    assert build.returncode != 0  # the format tests fail
    manifest = json.loads((target_dir(folder) / "manifest.json").read_text())
    tests = [n for n in manifest["nodes"].values()
             if (n.get("test_metadata") or {}).get("name") == "matches_account_id_format"]
    assert {t["column_name"] for t in tests} == set(ID_COLUMNS)
    with duckdb.connect(str(folder / WAREHOUSE_FILE), read_only=True) as con:
        return {t["column_name"]: {a for (a,) in con.execute(
                    f'select account_id from "{t["schema"]}"."{t["alias"]}"').fetchall()} for t in tests}


@pytest.mark.parametrize("column", ID_COLUMNS)
def test_the_dbt_test_flags_exactly_the_ids_the_collectors_refuse(format_failures, column):
    refused = {value for value in IDS[column] if id_formats()[column].problem(value)}
    assert refused  # each column has some of each
    assert format_failures[column] == {v.lower() if column == "instagram_username" else v for v in refused}


def test_a_build_without_a_watchlist_stops_naming_the_variable(tmp_path):
    build = run_dbt(["build", "--select", *WATCHLIST_MODEL], tmp_path, watchlist=None)
    assert build.returncode != 0
    assert "URATED_ARTISTS is not set" in build.output
