"""The live hub: one play loop per network, frames fanned out to every connected client.

A `Channel` owns a network's play loop: each tick trains `steps_per_frame` iterations under the
network's lock, renders the frame once (and the heatmaps once per subscribed grid resolution), and
hands it to every client. Where a frame runs depends on what its last one cost: on the event loop
under `INLINE_SECONDS`; under `SHARED_SECONDS` in the hub's one frame thread, shared by every
network (two dozen networks' frames in as many worker threads had spent most of the process's CPU
in the kernel, handing the GIL from thread to thread: 3.2 ms a frame against 1.0); heavier frames,
and frames whose checkpoint is due, in a worker thread. Neither the loop nor the frame thread ever
waits for a network's lock: a network a request holds has its frame drawn by a worker thread.
A client's mailbox holds only the latest frame: a slow client skips frames instead of queueing them,
and the history entries of skipped frames are carried into the next one it gets, so its loss chart
still has every point. Replies meant for one client (trace, state, error) go through a small
ordered queue before the next frame.
The loop checkpoints at least once a second (`save_interval`), and on pause and when the last client
leaves; shutdown stops every loop and saves every network. A checkpoint that fails stops the loop:
every client gets an error naming the cause and a frame saying `"playing": false`.

A channel pins its session in memory from its first client to its last. Joining and leaving can
interleave (a page reconnecting while its old socket is still being closed), so a leaving client
closes the channel only if nobody joined while it paused and saved: one channel per network, always.
"""
from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from starlette.concurrency import run_in_threadpool

from app import frames
from app.budgets import FrameSteps
from app.liveclient import Client
from app.pacing import Pacer
from app.sessions import Registry, Session
from app.settings import Settings
from app.store import StoreError

log = logging.getLogger(__name__)
INLINE_SECONDS = 0.002  # a frame that took less runs on the event loop (`Channel._tick_here`)
SHARED_SECONDS = 0.02  # one that took less runs in the hub's one frame thread (`Hub.frame_thread`)


def deleted_detail(network_id: str) -> str:
    return f"network {network_id!r} was deleted; create a new one with POST /api/networks"


