"""The visit report: the numbers match the database, the PDF opens and reads, the CLI checks."""

from __future__ import annotations

import stat
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from textual.widgets import Input

from diazlog.report.markdown import render_markdown
from diazlog.report.pdf import latin1
from diazlog.report.visit import build_visit_report, flag_line, write_report
from diazlog.store import open_database
from diazlog.store.queries import questions as qstore
from diazlog.store.queries.settings import get_setting, set_setting
from tests.support.helpers import NOW, invoke

START, END = "2026-09-01", "2026-11-25"


def pdf_text(path: Path) -> tuple[str, int]:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def leg_pain_numbers(path: Path) -> tuple[float, int, int, str]:
    """Average, worst, days logged and the latest worst day of leg pain, straight from SQL."""
    db = open_database(path)
    sql = (
        "SELECT {} FROM ratings JOIN symptoms ON symptoms.id = ratings.symptom_id "
        "WHERE key = 'leg_pain' AND date BETWEEN ? AND ?"
    )
    row = db.execute(sql.format("avg(intensity), max(intensity), count(*)"), [START, END])
    mean, worst, days = row.fetchone()
    worst_day = db.execute(
        sql.format("date") + " ORDER BY intensity DESC, date DESC LIMIT 1", [START, END]
    ).fetchone()[0]
    return mean, worst, days, worst_day


def named_days(text: str, year: int = 2026) -> set[str]:
    """ "9 Oct, 1 Nov-3 Nov" -> every ISO date it names (runs expanded), written here."""
    from datetime import date, timedelta

    def parse(part: str) -> date:
        return datetime.strptime(f"{part.strip()} {year}", "%d %b %Y").date()

    found: set[str] = set()
    for part in text.split(", "):
        first, _, last = part.partition("-")
        day, end = parse(first), parse(last or first)
        while day <= end:
            found.add(day.isoformat())
            day += timedelta(days=1)
    return found


def test_markdown_holds_the_numbers_in_the_database(demo_path: Path) -> None:
    db = open_database(demo_path)
    qstore.add_question(db, "Can I swim while tapering?", NOW)
    report = build_visit_report(db, START, END, now=NOW)
    text = render_markdown(report)
    mean, worst, days, worst_day = leg_pain_numbers(demo_path)
    symptoms = text[text.index("## Symptoms (0-10)") :]
    row = next(line for line in symptoms.splitlines() if line.startswith("| Leg pain |"))
    assert row.startswith(f"| Leg pain | {mean:.1f} | {worst} on ")
    assert row.split(" | ")[3] == str(days)
    # Every day that reached the worst is named, not only the latest.
    worst_days = [
        r[0]
        for r in db.execute(
            "SELECT date FROM ratings JOIN symptoms ON symptoms.id = ratings.symptom_id "
            "WHERE key = 'leg_pain' AND date BETWEEN ? AND ? AND intensity = ?",
            [START, END, worst],
        )
    ]
    assert worst_day in worst_days
    assert named_days(row.split(" | ")[2].removeprefix(f"{worst} on ")) == set(worst_days)
    ticks = db.execute(
        "SELECT count(*) FROM red_flags WHERE date BETWEEN ? AND ?", [START, END]
    ).fetchone()[0]
    ticked = {"breathing", "confusion", "extreme_weakness", "fall", "repeated_falls"}
    assert sum(e.days for e in report.flags if e.rule in ticked) == ticks
    assert report.flags, "the demo has red flags in this range"
    for event in report.flags:
        assert f"- {flag_line(event)}" in text
    logged = db.execute(
        "SELECT count(*) FROM (SELECT date FROM days WHERE date BETWEEN ? AND ? UNION "
        "SELECT substr(taken_at, 1, 10) AS day FROM doses WHERE day BETWEEN ? AND ?)",
        [START, END, START, END],
    ).fetchone()[0]
    assert f"{logged} of 86 days logged" in text
    assert "- [ ] Can I swim while tapering? (my own)" in text
    assert "## Leg pain against the diazepam dose" in text


