"""NumPy values to JSON-safe Python: arrays to nested lists, NaN and infinity to null.

The engine returns arrays and NumPy scalars; JSON has neither, and has no NaN. Everything the API
sends passes through `to_json` or `dumps`, so a diverging value shows up as null instead of breaking
the browser's JSON parser.
"""
from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from engine.history import History


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
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.generic,)):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON. The fast path encodes directly; only a value holding NaN or infinity pays
    for the recursive `to_json` walk that turns them into null."""
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                          default=_numpy_default)
    except ValueError:
        text = json.dumps(to_json(value), separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode()


_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                           default=_numpy_default).encode


def _leaf(value: Any) -> str:
    try:
        return _encode(value)
    except ValueError:  # NaN or infinity somewhere inside
        return _encode(to_json(value))


def _is_container(value: Any) -> bool:
    return isinstance(value, (dict, list, tuple)) or (isinstance(value, np.ndarray) and value.ndim >= 2)


def _pieces(value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append(("," if i else "") + _encode(str(key)) + ":")
            _pieces(item, out)
        out.append("}")
    elif ((isinstance(value, np.ndarray) and value.ndim >= 2)
          or (isinstance(value, (list, tuple)) and any(_is_container(item) for item in value[:1]))):
        out.append("[")  # a matrix or a list of containers: one piece per row
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _pieces(item, out)
        out.append("]")
    else:
        out.append(_leaf(_finite_list(value) if isinstance(value, np.ndarray) else value))


def dumps_in_pieces(value: Any) -> bytes:
    """`dumps` for big values (a float grid, a prediction, a trace), one row at a time.

    `json.dumps` holds the GIL for the whole document, so 40 MB of floats encoded in a worker thread
    still freezes the event loop for seconds. Encoding each innermost list separately lets the
    interpreter switch threads between rows: other requests keep being answered while this one is
    encoded. Same output as `dumps`.
    """
    out: list[str] = []
    _pieces(value, out)
    return "".join(out).encode()


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
        parts = [self.entry(seq, entry) for seq, entry in history.newest(last)]
        if len(self._cache) > 2 * len(history) + 64:  # thinned, reset or replaced: forget what is gone
            kept = {seq for seq, _ in history.newest()}
            self._cache = {seq: text for seq, text in self._cache.items() if seq in kept}
        return b"[" + b",".join(parts) + b"]"


def with_raw_field(obj: dict, name: str, raw_json: bytes, encode=dumps) -> bytes:
    """`encode(obj)` with one more field whose value is already JSON (e.g. from `HistoryEncoder`).
    Pass `encode=dumps_in_pieces` when `obj` may be big (a trace)."""
    head = encode(obj)
    separator = b"," if len(head) > 2 else b""
    return head[:-1] + separator + b'"' + name.encode() + b'":' + raw_json + b"}"