class Channel:
    """Everything live about one network: its clients, whether it plays, and how fast."""

    def __init__(self, hub: "Hub", session: Session):
        self.hub = hub
        self.session = session
        self.clients: set[Client] = set()
        self.playing = False
        self.steps_per_frame = 1
        self.fps = 30.0
        self.task: asyncio.Task | None = None
        self.stopped = asyncio.Event()  # set each time the loop has stopped and saved
        self._wake = asyncio.Event()    # cuts the wait between frames short on pause
        self.closed = False
        self.history = frames.History()  # the history entries the clients have been sent
        self.pacer = Pacer()  # followers who asked for fewer frames (app.pacing)
        self.save_failed: str | None = None  # why the last checkpoint failed, until a client is told
        self._told: str | None = None
        self.pace = FrameSteps(hub.settings.frame_time_budget)
        self.frame_steps = 0  # iterations the last frame ran: fewer than asked when they did not fit
        self.resolutions: frozenset[int] = frozenset()  # the heatmap resolutions the last frame drew

    # ---- rendering (under the network's lock) ---------------------------------------------------
    def render(self) -> frames.Rendered:
        """The frame as (head JSON, {resolution: heatmap JSON}, new history entries, the newest one)."""
        self.resolutions = frozenset(c.grid_resolution for c in self.clients if c.grid_resolution)
        return frames.render(self.session, self.history, self.playing, self.frame_steps,
                             self.pace.rate() if self.playing else 0.0, self.resolutions, self.pace.phases)

    def publish(self, rendered: frames.Rendered) -> None:
        head, grid_json, tail, last = rendered
        failed, self.save_failed = self.save_failed, None
        if failed:
            for client in list(self.clients):
                client.reply({"type": "error", "detail": failed})
        followers = self.pacer.follower_grids(grid_json, self.playing)  # app.pacing: heatmaps less often
        for client, client_tail, texts in self.pacer.offers(list(self.clients), tail, self.playing, self.fps):
            client.offer_frame(head, grid_json if client.owner else followers, client_tail, last, texts)

    async def refresh(self) -> None:
        """Send every client a frame of the network as it is now (after a change, pause or subscribe)."""
        def work():
            with self.session.lock:
                return self.render()
        self.publish(await run_in_threadpool(work))

    # ---- playing --------------------------------------------------------------------------------
    def play(self, steps_per_frame: int, fps: float) -> None:
        self.steps_per_frame, self.fps = steps_per_frame, fps
        self.playing, self._told = True, None
        if self.task is None or self.task.done():
            self.stopped = asyncio.Event()
            self.task = asyncio.create_task(self._loop())
        else:  # the loop goes on: a pause still waiting for it to stop was overtaken, release it
            self.stopped.set()
            self.stopped = asyncio.Event()

    async def pause(self) -> None:
        """Stop playing; returns once the loop has stopped and saved, or a newer `play` overtook it."""
        self.playing = False
        self._wake.set()
        if self.task is not None and not self.task.done():
            await self.stopped.wait()

    def _tick(self) -> frames.Rendered:
        """One frame (worker thread): its training and drawing under the network's lock
        (`_tick_locked`), then, when one is due, a checkpoint under the lock again, so a request or a
        pause waits for one of the two, never for both. A checkpoint that fails redraws the frame: it
        says play stopped and where the network is back at."""
        with self.session.lock:
            rendered = self._tick_locked()
        if self._save_due(self.hub.settings.save_interval):
            with self.session.lock:
                if not self.session.deleted:
                    self._save()
                    if self.save_failed:
                        rendered = self.render()
        return rendered

    def _tick_here(self) -> frames.Rendered | None:
        """A light frame on the event loop (None: it belongs in a thread). The hop to a thread and
        back costs ~0.1 ms of CPU, as much as a small network's frame. Only when the last frame took
        under `INLINE_SECONDS` at the same heatmap resolutions, no checkpoint is due (no disk writes
        on the loop) and no request holds the network (the loop never waits for its lock)."""
        if not 0 < self.pace.seconds < INLINE_SECONDS or self.resolutions != frozenset(
                c.grid_resolution for c in self.clients if c.grid_resolution):
            return None
        return self._tick_if_free()

    def _tick_if_free(self) -> frames.Rendered | None:
        """A frame, when no checkpoint is due and the network's lock is free right now; else None."""
        if self._save_due(self.hub.settings.save_interval) or not self.session.lock.acquire(blocking=False):
            return None
        try:
            return self._tick_locked()
        finally:
            self.session.lock.release()

    def _save_due(self, interval: float) -> bool:
        return time.monotonic() - self.session.saved_at + 2 * self.pace.seconds >= interval or not self.playing

    def _tick_locked(self) -> frames.Rendered:
        """One frame: as many iterations as fit `frame_time_budget` (at most `steps_per_frame`), or of
        phases when one iteration does not (app.budgets.FrameSteps), and its drawing. Checkpoints are
        `_tick`'s (on the event loop none is made: the next frame in a thread, or the loop's last
        checkpoint, saves)."""
        session = self.session
        started = time.monotonic()
        if session.deleted:
            self.playing = False
            return self.render()
        if not session.exp.diverged:
            self.frame_steps = self.pace.train(session.exp, self.steps_per_frame, lambda: self.playing)
            session.dirty = True
        training = time.monotonic() - started
        if session.exp.diverged:
            self.playing = False
        rendered = self.render()
        self.pace.ran(self.frame_steps, time.monotonic() - started, training)
        return rendered

    def _save(self) -> None:
        """Checkpoint (lock held); on failure stop playing and remember why, for the clients."""
        try:
            self.hub.registry.save(self.session)
        except StoreError as exc:
            log.warning("network %s: play stopped, %s", self.session.id, exc)
            self.playing = False
            back = self.hub.registry.rollback(self.session)  # the unsaved steps are dropped
            detail = f"playing stopped: the network could not be saved: {exc.detail}" + (
                f"; it is back at step {self.session.exp.trainer.step}, as last saved" if back else "")
            if detail != self._told:  # once per play, not again at the loop's last checkpoint
                self.save_failed = self._told = detail

    async def _loop(self) -> None:
        """Play until paused or left alone, then save. A `play` that arrives while it saves (the
        task is not done yet, so it started no new loop) makes this loop go on."""
        while True:
            try:
                await self._frames()
            except Exception:  # a bug: stop playing rather than spin, and keep the server up
                log.exception("play loop of network %s stopped", self.session.id)
                self.playing = False
            finally:
                await run_in_threadpool(self._checkpoint)
                self.stopped.set()
            if self.save_failed and self.clients:
                await self.refresh()
            if not (self.playing and self.clients):
                self.playing = False
                return
            self.stopped = asyncio.Event()

    async def _frames(self) -> None:
        loop = asyncio.get_running_loop()
        next_time = loop.time()
        while self.playing and self.clients:
            rendered = self._tick_here()
            if rendered is None and 0 < self.pace.seconds < SHARED_SECONDS:
                rendered = await loop.run_in_executor(self.hub.frame_thread, self._tick_if_free)
            self.publish(rendered or await run_in_threadpool(self._tick))
            next_time += 1.0 / self.fps
            delay = next_time - loop.time()
            if delay < -1.0 / self.fps:  # far behind: do not burst to catch up
                next_time, delay = loop.time(), 0.0
            await self._until_next_frame(delay)

    async def _until_next_frame(self, delay: float) -> None:
        """Sleep `delay` seconds, or less if paused meanwhile (a slow fps must not delay a pause)."""
        self._wake.clear()
        if delay <= 0 or not self.playing:
            await asyncio.sleep(0)
            return
        timer = asyncio.get_running_loop().call_later(delay, self._wake.set)  # lighter than wait_for
        try:
            await self._wake.wait()
        finally:
            timer.cancel()

    def _checkpoint(self) -> None:
        with self.session.lock:
            if self.session.dirty:
                self._save()


