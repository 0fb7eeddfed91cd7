"""The three-way merge of a day (domain) and the save that merges inside one transaction (store)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diazlog.domain.day_merge import (
    DAY_FIELDS,
    Conflict,
    conflict_label,
    describe_value,
    merge_day,
)
from diazlog.domain.models import Category, DayLog, Dose, FlagKind, Medication, Rating
from diazlog.store import open_database
from diazlog.store.queries.day_merge import save_merged
from diazlog.store.queries.days import load_day, save_day
from diazlog.store.queries.medications import save_medication

DAY = "2026-11-25"
NOW = datetime(2026, 11, 25, 21, 30)


def canonical(day: DayLog) -> DayLog:
    """Order and timestamps do not count; new doses (no id) compare by their content."""
    return replace(
        day,
        updated_at=None,
        ratings=tuple(sorted(day.ratings, key=lambda r: r.symptom_id)),
        doses=tuple(sorted(day.doses, key=lambda d: (d.id is None, d.id or 0, repr(d)))),
    )


# -- examples ---------------------------------------------------------------------------------

BASE = DayLog(
    date=DAY,
    ratings=(Rating(1, 3), Rating(2, 5)),
    water_glasses=4,
    note="morning",
    doses=(Dose(1, "08:00", 5, id=10),),
    red_flags=frozenset({"fall"}),
)


def test_changes_on_different_fields_are_all_kept() -> None:
    mine = replace(BASE, ratings=(Rating(1, 6), Rating(2, 5)), water_glasses=6)
    theirs = replace(
        BASE,
        ratings=(Rating(1, 3), Rating(2, 5), Rating(5, 9)),
        note="from cli",
        doses=(*BASE.doses, Dose(1, "12:00", 5, id=11)),
    )
    result = merge_day(BASE, mine, theirs)
    assert result.conflicts == ()
    assert {r.symptom_id: r.intensity for r in result.day.ratings} == {1: 6, 2: 5, 5: 9}
    assert result.day.water_glasses == 6
    assert result.day.note == "from cli"
    assert [(d.time, d.id) for d in result.day.doses] == [("08:00", 10), ("12:00", 11)]


def test_same_field_changed_differently_is_a_conflict_until_chosen() -> None:
    mine = replace(BASE, ratings=(Rating(1, 7), Rating(2, 5)), note="mine")
    theirs = replace(BASE, ratings=(Rating(1, 2), Rating(2, 5)), note="theirs")
    result = merge_day(BASE, mine, theirs)
    assert [c.key for c in result.conflicts] == ["note", "rating:1"]
    assert result.conflicts[0] == Conflict("note", "morning", "mine", "theirs")
    keep_mine = merge_day(BASE, mine, theirs, {"note": "mine", "rating:1": "mine"})
    assert keep_mine.conflicts == ()
    assert (keep_mine.day.note, keep_mine.day.rating_for(1)) == ("mine", Rating(1, 7))
    keep_theirs = merge_day(BASE, mine, theirs, {"note": "theirs", "rating:1": "theirs"})
    assert (keep_theirs.day.note, keep_theirs.day.rating_for(1)) == ("theirs", Rating(1, 2))
    mixed = merge_day(BASE, mine, theirs, {"note": "theirs"})
    assert [c.key for c in mixed.conflicts] == ["rating:1"]


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    mine = replace(BASE, note="same", red_flags=frozenset())
    theirs = replace(BASE, note="same", red_flags=frozenset())
    result = merge_day(BASE, mine, theirs)
    assert result.conflicts == ()
    assert result.day.note == "same"
    assert result.day.red_flags == frozenset()


def test_rating_details_belong_to_the_rating() -> None:
    mine = replace(BASE, ratings=(Rating(1, 3, legs="left"), Rating(2, 5)))
    theirs = replace(BASE, ratings=(Rating(1, 3, legs="right"), Rating(2, 5)))
    result = merge_day(BASE, mine, theirs)
    assert [c.key for c in result.conflicts] == ["rating:1"]
    assert describe_value(result.conflicts[0], result.conflicts[0].mine) == "3 + details"


def test_doses_by_id_removed_changed_added() -> None:
    base = replace(BASE, doses=(Dose(1, "08:00", 5, id=10), Dose(1, "20:00", 5, id=12)))
    mine = replace(base, doses=(Dose(1, "08:00", 2.5, id=10), Dose(2, "13:00", 1)))
    theirs = replace(
        base,
        doses=(Dose(1, "08:00", 5, id=10), Dose(1, "20:00", 5, id=12), Dose(1, "12:00", 5, id=13)),
    )
    result = merge_day(base, mine, theirs)
    assert result.conflicts == ()
    # 08:00 changed by me, 20:00 removed by me, 13:00 added by me, 12:00 added by them.
    assert [(d.time, d.amount, d.id) for d in result.day.doses] == [
        ("08:00", 2.5, 10),
        ("12:00", 5, 13),
        ("13:00", 1, None),
    ]


def test_a_dose_removed_on_one_side_and_changed_on_the_other_is_a_conflict() -> None:
    mine = replace(BASE, doses=())
    theirs = replace(BASE, doses=(Dose(1, "08:00", 10, id=10),))
    result = merge_day(BASE, mine, theirs)
    assert [c.key for c in result.conflicts] == ["dose:10"]
    conflict = result.conflicts[0]
    assert describe_value(conflict, conflict.mine) == "removed"
    assert describe_value(conflict, conflict.theirs) == "10 at 08:00"
    assert conflict_label(conflict, {}) == "Dose at 08:00"
    assert merge_day(BASE, mine, theirs, {"dose:10": "mine"}).day.doses == ()


def test_the_very_same_new_dose_on_both_sides_is_kept_once() -> None:
    new = Dose(1, "12:00", 5)
    mine = replace(BASE, doses=(*BASE.doses, new))
    theirs = replace(BASE, doses=(*BASE.doses, replace(new, id=11)))
    assert [d.id for d in merge_day(BASE, mine, theirs).day.doses] == [10, 11]


def test_conflict_labels_name_the_field() -> None:
    names = {1: "Leg pain"}
    assert conflict_label(Conflict("rating:1", None, None, None), names) == "Leg pain"
    assert conflict_label(Conflict("flag:fall", False, True, False), names) == "Red flag: A fall"
    assert conflict_label(Conflict("sleep_hours", None, 7.0, 6.5), names) == "Sleep hours"


# -- properties -------------------------------------------------------------------------------

_ratings = st.dictionaries(
    st.integers(1, 4),
    st.builds(
        Rating,
        symptom_id=st.just(0),
        intensity=st.integers(0, 10),
        legs=st.sampled_from([None, "left", "right"]),
    ),
    max_size=4,
).map(lambda d: tuple(replace(r, symptom_id=k) for k, r in sorted(d.items())))
_dose = st.builds(
    Dose,
    medication_id=st.integers(1, 2),
    time=st.sampled_from(["08:00", "12:00", "20:00"]),
    amount=st.sampled_from([2.5, 5.0]),
)
_values: dict[str, st.SearchStrategy[object]] = {
    "walking_interference": st.none() | st.integers(0, 10),
    "sleep_interference": st.none() | st.integers(0, 10),
    "activity_min": st.none() | st.integers(0, 90),
    "stretched": st.none() | st.booleans(),
    "water_glasses": st.none() | st.integers(0, 9),
    "sleep_hours": st.none() | st.sampled_from([6.0, 7.5]),
    "alcohol_units": st.none() | st.sampled_from([0.0, 1.5]),
    "note": st.sampled_from(["", "a", "b"]),
}
_flags = st.frozensets(st.sampled_from([k.value for k in FlagKind]))
_any_field = {**_values, "ratings": _ratings, "red_flags": _flags}


@st.composite
def base_days(draw: st.DrawFn) -> DayLog:
    doses = draw(st.lists(_dose, max_size=3))
    return DayLog(
        date=DAY,
        ratings=draw(_ratings),
        doses=tuple(replace(d, id=i + 1) for i, d in enumerate(doses)),
        red_flags=draw(_flags),
        **{name: draw(strategy) for name, strategy in _values.items()},  # type: ignore[arg-type]
    )


@st.composite
def edits_of(draw: st.DrawFn, base: DayLog, new_id: int | None) -> DayLog:
    """An edit of `base`: any fields replaced, doses kept / changed / dropped / added."""
    changes: dict[str, object] = {}
    for name in draw(st.sets(st.sampled_from([*DAY_FIELDS, "ratings", "red_flags"]))):
        changes[name] = draw(_any_field[name])
    doses = []
    for dose in base.doses:
        fate = draw(st.sampled_from(["keep", "change", "drop"]))
        if fate == "keep":
            doses.append(dose)
        elif fate == "change":
            doses.append(replace(draw(_dose), id=dose.id))
    for i, dose in enumerate(draw(st.lists(_dose, max_size=2))):
        doses.append(replace(dose, id=None if new_id is None else new_id + i))
    return replace(base, doses=tuple(doses), **changes)  # type: ignore[arg-type]


@st.composite
def three_days(draw: st.DrawFn) -> tuple[DayLog, DayLog, DayLog]:
    base = draw(base_days())
    # Mine (the form) has new doses without id; theirs (stored) has new ids after base's.
    return base, draw(edits_of(base, None)), draw(edits_of(base, 100))


@given(three_days())
def test_theirs_unchanged_gives_mine(days: tuple[DayLog, DayLog, DayLog]) -> None:
    base, mine, _ = days
    result = merge_day(base, mine, base)
    assert result.conflicts == ()
    assert canonical(result.day) == canonical(mine)


@given(three_days())
def test_mine_unchanged_gives_theirs(days: tuple[DayLog, DayLog, DayLog]) -> None:
    base, _, theirs = days
    result = merge_day(base, base, theirs)
    assert result.conflicts == ()
    assert canonical(result.day) == canonical(theirs)


def _fields(day: DayLog) -> dict[str, object]:
    """Every mergeable field of a day under its conflict key."""
    fields: dict[str, object] = {name: getattr(day, name) for name in DAY_FIELDS}
    for rating in day.ratings:
        fields[f"rating:{rating.symptom_id}"] = rating
    for kind in FlagKind:
        fields[f"flag:{kind.value}"] = kind.value in day.red_flags
    for dose in day.doses:
        if dose.id is not None and dose.id < 100:
            fields[f"dose:{dose.id}"] = dose
    return fields


@settings(max_examples=300)
@given(three_days(), st.sampled_from(["mine", "theirs"]))
def test_nothing_changed_on_one_side_only_is_lost(
    days: tuple[DayLog, DayLog, DayLog], side: str
) -> None:
    base, mine, theirs = days
    b, m, t = _fields(base), _fields(mine), _fields(theirs)
    result = merge_day(base, mine, theirs)
    keys = {c.key for c in result.conflicts}
    for key in b.keys() | m.keys() | t.keys():
        changed_mine, changed_theirs = m.get(key) != b.get(key), t.get(key) != b.get(key)
        both_differently = changed_mine and changed_theirs and m.get(key) != t.get(key)
        assert (key in keys) == both_differently, key
    # Settled every conflict one way: each field holds mine, theirs or the shared change.
    settled = merge_day(base, mine, theirs, dict.fromkeys(keys, side))  # type: ignore[arg-type]
    assert settled.conflicts == ()
    r = _fields(settled.day)
    for key in b.keys() | m.keys() | t.keys():
        if key in keys:
            expected = m.get(key) if side == "mine" else t.get(key)
        elif m.get(key) != b.get(key):
            expected = m.get(key)
        else:
            expected = t.get(key)
        assert r.get(key) == expected, key
    # Doses added on either side are all there (a dose added on both sides counts once).
    added_mine = [replace(d, id=None) for d in mine.doses if d.id is None]
    added_theirs = [d for d in theirs.doses if d.id is not None and d.id >= 100]
    result_new = [d for d in settled.day.doses if d.id is None or d.id >= 100]
    assert all(d in result_new for d in added_theirs)
    assert all(replace(d, id=None) in [replace(x, id=None) for x in result_new] for d in added_mine)
    assert len(result_new) <= len(added_mine) + len(added_theirs)


# -- the store: one transaction ---------------------------------------------------------------


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "diazlog.db"
    db = open_database(path)
    save_medication(db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True))
    db.close()
    return path


def test_save_merged_keeps_another_connections_save(path: Path) -> None:
    app_db, cli_db = open_database(path), open_database(path)
    base = save_day(app_db, DayLog(date=DAY, ratings=(Rating(1, 3),), note="morning"), NOW)
    save_day(
        cli_db,
        replace(
            base,
            ratings=(Rating(1, 3), Rating(5, 9)),
            note="from cli",
            doses=(Dose(1, "12:00", 5),),
        ),
        NOW,
    )
    mine = replace(base, ratings=(Rating(1, 6),), water_glasses=5)
    saved = save_merged(app_db, base, mine, NOW)
    assert saved.written and saved.kept_theirs
    stored = load_day(open_database(path), DAY)
    assert stored is not None and saved.day == stored
    assert {r.symptom_id: r.intensity for r in stored.ratings} == {1: 6, 5: 9}
    assert (stored.note, stored.water_glasses) == ("from cli", 5)
    assert [(d.time, d.amount) for d in stored.doses] == [("12:00", 5)]


def test_save_merged_with_a_conflict_writes_nothing_until_chosen(path: Path) -> None:
    app_db, cli_db = open_database(path), open_database(path)
    base = save_day(app_db, DayLog(date=DAY, note="morning"), NOW)
    theirs = save_day(cli_db, replace(base, note="theirs"), NOW)
    outcome = save_merged(app_db, base, replace(base, note="mine", water_glasses=2), NOW)
    assert not outcome.written
    assert [c.key for c in outcome.conflicts] == ["note"]
    assert load_day(cli_db, DAY) == theirs
    chosen = save_merged(
        app_db, base, replace(base, note="mine", water_glasses=2), NOW, {"note": "theirs"}
    )
    assert chosen.written
    stored = load_day(cli_db, DAY)
    assert stored is not None and (stored.note, stored.water_glasses) == ("theirs", 2)


def test_save_merged_of_a_day_never_saved_before(path: Path) -> None:
    db = open_database(path)
    saved = save_merged(db, None, DayLog(date=DAY, ratings=(Rating(2, 4),)), NOW)
    assert saved.written and not saved.kept_theirs
    assert load_day(db, DAY) == saved.day
    assert saved.day.rating_for(2) == Rating(2, 4)


def test_save_merged_rolls_back_whole_when_a_write_fails(path: Path) -> None:
    db = open_database(path)
    base = save_day(db, DayLog(date=DAY, note="kept"), NOW)
    bad = replace(base, note="lost", doses=(Dose(999, "08:00", 5),))  # no medicine 999
    with pytest.raises(Exception, match="FOREIGN KEY"):
        save_merged(db, base, bad, NOW)
    assert not db.conn.in_transaction
    assert load_day(db, DAY) == base


def test_save_merged_needs_no_sqlite_utils(path: Path) -> None:
    """Today saves through save_merged: like save_day it writes on the raw connection (the
    nested writing() is a plain SAVEPOINT), so a save never waits for the sqlite-utils import."""
    import subprocess
    import sys

    script = f"""
import sys
from datetime import datetime
from diazlog.domain.models import DayLog
from diazlog.store import open_database
from diazlog.store.queries.day_merge import save_merged
db = open_database({str(path)!r})
saved = save_merged(db, None, DayLog(date="{DAY}", note="x"), datetime(2026, 11, 25, 21, 0))
print(saved.written, "sqlite_utils" in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "False"]
    stored = load_day(open_database(path), DAY)
    assert stored is not None and stored.note == "x"
