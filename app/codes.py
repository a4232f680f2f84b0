"""Short codes people read aloud or type: class join codes and share-link codes.

One alphabet without look-alikes: no 0/O/Q/D-ish pairs (0, O, Q), no 1/I/L, 2/Z, 5/S, 8/B or U/V, so
a code can be read off a projector and typed on a phone, in any case. Join codes are 6 characters
(22⁶ ≈ 113 million; a class lives only while its network does, so few exist at once, and a taken
code is drawn again); share-link codes are 15 (≈ 67 random bits: too many to guess).
Room for shards (issue 15): a code's length is fixed per kind, so a shard prefix can later be added in
front (`<shard><code>`, one character longer) and told apart from today's codes by length alone.
"""
from __future__ import annotations

import secrets

ALPHABET = "ACDEFGHJKMNPRTWXY34679"
JOIN_LENGTH = 6
SHARE_LENGTH = 15


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(text: str, length: int) -> str | None:
    """The code as stored (capitals), or None if `text` cannot be a code of this length."""
    code = text.strip().upper()
    if len(code) != length or any(c not in ALPHABET for c in code):
        return None
    return code
