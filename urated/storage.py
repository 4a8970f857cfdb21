"""Where the warehouse lives: one DuckDB file (the embedded default) or a DuckLake.

``URATED_WAREHOUSE`` picks the target:

- a path (default ``data/warehouse.duckdb``): one DuckDB file. One writer at a time;
  readers open a copy published after each build;
- ``ducklake:sqlite:<catalog file>`` (several processes on one machine) or
  ``ducklake:postgres:<libpq connection string>`` (a team's server): a DuckLake, whose
  data are Parquet files under ``URATED_LAKE_DATA_PATH`` (default ``data/lake/files/``,
  or an ``s3://`` path). Readers attach a published snapshot read-only, no copy. On a
  PostgreSQL catalog writers of different tables commit side by side; a SQLite catalog
  takes one writer at a time (see ``DEFAULT_LAKE_WRITERS``).

Every writer and reader gets what it needs from the :class:`Target` here (a
connection, dlt's destination, the values dbt's profile reads, the writers' pool size,
how to publish and find the snapshot readers see), so nothing else in the code
branches on which target it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shlex
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import duckdb

from urated import settings

LAKE_PREFIX = "ducklake:"
LAKE_DATA_PATH_VAR = "URATED_LAKE_DATA_PATH"
LAKE_WRITERS_VAR = "URATED_LAKE_WRITERS"
# Writers that may commit at once. PostgreSQL: 4 (DuckLake retries the commits that lose a race).
# SQLite: 1. Measured here (DuckDB 1.5.5): two writers committing at once fail with "database is
# locked", which DuckLake does not retry (SQLite refuses a read-to-write upgrade without waiting;
# duckdb/ducklake#1309), so they queue on the pool as on the file, and dbt runs one thread.
DEFAULT_LAKE_WRITERS = {"postgres": 4, "sqlite": 1}
# Every connection names the warehouse's catalog this way, whatever the target.
CATALOG = "warehouse"
# The PostgreSQL schema holding a lake's catalog tables (dlt, dbt and readers must agree on it).
POSTGRES_METADATA_SCHEMA = "ducklake"
# How long a writer waits for SQLite's catalog lock before DuckLake's own conflict retry.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# DuckLake retries a commit that lost a race with another writer (its defaults: 10 tries,
# 100 ms growing 1.5x). A busy team catalog deserves more patience before the step fails.
LAKE_RETRY_SETTINGS = {"ducklake_max_retry_count": 30, "ducklake_retry_wait_ms": 200, "ducklake_retry_backoff": 1.5}
PUBLICATIONS = "ops.publications"
# The commit message of a publish: readers pin the last snapshot carrying it.
PUBLISH_MESSAGE = "urated publish"


class WarehouseSettingError(ValueError):
    """``URATED_WAREHOUSE`` (or a lake setting) cannot be understood."""


@dataclass(frozen=True)
class Snapshot:
    """One published state of the marts, as readers (analysts, UI previews, the API) see it.

    ``version`` changes exactly when a new build is published (an ETag can be derived
    from it); ``published_at`` is when that build was published.
    """

    version: str
    published_at: datetime


@dataclass(frozen=True)
class Publication:
    """What publishing one build cost: the file target copies the warehouse, the lake records a row."""

    snapshot: Snapshot
    seconds: float
    bytes_written: int


class Target(Protocol):
    kind: str

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection: ...
    def read_snapshot(self) -> Any: ...
    def current_snapshot(self) -> Snapshot | None: ...
    def publish(self, run_id: str | None = None) -> Publication: ...
    def dlt_destination(self) -> Any: ...
    def dbt_vars(self, session_dir: Path | None = None) -> dict[str, Any]: ...
    def writer_slots(self) -> int: ...
    def exists(self) -> bool: ...
    def bytes_on_disk(self) -> int: ...
    def local_state(self, name: str) -> Path: ...
    def describe(self) -> str: ...
    def sql_shell_args(self) -> list[str]: ...


def _folder_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


@dataclass(frozen=True)
class FileTarget:
    """One DuckDB file; analysts read a copy published after each successful build."""

    path: Path
    kind: str = "file"

    @property
    def reader_copy(self) -> Path:
        return self.path.with_name(self.path.stem + "_read" + self.path.suffix)

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if read_only:
            # Spelled as dbt-duckdb (and dagster-dbt's row counts) open it: DuckDB shares one database
            # per file and process, and refuses a second connection whose configuration differs.
            return duckdb.connect(str(self.path), config={"access_mode": "READ_ONLY"})
        return duckdb.connect(str(self.path))

    @property
    def _versions(self) -> Path:
        return self.path.with_name(f"{self.path.stem}_read_versions")

    @contextmanager
    def read_snapshot(self) -> Iterator[duckdb.DuckDBPyConnection]:
        snapshot = self.current_snapshot()
        if snapshot is None:
            raise FileNotFoundError(f"No published warehouse at {self.reader_copy} yet: run `make demo` "
                                    "(or a mart build) first.")
        # Opened by a name of its own per published version (a hard link to the copy): DuckDB shares
        # one database per path in a process, so a reader still holding the old copy open would make
        # the same path open the old data again after a publish.
        versioned = self._versions / f"{snapshot.version}.duckdb"
        con = duckdb.connect(str(versioned if versioned.exists() else self.reader_copy), read_only=True)
        try:
            yield con
        finally:
            con.close()

    def current_snapshot(self) -> Snapshot | None:
        try:
            stat = self.reader_copy.stat()
        except FileNotFoundError:
            return None
        # A publish replaces the file (os.replace): inode, size and mtime identify one published copy.
        identity = f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}".encode()
        return Snapshot(version="file-" + hashlib.sha256(identity).hexdigest()[:16],
                        published_at=datetime.fromtimestamp(stat.st_mtime, timezone.utc))

    def publish(self, run_id: str | None = None) -> Publication:
        """Checkpoint the warehouse and atomically replace the analysts' read-only copy.

        Called by the writer that just finished (inside the writers' pool), so no other
        process writes while the file is copied. Readers holding the old copy open keep
        their snapshot: ``os.replace`` swaps the directory entry only.
        """
        started = time.perf_counter()
        with self.connect() as con:
            ensure_ops_tables(con)
            con.execute(f"insert into {PUBLICATIONS} values (now(), ?)", [run_id])
            con.execute("checkpoint")
        target = self.reader_copy
        fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
        os.close(fd)
        try:
            shutil.copyfile(self.path, tmp_name)
            # mkstemp creates 0600; the copy is for every reader who may read the warehouse.
            os.chmod(tmp_name, self.path.stat().st_mode & 0o777)
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        snapshot = self.current_snapshot()
        self._link_version(snapshot)
        return Publication(snapshot=snapshot, seconds=time.perf_counter() - started,
                           bytes_written=target.stat().st_size)

    def _link_version(self, snapshot: Snapshot, keep: int = 3) -> None:
        """A hard link per published version (no bytes copied); the oldest beyond ``keep`` are unlinked
        (a reader holding one open keeps reading it: the inode lives until it closes)."""
        self._versions.mkdir(exist_ok=True)
        link = self._versions / f"{snapshot.version}.duckdb"
        if not link.exists():
            os.link(self.reader_copy, link)
        for old in sorted(self._versions.glob("*.duckdb"), key=lambda p: p.stat().st_mtime_ns)[:-keep]:
            old.unlink(missing_ok=True)

    def dlt_destination(self) -> Any:
        import dlt
        from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

        self.path.parent.mkdir(parents=True, exist_ok=True)
        # dlt's loader gets the same memory bound as every other DuckDB that writes the warehouse.
        credentials = DuckDbCredentials(str(self.path), global_config={"memory_limit": settings.duckdb_memory_limit()})
        return dlt.destinations.duckdb(credentials=credentials)

    def dbt_vars(self, session_dir: Path | None = None) -> dict[str, Any]:
        """What dbt's ``profiles.yml`` reads (through ``--vars``) to open this target (dbt opens the file itself)."""
        return {"urated_dbt_target": "file", "urated_dbt_path": str(self.path)}

    def writer_slots(self) -> int:
        return 1  # DuckDB: one writing process per file

    def exists(self) -> bool:
        return self.path.exists()

    def bytes_on_disk(self) -> int:
        return sum(_folder_bytes(p) for p in (self.path, self.path.with_name(self.path.name + ".wal"),
                                              self.reader_copy))

    def local_state(self, name: str) -> Path:
        """A file or folder of local state that belongs to this warehouse, e.g. dlt's pipelines."""
        return self.path.with_name(f"{self.path.stem}_{name}")

    def describe(self) -> str:
        return f"DuckDB file {self.path}"

    def sql_shell_args(self) -> list[str]:
        """Arguments of the ``duckdb`` CLI that open the published copy read-only."""
        return ["-readonly", str(self.reader_copy)]


def _parse_libpq(conninfo: str) -> dict[str, str]:
    """``dbname=urated host=localhost user=me`` → its key/value pairs (values may be quoted)."""
    pairs = {}
    for token in shlex.split(conninfo):
        key, sep, value = token.partition("=")
        if not sep or not key:
            raise WarehouseSettingError(
                f"URATED_WAREHOUSE: {token!r} is not key=value in the PostgreSQL connection string "
                "(expected e.g. ducklake:postgres:dbname=urated host=localhost user=urated)")
        pairs[key] = value
    if "dbname" not in pairs:
        raise WarehouseSettingError("URATED_WAREHOUSE: the PostgreSQL connection string needs dbname=...")
    return pairs


@dataclass(frozen=True)
class LakeTarget:
    """A DuckLake: catalog in SQLite or PostgreSQL, data as Parquet under ``data_path``."""

    catalog_type: str  # "sqlite" | "postgres"
    catalog: str  # absolute SQLite path, or a libpq connection string
    data_path: str
    writers: int = 1
    kind: str = "ducklake"
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    # -- attaching ------------------------------------------------------------
    def attach_sql(self, alias: str = CATALOG, read_only: bool = False, snapshot_id: int | None = None) -> str:
        options = [f"DATA_PATH '{_sql_text(self.data_path)}'"]
        if self.catalog_type == "sqlite":
            options += ["META_JOURNAL_MODE 'WAL'", f"META_BUSY_TIMEOUT {SQLITE_BUSY_TIMEOUT_MS}"]
        else:
            options.append(f"METADATA_SCHEMA '{POSTGRES_METADATA_SCHEMA}'")
        if read_only:
            options.append("READ_ONLY")
        if snapshot_id is not None:
            options.append(f"SNAPSHOT_VERSION {int(snapshot_id)}")
        return f"ATTACH IF NOT EXISTS '{_sql_text(self.attach_path)}' AS {alias} ({', '.join(options)})"

    @property
    def attach_path(self) -> str:
        return f"{LAKE_PREFIX}{self.catalog_type}:{self.catalog}"

    def _open(self, attach: str, alias: str) -> duckdb.DuckDBPyConnection:
        from urated.extensions import ensure_installed

        ensure_installed()
        if self.catalog_type == "sqlite":
            Path(self.catalog).parent.mkdir(parents=True, exist_ok=True)
        if "://" not in self.data_path:
            Path(self.data_path).mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(config={"memory_limit": settings.duckdb_memory_limit()})
        try:
            for name, value in LAKE_RETRY_SETTINGS.items():
                con.execute(f"SET {name} = {value}")
            con.execute(attach)
            con.execute(f"USE {alias}")
        except BaseException:
            con.close()
            raise
        return con

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        return self._open(self.attach_sql(read_only=read_only), CATALOG)

    # -- publishing -------------------------------------------------------------
    def publish(self, run_id: str | None = None) -> Publication:
        """Mark the lake's next commit as the snapshot readers see: a row and a commit message, no copy."""
        started = time.perf_counter()
        con = self.connect()
        try:
            con.execute("begin")
            con.execute(f"call {CATALOG}.set_commit_message('urated', ?, extra_info => ?)",
                        [PUBLISH_MESSAGE, json.dumps({"run_id": run_id})])
            ensure_ops_tables(con)
            con.execute(f"insert into {PUBLICATIONS} values (now(), ?)", [run_id])
            con.execute("commit")
        finally:
            con.close()
        return Publication(snapshot=self.current_snapshot(), seconds=time.perf_counter() - started, bytes_written=0)

    def current_snapshot(self) -> Snapshot | None:
        # Why the catalog's own tables: every DuckLake query opens a transaction that costs 5-10 ms
        # of catalog reads, and readers ask for the version on every request; the publish marker is
        # a row of ducklake_snapshot_changes (DuckLake spec), one indexed lookup away.
        rows = self._catalog_query(
            "select s.snapshot_id, cast(s.snapshot_time as varchar) "
            "from {schema}ducklake_snapshot_changes c join {schema}ducklake_snapshot s using (snapshot_id) "
            f"where c.commit_message = '{PUBLISH_MESSAGE}' order by s.snapshot_id desc limit 1")
        if not rows:
            return None
        snapshot_id, published = rows[0]
        published_at = datetime.fromisoformat(str(published).replace(" ", "T"))
        if published_at.tzinfo is None:
            published_at = published_at.replace(tzinfo=timezone.utc)
        return Snapshot(version=f"lake-{snapshot_id}", published_at=published_at.astimezone(timezone.utc))

    def _catalog_query(self, sql: str) -> list[tuple]:
        if self.catalog_type == "sqlite":
            if not Path(self.catalog).exists():
                return []
            with contextlib.closing(sqlite3.connect(f"file:{self.catalog}?mode=ro", uri=True, timeout=30)) as db:
                try:
                    return db.execute(sql.format(schema="")).fetchall()
                except sqlite3.OperationalError as exc:
                    if "no such table" in str(exc):
                        return []  # a catalog no lake was created in yet
                    raise
        with self._lock:
            con = self._postgres_catalog()
            return con.execute("select * from postgres_query('catalog', ?)",
                               [sql.format(schema=f"{POSTGRES_METADATA_SCHEMA}.")]).fetchall()

    @cache
    def _postgres_catalog(self) -> duckdb.DuckDBPyConnection:
        from urated.extensions import ensure_installed

        ensure_installed()
        con = duckdb.connect()
        con.execute(f"ATTACH '{_sql_text(self.catalog)}' AS catalog (TYPE postgres, READ_ONLY)")
        return con

    @contextmanager
    def read_snapshot(self) -> Iterator[duckdb.DuckDBPyConnection]:
        snapshot = self.current_snapshot()
        if snapshot is None:
            raise FileNotFoundError(f"No published build in the lake ({self.describe()}) yet: run `make demo` "
                                    "(or a mart build) first.")
        snapshot_id = int(snapshot.version.removeprefix("lake-"))
        alias = f"{CATALOG}_at_{snapshot_id}"
        con = self._open(self.attach_sql(alias=alias, read_only=True, snapshot_id=snapshot_id), alias)
        try:
            yield con
        finally:
            con.close()

    # -- the other tools ----------------------------------------------------------
    def dlt_destination(self) -> Any:
        import dlt
        from dlt.common.configuration.specs import ConnectionStringCredentials
        from dlt.destinations.impl.ducklake.configuration import DuckLakeCredentials

        from urated.extensions import ensure_installed

        ensure_installed()
        if self.catalog_type == "sqlite":
            Path(self.catalog).parent.mkdir(parents=True, exist_ok=True)
            catalog = ConnectionStringCredentials({"drivername": "sqlite", "database": self.catalog})
        else:
            kv = _parse_libpq(self.catalog)
            catalog = ConnectionStringCredentials({
                "drivername": "postgres", "database": kv.pop("dbname"), "username": kv.pop("user", None),
                "password": kv.pop("password", None), "host": kv.pop("host", None),
                "port": int(kv.pop("port")) if "port" in kv else None, "query": kv or None,
            })
        credentials = DuckLakeCredentials(ducklake_name=CATALOG, catalog=catalog, storage=self.data_path,
                                          metadata_schema=POSTGRES_METADATA_SCHEMA)
        credentials.global_config = {"memory_limit": settings.duckdb_memory_limit()}
        return dlt.destinations.ducklake(credentials=credentials)

    def dbt_vars(self, session_dir: Path | None = None) -> dict[str, Any]:
        """What dbt's ``profiles.yml`` reads (through ``--vars``): the same attach every reader uses.

        ``session_dir``: where dbt's own DuckDB database (the one the lake is attached to) is
        kept instead of memory. Why: dagster-dbt's row counts open that database again read-only
        after the build, and DuckDB cannot open an in-memory database read-only.
        """
        options: dict[str, Any] = {"data_path": self.data_path}
        if self.catalog_type == "sqlite":
            options.update(meta_journal_mode="WAL", meta_busy_timeout=SQLITE_BUSY_TIMEOUT_MS)
        else:
            options["metadata_schema"] = POSTGRES_METADATA_SCHEMA
        return {"urated_dbt_target": "ducklake", "urated_lake_attach": self.attach_path,
                "urated_lake_options": options, "urated_lake_retry": dict(LAKE_RETRY_SETTINGS),
                # dbt's threads are writers too: as many as the catalog takes at once, at most 2 (cores).
                "urated_dbt_threads": min(self.writers, 2),
                **({"urated_dbt_path": str(Path(session_dir) / "dbt_session.duckdb")} if session_dir else {})}

    def writer_slots(self) -> int:
        return self.writers

    def exists(self) -> bool:
        return self.current_snapshot() is not None or (self.catalog_type == "sqlite" and Path(self.catalog).exists())

    def bytes_on_disk(self) -> int:
        catalog = _folder_bytes(Path(self.catalog)) if self.catalog_type == "sqlite" else 0
        data = _folder_bytes(Path(self.data_path)) if "://" not in self.data_path else 0
        return catalog + data

    def local_state(self, name: str) -> Path:
        """A file or folder of local state that belongs to this lake (beside a SQLite catalog)."""
        if self.catalog_type == "sqlite":
            catalog = Path(self.catalog)
            return catalog.with_name(f"{catalog.stem}_{name}")
        digest = hashlib.sha256(self.catalog.encode()).hexdigest()[:10]  # one folder per team catalog
        return settings.DATA_DIR / f"lake_{digest}_{name}"

    def sql_shell_args(self) -> list[str]:
        """Arguments of the ``duckdb`` CLI that attach the published snapshot read-only."""
        from urated.extensions import ensure_installed

        ensure_installed()
        snapshot = self.current_snapshot()
        snapshot_id = int(snapshot.version.removeprefix("lake-")) if snapshot else None
        alias = CATALOG if snapshot_id is None else f"{CATALOG}_at_{snapshot_id}"
        return ["-cmd", f"{self.attach_sql(alias=alias, read_only=True, snapshot_id=snapshot_id)}; USE {alias};"]

    def describe(self) -> str:
        if self.catalog_type == "postgres":
            safe = " ".join(f"{k}={v}" for k, v in _parse_libpq(self.catalog).items() if k != "password")
            return f"DuckLake, PostgreSQL catalog ({safe}), data in {self.data_path}"
        return f"DuckLake, SQLite catalog {self.catalog}, data in {self.data_path}"


def _sql_text(value: str) -> str:
    return value.replace("'", "''")


def ensure_ops_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The warehouse's bookkeeping tables, as dbt declares them (source ``ops`` in ``sources.yml``)."""
    con.execute("create schema if not exists ops")
    con.execute(f"""create table if not exists {PUBLICATIONS} (
        published_at timestamp with time zone not null, run_id varchar)""")
    con.execute("""create table if not exists ops.alerts (
        asset varchar not null, kind varchar not null, detected_at timestamp not null, detail varchar not null)""")


def _resolve(path: str) -> Path:
    """A user-given path; a relative one is relative to the project, never to whatever folder a tool
    has changed into (dbt and dagster-dbt run inside transform/)."""
    candidate = Path(path).expanduser()
    return (candidate if candidate.is_absolute() else settings.PROJECT_ROOT / candidate).resolve()


def parse_target(value: str | None, data_path: str | None = None, writers: str | None = None) -> Target:
    """The target a ``URATED_WAREHOUSE`` value names (relative paths are relative to the project)."""
    value = (value or "").strip()
    if not value:
        return FileTarget(path=(settings.DATA_DIR / "warehouse.duckdb").resolve())
    if not value.startswith(LAKE_PREFIX):
        return FileTarget(path=_resolve(value))
    catalog_type, sep, catalog = value.removeprefix(LAKE_PREFIX).partition(":")
    if catalog_type not in ("sqlite", "postgres") or not sep or not catalog.strip():
        raise WarehouseSettingError(
            f"URATED_WAREHOUSE={value!r}: a DuckLake is ducklake:sqlite:<catalog file> or "
            "ducklake:postgres:<connection string>, e.g. ducklake:sqlite:data/lake/catalog.sqlite")
    data = (data_path or "").strip() or str(settings.DATA_DIR / "lake" / "files")
    if "://" not in data:
        data = str(_resolve(data)) + "/"
    try:
        slots = int(writers) if writers and writers.strip() else DEFAULT_LAKE_WRITERS[catalog_type]
    except ValueError:
        raise WarehouseSettingError(f"{LAKE_WRITERS_VAR}={writers!r} is not a whole number") from None
    if slots < 1:
        raise WarehouseSettingError(f"{LAKE_WRITERS_VAR} must be at least 1, not {slots}")
    if catalog_type == "sqlite":
        return LakeTarget("sqlite", str(_resolve(catalog)), data, slots)
    _parse_libpq(catalog)  # fail now, with the reason, rather than at the first attach
    return LakeTarget("postgres", catalog.strip(), data, slots)


_TARGETS: dict[tuple, Target] = {}


def target() -> Target:
    """The warehouse target the environment names (read at call time; one object per setting)."""
    key = (os.environ.get(settings.WAREHOUSE_VAR), os.environ.get(LAKE_DATA_PATH_VAR),
           os.environ.get(LAKE_WRITERS_VAR))
    if key not in _TARGETS:
        _TARGETS[key] = parse_target(*key)
    return _TARGETS[key]


def _main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m urated.storage", description="The warehouse target in use.")
    parser.add_argument("--dbt-vars", action="store_true", help="print the --vars JSON dbt's profile reads")
    parser.add_argument("--sql", action="store_true", help="open the DuckDB shell on the published snapshot")
    args = parser.parse_args(argv)
    chosen = target()
    if args.sql:
        import sys

        shell = Path(sys.executable).with_name("duckdb")
        os.execv(shell, [str(shell), *chosen.sql_shell_args()])
    print(json.dumps(chosen.dbt_vars()) if args.dbt_vars else chosen.describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
