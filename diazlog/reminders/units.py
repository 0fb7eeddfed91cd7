"""The text of the systemd user units (a timer and its service) or crontab lines that run
`diazlog remind --now` at each planned time. Pure: the command writes the files.

systemd reads `%` as a specifier and `\\` and quotes as escapes in ExecStart, so every
argument is quoted and escaped (systemd.service(5), "Command lines"); cron reads `%` as a
newline, so it is escaped there (crontab(5)).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

UNIT_NAME = "diazlog-remind"


def _systemd_quote(argument: str) -> str:
    escaped = argument.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    return f'"{escaped}"'


def service_text(command: Sequence[str]) -> str:
    return (
        "[Unit]\n"
        "Description=diazlog dose reminder (a desktop notification when a dose is due)\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={' '.join(_systemd_quote(a) for a in command)}\n"
    )


def timer_text(times: Sequence[str]) -> str:
    """One OnCalendar= per planned time ("HH:MM"), every day; none missed after a sleep
    (Persistent=), and `remind --now` itself looks 15 minutes back."""
    lines = "".join(f"OnCalendar=*-*-* {t}:00\n" for t in sorted(set(times)))
    return (
        "[Unit]\n"
        "Description=diazlog dose reminders at the planned times\n"
        "\n"
        "[Timer]\n"
        f"{lines}"
        "Persistent=true\n"
        "AccuracySec=30s\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


def crontab_lines(command: Sequence[str], times: Sequence[str], bus_address: str) -> list[str]:
    """One crontab line per planned time; cron has no session bus address, so it is set."""
    run = " ".join(shlex.quote(a) for a in command).replace("%", "\\%")
    env = f"DBUS_SESSION_BUS_ADDRESS={shlex.quote(bus_address)}".replace("%", "\\%")
    found = []
    for time in sorted(set(times)):
        hour, minute = time.split(":")
        found.append(f"{int(minute)} {int(hour)} * * * {env} {run}")
    return found
