"""The DuckDB the YouNiverse files are staged in: memory-bounded, spilling to a private folder.

Bulk reads here run next to dbt and Dagster on a small machine, so DuckDB gets
the project's memory limit (``settings.duckdb_memory_limit()``) instead of its
default of 80 % of RAM, and row order is not preserved (nothing downstream
relies on it, and keeping it serializes parallel inserts).
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import duckdb

from urated.settings import duckdb_memory_limit


def open_staging() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for one load; what exceeds the limit spills to a fresh temp folder."""
    # A folder that does not exist yet: DuckDB creates it on first spill and removes it on close.
    spill = Path(tempfile.gettempdir()) / f"urated_duckdb_spill_{uuid.uuid4().hex}"
    con = duckdb.connect(config={
        "memory_limit": duckdb_memory_limit(),
        "temp_directory": str(spill),
        "preserve_insertion_order": False,
    })
    con.execute("SET enable_progress_bar = false")  # runs log, they do not draw bars
    return con
