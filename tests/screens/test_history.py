"""History: the paged query, the filter syntax, and the screen driven by keys."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlite_utils import Database
from textual.widgets import DataTable, Input, Label

from diazlog.dialogs.prompts import UnsavedChanges
from diazlog.domain.history_filter import HistoryFilter, SymptomTest, parse_filter
from diazlog.domain.models import DayLog, Rating
from diazlog.domain.validation import InvalidInput
from diazlog.screens.history import HistoryScreen
from diazlog.screens.today import TodayScreen
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_day, save_days
from diazlog.store.queries.flags import day_flags
from diazlog.store.queries.history import NOTE_START_CHARS, count_days, history_page, note_start
from tests.conftest import ratings
from tests.support.helpers import NOW, TODAY, app_on

KEYS = ["leg_pain", "leg_weakness", "cramps", "spasms", "fatigue", "rebound_tension"]


@pytest.fixture
def demo(demo_path: Path) -> Database:
    return open_database(demo_path)


def all_pages(db: Database, flt: HistoryFilter | None = None, limit: int = 17) -> list[str]:
    dates: list[str] = []
    before = None
    while True:
        page = history_page(db, flt, before=before, limit=limit, now=NOW)
        dates += [r.date for r in page.rows]
        if not page.has_more:
            return dates
        before = page.last_date


# -- the filter syntax ---------------------------------------------------------------------


def test_parse_filter() -> None:
    flt = parse_filter('walk "calves tight" pain>=6 cramps<3 ! 2026-03', KEYS)
    assert flt.words == ("walk", "calves tight")
    assert flt.symptoms == (SymptomTest("leg_pain", ">=", 6), SymptomTest("cramps", "<", 3))
    assert flt.flagged and flt.date_prefix == "2026-03"
    assert parse_filter("", KEYS).is_empty
    assert parse_filter('"unfinished', KEYS).words == ('"unfinished',)


@pytest.mark.parametrize(
    ("text", "message"),
    [("pian>=5", "no symptom 'pian'"), ("leg_pain>=11", "not a rating"), ("cramps>=", "give a")],
)
def test_parse_filter_refuses(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_filter(text, KEYS)


@given(st.text(max_size=40))
def test_any_typing_parses_or_says_why(text: str) -> None:
    try:
        parse_filter(text, KEYS)
    except InvalidInput as exc:
        assert str(exc)


# -- the store -----------------------------------------------------------------------------


def test_pages_cover_every_day_newest_first(demo: Database) -> None:
    everything = [r["date"] for r in demo.query("SELECT date FROM days ORDER BY date DESC")]
    assert all_pages(demo) == everything
    assert count_days(demo) == len(everything)
    first = history_page(demo, limit=3)
    assert first.rows[0].date == TODAY and first.has_more


def test_red_flag_filter_agrees_with_the_rules(demo: Database) -> None:
    """A page's flags (judged over its range) are the ones one day judged alone gets."""
    for row in history_page(demo, limit=1000, now=NOW).rows:
        day = load_day(demo, row.date)
        assert day is not None
        expected = [a.rule for a in day_flags(demo, day, NOW)]
        assert list(row.rules) == expected, row.date
    flagged = all_pages(demo, HistoryFilter(flagged=True))
    assert flagged and flagged == [
        r.date for r in history_page(demo, limit=1000, now=NOW).rows if r.rules
    ]


def test_filters_by_text_symptom_and_month(db: Database) -> None:
    save_day(db, DayLog("2026-10-02", ratings=(Rating(1, 7),), note="Long WALK, 100% tired"))
    save_day(db, DayLog("2026-11-03", ratings=(Rating(1, 3, worse_with="walking uphill"),)))
    save_day(db, DayLog("2026-11-04", ratings=(Rating(3, 9),), note="rest"))
    assert all_pages(db, parse_filter("walk", KEYS)) == ["2026-11-03", "2026-10-02"]
    assert all_pages(db, parse_filter("100%", KEYS)) == ["2026-10-02"]
    assert all_pages(db, parse_filter("10_", KEYS)) == []
    assert all_pages(db, parse_filter("leg_pain>=6", KEYS)) == ["2026-10-02"]
    assert all_pages(db, parse_filter("leg_pain<6", KEYS)) == ["2026-11-03"]
    assert all_pages(db, parse_filter("2026-11", KEYS)) == ["2026-11-04", "2026-11-03"]
    # Leg pain 7 is severe (CLINICAL.md: 7-10), cramps 9 too: both are red-flag days.
    assert all_pages(db, parse_filter("! walk", KEYS)) == ["2026-10-02"]
    assert all_pages(db, parse_filter("! rest", KEYS)) == ["2026-11-04"]
    row = history_page(db, parse_filter("rest", KEYS)).rows[0]
    assert row.ratings == {3: 9} and row.note == "rest" and row.diazepam_mg is None


def test_one_page_on_ten_years(tmp_path: Path) -> None:
    """A page deep inside ten years holds only days before `before`, newest first, at most one
    page of them. (How fast: bench/bench_history.py; a test never asserts a time.)"""
    from diazlog.demo import build_demo

    db = build_demo(tmp_path / "ten.db", years=10, end=NOW.date())
    assert count_days(db) > 3000
    for text in ("", "!", "walk", "leg_pain>=6"):
        page = history_page(db, parse_filter(text, KEYS), before="2018-06-01", limit=40, now=NOW)
        dates = [r.date for r in page.rows]
        assert len(dates) <= 40 and all(d < "2018-06-01" for d in dates), text
        assert dates == sorted(dates, reverse=True), text
        assert dates or text, "ten years hold days before mid-2018"
    assert len(history_page(db, None, before="2018-06-01", limit=40).rows) == 40


