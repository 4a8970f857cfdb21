"""The watchlist CSV is the list of what to collect; every source and spider reads it here, validated.

It is the user's main input, so a file that cannot be what they meant stops the
run before any request: missing columns, a repeated artist or account, or an id
that cannot be the platform's (the formats are declared once, in the dbt seed
``account_id_formats``, which the dbt test on ``int_artists__watchlist`` reads
too). The error lists every bad line and why, all at once.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from urated.settings import TRANSFORM_DIR, WATCHLIST_VAR, watchlist_path

COLUMNS = ("artist_id", "artist_name", "youtube_channel_id", "spotify_artist_id", "instagram_username")
ID_COLUMNS = COLUMNS[2:]  # a platform account each
ID_FORMATS_SEED = TRANSFORM_DIR / "seeds" / "account_id_formats.csv"
# Instagram treats usernames case-insensitively; the other ids are case-sensitive.
CASE_INSENSITIVE = {"instagram_username"}


@dataclass(frozen=True)
class IdFormat:
    column: str
    pattern: re.Pattern[str]
    max_length: int
    rule: str

    def problem(self, value: str) -> str | None:
        """Why ``value`` cannot be an id of this column, or None when it can."""
        if len(value) > self.max_length or not self.pattern.fullmatch(value):
            return f"{self.column} {value!r} is not valid ({self.rule})"
        return None


@cache
def id_formats() -> dict[str, IdFormat]:
    """The account id formats of the seed, by watchlist column."""
    with ID_FORMATS_SEED.open(newline="", encoding="utf-8") as handle:
        formats = {row["id_column"]: IdFormat(row["id_column"], re.compile(row["pattern"]), int(row["max_length"]),
                                              row["rule"])
                   for row in csv.DictReader(handle)}
    if set(formats) != set(ID_COLUMNS):  # an id column without a rule would go unchecked
        raise RuntimeError(f"{ID_FORMATS_SEED} must declare exactly {', '.join(ID_COLUMNS)}, not {', '.join(formats)}")
    return formats


class WatchlistError(ValueError):
    """The watchlist cannot be used as it is; ``problems`` names each bad line and why."""

    def __init__(self, subject: str, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{subject} cannot be used, so nothing is collected ({count}):\n{lines}")


def read_watchlist(path: Path | None = None) -> list[dict[str, str]]:
    """Every artist of the watchlist (cells stripped), or :class:`WatchlistError` listing what is wrong."""
    path = path or watchlist_path()
    subject = f"The watchlist {path} ({WATCHLIST_VAR})"
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise WatchlistError(subject, [f"cannot be read: {exc.strerror or exc}"]) from None
    with handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        # A line of blank cells lists nobody; line_num counts physical lines, as an editor does.
        lines = [(reader.line_num, [c.strip() for c in cells]) for cells in reader if any(c.strip() for c in cells)]
    problems = _header_problems(header) or list(_line_problems(header, lines))
    if not lines and not problems:
        problems.append("lists no artist: add one line per artist under the header")
    if problems:
        raise WatchlistError(subject, problems)
    return [dict(zip(header, cells)) for _, cells in lines]


def _header_problems(header: list[str]) -> list[str]:
    missing = [c for c in COLUMNS if c not in header]
    if not missing:
        repeated = sorted({h for h in header if header.count(h) > 1})
        return [f"line 1: column {', '.join(repeated)} appears twice"] if repeated else []
    unknown = [h for h in header if h not in COLUMNS]
    hint = f" (found {', '.join(unknown)} instead)" if unknown else ""
    return [f"line 1: missing column {', '.join(missing)}{hint}; the header must name "
            f"{', '.join(COLUMNS)}"]


def _line_problems(header: list[str], lines: list[tuple[int, list[str]]]) -> Iterable[str]:
    """Every problem of every line, in file order."""
    formats = id_formats()
    first_line: dict[tuple[str, str], int] = {}
    for line, cells in lines:
        if len(cells) != len(header):
            yield f"line {line}: {len(cells)} cells, the header has {len(header)}"
            continue
        row = dict(zip(header, cells))
        if not row["artist_id"]:
            yield f"line {line}: artist_id is blank"
        for column in ("artist_id", *ID_COLUMNS):
            value = row[column]
            if not value:
                continue
            if column in formats and (problem := formats[column].problem(value)):
                yield f"line {line}: {problem}"
            key = (column, value.lower() if column in CASE_INSENSITIVE else value)
            if key in first_line:
                yield f"line {line}: {column} {value!r} repeats line {first_line[key]}"
            else:
                first_line[key] = line


def watchlist_values(column: str, path: Path | None = None) -> list[str]:
    """Distinct non-blank values of one column, in file order, from a validated watchlist."""
    if column not in COLUMNS:
        raise KeyError(f"{column} is not a watchlist column ({', '.join(COLUMNS)})")
    return list(dict.fromkeys(row[column] for row in read_watchlist(path) if row[column]))


def ids_to_collect(column: str, given: Iterable[str] | None = None) -> list[str]:
    """The ids a source collects: ``given`` (checked against the same formats), else the watchlist's.

    Either way an id that cannot be the platform's is refused before any request.
    """
    if not given:
        return watchlist_values(column)
    ids = list(dict.fromkeys(i.strip() for i in given if i.strip()))
    fmt = id_formats().get(column)
    problems = [p for i in ids if fmt and (p := fmt.problem(i))]
    if problems:
        raise WatchlistError(f"The {column} values given", problems)
    return ids
