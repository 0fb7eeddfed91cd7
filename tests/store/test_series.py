"""SQL aggregation for charts: buckets, onsets, tallies and dose changes equal what is stored."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from diazlog.domain.dose_changes import BeforeAfter, Window
from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating, TaperStep
from diazlog.domain.trend_groups import tally
from diazlog.domain.trends import DoseStats, buckets_from_days, day_stats
from diazlog.store import open_database
from diazlog.store.queries import series
from diazlog.store.queries.days import save_days
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.store.queries.taper import save_step


def setup_meds(db: Database) -> tuple[int, int]:
    diazepam = save_medication(
        db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True)
    )
    other = save_medication(db, Medication(None, "Ibuprofen", Category.PAIN))
    assert diazepam.id and other.id
    return diazepam.id, other.id


def test_buckets_equal_stored_values(db: Database) -> None:
    pain = list_symptoms(db)[0].id
    diazepam, other = setup_meds(db)
    save_days(
        db,
        [
            DayLog(
                "2026-11-01",
                (Rating(pain, 2),),
                doses=(Dose(diazepam, "08:00", 5), Dose(diazepam, "20:00", 5)),
            ),
            DayLog("2026-11-02", (Rating(pain, 4),), doses=(Dose(other, "09:00", 400),)),
            DayLog("2026-11-04", (Rating(pain, 6),), doses=(Dose(diazepam, "08:00", 2.5),)),
        ],
    )
    data = series.over_time(db, [pain], "2026-11-01", "2026-11-05", columns=80)
    assert data.bucket_days == 1
    assert [b.mean for b in data.symptoms[pain]] == [2, 4, None, 6, None]
    assert data.symptoms[pain][3].worst_date == "2026-11-04"
    # Diazepam only, per logged day: 10, 0 (logged, none taken), gap, 2.5, gap.
    assert [b.mean for b in data.diazepam] == [10, 0, None, 2.5, None]
    # Its numbers come from the days (0 mg counts), the same by either query.
    assert data.dose == DoseStats(3, 12.5, 0, 10, 2)
    assert series.diazepam_stats(db, "2026-11-01", "2026-11-05") == data.dose
    assert (
        series.diazepam_on(db, "2026-11-02") == 0 and series.diazepam_on(db, "2026-11-03") is None
    )

    wide = series.over_time(db, [pain], "2026-11-01", "2026-11-05", columns=2)
    assert wide.bucket_days == 3
    assert [(b.start, b.total, b.count, b.worst) for b in wide.symptoms[pain]] == [
        ("2026-11-01", 6, 2, 4),
        ("2026-11-04", 6, 1, 6),
    ]
    assert [(b.total, b.count, b.worst) for b in wide.diazepam] == [(10, 2, 10), (2.5, 1, 2.5)]
    assert series.first_logged_day(db) == "2026-11-01"


def test_empty_diary_gives_gaps_not_errors(db: Database) -> None:
    pain = list_symptoms(db)[0].id
    data = series.over_time(db, [pain], "2026-11-01", "2026-11-30", columns=60)
    assert all(b.count == 0 for b in data.symptoms[pain] + data.diazepam)
    assert series.first_logged_day(db) is None
    assert series.dose_change_points(db) == []
    assert series.over_time(db, [], "2026-11-01", "2026-11-30", 60).symptoms == {}


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=1, max_size=50),
    columns=st.integers(1, 60),
)
def test_sql_buckets_match_python_buckets(
    tmp_path: Path, values: list[int | None], columns: int
) -> None:
    path = tmp_path / f"h{abs(hash((tuple(values), columns)))}.db"
    db = open_database(path)
    try:
        pain = list_symptoms(db)[0].id
        first = date(2026, 1, 30)
        days = {
            (first + timedelta(days=i)).isoformat(): v
            for i, v in enumerate(values)
            if v is not None
        }
        save_days(db, [DayLog(d, (Rating(pain, v),)) for d, v in days.items()])
        end = (first + timedelta(days=len(values) - 1)).isoformat()
        data = series.over_time(db, [pain], first.isoformat(), end, columns)
        expected = buckets_from_days(days, first.isoformat(), end, data.bucket_days)
        got = data.symptoms[pain]
        assert [(b.start, b.total, b.count) for b in got] == [
            (b.start, b.total, b.count) for b in expected
        ]
        assert [(b.worst, b.worst_date) for b in got] == [(b.worst, b.worst_date) for b in expected]
        # The numbers: summed in SQL from the buckets' exact parts, read straight from the
        # days, and worked out in Python from the same days all agree (never bucket means).
        straight = series.symptom_stats(db, [pain], first.isoformat(), end)[pain]
        assert data.stats[pain] == straight == day_stats(days, first.isoformat(), end)
    finally:
        db.close()


def test_onsets_doses_and_tallies(db: Database) -> None:
    pain = list_symptoms(db)[0].id
    diazepam, _ = setup_meds(db)
    save_days(
        db,
        [
            DayLog(
                "2026-11-02",  # a Monday
                (Rating(pain, 6, onset="18:10"),),
                doses=(Dose(diazepam, "08:00", 5),),
            ),
            DayLog("2026-11-03", (Rating(pain, 2, onset="07:05"),)),
            DayLog("2026-11-08", (Rating(pain, 4),)),  # a Sunday, no onset
        ],
    )
    lags = series.lag_bins(db, [pain], "2026-11-01", "2026-11-30")[pain]
    # 18:10 is 10 h 10 min after 08:00; 07:05 the next day is 23 h 5 min after it
    assert [(b.label, b.mean, b.count) for b in lags.bins if b.count] == [
        ("10-12h", 6, 1),
        ("22-24h", 2, 1),
    ]
    assert lags.no_recent_dose == 0
    later = series.lag_bins(db, [pain], "2026-11-03", "2026-11-03")[pain]
    assert later.count == 1  # the dose the day before the range still counts
    assert series.diazepam_dose_count(db, "2026-11-03", "2026-11-30") == 0
    assert series.diazepam_dose_count(db, "2026-11-02", "2026-11-02") == 1
    assert series.logged_days(db, "2026-11-01", "2026-11-30") == 3
    hours = series.hour_tallies(db, [pain], "2026-11-01", "2026-11-30")[pain]
    assert hours == tally([(18, 6), (7, 2)])
    weekdays = series.weekday_tallies(db, [pain], "2026-11-01", "2026-11-30")[pain]
    assert weekdays == [(0, 6, 1), (1, 2, 1), (6, 4, 1)]
    window = series.window_means(db, [pain], Window("2026-11-01", "2026-11-03", "2026-11-30"))
    assert window[pain] == BeforeAfter(6, 1, 3, 2)


def test_dose_change_points_from_steps_and_doses(db: Database) -> None:
    diazepam, _ = setup_meds(db)
    save_step(db, TaperStep(None, diazepam, "2026-01-01", 5, ("08:00", "20:00")))
    save_step(db, TaperStep(None, diazepam, "2026-02-01", 2.5, ("08:00", "20:00")))
    first = date(2026, 1, 1)
    logs = []
    for i in range(90):
        day = first + timedelta(days=i)
        per_dose = 5 if day < date(2026, 2, 2) else (2.5 if day < date(2026, 3, 10) else 1)
        doses = (Dose(diazepam, "08:00", per_dose), Dose(diazepam, "20:00", per_dose))
        logs.append(DayLog(day.isoformat(), doses=doses))
    save_days(db, logs)
    assert series.daily_diazepam(db)["2026-01-01"] == 10
    points = series.dose_change_points(db)
    assert [(p.date, p.before_mg, p.after_mg, p.source) for p in points] == [
        ("2026-03-10", 5, 2, "dose history"),
        ("2026-02-01", 10, 5, "taper step"),
    ]
