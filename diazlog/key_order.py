"""Keys typed faster than the app handles them are handled in the order they were typed, each
by what has focus once everything the keys before it set in motion is done.

Textual hands each key to the widget that has focus when the key *arrives*, and checks the
screen's and app's key bindings only once the key has come back up from that widget. So a
burst of keys (a fast typist, a slow machine, `tmux send-keys` of a whole day) went wrong:
after `l` (jump to activity) the next digits still went to the ratings, because `l` had not
been handled yet when they arrived, and `ctrl+s` (a priority binding, handled on arrival)
saved the day before the keys typed ahead of it had been entered.

`KeyOrder` lets one key at a time through. The next waits until the app has *settled* after
the last one: its state decides, never a clock (a fixed patience let keys through early on a
loaded machine, into the form under a dialog that was still opening). Settled means:

- every message the key caused has been handled, in the app, the screen on top and each of
  its widgets (so the key's handler ran, whether a widget took it or the bindings did, and so
  did whatever that handler posted: a rating's Changed, a focus move, a dialog's result);
- a dialog the key opened is mounted and has set its focus, or a dialog it closed is gone and
  the screen below has its focus back: the screen on top and the focused widget are the same
  before and after one more round through every message queue, and no widget was added or
  removed meanwhile;
- a worker that a screen or widget started while handling the key (the unlock screen checking
  the passphrase, Charts loading a range) has finished, and the app has settled after it. The
  app's own background jobs (the daily backup, an export) never hold the keyboard.

A key that nothing handles is simply gone once the queues are empty, so it releases the next
key too: no key is lost and none can stop the keyboard.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.worker import Worker

# How often a round through the message queues looks again at a widget that never answered
# (one removed while the round was under way). This never lets a key through by itself: it
# only notices that such a widget is gone.
RECHECK_S = 0.5

KeyHook = Callable[[events.Key], Awaitable[None]]


class KeyOrder:
    """The app's typed keys, one handled at a time (see the module docstring)."""

    def __init__(self, app: App, handle: Callable[[events.Key], Awaitable[None]]):
        self._app = app
        self._handle = handle  # Textual's own handling of a typed key (App.on_event)
        self._waiting: deque[events.Key] = deque()
        self._in_flight: events.Key | None = None
        self._settling: asyncio.Task[None] | None = None
        # Tests only: awaited before each key is handed to Textual, to slow the key path down
        # as a loaded machine would (tests/test_key_order.py).
        self.before_key: KeyHook | None = None

    @property
    def pending(self) -> int:
        """Keys typed and not yet handled (the one in flight and those waiting)."""
        return len(self._waiting) + (self._in_flight is not None)

    async def typed(self, key: events.Key) -> None:
        """A key from the terminal: handle it now, or after the keys typed before it."""
        if self._in_flight is not None:
            self._waiting.append(key)
            return
        await self._send(key)

    async def _send(self, key: events.Key) -> None:
        self._in_flight = key
        workers_before = set(self._app.workers)
        try:
            if self.before_key is not None:
                await self.before_key(key)
            await self._handle(key)
        finally:
            # Waiting for the app to settle needs the app's own queue to run: not in here.
            self._settling = asyncio.create_task(self._settle_then_next(key, workers_before))

    async def _settle_then_next(self, key: events.Key, workers_before: set[Worker]) -> None:
        try:
            await settled(self._app)
            while started := [
                worker
                for worker in self._app.workers
                if worker not in workers_before
                and worker.node is not self._app
                and not worker.is_finished
            ]:
                await _finished(started)
                workers_before |= set(started)
                await settled(self._app)
        finally:
            self._release(key)

    def _release(self, key: events.Key) -> None:
        if key is not self._in_flight:
            return
        self._in_flight = None
        self._settling = None
        if self._waiting and self._app.is_running:
            self._in_flight = self._waiting[0]  # reserved: a key typed now queues behind it
            self._app.call_later(self._send_next)

    async def _send_next(self) -> None:
        key = self._waiting.popleft()
        await self._send(key)


async def _finished(workers: list[Worker]) -> None:
    """Wait until these workers are done, however they end (a failure is reported by
    Textual where it happened, not here)."""
    for worker in workers:
        try:
            await worker.wait()
        except Exception:
            continue


def _pumps(app: App) -> list[MessagePump]:
    """The app, the screen on top and every widget on it."""
    return [app, *app.screen.walk_children(with_self=True)]


def _state(app: App) -> tuple[object, object, frozenset[int]]:
    return app.screen, app.focused, frozenset(id(pump) for pump in _pumps(app))


def _idle(pump: MessagePump) -> bool:
    """Nothing queued for the pump, and no callback waiting for its next idle moment."""
    waiting = getattr(pump, "_callbacks", None)  # a screen's call_after_refresh callbacks
    return pump._message_queue.empty() and not pump._next_callbacks and not waiting


async def settled(app: App) -> None:
    """Return once the app has handled everything it had to do (see the module docstring).

    Each round posts a callback to every message pump and waits until each has run it, so
    everything queued before the round, and any handler running at its start, is finished.
    It is settled when a round ends with every queue empty and the same screen, focus and
    widgets as it began with.
    """
    while app.is_running:
        try:
            before = _state(app)
            pumps = _pumps(app)
        except Exception:  # no screen (the app is closing)
            return
        await _round(pumps)
        try:
            after = _state(app)
            quiet = all(_idle(pump) for pump in _pumps(app))
        except Exception:
            return
        if quiet and after == before:
            return


async def _round(pumps: list[MessagePump]) -> None:
    """Post a callback to each pump and wait until all have run it (or the pump is gone)."""
    loop = asyncio.get_running_loop()
    answered: dict[int, asyncio.Future[None]] = {}
    for pump in pumps:
        future: asyncio.Future[None] = loop.create_future()

        def answer(future: asyncio.Future[None] = future) -> None:
            if not future.done():
                future.set_result(None)

        if pump.call_later(answer):
            answered[id(pump)] = future
    live = dict(zip((id(p) for p in pumps), pumps, strict=True))
    while answered:
        await asyncio.wait(answered.values(), timeout=RECHECK_S)
        for key in [k for k, f in answered.items() if f.done()]:
            del answered[key]
        for key in list(answered):
            pump = live[key]
            if pump._closed or not pump.is_running:  # removed before it got to it
                del answered[key]