def test_pdf_opens_and_reads_back(demo_path: Path, tmp_path: Path) -> None:
    db = open_database(demo_path)
    report = build_visit_report(db, START, END, now=NOW)
    out = write_report(report, tmp_path / "visit.pdf")
    assert out.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text, pages = pdf_text(out)
    assert 1 <= pages <= 3
    mean, _, _, _ = leg_pain_numbers(demo_path)
    for expected in (
        "Symptom diary: 1 Sep 2026 to 25 Nov 2026",
        "Leg pain against the diazepam dose",
        "Red flags",
        "Questions for the doctor",
        "From the diary:",  # a question generated from the range's data
        f"{mean:.1f}",
    ):
        assert expected in text, expected


def test_long_range_stays_two_pages_and_reports_progress(tmp_path: Path) -> None:
    from diazlog.demo import build_demo

    db = build_demo(tmp_path / "long.db", years=3, end=NOW.date())
    seen: list[float] = []
    report = build_visit_report(db, "2023-12-01", "2026-11-25", now=NOW, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert len(report.chart) <= 120
    out = write_report(report, tmp_path / "long.pdf")
    text, pages = pdf_text(out)
    assert pages >= 1 and "Symptom diary: 1 Dec 2023 to 25 Nov 2026" in text
    # Every red-flag episode of the three years is listed, oldest first.
    assert report.flags and [e.start for e in report.flags] == sorted(e.start for e in report.flags)
    from diazlog.domain.models import Level

    assert sum(text.count(f"[{level.label}") for level in Level) >= len(report.flags)


def test_non_latin_text_does_not_break_the_pdf(db_path: Path, tmp_path: Path) -> None:
    assert latin1("pain ≥ 5 – at 08:00 · ok") == "pain >= 5 - at 08:00 - ok"
    db = open_database(db_path)
    qstore.add_question(db, "Is 5 mg ≥ safe – 日本語 “quoted”?", NOW)
    report = build_visit_report(db, START, END, now=NOW)
    text, _ = pdf_text(write_report(report, tmp_path / "empty.pdf"))
    assert 'Is 5 mg >= safe - ??? "quoted"?' in text
    assert "No symptoms logged" in render_markdown(report) or report.symptoms


def test_cli_writes_pdf_and_md(demo_path: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("diazlog.commands.report.now", lambda: NOW)
    for name in ("visit.pdf", "visit.md"):
        out = tmp_path / name
        result = invoke(demo_path, "report", "--from", START, "--to", END, "--out", str(out))
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        assert out.stat().st_size > 500
    assert "Leg pain" in (tmp_path / "visit.md").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-11-10", "--to", "2026-11-01"], "is after --to"),
        (["--from", "2026-02-30"], "is not a date"),
        (["--to", "2027-01-01"], "in the future"),
        (["--out", "visit.docx"], ".pdf or .md"),
    ],
)
def test_cli_refuses_bad_input(demo_path: Path, args: list[str], message: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("diazlog.commands.report.now", lambda: NOW)
    result = invoke(demo_path, "report", *args)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert message in result.output  # type: ignore[attr-defined]


async def test_e_on_doctor_screen_exports_pdf(demo_path: Path, tmp_path: Path) -> None:
    from diazlog.app import DiazlogApp

    set_setting(open_database(demo_path), "welcomed", "1")
    app = DiazlogApp(open_database(demo_path), demo_path, clock=lambda: NOW)
    out = tmp_path / "from-screen.pdf"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        app.screen.query_one("#prompt-input", Input).value = "  Alex   Example "
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#start", Input).value == "2026-08-28"  # 90 days
        app.screen.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.query_one("#report-progress").display
    text, _ = pdf_text(out)
    assert "Symptom diary: 28 Aug 2026 to 25 Nov 2026" in text
    assert "Name: Alex Example" in text
    assert get_setting(open_database(demo_path), "user_name") == "Alex Example"


def test_report_defaults_to_since_the_last_visit(
    demo_path: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from diazlog.store.queries.appointments import set_appointment

    monkeypatch.setattr("diazlog.commands.report.now", lambda: NOW)
    db = open_database(demo_path)
    set_appointment(db, "2026-10-15", "Dr Patel")
    qstore.close_visit(db, datetime(2026, 10, 15, 17, 0))
    out = tmp_path / "since.md"
    assert invoke(demo_path, "report", "--out", str(out)).exit_code == 0  # type: ignore[attr-defined]
    assert out.read_text().startswith("# Symptom diary: 15 Oct 2026 to 25 Nov 2026")
