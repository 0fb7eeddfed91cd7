"""Each red-flag rule fires when it should and stays quiet when it should not."""

from __future__ import annotations

from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating, Severity
from diazlog.domain.redflags import FlagContext, evaluate, persistent_run

DIAZEPAM = Medication(1, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True)
MEDS = {
    1: DIAZEPAM,
    2: Medication(2, "Tramadol", Category.OPIOID),
    3: Medication(3, "Omeprazole", Category.OTHER),
    4: Medication(4, "Ibuprofen", Category.PAIN),
    5: Medication(5, "Zopiclone", Category.SLEEP),
}
CTX = FlagContext(medications=MEDS, leg_pain_symptom_id=1)


def rules(day: DayLog, context: FlagContext = CTX) -> list[str]:
    return [a.rule for a in evaluate(day, context)]


def test_quiet_day_has_no_alerts() -> None:
    assert evaluate(DayLog("2026-11-25", ratings=(Rating(1, 4),)), CTX) == []


def test_severe_pain_at_eight_not_seven() -> None:
    assert "severe_pain" in rules(DayLog("2026-11-25", ratings=(Rating(1, 8),)))
    assert "severe_pain" not in rules(DayLog("2026-11-25", ratings=(Rating(1, 7),)))
    assert "severe_pain" not in rules(DayLog("2026-11-25", ratings=(Rating(2, 9),)))


def test_persistent_pain_needs_three_consecutive_days() -> None:
    earlier = {"2026-11-24": 5, "2026-11-23": 6}
    day = DayLog("2026-11-25", ratings=(Rating(1, 5),))
    context = FlagContext(medications=MEDS, leg_pain_symptom_id=1, earlier_leg_pain=earlier)
    assert "persistent_pain" in rules(day, context)
    gap = FlagContext(
        medications=MEDS, leg_pain_symptom_id=1, earlier_leg_pain={"2026-11-24": 5, "2026-11-22": 6}
    )
    assert "persistent_pain" not in rules(day, gap)
    assert persistent_run("2026-11-25", 4, earlier) == 0
    assert persistent_run("2026-11-25", 5, earlier) == 3


def test_urgent_ticks_say_seek_attention_now() -> None:
    alerts = evaluate(DayLog("2026-11-25", red_flags=frozenset({"confusion", "breathing"})), CTX)
    assert [a.severity for a in alerts] == [Severity.EMERGENCY, Severity.URGENT]
    assert "emergency services" in alerts[0].message
    assert all("seek medical attention now" in a.message.lower() for a in alerts)


def test_fall_tells_the_doctor() -> None:
    alerts = evaluate(DayLog("2026-11-25", red_flags=frozenset({"fall"})), CTX)
    assert [(a.rule, a.severity) for a in alerts] == [("fall", Severity.DOCTOR)]


def test_opioid_with_diazepam_is_a_combination() -> None:
    both = DayLog("2026-11-25", doses=(Dose(1, "08:00", 5), Dose(2, "12:00", 50)))
    assert rules(both) == ["combination"]
    assert "opioid" in evaluate(both, CTX)[0].title
    assert rules(DayLog("2026-11-25", doses=(Dose(2, "12:00", 50),))) == []
    assert rules(DayLog("2026-11-25", doses=(Dose(1, "08:00", 5), Dose(4, "12:00", 400)))) == []


def test_sleep_medicine_alcohol_and_enzyme_inhibitor() -> None:
    assert rules(DayLog("2026-11-25", doses=(Dose(1, "08:00", 5), Dose(5, "22:00", 7.5)))) == [
        "combination"
    ]
    assert rules(DayLog("2026-11-25", alcohol_units=2, doses=(Dose(1, "08:00", 5),))) == [
        "combination"
    ]
    assert rules(DayLog("2026-11-25", alcohol_units=2)) == []
    assert rules(DayLog("2026-11-25", doses=(Dose(1, "08:00", 5), Dose(3, "08:00", 20)))) == [
        "interaction"
    ]


def test_dose_cut_by_more_than_a_quarter() -> None:
    context = FlagContext(medications=MEDS, leg_pain_symptom_id=1, previous_diazepam=10)
    cut = DayLog("2026-11-25", doses=(Dose(1, "08:00", 5),))
    assert rules(cut, context) == ["dose_cut"]
    small = DayLog("2026-11-25", doses=(Dose(1, "08:00", 5), Dose(1, "20:00", 2.5)))
    assert rules(small, context) == []
    stopped = DayLog("2026-11-25", ratings=(Rating(1, 3),))
    assert rules(stopped, context) == ["dose_cut"]
    assert "stopped" in evaluate(stopped, context)[0].title
    nothing_yet = DayLog("2026-11-25")
    assert rules(nothing_yet, context) == []


def test_wording_never_goes_beyond_ask_or_seek_help() -> None:
    day = DayLog(
        "2026-11-25",
        ratings=(Rating(1, 9),),
        alcohol_units=3,
        doses=(Dose(1, "08:00", 5), Dose(2, "09:00", 50), Dose(3, "08:00", 20)),
        red_flags=frozenset({"confusion", "extreme_weakness", "breathing", "fall"}),
    )
    for alert in evaluate(
        day, FlagContext(medications=MEDS, leg_pain_symptom_id=1, previous_diazepam=20)
    ):
        text = alert.message.lower()
        assert "doctor" in text or "medical attention now" in text or "emergency" in text
