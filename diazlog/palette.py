"""The command palette's entries (ctrl+p): every action of the app by name.

Kept out of app.py (the modes, app-wide keys and start-up) because it is a catalogue: one
row per action, "Screen: what it does", and the only code is turning rows into
`SystemCommand`s. Imported when the palette first opens, never on the way to the first
frame. It takes the app as an argument and imports nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.app import SystemCommand

from diazlog.themes import DARK, LIGHT

# The command palette (ctrl+p): every action by name. (mode, title, help)
GO_TO = [
    ("today", "Go to Today", "Log a day"),
    (
        "charts",
        "Go to Charts",
        "Symptoms over time, around the dose, by time of day, before / after",
    ),
    ("doctor", "Go to Doctor", "Questions for the next visit"),
    ("history", "Go to History", "Every logged day, with a filter"),
    ("medicines", "Go to Medicines", "Medicines, stock and the taper plan"),
]
# (mode, screen action, title, help): run on that screen after switching to it.
SCREEN_ACTIONS = [
    ("today", "save", "Today: save the day", "ctrl+s: ratings, doses and notes in one go"),
    ("today", "previous_day", "Today: previous day", "["),
    ("today", "next_day", "Today: next day", "] (never past today)"),
    ("today", "usual_dose", "Today: add the usual diazepam dose now", "u (the planned amount)"),
    ("today", "add_dose", "Today: add a dose of any medicine", "a"),
    (
        "today",
        "take_all_planned",
        "Today: log every planned dose up to now as taken",
        "p: each at its planned time",
    ),
    ("today", "take_planned", "Today: take the highlighted planned dose", "space in the doses"),
    ("today", "focus_ratings", "Today: go to the ratings", "s: the first symptom"),
    ("today", "focus_day_fields", "Today: go to activity, water, sleep", "l"),
    ("today", "focus_flags", "Today: go to the red-flag ticks", "r"),
    ("today", "copy_previous", "Today: copy the ratings of the last logged day", "y"),
    ("today", "new_symptom", "Today: add a symptom of your own", "n"),
    ("today", "focus_note", "Today: write the day's note", "f"),
    ("today", "tick_extreme_weakness", "Today: tick (or untick) extreme weakness", "x"),
    ("today", "mark_seen", "Today: mark the day's red flags seen by a doctor", "!"),
    ("doctor", "add", "Doctor: add a question of your own", "a"),
    ("doctor", "appointment", "Doctor: set the next appointment", "n: date and with whom"),
    ("doctor", "export", "Doctor: export the visit report", "e: the report (.pdf or .md)"),
    ("doctor", "set_name", "Doctor: your name on the visit report", "u (optional)"),
    ("doctor", "toggle_asked", "Doctor: tick the highlighted question as asked", "space"),
    ("doctor", "answer", "Doctor: write the answer to the highlighted question", "enter"),
    ("doctor", "reword", "Doctor: reword the highlighted question", "w (your own questions)"),
    ("doctor", "delete", "Doctor: delete the highlighted question", "delete (your own ones)"),
    ("doctor", "hide", "Doctor: hide or show the highlighted question", "x"),
    ("doctor", "toggle_hidden", "Doctor: list hidden questions", "v"),
    ("doctor", "fresh", "Doctor: file this checklist after the visit", "f: start a fresh one"),
    ("doctor", "past", "Doctor: past visits", "p: earlier questions and answers"),
    ("medicines", "add", "Medicines: add a medicine", "a"),
    ("medicines", "edit", "Medicines: edit the highlighted medicine", "e"),
    ("medicines", "stop", "Medicines: stop the highlighted medicine", "s: from a date"),
    ("medicines", "add_step", "Medicines: add a taper step", "p: a step your doctor prescribed"),
    ("history", "focus_filter", "History: filter the days", "/: words, leg_pain>=6, !, 2025-03"),
]
VIEW_COMMANDS = [
    ("over_time", "Charts: over time"),
    ("around_dose", "Charts: around the dose"),
    ("time_of_day", "Charts: time of day and weekday"),
    ("before_after", "Charts: before / after a dose change"),
]
RANGE_COMMANDS = [
    ("7d", "Charts: last 7 days"),
    ("30d", "Charts: last 30 days"),
    ("90d", "Charts: last 90 days"),
    ("1y", "Charts: last year"),
    ("all", "Charts: all of it"),
]


def app_commands(app: Any) -> Iterable[SystemCommand]:
    """The rows above as commands on `app` (a DiazlogApp), then data, help and theme."""
    for mode, title, help_text in GO_TO:
        yield SystemCommand(title, help_text, partial(app.switch_mode, mode))
    for mode, action, title, help_text in SCREEN_ACTIONS:
        yield SystemCommand(title, help_text, partial(app.run_on_screen, mode, action))
    for view, title in VIEW_COMMANDS:
        yield SystemCommand(
            title, "A view of the Charts screen", partial(app.open_chart_view, view)
        )
    for range_key, title in RANGE_COMMANDS:
        yield SystemCommand(
            title, "The range of the chart", partial(app.open_chart_range, range_key)
        )
    yield SystemCommand(
        "History: red-flag days", "Days on which a red-flag rule fired", app.open_red_flag_days
    )
    yield SystemCommand(
        "Data: export as CSV", "Every table, one CSV file each", lambda: app.export_data("csv")
    )
    yield SystemCommand(
        "Data: export as JSON",
        "Every table, one JSON file each",
        lambda: app.export_data("json"),
    )
    yield SystemCommand(
        "Data: back up now", "A copy of the database in the backups folder", app.backup_now
    )
    yield SystemCommand(
        "Data: reopen the diary",
        "After another program replaced its file (unsaved entries stay on screen)",
        app.diary_file.reopen,
    )
    yield SystemCommand("Help: keys of this screen", "The same as ?", app.action_help)
    for theme, title in ((LIGHT.name, "Theme: light"), (DARK.name, "Theme: dark")):
        yield SystemCommand(title, "Remembered for the next start", partial(app.use_theme, theme))
