"""SQLite persistence: the only code that speaks SQL.

One row per network: the engine's `state.to_dict` document split in two columns, `data` (the points,
written once when the network is made) and `state` (everything else, rewritten on every save), so a
save costs the weights and history, not 5,000 points. WAL journal with `synchronous=NORMAL`: a
committed save survives the process being killed (even `kill -9`); only a power cut may lose the
last moments. `accessed` drives idle expiry and the least-recently-used cap.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
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
"""


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

    def save(self, network_id: str, doc: dict, include_data: bool, history_json: bytes | None = None) -> None:
        """Write `doc` (a `state.to_dict` document). The data column is written only with `include_data`
        (a new network); later saves keep the stored points. `history_json`, when given, is the
        document's history already encoded (see `app.jsonify.HistoryEncoder`)."""
        now = time.time()
        rest = {k: v for k, v in doc.items() if k != "data" and (history_json is None or k != "history")}
        state_json = json.dumps(rest, separators=(",", ":"))  # history may hold inf once training diverges
        if history_json is not None:
            state_json = state_json[:-1] + ',"history":' + history_json.decode() + "}"
        with self._lock:
            if include_data:
                data_json = json.dumps(doc["data"], separators=(",", ":"), allow_nan=False)
                self._db.execute(
                    "INSERT OR REPLACE INTO networks (id, data, state, created, updated, accessed) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (network_id, data_json, state_json, now, now, now))
            else:
                self._db.execute("UPDATE networks SET state = ?, updated = ?, accessed = ? WHERE id = ?",
                                 (state_json, now, now, network_id))

    def load(self, network_id: str) -> dict | None:
        """The saved document, or None when there is no such network; marks it as used."""
        with self._lock:
            row = self._db.execute("SELECT data, state FROM networks WHERE id = ?", (network_id,)).fetchone()
            if row is None:
                return None
            self._db.execute("UPDATE networks SET accessed = ? WHERE id = ?", (time.time(), network_id))
        doc = json.loads(row[1])
        doc["data"] = json.loads(row[0])
        return doc

    def exists(self, network_id: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM networks WHERE id = ?", (network_id,)).fetchone() is not None

    def touch(self, network_id: str) -> None:
        with self._lock:
            self._db.execute("UPDATE networks SET accessed = ? WHERE id = ?", (time.time(), network_id))

    def delete(self, network_id: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM networks WHERE id = ?", (network_id,)).rowcount > 0

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM networks").fetchone()[0]

    def expire_idle(self, max_idle_seconds: float) -> list[str]:
        """Delete networks unused for longer than `max_idle_seconds`; returns their ids."""
        cutoff = time.time() - max_idle_seconds
        with self._lock:
            ids = [r[0] for r in self._db.execute("SELECT id FROM networks WHERE accessed < ?", (cutoff,))]
            self._db.execute("DELETE FROM networks WHERE accessed < ?", (cutoff,))
        return ids

    def evict_over(self, max_count: int, keep: str | None = None) -> list[str]:
        """Delete the least recently used networks beyond `max_count` (never `keep`); returns their ids."""
        with self._lock:
            excess = self._db.execute("SELECT COUNT(*) FROM networks").fetchone()[0] - max_count
            if excess <= 0:
                return []
            ids = [r[0] for r in self._db.execute(
                "SELECT id FROM networks WHERE id != ? ORDER BY accessed ASC LIMIT ?", (keep or "", excess))]
            self._db.executemany("DELETE FROM networks WHERE id = ?", [(i,) for i in ids])
        return ids
