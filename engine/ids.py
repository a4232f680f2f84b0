"""The grammar of every id and code, stated once: `IDS`, which `GET /api/options` serves as `ids`.

The engine's own ids (neurons `L1N0`, weights `L0N2-L1N0`, biases `L1N0-bias`) come from
`engine.network`. Network ids, share codes and class codes also name the shard that owns them, so a
proxy can send each request to the one server process that holds the network (docs/scaling.md):
an id or code is a shard tag then a random part of fixed length, so the tag is whatever comes before
the last RANDOM_CHARS[kind] characters. The tag is the shard number written in CODE_ALPHABET's digits
(A = 0, C = 1, …, 9 = 21) without leading zeros, so shard 0's tag is empty: every id and code made
before shards existed belongs to shard 0, and a single server makes the ids it always made. Network
ids keep 128 random bits (22 URL-safe characters) and are case-sensitive; codes are read aloud and
typed, so they use CODE_ALPHABET only and are matched in capitals (any case is accepted).

Left out: owner keys (secrets, never routed: `app.keys`) and how many shards there are (a server knows
only its own number; the proxy's configuration knows the rest).
"""
from __future__ import annotations

import re
import secrets

from engine.errors import EngineError
from engine.network import ID_PATTERNS

CODE_ALPHABET = "ACDEFGHJKMNPRTWXY34679"  # no look-alikes: no 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V
RANDOM_CHARS = {"network": 22, "snapshot": 15, "class": 6}  # 22 URL-safe characters: 128 bits
TAG_CHARS = 2
MAX_SHARDS = len(CODE_ALPHABET) ** TAG_CHARS  # 484
_TAG = f"([{CODE_ALPHABET}]{{0,{TAG_CHARS}}})"
SHARD_PATTERNS = {"network": _TAG + "([A-Za-z0-9_-]{22})",
                  "snapshot": _TAG + f"([{CODE_ALPHABET}]{{15}})",
                  "class": _TAG + f"([{CODE_ALPHABET}]{{6}})"}
IDS = {**ID_PATTERNS, **SHARD_PATTERNS}  # unanchored, valid in Python and JavaScript alike
_MATCH = {kind: re.compile(rf"\A{pattern}\Z") for kind, pattern in SHARD_PATTERNS.items()}


def shard_tag(shard: int) -> str:
    """0 → '', 1 → 'C', 21 → '9', 22 → 'CA'."""
    if not 0 <= shard < MAX_SHARDS:
        raise EngineError(f"shard must be a whole number between 0 and {MAX_SHARDS - 1}, got {shard}")
    base, tag = len(CODE_ALPHABET), ""
    while shard:
        shard, digit = divmod(shard, base)
        tag = CODE_ALPHABET[digit] + tag
    return tag


def new_id(kind: str, shard: int = 0) -> str:
    """A fresh network id, share code or class code owned by `shard`."""
    if kind == "network":
        return shard_tag(shard) + secrets.token_urlsafe(16)  # 16 bytes: 22 characters
    return shard_tag(shard) + "".join(secrets.choice(CODE_ALPHABET) for _ in range(RANDOM_CHARS[kind]))


def canonical(kind: str, text: str) -> str | None:
    """The id or code as stored (codes in capitals), or None if `text` cannot be one of `kind`
    (a tag with a leading zero digit is no spelling of any shard)."""
    text = text.strip() if kind == "network" else text.strip().upper()
    m = _MATCH[kind].match(text)
    return text if m and not m[1].startswith(CODE_ALPHABET[0]) else None


def shard_of(kind: str, text: str) -> int | None:
    """The shard that owns an id or code of `kind`, or None if `text` is none."""
    text = canonical(kind, text)
    if text is None:
        return None
    shard = 0
    for c in text[:len(text) - RANDOM_CHARS[kind]]:
        shard = shard * len(CODE_ALPHABET) + CODE_ALPHABET.index(c)
    return shard
