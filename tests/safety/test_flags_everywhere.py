"""One engine, shown everywhere the same: Today's banner, History's Flags column, `status`,
`diazlog flags --json` and the report agree on the same diary; the banner's keys work."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Checkbox, DataTable, Static

from diazlog.cli import cli
from diazlog.domain.dose_flags import STOP_WORDS
from diazlog.domain.models import Category, DayLog, Dose, Level, Medication, Rating
from diazlog.report.markdown import render_markdown
from diazlog.report.visit import build_visit_report, flag_line
from diazlog.screens.history import RULE_LABELS
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_days
from diazlog.store.queries.flags import day_flags
from diazlog.store.queries.medications import save_medication
from tests.conftest import diazepam_medication, ratings
from tests.support.helpers import NOW, TODAY

LEG_PAIN, LEG_WEAKNESS, CRAMPS = 1, 2, 3


def small_diary(db_path: Path) -> None:
    """A week with a cut, an opioid, alcohol after a dose, and leg pain that persists."""
    db = open_database(db_path)
    diazepam = save_medication(db, diazepam_medication())
    opioid = save_medication(db, Medication(None, "Co-codamol 30/500", Category.PAIN))
    assert diazepam.id and opioid.id
    days = []
    for offset, (pain, mg, extra) in enumerate(
        [
            (3, 10, ()),
            (4, 10, ()),
            (6, 10, ()),
            (7, 10, ((opioid.id, "13:00", 2),)),
            (7, 10, ()),
            (8, 2, ()),
            (8, 2, ()),
        ]
    ):
        day = f"2026-11-{19 + offset:02d}"
        doses = (Dose(diazepam.id, "08:00", mg / 2), Dose(diazepam.id, "20:00", mg / 2))
        days.append(
            DayLog(
                day,
                ratings=(Rating(LEG_PAIN, pain),),
                doses=doses + tuple(Dose(*e) for e in extra),
                alcohol_units=4.0 if offset == 5 else None,
            )
        )
    save_days(db, days)
    db.close()


async def test_today_history_status_flags_and_report_agree(
    make_app, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_diary(db_path)
    db = open_database(db_path)
    saved = load_day(db, TODAY)
    assert saved is not None
    engine = day_flags(db, saved, NOW)
    rules = [a.rule for a in engine]
    assert {"severe_pain", "persistent_pain", "dose_cut", "combination"} <= set(rules)

    # Today's banner lists each flag's title.
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        banner = str(app.screen.query_one("#banner", Static).render())
        for alert in engine:
            assert alert.title in banner
        # History: the count and the most urgent kind, for the same day.
        await pilot.press("h")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        cells = [str(c) for c in table.get_row(TODAY)]
        assert f"⚠{len(engine)} {RULE_LABELS[engine[0].rule]}" in cells

    # status: the same titles, most urgent first.
    import diazlog.commands.flags as flags_command
    import diazlog.commands.status as status_command

    monkeypatch.setattr(status_command, "now", lambda: NOW)
    monkeypatch.setattr(flags_command, "now", lambda: NOW)
    runner = CliRunner()
    status = runner.invoke(cli, ["--db", str(db_path), "status"]).output
    assert "; ".join(a.title for a in engine) in status

    # flags --json: every rule of the day is an event covering it.
    events = json.loads(
        runner.invoke(cli, ["--db", str(db_path), "flags", "--from", "2026-11-19", "--json"]).output
    )
    today_events = {(e["key"], e["rule"]) for e in events if e["date"] <= TODAY == e["end"]}
    assert {(a.key, a.rule) for a in engine} <= today_events

    # The report lists the same episodes, word for word.
    report = build_visit_report(db, "2026-11-19", TODAY, now=NOW)
    assert [(e.rule, e.start, e.end) for e in report.flags] == [
        (e["rule"], e["date"], e["end"]) for e in events
    ]
    text = render_markdown(report)
    for event in report.flags:
        assert flag_line(event) in text


async def test_severe_weakness_is_urgent_and_x_ticks_extreme_weakness(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        # No severe weakness: a stray x ticks nothing and raises no alarm.
        await pilot.press("x")
        await pilot.pause()
        assert not app.screen.query_one("#flag-extreme_weakness", Checkbox).value
        assert "SEEK MEDICAL ATTENTION NOW" not in str(app.screen.query_one("#banner").render())
        assert any("severe weakness" in n.message for n in app._notifications)
        ratings(app).focus_row("symptom-2")
        await pilot.press("7")  # severe at 7, as for pain
        await pilot.pause()
        banner = app.screen.query_one("#banner", Static)
        text = str(banner.render())
        assert "SEEK MEDICAL ATTENTION NOW" in text and banner.has_class("-urgent")
        assert "Severe leg weakness (7/10)" in text
        assert "x ticks extreme weakness" in text
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.query_one("#flag-extreme_weakness", Checkbox).value
        text = str(banner.render())
        assert "Severe leg weakness" not in text  # said once, by the tick's own flag
        assert "SEEK MEDICAL ATTENTION NOW" in text and "Extreme weakness" in text
        await pilot.press("x")  # taken back: the severe weakness flag again
        await pilot.pause()
        assert not app.screen.query_one("#flag-extreme_weakness", Checkbox).value
        assert "Severe leg weakness (7/10)" in str(banner.render())


async def test_bang_marks_the_flags_seen_and_the_banner_calms(make_app, db_path: Path) -> None:
    db = open_database(db_path)
    save_days(db, [DayLog(TODAY, ratings=(Rating(LEG_PAIN, 8),))])
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#banner", Static)
        assert banner.has_class("-urgent")
        await pilot.press("exclamation_mark")
        await pilot.pause()
        await pilot.press("enter")  # the date offered is today
        await pilot.pause()
        assert banner.has_class("-seen") and not banner.has_class("-urgent")
        assert f"seen by a doctor on {TODAY}" in str(banner.render())
    rows = list(open_database(db_path).query("SELECT * FROM flag_reviews"))
    assert [(r["rule"], r["episode_start"], r["seen_on"], r["level"]) for r in rows] == [
        ("severe_pain", TODAY, TODAY, 8.0)
    ]


async def test_every_flag_is_reachable_in_the_banner_at_80x24(make_app, db_path: Path) -> None:
    db = open_database(db_path)
    diazepam = save_medication(db, diazepam_medication())
    assert diazepam.id
    ticks = frozenset({"confusion", "extreme_weakness", "breathing", "fall"})
    save_days(
        db,
        [
            DayLog(
                TODAY,
                ratings=(Rating(LEG_PAIN, 9),),
                doses=(Dose(diazepam.id, "08:00", 45),),
                red_flags=ticks,
            )
        ],
    )
    saved = load_day(db, TODAY)
    assert saved is not None
    engine = day_flags(db, saved, NOW)
    assert len(engine) >= 6
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#banner", Static)
        text = str(banner.render())
        assert f"({len(engine)} flags)" in text.splitlines()[0]
        for alert in engine:
            assert alert.title in text
        # What does not fit on screen is reached by scrolling the banner, never cut off.
        lines = banner.virtual_size.height
        assert banner.size.height >= lines or banner.max_scroll_y == lines - banner.size.height
        assert banner.size.height <= 12  # half of 24 rows: the form stays in view


def stopping_diary(db_path: Path) -> tuple[int, int]:
    """Diazepam 10 mg a day, co-codamol with it on day -2, then no diazepam while symptoms
    are still logged: severe cramps on day -1, a unit of alcohol today."""
    db = open_database(db_path)
    diazepam = save_medication(db, diazepam_medication())
    opioid = save_medication(db, Medication(None, "Co-codamol 30/500", Category.PAIN))
    assert diazepam.id and opioid.id
    start = date.fromisoformat(TODAY) - timedelta(days=8)
    days = []
    for n in range(9):
        day = (start + timedelta(days=n)).isoformat()
        taking = n <= 6
        doses = [Dose(diazepam.id, "08:00", 5), Dose(diazepam.id, "20:00", 5)] if taking else []
        if n == 6:
            doses.append(Dose(opioid.id, "13:00", 2))
        days.append(
            DayLog(
                day,
                ratings=(Rating(CRAMPS, 8 if n == 7 else 2), Rating(LEG_PAIN, 2)),
                doses=tuple(doses),
                alcohol_units=1.0 if n == 8 else None,
            )
        )
    save_days(db, days)
    db.close()
    return diazepam.id, opioid.id


async def test_every_surface_agrees_on_title_and_level(
    make_app, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """flags, flags --json, status, Today, History and the report on one diary: the same
    titles at the same levels, and the stop wording wherever the stop is told in words."""
    stopping_diary(db_path)
    db = open_database(db_path)
    saved = load_day(db, TODAY)
    assert saved is not None
    today = day_flags(db, saved, NOW)
    assert [(a.rule, a.level) for a in today] == [
        ("stopped", Level.TODAY),
        ("combination", Level.ASK),
    ]
    stop, alcohol = today
    assert stop.message == STOP_WORDS
    assert alcohol.title == "Diazepam with alcohol (1 unit)"
    first = (date.fromisoformat(TODAY) - timedelta(days=8)).isoformat()

    import diazlog.commands.flags as flags_command
    import diazlog.commands.status as status_command

    monkeypatch.setattr(status_command, "now", lambda: NOW)
    monkeypatch.setattr(flags_command, "now", lambda: NOW)
    runner = CliRunner()
    events = json.loads(
        runner.invoke(cli, ["--db", str(db_path), "flags", "--from", first, "--json"]).output
    )
    by_title = {e["title"]: e for e in events}
    assert by_title["Co-codamol 30/500 (codeine, an opioid) with diazepam"]["level"] == "today"
    assert by_title["Severe cramps (8/10)"]["level"] == "urgent"
    assert by_title[stop.title]["level"] == "today"
    assert by_title[stop.title]["message"] == STOP_WORDS
    assert by_title[alcohol.title]["level"] == "ask"  # never like the opioid
    text = runner.invoke(cli, ["--db", str(db_path), "flags", "--from", first]).output
    assert f"TODAY  {stop.title}: {STOP_WORDS}" in text
    assert "URGENT  Severe cramps (8/10)" in text
    assert "leg pain" not in text.lower()  # the cramps caused it

    status = runner.invoke(cli, ["--db", str(db_path), "status"]).output
    assert f"⚠ Contact your doctor today: {stop.title}; {alcohol.title}" in status

    report = build_visit_report(db, first, TODAY, now=NOW)
    assert {(e.title, e.level.code) for e in report.flags} == {
        (e["title"], e["level"]) for e in events
    }
    rendered = render_markdown(report)
    for event in report.flags:
        assert f"{event.title} [{event.level.label}" in rendered
    assert f"{stop.title} [contact your doctor today]" in rendered

    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#banner", Static)
        shown = str(banner.render())
        assert shown.startswith("⚠ Contact your doctor today") and banner.has_class("-today")
        assert f"• {stop.title}: {STOP_WORDS}" in shown
        assert f"• {alcohol.title}:" in shown
        await pilot.press("h")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert "!2 stop" in [str(c) for c in table.get_row(TODAY)]
        yesterday = (date.fromisoformat(TODAY) - timedelta(days=1)).isoformat()
        assert "⚠1 pain" in [str(c) for c in table.get_row(yesterday)]


def test_days_not_logged_are_quiet_and_status_says_nothing_logged_since(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight days with nothing logged after regular diazepam: no flag anywhere, no talk of
    stopping; `status` only says gently since when nothing was logged."""
    db = open_database(db_path)
    diazepam = save_medication(db, diazepam_medication())
    assert diazepam.id
    end = date.fromisoformat(TODAY) - timedelta(days=8)
    save_days(
        db,
        [
            DayLog(
                (end - timedelta(days=n)).isoformat(),
                ratings=(Rating(LEG_PAIN, 2),),
                doses=(Dose(diazepam.id, "08:00", 5), Dose(diazepam.id, "20:00", 5)),
            )
            for n in range(7)
        ],
    )
    db.close()
    import diazlog.commands.flags as flags_command
    import diazlog.commands.status as status_command

    monkeypatch.setattr(status_command, "now", lambda: NOW)
    monkeypatch.setattr(flags_command, "now", lambda: NOW)
    runner = CliRunner()
    events = runner.invoke(cli, ["--db", str(db_path), "flags", "--json"]).output
    assert json.loads(events) == []
    status = runner.invoke(cli, ["--db", str(db_path), "status"]).output
    assert f"Nothing logged since {end.day} {end:%b}" in status
    assert "stop" not in status.lower() and "⚠" not in status
    # Logged yesterday: nothing to say.
    yesterday = (date.fromisoformat(TODAY) - timedelta(days=1)).isoformat()
    save_days(open_database(db_path), [DayLog(yesterday, ratings=(Rating(LEG_PAIN, 1),))])
    assert "Nothing logged" not in runner.invoke(cli, ["--db", str(db_path), "status"]).output


async def test_today_says_nothing_logged_since_and_no_stop(make_app, db_path: Path) -> None:
    """A week of diazepam, then eight days with nothing logged: Today's title says gently
    since when, the banner stays down (not logging is not stopping)."""
    db = open_database(db_path)
    diazepam = save_medication(db, diazepam_medication())
    assert diazepam.id
    end = date.fromisoformat(TODAY) - timedelta(days=8)
    save_days(
        db,
        [
            DayLog(
                (end - timedelta(days=n)).isoformat(),
                ratings=(Rating(LEG_PAIN, 2),),
                doses=(Dose(diazepam.id, "08:00", 5), Dose(diazepam.id, "20:00", 5)),
            )
            for n in range(7)
        ],
    )
    db.close()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert f"not logged yet · nothing logged since {end.day} {end:%b}" in app.screen.sub_title
        assert not app.screen.query_one("#banner").display
        ratings(app).focus_row("symptom-1")
        await pilot.press("3")  # something on screen: the line gives way to "unsaved"
        await pilot.pause()
        assert "nothing logged since" not in app.screen.sub_title
