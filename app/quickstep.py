"""Light step requests run on the event loop; their saves go to one writer thread (app.savequeue).

A step request's usual path hops to a worker thread, waits for the network's lock, trains, saves and
hops back (app.deps.run_locked). For the default network an iteration costs about 0.1 ms; with fifty
clients stepping at once the hops, the store's lock and the threads taking turns at the GIL cost
several times that (bench/server.py, target 4). So a step known to be light runs here instead:
  - its network's last step request took under `QUICK_SECONDS` for the iterations now asked
    (`timed` measures every step, on either path; a network's first step takes the usual path, and
    so does the first after a change of what an iteration costs: `cost_shape`);
  - by iteration or epoch, without a trace (a trace is built and relayed to the class);
  - its network is in memory and its lock is free at once: the event loop never waits for a lock,
    never loads from disk, and never writes to it (the save is encoded here, written by the writer).
The network's lock is held until the save is committed and released by the save's completion,
so a request that changes the same network meanwhile waits for it exactly as before, and the
answer leaves only once the step is on disk. A save that fails puts the network back (503), as
`Registry.change` does. Anything else returns None and the route takes the usual path.
"""
from __future__ import annotations

import asyncio
import time
from functools import partial
from typing import Any, Callable

from starlette.concurrency import run_in_threadpool

from app import memory, stepping, views
from app.deps import encoded, engine_errors
from app.jsonify import dumps, dumps_in_pieces, with_raw_field
from app.savequeue import SaveQueue
from app.sessions import TOUCH_EVERY, Registry, Session
from app.stepping import iterations_for
from app.store import StoreError

QUICK_SECONDS = 0.002  # a step predicted to train for less runs on the event loop
MEMORY_EVERY = 0.1  # seconds between checks of the memory budget after light steps
Work = Callable[[Session], Any]


def step_work(body, history: int | None, settings, traced: dict) -> Work:
    """The work of `POST …/step` with `body` (a StepIn): the engine's steps, then the answer's
    state with the newest `history` entries (the server's `step_history` when None), to be encoded
    after unlocking. A traced step's trace message is left in `traced` for the class."""
    def work(session: Session):
        result = stepping.step(session.exp, body.by, body.count, body.trace, settings,
                               reserve=2 * session.save_seconds)
        if body.trace:  # a class follows a scripted step as it follows the page's (app.follow)
            traced.update(type="trace", records=result["trace"], done=result["done"],
                          stopped_early=result["stopped_early"])
        state = views.network_state_json(session.id, session.exp, session.history_json,
                                         settings.step_history if history is None else history)
        return partial(with_raw_field, result, "state", state, dumps_in_pieces if body.trace else dumps)
    return work


def timed(work: Work, by: str, count: int) -> Work:
    """`work` that also measures its cost an iteration, for the next request's choice of path: in
    the thread's CPU time, which threads taking turns at the GIL on a busy server do not inflate."""
    def measured(session: Session) -> Any:
        iterations = iterations_for(session.exp, by, count) if by != "phase" else 0
        started = time.thread_time()
        result = work(session)
        if iterations:
            session.iteration_cost = (cost_shape(session.exp), (time.thread_time() - started) / iterations)
        return result
    return measured


def cost_shape(exp) -> tuple:
    """What an iteration's cost depends on: a measured cost stands until one of these changes (a
    larger batch or more points after the measure would make a "light" step heavy on the loop)."""
    return exp.arch.layers, exp.hyper.batch_size, exp.x_train.shape, exp.x_test.shape, exp.features


_checked_at = [0.0]


def _memory_due() -> bool:
    """Whether to read the process's size after a light step: at most every `MEMORY_EVERY` seconds
    (a light step barely grows it; opening /proc for every step took 2 % of the server's time)."""
    now = time.monotonic()
    if now - _checked_at[0] < MEMORY_EVERY:
        return False
    _checked_at[0] = now
    return True


def _light(session: Session, by: str, count: int) -> bool:
    shape, seconds = session.iteration_cost
    return shape == cost_shape(session.exp) and seconds * iterations_for(session.exp, by, count) < QUICK_SECONDS


async def step_here(registry: Registry, saves: SaveQueue, network_id: str, by: str, count: int,
                    work: Work) -> bytes | None:
    """The answer of `work` run on the event loop and saved, or None when it belongs in a thread."""
    session = registry.resident(network_id)
    if session is None or by == "phase" or not session.lock.acquire(blocking=False):
        return None
    try:
        if session.evicted or session.deleted or not _light(session, by, count) \
                or time.monotonic() - session.touched_at > TOUCH_EVERY:
            session.lock.release()
            return None
        before = registry.before(session)
        with engine_errors():
            result = timed(work, by, count)(session)
        pending = registry.pending_save(session)
    except BaseException:
        session.lock.release()
        raise
    finished = asyncio.get_running_loop().create_future()

    def done(error: StoreError | None) -> None:
        """On the event loop once the save is written or has failed; releases the lock."""
        try:
            if error is None:
                registry.saved(session, pending)
            else:
                registry.undo(session, before)
        finally:
            session.lock.release()
            if not finished.done():  # cancelled when the client has gone
                finished.set_result(error)

    saves.submit(pending.save, done)
    error = await finished
    if error is not None:
        raise error
    if _memory_due() and memory.rss() > registry.settings.memory_budget:  # making room saves others:
        await run_in_threadpool(registry.fit_memory, session)                # not on the event loop
    return encoded(result)
