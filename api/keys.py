"""API keys: random, shown once, stored only as a salted hash in the API's own SQLite file.

A key reads ``urk_<key_id>_<secret>``: ``key_id`` (public, 8 random bytes) finds the
row, ``secret`` (32 random bytes, 256 bits) is checked against ``sha256(salt || secret)``.
Why a plain salted SHA-256 and not a slow password hash: the secret is random and
256 bits long, so there is nothing to brute-force, and every request verifies one.
The store lives beside the warehouse (:func:`default_path`), never in it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import limits

from urated import settings

DEFAULT_RATE = "600/minute"
MAX_REMEMBERED = 10_000  # verdicts kept in memory; forgotten all at once beyond (e.g. a flood of made-up keys)
KEY_PREFIX = "urk"

SCHEMA = """
create table if not exists api_keys (
    key_id      text primary key,
    name        text not null,
    salt        blob not null,
    secret_hash text not null,
    rate        text not null,
    created_at  text not null,
    revoked_at  text
);
-- A name belongs to one active key; a revoked key's name can be given again.
create unique index if not exists api_keys_active_name on api_keys (name) where revoked_at is null;
"""


class KeyStoreError(ValueError):
    """A key-management request that cannot be honoured (duplicate name, bad rate, unknown name)."""


@dataclass(frozen=True)
class ApiKey:
    """One key as stored: everything but the secret."""

    key_id: str
    name: str
    rate: str
    created_at: str
    revoked_at: str | None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a presented key: the key when valid, else why not."""

    key: ApiKey | None
    problem: str | None  # "missing", "malformed", "unknown" or "revoked"


def validate_rate(rate: str) -> str:
    """A rate in the ``limits`` notation (``600/minute``, ``10/second``); raises on anything else."""
    try:
        limits.parse(rate)
    except ValueError:
        raise KeyStoreError(f"rate {rate!r} is not like '600/minute' (count/second|minute|hour|day)") from None
    return rate


def default_path() -> Path:
    """``URATED_API_KEYS``, else a file of the warehouse's own local state (beside the DuckDB file or the
    lake's SQLite catalog): keys are not data, and the API only ever reads the warehouse."""
    from urated import storage

    if os.environ.get(settings.API_KEYS_VAR, "").strip():
        return Path(os.environ[settings.API_KEYS_VAR].strip()).resolve()
    return storage.target().local_state("api_keys.sqlite")


def _hash(salt: bytes, secret: str) -> str:
    return hashlib.sha256(salt + secret.encode()).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class KeyStore:
    """The SQLite key store. Safe to share between threads: each thread gets its own connection."""

    def __init__(self, path: Path | None = None):
        self.path = path or default_path()
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as con:
            con.executescript(SCHEMA)
        self.path.chmod(0o600)  # hashes only, but nobody else needs to read who has keys
        self._verdicts: dict[bytes, Verdict] = {}
        self._seen_state: tuple[int, bytes] | None = None

    def _connection(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            # Autocommit off + `with con:` = one transaction per change; a short busy timeout
            # lets the CLI and a running API write and read the file at the same time.
            con = sqlite3.connect(self.path, timeout=5)
            con.row_factory = sqlite3.Row
            self._local.con = con
        return con

    def create(self, name: str, rate: str = DEFAULT_RATE) -> tuple[ApiKey, str]:
        """A new key named ``name``; returns it and the full key string (the only time it is shown)."""
        name = name.strip()
        if not name:
            raise KeyStoreError("a key needs a non-empty --name")
        validate_rate(rate)
        key_id, secret, salt = secrets.token_hex(8), secrets.token_urlsafe(32), secrets.token_bytes(16)
        record = ApiKey(key_id=key_id, name=name, rate=rate, created_at=_now(), revoked_at=None)
        try:
            with self._connection() as con:
                con.execute(
                    "insert into api_keys (key_id, name, salt, secret_hash, rate, created_at) values (?, ?, ?, ?, ?, ?)",
                    (key_id, name, salt, _hash(salt, secret), rate, record.created_at),
                )
        except sqlite3.IntegrityError:
            raise KeyStoreError(f"an active key named {name!r} exists already: revoke it first or pick another name") from None
        return record, f"{KEY_PREFIX}_{key_id}_{secret}"

    def list(self) -> list[ApiKey]:
        """Every key, active and revoked, in the order they were created."""
        rows = self._connection().execute(
            "select key_id, name, rate, created_at, revoked_at from api_keys order by rowid").fetchall()
        return [ApiKey(**dict(row)) for row in rows]

    def revoke(self, name: str) -> ApiKey:
        """Revoke the active key named ``name``; it is refused from the next request on."""
        with self._connection() as con:
            row = con.execute(
                "select key_id from api_keys where name = ? and revoked_at is null", (name,)).fetchone()
            if row is None:
                raise KeyStoreError(f"no active key named {name!r} (see `python -m api keys list`)")
            con.execute("update api_keys set revoked_at = ? where key_id = ?", (_now(), row["key_id"]))
        return next(k for k in self.list() if k.key_id == row["key_id"])

    def rotate(self, name: str, rate: str = DEFAULT_RATE) -> tuple[ApiKey, str]:
        """Revoke the active key named ``name`` (if any) and create a fresh one.

        How the demo prints a working key every run: a stored key cannot be shown
        again, since only its hash is kept.
        """
        if any(k.name == name and not k.is_revoked for k in self.list()):
            self.revoke(name)
        return self.create(name, rate)

    def verify(self, presented: str | None) -> Verdict:
        """Check a key as a client sent it. Constant-time on the secret; never raises.

        Verdicts are remembered until the store changes (a create or revoke from the CLI
        commits a transaction), so a revoked key is refused from the next request on while
        a busy server does not query SQLite for every request.
        """
        if not presented:
            return Verdict(None, "missing")
        state = self._change_counter()
        if state != self._seen_state or len(self._verdicts) > MAX_REMEMBERED:
            self._verdicts, self._seen_state = {}, state
        digest = hashlib.sha256(presented.encode()).digest()  # the key itself is not kept in memory
        verdict = self._verdicts.get(digest)
        if verdict is None:
            verdict = self._verdicts[digest] = self._lookup(presented)
        return verdict

    def _change_counter(self) -> tuple[int, bytes] | None:
        """The file and SQLite's change counter (header bytes 24-27), bumped by every committed write.

        Why not the file's mtime: it can stay the same across two writes a few milliseconds apart.
        """
        try:
            with open(self.path, "rb") as handle:
                handle.seek(24)
                return os.fstat(handle.fileno()).st_ino, handle.read(4)
        except FileNotFoundError:
            return None

    def _lookup(self, presented: str) -> Verdict:
        parts = presented.strip().split("_", 2)  # the secret may itself contain "_"
        if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
            return Verdict(None, "malformed")
        _, key_id, secret = parts
        row = self._connection().execute(
            "select key_id, name, salt, secret_hash, rate, created_at, revoked_at from api_keys where key_id = ?",
            (key_id,)).fetchone()
        if row is None or not hmac.compare_digest(row["secret_hash"], _hash(row["salt"], secret)):
            return Verdict(None, "unknown")
        key = ApiKey(key_id=row["key_id"], name=row["name"], rate=row["rate"],
                     created_at=row["created_at"], revoked_at=row["revoked_at"])
        return Verdict(None, "revoked") if key.is_revoked else Verdict(key, None)
