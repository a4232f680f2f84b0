"""One server per database file: an advisory lock on `<database>.lock`, held while the server runs.

Two servers on one SQLite file each keep networks in memory and overwrite each other's saves, so the
second one must refuse to start. `fcntl.flock` belongs to the open file, so the kernel drops it when
the process ends in any way, `kill -9` included: a stale lock file never blocks a restart, and the file
is left in place (removing it would let a third server lock a new file while the second holds the old).
Where `fcntl` is missing (Windows) no lock is taken. An in-memory database needs none.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None


class DatabaseInUse(RuntimeError):
    """Another live process holds the lock; the message names it and says what to do."""


def lock_database(db_path: str) -> IO | None:
    """Lock `db_path` for this process and return the open lock file: keep it referenced until exit."""
    if fcntl is None or db_path == ":memory:":
        return None
    path = Path(db_path).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(f"{path}.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise DatabaseInUse(f"another Backprop Playground server (pid {holder}) is using {path}; "
                            f"stop it first, or give this one its own file with --db") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle
