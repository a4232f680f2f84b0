"""An experiment's metric history: one entry per recorded step, each with a sequence number.

Whoever follows a history (a save, a live frame, an encoder's cache) remembers the newest sequence
number it has seen and asks `since(n)` what changed after it: the entries recorded or replaced, the
steps thinned away, or that it must start over (a new history, or one it has fallen too far behind).
Sequence numbers come from one counter for the whole process, so a history that replaces another
(a reset, a rewind, a restored copy) only ever hands out numbers its followers have not seen.

Entries never change once recorded; a parameter edit replaces the newest entry with a new one.
Past LIMIT entries the history keeps its first entry and every other one after it, so a long run
keeps an evenly thinned curve in bounded memory.

Not here: what an entry holds (experiment.py records the metrics), JSON, storage.
"""
from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field

LIMIT = 2000
_numbers = itertools.count(1)  # next() on a count is atomic in CPython: safe across threads


@dataclass
class Changes:
    """What a follower at sequence number n has not seen: start over with `entries` (`restart`), or
    add `entries` (recorded or replaced; keyed by step) and drop the steps in `dropped`."""

    restart: bool
    entries: list[tuple[int, dict]] = field(default_factory=list)  # (sequence number, entry)
    dropped: list[int] = field(default_factory=list)


class History:
    """A list of entries (dicts with at least "step" and "epoch"), read like a list."""

    def __init__(self, entries=()):
        self.seq = self.start = next(_numbers)  # newest number handed out; followers before `start` restart
        self._entries: list[dict] = []
        self._seqs: list[int] = []             # increasing, one per entry
        self._dropped: list[tuple[int, int]] = []  # (number, step) of the last thinning's losses
        for entry in entries:
            self.append(entry)

    # ---- reading like a list ----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index):
        return self._entries[index]

    def __iter__(self):
        return iter(self._entries)

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, (History, list)) else NotImplemented

    def __repr__(self) -> str:
        return f"History({len(self)} entries, seq {self.seq})"

    def newest(self, count: int | None = None) -> list[tuple[int, dict]]:
        """The newest `count` entries (None: all) as (sequence number, entry), oldest first."""
        start = 0 if count is None else max(len(self._entries) - count, 0)
        return list(zip(self._seqs[start:], self._entries[start:]))

    def since(self, seq: int | None) -> Changes:
        """What changed after sequence number `seq` (None: never seen)."""
        if seq is None or seq < self.start:
            return Changes(True, self.newest())
        first = bisect.bisect_right(self._seqs, seq)
        dropped = self._dropped if self._dropped and self._dropped[0][0] > seq else ()  # one number each
        return Changes(False, list(zip(self._seqs[first:], self._entries[first:])), [step for _, step in dropped])

    # ---- writing ----------------------------------------------------------------------------------
    def append(self, entry: dict) -> None:
        self.seq = next(_numbers)
        self._entries.append(entry)
        self._seqs.append(self.seq)
        if len(self._entries) > LIMIT:
            self._thin()

    def replace_newest(self, entry: dict) -> None:
        """Put `entry` in place of the newest entry (same step, new numbers)."""
        self.seq = next(_numbers)
        self._entries[-1], self._seqs[-1] = entry, self.seq

    def _thin(self) -> None:
        """Keep the first entry and every other one after it. A follower that missed the thinning
        before this one must start over: only this thinning's losses are remembered."""
        if self._dropped:
            self.start = self._dropped[0][0]
        self.seq = next(_numbers)
        self._dropped = [(self.seq, entry["step"]) for entry in self._entries[1::2]]
        self._entries, self._seqs = self._entries[:1] + self._entries[2::2], self._seqs[:1] + self._seqs[2::2]
