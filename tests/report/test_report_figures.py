"""Every figure of the visit report, recomputed from the database with SQL written here.

Run on the demo's last 90 days and on small hand-made diaries: one day, four days with a
gap, a 0 mg day, and a taper step inside the range. The report's own code is not used to
compute any expected value.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database

from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating, TaperStep
from diazlog.report.markdown import render_markdown
from diazlog.report.model import VisitReport, long_date
from diazlog.report.visit import build_visit_report
from diazlog.store import open_database
from diazlog.store.queries.days import save_days
from diazlog.store.queries.flags import flag_events
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.taper import save_step
from tests.conftest import diazepam_medication
from tests.support.helpers import NOW

LATE = 120  # minutes: written here, not read from the code under test
WINDOW, WINDOW_MIN = 14, 7

# The logged days of the range: a day row, or a dose on that date.
LOGGED = """
    SELECT date AS day FROM days WHERE date BETWEEN :start AND :end
    UNION SELECT substr(taken_at, 1, 10) FROM doses
    WHERE substr(taken_at, 1, 10) BETWEEN :start AND :end
"""

# Each logged day's planned slots: the taper step in force (latest from_date <= day) of the
# tracked diazepam, else its usual amount and times while active; one row per planned time
# ('' when the plan names no time); a 0 mg step or no plan gives none.
SLOTS = f"""
WITH RECURSIVE logged(day) AS ({LOGGED}),
med AS (
    SELECT * FROM medications WHERE is_diazepam = 1
    ORDER BY stopped_on IS NOT NULL, started_on DESC, id DESC LIMIT 1
),
plan(day, amount, times) AS (
    SELECT logged.day,
        coalesce(
            (SELECT amount FROM taper_steps WHERE medication_id = med.id
             AND from_date <= logged.day ORDER BY from_date DESC LIMIT 1),
            CASE WHEN (med.started_on IS NULL OR med.started_on <= logged.day)
                  AND (med.stopped_on IS NULL OR med.stopped_on >= logged.day)
                 THEN med.usual_amount END),
        CASE WHEN EXISTS (SELECT 1 FROM taper_steps WHERE medication_id = med.id
                          AND from_date <= logged.day)
             THEN (SELECT times FROM taper_steps WHERE medication_id = med.id
                   AND from_date <= logged.day ORDER BY from_date DESC LIMIT 1)
             ELSE med.usual_times END
    FROM logged, med
),
split(day, amount, time, rest) AS (
    SELECT day, amount, '', times || ',' FROM plan WHERE amount > 0
    UNION ALL
    SELECT day, amount, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
    FROM split WHERE rest != ''
)
SELECT day, amount, time FROM split
WHERE time != '' OR (rest = '' AND NOT EXISTS
    (SELECT 1 FROM plan WHERE plan.day = split.day AND plan.times != ''))
