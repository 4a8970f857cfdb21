"""Move an existing file warehouse to the target ``URATED_WAREHOUSE`` names (e.g. a team's DuckLake).

    URATED_WAREHOUSE=ducklake:postgres:'dbname=urated host=db user=me' \\
        .venv/bin/python -m urated.migrate data/warehouse.duckdb

Copies what cannot be rebuilt: every raw dataset (``raw_*``, with dlt's bookkeeping
tables, so completed loads and dlt's state travel with the rows) and the ``ops``
tables (alerts, publications). Staging, intermediate and marts are dbt's: rebuild
them on the new target with ``make dbt ARGS="build"`` (or let the next collection's
automation do it). dlt's local state folder is copied beside the new target too, so
resumable sources carry on where they stopped. The file is opened read-only and left
as it was; a schema that already exists on the target is refused, never merged.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import duckdb

from urated import storage

SOURCE_ALIAS = "migrating_from"


def copied_schemas(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The schemas of the file that hold data dbt cannot rebuild."""
    rows = con.execute(
        "select schema_name from duckdb_schemas() where database_name = ? "
        "and (schema_name like 'raw\\_%' escape '\\' or schema_name = 'ops') order by 1", [SOURCE_ALIAS]).fetchall()
    return [r[0] for r in rows]


def migrate(source: Path, target: storage.Target) -> dict[str, int]:
    """Copy ``source``'s raw and ops tables into ``target``; returns rows per table."""
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist")
    con = target.connect()
    copied: dict[str, int] = {}
    try:
        con.execute(f"ATTACH '{source}' AS {SOURCE_ALIAS} (READ_ONLY)")
        schemas = copied_schemas(con)
        existing = {r[0] for r in con.execute("select schema_name from duckdb_schemas() "
                                               "where database_name = current_database()").fetchall()}
        clashes = sorted(set(schemas) & existing)
        if clashes:
            raise RuntimeError(f"{target.describe()} already holds {', '.join(clashes)}: migrate into an empty target")
        for schema in schemas:
            con.execute(f'create schema "{schema}"')
            tables = [r[0] for r in con.execute(
                "select table_name from duckdb_tables() where database_name = ? and schema_name = ? order by 1",
                [SOURCE_ALIAS, schema]).fetchall()]
            for table in tables:
                con.execute(f'create table "{schema}"."{table}" as select * from {SOURCE_ALIAS}."{schema}"."{table}"')
                copied[f"{schema}.{table}"] = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
    finally:
        con.close()
    dlt_state = source.with_name(f"{source.stem}_dlt")
    if dlt_state.exists() and not target.local_state("dlt").exists():
        shutil.copytree(dlt_state, target.local_state("dlt"))
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m urated.migrate", description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the DuckDB file warehouse to copy from")
    args = parser.parse_args(argv)
    target = storage.target()
    if isinstance(target, storage.FileTarget) and target.path == args.source.resolve():
        print("URATED_WAREHOUSE names the file itself: point it at the new target first", file=sys.stderr)
        return 2
    started = time.perf_counter()
    copied = migrate(args.source.resolve(), target)
    for table, rows in copied.items():
        print(f"  {table:<45} {rows:>12,}")
    print(f"Copied {len(copied)} tables ({sum(copied.values()):,} rows) into {target.describe()} in "
          f"{time.perf_counter() - started:.1f} s. Now rebuild the marts there: make dbt ARGS=\"build\"")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
