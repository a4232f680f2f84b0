"""An imported document's numbers checked before the engine sees them.

JSON allows what no network holds: integers of hundreds of digits, counters past what SQLite stores
(2⁶³), and Python's parser also takes NaN and Infinity. Each is refused with the place it was found,
so an import never ends in a 500 or puts a NaN in the database. History longer than the engine
keeps is refused too (an export never has more). The walk is iterative: nesting cannot overflow it.
"""
from __future__ import annotations

import math

from app.errors import invalid
from engine.history import LIMIT as HISTORY_LIMIT

LARGEST = 2 ** 53  # whole numbers beyond this lose precision in JavaScript and cannot be counters


def check_numbers(doc: dict) -> None:
    stack = [("", doc)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, bool) or value is None or isinstance(value, str):
            continue
        if isinstance(value, int):
            if abs(value) > LARGEST:
                raise invalid(f"{where or 'document'}: a whole number of {len(str(abs(value)))} digits is out of "
                              f"range (at most 2**53); import exactly what GET …/export returned")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise invalid(f"{where or 'document'}: {value} is not a finite number; "
                              f"import exactly what GET …/export returned")
        elif isinstance(value, dict):
            stack.extend((f"{where}.{k}" if where else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))
    history = doc.get("history")
    if isinstance(history, list) and len(history) > HISTORY_LIMIT:
        raise invalid(f"history has {len(history)} entries, more than the {HISTORY_LIMIT} a network keeps; "
                      f"import exactly what GET …/export returned")
