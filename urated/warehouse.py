"""Opening the warehouse, describing its tables, and publishing the snapshot readers see.

Whatever the storage target (``urated.storage``): runs write through
:func:`connect` (serialised by the Dagster pool ``duckdb`` where the target allows one
writer); analysts, the UI's previews and the API read through :func:`read_snapshot`,
the last published build, so their queries never meet a writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from urated.storage import Publication, Snapshot, target

__all__ = ["Publication", "Snapshot", "connect", "current_snapshot", "publish", "read_snapshot",
           "row_count", "table_row_counts"]

WAREHOUSE_SCHEMAS_SQL = """
    select table_schema, table_name
    from information_schema.tables
    where table_catalog = current_database()
      and table_schema not in ('information_schema', 'pg_catalog')
      and table_type = 'BASE TABLE'
      and table_name not like '\\_dlt\\_%' escape '\\'
    order by table_schema, table_name
"""


@contextmanager
def connect(read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse whose default catalog is the warehouse, closed on exit."""
    con = target().connect(read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def read_snapshot():
    """A read-only connection to the last published snapshot; ``marts.<table>`` resolves in it.

    The one function every reader goes through, whatever the storage target: it never
    opens what a run is writing. Raises FileNotFoundError before the first publish.
    """
    return target().read_snapshot()


def current_snapshot() -> Snapshot | None:
    """The last published snapshot, or None before the first successful build. Cheap: call it per request."""
    return target().current_snapshot()


def publish(run_id: str | None = None) -> Publication:
    """Make the warehouse's current state the snapshot readers see (after a successful build)."""
    return target().publish(run_id)


def table_row_counts(con: duckdb.DuckDBPyConnection, schema_prefix: str = "") -> dict[str, int]:
    """Row counts of every stored table (no views, nothing of dlt's bookkeeping), keyed ``schema.table``."""
    counts: dict[str, int] = {}
    for schema, table in con.execute(WAREHOUSE_SCHEMAS_SQL).fetchall():
        if schema_prefix and not schema.startswith(schema_prefix):
            continue
        counts[f"{schema}.{table}"] = row_count(con, schema, table)
    return counts


def row_count(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> int | None:
    """Rows in one table, or None when it does not exist (yet)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_catalog = current_database() "
        "and table_schema = ? and table_name = ?", [schema, table]
    ).fetchone()[0]
    if not exists:
        return None
    return con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
