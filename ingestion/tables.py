"""Column types declared once per raw table and attached to the rows a resource yields.

A resource may yield to two tables (its own and ``rejects``). dlt starts a table
variant from the resource's hints, so column types are attached per table as a
variant instead of on the resource, where they would leak into ``rejects``.
"""

from __future__ import annotations

from typing import Any

import dlt


def typed(rows: Any, table_name: str, columns: dict[str, Any]) -> Any:
    """``rows`` (a dict, a list of dicts or an Arrow table) marked with their table's column types."""
    hints = dlt.mark.make_hints(table_name=table_name, columns=columns)
    return dlt.mark.with_hints(rows, hints, create_table_variant=True)
