"""SQLite persistence: the only code that speaks SQL.

A network is the engine's `state.to_dict` document split three ways, so a save writes only what
changed: `data` (the points, written once when the network is made), `state` (weights, optimiser
state, counters: rewritten on every save) and one `history` row per metric entry (only new entries
are inserted, entries the engine thinned out are deleted). Each save is one transaction. WAL journal
with `synchronous=NORMAL`: a committed save survives the process being killed (even `kill -9`); only
a power cut may lose the last moments. `accessed` drives idle expiry and the least-recently-used cap.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS networks (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    state TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    accessed REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS networks_accessed ON networks (accessed);
CREATE TABLE IF NOT EXISTS history (
    network_id TEXT NOT NULL,
    step INTEGER NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (network_id, step)
) WITHOUT ROWID;
"""


@dataclass
class HistoryChange:
    """What to write of a history: everything (`replace`), or new entries and dropped steps."""

    replace: bool
    upserts: list[tuple[int, bytes]] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)


class Store:
    """Thread-safe: one connection guarded by a lock (SQLite serialises writers anyway)."""

    def __init__(self, path: str):
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def save(self, network_id: str, doc: dict, history: HistoryChange, include_data: bool) -> None:
        """Write `doc` (a `state.to_dict` document; its "history" is ignored in favour of `history`).
        The data column is written only with `include_data` (a new network)."""
        now = time.time()
        state_json = json.dumps({k: v for k, v in doc.items() if k not in ("data", "history")},
                                separators=(",", ":"))
        with self._lock:
            db = self._db
            db.execute("BEGIN")
            try:
                if include_data:
                    db.execute("INSERT OR REPLACE INTO networks (id, data, state, created, updated, accessed) "
                               "VALUES (?, ?, ?, ?, ?, ?)",
                               (network_id, json.dumps(doc["data"], separators=(",", ":")), state_json, now, now, now))
                elif db.execute("UPDATE networks SET state = ?, updated = ?, accessed = ? WHERE id = ?",
                                (state_json, now, now, network_id)).rowcount == 0:
                    db.execute("ROLLBACK")  # deleted meanwhile: stay deleted
                    return
                if history.replace:
                    db.execute("DELETE FROM history WHERE network_id = ?", (network_id,))
                elif history.deletes:
                    db.executemany("DELETE FROM history WHERE network_id = ? AND step = ?",
                                   [(network_id, step) for step in history.deletes])
                db.executemany("INSERT OR REPLACE INTO history (network_id, step, entry) VALUES (?, ?, ?)",
                               [(network_id, step, entry.decode()) for step, entry in history.upserts])
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def load(self, network_id: str) -> dict | None:
        """The saved document, or None when there is no such network; marks it as used."""
        with self._lock:
            row = self._db.execute("SELECT data, state FROM networks WHERE id = ?", (network_id,)).fetchone()
            if row is None:
                return None
            entries = self._db.execute("SELECT entry FROM history WHERE network_id = ? ORDER BY step",
                                       (network_id,)).fetchall()
            self._db.execute("UPDATE networks SET accessed = ? WHERE id = ?", (time.time(), network_id))
        doc = json.loads(row[1])
        doc["data"] = json.loads(row[0])
        doc["history"] = [json.loads(e[0]) for e in entries]
        return doc

    def touch(self, network_id: str) -> None:
        with self._lock:
            self._db.execute("UPDATE networks SET accessed = ? WHERE id = ?", (time.time(), network_id))

    def _delete_ids(self, ids: list[str]) -> None:
        self._db.executemany("DELETE FROM history WHERE network_id = ?", [(i,) for i in ids])
        self._db.executemany("DELETE FROM networks WHERE id = ?", [(i,) for i in ids])

    def delete(self, network_id: str) -> bool:
        with self._lock:
            found = self._db.execute("SELECT 1 FROM networks WHERE id = ?", (network_id,)).fetchone() is not None
            self._delete_ids([network_id])
            return found

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM networks").fetchone()[0]

    def expire_idle(self, max_idle_seconds: float) -> list[str]:
        """Delete networks unused for longer than `max_idle_seconds`; returns their ids."""
        cutoff = time.time() - max_idle_seconds
        with self._lock:
            ids = [r[0] for r in self._db.execute("SELECT id FROM networks WHERE accessed < ?", (cutoff,))]
            self._delete_ids(ids)
        return ids

    def evict_over(self, max_count: int, keep: str | None = None) -> list[str]:
        """Delete the least recently used networks beyond `max_count` (never `keep`); returns their ids."""
        with self._lock:
            excess = self._db.execute("SELECT COUNT(*) FROM networks").fetchone()[0] - max_count
            if excess <= 0:
                return []
            ids = [r[0] for r in self._db.execute(
                "SELECT id FROM networks WHERE id != ? ORDER BY accessed ASC LIMIT ?", (keep or "", excess))]
            self._delete_ids(ids)
        return ids
