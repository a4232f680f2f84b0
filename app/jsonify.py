"""NumPy values to JSON: arrays as nested lists, NaN and infinity as null, encoded by orjson.

The engine returns arrays and NumPy scalars; JSON has neither, and has no NaN. Everything the API
sends passes through `to_json` or `dumps`, so a diverging value shows up as null instead of breaking
the browser's JSON parser. orjson encodes NumPy arrays itself and writes NaN and infinity as null,
about ten times faster than the standard library; the only thing it refuses that JSON allows is an
integer beyond 64 bits, which takes the standard library's path (`_slow`).
"""
from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import orjson

from engine.history import History

OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
PIECE = 16_384  # numbers: an array larger than this is encoded a row at a time by `dumps_in_pieces`


def _finite_list(a: np.ndarray) -> list:
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        return np.where(np.isfinite(a), a, None).tolist()  # object array: None where not finite
    return a.tolist()


def to_json(value: Any) -> Any:
    """Recursively convert `value` to plain JSON-safe Python."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return _finite_list(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    return value


def _numpy_default(value: Any) -> Any:
    """What orjson leaves to us: arrays it does not take as they are (not C-contiguous, object or
    other dtypes) and NumPy scalars of other kinds."""
    if isinstance(value, np.ndarray):
        return to_json(value)
    if isinstance(value, np.generic):
        return to_json(value.item())
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _slow(value: Any) -> bytes:
    return json.dumps(to_json(value), separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON."""
    try:
        return orjson.dumps(value, default=_numpy_default, option=OPTIONS)
    except orjson.JSONEncodeError as exc:  # a TypeError, as the standard library raises
        if "64-bit" not in str(exc):
            raise
        return _slow(value)


def _is_container(value: Any) -> bool:
    return isinstance(value, (dict, list, tuple)) or (isinstance(value, np.ndarray) and value.ndim >= 2)


def _pieces(value: Any, out: list[bytes]) -> None:
    if isinstance(value, dict):
        out.append(b"{")
        for i, (key, item) in enumerate(value.items()):
            out.append((b"," if i else b"") + dumps(str(key)) + b":")
            _pieces(item, out)
        out.append(b"}")
    elif ((isinstance(value, np.ndarray) and value.ndim >= 2 and value.size > PIECE)
          or (isinstance(value, (list, tuple)) and any(_is_container(item) for item in value[:1]))):
        out.append(b"[")  # a big matrix or a list of containers: one piece per row
        for i, item in enumerate(value):
            if i:
                out.append(b",")
            _pieces(item, out)
        out.append(b"]")
    else:
        out.append(dumps(value))


def dumps_in_pieces(value: Any) -> bytes:
    """`dumps` for big values (a float grid, a prediction, a trace), a part at a time.

    An encoder holds the GIL for the whole document, so 40 MB of floats encoded in a worker thread
    would freeze the event loop. Encoding each list of numbers separately lets the interpreter
    switch threads between them: other requests keep being answered while this one is encoded.
    Same output as `dumps`.
    """
    out: list[bytes] = []
    _pieces(value, out)
    return b"".join(out)


class HistoryEncoder:
    """JSON of an experiment's metric history, encoding each entry once.

    The history grows by one entry a step and is sent (and saved) after every step; re-encoding
    2,000 entries of floats each time would cost more than the training. An entry never changes
    once recorded and its sequence number is never reused (engine/history.py), so each entry's
    JSON is kept by its number.
    """

    def __init__(self):
        self._cache: dict[int, bytes] = {}

    def entry(self, seq: int, entry: dict) -> bytes:
        text = self._cache.get(seq)
        if text is None:
            text = self._cache[seq] = dumps(entry)
        return text

    def encode(self, history: History, last: int | None = None) -> bytes:
        """JSON array of `history`, or of its newest `last` entries."""
        cached = self._cache.get  # a lookup a step for the hundred entries an answer carries
        parts = [cached(seq) or self.entry(seq, entry) for seq, entry in history.newest(last)]
        if len(self._cache) > 2 * len(history) + 64:  # thinned, reset or replaced: forget what is gone
            kept = {seq for seq, _ in history.newest()}
            self._cache = {seq: text for seq, text in self._cache.items() if seq in kept}
        return b"[" + b",".join(parts) + b"]"


def with_raw_field(obj: dict, name: str, raw_json: bytes, encode=dumps) -> bytes:
    """`encode(obj)` with one more field whose value is already JSON (e.g. from `HistoryEncoder`).
    Pass `encode=dumps_in_pieces` when `obj` may be big (a trace)."""
    head = encode(obj)
    separator = b',"' if len(head) > 2 else b'"'
    return b"".join((memoryview(head)[:-1], separator, name.encode(), b'":', raw_json, b"}"))  # one copy
