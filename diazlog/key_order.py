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
- settled twice in a row around one turn of the event loop: in a real terminal a key going
  back up to the app (where the bindings run: `l`, `f`, `s`) is posted as from another
  thread, so for one turn it waits on the loop and is in no queue; checked once, the app
  looked idle and the key after `l` went to the ratings (seen in tmux, not headless);
- so a dialog the key opened is mounted and has set its focus, or a dialog it closed is gone
  and the screen below has its focus back; all of this is one moment when the app, the screen
  on top and each of its widgets are idle at once (each waits for its next message, none is
  queued, no callback waits for a refresh);
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
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.worker import Worker

# While the app is busy, how many times `settled` looks again straight away before it looks
# only every POLL_S: it never lets a key through by itself, only notices sooner or later that
# the app has finished.
EAGER_LOOKS = 5
POLL_S = 0.001

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
        # as a loaded machine would (tests/screens/test_key_order.py).
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


def _idle(pump: MessagePump) -> bool:
    """Whether the pump has nothing to do: its loop waits for a message (so it is handling
    none), nothing is queued, and no callback waits for its next idle moment or, on a
    screen, for the next refresh (call_after_refresh). A pump that has stopped (a widget
    being removed) has nothing more to do either."""
    if pump._closing or pump._closed or pump._task is None or pump._task.done():
        return True
    queue: Any = pump._message_queue
    # Textual's queue (textual/_queue.py): a pump waiting for its next message waits on
    # ready_event, so the event has a waiter; mid-message it has none.
    waiting_for_a_message = bool(queue.ready_event._waiters)
    after_refresh = getattr(pump, "_callbacks", None)  # a screen's
    return (
        waiting_for_a_message
        and queue.empty()
        and pump._pending_message is None
        and not pump._next_callbacks
        and not after_refresh
    )


def is_settled(app: App) -> bool:
    """Whether the app, the screen on top and every widget on it are all idle at once: then
    nothing is running or left to run but timers and the next input."""
    try:
        return all(_idle(pump) for pump in _pumps(app))
    except Exception:  # no screen: the app is closing
        return True


async def settled(app: App) -> None:
    """Return once the app has handled everything it had to do (see the module docstring).

    Every pump runs on this event loop, so a moment when all are idle is a moment when
    everything queued has been handled: a dialog pushed has composed, mounted and set its
    focus; one popped has given the screen below its focus back.
    """
    looks = 0
    while app.is_running:
        if is_settled(app):
            # A message posted from what Textual counts as another thread (a key bubbling back
            # up to the app, in a real terminal) is not in any queue yet: it waits on the event
            # loop (call_soon_threadsafe). One turn of the loop puts it there; settled is
            # settled twice in a row, around that turn.
            await asyncio.sleep(0)
            if is_settled(app):
                return
        looks += 1
        await asyncio.sleep(0 if looks < EAGER_LOOKS else POLL_S)
