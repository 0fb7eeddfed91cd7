"""The dose list of one day as Today shows it: logged doses and planned ones, each with its
status in words, and the lines under it (the day's diazepam in mg, the plan, the stock).

Pure functions over plain data, so the words a user reads ("late (+2h30)", "missed",
"planned") are tested here without an app. The judging itself (which logged dose took which
planned slot) is domain/adherence.py's; this module words its result for one screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from diazlog.domain.adherence import LoggedDose, Slot, SlotStatus, judge_day, planned_slots
from diazlog.domain.diazepam_products import diazepam_ids, diazepam_mg
from diazlog.domain.models import Dose, Medication, TaperStep
from diazlog.domain.taper import check, describe_check


class DoseLine(NamedTuple):
    """One line of the dose list: a logged dose (its index in the day's doses) or a planned
    one not logged yet (its slot), with the status judge_day gives it."""

    time: str
    medication_id: int
    amount: float
    status: str
    dose: int | None = None
    slot: Slot | None = None


def day_plans(
    day: str,
    medications: Mapping[int, Medication],
    tracked: Medication | None,
    step: TaperStep | None,
) -> dict[int, tuple[Slot, ...]]:
    """The day's planned slots per medicine: the tracked diazepam's from the taper step in
    force (or its usual dose), every other medicine's from its usual times."""
    plans: dict[int, tuple[Slot, ...]] = {}
    for med_id, med in medications.items():
        if tracked is not None and med_id == tracked.id:
            plans[med_id] = planned_slots(day, [step] if step is not None else [], med)
        elif med.usual_times:
            plans[med_id] = planned_slots(day, [], med)
    return plans


def late_text(off_by: int) -> str:
    """How far a late dose was off its planned time: "+2h30" (later) or "-3h05" (earlier)."""
    hours, mins = divmod(abs(off_by), 60)
    return f"{'+' if off_by > 0 else '-'}{hours}h{mins:02d}"


def dose_lines(
    day: str,
    doses: Sequence[Dose],
    plans: Mapping[int, tuple[Slot, ...]],
    *,
    clock: str | None,
    judged_as: Mapping[int, int] | None = None,
) -> list[DoseLine]:
    """Logged and planned doses in time order, each with its status in words.

    `judged_as` maps a medicine to the one whose plan its doses are judged against: diazepam
    under a brand ("Valium 5 mg") takes the tracked diazepam's planned slot (`brand_plans`);
    each logged line keeps the name it was logged under.

    `clock` is the time now ("HH:MM") when `day` is today, None for an earlier day. A planned
    dose not logged is "planned" while its time is still to come today (a slot without a time
    too), and "missed" once it has passed (on an earlier day, always).
    """
    lines: list[DoseLine] = []
    group = dict(judged_as or {})

    def plan_of(med_id: int) -> int:
        return group.get(med_id, med_id)

    for med_id in {plan_of(d.medication_id) for d in doses} | set(plans):
        logged = {
            i: LoggedDose(d.time, d.amount, d.as_needed)
            for i, d in enumerate(doses)
            if plan_of(d.medication_id) == med_id
        }
        if med_id not in plans:
            for i, dose in logged.items():
                status = "as needed" if dose.as_needed else "logged"
                own = doses[i].medication_id
                lines.append(DoseLine(dose.time, own, dose.amount, status, dose=i))
            continue
        judged = judge_day(day, plans[med_id], logged.values())
        index_of = {id(dose): i for i, dose in logged.items()}
        for result in judged.slots:
            slot = result.slot
            if result.dose is not None:
                status = result.status.value
                if result.status is SlotStatus.LATE and result.off_by is not None:
                    status += f" ({late_text(result.off_by)})"
                index = index_of[id(result.dose)]
                own = doses[index].medication_id
                lines.append(DoseLine(result.dose.time, own, result.dose.amount, status, index))
                continue
            to_come = clock is not None and (slot.time is None or slot.time > clock)
            status = "planned" if to_come else "missed"
            lines.append(DoseLine(slot.time or "", med_id, slot.amount, status, slot=slot))
        for status, extra in (("extra", judged.extra), ("as needed", judged.as_needed)):
            for dose in extra:
                index = index_of[id(dose)]
                own = doses[index].medication_id
                lines.append(DoseLine(dose.time, own, dose.amount, status, index))
    return sorted(lines, key=lambda line: (line.time, line.medication_id, line.dose is None))


def brand_plans(
    medications: Mapping[int, Medication], tracked: Medication | None
) -> dict[int, int]:
    """Diazepam under another name, judged against the tracked diazepam's plan (`dose_lines`):
    a Stesolid dose at 08:00 is the 08:00 planned dose, not an extra beside "08:00 missed"."""
    if tracked is None or tracked.id is None:
        return {}
    return {i: tracked.id for i in diazepam_ids(medications) if i != tracked.id}


def dose_summary(
    doses: Sequence[Dose],
    lines: Sequence[DoseLine],
    medications: Mapping[int, Medication],
    *,
    is_today: bool,
) -> str:
    """The line under the dose list: the day's diazepam and what is still to log."""
    has_diazepam = bool(diazepam_ids(medications))
    total = diazepam_mg(doses, medications)
    summary = (
        f"Diazepam {'today' if is_today else 'this day'}: {total:g} mg"
        if has_diazepam
        else "No diazepam set up yet: press u"
    )
    planned = sum(1 for line in lines if line.slot is not None)
    if planned:
        return summary + f" · {planned} planned not logged (p logs those due)"
    if not doses:
        return "No doses logged. " + (
            "Press u for your usual dose now." if has_diazepam else "Press a to add one."
        )
    return summary


def plan_lines(step: TaperStep | None, total: float, stock: str, *, is_today: bool) -> list[str]:
    """The lines under the summary: the plan and whether the day follows it, the stock."""
    lines = [stock] if stock else []
    if step is not None:
        lines.insert(0, describe_check(check(step, total), is_today=is_today))
    return lines


def stock_line(described: str | None) -> str:
    """The tracked diazepam's stock in words ("" when it is not tracked)."""
    return f"Stock: {described}" if described else ""


def due_lines(lines: Sequence[DoseLine], *, clock: str | None) -> list[DoseLine]:
    """The planned lines `p` takes: those not still to come (on an earlier day, all).

    A slot without a time counts as due (it has no time to wait for)."""
    return [line for line in lines if line.slot is not None and not not_yet(line, clock=clock)]


def not_yet(line: DoseLine, *, clock: str | None) -> bool:
    """A planned dose of today whose time is still to come (the shell refuses it too)."""
    return clock is not None and bool(line.time) and line.time > clock
