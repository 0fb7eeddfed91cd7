"""Page 1 of the visit report: the flag summary, then the symptoms around each taper step,
recomputed here with SQL; the counts the issue found wrong; the default range of a young
diary; the next step; day notes beside their days; diary text cleaned; chart labels apart."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input

from diazlog.cli import cli
from diazlog.domain import questions as q
from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating, Severity, TaperStep
from diazlog.domain.redflags import FlagEvent
from diazlog.report import pdf as pdf_module
from diazlog.report.markdown import render_markdown
from diazlog.report.pdf import place_labels, render_pdf
from diazlog.report.visit import MEDICINE_RULES, build_visit_report
from diazlog.store import open_database
from diazlog.store.queries.days import save_days
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.settings import set_setting
from diazlog.store.queries.taper import save_step
from tests.conftest import diazepam_medication
from tests.support.helpers import NOW, pdf_pages

START, END = "2026-08-28", "2026-11-25"  # the demo's default 90 days


def shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def step_windows_by_sql(conn: sqlite3.Connection, start: str, end: str) -> list[dict]:
    """Each taper step inside (start, end] and every symptom's 7 logged days before and after
    it, from SQL written here: never before the previous step, the range or 21 days back;
    never from the next step on, past the range or 21 days on."""
    steps = conn.execute(
        "SELECT from_date FROM taper_steps WHERE medication_id = "
        "(SELECT id FROM medications WHERE is_diazepam = 1) ORDER BY from_date"
    ).fetchall()
    days = [s[0] for s in steps]
    found = []
    for index, step in enumerate(days):
        if not start < step <= end:
            continue
        low = max([start, shift(step, -21)] + days[index - 1 : index][:1] if index else [start])
        low = max(low, shift(step, -21))
        high = min(end, shift(step, 20))
        if index + 1 < len(days):
            high = min(high, shift(days[index + 1], -1))
        symptoms = {}
        for sid, name in conn.execute("SELECT id, name FROM symptoms ORDER BY position, id"):
            before = conn.execute(
                "SELECT avg(intensity), count(*) FROM (SELECT intensity FROM ratings WHERE "
                "symptom_id = ? AND date >= ? AND date < ? ORDER BY date DESC LIMIT 7)",
                [sid, low, step],
            ).fetchone()
            after = conn.execute(
                "SELECT avg(intensity), count(*) FROM (SELECT intensity FROM ratings WHERE "
                "symptom_id = ? AND date >= ? AND date <= ? ORDER BY date LIMIT 7)",
                [sid, step, high],
            ).fetchone()
            if before[1] or after[1]:
                symptoms[name] = (before, after)
        found.append({"date": step, "symptoms": symptoms})
    return found


def test_the_demo_report_opens_with_the_flag_summary_and_the_taper_response(
    demo_path: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(demo_path) as tick:  # a ticked fall on two logged days
        tick.executemany(
            "INSERT INTO red_flags (date, kind) VALUES (?, 'fall')",
            [("2026-10-06",), ("2026-11-12",)],
        )
    report = build_visit_report(open_database(demo_path), START, END, now=NOW)
    text = render_markdown(report)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[:2] == ["## Red flags", "## Symptoms before and after each taper step"]
    conn = sqlite3.connect(demo_path)
    steps = step_windows_by_sql(conn, START, END)
    assert steps, "the demo has taper steps in its last 90 days"
    page = text[text.index("## Symptoms before") : text.index("## Diazepam")]
    sentences = [line for line in page.splitlines() if line.startswith("- After ")]
    named = 0
    for step in steps:
        day = date.fromisoformat(step["date"])
        when = f"on {day.day} {day:%b},"
        said = next((s for s in sentences if when in s), "")
        for name, ((b, nb), (a, na)) in step["symptoms"].items():
            cell = f"{b:.1f} -> {a:.1f} ({nb}/{na})" if nb and na else f"({nb}/{na})"
            row = next(line for line in page.splitlines() if line.startswith(f"| {name} |"))
            assert cell in row, (step["date"], name, row)
            rise = nb >= 7 and na >= 7 and abs(round(a, 1) - round(b, 1)) >= 2
            way = "rose" if a > b else "fell"
            claim = f"{name.lower()} {way} from {b:.1f} to {a:.1f} (7 and 7 days)"
            assert (claim in said) == rise, (step["date"], name, said)
            named += rise
    assert named, "the pattern the diary exists to show is named in words"
    # The flag summary: each kind's days are the engine's, counted once; alcohol's drinking
    # days are the days with units logged.
    drinking = {
        r[0]
        for r in conn.execute(
            "SELECT date FROM days WHERE alcohol_units > 0 AND date BETWEEN ? AND ?", [START, END]
        )
    }
    alcohol = next(line for line in report.flag_summary if line.key == "combination:alcohol")
    assert set(alcohol.about) <= drinking
    assert f"on {len(drinking)} drinking day" in text
    flagged = {(d, e.key) for e in report.flags for d in e.dates}  # the day-by-day list below
    assert sum(line.count for line in report.flag_summary) == len(flagged)
    # Ticked falls: the fall lines' days are the days ticked.
    falls = {
        r[0]
        for r in conn.execute(
            "SELECT date FROM red_flags WHERE kind = 'fall' AND date BETWEEN ? AND ?", [START, END]
        )
    }
    assert len(falls) == 2
    fall_lines = [line for line in report.flag_summary if line.key in ("fall", "repeated_falls")]
    assert {d for line in fall_lines for d in line.dates} == falls
    # A flag that names a medicine says its doses and days from the doses table first.
    named = [
        line
        for line in report.flag_summary
        if line.key.split(":")[0] in MEDICINE_RULES and line.key.split(":")[-1].isdigit()
    ]
    assert named, "the demo flags medicines taken with diazepam"
    for line in named:
        med = int(line.key.split(":")[-1])
        doses, days_taken = conn.execute(
            "SELECT count(*), count(DISTINCT substr(taken_at, 1, 10)) FROM doses "
            "WHERE medication_id = ? AND substr(taken_at, 1, 10) BETWEEN ? AND ?",
            [med, START, END],
        ).fetchone()
        dose_word = "dose" if doses == 1 else "doses"
        day_word = "day" if days_taken == 1 else "days"
        assert f"- {line.label}: {doses} {dose_word} on {days_taken} {day_word} (" in text
    # Page 1 of the PDF holds both.
    first = pdf_pages(render_pdf(report), tmp_path)[0]
    for expected in ("Red flags", "flagged on", "Symptoms before and after each taper step"):
        assert expected in first, expected
    assert "rose from" in " ".join(first.split())


def _young_diary(path: Path, first: str, days: int, **extra: object) -> int:
    """A diary logged for `days` days from `first`: diazepam 2 x 5 mg, leg pain 3."""
    db = open_database(path)
    med = save_medication(db, diazepam_medication(started_on=first))
    assert med.id is not None
    logs = [
        DayLog(
            shift(first, i),
            ratings=(Rating(1, 3),),
            doses=(Dose(med.id, "08:00", 5), Dose(med.id, "20:00", 5)),
        )
        for i in range(days)
    ]
    save_days(db, logs)
    db.close()
    return med.id


def test_a_ten_day_diary_reports_from_its_first_day(
    db_path: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("diazlog.commands.report.now", lambda: NOW)
    _young_diary(db_path, shift(NOW.date().isoformat(), -9), 10)
    out = tmp_path / "young.md"
    result = CliRunner().invoke(cli, ["--db", str(db_path), "report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("# Symptom diary: 16 Nov 2026 to 25 Nov 2026")
    assert "10 of 10 days logged" in text


async def test_doctor_export_starts_a_young_diary_at_its_first_day(
    db_path: Path, tmp_path: Path
) -> None:
    from diazlog.app import DiazlogApp

    _young_diary(db_path, "2026-11-16", 10)
    set_setting(open_database(db_path), "welcomed", "1")
    app = DiazlogApp(open_database(db_path), db_path, clock=lambda: NOW)
    out = tmp_path / "young.md"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#start", Input).value == "2026-11-16"  # not 90 days back
        app.screen.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "young.md" in " ".join(str(n.message) for n in app._notifications)
    logged = sqlite3.connect(db_path).execute("SELECT count(*) FROM days").fetchone()[0]
    assert f"{logged} of 10 days logged" in out.read_text()


def test_counts_say_what_they_count(db_path: Path, tmp_path: Path) -> None:
    med = _young_diary(db_path, "2026-03-01", 3)
    db = open_database(db_path)
    ibu = save_medication(db, Medication(None, "Ibuprofen", Category.PAIN, usual_amount=400))
    assert ibu.id is not None
    save_days(
        db,
        [
            DayLog(
                "2026-03-02",
                ratings=(Rating(1, 3),),
                alcohol_units=2,
                doses=(
                    Dose(med, "08:00", 5),
                    Dose(med, "20:00", 5),
                    Dose(ibu.id, "12:00", 400, True),
                    Dose(ibu.id, "18:00", 400, True),
                ),
            )
        ],
    )
    report = build_visit_report(db, "2026-03-01", "2026-03-03", now=NOW)
    for text in (render_markdown(report), "\n".join(pdf_pages(render_pdf(report), tmp_path))):
        flat = " ".join(text.split())
        assert "Alcohol: 2 units on 1 drinking day." in flat
        assert (
            "Diazepam as needed: none. Taken as needed besides diazepam: Ibuprofen 2 doses." in flat
        )
        assert "30 mg taken as regular doses" in flat and "scheduled" not in flat
        assert "2 doses (2 as needed)" in flat and "1 day: 2 Mar" in flat


def test_two_kinds_on_one_day_name_the_day_once() -> None:
    def event(rule: str, title: str) -> FlagEvent:
        return FlagEvent(
            "2026-12-07",
            "2026-12-07",
            rule,
            rule,
            Severity.DOCTOR,
            title,
            "",
            1,
            dates=("2026-12-07",),
        )

    data = q.QuestionData(
        today=date(2026, 12, 8),
        since=date(2026, 9, 10),
        flags=(
            event("dose_cut", "Diazepam cut to 5 mg (usual 10 mg)"),
            event("stopped", "No diazepam logged for 2 days"),
        ),
    )
    (found,) = q.from_red_flags(data)
    assert "(7 Dec, 7 Dec)" not in found.facts
    assert found.facts.endswith("on 1 day since 10 Sep (7 Dec)")


def test_next_step_notes_and_control_characters(db_path: Path, tmp_path: Path) -> None:
    med = _young_diary(db_path, "2026-03-01", 3)
    db = open_database(db_path)
    save_step(db, TaperStep(None, med, "2026-04-01", 2.5, ("08:00", "20:00")))
    save_days(
        db,
        [
            DayLog(
                "2026-03-02",
                ratings=(Rating(1, 8, onset="17:00", note="calf\x1b[2J knot"),),
                note="Fell on the stairs\x07\x1b]0;owned\x07 at work\u202e",
                doses=(Dose(med, "08:00", 5), Dose(med, "20:00", 5)),
            )
        ],
    )
    report = build_visit_report(db, "2026-03-01", "2026-03-03", now=NOW)
    markdown = render_markdown(report)
    pages = pdf_pages(render_pdf(report), tmp_path)
    for text in (markdown, "\n".join(pages)):
        flat = " ".join(text.split())
        assert (
            "Next step of the plan, after this period: 2 x 2.5 mg at 08:00, 20:00 (5 mg a day) "
            "from 1 Apr 2026." in flat
        )
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in text
    flags = markdown[markdown.index("## Red flags, day by day") :]
    severe = flags.index("Severe leg pain")
    note = flags.index("Day note, 2 Mar: Fell on the stairs")
    assert severe < note and flags.count("Day note, 2 Mar") == 1
    episode = next(
        line for line in markdown.splitlines() if line.startswith("| 2 Mar | Leg pain | 8")
    )
    assert "calf\\x1b[2J knot; Day: Fell on the stairs" in episode


def test_step_labels_never_overlap_each_other_or_leave_the_frame(
    db_path: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # The case: a young diary with steps close together, on a chart of few points.
    med = _young_diary(db_path, "2026-03-01", 12)
    db = open_database(db_path)
    for i, amount in enumerate((4.5, 4, 3.5, 3, 2.5, 2)):
        save_step(db, TaperStep(None, med, shift("2026-03-02", i * 2), amount, ("08:00", "20:00")))
    report = build_visit_report(db, "2026-03-01", "2026-03-12", now=NOW)
    drawn: list[tuple[float, float, float, str]] = []
    original = pdf_module._Pdf.text

    def record(self, x, y, text="") -> None:  # type: ignore[no-untyped-def]
        if text.endswith("mg/day"):
            drawn.append((x, y, self.get_string_width(text), text))
        original(self, x, y, text)

    monkeypatch.setattr(pdf_module._Pdf, "text", record)
    render_pdf(report)
    assert len(drawn) >= 4
    left = pdf_module._Pdf(report).l_margin + 9
    right = left + pdf_module._Pdf(report).epw - 20
    for i, (x, y, w, _) in enumerate(drawn):
        assert left < x and x + w < right  # clear of both axes' numbers
        for x2, y2, w2, _ in drawn[i + 1 :]:
            assert y != y2 or x + w <= x2 or x2 + w2 <= x  # same row: apart


@pytest.mark.parametrize("count", [1, 5, 30])
def test_place_labels_keeps_a_gap_on_every_row(count: int) -> None:
    wanted = [(10 + i * 0.5, f"{i} mg/day", 12.0) for i in range(count)]
    placed = place_labels(wanted, 10, 100, rows=4, gap=1.5)
    assert placed and len(placed) <= count
    for i, a in enumerate(placed):
        assert a.x >= 10 and a.x + a.width <= 100
        for b in placed[i + 1 :]:
            assert a.row != b.row or a.x + a.width + 1.5 <= b.x or b.x + b.width + 1.5 <= a.x


def test_questions_count_drinking_days_and_doses_not_flagged_days() -> None:
    def event(key: str, title: str, dates: tuple[str, ...]) -> FlagEvent:
        return FlagEvent(
            dates[0],
            dates[-1],
            "combination",
            key,
            Severity.DOCTOR,
            title,
            "",
            len(dates),
            dates=dates,
        )

    data = q.QuestionData(
        today=date(2026, 11, 25),
        since=date(2026, 8, 28),
        flags=(
            event(
                "combination:7",
                "Tramadol (an opioid) with diazepam",
                ("2026-10-31", "2026-11-01", "2026-11-02"),
            ),
            event(
                "combination:alcohol",
                "Diazepam with alcohol (2 units)",
                ("2026-11-10", "2026-11-11", "2026-11-12"),
            ),
        ),
        alcohol={"2026-11-10": 2, "2026-08-01": 5},  # the second is before the period
        other_doses={7: ("2026-10-31",)},
    )
    found = {g.rule_key: g.facts for g in q.taken_with_diazepam(data)}
    assert found["with:opioid"].startswith(
        "Tramadol (an opioid) with diazepam: 1 dose on 1 day (31 Oct); "
        "flagged on 3 days since 28 Aug"
    )
    assert found["with:alcohol"].startswith(
        "Diazepam with alcohol: alcohol 2 units on 1 drinking day; flagged on 3 days"
    )


def test_default_start_is_the_last_visit_else_90_days_else_the_first_logged_day(
    db_path: Path,
) -> None:
    from diazlog.store.queries.appointments import set_appointment
    from diazlog.store.queries.questions import close_visit
    from diazlog.store.queries.visit_data import default_report_start

    db = open_database(db_path)
    assert default_report_start(db, "2026-11-25", 90) == "2026-08-28"  # nothing logged yet
    med = save_medication(db, diazepam_medication(started_on="2026-11-01"))
    assert med.id is not None
    # A dose logged with no day row still starts the diary.
    save_days(db, [DayLog("2026-11-20", ratings=(Rating(1, 2),))])
    db.execute(
        "INSERT INTO doses (medication_id, taken_at, amount, as_needed) VALUES (?, ?, 5, 0)",
        [med.id, "2026-11-18T08:00"],
    )
    assert default_report_start(db, "2026-11-25", 90) == "2026-11-18"
    assert default_report_start(db, "2026-11-10", 90) == "2026-11-10"  # never after the end
    set_appointment(db, "2026-11-19", "Dr Patel")
    close_visit(db, NOW)
    assert default_report_start(db, "2026-11-25", 90) == "2026-11-19"


@given(st.text(alphabet=st.characters(), max_size=60))
def test_no_control_character_survives_the_cleaner(value: str) -> None:
    import unicodedata

    from diazlog.report.text import clean

    cleaned = clean(value)
    assert not any(unicodedata.category(c) == "Cc" for c in cleaned)
    assert "\u202e" not in cleaned and "\u2066" not in cleaned


def test_a_note_sits_beside_a_flag_only_on_a_day_it_flagged(db_path: Path) -> None:
    med = _young_diary(db_path, "2026-03-01", 6)
    db = open_database(db_path)
    pain = {"2026-03-02": 8, "2026-03-03": 2, "2026-03-04": 8}  # 3 Mar: in the run, not severe
    save_days(
        db,
        [
            DayLog(
                day,
                ratings=(Rating(1, value),),
                note=f"note of {day}",
                doses=(Dose(med, "08:00", 5), Dose(med, "20:00", 5)),
            )
            for day, value in pain.items()
        ],
    )
    report = build_visit_report(db, "2026-03-01", "2026-03-06", now=NOW)
    (severe,) = [e for e in report.flags if e.rule == "severe_pain"]
    assert (severe.start, severe.end) == ("2026-03-02", "2026-03-04")  # one episode
    text = render_markdown(report)
    assert "Day note, 2 Mar: note of 2026-03-02" in text
    assert "Day note, 4 Mar: note of 2026-03-04" in text
    assert "Day note, 3 Mar" not in text


def test_the_next_step_says_each_amount_at_its_time() -> None:
    """A next step of 5 mg at 08:00 and 2.5 mg at 20:00 is not "2 x 5 mg" (a reviewer's
    report said so while `diazlog plan` listed the step right)."""
    from diazlog.domain.models import TaperStep
    from diazlog.report.model import VisitReport, next_step_line

    step = TaperStep(None, 1, "2026-12-14", 5.0, ("08:00", "20:00"), (5.0, 2.5))
    report = VisitReport("2026-12-01", "2026-12-08", "2026-12-08", 8, 8, "Diazepam", next_step=step)
    line = next_step_line(report)
    assert line == (
        "Next step of the plan, after this period: 5 mg at 08:00 + 2.5 mg at 20:00 "
        "(7.5 mg a day) from 14 Dec 2026."
    )
