"""Opening the warehouse, describing its tables, and publishing the analysts' copy.

DuckDB lets one process write a file at a time. Runs write
``settings.warehouse_path()`` (serialised by the Dagster pool ``duckdb``);
analysts, notebooks and the UI's previews read ``settings.reader_copy_path()``,
a copy published atomically after each successful build, so their queries
never meet a writer's lock.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from urated import settings

WAREHOUSE_SCHEMAS_SQL = """
    select table_schema, table_name
    from information_schema.tables
    where table_schema not in ('information_schema', 'pg_catalog')
      and table_name not like '\\_dlt\\_%' escape '\\'
    order by table_schema, table_name
"""


@contextmanager
def connect(path: Path | None = None, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse (or another DuckDB file), closed on exit."""
    target = path or settings.warehouse_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(target), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def table_row_counts(con: duckdb.DuckDBPyConnection, schema_prefix: str = "") -> dict[str, int]:
    """Row counts of every user table (not dlt's bookkeeping), keyed ``schema.table``."""
    counts: dict[str, int] = {}
    for schema, table in con.execute(WAREHOUSE_SCHEMAS_SQL).fetchall():
        if schema_prefix and not schema.startswith(schema_prefix):
            continue
        counts[f"{schema}.{table}"] = row_count(con, schema, table)
    return counts


def row_count(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> int | None:
    """Rows in one table, or None when it does not exist (yet)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
    ).fetchone()[0]
    if not exists:
        return None
    return con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]


def publish_reader_copy() -> Path:
    """Checkpoint the warehouse and atomically replace the analysts' read-only copy.

    Called by the writer that just finished (inside the ``duckdb`` pool), so no
    other process writes while the file is copied. Readers holding the old copy
    open keep their snapshot: ``os.replace`` swaps the directory entry only.
    """
    source = settings.warehouse_path()
    target = settings.reader_copy_path()
    with connect(source) as con:
        con.execute("checkpoint")
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp_name)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


@dataclass(frozen=True)
class Snapshot:
    """One published state of the marts, as readers (analysts, UI previews, the API) see it.

    ``version`` changes exactly when a new build is published (an ETag can be
    derived from it); ``published_at`` is when that build was published.
    """

    version: str
    published_at: datetime


def current_snapshot() -> Snapshot | None:
    """The last published snapshot, or None before the first successful build. Cheap: call it per request."""
    copy = settings.reader_copy_path()
    try:
        stat = copy.stat()
    except FileNotFoundError:
        return None
    # A publish replaces the file (os.replace), so inode, size and mtime identify one published copy.
    identity = f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}".encode()
    return Snapshot(version=hashlib.sha256(identity).hexdigest()[:16],
                    published_at=datetime.fromtimestamp(stat.st_mtime, timezone.utc))


@contextmanager
def read_snapshot() -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the last published snapshot; ``marts.<table>`` resolves in it.

    The one function every reader goes through, whatever the storage target:
    it never opens the file a run is writing.
    """
    copy = settings.reader_copy_path()
    if not copy.exists():
        raise FileNotFoundError(f"No published warehouse at {copy} yet: run `make demo` (or a mart build) first.")
    con = duckdb.connect(str(copy), read_only=True)
    try:
        yield con
    finally:
        con.close()
