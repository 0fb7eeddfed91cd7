"""Keys typed faster than the app handles them are handled in the order they were typed.

Textual hands each key to the widget that has focus when the key *arrives*, and checks the
screen's and app's key bindings only once the key has come back up from that widget. So a
burst of keys (a fast typist, a slow machine, `tmux send-keys` of a whole day) went wrong:
after `l` (jump to activity) the next digits still went to the ratings, because `l` had not
been handled yet when they arrived, and `ctrl+s` (a priority binding, handled on arrival)
saved the day before the keys typed ahead of it had been entered.

`KeyOrder` lets one key at a time through: the next waits until the last is handled (taken
by a widget, or back up through the bindings), then goes to whatever has focus by then.
A key still unhandled after `PATIENCE_S` lets the next through anyway, so nothing can stop
the keyboard.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING
from weakref import WeakSet

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.message import Message
    from textual.timer import Timer
    from textual.widget import Widget

PATIENCE_S = 0.3


class KeyOrder:
    """The app's typed keys, one handled at a time (see the module docstring)."""

    def __init__(self, app: App, handle: Callable[[events.Key], Awaitable[None]]):
        self._app = app
        self._handle = handle  # Textual's own handling of a typed key (App.on_event)
        self._waiting: deque[events.Key] = deque()
        self._in_flight: events.Key | None = None
        self._timer: Timer | None = None
        self._watched: WeakSet[DOMNode] = WeakSet()

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
        target: Widget = self._app.focused or self._app.screen
        self._watch_path_of(target)
        await self._handle(key)
        if not key.is_forwarded:  # a priority binding took it on arrival
            self.done(key)
            return
        self._timer = self._app.set_timer(PATIENCE_S, lambda: self.done(key))

    def _watch_path_of(self, target: Widget) -> None:
        """Hear, from the widget and each container up to its screen, when one of them has
        handled a message: the in-flight key taken (stopped) there is done."""
        for node in (target, *target.ancestors):
            if node is self._app:
                break
            if node not in self._watched:
                self._watched.add(node)
                node.message_signal.subscribe(
                    self._app, partial(self._handled_by, node), immediate=True
                )

    def _handled_by(self, node: DOMNode, message: Message) -> None:
        """Stopped at `node`: taken there. (The screen stops a key from the app too, but
        only after passing it up to the app, which runs the bindings and says when done.)"""
        if message is not self._in_flight or not message._stop_propagation:
            return
        if node.parent is not None and node.parent is message._sender:
            return
        self.done(message)

    def done(self, key: events.Key) -> None:
        """`key` is handled (by a widget, or by the bindings on its way back up)."""
        if key is not self._in_flight:
            return
        self._in_flight = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._waiting:
            self._app.call_later(self._send_next)

    async def _send_next(self) -> None:
        if self._in_flight is None and self._waiting:
            await self._send(self._waiting.popleft())
