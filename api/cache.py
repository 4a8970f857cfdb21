"""An in-process cache of serialized answers, valid for one data version only.

Why hand-written (an OrderedDict LRU): the one rule that matters — drop
everything the moment the data version changes — is a line here, and none of the
LRU libraries in our dependencies yet. Used from the event loop only, so no lock.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict

DEFAULT_ENTRIES = 4096


class AnswerCache:
    """Answers (JSON bytes) keyed by request, for the current data version; ``entries=0`` turns it off."""

    def __init__(self, entries: int = DEFAULT_ENTRIES):
        self.entries = entries
        self.version: str | None = None
        self._answers: OrderedDict[str, bytes] = OrderedDict()
        self.pending: dict[tuple[str, str], asyncio.Future] = {}  # answers being computed, by (version, key)
        self.hits = self.misses = 0

    def _follow(self, version: str) -> None:
        if version != self.version:
            self._answers.clear()  # a new publish: every stored answer describes older data
            self.version = version

    def get(self, version: str, key: str) -> bytes | None:
        self._follow(version)
        answer = self._answers.get(key)
        if answer is None:
            self.misses += 1
            return None
        self._answers.move_to_end(key)
        self.hits += 1
        return answer

    def put(self, version: str, key: str, answer: bytes) -> None:
        if self.entries <= 0 or version != self.version:
            return  # computed on a version the cache has moved past (or not yet seen): never store it
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self.entries:
            self._answers.popitem(last=False)
