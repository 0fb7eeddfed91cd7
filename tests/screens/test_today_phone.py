"""Today at a phone's size (a browser through `diazlog serve`, about 45x40 cells): the ratings,
the doses and save are reachable, the day's fields and red-flag ticks stack in one column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Checkbox, Input

from diazlog.store import open_database
from diazlog.store.queries.medications import save_medication
from diazlog.widgets.key_bar import KeyBar
from tests.conftest import diazepam_medication, ratings
from tests.support.helpers import TODAY

PHONE = (45, 40)


async def test_today_at_phone_size_logs_a_day(make_app, db_path: Path) -> None:
    db = open_database(db_path)
    save_medication(db, diazepam_medication())  # 08:00 and 20:00: both due at 21:30
    db.close()
    app = make_app()
    async with app.run_test(size=PHONE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-narrow") and not screen.has_class("-normal")
        # One column: each field and tick below the one before, all inside the width.
        fields = [
            screen.query_one(f"#{name}", Input)
            for name in ("field-activity_min", "field-water_glasses")
        ]
        assert fields[0].region.y < fields[1].region.y
        ticks = list(screen.query(Checkbox))
        assert len({t.region.x for t in ticks}) == 1
        assert all(w.region.right <= PHONE[0] for w in (*fields, *ticks))
        # The number and word of a rating are on screen, not cut.
        await pilot.press("3", "5", "p")
        await pilot.pause()
        # Saved with a tap on the footer's "^s Save" (a phone's keyboard has no ctrl).
        bar = screen.query_one(KeyBar)
        assert bar.region.y == PHONE[1] - 1
        drawn = "".join(s.text for s in bar.render_line(0))
        assert drawn.startswith(" ^s Save")
        await pilot.click(KeyBar, offset=(3, 0))
        await pilot.pause()
        grid = ratings(app)
        first = "".join(s.text for s in grid.render_line(grid.line_of(grid.rows[0].key)))
        assert "3 mild" in first, first
        assert not screen.dirty
    con = sqlite3.connect(db_path)
    assert [
        r for (r,) in con.execute("SELECT intensity FROM ratings WHERE date = ?", (TODAY,))
    ] == [
        3,
        5,
    ]
    assert con.execute("SELECT count(*) FROM doses").fetchone() == (2,)


async def test_today_at_80_columns_keeps_two_columns(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-normal") and not app.screen.has_class("-narrow")
        activity, water = (
            app.screen.query_one(f"#field-{n}", Input) for n in ("activity_min", "water_glasses")
        )
        assert activity.region.y == water.region.y
