"""The data layer: schema, save/load round trips, atomic saves, privacy."""

from __future__ import annotations

import stat
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating
from diazlog.store import open_database
from diazlog.store.file import sqlerrors
from diazlog.store.file.schema import LATEST_VERSION, schema_version
from diazlog.store.queries.days import load_day, previous_logged_day, save_day
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import add_symptom, list_symptoms

TABLES = {
    "symptoms",
    "days",
    "ratings",
    "medications",
    "taper_steps",
    "doses",
    "red_flags",
    "questions",
    "appointments",
    "settings",
    "medicine_lookups",
}


def test_new_database_has_full_schema_wal_and_defaults(db_path: Path) -> None:
    db = open_database(db_path)
    assert set(db.table_names()) >= TABLES
    assert schema_version(db) == LATEST_VERSION == 6
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert [s.key for s in list_symptoms(db)] == [
        "leg_pain",
        "leg_weakness",
        "cramps",
        "spasms",
        "fatigue",
        "rebound_tension",
    ]


def test_files_and_folder_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "diazlog.db"
    open_database(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    wal = Path(f"{path}-wal")
    if wal.exists():
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600


def test_reopening_does_not_migrate_twice(db_path: Path) -> None:
    open_database(db_path)
    db = open_database(db_path)
    assert len(list_symptoms(db)) == 6


def full_day(db_path: Path) -> DayLog:
    db = open_database(db_path)
    med = save_medication(
        db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, True, usual_amount=5)
    )
    assert med.id
    return DayLog(
        date="2026-11-20",
        ratings=(Rating(1, 6, "21:00", 30, "both", "stairs", "sharp"), Rating(3, 0)),
        walking_interference=4,
        sleep_interference=2,
        activity_min=30,
        stretched=True,
        water_glasses=6,
        sleep_hours=7.5,
        alcohol_units=1.0,
        note="a note",
        doses=(Dose(med.id, "08:00", 5.0), Dose(med.id, "20:00", 2.5, as_needed=True)),
        red_flags=frozenset({"fall"}),
    )


def test_save_then_load_round_trips(db_path: Path) -> None:
    day = full_day(db_path)
    db = open_database(db_path)
    saved = save_day(db, day, datetime(2026, 11, 20, 22, 0))
    assert saved.updated_at == "2026-11-20T22:00:00"

    def strip(d: DayLog) -> DayLog:
        doses = tuple(replace(x, id=None) for x in d.doses)
        return replace(d, updated_at=None, doses=doses)

    assert strip(saved) == strip(day)


def test_save_replaces_the_whole_day(db_path: Path) -> None:
    db = open_database(db_path)
    day = full_day(db_path)
    save_day(db, day)
    save_day(db, DayLog(date=day.date, ratings=(Rating(2, 3),)))
    again = load_day(db, day.date)
    assert again is not None
    assert again.ratings == (Rating(2, 3),)
    assert again.doses == () and again.red_flags == frozenset() and again.activity_min is None


def test_a_failing_save_leaves_the_old_day_intact(db_path: Path) -> None:
    db = open_database(db_path)
    day = full_day(db_path)
    save_day(db, day)
    broken = DayLog(date=day.date, ratings=(Rating(1, 4), Rating(999, 5)))  # no symptom 999
    with pytest.raises(sqlerrors.IntegrityError):  # sqlite3's or sqlcipher3's
        save_day(db, broken)
    again = load_day(db, day.date)
    assert again is not None and again.ratings == day.ratings and len(again.doses) == 2


def test_previous_logged_day_skips_gaps(db_path: Path) -> None:
    db = open_database(db_path)
    save_day(db, DayLog(date="2026-11-01", ratings=(Rating(1, 2),)))
    save_day(db, DayLog(date="2026-11-04", note="no ratings"))
    found = previous_logged_day(db, "2026-11-05")
    assert found is not None and found.date == "2026-11-01"
    assert previous_logged_day(db, "2026-11-01") is None


def test_add_symptom_of_ones_own(db: object) -> None:
    symptom = add_symptom(db, "  Restless   legs ")  # type: ignore[arg-type]
    assert (symptom.key, symptom.name, symptom.position) == ("restless_legs", "Restless legs", 6)
    with pytest.raises(ValueError, match="already on the list"):
        add_symptom(db, "restless legs")  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    ratings=st.dictionaries(st.integers(1, 6), st.integers(0, 10), max_size=6),
    activity=st.none() | st.integers(0, 1440),
    sleep=st.none() | st.floats(0, 24).map(lambda x: round(x * 2) / 2),
    note=st.text(max_size=200),
)
def test_any_valid_day_round_trips(tmp_path_factory, ratings, activity, sleep, note) -> None:  # type: ignore[no-untyped-def]
    db = open_database(tmp_path_factory.mktemp("h") / "d.db")
    day = DayLog(
        date="2026-01-02",
        ratings=tuple(Rating(k, v) for k, v in sorted(ratings.items())),
        activity_min=activity,
        sleep_hours=sleep,
        note=note,
    )
    saved = save_day(db, day)
    assert saved.ratings == day.ratings
    assert (saved.activity_min, saved.sleep_hours, saved.note) == (activity, sleep, note)


def test_dose_ids_survive_saving_the_day_again(db_path: Path) -> None:
    """An export taken before a re-save must still match its doses on import (no duplicates)."""
    db = open_database(db_path)
    save_day(db, full_day(db_path))
    first = load_day(db, "2026-11-20")
    assert first is not None
    ids = [d.id for d in first.doses]
    again = save_day(db, replace(first, note="edited later"))
    assert [d.id for d in again.doses] == ids
    with_new = save_day(
        db, replace(again, doses=(*again.doses, Dose(again.doses[0].medication_id, "22:00", 2.0)))
    )
    assert [d.id for d in with_new.doses][:2] == ids and with_new.doses[2].id not in ids


def test_a_dose_earlier_than_the_newest_saved_one_can_be_added(db_path: Path) -> None:
    """The day's newest dose holds the highest id; adding an earlier dose (no id yet) must not
    reuse that id (it did: "UNIQUE constraint failed: doses.id" on `u` + ctrl+s)."""
    db = open_database(db_path)
    saved = save_day(db, full_day(db_path))
    newest = max(saved.doses, key=lambda d: d.id or 0)
    assert newest.id == max(d.id for d in saved.doses if d.id is not None)
    earlier = Dose(newest.medication_id, "00:05", 1.0)
    in_time_order = tuple(sorted((*saved.doses, earlier), key=lambda d: d.time))  # as Today has
    again = save_day(db, replace(saved, doses=in_time_order))
    assert len(again.doses) == len(saved.doses) + 1
    kept = {d.time: d.id for d in saved.doses}
    assert all(kept[d.time] == d.id for d in again.doses if d.time in kept)
    assert next(d for d in again.doses if d.time == "00:05").id not in kept.values()
