"""Every number under every chart, recomputed from the database with this file's own SQL.

The app sums ratings and doses in store.series; these checks do not call it. Each one reads
the words on screen (what a person sees), pulls every figure out of them and compares it with
a query written here: means to the 0.1 they are printed to, ranges, counts, worst days, trends,
bins and before / after windows exactly. A check that finds nothing to compare fails, so a
blank or reworded line cannot pass. Also the honest-numbers rules: no "worst", "highest",
"worse" or "better" below limits.MIN_DAYS_TO_COMPARE days (MIN_ONSETS_PER_BIN onsets) a side
or under limits.MEANINGFUL_CHANGE points, and windows that stop at the neighbouring change.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from diazlog.app import DiazlogApp
from diazlog.domain import limits
from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating, TaperStep
from diazlog.screens.charts import ChartsScreen
from diazlog.store import open_database
from diazlog.store.queries.days import save_days
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.store.queries.taper import save_step
from diazlog.widgets.chart_panel import ChartPanel
from tests.support.helpers import NOW, app_on, settle

MakeApp = Callable[..., DiazlogApp]
TODAY = NOW.date()
RANGE_DAYS = {"1": 7, "2": 30, "3": 90, "4": 365, "5": None}
NUMBER = r"-?\d+(?:\.\d+)?"
MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}


# -- this file's own SQL ----------------------------------------------------------------------


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def one(conn: sqlite3.Connection, sql: str, *params: object) -> tuple:
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return tuple(row)


def range_start(conn: sqlite3.Connection, key: str) -> str:
    days = RANGE_DAYS[key]
    if days is None:
        first = one(conn, "SELECT min(date) FROM days")[0]
        return min(first or TODAY.isoformat(), TODAY.isoformat())
    return (TODAY - timedelta(days=days - 1)).isoformat()


def symptom_truth(conn: sqlite3.Connection, symptom_id: int, start: str, end: str) -> dict:
    n, mean, low, high = one(
        conn,
        "SELECT count(*), avg(intensity), min(intensity), max(intensity) FROM ratings "
        "WHERE symptom_id = ? AND date BETWEEN ? AND ?",
        symptom_id,
        start,
        end,
    )
    worst_date = one(
        conn,
        "SELECT max(date) FROM ratings WHERE symptom_id = ? AND date BETWEEN ? AND ? "
        "AND intensity = ?",
        symptom_id,
        start,
        end,
        high,
    )[0]
    middle = one(
        conn, "SELECT date(julianday(?) + (julianday(?) - julianday(?)) / 2)", start, end, start
    )[0]
    halves = conn.execute(
        "SELECT date <= ? AS early, count(*), avg(intensity) FROM ratings "
        "WHERE symptom_id = ? AND date BETWEEN ? AND ? GROUP BY early",
        [middle, symptom_id, start, end],
    ).fetchall()
    by_half = {bool(e): (c, m) for e, c, m in halves}
    return {
        "n": n,
        "mean": mean,
        "low": low,
        "high": high,
        "worst_date": worst_date,
        "early": by_half.get(True, (0, None)),
        "late": by_half.get(False, (0, None)),
    }


def diazepam_truth(conn: sqlite3.Connection, start: str, end: str) -> tuple | None:
    """(logged days, mean mg a day, lowest, highest, days with a dose), or None: not set up."""
    if not one(conn, "SELECT count(*) FROM medications WHERE is_diazepam = 1")[0]:
        return None
    return one(
        conn,
        "WITH d AS (SELECT days.date, coalesce((SELECT sum(amount) FROM doses "
        "  JOIN medications m ON m.id = doses.medication_id "
        "  WHERE m.is_diazepam = 1 AND substr(doses.taken_at, 1, 10) = days.date), 0) AS mg "
        "  FROM days WHERE days.date BETWEEN ? AND ?) "
        "SELECT count(*), avg(mg), min(mg), max(mg), sum(mg > 0) FROM d",
        start,
        end,
    )


def dose_moments(conn: sqlite3.Connection) -> list[datetime]:
    rows = conn.execute(
        "SELECT taken_at FROM doses JOIN medications m ON m.id = doses.medication_id "
        "WHERE m.is_diazepam = 1"
    ).fetchall()
    return sorted(datetime.fromisoformat(r[0]) for r in rows)


def onsets(conn: sqlite3.Connection, symptom_id: int, start: str, end: str) -> list[tuple]:
    return conn.execute(
        "SELECT date, onset, intensity FROM ratings WHERE symptom_id = ? "
        "AND date BETWEEN ? AND ? AND onset IS NOT NULL AND length(onset) = 5",
        [symptom_id, start, end],
    ).fetchall()


def step_dates(conn: sqlite3.Connection) -> list[date]:
    rows = conn.execute(
        "SELECT from_date FROM taper_steps t JOIN medications m ON m.id = t.medication_id "
        "WHERE m.is_diazepam = 1"
    ).fetchall()
    return sorted(date.fromisoformat(r[0]) for r in rows)


# -- reading the screen ---------------------------------------------------------------------


def close(shown: str, truth: float, places: int = 1) -> bool:
    """A printed figure matches the truth rounded to what is printed, written like a person."""
    assert re.fullmatch(rf"-?\d+(\.\d{{1,{places}}})?", shown), (
        f"not written like a person: {shown}"
    )
    assert not shown.endswith(".0"), shown
    return abs(float(shown) - truth) <= 0.5 * 10**-places + 1e-9


def count_of(text: str, word: str) -> int:
    match = re.fullmatch(rf"(\d+) {word}s?", text)
    assert match, f"{text!r} is not a count of {word}"
    n = int(match.group(1))
    assert text == f"{n} {word}" if n == 1 else text == f"{n} {word}s", f"grammar: {text!r}"
    return n


def day_of(text: str) -> str:
    day, month, year = text.split()
    return date(int(year), MONTHS[month], int(day)).isoformat()


def line_of(text: str, name: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith(f"{name}: ")]
    assert len(lines) == 1, f"{name} in {text!r}"
    return lines[0].removeprefix(f"{name}: ")


def shown(screen: ChartsScreen, view: str) -> str:
    assert screen.view == view
    return str(screen.query_one(f"#{view}-numbers").render())


# -- the checks -----------------------------------------------------------------------------


def check_over_time(conn: sqlite3.Connection, text: str, names: dict[str, int], key: str) -> int:
    """Every figure of the Over time lines; returns how many were compared."""
    start, end = range_start(conn, key), TODAY.isoformat()
    checked = 0
    for name, symptom_id in names.items():
        line = line_of(text, name)
        truth = symptom_truth(conn, symptom_id, start, end)
        if truth["n"] == 0:
            assert line == "not logged in this range"
            checked += 1
            continue
        parts = line.split(" · ")
        if truth["n"] == 1:
            value, when = re.fullmatch(rf"({NUMBER}) \((.+)\)", parts[0]).groups()  # type: ignore[union-attr]
            assert close(value, truth["high"]) and day_of(when) == truth["worst_date"]
            parts = parts[1:]
            checked += 2
        else:
            mean = re.fullmatch(rf"mean ({NUMBER})", parts[0])
            assert mean and close(mean.group(1), truth["mean"]), (line, truth)
            spread = parts[1]
            if truth["low"] == truth["high"]:
                assert spread == f"every day {truth['low']}"
            else:
                assert spread == f"range {truth['low']}–{truth['high']}", (spread, truth)
            parts = parts[2:]
            checked += 2
            if truth["n"] >= limits.MIN_DAYS_TO_COMPARE:
                worst = re.fullmatch(rf"worst ({NUMBER}) \((.+)\)", parts[0])
                assert worst, line
                assert int(worst.group(1)) == truth["high"]
                assert day_of(worst.group(2)) == truth["worst_date"]
                parts = parts[1:]
                checked += 2
            else:
                assert "worst" not in line
        assert count_of(parts[0], "day") == truth["n"]
        (early_n, early_mean), (late_n, late_mean) = truth["early"], truth["late"]
        enough = min(early_n, late_n) >= limits.MIN_DAYS_TO_COMPARE
        if enough:
            change = late_mean - early_mean
            match = re.fullmatch(rf"trend (\S) (up|down|flat) ({NUMBER}|\+{NUMBER})", parts[1])
            assert match, line
            assert close(match.group(3).lstrip("+"), change)
            word = "up" if change >= 2 else "down" if change <= -2 else "flat"
            assert match.group(2) == word
        else:
            assert parts[1].startswith("trend: not enough data yet (")
            assert "up" not in parts[1] and "down" not in parts[1]
        checked += 2
    diazepam = [line for line in text.splitlines() if line.startswith("Diazepam: ")]
    assert len(diazepam) == 1
    dose_truth = diazepam_truth(conn, start, end)
    if dose_truth is None:
        assert diazepam[0].startswith("Diazepam: not set up")
        return checked + 1
    days, mean_mg, low, high, dose_days = dose_truth
    if days == 0:
        assert diazepam[0].startswith("Diazepam: no days logged")
        return checked + 1
    if days == 1:
        match = re.match(
            rf"Diazepam: ({NUMBER}) mg · (\d+ days?) logged, (\d+) with a dose", diazepam[0]
        )
        assert match, diazepam[0]
        assert close(match.group(1), mean_mg, 2)
    else:
        match = re.match(
            rf"Diazepam: ({NUMBER}) mg a day "
            rf"\((?:range ({NUMBER})–({NUMBER})|every day ({NUMBER}))\) "
            r"· (\d+ days?) logged, (\d+) with a dose",
            diazepam[0],
        )
        assert match, diazepam[0]
        assert close(match.group(1), mean_mg)
        lo, hi = (match.group(2), match.group(3)) if match.group(2) else (match.group(4),) * 2
        assert close(lo, low, 2) and close(hi, high, 2), (diazepam[0], dose_truth)
    assert count_of(match.groups()[-2], "day") == days
    assert int(match.groups()[-1]) == dose_days
    return checked + 4


def bins_of(words: str, unit: str = "") -> dict[str, tuple[str, int]]:
    """ "15-18 h 5.1 (39) · 18-21 h 4.8 (33)" -> {"15-18": ("5.1", 39), ...}."""
    found = re.findall(rf"(\S+){unit} ({NUMBER}) \((\d+)\)", words)
    return {label: (mean, int(n)) for label, mean, n in found}


def expected_verdict(groups: dict[str, tuple[float, int]], minimum: int) -> tuple[str, str | None]:
    """("found", label) / ("no difference", None) / ("not enough", None), from plain sums."""
    total = sum(n for _, n in groups.values())
    grand = sum(m * n for m, n in groups.values())
    best: tuple[float, str] | None = None
    for label, (mean, n) in groups.items():
        rest = total - n
        if n >= minimum and rest >= minimum:
            gap = mean - (grand - mean * n) / rest
            if best is None or gap > best[0]:
                best = (gap, label)
    if best is None:
        return "not enough", None
    return ("found", best[1]) if best[0] >= limits.MEANINGFUL_CHANGE else ("no difference", None)


def check_verdict(words: str, truth: dict[str, tuple[float, int]], minimum: int, head: str) -> None:
    verdict, label = expected_verdict(truth, minimum)
    total = sum(n for _, n in truth.values())
    if verdict == "not enough":
        unit = "onset" if minimum == limits.MIN_ONSETS_PER_BIN else "day"
        assert f"{head}: not enough data yet ({total} {unit}{'' if total == 1 else 's'} · " in words
        assert f"· needs {minimum} in one " in words or f"· needs {minimum} on one " in words
        assert f"and {minimum} " in words
    elif verdict == "found":
        assert f"{head} " in words and f" {label}: " in words, (words, label)
    else:
        assert "stands out (under 2 points apart)" in words and f"{head} " not in words


def check_time_of_day(conn: sqlite3.Connection, text: str, names: dict[str, int], key: str) -> int:
    start, end = range_start(conn, key), TODAY.isoformat()
    lines = text.splitlines()
    checked = 0
    for name, symptom_id in names.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{name}: "))
        hours_line, weekday_line = lines[index], lines[index + 1]
        rows = conn.execute(
            "SELECT CAST(substr(onset, 1, 2) AS INTEGER) / 3 AS b, avg(intensity), count(*) "
            "FROM ratings WHERE symptom_id = ? AND date BETWEEN ? AND ? "
            "AND onset IS NOT NULL AND length(onset) = 5 GROUP BY b",
            [symptom_id, start, end],
        ).fetchall()
        hour_truth = {f"{b * 3:02d}-{b * 3 + 3:02d}": (m, n) for b, m, n in rows}
        if not hour_truth:
            assert hours_line.endswith("no onset times")
        else:
            on_screen = bins_of(hours_line, " h")
            assert set(on_screen) == set(hour_truth), (hours_line, hour_truth)
            for label, (mean, n) in on_screen.items():
                assert close(mean, hour_truth[label][0]) and n == hour_truth[label][1]
                checked += 2
            check_verdict(hours_line, hour_truth, limits.MIN_ONSETS_PER_BIN, "worst time")
        rows = conn.execute(
            "SELECT strftime('%w', date) AS w, avg(intensity), count(*) FROM ratings "
            "WHERE symptom_id = ? AND date BETWEEN ? AND ? GROUP BY w",
            [symptom_id, start, end],
        ).fetchall()
        names_by_w = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        weekday_truth = {names_by_w[int(w)]: (m, n) for w, m, n in rows}
        if not weekday_truth:
            assert "not logged" in weekday_line
        else:
            on_screen = bins_of(weekday_line)
            assert set(on_screen) == set(weekday_truth), (weekday_line, weekday_truth)
            for label, (mean, n) in on_screen.items():
                assert close(mean, weekday_truth[label][0]) and n == weekday_truth[label][1]
                checked += 2
            check_verdict(weekday_line, weekday_truth, limits.MIN_DAYS_TO_COMPARE, "worst day")
    return checked


def check_around_dose(conn: sqlite3.Connection, text: str, names: dict[str, int], key: str) -> int:
    start, end = range_start(conn, key), TODAY.isoformat()
    doses = dose_moments(conn)
    checked = 0
    for name, symptom_id in names.items():
        line = line_of(text, name)
        sums: dict[str, list[int]] = {}
        beyond = 0
        for day, onset, intensity in onsets(conn, symptom_id, start, end):
            moment = datetime.fromisoformat(f"{day}T{onset}")
            before = [d for d in doses if d <= moment]
            if not before or moment - before[-1] >= timedelta(hours=24):
                beyond += 1
                continue
            hours = int((moment - before[-1]).total_seconds() // 7200) * 2
            sums.setdefault(f"{hours}-{hours + 2}h", []).append(intensity)
        truth = {label: (sum(v) / len(v), len(v)) for label, v in sums.items()}
        if not truth:
            assert line == "no onset times after a dose", line
            checked += 1
            continue
        on_screen = bins_of(line)
        assert set(on_screen) == set(truth), (line, truth)
        for label, (mean, n) in on_screen.items():
            assert close(mean, truth[label][0]) and n == truth[label][1]
            checked += 2
        if beyond:
            assert f"{beyond} >24 h after a dose" in line
        else:
            assert ">24 h" not in line
        check_verdict(line, truth, limits.MIN_ONSETS_PER_BIN, "highest")
    n_doses = one(
        conn,
        "SELECT count(*) FROM doses JOIN medications m ON m.id = doses.medication_id "
        "WHERE m.is_diazepam = 1 AND substr(taken_at, 1, 10) BETWEEN ? AND ?",
        start,
        end,
    )[0]
    last = text.splitlines()[-1]
    assert last.startswith(f"{n_doses} diazepam dose{'' if n_doses == 1 else 's'} in the ")
    return checked + 1


def check_before_after(
    conn: sqlite3.Connection, text: str, change_line: str, names: dict[str, int]
) -> int:
    """The window from the taper steps (this file's SQL), then each symptom's two means."""
    pivot = date.fromisoformat(
        day_of(re.match(r"\[ older \] newer\s+(\d+ \w+ \d{4}):", change_line).group(1))
    )  # type: ignore[union-attr]
    first, last = pivot - timedelta(days=30), min(pivot + timedelta(days=29), TODAY)
    for step in step_dates(conn):
        if first < step < pivot:
            first = step
        elif pivot < step <= last:
            last = step - timedelta(days=1)
    before_days, after_days = (pivot - first).days, (last - pivot).days + 1
    window = change_line.splitlines()[1]
    short = lambda d: f"{d.day} {d:%b}"  # noqa: E731
    assert window == (
        f"{short(first)}–{short(pivot - timedelta(days=1))} ({before_days} day"
        f"{'' if before_days == 1 else 's'}) against {short(pivot)}–{short(last)} "
        f"({after_days} day{'' if after_days == 1 else 's'})"
    ), (window, first, last)
    checked = 1
    for name, symptom_id in names.items():
        line = line_of(text, name)
        sides = []
        for lo, hi in ((first, pivot - timedelta(days=1)), (pivot, last)):
            sides.append(
                one(
                    conn,
                    "SELECT avg(intensity), count(*) FROM ratings WHERE symptom_id = ? "
                    "AND date BETWEEN ? AND ?",
                    symptom_id,
                    lo.isoformat(),
                    hi.isoformat(),
                )
            )
        match = re.fullmatch(
            rf"({NUMBER}|–) \((\d+ days?)\) → ({NUMBER}|–) \((\d+ days?)\): (.+)", line
        )
        assert match, line
        for (mean, n), shown_mean, shown_n in zip(
            sides, (match.group(1), match.group(3)), (match.group(2), match.group(4)), strict=True
        ):
            assert count_of(shown_n, "day") == n
            assert shown_mean == "–" if mean is None else close(shown_mean, mean)
            checked += 2
        (before, n_before), (after, n_after) = sides
        verdict = match.group(5)
        if min(n_before, n_after) < limits.MIN_DAYS_TO_COMPARE:
            assert verdict.startswith("not enough data yet (")
            assert "worse" not in verdict and "better" not in verdict
        else:
            change = after - before
            word = "worse" if change >= 2 else "better" if change <= -2 else "no real change"
            assert verdict.endswith(word) or f"{word} (under 2 points)" in verdict, verdict
            # The change shown is that of the means shown, so the arithmetic on screen adds
            # up (4.3 -> 4.6 is +0.3), and within rounding of the true change.
            shown_change = float(verdict.split(",")[0].lstrip("+"))
            assert shown_change == round(float(match.group(3)) - float(match.group(1)), 1)
            assert abs(shown_change - change) <= 0.1 + 1e-9
        checked += 1
    return checked


async def check_every_view(app: DiazlogApp, path: Path, keys: str = "12345") -> int:
    """Go through every view and range on screen; check each number; return how many."""
    checked = 0
    conn = connect(path)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("c")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ChartsScreen)
            all_symptoms = {s.name: s.id for s in screen.symptoms}
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
                chosen = {n: i for n, i in all_symptoms.items() if i in screen.selected}
                assert chosen
                checked += check_over_time(conn, shown(screen, "over_time"), chosen, key)
                await pilot.press("v")
                await settle(pilot)
                checked += check_around_dose(conn, shown(screen, "around_dose"), chosen, key)
                await pilot.press("v")
                await settle(pilot)
                checked += check_time_of_day(conn, shown(screen, "time_of_day"), chosen, key)
                await pilot.press("v", "v")  # over Before / after, back to Over time
                await settle(pilot)
            await pilot.press("shift+tab")
            await settle(pilot)
            assert screen.view == "before_after"
            change_line = str(screen.query_one("#change-line").render())
            if change_line.startswith("No dose changes"):
                return checked
            total = int(re.search(r"· \d+ of (\d+) ·", change_line).group(1))  # type: ignore[union-attr]
            for _ in range(total):
                change_line = str(screen.query_one("#change-line").render())
                checked += check_before_after(
                    conn, shown(screen, "before_after"), change_line, all_symptoms
                )
                await pilot.press("left_square_bracket")
                await settle(pilot)
    finally:
        conn.close()
    return checked


# -- the demo and small diaries ------------------------------------------------------------


async def test_every_number_on_the_demo_matches_sql(demo_path: Path) -> None:
    app = app_on(demo_path)
    app_symptoms = list_symptoms(app.db)
    assert len(app_symptoms) >= 3
    checked = await check_every_view(app, demo_path)
    assert checked > 200  # 5 ranges x 3 views x bins, and 4 before / after windows


async def test_every_number_with_more_symptoms_on_a_year(tmp_path: Path) -> None:
    from diazlog.demo import build_demo

    path = tmp_path / "year.db"
    build_demo(path, years=1, end=TODAY).close()
    app = app_on(path)
    conn = connect(path)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("c")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ChartsScreen)
            await pilot.press("w", "r", "b", "4")  # leg pain, weakness, cramps, tension; 1 year
            await settle(pilot)
            chosen = {s.name: s.id for s in screen.symptoms if s.id in screen.selected}
            assert len(chosen) == 4
            assert check_over_time(conn, shown(screen, "over_time"), chosen, "4") > 20
            await pilot.press("v", "v")
            await settle(pilot)
            assert check_time_of_day(conn, shown(screen, "time_of_day"), chosen, "4") > 20
    finally:
        conn.close()


def diazepam(db: Database) -> int:
    med = save_medication(
        db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, True, usual_amount=5)
    )
    assert med.id is not None
    return med.id


def shifted(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


@pytest.fixture
def four_days(db: Database, db_path: Path) -> Path:
    """12 mg, 0 mg (logged, no dose), not logged, 5 mg, not logged, 5 mg: the tester's diary."""
    pain = list_symptoms(db)[0].id
    med = diazepam(db)
    doses = {5: (4, 4, 4), 4: (), 2: (5,), 0: (2.5, 2.5)}
    values = {5: 2, 4: 8, 2: 6, 0: 6}
    save_days(
        db,
        [
            DayLog(
                shifted(ago),
                (Rating(pain, values[ago], onset=f"{14 + ago}:30"),),
                doses=tuple(
                    Dose(med, f"{8 + 4 * i:02d}:00", mg) for i, mg in enumerate(doses[ago])
                ),
            )
            for ago in doses
        ],
    )
    return db_path


async def test_four_days_with_a_gap_and_a_0_mg_day(four_days: Path) -> None:
    """The tester's case: the truth is 5.5 mg a day (0–12), not 3.7 (0-7.33333)."""
    assert await check_every_view(app_on(four_days), four_days, "15") > 20
    app = app_on(four_days)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        text = shown(screen, "over_time")
        assert "Diazepam: 5.5 mg a day (range 0–12) · 4 days logged, 3 with a dose" in text
        assert (
            "Leg pain: mean 5.5 · range 2–8 · 4 days · trend: not enough data yet (4 days)" in text
        )
        assert "worst" not in text
        assert screen.shown is not None
        drawn = screen.shown.chart.dose_mg  # type: ignore[union-attr]
        assert 0 in drawn  # the 0 mg day is drawn as 0, the days not logged are gaps
        assert drawn.count(None) == len(drawn) - 4
        await pilot.press("v")
        await settle(pilot)
        text = shown(screen, "around_dose")
        # 3 onsets in a bin (the 4th is over 24 h after a dose): below MIN_ONSETS_PER_BIN
        assert "highest: not enough data yet (3 onsets · needs 5 in one bin" in text
        await pilot.press("v")
        await settle(pilot)
        text = shown(screen, "time_of_day")
        assert "worst time: not enough data yet (4 onsets · needs 5 in one 3-hour" in text
        assert "worst day: not enough data yet (4 days · needs 7 on one weekday and 7 on" in text
        assert "stands out" not in text


async def test_one_day(db: Database, db_path: Path) -> None:
    pain = list_symptoms(db)[0].id
    med = diazepam(db)
    save_days(
        db, [DayLog(shifted(3), (Rating(pain, 7, onset="18:00"),), doses=(Dose(med, "08:00", 10),))]
    )
    assert await check_every_view(app_on(db_path), db_path, "125") > 10
    app = app_on(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        text = shown(screen, "over_time")
        day = TODAY - timedelta(days=3)
        assert (
            f"Leg pain: 7 ({day.day} {day:%b %Y}) · 1 day · trend: not enough data yet (1 day)"
            in text
        )
        assert "Diazepam: 10 mg · 1 day logged, 1 with a dose" in text
        await pilot.press("v")
        await settle(pilot)
        assert "10-12h 7 (1) · highest: not enough data yet (1 onset · needs 5 in one bin" in shown(
            screen, "around_dose"
        )
        assert "1 diazepam dose in the last 30 days" in shown(screen, "around_dose")


async def test_only_0_mg_days_and_no_diazepam_set_up(db: Database, db_path: Path) -> None:
    """0 mg is a value once diazepam is set up; without it, a day is not 0 mg."""
    pain = list_symptoms(db)[0].id
    save_days(db, [DayLog(shifted(ago), (Rating(pain, 4),)) for ago in (0, 1, 3)])
    app = app_on(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "1")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        assert "Diazepam: not set up (m, Medicines)" in shown(screen, "over_time")
        assert screen.shown is not None
        assert set(screen.shown.chart.dose_mg) == {None}  # type: ignore[union-attr]
        assert "No diazepam set up" in screen.query_one("#dose-chart", ChartPanel).message
    diazepam(db)
    assert await check_every_view(app_on(db_path), db_path, "1") > 5
    app = app_on(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "1")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        text = shown(screen, "over_time")
        assert "Diazepam: 0 mg a day (every day 0) · 3 days logged, 0 with a dose" in text
        assert screen.shown is not None
        assert screen.shown.chart.dose_mg[-4:] == (0, None, 0, 0)  # type: ignore[union-attr]
        dose_chart = screen.query_one("#dose-chart", ChartPanel)
        assert dose_chart.message == "" and dose_chart.plot.draws > 0


@pytest.fixture
def taper_inside(db: Database, db_path: Path) -> Path:
    """60 days on 2 x 5 mg with a step to 2 x 2.5 mg 20 days ago; pain higher since, onsets."""
    pain, cramps = (s.id for s in list_symptoms(db)[:3:2])
    med = diazepam(db)
    save_step(db, TaperStep(None, med, shifted(59), 5, ("08:00", "20:00")))
    step = shifted(19)
    save_step(db, TaperStep(None, med, step, 2.5, ("08:00", "20:00")))
    logs = []
    for ago in range(60):
        day = shifted(ago)
        if ago % 9 == 4:
            continue  # a day not logged now and then
        after = day >= step
        per_dose = 2.5 if after else 5
        value = (6 if after else 3) + ago % 2
        logs.append(
            DayLog(
                day,
                (
                    Rating(pain, value, onset=f"{17 + ago % 5:02d}:{ago % 60:02d}"),
                    Rating(cramps, 2 + ago % 3),
                ),
                doses=(Dose(med, "08:00", per_dose), Dose(med, "20:00", per_dose)),
            )
        )
    save_days(db, logs)
    return db_path


async def test_a_taper_step_inside_the_range(taper_inside: Path) -> None:
    assert await check_every_view(app_on(taper_inside), taper_inside, "23") > 40
    app = app_on(taper_inside)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "shift+tab")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        text = shown(screen, "before_after")
        assert re.search(
            r"Leg pain: 3\.\d \(\d+ days\) → 6\.\d \(\d+ days\): \+\d(\.\d)?, worse", text
        )
        assert "Cramps:" in text and "no real change (under 2 points)" in text


# -- minimums and windows ------------------------------------------------------------------


async def test_before_after_one_day_each_side_is_not_enough(db: Database, db_path: Path) -> None:
    """The tester's "+4.0, worse" from 1 day each side: now the means, their n, no verdict."""
    pain = list_symptoms(db)[0].id
    med = diazepam(db)
    save_step(db, TaperStep(None, med, "2026-10-01", 5, ("08:00", "20:00")))
    save_step(db, TaperStep(None, med, "2026-11-01", 2.5, ("08:00", "20:00")))
    save_days(
        db, [DayLog("2026-10-31", (Rating(pain, 2),)), DayLog("2026-11-01", (Rating(pain, 6),))]
    )
    app = app_on(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "shift+tab")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        text = shown(screen, "before_after")
        assert "Leg pain: 2 (1 day) → 6 (1 day): not enough data yet (1 day before)" in text
        assert "worse" not in text and "better" not in text
        assert "Cramps: – (0 days) → – (0 days): not enough data yet (0 days before)" in text


async def test_before_after_windows_stop_at_the_next_taper_step(
    db: Database, db_path: Path
) -> None:
    pain = list_symptoms(db)[0].id
    med = diazepam(db)
    for day, amount in (("2026-08-01", 5.0), ("2026-09-01", 2.5), ("2026-09-15", 1.0)):
        save_step(db, TaperStep(None, med, day, amount, ("08:00", "20:00")))
    first = date(2026, 7, 20)
    values = {}
    for i in range(90):
        day = first + timedelta(days=i)
        values[day.isoformat()] = (
            9
            if day < date(2026, 8, 1)
            else 3
            if day < date(2026, 9, 1)
            else 6
            if day < date(2026, 9, 15)
            else 9
        )
    save_days(db, [DayLog(d, (Rating(pain, v),)) for d, v in values.items()])
    app = app_on(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "shift+tab", "left_square_bracket")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        change_line = str(screen.query_one("#change-line").render())
        assert "1 Sep 2026: 10 → 5 mg a day (taper step)" in change_line
        # the 9s from 15 Sep (the next step) and before 1 Aug (the step before) stay out
        assert "2 Aug–31 Aug (30 days) against 1 Sep–14 Sep (14 days)" in change_line
        text = shown(screen, "before_after")
        assert "Leg pain: 3 (30 days) → 6 (14 days): +3, worse" in text
        conn = connect(db_path)
        try:
            assert check_before_after(conn, text, change_line, {"Leg pain": pain}) == 6
        finally:
            conn.close()


async def test_before_after_windows_stop_at_a_change_seen_in_the_doses(
    db: Database, db_path: Path
) -> None:
    """No plan: levels of 10, 5 and 2 mg a day; the window before 21 Aug starts on 1 Aug."""
    pain = list_symptoms(db)[0].id
    med = diazepam(db)
    first = date(2026, 7, 1)
    logs = []
    for i in range(92):
        day = first + timedelta(days=i)
        mg = 10 if day < date(2026, 8, 1) else 5 if day < date(2026, 8, 21) else 2
        value = 9 if day < date(2026, 8, 1) else 4
        logs.append(
            DayLog(day.isoformat(), (Rating(pain, value),), doses=(Dose(med, "08:00", mg),))
        )
    save_days(db, logs)
    app = app_on(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "shift+tab")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        change_line = str(screen.query_one("#change-line").render())
        assert "21 Aug 2026: 5 → 2 mg a day (dose history)" in change_line
        assert "1 Aug–20 Aug (20 days) against 21 Aug–19 Sep (30 days)" in change_line
        assert "Leg pain: 4 (20 days) → 4 (30 days): 0, no real change" in shown(
            screen, "before_after"
        )


async def test_time_of_day_names_a_worst_time_only_with_enough_onsets(
    db: Database, db_path: Path
) -> None:
    pain = list_symptoms(db)[0].id
    n = limits.MIN_ONSETS_PER_BIN
    evening = [DayLog(shifted(i), (Rating(pain, 8, onset="19:30"),)) for i in range(n)]
    morning = [DayLog(shifted(n + i), (Rating(pain, 3, onset="09:15"),)) for i in range(n)]
    late = [DayLog(shifted(2 * n), (Rating(pain, 10, onset="23:00"),))]  # 1 onset: never "worst"
    save_days(db, evening + morning + late)
    app = app_on(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "v", "v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        text = shown(screen, "time_of_day")
        assert "09-12 h 3 (5) · 18-21 h 8 (5) · 21-24 h 10 (1)" in text
        assert "worst time at 18-21: 8 (5 onsets) against 4.2 at other times (6 onsets)" in text
        # at most 2 of each weekday
        assert "worst day: not enough data yet (11 days · needs 7 on one weekday" in text
        conn = connect(db_path)
        try:
            assert check_time_of_day(conn, text, {"Leg pain": pain}, "2") > 10
        finally:
            conn.close()
    save_days(
        db,
        [
            DayLog(shifted(i), (Rating(pain, 3 if i < 3 else 8, onset="19:30"),))
            for i in range(n - 1)
        ],
    )
    app = app_on(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "v", "v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        assert "no time of day stands out (under 2 points apart)" in shown(screen, "time_of_day")


# -- wording: what was logged, never a wear-off ---------------------------------------------


def test_rebound_tension_text_changes_only_for_new_diaries(db: Database, tmp_path: Path) -> None:
    import shutil

    fresh = {s.key: s.description for s in list_symptoms(db)}["rebound_tension"]
    assert "wear" not in fresh and fresh
    old = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "schema-v1.db", old)
    kept = {s.key: s.description for s in list_symptoms(open_database(old))}
    assert kept["rebound_tension"] == "Muscle tension that returns as a dose wears off"


def test_no_wear_off_claims_in_the_app_or_readme() -> None:
    """Diazepam lasts days (CLINICAL.md): the words may only deny a wear-off, never suggest it."""
    root = Path(__file__).parents[2]
    texts = [p.read_text() for p in (root / "diazlog").rglob("*.py")]
    texts.append((root / "README.md").read_text())
    for text in texts:
        words = " ".join(text.split())  # a sentence may wrap over lines
        for match in re.finditer(r"[^.:;]*wear(?:s|ing)? off[^.]*", words):
            assert "not" in match.group(0), match.group(0)


def test_status_logged_total_is_the_days_sum_in_sql(db: Database, db_path: Path) -> None:
    from diazlog.commands.status import status_line

    med = diazepam(db)
    save_step(db, TaperStep(None, med, "2026-11-01", 2, ("08:00", "14:00", "20:00")))
    doses = (Dose(med, "08:00", 1.1), Dose(med, "14:00", 2.2), Dose(med, "20:00", 0.35))
    save_days(db, [DayLog(TODAY.isoformat(), doses=doses)])
    conn = connect(db_path)
    try:
        (truth,) = one(
            conn,
            "SELECT sum(amount) FROM doses WHERE substr(taken_at, 1, 10) = ?",
            TODAY.isoformat(),
        )
    finally:
        conn.close()
    line = status_line(db, NOW)
    logged = re.search(rf"logged ({NUMBER}) mg, ({NUMBER}) mg less than planned", line)
    assert logged, line
    assert close(logged.group(1), truth, 2) and close(logged.group(2), 6 - truth, 2)
