# ruff: noqa: UP037, F722, F821, N802, A002
# (dbus-fast reads D-Bus signatures from string annotations: "as", "a{sv}")
"""A stand-in desktop notification service for the `remind --now` tests, on a private
D-Bus session (run under `dbus-run-session`).

`python fake_notifications.py serve RECORD`: owns org.freedesktop.Notifications, appends
each Notify call (JSON) to RECORD, prints "ready" once the name is owned (the driver waits
on that line, never on a sleep).
`python fake_notifications.py drive RECORD -- COMMAND...`: starts the service, waits for
"ready", runs COMMAND, prints its exit code, stdout and stderr as JSON, stops the service.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from dbus_fast import Variant
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal


class Notifications(ServiceInterface):
    def __init__(self, record: Path) -> None:
        super().__init__("org.freedesktop.Notifications")
        self.record = record
        self.count = 0

    @method()
    def Notify(
        self,
        app_name: "s",
        replaces_id: "u",
        app_icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        expire_timeout: "i",
    ) -> "u":
        self.count += 1
        with self.record.open("a") as out:
            out.write(json.dumps({"app": app_name, "summary": summary, "body": body}) + "\n")
        return self.count

    @method()
    def GetCapabilities(self) -> "as":
        return ["body"]

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["fake", "diazlog tests", "1", "1.2"]

    @method()
    def CloseNotification(self, id: "u"):
        return None

    @signal()
    def NotificationClosed(self) -> "uu":
        return [0, 0]

    @signal()
    def ActionInvoked(self) -> "us":
        return [0, ""]


async def serve(record: Path) -> None:
    bus = await MessageBus().connect()
    bus.export("/org/freedesktop/Notifications", Notifications(record))
    await bus.request_name("org.freedesktop.Notifications")
    print("ready", flush=True)
    await bus.wait_for_disconnect()


def drive(record: str, command: list[str]) -> None:
    service = subprocess.Popen(
        [sys.executable, __file__, "serve", record], stdout=subprocess.PIPE, text=True
    )
    try:
        assert service.stdout is not None
        assert service.stdout.readline().strip() == "ready"
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    finally:
        service.terminate()
        service.wait(timeout=10)
    print(json.dumps({"rc": done.returncode, "out": done.stdout, "err": done.stderr}))


if __name__ == "__main__":
    _ = Variant  # hints arrive as Variants
    if sys.argv[1] == "serve":
        asyncio.run(serve(Path(sys.argv[2])))
    else:
        drive(sys.argv[2], sys.argv[4:])
