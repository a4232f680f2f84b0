"""SQLite persistence: the only code that speaks SQL (with app.batchsql, for batches of saves).

A network is the engine's `state.to_dict` document split three ways, so a save writes only what
changed: `data` (the points, written once when the network is made), `state` (weights, optimiser
state, counters: rewritten on every save) and one `history` row per metric entry (only new entries
are inserted, entries the engine thinned out are deleted). Each save is one transaction. WAL journal
with `synchronous=NORMAL`: a committed save survives the process being killed (even `kill -9`); only
a power cut may lose the last moments. `accessed` drives idle expiry; `creator` (the client address
that made a network) drives the per-client quota. Nothing is ever deleted to make room.

Every SQLite or file-system failure leaves as a `StoreError` whose message names the file, the cause
and the fix (a full disk, a read-only or damaged file); `problem` keeps the last one until a write
succeeds again, so health can say the store is failing.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from app import batchsql
from app.errors import ApiError

SCHEMA = """
CREATE TABLE IF NOT EXISTS networks (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    state TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    accessed REAL NOT NULL,
    creator TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS networks_accessed ON networks (accessed);
CREATE TABLE IF NOT EXISTS history (
    network_id TEXT NOT NULL,
    step INTEGER NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (network_id, step)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS timelines (network_id TEXT PRIMARY KEY, meta TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
    network_id TEXT NOT NULL,
    id INTEGER NOT NULL,
    blob BLOB NOT NULL,
    PRIMARY KEY (network_id, id)
) WITHOUT ROWID;
"""
MIGRATIONS = ("ALTER TABLE networks ADD COLUMN creator TEXT NOT NULL DEFAULT ''",)
CREATOR_INDEX = "CREATE INDEX IF NOT EXISTS networks_creator ON networks (creator)"


class StoreError(ApiError):
    """The database could not be read or written: 503. `detail` (for clients) names the cause;
    `str()` (for the operator's log and the startup error) also names the file and the fix."""

    def __init__(self, path: str, exc: BaseException):
        super().__init__(503, explain("the server's database", exc) + "; nothing was changed, try again later")
        self.args = (explain(f"the database {path}", exc),)

    def __str__(self) -> str:
        return self.args[0]


def explain(where: str, exc: BaseException) -> str:
    """One sentence for people: which file, what went wrong, what to do."""
    text = str(exc).lower()
    if "full" in text or getattr(exc, "errno", None) == 28:
        return f"the disk holding {where} is full; free some space"
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        return f"{where} is read-only; make it and its folder writable, or serve with --db naming a writable file"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"{where} is damaged ({exc}); restore it from a backup, or serve with --db naming a new file"
    if isinstance(exc, (IsADirectoryError, NotADirectoryError, FileExistsError)) or "unable to open" in text:
        return f"{where} cannot be opened as a file ({exc}); give --db a file path whose folder exists or can be made"
    return f"{where} failed ({exc}); check the file and its disk"


@dataclass
class HistoryChange:
    """What to write of a history: everything (`replace`), or new entries and dropped steps."""

    replace: bool
    upserts: list[tuple[int, bytes]] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)


@dataclass
class Save:
    """One network's save, encoded and ready to write (`Store.write`): encoding happens in the
    caller's thread, so the thread that writes a batch spends its time in SQLite."""

    network_id: str
    state_json: str
    history: HistoryChange
    data_json: str | None = None  # the points, when they are written
    include_data: bool = False    # a new network: its row is inserted
    creator: str = ""
    timeline: dict | None = None

    @classmethod
    def of(cls, network_id: str, doc: dict, history: HistoryChange, include_data: bool, creator: str = "",
           timeline: dict | None = None, new_data: bool = False) -> "Save":
        """`doc` (without its history) encoded. orjson writes the shortest text that reads back as the
        same float, as `json` does, in a twentieth of the time; the engine keeps weights finite (a
        step that overflows is undone), so no NaN meets its `null`."""
        state = orjson.dumps({k: v for k, v in doc.items() if k not in ("data", "history")}).decode()
        data = json.dumps(doc["data"], separators=(",", ":")) if include_data or new_data else None
        return cls(network_id, state, history, data, include_data, creator, timeline)


class Store:
    """Thread-safe: one connection guarded by a lock (SQLite serialises writers anyway)."""

    def __init__(self, path: str):
        """Open (creating if needed) and prove the file is writable; a StoreError says why not."""
        self.path = path
        self.problem: str | None = None
        self._lock = threading.Lock()
        try:
            if path != ":memory:":
                if Path(path).is_dir():
                    raise IsADirectoryError(f"{path} is a folder")
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(networks)")}
            if "creator" not in columns:
                self._db.execute(MIGRATIONS[0])
            self._db.execute(CREATOR_INDEX)
            self._db.execute("BEGIN IMMEDIATE")  # fails now, not at the first save, if read-only
            self._db.execute("ROLLBACK")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(path, exc) from None

    @contextmanager
    def _guard(self):
        """Hold the connection's lock; turn SQLite and file errors into a StoreError, remembered."""
        with self._lock:
            try:
                yield self._db
            except (sqlite3.Error, OSError) as exc:
                if self._db.in_transaction:
                    try:
                        self._db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                error = StoreError(self.path, exc)
                self.problem = error.detail
                raise error from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def save(self, network_id: str, doc: dict, history: HistoryChange, include_data: bool,
             creator: str = "", timeline: dict | None = None, new_data: bool = False) -> None:
        """Write `doc` (a `state.to_dict` document; its "history" is ignored in favour of `history`).
        The data column is written only with `include_data` (a new network, made by `creator`) or
        `new_data` (its points were replaced).
        All or nothing: a StoreError leaves the file as it was."""
        self.write([Save.of(network_id, doc, history, include_data, creator, timeline, new_data)])

    def write(self, saves: list["Save"]) -> None:
        """Every save of `saves` in one transaction (a group commit, app.savequeue): all or nothing.
        A save of a network deleted meanwhile writes nothing: it stays deleted."""
        now = time.time()
        distinct = len({save.network_id for save in saves}) == len(saves)  # else in order, one by one
        plain = [save for save in saves if batchsql.is_plain(save)] if distinct and len(saves) > 1 else []
        bulk = {id(save) for save in plain}
        with self._guard() as db:
            db.execute("BEGIN")
            if plain:
                batchsql.write_plain(db, plain, now)
            for save in saves:
                if id(save) not in bulk:
                    self._write_one(db, save, now)
            db.execute("COMMIT")
            self.problem = None

    def _write_one(self, db, save: "Save", now: float) -> None:
        network_id, history = save.network_id, save.history
        if save.data_json is not None and save.include_data:
            db.execute("INSERT OR REPLACE INTO networks (id, data, state, created, updated, accessed, creator) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (network_id, save.data_json, save.state_json, now, now, now, save.creator))
        elif db.execute("UPDATE networks SET state = ?, updated = ?, accessed = ?, data = COALESCE(?, data) "
                        "WHERE id = ?", (save.state_json, now, now, save.data_json, network_id)).rowcount == 0:
            return  # deleted meanwhile: stay deleted
        if history.replace:
            db.execute("DELETE FROM history WHERE network_id = ?", (network_id,))
        elif history.deletes:
            db.executemany("DELETE FROM history WHERE network_id = ? AND step = ?",
                           [(network_id, step) for step in history.deletes])
        db.executemany("INSERT OR REPLACE INTO history (network_id, step, entry) VALUES (?, ?, ?)",
                       [(network_id, step, entry.decode()) for step, entry in history.upserts])
        if save.timeline is not None:
            self._write_timeline(db, network_id, save.timeline)

    @staticmethod
    def _write_timeline(db, network_id: str, timeline: dict) -> None:
        """The rewind timeline (engine/timeline.py): its meta document, and only the checkpoints
        added or removed since the last save (all of them after a `reset`)."""
        db.execute("INSERT OR REPLACE INTO timelines (network_id, meta) VALUES (?, ?)",
                   (network_id, batchsql.timeline_json(timeline["meta"])))
        if timeline["reset"]:
            db.execute("DELETE FROM checkpoints WHERE network_id = ?", (network_id,))
        db.executemany("DELETE FROM checkpoints WHERE network_id = ? AND id = ?",
                       [(network_id, i) for i in timeline["removed"]])
        db.executemany("INSERT OR REPLACE INTO checkpoints (network_id, id, blob) VALUES (?, ?, ?)",
                       [(network_id, i, blob) for i, blob in timeline["added"].items()])

    def load(self, network_id: str, mark_used: bool = True) -> dict | None:
        """The saved document, or None when there is no such network; marks it as used (unless not
        `mark_used`: reading back after a failed write, which would fail again)."""
        with self._guard() as db:
            row = db.execute("SELECT data, state FROM networks WHERE id = ?", (network_id,)).fetchone()
            if row is None:
                return None
            entries = db.execute("SELECT entry FROM history WHERE network_id = ? ORDER BY step",
                                 (network_id,)).fetchall()
            meta = db.execute("SELECT meta FROM timelines WHERE network_id = ?", (network_id,)).fetchone()
            blobs = dict(db.execute("SELECT id, blob FROM checkpoints WHERE network_id = ?", (network_id,)))
            if mark_used:
                db.execute("UPDATE networks SET accessed = ? WHERE id = ?", (time.time(), network_id))
        try:
            doc = json.loads(row[1])
            doc["data"] = json.loads(row[0])
            doc["history"] = [json.loads(e[0]) for e in entries]
            doc["timeline"] = {"meta": json.loads(meta[0]), "blobs": blobs} if meta else None
        except ValueError as exc:
            raise StoreError(self.path, sqlite3.DatabaseError(f"network {network_id} is malformed: {exc}")) from None
        return doc

    def touch(self, network_id: str) -> None:
        with self._guard() as db:
            db.execute("UPDATE networks SET accessed = ? WHERE id = ?", (time.time(), network_id))

    def _delete_ids(self, ids: list[str]) -> None:
        for table in ("timelines", "checkpoints"):
            self._db.executemany(f"DELETE FROM {table} WHERE network_id = ?", [(i,) for i in ids])
        self._db.executemany("DELETE FROM history WHERE network_id = ?", [(i,) for i in ids])
        self._db.executemany("DELETE FROM networks WHERE id = ?", [(i,) for i in ids])

    def delete(self, network_id: str) -> bool:
        with self._guard() as db:
            found = db.execute("SELECT 1 FROM networks WHERE id = ?", (network_id,)).fetchone() is not None
            db.execute("BEGIN")
            self._delete_ids([network_id])
            db.execute("COMMIT")
            return found

    def count(self, creator: str | None = None) -> int:
        """Networks kept, all or those `creator` made."""
        with self._guard() as db:
            if creator is None:
                return db.execute("SELECT COUNT(*) FROM networks").fetchone()[0]
            return db.execute("SELECT COUNT(*) FROM networks WHERE creator = ?", (creator,)).fetchone()[0]

    def expire_idle(self, max_idle_seconds: float) -> list[str]:
        """Delete networks unused for longer than `max_idle_seconds`; returns their ids."""
        cutoff = time.time() - max_idle_seconds
        with self._guard() as db:
            ids = [r[0] for r in db.execute("SELECT id FROM networks WHERE accessed < ?", (cutoff,))]
            db.execute("BEGIN")
            self._delete_ids(ids)
            db.execute("COMMIT")
        return ids
