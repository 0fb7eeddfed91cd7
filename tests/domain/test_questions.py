"""Question rules (each fires on data that calls for it and stays quiet otherwise) and the
checklist store (generated questions update in place, visits archive)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from diazlog.domain import questions as q
from diazlog.domain.models import Category, DayLog, Dose, Level, Medication, Rating, TaperStep
from diazlog.domain.questions import GeneratedQuestion, QuestionData
from diazlog.domain.redflags import FlagEvent
from diazlog.domain.validation import InvalidInput
from diazlog.domain.visit_input import check_question, days_until, parse_visit_date
from diazlog.store.queries import appointments as appts
from diazlog.store.queries import questions as store
from diazlog.store.queries.days import save_days
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import list_symptoms

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 21, 30)


def day(offset: int) -> str:
    """The ISO date `offset` days before TODAY."""
    return (TODAY - timedelta(days=offset)).isoformat()


def data(**kwargs: object) -> QuestionData:
    return QuestionData(today=TODAY, since=TODAY - timedelta(days=89), **kwargs)  # type: ignore[arg-type]


DIAZEPAM_EVERY_DAY = {day(i): (("08:00", 5.0), ("20:00", 5.0)) for i in range(90)}
TRAMADOL = Medication(3, "Tramadol", Category.OPIOID)
IBUPROFEN = Medication(2, "Ibuprofen", Category.PAIN)


# -- rules ------------------------------------------------------------------------------------


def test_rising_fires_with_both_averages_and_the_timing_move() -> None:
    pain = {day(i): 6 for i in range(14)} | {day(i): 3 for i in range(14, 28)}
    doses = {day(i): (("08:00", 5.0), ("22:00", 5.0)) for i in range(14)} | {
        day(i): (("08:00", 5.0), ("20:00", 5.0)) for i in range(14, 28)
    }
    found = q.symptom_rising(
        data(ratings={"leg_pain": pain}, symptom_names={"leg_pain": "Leg pain"}, diazepam=doses)
    )
    assert [g.rule_key for g in found] == ["rising:leg_pain"]
    assert found[0].facts == (
        "leg pain averaged 6.0 in the last 14 days against 3.0 in the 14 before, "
        "since the evening dose moved from about 20:00 to 22:00"
    )


def test_rising_quiet_below_two_points_or_with_too_few_days() -> None:
    small = {day(i): 5 for i in range(14)} | {day(i): 4 for i in range(14, 28)}
    few = {day(i): 9 for i in range(6)} | {day(i): 1 for i in range(14, 28)}  # 6 < 7 days
    assert q.symptom_rising(data(ratings={"leg_pain": small})) == []
    assert q.symptom_rising(data(ratings={"leg_pain": few})) == []


def taper_data(cramps_after: int, cramps_before: int) -> QuestionData:
    step_day = TODAY - timedelta(days=11)  # 12 days from the step to today
    cramps = {day(i): 5 if i < cramps_after else 1 for i in range(12)}
    cramps |= {day(12 + i): 5 if i < cramps_before else 1 for i in range(12)}
    steps = (
        TaperStep(1, 1, "2026-01-01", 5.0, ("08:00", "20:00")),
        TaperStep(2, 1, step_day.isoformat(), 2.5, ("08:00", "20:00")),
    )
    return data(ratings={"cramps": cramps}, taper_steps=steps, symptom_names={"cramps": "Cramps"})


def test_taper_step_fires_with_days_after_and_before() -> None:
    found = q.after_taper_step(taper_data(cramps_after=9, cramps_before=2))
    assert [g.rule_key for g in found] == ["taper:2026-11-14"]
    assert found[0].facts == (
        "since the taper step on 14 Nov, cramps were 4 or more on 9 of 12 days "
        "(2 of the 12 days before)"
    )


def test_taper_step_says_not_logged_for_days_not_logged() -> None:
    """Never "0 of the 12 days before" when those days were not logged at all."""
    full = taper_data(cramps_after=9, cramps_before=0)
    after_only = {d: v for d, v in full.ratings["cramps"].items() if d >= day(11)}
    none_before = data(
        ratings={"cramps": after_only},
        taper_steps=full.taper_steps,
        symptom_names={"cramps": "Cramps"},
    )
    (found,) = q.after_taper_step(none_before)
    assert found.facts.endswith("on 9 of 12 days (the 12 days before were not logged)")
    assert "0 of the 12 days before" not in found.facts
    some = after_only | {day(12): 5, day(13): 1, day(14): 1}
    partly = data(ratings={"cramps": some}, taper_steps=full.taper_steps)
    (found,) = q.after_taper_step(partly)
    assert found.facts.endswith("(1 of the 3 logged days in the 12 days before)")


def test_taper_step_quiet_when_symptoms_were_as_common_before() -> None:
    assert q.after_taper_step(taper_data(cramps_after=9, cramps_before=8)) == []
    assert q.after_taper_step(taper_data(cramps_after=3, cramps_before=0)) == []


def test_taper_step_quiet_for_a_dose_increase() -> None:
    up = taper_data(cramps_after=9, cramps_before=0)
    steps = (up.taper_steps[0], TaperStep(2, 1, up.taper_steps[1].from_date, 10.0, ("08:00",)))
    assert q.after_taper_step(data(ratings=up.ratings, taper_steps=steps)) == []


def event(rule: str, start: str, end: str | None = None, **kw: object) -> FlagEvent:
    """An episode as the red-flag engine hands it over (store.flags.flag_events)."""
    end = end or start
    days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    fields: dict[str, object] = {
        "key": rule,
        "level": Level.ASK,
        "title": rule,
        "message": "",
        "days": days,
    }
    fields.update(kw)
    return FlagEvent(start=start, end=end, rule=rule, **fields)  # type: ignore[arg-type]


def test_combinations_come_from_the_engine_with_their_days() -> None:
    flags = (
        event(
            "combination",
            day(7),
            day(5),
            key="combination:3",
            title="Tramadol (an opioid) with diazepam",
        ),
        event(
            "combination",
            day(1),
            key="combination:3",
            title="Tramadol (an opioid) with diazepam",
        ),
        event(
            "slower_breakdown",
            day(2),
            key="slower_breakdown:4",
            title="Omeprazole 20mg (slows diazepam's breakdown) with diazepam",
        ),
        event(
            "faster_breakdown",
            day(2),
            key="faster_breakdown:5",
            title="Rifampicin (speeds diazepam's breakdown) with diazepam",
        ),
        event(
            "combination",
            day(4),
            key="combination:alcohol",
            title="Diazepam with alcohol (2 units)",
        ),
        event(
            "combination",
            day(3),
            key="combination:alcohol",
            title="Diazepam with alcohol (1 unit on 21 Nov)",
        ),
    )
    found = q.taken_with_diazepam(data(flags=flags))
    assert [g.rule_key for g in found] == [
        "with:opioid",
        "with:inhibitor",
        "with:inducer",
        "with:alcohol",
    ]
    assert found[0].facts == (
        "Tramadol (an opioid) with diazepam: flagged on 4 days since 28 Aug (within 48 hours "
        "of diazepam), last on 24 Nov"
    )
    assert "may work less" in found[2].text
    assert found[2].facts.startswith("Rifampicin (speeds diazepam's breakdown) with diazepam")
    # One name for alcohol, whatever the units each day (not one per amount).
    assert found[3].facts.startswith("Diazepam with alcohol: flagged on 2 days since")


def test_flags_before_the_period_or_of_other_kinds_ask_nothing() -> None:
    old = (TODAY - timedelta(days=200)).isoformat()
    assert q.taken_with_diazepam(data(flags=(event("combination", old),))) == []
    assert q.from_red_flags(data(flags=(event("fall", old),))) == []
    assert q.taken_with_diazepam(data(flags=(event("severe_pain", day(1)),))) == []


def test_a_kind_of_flag_is_named_once_whatever_its_values() -> None:
    flags = (
        event("severe_pain", day(9), title="Severe leg pain (Cramps 8/10)"),
        event("severe_pain", day(5), title="Severe leg pain (Leg pain 9/10)"),
        event("persistent_pain", day(3), title="Persistent leg pain (5+ on 4 of 4 days)"),
    )
    (severe,) = [g for g in q.from_red_flags(data(flags=flags)) if g.rule_key == "severe_pain"]
    assert severe.facts.startswith("the diary flagged Severe leg pain on 2 days since")
    falls = (event("fall", day(9), title="A fall"), event("breathing", day(2), title="Breathing"))
    (ticked,) = q.from_red_flags(data(flags=falls))
    assert ticked.facts.startswith("the diary flagged A fall and Breathing on 2 days")


@pytest.mark.parametrize(
    ("rule", "key"),
    [
        ("fall", "red_flags"),
        ("breathing", "red_flags"),
        ("severe_pain", "severe_pain"),
        ("persistent_pain", "persistent_pain"),
        ("severe_weakness", "weakness"),
        ("persistent_weakness", "weakness"),
        ("rising_weakness", "weakness"),
        ("severe_tension", "tension"),
        ("rising_tension", "tension"),
        ("overdose", "overdose"),
        ("above_usual", "overdose"),
        ("dose_cut", "dose_change"),
        ("gradual_cut", "dose_change"),
        ("stopped", "dose_change"),
    ],
)
def test_each_red_flag_kind_asks_its_question(rule: str, key: str) -> None:
    found = q.from_red_flags(data(flags=(event(rule, day(9), day(3), title=f"the {rule}"),)))
    assert [g.rule_key for g in found] == [key]
    assert found[0].facts == f"the diary flagged the {rule} on 7 days since 28 Aug (16 Nov-22 Nov)"


def test_walking_fires_at_five_on_average_and_not_below() -> None:
    assert q.walking_interference(data(walking={day(i): 6 for i in range(6)}))
    assert q.walking_interference(data(walking={day(i): 4 for i in range(6)})) == []


def test_generate_on_empty_data_is_empty() -> None:
    assert q.generate(data()) == []


def test_visit_date_may_be_future_but_must_be_a_date() -> None:
    assert parse_visit_date("2026-12-03", TODAY) == "2026-12-03"
    with pytest.raises(InvalidInput):
        parse_visit_date("next week", TODAY)
    with pytest.raises(InvalidInput):
        parse_visit_date("2031-01-01", TODAY)
    assert days_until("2026-12-03", TODAY) == "in 8 days"
    assert days_until("2026-11-26", TODAY) == "tomorrow"


def test_own_question_is_trimmed_and_must_not_be_empty() -> None:
    assert check_question("  Is   it the dose?  ") == "Is it the dose?"
    with pytest.raises(InvalidInput):
        check_question("   ")


# -- store ------------------------------------------------------------------------------------


def test_builtins_seed_once(db: Database) -> None:
    assert store.seed_builtins(db, NOW) == len(q.BUILTIN_QUESTIONS)
    assert store.seed_builtins(db, NOW) == 0
    assert [x.rule_key for x in store.current_questions(db)] == [k for k, _ in q.BUILTIN_QUESTIONS]


def gen(key: str, facts: str) -> GeneratedQuestion:
    return GeneratedQuestion(key, f"Question {key}?", facts)


def test_sync_updates_in_place_and_keeps_tick_answer_hidden(db: Database) -> None:
    store.sync_generated(db, [gen("a", "1 day"), gen("b", "2 days"), gen("c", "x")], NOW)
    rows = {x.rule_key: x for x in store.current_questions(db)}
    store.set_asked(db, rows["a"].id, "2026-11-20")  # type: ignore[arg-type]
    store.set_answer(db, rows["a"].id, "Keep going")  # type: ignore[arg-type]
    store.set_hidden(db, rows["c"].id, True)  # type: ignore[arg-type]
    store.sync_generated(db, [gen("a", "5 days")], NOW)
    after = {x.rule_key: x for x in store.current_questions(db)}
    # a updated, not duplicated; b gone (untouched); c kept because the user hid it.
    assert set(after) == {"a", "c"}
    assert after["a"].id == rows["a"].id
    assert after["a"].facts == "5 days"
    assert (after["a"].asked_on, after["a"].answer) == ("2026-11-20", "Keep going")
    assert after["c"].hidden


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.sets(st.sampled_from(["a", "b", "c", "d"])),
        min_size=1,
        max_size=6,
    )
)
def test_sync_never_duplicates_a_rule_key(tmp_path_factory, rounds: list[set[str]]) -> None:  # type: ignore[no-untyped-def]
    from diazlog.store import open_database

    db = open_database(tmp_path_factory.mktemp("h") / "q.db")
    for keys in rounds:
        store.sync_generated(db, [gen(k, str(len(keys))) for k in sorted(keys)], NOW)
        current = [x.rule_key for x in store.current_questions(db)]
        assert sorted(current) == sorted(set(current)) == sorted(keys)


def test_own_questions_add_edit_move_delete(db: Database) -> None:
    first = store.add_question(db, "First?", NOW)
    second = store.add_question(db, "Second?", NOW)
    assert first.id is not None and second.id is not None
    store.edit_question(db, first.id, "First, reworded?")
    assert store.move_question(db, second.id, -1)
    assert not store.move_question(db, second.id, -1)  # already at the top
    assert [x.text for x in store.current_questions(db)] == ["Second?", "First, reworded?"]
    store.delete_question(db, second.id)
    assert [x.text for x in store.current_questions(db)] == ["First, reworded?"]


def test_builtins_cannot_be_edited_or_deleted(db: Database) -> None:
    store.seed_builtins(db, NOW)
    builtin = store.current_questions(db)[0]
    assert builtin.id is not None
    store.edit_question(db, builtin.id, "Changed")
    store.delete_question(db, builtin.id)
    assert store.get_question(db, builtin.id) == builtin


def test_close_visit_archives_and_starts_fresh(db: Database) -> None:
    store.seed_builtins(db, NOW)
    visit = appts.set_appointment(db, "2026-11-20", "Dr Patel")
    asked = store.add_question(db, "Asked one?", NOW)
    store.add_question(db, "Not asked yet?", NOW)
    assert asked.id is not None
    store.set_asked(db, asked.id, "2026-11-20")
    store.set_answer(db, asked.id, "Yes")
    builtin = store.current_questions(db)[0]
    store.set_asked(db, builtin.id, "2026-11-20")  # type: ignore[arg-type]
    closed = store.close_visit(db, NOW)
    assert closed.id == visit.id and closed.closed
    assert appts.next_appointment(db) is None
    assert appts.last_visit_date(db) == "2026-11-20"
    old = store.visit_questions(db, visit.id)  # type: ignore[arg-type]
    assert {x.text: x.answer for x in old if x.origin == "mine"} == {
        "Asked one?": "Yes",
        "Not asked yet?": None,
    }
    fresh = store.current_questions(db)
    assert [x.text for x in fresh if x.origin == "mine"] == ["Not asked yet?"]
    assert all(x.asked_on is None for x in fresh)
    assert len([x for x in fresh if x.origin == "builtin"]) == len(q.BUILTIN_QUESTIONS)


def test_appointment_is_set_then_changed_not_duplicated(db: Database) -> None:
    appts.set_appointment(db, "2026-12-03", "Dr Patel")
    appts.set_appointment(db, "2026-12-10", "Dr Okoye")
    found = appts.next_appointment(db)
    assert found is not None and (found.date, found.with_whom) == ("2026-12-10", "Dr Okoye")
    assert db.execute("SELECT count(*) FROM appointments").fetchone()[0] == 1


def test_load_question_data_reads_logged_days(db: Database) -> None:
    ids = {s.key: s.id for s in list_symptoms(db)}
    diazepam = save_medication(db, Medication(None, "Diazepam", is_diazepam=True))
    tramadol = save_medication(db, Medication(None, "Tramadol", Category.OPIOID))
    assert diazepam.id and tramadol.id
    save_days(
        db,
        [
            DayLog(
                date=day(i),
                ratings=(Rating(ids["leg_pain"], 6),),
                doses=(Dose(diazepam.id, "08:00", 5), Dose(tramadol.id, "13:00", 50)),
                alcohol_units=1.0,
            )
            for i in range(3)
        ],
    )
    loaded = store.load_question_data(db, TODAY, None)
    assert loaded.ratings["leg_pain"] == {day(0): 6, day(1): 6, day(2): 6}
    assert loaded.diazepam[day(1)] == (("08:00", 5.0),)
    assert {(e.key, e.start, e.end) for e in loaded.flags} == {
        (f"combination:{tramadol.id}", day(2), day(0)),
        ("combination:alcohol", day(2), day(0)),
        ("persistent_pain", day(0), day(0)),  # leg pain 6 on 3 days in a row
    }
    found = {g.rule_key for g in q.generate(loaded)}
    assert found == {"with:opioid", "with:alcohol", "persistent_pain"}
    # After a visit yesterday, only today counts for "since the last visit".
    later = store.load_question_data(db, TODAY, day(1))
    assert later.since == TODAY
