"""The session registry: network id → live Experiment, its lock, and its saving.

Networks are loaded from the store on first use and kept in memory, least recently used first out.
Every engine call on a network happens inside `Session.lock` (a thread lock, since engine work runs
in worker threads), so two requests for one network queue up while requests for different networks
run side by side. A change is saved before the request answers; the live loop saves at least once a
second while playing. A session pinned by a live channel is never evicted from memory, so there is
only ever one copy of a network's weights.

A change whose save fails is undone (app.saving): the network is put back as it was before the
change and the request answers 503, so a retry never applies a step twice. Creating never deletes
anyone's network: past a client's quota or the store's cap it is refused (429, 503) instead.
"""
from __future__ import annotations

import math
import threading
import time
import logging
from collections import OrderedDict

from app.clients import check_quota
from app.errors import invalid, not_found
from app.jsonify import HistoryEncoder
from app.loadonce import get_or_load
from app.room import Room
from app.saving import Saving, timeline_change
from app.savequeue import SaveQueue
from app.settings import Settings
from app.store import HistoryChange, Store, StoreError
from engine import ids, state as engine_state
from engine.experiment import Experiment
from engine.timeline import Timeline

TOUCH_EVERY = 60.0
log = logging.getLogger(__name__)


def looks_like_id(text: str) -> bool:
    return ids.canonical("network", text) == text


class Session:
    def __init__(self, network_id: str, exp: Experiment, timeline: dict | None = None):
        self.id = network_id
        self.exp = exp
        if exp.timeline is None:  # rewinds (routes/timeline.py): the saved timeline, or one from now
            exp.timeline = Timeline.from_dict(exp, timeline["meta"], timeline["blobs"]) if timeline else Timeline(exp)
        self.lock = threading.Lock()
        self.dirty = False
        self.deleted = False
        self.evicted = False  # dropped from memory: whoever still holds it must fetch it again
        self.data_changed = False  # its points were replaced: the next save writes them too
        self.saved_points = exp.dataset  # a rewind across a data change replaces them as well
        self.pins = 0
        self.bytes = 0  # memory its arrays take, as of its last save (app.saving: at most MEASURE_EVERY old)
        self.measured_at = -math.inf
        self.saved_at = time.monotonic()
        self.save_seconds = 0.0  # how long its last save took
        self.iteration_cost: tuple = ((), math.inf)  # its last step's cost an iteration (app.quickstep)
        self.touched_at = time.monotonic()
        self.history_json = HistoryEncoder()
        self.stored_seq: int | None = None  # the history's sequence number at the last save
        self.undo_point = None  # the network as its last save wrote it (app.saving.UndoPoint)

    def history_change(self) -> HistoryChange:
        """The history rows a save must write: what changed since the last save stored it."""
        changes, encode = self.exp.history.since(self.stored_seq), self.history_json.entry
        return HistoryChange(changes.restart, [(e["step"], encode(seq, e)) for seq, e in changes.entries],
                             changes.dropped)

    def history_stored(self) -> None:
        self.stored_seq = self.exp.history.seq


