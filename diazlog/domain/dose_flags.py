"""Red flags from the diazepam doses: too much, a cut, a stop, and the days not logged at all.

Three things are kept apart (CLINICAL.md, "Missed is not cut"; FDA 2020 boxed warning):

- a planned dose with nothing logged is *missed* (domain.adherence counts it), never a cut,
  however many days in a row: the cut rules judge a day with each missed planned dose
  counted at its planned amount (`judged_total`). CLINICAL.md gives missed doses no flag of
  their own (one changes blood levels little: half-life 1-2 days), so none is raised;
- a *cut* is a lower amount actually logged: a daily total, with missed doses counted as
  above, lower than the plan (or the recent dose days where there is no plan) on two logged
  days in a row: "contact your doctor today";
- a *stop* is no diazepam on two or more days that have symptoms logged, with no plan step
  saying so: "don't stop suddenly", with the emergency signs of withdrawal;
- a day with no doses and no symptoms is *not logged*: never a stop; after two of them the
  app only says "nothing logged since …" (`nothing_logged_since`).
"""

from __future__ import annotations

from diazlog.domain import limits
from diazlog.domain.adherence import LoggedDose, SlotStatus, judge_day, planned_slots
from diazlog.domain.day_status import has_symptoms
from diazlog.domain.flag_context import (
    FlagContext,
    days_between,
    diazepam_total,
    make_alert,
    median,
    shift,
    short_date,
)
from diazlog.domain.models import Alert, DayLog, FlagKind, Level
from diazlog.domain.taper import planned_for, planned_total

ASK_TAPER = "ask your doctor about tapering (stopping or cutting fast can bring withdrawal)"
STOP_WORDS = (
    "Don't stop diazepam suddenly: contact your doctor today. Seizures, confusion or seeing "
    "and hearing things that aren't there need emergency help."
)
STOP_SOURCE = "FDA 2020 benzodiazepine boxed warning (CLINICAL.md, third round)"
CUT_DAYS = 2  # a lower total must hold on this many logged days in a row to be a cut
NOT_LOGGED_DAYS = 2  # unlogged days (no doses, no symptoms) before "nothing logged since"
# The rules of this family: their flags are about the diazepam logged (domain.standing_flags).
DOSE_RULES = frozenset({"overdose", "above_usual", "dose_cut", "gradual_cut", "stopped"})


def planned_daily_total(day: str, context: FlagContext) -> tuple[float, str] | None:
    """What the user means to take on `day`: the taper step in force, else the usual dose.

    A usual dose without its times (set up from the shell's first `--dose`) says how much per
    dose but not how many a day: (amount, "usual dose") then.
    """
    step = planned_for(context.plan, day)
    if step is not None:
        return planned_total(step), "planned"
    usual = [
        m
        for m in context.medications.values()
        if m.is_diazepam and m.usual_amount and m.active_on(day)
    ]
    if usual:
        med = usual[0]
        assert med.usual_amount is not None
        if not med.usual_times:
            return med.usual_amount, "usual dose"
        return sum(d.amount for d in med.usual_doses), "usual"
    return None


def last_planned_time(day: str, context: FlagContext) -> str | None:
    step = planned_for(context.plan, day)
    if step is not None and step.times:
        return max(step.times)
    times = [t for m in context.medications.values() if m.is_diazepam for t in m.usual_times]
    return max(times) if times else None


def day_is_over(day: str, context: FlagContext) -> bool:
    """Whether a day's diazepam total can be judged: the day is over, or its last planned dose
    time has passed (so "cut from 10 to 5 mg" does not show all morning)."""
    if context.now is None:
        return True
    today = context.now.date().isoformat()
    if day < today:
        return True
    if day > today:
        return False
    last = last_planned_time(day, context)
    return last is not None and context.now.strftime("%H:%M") > last


def missed_doses(log: DayLog, context: FlagContext) -> tuple[tuple[float, ...], float]:
    """The planned amounts of the day's planned diazepam doses with no dose logged for them
    (domain.adherence matches doses to planned times, as Today and the report do), and the
    day's planned total."""
    tracked = next(
        (m for m in context.medications.values() if m.is_diazepam and m.active_on(log.date)),
        None,
    )
    slots = planned_slots(log.date, context.plan, tracked)
    if not slots:
        return (), 0.0
    logged = [
        LoggedDose(d.time, d.amount, d.as_needed)
        for d in log.doses
        if d.medication_id in context.diazepam_ids
    ]
    judged = judge_day(log.date, slots, logged)
    missed = tuple(r.slot.amount for r in judged.slots if r.status is SlotStatus.MISSED)
    return missed, sum(s.amount for s in slots)


