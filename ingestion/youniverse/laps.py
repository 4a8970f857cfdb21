"""Seconds per step of a long job, so a slower load says which step slowed."""

from __future__ import annotations

import time


class Laps:
    """``laps("step")`` records the seconds since the previous call (or since creation) under ``step``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._clock = time.perf_counter()

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step] = round(now - self._clock, 3)
        self._clock = now
