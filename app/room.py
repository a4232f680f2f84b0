"""The registry's memory budget: networks leave memory, least recently used first, so the process
stays within `memory_budget`; what cannot be made room for is refused with 503 and `Retry-After`.

Every way a network comes into memory is covered: a create (`make_room` first), a load from the
store on first use (`make_room` before it, and after it `remember` drops the loaded copy again
when it still does not fit), and a change that grew one (`fit_memory` after it). Room is made by
saving and evicting idle networks (app.sessions `Registry._evict`), never one in live play (pinned)
or one a request is working on (locked). When the process is still past its budget with networks
left in memory that cannot leave now, the request is refused; with none left, the budget is the
process's own baseline and the request goes on (refusing it would refuse every request).
`Room` is mixed into `Registry`, whose `_sessions`, `_lock`, `settings` and `_evict` it uses.
"""
from __future__ import annotations

from app import memory
from app.budgets import footprint, over_budget
from app.errors import ApiError

RETRY_AFTER = 5  # seconds: an idle network's lock is free by then, a step's budget is 5 s


class Room:
    def fit_memory(self, keep=None) -> bool:
        """After a change grew `keep`: past `memory_budget`, others leave memory (one /proc read else)."""
        with self._lock:
            victims = [s for s in self._sessions.values() if s.pins == 0 and s is not keep]
        return memory.fit(self.settings.memory_budget, victims, self._evict)

    def make_room(self, what: str) -> None:
        """Before a network comes into memory (`what`: "a new network", "network …"): past
        `memory_budget`, idle networks leave memory; 503 if the ones left cannot."""
        if not self.fit_memory():
            self._refuse(what)

    def remember(self, session, loaded: bool = False) -> None:
        """Keep `session` in memory, sending the least recently used out past `max_networks_in_memory`
        or `memory_budget` (by footprints, then by the process's real size). A `loaded` one (a copy
        of what the store holds) that still does not fit is dropped again and refused."""
        session.bytes = footprint(session.exp)
        with self._lock:
            self._sessions[session.id] = session
            self._sessions.move_to_end(session.id)
            excess = len(self._sessions) - self.settings.max_networks_in_memory
            victims = [s for s in self._sessions.values() if s.pins == 0 and s is not session]
            first = max(excess, over_budget(victims, self._sessions.values(), self.settings.memory_budget))
        for victim in victims[:first]:
            self._evict(victim)
        if memory.fit(self.settings.memory_budget, victims[first:], self._evict) or not loaded:
            return
        with self._lock:
            others = len(self._sessions) > 1
            if others:
                self._sessions.pop(session.id, None)
                session.evicted = True
        if others:
            memory.give_back()
            self._refuse(f"network {session.id}")

    def _refuse(self, what: str) -> None:
        with self._lock:
            held = list(self._sessions.values())
        if not held:
            return
        playing = sum(1 for s in held if s.pins)
        budget = self.settings.memory_budget // 2**20
        raise ApiError(503, f"the server is at its memory budget of {budget} MB (memory_budget) and none of the "
                            f"{len(held)} networks it holds can leave memory now ({playing} in live play, the "
                            f"others busy or not yet saved), so {what} cannot come into memory; try again in "
                            f"{RETRY_AFTER} s", headers={"Retry-After": str(RETRY_AFTER)})
