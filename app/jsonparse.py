"""Check a large JSON body in a process of its own, so the server process never parses or validates
one it will refuse.

Parsing 2 MB of JSON holds the interpreter's lock for a tenth of a second on an idle machine and
most of a second on a loaded one; validating one of hundreds of thousands of invalid values holds it
for seconds (pydantic builds an error object for each); numbers of thousands of digits parse in
quadratic time. No other thread of the process, the event loop included, runs meanwhile. A worker
process does all of it (`app.offloop.judge`) and sends back only the answer: the 422 (at most
`errors.MAX_ERRORS` errors) or None for a valid body, whatever the body holds past its first items.
The worker builds the app's routes for the server's settings (`create_app`, never started) once per
settings, and finds the route's body field as the server does.
A server killed outright takes its worker with it (`watch_parent`).
Left out: a valid body is parsed and validated again by its route, on the event loop (as every body
is); where no process can be started, the check runs in this process after all.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as Late
from concurrent.futures.process import BrokenProcessPool

from app.jsonify import dumps

TIMEOUT = 60.0  # seconds a check may take in the worker before the body is refused
PARENT_CHECK = 1.0  # seconds between the worker's looks at whether the server is still there
_pool: ProcessPoolExecutor | None = None
_apps: OrderedDict = OrderedDict()  # in the worker: settings (as JSON) → the app built for them


def judge_in_worker(raw: bytes, method: str, path: str, settings_json: str) -> bytes | None:
    """Runs in the worker: `app.offloop.judge` with the body field of the route `method path` of an
    app built for these settings (the last few kept)."""
    from app.main import create_app
    from app.offloop import body_field, judge
    from app.settings import Settings

    app = _apps.pop(settings_json, None) or create_app(Settings.model_validate_json(settings_json))
    _apps[settings_json] = app
    while len(_apps) > 4:
        _apps.popitem(last=False)
    field = body_field(app, {"type": "http", "method": method, "path": path, "root_path": ""})
    return None if field is None else judge(raw, field)


def watch_parent(parent: int) -> None:
    """In the worker, at its start: exit once the server process that started it is gone. A server
    killed (not shut down) leaves its worker waiting on a queue nobody will write to again."""
    import os
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK)
        os._exit(0)
    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def judge_elsewhere(raw: bytes, method: str, path: str, settings, here: Callable[[], bytes | None]) -> bytes | None:
    """The answer to `raw` (the 422's bytes, or None: valid) from the worker process, started at
    first use; `here()` computes it in this process when no worker can run."""
    global _pool
    key = settings.model_dump_json(exclude={"db_path"})  # the body models do not depend on the file
    try:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=watch_parent, initargs=(os.getpid(),))
        return _pool.submit(judge_in_worker, raw, method, path, key).result(timeout=TIMEOUT)
    except Late:
        return dumps({"detail": f"request body took over {TIMEOUT:g} s to check; send a smaller one"})
    except (BrokenProcessPool, OSError, RuntimeError):  # no processes here, or the worker died
        _pool = None
        return here()
