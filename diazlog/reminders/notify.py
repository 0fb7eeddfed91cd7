"""Show one desktop notification (desktop-notifier over D-Bus), or say why it cannot be.

desktop-notifier only logs a failure (backends/base.py: "notifications are not critical"),
but a dose reminder that silently goes nowhere is lost: so the session bus and the
notification service are looked for first, and a notification the service did not take
raises too. Imported only by `diazlog remind`.
"""

from __future__ import annotations

import asyncio

SERVICE = "org.freedesktop.Notifications"
APP_NAME = "diazlog"


class NoNotifications(Exception):
    """No notification could be shown; the message says why, in words."""


async def _check_service() -> None:
    from dbus_fast import BusType, Message, MessageType
    from dbus_fast.aio import MessageBus

    try:
        bus = await MessageBus(bus_type=BusType.SESSION).connect()
    except Exception as exc:  # no address, no socket, refused: all "no session bus"
        raise NoNotifications(f"no D-Bus session bus ({exc})") from None
    try:
        reply = await bus.call(
            Message(
                destination="org.freedesktop.DBus",
                path="/org/freedesktop/DBus",
                interface="org.freedesktop.DBus",
                member="NameHasOwner",
                signature="s",
                body=[SERVICE],
            )
        )
        running = reply.message_type == MessageType.METHOD_RETURN and bool(reply.body[0])
        if not running:
            listed = await bus.call(
                Message(
                    destination="org.freedesktop.DBus",
                    path="/org/freedesktop/DBus",
                    interface="org.freedesktop.DBus",
                    member="ListActivatableNames",
                )
            )
            if listed.message_type != MessageType.METHOD_RETURN or SERVICE not in listed.body[0]:
                raise NoNotifications("no notification service on the D-Bus session bus")
    finally:
        bus.disconnect()


async def _send(title: str, message: str) -> None:
    from desktop_notifier import DesktopNotifier

    await _check_service()
    shown: list[bool] = []
    notifier = DesktopNotifier(app_name=APP_NAME)
    await notifier.send(title=title, message=message, on_dispatched=lambda: shown.append(True))
    if not shown:
        raise NoNotifications("the notification service did not take the reminder")


def send(title: str, message: str) -> None:
    """Show the notification; NoNotifications when it cannot be shown."""
    asyncio.run(_send(title, message))
