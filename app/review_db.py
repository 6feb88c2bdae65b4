"""The review database's file: its schema, and connections that share one SQLite file safely.

Two browser tabs or two processes may write at once: the database runs in WAL mode, every
connection waits on a lock for a while (busy timeout) instead of failing, and every write is
one short ``BEGIN IMMEDIATE`` transaction on a connection of its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import StoreError

BUSY_TIMEOUT_S = 10.0
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS brands (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    profile TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pipeline (
    brand TEXT NOT NULL,
    creator_id TEXT NOT NULL,
    handle TEXT NOT NULL,
    platform TEXT NOT NULL,
    stage TEXT NOT NULL,
    reject_reason TEXT,
    snapshot TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (brand, creator_id)
);
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    brand TEXT NOT NULL,
    creator_id TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    brand TEXT NOT NULL,
    creator_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    post_id TEXT,
    grounding TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_by_creator ON notes (brand, creator_id);
CREATE INDEX IF NOT EXISTS drafts_by_creator ON drafts (brand, creator_id);
"""


class SqliteFile:
    """The review database file, created with its schema on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                # WAL lets readers and one writer work at once (two tabs, app + CLI).
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"Cannot open the review database {path}: {exc}. Check that the data home "
                "(NICHEMATCH_HOME) is writable."
            ) from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction; the write lock is taken up front (no upgrade deadlock)."""
        with self._connect() as conn:
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise StoreError(
                    f"The review database {self.path} is busy or unusable ({exc}); try again."
                ) from exc
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