class Hub:
    def __init__(self, registry: Registry, settings: Settings):
        self.registry = registry
        self.settings = settings
        self.channels: dict[str, Channel] = {}
        self.frame_thread = ThreadPoolExecutor(1, thread_name_prefix="frames")

    def playing_count(self) -> int:
        return sum(1 for c in self.channels.values() if c.playing)

    def join(self, session: Session, client: Client) -> Channel | None:
        """Add `client` to the network's channel, opening it (and pinning the session) if needed.
        None if the session was evicted from memory meanwhile: fetch it again and retry."""
        channel = self.channels.get(session.id)
        if channel is None or channel.session is not session:
            if not self.registry.pin(session):
                return None
            channel = self.channels[session.id] = Channel(self, session)
        channel.clients.add(client)
        return channel

    async def leave(self, channel: Channel, client: Client) -> None:
        """The last client out stops the loop, saves, closes the channel and unpins the session,
        unless someone joined while it paused and saved: then the channel lives on for them."""
        client.closed = True
        channel.clients.discard(client)
        if channel.clients:
            return
        await channel.pause()
        await run_in_threadpool(channel._checkpoint)
        if channel.clients or channel.closed:  # rejoined meanwhile, or another leave closed it
            return
        channel.closed = True
        if self.channels.get(channel.session.id) is channel:
            del self.channels[channel.session.id]
        self.registry.unpin(channel.session)

    async def network_changed(self, network_id: str) -> None:
        """A REST request changed the network: show every live client (the classroom sees it too)."""
        channel = self.channels.get(network_id)
        if channel is not None and channel.clients:
            await channel.refresh()

    async def network_deleted(self, network_id: str) -> None:
        channel = self.channels.get(network_id)
        if channel is None:
            return
        channel.playing = False
        for client in list(channel.clients):
            client.reply({"type": "error", "detail": deleted_detail(network_id)})

    async def shutdown(self) -> None:
        """Stop every play loop (each saves on the way out), then the frame thread."""
        for channel in list(self.channels.values()):
            await channel.pause()
        self.frame_thread.shutdown(wait=False)
