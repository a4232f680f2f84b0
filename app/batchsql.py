"""A batch of plain saves written in three SQL statements instead of three a save (app.store).

The save writer (app.savequeue) commits the saves of many networks at once. Written one statement
at a time, each save costs its thread a few round trips through the GIL: SQLite runs with the GIL
released, and the thread wants it back after every statement, while the event loop, which holds it
most of the time, lets it go inside every NumPy call of a step. Fifty clients stepping at once made
that contention cost the event loop about a fifth of its time (bench/server.py, target 4). Here the
whole batch goes to SQLite as three JSON arrays, one statement a table, unpacked by `json_each`:
the thread takes the GIL back three times a batch, not three times a save.

A save is plain when it only rewrites the state, adds history entries and rewrites the timeline's
document: anything else (a new network, new points, entries thinned or replaced, rewind checkpoints
added or removed) is written by `Store` one save at a time, as before. A network deleted meanwhile
keeps nothing: its row is gone, so no statement here matches it.
"""
from __future__ import annotations

import json

import orjson

UPDATE_STATES = """
UPDATE networks SET state = s.value ->> 1, updated = :now, accessed = :now
FROM json_each(:rows) AS s WHERE networks.id = s.value ->> 0"""
INSERT_HISTORY = """
INSERT OR REPLACE INTO history (network_id, step, entry)
SELECT h.value ->> 0, h.value ->> 1, h.value ->> 2 FROM json_each(:rows) AS h
WHERE EXISTS (SELECT 1 FROM networks WHERE networks.id = h.value ->> 0)"""
INSERT_TIMELINES = """
INSERT OR REPLACE INTO timelines (network_id, meta)
SELECT t.value ->> 0, t.value ->> 1 FROM json_each(:rows) AS t
WHERE EXISTS (SELECT 1 FROM networks WHERE networks.id = t.value ->> 0)"""


def is_plain(save) -> bool:
    """Whether `save` (an app.store.Save) is one this module writes."""
    history, timeline = save.history, save.timeline
    return (save.data_json is None and not save.include_data and not history.replace and not history.deletes
            and (timeline is None or not (timeline["reset"] or timeline["removed"] or timeline["added"])))


def write_plain(db, saves: list, now: float) -> None:
    """Write `saves` (plain, of different networks) inside the caller's transaction."""
    db.execute(UPDATE_STATES, {"now": now, "rows": orjson.dumps([(s.network_id, s.state_json) for s in saves])})
    entries = [(s.network_id, step, entry.decode()) for s in saves for step, entry in s.history.upserts]
    if entries:
        db.execute(INSERT_HISTORY, {"rows": orjson.dumps(entries)})
    metas = [(s.network_id, timeline_json(s.timeline["meta"])) for s in saves if s.timeline is not None]
    if metas:
        db.execute(INSERT_TIMELINES, {"rows": orjson.dumps(metas)})


def timeline_json(meta: dict) -> str:
    """The timeline's document as the timelines table holds it. It changes with every step (where
    the timeline ends), so it is encoded by orjson; a change it records may hold a NumPy number,
    which orjson refuses and the standard library's encoder takes."""
    try:
        return orjson.dumps(meta).decode()
    except TypeError:
        return json.dumps(meta, separators=(",", ":"))
