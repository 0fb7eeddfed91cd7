"""A taper plan as the doctor wrote it: which step is in force on a day, and how a day compares.

Pure functions over TaperStep lists; the store loads the steps, screens and the CLI show the words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from diazlog.domain.models import PlannedDose, TaperStep
from diazlog.domain.units import amount_text


def planned_for(steps: Sequence[TaperStep], day: str) -> TaperStep | None:
    """The step in force on `day`: the latest one starting on or before it, or None."""
    current: TaperStep | None = None
    for step in sorted(steps, key=lambda s: s.from_date):
        if step.from_date <= day:
            current = step
        else:
            break
    return current


def doses_per_day(step: TaperStep) -> int:
    """A step without times still means one dose a day of its amount (unless it is 0)."""
    return max(1, len(step.times))


def planned_total(step: TaperStep) -> float:
    """Total planned for one day: the sum of the step's doses (each at its own amount)."""
    return sum(d.amount for d in step.doses)


def describe_doses(doses: Sequence[PlannedDose], unit: str = "mg") -> str:
    """ "5 mg at 08:00 + 2.5 mg at 20:00": each dose at its own amount; "" for none."""
    return " + ".join(
        amount_text(d.amount, unit) + (f" at {d.time}" if d.time else "") for d in doses
    )


def nearest_dose(doses: Sequence[PlannedDose], hhmm: str) -> PlannedDose | None:
    """The planned dose whose time is nearest `hhmm` (ties: the earlier); an untimed one
    when the plan names no time; None for no doses."""
    if not doses:
        return None

    def distance(dose: PlannedDose) -> int:
        if dose.time is None:
            return 0
        return abs(_minutes(dose.time) - _minutes(hhmm))

    return min(doses, key=distance)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")[:2]
    return int(hours) * 60 + int(minutes)


class Match(StrEnum):
    """How the day's logged total compares with the plan."""

    NOTHING_YET = "nothing_yet"
    MATCHES = "matches"
    LESS = "less"
    MORE = "more"


@dataclass(frozen=True)
class PlanCheck:
    step: TaperStep
    planned: float
    logged: float
    match: Match


def check(step: TaperStep, logged: float) -> PlanCheck:
    """Compare a day's logged total with its planned total (exact, to 0.01 of a unit)."""
    planned = planned_total(step)
    if logged == 0 and planned > 0:
        match = Match.NOTHING_YET
    elif abs(logged - planned) < 0.01:
        match = Match.MATCHES
    elif logged < planned:
        match = Match.LESS
    else:
        match = Match.MORE
    return PlanCheck(step, planned, logged, match)


def describe_step(step: TaperStep, unit: str = "mg") -> str:
    """ "2 × 5 mg (08:00, 20:00)", "5 mg at 08:00 + 2.5 mg at 20:00" or "no diazepam from …"."""
    if step.amount == 0:
        return f"no diazepam from {step.from_date}"
    if len({d.amount for d in step.doses}) > 1:
        return describe_doses(step.doses, unit)
    count = doses_per_day(step)
    times = f" ({', '.join(step.times)})" if step.times else ""
    amount = amount_text(step.amount, unit)
    return f"{count} × {amount}{times}" if count > 1 else f"{amount}{times}"


def describe_check(result: PlanCheck, unit: str = "mg", *, is_today: bool = True) -> str:
    """One line for Today, `log` and `status`: the plan and whether the day follows it."""
    plan = describe_step(result.step, unit)
    logged = f"{result.logged:g} {unit}"
    verdict = {
        Match.NOTHING_YET: "nothing logged yet" if is_today else "nothing logged",
        Match.MATCHES: f"logged {logged} ✓ matches",
        Match.LESS: f"logged {logged}, {result.planned - result.logged:g} {unit} less than planned",
        Match.MORE: f"logged {logged}, {result.logged - result.planned:g} {unit} more than planned",
    }[result.match]
    return f"Plan: {plan} · {verdict}"
