"""Short codes people read aloud or type: class join codes and share-link codes.

The grammar is `engine.ids` (stated once, served as `ids` by `/api/options`): one alphabet without
look-alikes, so a code can be read off a projector and typed on a phone, in any case, and a shard tag in
front naming the server process that keeps the code (empty on shard 0, so a single server's codes are as
they always were). Join codes have 6 random characters (22⁶ ≈ 113 million; a class lives only while its
network does, so few exist at once, and a taken code is drawn again); share-link codes 15 (≈ 67 random
bits: too many to guess).
"""
from __future__ import annotations

from engine import ids

ALPHABET = ids.CODE_ALPHABET
JOIN, SHARE = "class", "snapshot"  # the kinds of engine.ids


def new_code(kind: str, shard: int = 0) -> str:
    return ids.new_id(kind, shard)


def normalise(text: str, kind: str) -> str | None:
    """The code as stored (capitals), or None if `text` cannot be a code of this kind."""
    return ids.canonical(kind, text)
