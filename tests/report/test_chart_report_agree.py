"""Charts and the report say the same about the same days (issue 20, item 8): one mean of
diazepam a day, rounded once; and an onset chart with nothing for the chosen symptom names it
and the symptoms that do have onsets, instead of "No onset times" while a cramp onset exists."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlite_utils import Database

from diazlog.app import DiazlogApp
from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating, Symptom
from diazlog.domain.trends import DoseStats
from diazlog.report.markdown import render_markdown
from diazlog.report.visit import build_visit_report
from diazlog.screens.chart_data import TimeOfDayChart, no_onsets_message
from diazlog.screens.charts import ChartsScreen
from diazlog.store.queries.days import save_days
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.series import diazepam_stats
from diazlog.store.queries.symptoms import list_symptoms
from tests.support.helpers import NOW, settle

MakeApp = Callable[..., DiazlogApp]
START, END = "2026-10-27", "2026-11-25"  # Charts' default range: the last 30 days


def diazepam(db: Database) -> int:
    med = save_medication(
        db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True, unit="mg")
    )
    assert med.id is not None
    return med.id


@pytest.mark.parametrize(
    ("total", "days", "shown"),
    [(33.0, 4, "8.3"), (32.6, 4, "8.2"), (10.0, 4, "2.5"), (0.0, 3, "0"), (5.0, 0, "-")],
)
def test_the_mean_is_rounded_half_up_once(total: float, days: int, shown: str) -> None:
    assert DoseStats(days=days, total=total).mean_text == shown


async def test_charts_and_the_report_show_the_same_mg_a_day(
    make_app: MakeApp, db: Database
) -> None:
    """8, 8.5, 8, 8.5 mg: 8.25 a day, which one rounding made 8.3 and the other 8.2; and a
    day logged without a dose counts as 0 mg in both."""
    med = diazepam(db)
    pain = list_symptoms(db)[0].id
    amounts = {"2026-11-20": 8.0, "2026-11-21": 8.5, "2026-11-22": 8.0, "2026-11-23": 8.5}
    save_days(
        db,
        [
            DayLog(day, (Rating(pain, 3),), doses=(Dose(med, "08:00", mg),))
            for day, mg in amounts.items()
        ],
    )
    report = build_visit_report(db, START, END, now=NOW)
    markdown = render_markdown(report)
    assert "Logged: 8.3 mg a day on average over the 4 logged days, 4 with a dose" in markdown
    stats = diazepam_stats(db, START, END)
    assert stats is not None and report.dose_stats == stats
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        shown = str(screen.query_one("#over_time-numbers").render())
        assert "Diazepam: 8.3 mg a day" in shown
    # A fifth day, logged without a dose: 33 / 5 = 6.6 on both.
    save_days(db, [DayLog("2026-11-24", (Rating(pain, 2),))])
    again = render_markdown(build_visit_report(db, START, END, now=NOW))
    assert "6.6 mg a day on average over the 5 logged days, 4 with a dose" in again
    stats = diazepam_stats(db, START, END)
    assert stats is not None and "Diazepam: 6.6 mg a day" in stats.describe()


PAIN = Symptom(1, "leg_pain", "Leg pain")
CRAMPS = Symptom(3, "cramps", "Cramps")
SPASMS = Symptom(4, "spasms", "Spasms")


@pytest.mark.parametrize(
    ("chosen", "onsets", "says", "never"),
    [
        ([PAIN], {3: 1}, ["for Leg pain", "Cramps 1"], ["Spasms"]),
        ([PAIN], {3: 2, 4: 5}, ["Cramps 2", "Spasms 5"], []),
        ([PAIN], {}, ["for Leg pain", "press enter on a rating"], ["Other symptoms"]),
        ([PAIN, CRAMPS], {4: 1}, ["for Leg pain, Cramps", "Spasms 1"], []),
    ],
)
def test_the_no_onsets_message_names_whose_onsets_exist(
    chosen: list[Symptom], onsets: dict[int, int], says: list[str], never: list[str]
) -> None:
    message = no_onsets_message(chosen, [PAIN, CRAMPS, SPASMS], onsets, "last 30 days")
    assert all(s in message for s in says), message
    assert not any(n in message for n in never), message


async def around_the_dose_message(make_app: MakeApp, db: Database) -> tuple[str, str]:
    """Leg pain 5 and cramps 6 with an onset at 03:10 on one day; Charts turned to the time of
    day: (the hour chart's message, its text as drawn)."""
    diazepam(db)
    symptoms = {s.key: s.id for s in list_symptoms(db)}
    save_days(
        db,
        [
            DayLog(
                "2026-11-20",
                (Rating(symptoms["leg_pain"], 5), Rating(symptoms["cramps"], 6, onset="03:10")),
            ),
        ],
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        for _ in range(8):
            if screen.shown is not None and isinstance(screen.shown.chart, TimeOfDayChart):
                break
            await pilot.press("v")
            await settle(pilot)
        assert screen.shown is not None and isinstance(screen.shown.chart, TimeOfDayChart)
        panel = screen.query_one("#hour-chart")
        return panel.message, str(panel.query_one(".chart-message").render())  # type: ignore[attr-defined]


async def test_an_onset_of_another_symptom_is_named_on_the_chart(
    make_app: MakeApp, db: Database
) -> None:
    message, _ = await around_the_dose_message(make_app, db)
    assert "No onset times for Leg pain" in message
    assert "Cramps 1" in message


async def test_a_symptom_name_in_a_chart_message_is_shown_as_typed(
    make_app: MakeApp, db: Database
) -> None:
    """Charts' lines in place of a chart quote symptom names: markup in a name is shown, not
    obeyed (adversarial review: "Calf pain [bold]B[/bold]" lost its brackets there)."""
    db.execute("UPDATE symptoms SET name = 'Cramps [bold]B[/bold]' WHERE key = 'cramps'")
    _, shown = await around_the_dose_message(make_app, db)
    assert "Cramps [bold]B[/bold] 1" in shown
