"""The watchlist CSV is the list of what to collect; every source reads it the same way."""

from __future__ import annotations

import csv
from pathlib import Path

from urated.settings import watchlist_path

COLUMNS = ("artist_id", "artist_name", "youtube_channel_id", "spotify_artist_id", "instagram_username")


def watchlist_values(column: str, path: Path | None = None) -> list[str]:
    """Distinct non-blank values of one column, in file order."""
    if column not in COLUMNS:
        raise KeyError(f"{column} is not a watchlist column ({', '.join(COLUMNS)})")
    path = path or watchlist_path()
    seen: dict[str, None] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            value = (row.get(column) or "").strip()
            if value:
                seen.setdefault(value, None)
    return list(seen)
