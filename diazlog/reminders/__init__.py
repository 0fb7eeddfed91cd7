"""Reminders without a server: a dose calendar (.ics), a times-only schedule file for
desktop notifications, and the systemd/crontab text that runs `diazlog remind --now`.

Above the store (it reads the plan through store/), below the commands and the app, which
call `refresh.refresh_after_write` after their writes commit. icalendar and
desktop-notifier are imported only where a file is built or a notification shown.
"""
