"""A stop, a cut or an urgent flag of the last logged day still stands the next morning:
`status` and Today's banner show it, said with its date, until today's log changes the
situation (diazepam logged again, the day rated) or a doctor has seen it; an "ask" flag is
not carried. Days with only the legs' interference ratings count as logged, with symptoms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Static

from diazlog.app import DiazlogApp
from diazlog.cli import cli
from diazlog.domain.models import DayLog, Dose, Rating, TaperStep
from diazlog.store import open_database
from diazlog.store.queries.days import save_days
from diazlog.store.queries.flags import flags_by_day, mark_seen
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.settings import set_setting
from diazlog.store.queries.taper import save_step
from tests.conftest import diazepam_medication

LEG_PAIN = 1
MORNING = datetime(2026, 12, 8, 7, 0)  # Tue 8 Dec, nothing logged yet
STOP = "No diazepam logged on 2 days with symptoms (last dose 5 Dec) (on 7 Dec)"
CUT = "Diazepam cut to 5 mg a day (the plan: 10 mg), 2 days in a row (on 7 Dec)"


@dataclass(frozen=True)
class Case:
    """A plan of 5 mg at 08:00 and 20:00, taken with leg pain 2 on 1-5 Dec except on the days
    of `after` (what each holds: see _day); `today` is what 8 Dec holds (nothing when "")."""

    name: str
    after: dict[str, str]  # day -> "none" (symptoms, no diazepam), "cut", "interference", …
    today: str = ""  # "", "dose" (5 mg at 08:00), "rated" (leg pain 3, no diazepam)
    clock: datetime = MORNING
    seen: str = ""  # the day whose flags a doctor has seen
    shown: tuple[str, ...] = ()  # in status and on the banner
    not_shown: tuple[str, ...] = ()
    header: str = "⚠ Contact your doctor today"
    extra: dict[str, str] = field(default_factory=dict)  # "status": also said by status


def _day(day: str, what: str, diazepam: int) -> DayLog:
    pain = (Rating(LEG_PAIN, 2),)
    if what == "none":
        return DayLog(day, ratings=pain)
    if what == "interference":
        return DayLog(day, walking_interference=6, sleep_interference=4)
    if what == "cut":
        half = (Dose(diazepam, "08:00", 2.5), Dose(diazepam, "20:00", 2.5))
        return DayLog(day, ratings=pain, doses=half)
    if what == "alcohol":
        full = (Dose(diazepam, "08:00", 5), Dose(diazepam, "20:00", 5))
        return DayLog(day, ratings=pain, doses=full, alcohol_units=2.0)
    if what == "severe":
        full = (Dose(diazepam, "08:00", 5), Dose(diazepam, "20:00", 5))
        return DayLog(day, ratings=(Rating(LEG_PAIN, 8),), doses=full)
    if what == "dose":
        return DayLog(day, doses=(Dose(diazepam, "08:00", 5),))
    if what == "rated":
        return DayLog(day, ratings=(Rating(LEG_PAIN, 3),))
    raise ValueError(what)


def build(db_path: Path, case: Case) -> None:
    db = open_database(db_path)
    med = save_medication(db, diazepam_medication())
    assert med.id
    save_step(db, TaperStep(None, med.id, "2026-11-20", 5, ("08:00", "20:00")))
    full = (Dose(med.id, "08:00", 5), Dose(med.id, "20:00", 5))
    days = [
        DayLog(f"2026-12-0{n}", ratings=(Rating(LEG_PAIN, 2),), doses=full) for n in range(1, 6)
    ]
    days = [d for d in days if d.date not in case.after]
    days += [_day(day, what, med.id) for day, what in case.after.items()]
    if case.today:
        days.append(_day(case.clock.date().isoformat(), case.today, med.id))
    save_days(db, days)
    if case.seen:
        for alert in flags_by_day(db, case.seen, case.seen, case.clock)[case.seen]:
            mark_seen(db, case.seen, alert.key, "2026-12-08", case.clock)
    db.close()


STOPPED = {"2026-12-06": "none", "2026-12-07": "none"}
CASES = [
    Case("stop on 6-7 Dec stands on 8 Dec", STOPPED, shown=(STOP,)),
    Case(
        "stop, 8 Dec rated without diazepam: today's own stop, once",
        STOPPED,
        today="rated",
        shown=("No diazepam logged on 2 days with symptoms (last dose 5 Dec)",),
        not_shown=("(on 7 Dec)",),
    ),
    Case(
        "stop, diazepam logged on 8 Dec",
        STOPPED,
        today="dose",
        clock=datetime(2026, 12, 8, 9, 0),
        not_shown=("No diazepam", "⚠"),
    ),
    Case("stop seen by a doctor", STOPPED, seen="2026-12-07", not_shown=("No diazepam", "⚠")),
    Case(
        "stop of 4-5 Dec, nothing logged since: too old to carry",
        {"2026-12-04": "none", "2026-12-05": "none"},
        not_shown=("No diazepam", "⚠"),
        extra={"status": "Nothing logged since 5 Dec"},
    ),
    Case(
        "cut on 6-7 Dec stands on 8 Dec", {"2026-12-06": "cut", "2026-12-07": "cut"}, shown=(CUT,)
    ),
    Case(
        "a cut ends when diazepam is logged",
        {"2026-12-06": "cut", "2026-12-07": "cut"},
        today="dose",
        clock=datetime(2026, 12, 8, 9, 0),
        not_shown=("cut", "⚠"),
    ),
    Case(
        "severe pain yesterday stands until today is rated",
        {"2026-12-07": "severe"},
        header="⚠ SEEK MEDICAL ATTENTION NOW",
        shown=("Severe leg pain (8/10) (on 7 Dec)",),
    ),
    Case(
        "severe pain yesterday, rated 3 today: today's judgement",
        {"2026-12-07": "severe"},
        today="rated",
        not_shown=("Severe", "⚠"),
    ),
    Case(
        "an ask-level flag of yesterday is not carried",
        {"2026-12-07": "alcohol"},
        not_shown=("alcohol", "Ask your doctor", "⚠"),
    ),
    Case(
        "interference-only days are days with symptoms: a stop",
        {"2026-12-06": "interference", "2026-12-07": "interference"},
        shown=(STOP,),
    ),
    Case(
        "an interference-only day is a logged day",
        {"2026-12-05": "interference", "2026-12-04": "none", "2026-12-03": "none"},
        not_shown=("Nothing logged since 2 Dec",),
        extra={"status": "Nothing logged since 5 Dec"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_status_shows_what_still_stands(
    case: Case, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(db_path, case)
    import diazlog.commands.status as status_command

    monkeypatch.setattr(status_command, "now", lambda: case.clock)
    status = CliRunner().invoke(cli, ["--db", str(db_path), "status"]).output
    if case.shown:
        assert f"{case.header}: {'; '.join(case.shown)}" in status
    for text in case.shown:
        assert status.count(text) == 1  # never twice
    for text in case.not_shown:
        assert text not in status
    if "status" in case.extra:
        assert case.extra["status"] in status


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_today_banner_shows_what_still_stands(case: Case, db_path: Path) -> None:
    build(db_path, case)
    db = open_database(db_path)
    set_setting(db, "welcomed", "1")
    app = DiazlogApp(db, db_path, clock=lambda: case.clock)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#banner", Static)
        text = str(banner.render()) if banner.display else ""
        if case.shown:
            assert text.startswith(case.header)
        for title in case.shown:
            assert text.count(title) == 1
        for words in case.not_shown:
            assert words not in text


async def test_bang_marks_a_carried_stop_seen_on_its_own_day(db_path: Path) -> None:
    """The stop of 7 Dec on 8 Dec's banner: ! marks its episode seen; the banner calms."""
    build(db_path, CASES[0])
    db = open_database(db_path)
    set_setting(db, "welcomed", "1")
    app = DiazlogApp(db, db_path, clock=lambda: MORNING)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#banner", Static)
        assert STOP in str(banner.render()) and "press !" in str(banner.render())
        await pilot.press("exclamation_mark")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not banner.display or "No diazepam" not in str(banner.render())
    rows = list(open_database(db_path).query("SELECT * FROM flag_reviews"))
    assert [(r["rule"], r["episode_start"]) for r in rows] == [("stopped", "2026-12-07")]