class Registry(Room, Saving):
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()
        self._loading = threading.Lock()
        self._creating = threading.Lock()
        self.saves = SaveQueue(store)  # saves of steps run on the event loop (app.quickstep)

    def __len__(self) -> int:
        return len(self._sessions)

    # ---- lookup ---------------------------------------------------------------------------------
    def get(self, network_id: str) -> Session:
        """The session for `network_id`, loading it from the store if needed; 404 if unknown."""
        if not looks_like_id(network_id):
            raise not_found(network_id)

        def load() -> Session:
            self.make_room(f"network {network_id}")
            doc = self.store.load(network_id)
            if doc is None:
                raise not_found(network_id)
            loaded = Session(network_id, engine_state.from_dict(doc), doc.get("timeline"))
            loaded.history_stored()
            return loaded

        def remember(loaded: Session) -> None:
            self.remember(loaded, loaded=True)

        session, loaded = get_or_load(self._sessions, network_id, self._lock, self._loading, load, remember)
        if not loaded and time.monotonic() - session.touched_at > TOUCH_EVERY:
            session.touched_at = time.monotonic()
            try:
                self.store.touch(network_id)
            except StoreError:
                pass  # best effort: the store remembers its problem for health
        return session

    def resident(self, network_id: str) -> Session | None:
        """The session when it is in memory now (marked most recently used), else None: no
        loading, no disk (app.quickstep asks on the event loop)."""
        with self._lock:
            session = self._sessions.get(network_id)
            if session is not None:
                self._sessions.move_to_end(network_id)
        return session

    def _evict(self, victim: Session) -> bool:
        """Save `victim` if changed and drop it from memory; False if busy, pinned or unsaved."""
        if not victim.lock.acquire(blocking=False):
            return False
        try:
            if victim.dirty:
                try:
                    self._save_locked(victim)
                except StoreError:
                    return False  # unsaved work stays in memory until a save succeeds
            with self._lock:
                if victim.pins != 0:
                    return False
                victim.evicted = True
                self._sessions.pop(victim.id, None)
            return True
        finally:
            victim.lock.release()

    def pin(self, session: Session) -> bool:
        """Keep `session` in memory while a live channel uses it. False if it was evicted meanwhile:
        the caller must fetch the network again (`get`) rather than train a stale copy."""
        with self._lock:
            if session.evicted:
                return False
            session.pins += 1
            return True

    def unpin(self, session: Session) -> None:
        with self._lock:
            session.pins -= 1

    # ---- lifecycle ------------------------------------------------------------------------------
    def create(self, exp: Experiment, creator: str = "") -> Session:
        """Register and save a new network made by `creator` (a client address, see app.clients);
        refused past that client's quota (429) or the store's cap (503), or when memory is full of
        networks in live play (503). Nothing is deleted."""
        self.make_room("a new network")
        session = Session(ids.new_id("network", self.settings.shard), exp)
        with self._creating:
            check_quota(self.store.count(creator) if creator else 0, self.store.count(), self.settings)
            with session.lock:
                timeline = timeline_change(exp)
                self.store.save(session.id, engine_state.to_dict(exp), session.history_change(),
                                include_data=True, creator=creator, timeline=timeline)
                session.history_stored()
                exp.timeline.checkpoints.saved(timeline)
        self.remember(session)
        return session

    def delete(self, network_id: str) -> None:
        session = self.get(network_id)
        with session.lock:
            session.deleted = True
            self.store.delete(network_id)
        self._forget(network_id)

    def _forget(self, network_id: str) -> None:
        with self._lock:
            session = self._sessions.pop(network_id, None)
        if session is not None:
            session.deleted = True

    def expire_idle(self) -> list[str]:
        """Drop networks idle longer than the configured time (not ones in use right now)."""
        try:
            gone = self.store.expire_idle(self.settings.idle_expiry_days * 86400)
        except StoreError as exc:
            log.warning("expiring idle networks failed: %s", exc)
            return []
        for network_id in gone:
            self._forget(network_id)
        return gone

    # ---- saving ---------------------------------------------------------------------------------
    def save(self, session: Session) -> None:
        """Save now; call with `session.lock` held. A StoreError (503) leaves the session dirty."""
        self._save_locked(session)

    def rollback(self, session: Session) -> bool:
        """Put `session` back as the store last saved it (call with its lock held): play whose
        checkpoint failed must not keep steps that were never saved. False if the store cannot be
        read either (the network then stays as it is in memory)."""
        try:
            doc = self.store.load(session.id, mark_used=False)
        except StoreError:
            return False
        if doc is None:
            return False
        stored = Session(session.id, engine_state.from_dict(doc), doc.get("timeline"))
        session.exp, session.history_json = stored.exp, stored.history_json
        session.history_stored()
        session.dirty = session.data_changed = False
        return True

    def save_all(self) -> int:
        """Save every network changed since its last save (shutdown); returns how many."""
        with self._lock:
            sessions = list(self._sessions.values())
        saved = 0
        for session in sessions:
            with session.lock:
                if session.dirty:
                    try:
                        self._save_locked(session)
                    except StoreError as exc:
                        log.error("network %s could not be saved at shutdown: %s", session.id, exc)
                        continue
                    saved += 1
        return saved

    def import_document(self, doc: dict, creator: str = "") -> Session:
        try:
            exp = engine_state.from_dict(doc)
        except (KeyError, TypeError, IndexError, AttributeError):  # what the engine's checks did not name
            raise invalid("not a valid exported network: a field is missing or has the wrong type or shape; "
                          "import exactly what GET /api/networks/{id}/export returned") from None
        return self.create(exp, creator)
