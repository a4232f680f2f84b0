"""SQL for what a classroom shares: owner key hashes, frozen snapshots and class join codes.

The rows live in the networks' SQLite file, beside `app.store`'s tables, through a connection of
their own (WAL lets both write; each waits for the other's short transactions). Triggers tie key and
class rows to their network, so however a network goes (delete, idle expiry, the count cap) its key
and class go with it; snapshots are copies and outlive their original. Only hashes of keys are kept:
the key itself is shown once, to whoever created the network, and never stored.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time

SCHEMA = """
CREATE TABLE IF NOT EXISTS owner_keys (
    network_id TEXT PRIMARY KEY,
    key_hash BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
    code TEXT PRIMARY KEY,
    network_id TEXT NOT NULL,
    doc TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS classes (
    code TEXT PRIMARY KEY,
    network_id TEXT NOT NULL UNIQUE,
    created REAL NOT NULL
);
CREATE TRIGGER IF NOT EXISTS network_gone_takes_key_and_class AFTER DELETE ON networks BEGIN
    DELETE FROM owner_keys WHERE network_id = OLD.id;
    DELETE FROM classes WHERE network_id = OLD.id;
END;
"""


class ShareStore:
    """Thread-safe: one connection guarded by a lock. Open it after `app.store.Store` (the trigger
    refers to the networks table)."""

    def __init__(self, path: str):
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _one(self, sql: str, params: tuple):
        with self._lock:
            return self._db.execute(sql, params).fetchone()

    def _run(self, sql: str, params: tuple) -> int:
        with self._lock:
            return self._db.execute(sql, params).rowcount

    # ---- owner keys -------------------------------------------------------------------------------
    def put_key_hash(self, network_id: str, key_hash: bytes) -> None:
        self._run("INSERT OR REPLACE INTO owner_keys (network_id, key_hash) VALUES (?, ?)", (network_id, key_hash))

    def key_hash(self, network_id: str) -> bytes | None:
        row = self._one("SELECT key_hash FROM owner_keys WHERE network_id = ?", (network_id,))
        return None if row is None else bytes(row[0])

    def network_exists(self, network_id: str) -> bool:
        return self._one("SELECT 1 FROM networks WHERE id = ?", (network_id,)) is not None

    # ---- snapshots --------------------------------------------------------------------------------
    def put_snapshot(self, code: str, network_id: str, doc: dict) -> bool:
        """Keep `doc` under `code`; False if the code is taken (draw another)."""
        try:
            self._run("INSERT INTO snapshots (code, network_id, doc, created) VALUES (?, ?, ?, ?)",
                      (code, network_id, json.dumps(doc, separators=(",", ":")), time.time()))
        except sqlite3.IntegrityError:
            return False
        return True

    def snapshot(self, code: str) -> tuple[str, dict, float] | None:
        """(network id it was taken from, its document, when) or None."""
        row = self._one("SELECT network_id, doc, created FROM snapshots WHERE code = ?", (code,))
        return None if row is None else (row[0], json.loads(row[1]), row[2])

    # ---- classes ----------------------------------------------------------------------------------
    def class_code(self, network_id: str) -> str | None:
        row = self._one("SELECT code FROM classes WHERE network_id = ?", (network_id,))
        return None if row is None else row[0]

    def class_network(self, code: str) -> str | None:
        row = self._one("SELECT network_id FROM classes WHERE code = ?", (code,))
        return None if row is None else row[0]

    def put_class(self, code: str, network_id: str) -> bool:
        """Open a class under `code`; False if the code is taken (draw another)."""
        try:
            self._run("INSERT INTO classes (code, network_id, created) VALUES (?, ?, ?)", (code, network_id, time.time()))
        except sqlite3.IntegrityError:
            return False
        return True

    def move_class(self, network_id: str, to_network_id: str) -> bool:
        """The class of `network_id` follows `to_network_id`, same code; False if that one has a class."""
        try:
            return self._run("UPDATE classes SET network_id = ? WHERE network_id = ?", (to_network_id, network_id)) > 0
        except sqlite3.IntegrityError:
            return False

    def end_class(self, network_id: str) -> bool:
        return self._run("DELETE FROM classes WHERE network_id = ?", (network_id,)) > 0