# -- the screen ----------------------------------------------------------------------------


async def open_history(pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("h")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def test_history_lists_days_newest_first_and_loads_more(demo_path: Path) -> None:
    days = open_database(demo_path).execute("SELECT count(*) FROM days").fetchone()[0]
    app = app_on(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one("#days")
        assert table.row_count == min(days, 100)  # type: ignore[attr-defined]
        assert screen.highlighted_date() == TODAY
        assert f"{days} logged days" in screen.sub_title
        await pilot.press("end")
        await pilot.pause()
        assert table.row_count == days  # type: ignore[attr-defined]


async def test_typing_a_filter_narrows_the_list(demo_path: Path, demo: Database) -> None:
    expected = all_pages(demo, parse_filter("leg_pain>=6", KEYS))
    app = app_on(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        await pilot.press("slash", *"leg_pain>=6", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen._dates == expected
        assert f"{len(expected)} days match" in screen.sub_title
        assert screen.focused is screen.query_one("#days")
        # A filter that cannot mean anything says why and keeps the list.
        screen.query_one("#filter", Input).value = "leg_pain>=6 pian>5"
        await pilot.pause()
        hint = screen.query_one("#filter-hint", Label)
        assert "no symptom 'pian'" in str(hint.render())
        assert screen._dates == expected
        screen.query_one("#filter", Input).value = "!"
        await pilot.pause()
        assert screen._dates and all(
            r.rules for r in history_page(demo, parse_filter("!", KEYS), limit=1000).rows
        )


async def test_enter_opens_the_day_in_today(demo_path: Path) -> None:
    app = app_on(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        await pilot.press("down", "down", "down")
        target = screen.highlighted_date()
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "today"
        assert isinstance(app.screen, TodayScreen)
        assert app.screen.day == target


async def test_enter_asks_before_discarding_unsaved_changes(demo_path: Path) -> None:
    app = app_on(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        ratings(app).focus_row("symptom-1")
        await pilot.press("9")
        assert app.screen.dirty
        # (on a rating row h/l nudge the rating, so leave it before pressing h)
        app.screen.query_one("#doses").focus()
        screen = await open_history(pilot)
        await pilot.press("down")
        target = screen.highlighted_date()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChanges)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen) and app.screen.day == target
    today = load_day(open_database(demo_path), TODAY)
    assert today is not None and today.rating_for(1) is not None
    assert today.rating_for(1).intensity == 9  # type: ignore[union-attr]


async def test_history_shows_a_day_saved_on_today(make_app, db_path: Path) -> None:
    save_day(open_database(db_path), DayLog("2026-11-01", note="first"))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        assert screen._dates == ["2026-11-01"]
        await pilot.press("t")
        await pilot.pause()
        ratings(app).focus_row("symptom-3")
        await pilot.press("8", "ctrl+s")
        await pilot.pause()
        app.screen.query_one("#doses").focus()
        await pilot.press("h")
        await pilot.pause()
        assert screen._dates == [TODAY, "2026-11-01"]
        row = screen.query_one("#days").get_row_at(0)  # type: ignore[attr-defined]
        assert str(row[3]) == "8"
    assert date.fromisoformat(TODAY) == NOW.date()


async def test_every_column_fits_80_columns_and_the_note_grows_with_the_terminal(
    make_app, db_path: Path
) -> None:
    note = "Calves tight after the walk to the shops, eased by the evening stretch"
    earlier = [DayLog(f"2026-10-{day:02d}", note="Fine") for day in range(1, 31)]
    save_days(open_database(db_path), [DayLog("2026-11-20", note=note), *earlier])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one("#days", DataTable)
        assert table.max_scroll_y > 0  # a page of rows, so the vertical scrollbar is there
        assert table.max_scroll_x == 0  # nothing hides off to the right
        assert table.virtual_size.width <= table.scrollable_content_region.width
        shown = str(table.get_row_at(0)[-1])
        assert shown.endswith("…") and note.startswith(shown[:-1]) and len(shown) >= 8
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert str(table.get_row_at(0)[-1]) == note  # the wide terminal shows it whole
        assert table.max_scroll_x == 0
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert str(table.get_row_at(0)[-1]) == shown  # and narrow again
        assert table.max_scroll_x == 0


@given(st.text(max_size=400))
def test_a_note_start_is_one_line_and_says_when_it_is_cut(note: str) -> None:
    line = " ".join(note.split())
    start = note_start(note)
    assert "\n" not in start and len(start) <= NOTE_START_CHARS
    if len(line) <= NOTE_START_CHARS:
        assert start == line
    else:
        assert start.endswith("…") and line.startswith(start[:-1])


async def test_one_day_is_counted_in_the_singular(make_app, db_path: Path) -> None:
    save_days(
        open_database(db_path),
        [DayLog("2026-11-20", note="walked far"), DayLog("2026-11-21", note="rested")],
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        assert screen.sub_title.startswith("2 logged days")
        await pilot.press("slash", *"walked")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.sub_title.startswith("1 day matches"), screen.sub_title
