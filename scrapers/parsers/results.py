"""What every parser returns, so the spider and the loader never care which layout a page used."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

METRICS = ("subscribers", "views", "videos")


@dataclass(frozen=True)
class Point:
    """One cumulative total read from an archived chart."""

    metric: str
    observed_on: dt.date
    value: int


@dataclass(frozen=True)
class ParseResult:
    """Points of one page plus which parser understood it (``"none"`` with a reason when none did)."""

    points: list[Point] = field(default_factory=list)
    parser: str = "none"
    reason: str | None = None

    @property
    def earliest(self) -> dt.date | None:
        """Earliest date the page's charts cover: tells the spider which older snapshot to fetch next."""
        return min((p.observed_on for p in self.points), default=None)