def logged_share(log: DayLog, context: FlagContext) -> float:
    """The share of the day's planned diazepam whose planned times have a dose logged: 1.0
    when nothing planned was missed (or nothing is planned, or every planned dose was missed
    and the day's doses match no planned time: then the total is all there is to judge)."""
    missed, planned = missed_doses(log, context)
    covered = planned - sum(missed)
    return covered / planned if missed and planned > 0 and covered > 0 else 1.0


def judged_total(log: DayLog, context: FlagContext) -> float:
    """The day's diazepam total for the cut rules, as a whole day: what was logged, over the
    share of the plan it was logged for. Missed is not cut: 5 mg at 08:00 with 20:00 missed
    is the plan's 5 + 5 held, 2 mg at 08:00 is a cut to 2 + 2 whatever 20:00 did."""
    return diazepam_total(log, context) / logged_share(log, context)


def baseline(day: str, context: FlagContext) -> float | None:
    """Median daily diazepam total (`judged_total`) of the last 7 dose days within the 14
    days before `day`."""
    start = shift(day, -limits.BASELINE_WINDOW_DAYS)
    totals = [
        judged_total(context.earlier[d], context)
        for d in sorted(context.earlier, reverse=True)
        if start <= d < day
    ]
    dose_days = [t for t in totals if t > 0][: limits.BASELINE_DOSE_DAYS]
    return median(dose_days) if dose_days else None


def _matches_plan(day: str, total: float, context: FlagContext) -> bool:
    step = planned_for(context.plan, day)
    return step is not None and abs(total - planned_total(step)) < 0.01


def cut_reference(day: str, context: FlagContext) -> tuple[float, str] | None:
    """What a day's total is held against: the plan step in force, else the recent dose days."""
    step = planned_for(context.plan, day)
    if step is not None:
        return planned_total(step), "the plan"
    usual = baseline(day, context)
    return (usual, "your recent days") if usual is not None else None


def _is_cut(log: DayLog, context: FlagContext) -> tuple[float, float, str] | None:
    """(judged total, reference, what it is) when the day's diazepam is a large cut, else
    None. Doses missed are counted at their planned amount (`judged_total`)."""
    if diazepam_total(log, context) == 0 or not day_is_over(log.date, context):
        return None  # no diazepam at all is the stop rule's
    total = judged_total(log, context)
    reference = cut_reference(log.date, context)
    if reference is None or total >= reference[0] * (1 - limits.DOSE_CUT_FRACTION):
        return None
    return total, reference[0], reference[1]


def _previous_logged(day: str, context: FlagContext) -> DayLog | None:
    """The logged day before `day` if it is "in a row" with it (one unlogged day between at
    most, as for persistent pain)."""
    for d in sorted(context.earlier, reverse=True):
        if d >= day:
            continue
        return context.earlier[d] if days_between(d, day) <= limits.EPISODE_GAP_DAYS else None
    return None


def dose_flags(day: DayLog, context: FlagContext) -> list[Alert]:
    """Too much in a day, more than planned, a cut that holds, a gradual cut, a stop."""
    if not context.diazepam_ids:
        return []
    total = diazepam_total(day, context)
    alerts = []
    if total > limits.LABEL_MAX_DAILY_MG:
        signs = day.red_flags & {FlagKind.CONFUSION.value, FlagKind.EXTREME_WEAKNESS.value}
        alerts.append(
            make_alert(
                "overdose",
                Level.EMERGENCY if signs else Level.URGENT,
                f"Diazepam {total:g} mg in a day",
                f"More than the label's {limits.LABEL_MAX_DAILY_MG:g} mg a day: possible "
                + (
                    "overdose with confusion or weakness: call emergency services now."
                    if signs
                    else "overdose: seek medical attention now."
                ),
                "Valium label: 2-10 mg 3 or 4 times a day; overdose signs (CLINICAL.md Levels)",
                value=total,
            )
        )
    expected = planned_daily_total(day.date, context)
    daily_total_known = expected is not None and expected[1] != "usual dose"
    if (
        expected is not None
        and daily_total_known
        and expected[0] > 0
        and total > expected[0] * limits.ABOVE_USUAL_RATIO
    ):
        alerts.append(
            make_alert(
                "above_usual",
                Level.ASK,
                f"Diazepam {total:g} mg, over 1.5× your {expected[1]} {expected[0]:g} mg",
                "More diazepam than planned: ask your doctor.",
                "Valium label: dosing",
                value=total,
            )
        )
    if _matches_plan(day.date, total, context):
        return alerts
    if total == 0:
        return alerts + stopped(day, context)
    return alerts + _cut(day, total, context)


