"""Charts screen: every view and range by keyboard, empty states, and charts equal stored data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlite_utils import Database
from textual.pilot import Pilot

from diazlog.app import DiazlogApp
from diazlog.demo import populate
from diazlog.domain.dose_changes import before_after, dose_marks
from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating, TaperStep
from diazlog.screens.chart_data import (
    AroundDoseChart,
    BeforeAfterChart,
    OverTimeChart,
    TimeOfDayChart,
)
from diazlog.screens.charts import ChartsScreen
from diazlog.store.queries.days import save_days
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.store.queries.taper import save_step
from diazlog.widgets.chart_panel import ChartPanel, style_for
from tests.support.helpers import NOW, settle

MakeApp = Callable[..., DiazlogApp]


async def open_charts(pilot: Pilot[None]) -> ChartsScreen:
    await pilot.press("c")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ChartsScreen)
    assert pilot.app.current_mode == "charts"
    return screen


async def over_time_after(pilot: Pilot[None], screen: ChartsScreen, key: str) -> OverTimeChart:
    """Press a range key (1-5) and return the Over time chart it drew."""
    await pilot.press(key)
    await settle(pilot)
    assert screen.shown is not None
    chart = screen.shown.chart
    assert isinstance(chart, OverTimeChart)
    return chart


def panel(screen: ChartsScreen, name: str) -> ChartPanel:
    return screen.query_one(f"#{name}", ChartPanel)


def numbers(screen: ChartsScreen, view: str) -> str:
    return str(screen.query_one(f"#{view}-numbers").render())


def known_days(db: Database) -> tuple[int, int]:
    """Leg pain 2, 4, 6 and diazepam 10, 7.5, 5 mg on the last three days before NOW."""
    pain = list_symptoms(db)[0].id
    med = save_medication(db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, True))
    assert med.id is not None
    days = [("2026-11-23", 2, 10.0), ("2026-11-24", 4, 7.5), ("2026-11-25", 6, 5.0)]
    save_days(
        db,
        [
            DayLog(day, (Rating(pain, value, onset="18:00"),), doses=(Dose(med.id, "08:00", mg),))
            for day, value, mg in days
        ],
    )
    return pain, med.id


@pytest.fixture
def demo_db(db: Database) -> Database:
    populate(db, years=0.5, end=NOW.date())
    return db


async def test_over_time_draws_what_is_stored(make_app: MakeApp, db: Database) -> None:
    pain, _ = known_days(db)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_charts(pilot)
        chart = await over_time_after(pilot, screen, "1")  # 7 days
        assert (chart.start, chart.end, chart.bucket_days) == ("2026-11-19", "2026-11-25", 1)
        (line,) = chart.lines
        assert line.symptom.id == pain
        assert line.values == (None, None, None, None, 2, 4, 6)  # not logged: gaps
        assert line.rolling[-3:] == (2, 3, 4)  # the 7-day mean of three known days
        assert chart.dose_mg == (None, None, None, None, 10, 7.5, 5)
        assert line.summary.mean == 4 and line.summary.worst == 6
        text = numbers(screen, "over_time")
        # 3 days: the mean and range, but no "worst" and no trend (limits.MIN_DAYS_TO_COMPARE)
        assert "Leg pain: mean 4 · range 2–6 · 3 days · trend: not enough data yet (3 days)" in text
        assert "worst" not in text
        assert "Diazepam: 7.5 mg a day (range 5–10) · 3 days logged, 3 with a dose" in text
        assert panel(screen, "symptom-chart").message == ""
        assert panel(screen, "dose-chart").plot.draws > 0


async def test_days_at_0_mg_are_drawn_not_left_blank(make_app: MakeApp, db: Database) -> None:
    """After stopping, logged days without diazepam show a 0, unlike days not logged."""
    pain, _ = known_days(db)  # 10, 7.5 and 5 mg on 23-25 Nov
    save_days(
        db, [DayLog("2026-11-21", (Rating(pain, 3),)), DayLog("2026-11-22", (Rating(pain, 4),))]
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_charts(pilot)
        chart = await over_time_after(pilot, screen, "1")
        assert chart.dose_mg == (None, None, 0, 0, 10, 7.5, 5)
        marks = dose_marks(chart.dose_mg)
        assert marks.bar_x == (4, 5, 6) and marks.zero_x == (2, 3)
        assert panel(screen, "dose-chart").message == ""
        assert "4.5 mg a day (range 0–10) · 5 days logged, 3 with a dose" in numbers(
            screen, "over_time"
        )


async def test_a_range_of_only_0_mg_days_is_drawn(make_app: MakeApp, db: Database) -> None:
    """Stopped: every logged day at 0 mg. The chart shows the zeros, no "nothing logged"."""
    pain = list_symptoms(db)[0].id
    save_medication(db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, True))
    save_days(db, [DayLog(f"2026-11-{day}", (Rating(pain, 5),)) for day in (23, 24, 25)])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_charts(pilot)
        chart = await over_time_after(pilot, screen, "1")
        assert chart.dose_mg == (None, None, None, None, 0, 0, 0)
        dose_panel = panel(screen, "dose-chart")
        assert dose_panel.message == ""
        assert dose_panel.plot.draws > 0
        text = numbers(screen, "over_time")
        assert "Diazepam: 0 mg a day (every day 0) · 3 days logged, 0 with a dose" in text


async def test_every_range_by_key(make_app: MakeApp, demo_db: Database) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_charts(pilot)
        expected = {"1": 7, "2": 30, "3": 90, "4": 365}
        for key, days in expected.items():
            chart = await over_time_after(pilot, screen, key)
            assert screen.shown is not None
            assert len(chart.starts) * chart.bucket_days >= days
            assert len(chart.starts) <= screen.shown.request.columns
            assert panel(screen, "symptom-chart").message == ""
        chart = await over_time_after(pilot, screen, "5")
        assert chart.start == chart.first_logged
        assert "[all]" in str(screen.query_one("#chart-bar").render())


async def test_views_cycle_and_draw(make_app: MakeApp, demo_db: Database) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_charts(pilot)
        await pilot.press("3")
        await settle(pilot)
        kinds = []
        for key in ("v", "tab", "v", "v"):
            await pilot.press(key)
            await settle(pilot)
            assert screen.shown is not None
            kinds.append(type(screen.shown.chart))
        assert kinds == [AroundDoseChart, TimeOfDayChart, BeforeAfterChart, OverTimeChart]
        await pilot.press("shift+tab")
        await settle(pilot)
        assert screen.view == "before_after"
        for name in ("lag-chart", "hour-chart", "weekday-chart", "change-chart"):
            assert panel(screen, name).message == "", name
        assert "→" in numbers(screen, "before_after")
        app.open_chart_view("around_dose")  # the command palette's "Charts: around the dose"
        await settle(pilot)
        await settle(pilot)
        assert screen.shown is not None and isinstance(screen.shown.chart, AroundDoseChart)


async def test_around_the_dose_bins_known_onsets(make_app: MakeApp, db: Database) -> None:
    known_days(db)  # onsets at 18:00, doses at 08:00: 10 hours after each
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_charts(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert screen.shown is not None
        chart = screen.shown.chart
        assert isinstance(chart, AroundDoseChart)
        (_, lag) = chart.lags[0]
        filled = [b for b in lag.bins if b.count]
        assert [(b.label, b.mean, b.count) for b in filled] == [("10-12h", 4, 3)]
        text = numbers(screen, "around_dose")
        assert "10-12h 4 (3) · highest: not enough data yet (3 onsets · needs 5 in one bin" in text
        assert "not a dose wearing off" in text
        await pilot.press("v")
        await settle(pilot)
        chart = screen.shown.chart
        assert isinstance(chart, TimeOfDayChart)
        hours = chart.hours[0][1]
        assert [(m.label, m.mean) for m in hours if m.count] == [("18-21", 4)]
        weekdays = {m.label: m.mean for m in chart.weekdays[0][1] if m.count}
        assert weekdays == {"Mon": 2, "Tue": 4, "Wed": 6}


async def test_symptom_keys_toggle_lines(make_app: MakeApp, demo_db: Database) -> None:
    symptoms = list_symptoms(demo_db)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_charts(pilot)
        await pilot.press("w")  # leg weakness on
        await settle(pilot)
        assert screen.shown is not None
        chart = screen.shown.chart
        assert isinstance(chart, OverTimeChart)
        assert [line.symptom.id for line in chart.lines] == [symptoms[0].id, symptoms[1].id]
        await pilot.press("p")  # leg pain off
        await settle(pilot)
        chart = screen.shown.chart
        assert isinstance(chart, OverTimeChart)
        assert [line.symptom.key for line in chart.lines] == ["leg_weakness"]
        await pilot.press("w")  # nothing chosen: a message, not a blank panel
        await settle(pilot)
        assert "No symptom chosen" in panel(screen, "symptom-chart").message


async def test_before_after_picks_changes_with_brackets(make_app: MakeApp, db: Database) -> None:
    pain = list_symptoms(db)[0].id
    med = save_medication(db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, True))
    assert med.id is not None
    for day, amount in (("2026-08-01", 5.0), ("2026-09-01", 2.5), ("2026-10-01", 1.0)):
        save_step(db, TaperStep(None, med.id, day, amount, ("08:00", "20:00")))
    values = {f"2026-09-{d:02d}": 6 for d in range(1, 31)}
    values |= {f"2026-08-{d:02d}": 3 for d in range(2, 32)}
    save_days(db, [DayLog(day, (Rating(pain, v),)) for day, v in values.items()])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_charts(pilot)
        for _ in range(3):
            await pilot.press("v")
        await settle(pilot)
        assert screen.shown is not None
        chart = screen.shown.chart
        assert isinstance(chart, BeforeAfterChart)
        assert chart.change is not None and chart.change.date == "2026-10-01"
        await pilot.press("left_square_bracket")  # an older change
        await settle(pilot)
        chart = screen.shown.chart
        assert isinstance(chart, BeforeAfterChart)
        assert chart.change is not None and chart.change.date == "2026-09-01"
        row = next(ba for s, ba in chart.rows if s.id == pain)
        assert chart.window is not None
        assert row == before_after({d: float(v) for d, v in values.items()}, chart.window)
        assert (row.before, row.after) == (3, 6)
        assert "3 (30 days) → 6 (30 days): +3, worse" in numbers(screen, "before_after")
        assert "10 → 5 mg a day (taper step)" in str(screen.query_one("#change-line").render())
        await pilot.press("left_square_bracket")  # already the oldest: stays
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        chart = screen.shown.chart
        assert isinstance(chart, BeforeAfterChart)
        assert chart.change is not None and chart.change.date == "2026-10-01"


async def test_empty_diary_shows_messages(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_charts(pilot)
        assert "Nothing logged yet" in panel(screen, "symptom-chart").message
        for _ in range(3):
            await pilot.press("v")
            await settle(pilot)
        assert "needs a dose change" in panel(screen, "change-chart").message
        await pilot.press("v", "v")
        await settle(pilot)
        assert "No diazepam doses" in panel(screen, "lag-chart").message
        await pilot.press("v")
        await settle(pilot)
        assert "No onset times" in panel(screen, "hour-chart").message


async def test_one_day_and_a_symptom_never_logged(make_app: MakeApp, db: Database) -> None:
    pain = list_symptoms(db)[0].id
    save_days(db, [DayLog("2026-11-20", (Rating(pain, 5),))])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_charts(pilot)
        assert "Only one day logged" in panel(screen, "symptom-chart").message
        assert "Leg pain: 5 (20 Nov 2026) · 1 day" in numbers(screen, "over_time")
        await pilot.press("p", "r")  # leg pain off, cramps (never logged) on
        await settle(pilot)
        assert "Cramps: not logged" in panel(screen, "symptom-chart").message
        assert "Cramps: not logged in this range" in numbers(screen, "over_time")
        await pilot.press("1")  # 7 days: the day is 5 days back, still in range
        await settle(pilot)
        await pilot.press("r", "p")
        await settle(pilot)
        assert "Only one day" in panel(screen, "symptom-chart").message


async def test_no_color_and_light_theme(
    make_app: MakeApp, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_charts(pilot)
        plot = panel(screen, "symptom-chart").plot
        assert style_for(app).no_color  # markers, not colours, tell the symptoms apart
        assert "p•Leg pain  w Leg weakness" in str(screen.query_one("#symptom-bar").render())
        assert "• Leg pain: mean" in numbers(screen, "over_time")
        # Each day's rating and the 7-day line are told apart by their marks, not colour.
        drawn = plot.render().plain
        assert "·" in drawn and "•" in drawn
        assert "· each day, the symptom's mark: 7-day mean" in numbers(screen, "over_time")
        app.theme = "textual-light"
        await settle(pilot)
        assert plot.draws > 0
    monkeypatch.delenv("NO_COLOR")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-light"
        screen = await open_charts(pilot)
        plot = panel(screen, "symptom-chart").plot
        assert plot.theme == "auto" and plot.draws > 0
