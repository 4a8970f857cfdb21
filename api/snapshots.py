"""Connections to the published snapshot, reopened when a new one is published.

Built on the one read path, ``urated.warehouse.read_snapshot()`` and
``current_snapshot()``: opening a snapshot per request would cost more than most
answers, so one connection per published version is kept open and each request
borrows a cursor of it (a DuckDB cursor is a connection of its own to the same
database, usable from one thread at a time). When ``current_snapshot()`` reports a
new version, the old one is closed once its last borrower returns (a query in
flight finishes on the data it started on) and then the new one is opened.

Why close before opening: DuckDB's Python client shares one database instance per
file path within a process, and a publish replaces the file under the same path. While
any connection to the old file is open, connecting to that path again returns the
old instance, i.e. the old data. So requests arriving during the switch wait for the
(short) queries still running on the old snapshot.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

import duckdb

from urated import warehouse


# The largest page (limit ≤ 100, plus the row telling whether another page follows), with room.
LATE_MATERIALIZATION_ROWS = 1000


class NoSnapshotError(RuntimeError):
    """Nothing has been published yet: the API has no data to serve."""


@dataclass
class _Generation:
    """One published version, open, with its idle cursors and how many are lent out."""

    version: str
    stack: ExitStack
    connection: duckdb.DuckDBPyConnection
    catalog: str  # the snapshot's catalog: a cursor starts in DuckDB's default one and must USE it
    idle: list[duckdb.DuckDBPyConnection] = field(default_factory=list)
    lent: int = 0
    columns: dict[str, frozenset[str]] = field(default_factory=dict)
    memo: dict[tuple, object] = field(default_factory=dict)
    memo_lock: threading.Lock = field(default_factory=threading.Lock)

    def close(self) -> None:
        for cursor in self.idle:
            cursor.close()
        self.idle.clear()
        self.stack.close()


@dataclass(frozen=True)
class Lease:
    """A borrowed cursor and the version of the data it reads."""

    version: str
    cursor: duckdb.DuckDBPyConnection
    generation: _Generation

    def remember(self, key: tuple, read):
        """``read(cursor)`` once per snapshot: a value of the marts that every request of this version shares."""
        memo = self.generation.memo
        if key not in memo:
            # One reader computes it; concurrent requests wait for that answer instead of each
            # running the same whole-mart scan (32 at once pile up past any timeout at full scale).
            with self.generation.memo_lock:
                if key not in memo:
                    memo[key] = read(self.cursor)
        return memo[key]

    def has_column(self, table: str, column: str) -> bool:
        """Whether ``marts.<table>`` has ``column`` in this snapshot (marts gain columns over time)."""
        known = self.generation.columns.get(table)
        if known is None:
            rows = self.cursor.execute(
                "select column_name from information_schema.columns "
                "where table_catalog = current_database() and table_schema = 'marts' and table_name = ?",
                [table]).fetchall()
            known = self.generation.columns[table] = frozenset(r[0] for r in rows)
        return column in known


class SnapshotReader:
    """Hands out cursors on the newest published snapshot; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._returned = threading.Condition(self._lock)  # signalled when a lease comes back
        self._current: _Generation | None = None

    @staticmethod
    def snapshot() -> warehouse.Snapshot:
        """The newest published snapshot's identity (cheap: a stat)."""
        snapshot = warehouse.current_snapshot()
        if snapshot is None:
            raise NoSnapshotError("no warehouse has been published yet: run `make demo` (or a mart build) first")
        return snapshot

    def _open(self, version: str) -> _Generation:
        stack = ExitStack()
        try:
            connection = stack.enter_context(warehouse.read_snapshot())
        except FileNotFoundError as error:
            stack.close()
            raise NoSnapshotError(str(error)) from error
        catalog = connection.execute("select current_database()").fetchone()[0]
        # A page asks limit + 1 rows (51, 101), past DuckDB's default of 50 rows for late
        # materialization: its top-N would read every column of every row (13 ms for the first
        # page of dim_artists at 160 k artists) instead of the sort key first (4 ms). GLOBAL: the
        # request cursors are sessions of their own.
        connection.execute(f"SET GLOBAL late_materialization_max_rows = {LATE_MATERIALIZATION_ROWS}")
        return _Generation(version=version, stack=stack, connection=connection, catalog=catalog)

    def _generation(self) -> _Generation:
        version = self.snapshot().version
        with self._lock:
            while True:
                current = self._current
                if current is not None and current.version == version:
                    current.lent += 1
                    return current
                if current is None or current.lent == 0:
                    break
                self._returned.wait()  # until the queries on the old snapshot are done
            if current is not None:
                current.close()
                self._current = None
            # The label is read before the file is opened, so a publish in between makes the
            # data newer than its label, never older: an answer is never cached as fresher than it is.
            fresh = self._open(version)
            fresh.lent += 1
            self._current = fresh
            return fresh

    def _cursor(self, generation: _Generation) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if generation.idle:
                return generation.idle.pop()
        cursor = generation.connection.cursor()
        cursor.execute(f'USE "{generation.catalog}"')
        return cursor

    def _give_back(self, generation: _Generation, cursor: duckdb.DuckDBPyConnection) -> None:
        with self._lock:
            generation.lent -= 1
            generation.idle.append(cursor)
            self._returned.notify_all()

    @contextmanager
    def lease(self) -> Iterator[Lease]:
        """A cursor on the newest snapshot for the duration of one request's queries."""
        generation = self._generation()
        try:
            cursor = self._cursor(generation)
        except BaseException:
            with self._lock:
                generation.lent -= 1
                self._returned.notify_all()
            raise
        try:
            yield Lease(version=generation.version, cursor=cursor, generation=generation)
        finally:
            self._give_back(generation, cursor)

    def close(self) -> None:
        """Close the open snapshot once its borrowers are done (at shutdown)."""
        with self._lock:
            while self._current is not None and self._current.lent > 0:
                self._returned.wait()
            if self._current is not None:
                self._current.close()
                self._current = None
