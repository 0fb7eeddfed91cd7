"""The demo diary records only what could have happened by now."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from diazlog.demo import build_demo


def test_a_demo_ending_today_has_no_dose_later_than_now(tmp_path: Path) -> None:
    db = build_demo(tmp_path / "demo.db", years=0.05)
    checked = datetime.now()  # after the build: every dose must be at or before it
    today = checked.date().isoformat()
    times = [
        r[0][11:16] for r in db.execute("SELECT taken_at FROM doses WHERE taken_at >= ?", [today])
    ]
    assert all(t <= checked.strftime("%H:%M") for t in times), times
    days = db.execute("SELECT count(*) FROM days").fetchone()[0]
    assert days >= 15  # the rest of the demo is still there
