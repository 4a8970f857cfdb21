"""One setting chooses where the warehouse lives; every reader and writer gets it from one place."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from urated import storage, warehouse


def test_the_default_is_one_duckdb_file_under_data(monkeypatch):
    monkeypatch.delenv("URATED_WAREHOUSE")
    chosen = storage.target()
    assert chosen.kind == "file"
    assert chosen.path == (storage.settings.DATA_DIR / "warehouse.duckdb").resolve()
    assert chosen.writer_slots() == 1


def test_a_sqlite_catalog_names_a_local_lake_with_data_under_data_lake(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # relative paths are the project's, wherever a tool runs from
    monkeypatch.delenv("URATED_LAKE_DATA_PATH", raising=False)
    chosen = storage.parse_target("ducklake:sqlite:data/lake/catalog.sqlite")
    assert (chosen.kind, chosen.catalog_type) == ("ducklake", "sqlite")
    assert chosen.catalog == str(storage.settings.DATA_DIR / "lake" / "catalog.sqlite")
    assert chosen.data_path == str(storage.settings.DATA_DIR / "lake" / "files") + "/"
    assert chosen.writer_slots() == 1  # SQLite takes one writer at a time


def test_a_postgres_catalog_keeps_its_connection_string_and_an_s3_data_path():
    chosen = storage.parse_target("ducklake:postgres:dbname=urated host=db.example user=team",
                                  data_path="s3://bucket/urated/", writers="8")
    assert chosen.catalog == "dbname=urated host=db.example user=team"
    assert chosen.data_path == "s3://bucket/urated/"
    assert chosen.writer_slots() == 8
    assert "METADATA_SCHEMA 'ducklake'" in chosen.attach_sql()


def test_the_description_of_a_postgres_lake_never_shows_its_password():
    chosen = storage.parse_target("ducklake:postgres:dbname=urated user=team password=hunter2")
    assert "hunter2" not in chosen.describe()


@pytest.mark.parametrize("value, says", [
    ("ducklake:mysql:x", "ducklake:sqlite:<catalog file>"),
    ("ducklake:sqlite:", "ducklake:sqlite:<catalog file>"),
    ("ducklake:postgres:host=x", "dbname"),
    ("ducklake:postgres:dbname", "key=value"),
])
def test_a_malformed_setting_is_an_error_that_says_what_is_expected(value, says):
    with pytest.raises(storage.WarehouseSettingError, match=says):
        storage.parse_target(value)


def test_a_writer_count_that_is_not_a_number_is_an_error_naming_the_variable():
    with pytest.raises(storage.WarehouseSettingError, match="URATED_LAKE_WRITERS"):
        storage.parse_target("ducklake:sqlite:/tmp/c.sqlite", writers="many")


def test_nothing_is_published_before_the_first_build(any_target):
    assert warehouse.current_snapshot() is None
    with pytest.raises(FileNotFoundError, match="make demo"):
        with warehouse.read_snapshot():
            pass


def test_readers_see_the_published_build_and_not_what_a_writer_did_since(any_target):
    with warehouse.connect() as con:
        con.execute("create schema marts; create table marts.t as select 1 as n")
    first = warehouse.publish("run-1")
    with warehouse.connect() as con:
        con.execute("insert into marts.t values (2)")
    with warehouse.read_snapshot() as con:
        assert con.execute("select count(*) from marts.t").fetchone()[0] == 1
    assert warehouse.current_snapshot() == first.snapshot
    second = warehouse.publish("run-2")
    assert second.snapshot.version != first.snapshot.version
    with warehouse.read_snapshot() as con:
        assert con.execute("select count(*) from marts.t").fetchone()[0] == 2
        assert [r[0] for r in con.execute("select run_id from ops.publications order by published_at").fetchall()] \
            == ["run-1", "run-2"]


def test_publishing_the_lake_copies_nothing_and_the_file_copies_the_file(any_target):
    with warehouse.connect() as con:
        con.execute("create schema marts; create table marts.t as select range as n from range(100000)")
    published = warehouse.publish()
    if any_target.kind == "ducklake":
        assert published.bytes_written == 0
    else:
        assert published.bytes_written == any_target.reader_copy.stat().st_size > 0


def test_the_analysts_copy_is_as_readable_as_the_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("URATED_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    with warehouse.connect() as con:
        con.execute("create table t as select 1")
    os.chmod(tmp_path / "warehouse.duckdb", 0o644)
    warehouse.publish()
    assert stat.S_IMODE((tmp_path / "warehouse_read.duckdb").stat().st_mode) == 0o644


def test_the_extensions_install_offline_from_their_packages(tmp_path):
    # A fresh HOME has an empty extension directory: INSTALL would need the repository.
    script = ("from urated.extensions import ensure_installed; print(ensure_installed()); import duckdb; "
              "con = duckdb.connect(); con.execute('LOAD ducklake; LOAD sqlite_scanner; LOAD postgres_scanner'); "
              "print(con.execute(\"select count(*) from duckdb_extensions() where loaded and extension_name in "
              "('ducklake', 'sqlite_scanner', 'postgres_scanner')\").fetchone()[0])")
    done = subprocess.run([sys.executable, "-c", script], env={**os.environ, "HOME": str(tmp_path)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    how, loaded = done.stdout.strip().splitlines()
    assert "package duckdb_extension_ducklake" in how
    assert loaded == "3"


def test_dbt_gets_the_same_attach_every_reader_uses(any_target):
    values = any_target.dbt_vars()
    if any_target.kind == "ducklake":
        assert values["urated_lake_attach"] == any_target.attach_path
        assert values["urated_lake_options"]["data_path"] == any_target.data_path
    else:
        assert values["urated_dbt_path"] == str(any_target.path)


def test_dbt_on_a_lake_keeps_its_session_database_where_the_row_counts_can_reopen_it_read_only(any_target, tmp_path):
    # dagster-dbt reopens dbt's database read-only to count rows; an in-memory one cannot be.
    values = any_target.dbt_vars(session_dir=tmp_path / "session")
    if any_target.kind == "file":
        assert values["urated_dbt_path"] == str(any_target.path)  # dbt's database is the warehouse itself
        return
    session = Path(values["urated_dbt_path"])
    assert session.parent == tmp_path / "session"
    session.parent.mkdir()
    with warehouse.connect() as con:
        con.execute("create schema if not exists marts; create table marts.t as select range as n from range(3)")
    with duckdb.connect(str(session)) as dbt_session:  # what dbt opens, then the lake attached to it
        dbt_session.execute(any_target.attach_sql())
    with duckdb.connect(str(session), read_only=True) as counting:
        counting.execute(any_target.attach_sql(read_only=True))
        assert counting.execute(f"select count(*) from {storage.CATALOG}.marts.t").fetchone()[0] == 3


def test_a_lake_on_a_postgres_catalog_publishes_and_reads_like_the_others(postgres_catalog):
    assert storage.target().catalog_type == "postgres"
    with warehouse.connect() as con:
        con.execute("create schema marts; create table marts.t as select range as n from range(10)")
    published = warehouse.publish("pg-run")
    with warehouse.connect() as con:
        con.execute("delete from marts.t where n < 5")
    assert warehouse.current_snapshot() == published.snapshot
    with warehouse.read_snapshot() as con:
        assert con.execute("select count(*) from marts.t").fetchone()[0] == 10


def test_a_reader_that_still_holds_the_old_build_open_sees_the_new_one_after_a_publish(any_target):
    with warehouse.connect() as con:
        con.execute("create schema marts; create table marts.t as select 1 as n")
    warehouse.publish()
    with warehouse.read_snapshot() as old:
        with warehouse.connect() as con:
            con.execute("insert into marts.t values (2)")
        warehouse.publish()
        with warehouse.read_snapshot() as new:
            assert new.execute("select count(*) from marts.t").fetchone()[0] == 2
        assert old.execute("select count(*) from marts.t").fetchone()[0] == 1


def test_cursors_of_a_snapshot_read_the_marts_once_they_use_its_catalog(any_target):
    with warehouse.connect() as con:
        con.execute("create schema marts; create table marts.t as select 1 as n")
    warehouse.publish()
    with warehouse.read_snapshot() as con:
        cursor = con.cursor()
        cursor.execute(f'USE "{con.execute("select current_database()").fetchone()[0]}"')
        assert cursor.execute("select n from marts.t").fetchall() == [(1,)]


def test_preparing_the_instance_creates_a_new_lakes_catalog_before_any_writer(tmp_path, monkeypatch):
    # Two first writers attaching a new lake at once would both create its metadata tables.
    from orchestration.instance import prepare_instance

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    lake = storage.parse_target(f"ducklake:sqlite:{tmp_path / 'catalog.sqlite'}", data_path=str(tmp_path / "lake"))
    assert not lake.exists()
    prepare_instance(lake)
    assert lake.exists()