"""


def minutes(column: str) -> str:
    return f"(cast(substr({column}, 1, 2) AS int) * 60 + cast(substr({column}, 4, 2) AS int))"


def adherence_by_sql(conn: sqlite3.Connection, start: str, end: str) -> dict[str, float]:
    """Planned, taken, late, missed, extra, as needed, from SQL.

    Taken: a slot with a scheduled dose within 2 h (for diaries whose planned times are
    more than 4 h apart and have at most one dose within 2 h of each, which the test
    checks). Per day, the slots and doses left then pair up: late = min of the two.
    """
    params = {"start": start, "end": end}
    doses = f"""
        SELECT substr(taken_at, 1, 10) AS day, substr(taken_at, 12, 5) AS time, amount,
               as_needed FROM doses JOIN medications ON medications.id = medication_id
        WHERE is_diazepam = 1 AND substr(taken_at, 1, 10) IN ({LOGGED})
    """
    crowded = conn.execute(
        f"""WITH slots AS ({SLOTS}), d AS ({doses})
        SELECT count(*) FROM slots JOIN d ON d.day = slots.day AND NOT d.as_needed
        AND slots.time != '' AND abs({minutes("d.time")} - {minutes("slots.time")}) <= {LATE}
        GROUP BY slots.day, slots.time HAVING count(*) > 1""",
        params,
    ).fetchall()
    assert not crowded, "this SQL needs at most one dose within 2 h of each slot"
    rows = conn.execute(
        f"""WITH slots AS ({SLOTS}), d AS ({doses}),
        per_day AS (
            SELECT logged.day,
                (SELECT count(*) FROM slots WHERE slots.day = logged.day) AS planned,
                (SELECT coalesce(sum(amount), 0) FROM slots WHERE slots.day = logged.day)
                    AS planned_mg,
                (SELECT count(*) FROM d WHERE d.day = logged.day AND NOT as_needed) AS doses,
                (SELECT count(*) FROM d WHERE d.day = logged.day AND as_needed) AS as_needed,
                (SELECT coalesce(sum(amount), 0) FROM d WHERE d.day = logged.day AND as_needed)
                    AS as_needed_mg,
                (SELECT count(*) FROM slots WHERE slots.day = logged.day AND (slots.time = ''
                    AND EXISTS (SELECT 1 FROM d WHERE d.day = slots.day AND NOT as_needed)
                    OR EXISTS (SELECT 1 FROM d WHERE d.day = slots.day AND NOT as_needed
                        AND abs({minutes("d.time")} - {minutes("slots.time")}) <= {LATE})))
                    AS taken
            FROM ({LOGGED}) AS logged
        )
        SELECT count(*), sum(planned > 0), sum(planned), sum(taken),
            sum(min(planned - taken, doses - taken)), sum(planned - taken), sum(doses - taken),
            sum(as_needed), sum(planned_mg), sum(as_needed_mg)
        FROM per_day""",
        params,
    ).fetchone()
    days, with_plan, planned, taken, late, unmatched_slots, unmatched_doses = rows[:7]
    return {
        "days": days,
        "days_with_plan": with_plan or 0,
        "planned": planned or 0,
        "taken": taken or 0,
        "late": late or 0,
        "missed": (unmatched_slots or 0) - (late or 0),
        "extra": (unmatched_doses or 0) - (late or 0),
        "as_needed": rows[7] or 0,
        "planned_mg": rows[8] or 0,
        "as_needed_mg": rows[9] or 0,
    }


def symptom_by_sql(conn: sqlite3.Connection, symptom_id: int, start: str, end: str) -> dict:
    values = [
        r[0]
        for r in conn.execute(
            "SELECT intensity FROM ratings WHERE symptom_id = ? AND date BETWEEN ? AND ? "
            "ORDER BY date",
            [symptom_id, start, end],
        )
    ]
    row = conn.execute(
        "SELECT avg(intensity), max(intensity), count(*) FROM ratings "
        "WHERE symptom_id = ? AND date BETWEEN ? AND ?",
        [symptom_id, start, end],
    ).fetchone()
    worst_date = conn.execute(
        "SELECT date FROM ratings WHERE symptom_id = ? AND date BETWEEN ? AND ? "
        "ORDER BY intensity DESC, date DESC LIMIT 1",
        [symptom_id, start, end],
    ).fetchone()
    window = min(WINDOW, len(values) // 2)
    means = conn.execute(
        """WITH ranked AS (
            SELECT intensity, row_number() OVER (ORDER BY date) AS n,
                   row_number() OVER (ORDER BY date DESC) AS back
            FROM ratings WHERE symptom_id = ? AND date BETWEEN ? AND ?)
        SELECT (SELECT avg(intensity) FROM ranked WHERE n <= ?),
               (SELECT avg(intensity) FROM ranked WHERE back <= ?)""",
        [symptom_id, start, end, window, window],
    ).fetchone()
    enough = window >= WINDOW_MIN
    return {
        "mean": row[0],
        "worst": row[1],
        "days_logged": row[2],
        "worst_date": worst_date[0] if worst_date else None,
        "first_mean": means[0] if enough else None,
        "last_mean": means[1] if enough else None,
    }


def daily_by_sql(conn: sqlite3.Connection, column: str, start: str, end: str) -> tuple:
    return conn.execute(
        f"SELECT avg({column}), max({column}), count({column}) FROM days "
        "WHERE date BETWEEN ? AND ?",
        [start, end],
    ).fetchone()


def close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


def check_against_sql(path: Path, report: VisitReport) -> None:
    """Every number of `report` against SQL on the file at `path`."""
    start, end = report.start, report.end
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    params = {"start": start, "end": end}
    days_in_range = conn.execute("SELECT julianday(?) - julianday(?) + 1", [end, start])
    assert report.days_in_range == days_in_range.fetchone()[0]
    assert (
        report.days_logged == conn.execute(f"SELECT count(*) FROM ({LOGGED})", params).fetchone()[0]
    )

    # Diazepam: daily totals, then doses against the plan.
    daily = conn.execute(
        """SELECT count(*), avg(total) FROM (SELECT substr(taken_at, 1, 10) AS day,
        sum(amount) AS total FROM doses JOIN medications ON medications.id = medication_id
        WHERE is_diazepam = 1 AND day BETWEEN ? AND ? GROUP BY day)""",
        [start, end],
    ).fetchone()
    assert report.dose_days == daily[0]
    # The mean is a logged day's, 0 mg on a logged day without a dose (as Charts has it).
    per_logged_day = conn.execute(
        """SELECT count(*), total(mg) / count(*) FROM (SELECT days.date, (SELECT total(amount)
        FROM doses JOIN medications ON medications.id = medication_id WHERE is_diazepam = 1
        AND substr(taken_at, 1, 10) = days.date) AS mg FROM days WHERE date BETWEEN ? AND ?)""",
        [start, end],
    ).fetchone()
    if per_logged_day[0]:
        assert close(report.mean_daily_mg, per_logged_day[1])
    expected = adherence_by_sql(conn, start, end)
    got = report.adherence
    for name, value in expected.items():
        assert close(getattr(got, name), value), (name, getattr(got, name), value)
    scheduled_mg = conn.execute(
        f"""SELECT coalesce(sum(amount), 0) FROM doses JOIN medications
        ON medications.id = medication_id WHERE is_diazepam = 1 AND NOT as_needed
        AND substr(taken_at, 1, 10) IN ({LOGGED})""",
        params,
    ).fetchone()[0]
    assert close(got.scheduled_mg, scheduled_mg)
    steps = conn.execute(
        """SELECT from_date FROM taper_steps WHERE from_date <= ? AND (from_date > ? OR
        from_date = (SELECT max(from_date) FROM taper_steps WHERE from_date <= ?))
        ORDER BY from_date""",
        [end, start, start],
    ).fetchall()
    assert [t.from_date for t in report.taper] == [r[0] for r in steps]

    # Symptoms.
    symptoms = conn.execute(
        "SELECT id, name FROM symptoms WHERE active = 1 OR id IN "
        "(SELECT symptom_id FROM ratings WHERE date BETWEEN ? AND ?) ORDER BY position, id",
        [start, end],
    ).fetchall()
    assert [s.name for s in report.symptoms] == [name for _, name in symptoms]
    for (symptom_id, _), line in zip(symptoms, report.symptoms, strict=True):
        want = symptom_by_sql(conn, symptom_id, start, end)
        s = line.summary
        assert close(s.mean, want["mean"]) and s.days_logged == want["days_logged"]
        assert s.worst == want["worst"] and s.worst_date == want["worst_date"]
        assert close(s.first_mean, want["first_mean"]), line.name
        assert close(s.last_mean, want["last_mean"]), line.name

    # Described episodes: the 20 most severe (ties: the latest), newest first.
    described = conn.execute(
        """SELECT date, name, intensity FROM ratings JOIN symptoms ON symptoms.id = symptom_id
        WHERE date BETWEEN ? AND ? AND (onset IS NOT NULL AND onset != '' OR
        duration_min IS NOT NULL OR legs IS NOT NULL AND legs != '' OR
        worse_with IS NOT NULL AND worse_with != '' OR note IS NOT NULL AND note != '')
        ORDER BY intensity DESC, date DESC""",
        [start, end],
    ).fetchall()
    shown = sorted(described[:20], key=lambda r: r[0], reverse=True)
    assert [e.date for e in report.episodes] == [r[0] for r in shown]
    assert sorted((e.date, e.symptom, e.rating) for e in report.episodes) == sorted(described[:20])
    assert report.episodes_left_out == max(0, len(described) - 20)

    # Walking and sleep interference, falls, alcohol.
    for summary, column in (
        (report.walking, "walking_interference"),
        (report.sleep, "sleep_interference"),
    ):
        mean, worst, count = daily_by_sql(conn, column, start, end)
        assert close(summary.mean, mean) and summary.worst == worst
        assert summary.days_logged == count
    falls = conn.execute(
        "SELECT date FROM red_flags WHERE kind = 'fall' AND date BETWEEN ? AND ? ORDER BY date",
        [start, end],
    ).fetchall()
    assert list(report.falls) == [r[0] for r in falls]
    drinks = conn.execute(
        "SELECT count(*), coalesce(sum(alcohol_units), 0) FROM days WHERE alcohol_units > 0 "
        "AND date BETWEEN ? AND ?",
        [start, end],
    ).fetchone()
    assert (report.alcohol_days, report.alcohol_units) == (drinks[0], drinks[1])

    # Other medicines: doses, amounts, dates, days with diazepam.
    others = conn.execute(
        """SELECT name, count(*), group_concat(DISTINCT amount),
        count(DISTINCT substr(taken_at, 1, 10)),
        count(DISTINCT CASE WHEN substr(taken_at, 1, 10) IN (SELECT substr(taken_at, 1, 10)
            FROM doses d2 JOIN medications m2 ON m2.id = d2.medication_id
            WHERE m2.is_diazepam = 1) THEN substr(taken_at, 1, 10) END)
        FROM doses JOIN medications ON medications.id = medication_id
        WHERE is_diazepam = 0 AND substr(taken_at, 1, 10) BETWEEN ? AND ? GROUP BY name""",
        [start, end],
    ).fetchall()
    by_name = {m.name: m for m in report.medicines}
    assert set(by_name) == {r[0] for r in others}
    for name, doses, amounts, days, with_diazepam in others:
        line = by_name[name]
        assert line.doses == doses and len(line.dates) == days
        assert line.days_with_diazepam == with_diazepam
        assert sorted(line.amounts) == sorted(float(a) for a in str(amounts).split(","))

    # The chart: one point a day here (ranges up to 120 days), leg pain and diazepam that day.
    if report.chart_bucket_days == 1:
        pain = dict(
            conn.execute(
                "SELECT date, intensity FROM ratings JOIN symptoms ON symptoms.id = symptom_id "
                "WHERE key = 'leg_pain' AND date BETWEEN ? AND ?",
                [start, end],
            ).fetchall()
        )
        assert {p.start: p.leg_pain for p in report.chart if p.leg_pain is not None} == pain

    # The red flags come from the engine, unchanged.
    db = open_database(path)
    assert list(report.flags) == flag_events(db, start, end, NOW)
    db.close()
    conn.close()

    # The Markdown carries the numbers.
    text = render_markdown(report)
    assert f"{report.days_logged} of {report.days_in_range} days logged" in text
    a = report.adherence
    if a.planned:
        assert f"| {a.planned} | {a.taken} (" in text and f"| {a.extra} |" in text
    for line in report.symptoms:
        if line.summary.mean is not None:
            assert f"| {line.name} | {line.summary.mean:.1f} | {line.summary.worst} on " in text


def test_demo_last_90_days(demo_path: Path) -> None:
    start, end = "2026-08-28", "2026-11-25"
    db = open_database(demo_path)
    report = build_visit_report(db, start, end, now=NOW)
    db.close()
    assert report.adherence.planned and report.episodes and report.medicines
    assert report.adherence.late, "the demo logs some evening doses late"
    check_against_sql(demo_path, report)


# -- hand-made diaries -----------------------------------------------------------------------

Diary = Callable[[Path], tuple[str, str]]


def _diary(path: Path, *steps: tuple[str, float, tuple[str, ...]]) -> tuple[Database, int]:
    """A fresh diary tracking diazepam 2 x 5 mg (from 1 Jan 2026), with these taper steps."""
    db = open_database(path)
    med = save_medication(db, diazepam_medication(started_on="2026-01-01"))
    assert med.id is not None
    for from_date, amount, times in steps:
        save_step(db, TaperStep(None, med.id, from_date, amount, times))
    return db, med.id


def _save(db: Database, days: list[DayLog], start: str, end: str) -> tuple[str, str]:
    save_days(db, days)
    db.close()
    return start, end


_ONE_DAY = ("2026-03-10", "2026-03-10")


def _one_day(path: Path) -> tuple[str, str]:
    db, med = _diary(path)
    day = DayLog(
        "2026-03-10",
        ratings=(Rating(1, 6, onset="17:00", legs="left", worse_with="stairs"), Rating(3, 2)),
        walking_interference=4,
        doses=(Dose(med, "08:10", 5), Dose(med, "23:00", 5)),
    )
    return _save(db, [day], *_ONE_DAY)


def _gap(path: Path) -> tuple[str, str]:
    """Four logged days with an unlogged one in the middle; a fall, alcohol, ibuprofen."""
    db, med = _diary(path)
    ibu = save_medication(db, Medication(None, "Ibuprofen", Category.PAIN, usual_amount=400))
    assert ibu.id is not None
    days = [
        DayLog(
            "2026-03-01",
            ratings=(Rating(1, 3),),
            sleep_interference=2,
            doses=(Dose(med, "08:00", 5), Dose(med, "20:30", 5)),
        ),
        DayLog(
            "2026-03-02",
            ratings=(Rating(1, 5, note="calves"),),
            alcohol_units=2,
            doses=(Dose(med, "07:30", 5), Dose(ibu.id, "12:00", 400, True)),
        ),
        DayLog(
            "2026-03-04",
            ratings=(Rating(1, 5),),
            red_flags=frozenset({"fall"}),
            doses=(
                Dose(med, "08:00", 5),
                Dose(med, "13:00", 5),
                Dose(med, "20:00", 5),
                Dose(med, "15:00", 2, True),
            ),
        ),
        DayLog(
            "2026-03-05",
            ratings=(Rating(1, 4, duration_min=30),),
            walking_interference=7,
            doses=(Dose(ibu.id, "09:00", 200),),
        ),
    ]
    return _save(db, days, "2026-03-01", "2026-03-05")


def _zero_mg_day(path: Path) -> tuple[str, str]:
    """A 0 mg step: nothing planned, so a dose that day is extra."""
    db, med = _diary(path, ("2026-01-01", 2, ("20:00",)), ("2026-03-03", 0, ()))
    days = [
        DayLog("2026-03-02", ratings=(Rating(1, 2),), doses=(Dose(med, "20:15", 2),)),
        DayLog("2026-03-03", ratings=(Rating(1, 4),)),
        DayLog("2026-03-04", ratings=(Rating(1, 6),), doses=(Dose(med, "21:00", 2),)),
    ]
    return _save(db, days, "2026-03-02", "2026-03-04")


def _step_inside(path: Path) -> tuple[str, str]:
    """A taper step in the middle of 30 days, with enough days for a change verdict."""
    db, med = _diary(path, ("2026-01-01", 5, ("08:00", "20:00")), ("2026-04-16", 5, ("21:00",)))
    days = []
    for n in range(30):
        day = f"2026-04-{n + 1:02d}"
        times = ("08:05", "19:40") if n < 15 else ("22:00",) if n % 3 else ("23:30",)
        doses = tuple(Dose(med, t, 5) for t in times if n != 20)
        days.append(
            DayLog(day, ratings=(Rating(1, 2 + n // 6),), doses=doses, walking_interference=n % 11)
        )
    return _save(db, days, "2026-04-01", "2026-04-30")


@pytest.mark.parametrize("make", [_one_day, _gap, _zero_mg_day, _step_inside])
def test_small_diaries(make: Diary, tmp_path: Path) -> None:
    path = tmp_path / "diary.db"
    start, end = make(path)
    db = open_database(path)
    report = build_visit_report(db, start, end, now=NOW)
    db.close()
    check_against_sql(path, report)


def test_small_diaries_say_what_the_plan_means(tmp_path: Path) -> None:
    """The cases the SQL above cannot tell apart by itself, worked by hand."""
    path = tmp_path / "zero.db"
    _zero_mg_day(path)
    db = open_database(path)
    zero = build_visit_report(db, "2026-03-02", "2026-03-04", now=NOW)
    a = zero.adherence
    # 2 Mar: 1 planned, taken; 3-4 Mar: 0 mg, so the 21:00 dose is extra.
    assert (a.planned, a.taken, a.late, a.missed, a.extra) == (1, 1, 0, 0, 1)
    assert "no diazepam" in render_markdown(zero)
    path = tmp_path / "one.db"
    _one_day(path)
    one = render_markdown(build_visit_report(open_database(path), *_ONE_DAY, now=NOW))
    assert "from the usual dose, 2 x 5 mg at 08:00, 20:00 (no taper plan)" in one
    assert "| 2 | 1 (50%) | 1 (50%) | 0 (0%) | 0 |" in one  # 23:00 is 3 h after 20:00
    assert "not enough data yet (1 day)" in one and "1 described rating." in one
    assert "All 1 described" not in one
    path = tmp_path / "step.db"
    _step_inside(path)
    db = open_database(path)
    step = build_visit_report(db, "2026-04-01", "2026-04-30", now=NOW)
    assert [(t.amount, t.times) for t in step.taper] == [(5, ("08:00", "20:00")), (5, ("21:00",))]
    assert "| 10 mg |" in render_markdown(step)
    text = render_markdown(step)
    assert f"in force on {long_date('2026-04-01')}" in text and "16 Apr 2026" in text
    leg = step.symptoms[0].summary
    assert leg.verdict == "worse" and "worse (first 14" in text
