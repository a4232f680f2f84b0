"""Saves written by one thread in batches: a group commit for steps run on the event loop.

A step of a small network costs less than the hop to a worker thread and back (app.quickstep runs
it on the event loop), but its save touches the disk and must not run there. It comes here instead,
already encoded (`app.store.Save`). One thread owns these writes: it takes every save queued since
its last commit and writes them in one transaction, so fifty clients stepping at once cost a few
commits and a few thread wake-ups, not fifty of each, and no thread waits for another's commit on
the store's lock. Each request answers only once its own save is committed: an acknowledged step
survives `kill -9` exactly as one saved by the request itself.

A batch that fails is written again one save at a time, so a save fails only for its own cause.
`done(error)` is called on the submitting event loop once the save is committed (error None) or
has failed (a StoreError): it runs even when the request was cancelled meanwhile, so whoever
submitted can keep the network's lock until then and release it there.
Left out: saves made in worker threads (`Registry.change`): they write themselves, as before.
"""
from __future__ import annotations

import asyncio
import logging
import queue
import threading
from typing import Callable

from app.store import Save, Store, StoreError

log = logging.getLogger(__name__)
MAX_BATCH = 256  # saves in one transaction: a commit stays short however many wait
Done = Callable[[StoreError | None], None]


class SaveQueue:
    def __init__(self, store: Store):
        self.store = store
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.batches = self.saves = 0  # for benchmarks and tests: commits made, saves written

    def submit(self, save: Save, done: Done) -> None:
        """Queue `save`; `done(error)` is called on the running event loop once it is written."""
        self._start()
        self._queue.put((save, asyncio.get_running_loop(), done))

    def close(self) -> None:
        """Write what is queued, then stop the thread (shutdown, before the store closes)."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _start(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="save-queue", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        stop = False
        while not stop:
            batch = [self._queue.get()]
            while batch[-1] is not None and len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if batch[-1] is None:
                stop = True
                batch.pop()
            if batch:
                self._settle(batch, self._written(batch))

    def _written(self, batch: list) -> list[StoreError | None]:
        """Each save's error or None. A failure that is not the store's (a bug) fails the batch
        instead of the thread: a dead writer would hold every waiting network's lock for ever."""
        try:
            return self._write(batch)
        except Exception as exc:
            log.exception("writing %d saves failed", len(batch))
            return [StoreError(self.store.path, exc)] * len(batch)

    def _write(self, batch: list) -> list[StoreError | None]:
        saves = [save for save, _, _ in batch]
        error = self._commit(saves)
        if error is None or len(saves) == 1:
            return [error] * len(saves)
        return [self._commit([save]) for save in saves]  # each for its own cause

    def _commit(self, saves: list[Save]) -> StoreError | None:
        try:
            self.store.write(saves)
        except StoreError as error:
            return error
        self.batches, self.saves = self.batches + 1, self.saves + len(saves)
        return None

    @staticmethod
    def _settle(batch: list, errors: list[StoreError | None]) -> None:
        """Call every `done` on its loop: one wake-up a loop for the whole batch."""
        by_loop: dict = {}
        for (_, loop, done), error in zip(batch, errors):
            by_loop.setdefault(loop, []).append((done, error))
        for loop, calls in by_loop.items():
            try:
                loop.call_soon_threadsafe(_call_all, calls)
            except RuntimeError:  # the loop has closed (shutdown): nobody waits for these
                log.warning("%d saves finished after their event loop closed", len(calls))


def _call_all(calls: list) -> None:
    for done, error in calls:
        try:
            done(error)
        except Exception:  # one callback's bug must not keep the others' locks
            log.exception("a save's completion failed")
