"""The visit report reads only, says only what its range holds, and keeps its section order."""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import cast

from sqlite_utils import Database

from diazlog.report.markdown import render_markdown
from diazlog.report.model import SECTION_QUESTIONS, SECTIONS
from diazlog.report.pdf import render_pdf
from diazlog.report.visit import build_visit_report
from diazlog.store import open_database
from diazlog.store.file.deferred import DeferredDatabase
from diazlog.store.queries.questions import add_question
from diazlog.store.queries.settings import set_user_name
from tests.support.helpers import NOW, pdf_pages

START, END = "2026-08-28", "2026-11-25"


def read_only(path: Path) -> Database:
    """The file opened the way a read-only diary must be read: SQLite refuses any write."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.execute("PRAGMA query_only = 1")
    return cast(Database, DeferredDatabase(conn))


def test_a_read_only_copy_reports_and_stays_byte_identical(demo_path: Path, tmp_path: Path) -> None:
    # open_database refuses a 0400 file today (store.connection.check_raw_file raises
    # ReadOnlyDatabase; a read-only mode is being added elsewhere), so the 0400 copy is
    # opened here with SQLite's own read-only mode, and a writable copy through open_database.
    copy = tmp_path / "backup.db"
    shutil.copy(demo_path, copy)
    copy.chmod(0o400)
    before = copy.read_bytes()
    db = read_only(copy)
    report = build_visit_report(db, START, END, now=NOW)
    assert report.questions and report.adherence.planned
    render_markdown(report)
    render_pdf(report)
    db.close()
    assert copy.read_bytes() == before

    writable = tmp_path / "writable.db"
    shutil.copy(demo_path, writable)
    before = writable.read_bytes()
    db = open_database(writable, create=False)
    questions = db.execute("SELECT count(*) FROM questions").fetchone()[0]
    report = build_visit_report(db, START, END, now=NOW)
    assert db.execute("SELECT count(*) FROM questions").fetchone()[0] == questions
    db.close()
    assert writable.read_bytes() == before


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DATE = re.compile(r"\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)( \d{4})?\b")


def test_a_report_on_january_and_february_says_nothing_of_november(tmp_path: Path) -> None:
    """The issue's case: every date in the report is inside its range (but the date it was
    written on), so no 'worst 8 on 6 Nov' in a January-February report."""
    from diazlog.demo import build_demo

    db = build_demo(tmp_path / "year.db", years=1, end=NOW.date())
    start, end = "2026-01-01", "2026-02-28"
    report = build_visit_report(db, start, end, now=NOW)
    assert report.flags and report.questions and report.episodes
    texts = [render_markdown(report), "\n".join(pdf_pages(render_pdf(report), tmp_path))]
    for text in texts:
        body = re.sub(r"Written by diazlog on [^.]*\.", "", text)
        # The plan's next step is named on purpose: where the taper goes after the range.
        body = re.sub(r"Next step of the plan, after this period: [^\n]*", "", body)
        found = DATE.findall(body)
        assert found
        for day, month, year in found:
            when = date(int(year or 2026), MONTHS.index(month) + 1, int(day))
            assert start <= when.isoformat() <= end, (day, month, year)
        assert "Nov" not in body


def test_sections_in_order_in_markdown_and_pdf_on_two_pages(
    demo_path: Path, tmp_path: Path
) -> None:
    db = open_database(demo_path)
    add_question(db, "Can I swim while tapering?", NOW)
    set_user_name(db, "Alex Example")
    report = build_visit_report(db, START, END, now=NOW)
    markdown = render_markdown(report)
    where = [markdown.index(f"\n## {title}\n") for title in SECTIONS]
    assert where == sorted(where)
    assert markdown.index("Name: Alex Example") < where[0]

    pages = pdf_pages(render_pdf(report), tmp_path)
    assert len(pages) <= 3, "90 days of the demo fit on three pages"
    text = "\n".join(pages)
    where = [text.index(title) for title in SECTIONS]
    assert where == sorted(where)
    # Page 1 is the summary: who and when, red flags, diazepam against the plan, symptoms.
    for expected in ("Name: Alex Example", "days logged", SECTIONS[0], SECTIONS[1], SECTIONS[2]):
        assert expected in pages[0], expected
    # Own questions come before the generated ones.
    questions = text[text.index(SECTION_QUESTIONS) :]
    assert questions.index("Can I swim") < questions.index("From the diary")