def _cut(day: DayLog, total: float, context: FlagContext) -> list[Alert]:
    cut = _is_cut(day, context)
    previous = _previous_logged(day.date, context)
    if cut is not None and previous is not None and _is_cut(previous, context) is not None:
        judged, reference, against = cut
        missed = len(missed_doses(day, context)[0])
        share = logged_share(day, context)
        what = (
            f"{total:g} mg at the times logged ({against}: {reference * share:g} mg for those; "
            f"{missed} planned {'dose' if missed == 1 else 'doses'} missed, not counted as a cut)"
            if share < 1
            else f"{total:g} mg a day ({against}: {reference:g} mg)"
        )
        return [
            make_alert(
                "dose_cut",
                Level.TODAY,
                f"Diazepam cut to {what}, {CUT_DAYS} days in a row",
                f"A cut of {(1 - judged / reference):.0%} that held on {CUT_DAYS} logged days: "
                "cutting diazepam fast can bring withdrawal: contact your doctor today.",
                STOP_SOURCE,
                value=1 - judged / reference,
            )
        ]
    if not day_is_over(day.date, context) or planned_for(context.plan, day.date) is not None:
        return []  # with a plan in force, a cut is judged against the plan (above) only
    peak = gradual_cut_from(day.date, judged_total(day, context), context)
    if peak is None or previous is None:
        return []
    if judged_total(previous, context) >= peak * (1 - limits.DOSE_CUT_FRACTION):
        return []  # not held on two logged days yet
    share = logged_share(day, context)  # shown for the times logged when a dose was missed
    where = " at the times logged" if share < 1 else ""
    return [
        make_alert(
            "gradual_cut",
            Level.ASK,
            f"Diazepam cut step by step from {peak * share:g} to {total:g} mg{where}",
            f"Cuts adding up to {(1 - total / (peak * share)):.0%} within "
            f"{limits.BASELINE_WINDOW_DAYS} days: {ASK_TAPER}.",
            "Valium label: withdrawal after a fast cut",
            value=1 - total / (peak * share),
        )
    ]


def gradual_cut_from(day: str, total: float, context: FlagContext) -> float | None:
    """The start of a run of cuts ending at `day` that adds up to more than 25% in 14 days.

    Walks back over dose days while each one is at least the next; needs two cuts or more
    (a single big cut is the baseline rule's).
    """
    start = shift(day, -limits.BASELINE_WINDOW_DAYS)
    current = total
    cuts = 0
    for d in sorted(context.earlier, reverse=True):
        if d < start:
            break
        log = context.earlier[d]
        if diazepam_total(log, context) == 0:
            continue
        earlier = judged_total(log, context)
        if earlier < current:
            break
        if earlier > current:
            cuts += 1
        current = earlier
    if cuts >= 2 and total < current * (1 - limits.DOSE_CUT_FRACTION):
        return current
    return None


def stopped(day: DayLog, context: FlagContext) -> list[Alert]:
    """No diazepam on 2+ days with symptoms logged since the last dose (within 14 days).

    Days with nothing logged are not counted: not logging is not stopping. The day judged
    must itself have symptoms logged (a rating or an interference: day_status.has_symptoms)
    and be over (or past its last planned time).
    """
    if not has_symptoms(day):
        return []
    days_without = 1 if day_is_over(day.date, context) else 0
    last_dose = None
    window_start = shift(day.date, -limits.BASELINE_WINDOW_DAYS)
    for d in sorted(context.earlier, reverse=True):
        if d >= day.date:
            continue
        if d < window_start:
            break
        log = context.earlier[d]
        if diazepam_total(log, context) > 0:
            last_dose = d
            break
        if _matches_plan(d, 0.0, context):
            return []  # the plan said none that day: its stop is planned
        if has_symptoms(log):
            days_without += 1
    if last_dose is None or days_without < limits.STOPPED_DAYS:
        return []  # no recent dose to stop from (a new diary), or not yet two days
    return [
        make_alert(
            "stopped",
            Level.TODAY,
            f"No diazepam logged on {days_without} days with symptoms (last dose "
            f"{short_date(last_dose)})",
            STOP_WORDS,
            STOP_SOURCE,
            value=days_without,
        )
    ]


def nothing_logged_since(last_logged: str | None, today: str, *, short: bool = False) -> str | None:
    """A gentle line when two days or more before today have nothing logged (no doses, no
    symptoms); None otherwise. Never a red flag and never a word about stopping. `short`
    for a title bar: "nothing logged since 17 Nov"."""
    if last_logged is None or days_between(last_logged, today) <= NOT_LOGGED_DAYS:
        return None
    if short:
        return f"nothing logged since {short_date(last_logged)}"
    return f"Nothing logged since {short_date(last_logged)}: log a day when you can."
