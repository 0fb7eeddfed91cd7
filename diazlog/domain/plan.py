"""A plan's day of doses as people write it: "5@08:00, 2.5@20:00", or one amount at times.

One validator for the usual dose and the taper step, shared by the Medicines screen's forms
and `diazlog plan`, so both accept and refuse the same text with the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from diazlog.domain import limits
from diazlog.domain.models import Medication, PlannedDose, TaperStep, planned_doses
from diazlog.domain.units import amount_text, unit_word
from diazlog.domain.validation import InvalidInput, decimal, parse_amount, parse_time
from diazlog.domain.visible_text import one_line


class PlanInputError(InvalidInput):
    """A refusal, with the form field it belongs to ("amount", "times" or "from"); `errors`
    holds every field's refusal when more than one is wrong, so a form shows them all."""

    def __init__(
        self, message: str, field: str = "amount", errors: dict[str, str] | None = None
    ) -> None:
        message = one_line(message)  # it quotes what was typed: no newline or escape gets out
        super().__init__(message)
        self.field = field
        self.errors = {k: one_line(v) for k, v in errors.items()} if errors else {field: message}


@dataclass(frozen=True)
class Schedule:
    """A day's planned doses in the stored shape (see models.TaperStep): `amount` is 0 for
    stop, else the largest; `amounts` per time only when the amounts differ."""

    amount: float
    times: tuple[str, ...] = ()
    amounts: tuple[float, ...] = ()

    @property
    def doses(self) -> tuple[PlannedDose, ...]:
        return planned_doses(self.amount, self.times, self.amounts)

    @property
    def total(self) -> float:
        return sum(d.amount for d in self.doses)


STOP = Schedule(0.0)


def schedule_of(doses: Iterable[PlannedDose]) -> Schedule:
    """The one stored shape of a list of doses: sorted by time, `amounts` only if they differ.

    A plan's doses are all timed, or one without a time: untimed doses count only when none
    has a time (then one dose of their largest amount); no dose at all is STOP.
    """
    found = [d for d in doses if d.amount > 0]
    if not found:
        return STOP
    timed = sorted((d for d in found if d.time is not None), key=lambda d: d.time or "")
    if not timed:
        return Schedule(max(d.amount for d in found))
    times = tuple(d.time or "" for d in timed)
    amounts = tuple(d.amount for d in timed)
    same = len(set(amounts)) == 1
    return Schedule(max(amounts), times, () if same else amounts)


@dataclass(frozen=True)
class MedicineDose:
    """One dose a medicine's plan asks for on a day, in the medicine's own unit."""

    medication_id: int
    time: str | None
    amount: float


def doses_on(
    day: str, medications: Iterable[Medication], steps: Iterable[TaperStep]
) -> list[MedicineDose]:
    """Every medicine's planned doses on `day`, by time (untimed last), then medicine.

    A medicine with a taper step in force that day follows the step (0 mg: nothing);
    otherwise its usual dose while it is taken (started, not stopped), as Today shows planned
    rows: diazepam's even without times (one untimed dose), another medicine's only at its
    usual times (a usual amount alone is what it is taken at, when needed).
    """
    by_med: dict[int, list[TaperStep]] = {}
    for step in steps:
        by_med.setdefault(step.medication_id, []).append(step)
    found: list[MedicineDose] = []
    for med in medications:
        if med.id is None:
            continue
        in_force = [s for s in by_med.get(med.id, []) if s.from_date <= day]
        if in_force:
            doses = max(in_force, key=lambda s: s.from_date).doses
        elif med.active_on(day) and (med.is_diazepam or med.usual_times):
            doses = med.usual_doses
        else:
            doses = ()
        found += [MedicineDose(med.id, d.time, d.amount) for d in doses]
    return sorted(found, key=lambda d: (d.time is None, d.time or "", d.medication_id))


def step_schedule(step: TaperStep) -> Schedule:
    return schedule_of(step.doses)


def usual_schedule(med: Medication) -> Schedule:
    return schedule_of(med.usual_doses)


# One "AMOUNT@TIME" entry; the amount may carry a decimal comma ("7,5@08:00"), so only what
# follows the time separates entries.
_ENTRY = re.compile(r"[\s,;]*(?P<amount>[^@;\s]+?)\s*@\s*(?P<time>[^,;\s@]+)\s*(?:[,;]|\s|$)")
_SEPARATORS = re.compile(r"[,;\s]+")
EXAMPLE = "5@08:00, 2.5@20:00"


def _amount(text: str, *, diazepam: bool, unit: str, at: str = "") -> float:
    bare = text.strip()
    if unit and bare.lower().endswith(unit.lower()) and len(bare) > len(unit):
        bare = bare[: -len(unit)].strip()  # "5mg@08:00"
    value = decimal(bare)
    if value is not None and value == 0 and at:
        raise PlanInputError(f"0 {unit} at {at}: leave that time out (a step of 0 means stop)")
    try:
        return parse_amount(bare, diazepam=diazepam, unit=unit)
    except InvalidInput as exc:
        raise PlanInputError(str(exc)) from None


def _check_times(times: list[str], field: str) -> None:
    seen: set[str] = set()
    for time in times:
        if time in seen:
            raise PlanInputError(f"{time} is given twice: one amount per time", field)
        seen.add(time)
    if len(times) > limits.MAX_PLANNED_TIMES:
        raise PlanInputError(f"at most {limits.MAX_PLANNED_TIMES} times a day", field)


def parse_per_time(text: str, *, diazepam: bool, unit: str = "mg") -> Schedule:
    """ "5@08:00, 2.5@20:00" (commas, semicolons or spaces between) -> a Schedule."""
    doses: list[PlannedDose] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _ENTRY.match(text, position)
        if match is None:
            rest = text[position:].strip(" ,;")
            token = _SEPARATORS.split(rest, maxsplit=1)[0][:20]
            if "@" in token:
                raise PlanInputError(f"'{token}' is not AMOUNT@HH:MM, e.g. {EXAMPLE}")
            raise PlanInputError(f"{token} has no time: write it as {token}@HH:MM, e.g. {EXAMPLE}")
        try:
            time = parse_time(match["time"])
        except InvalidInput as exc:
            raise PlanInputError(str(exc)) from None
        amount = _amount(match["amount"], diazepam=diazepam, unit=unit, at=time)
        doses.append(PlannedDose(time, amount))
        position = match.end()
    if not doses:
        raise PlanInputError(f"type the amounts and times, e.g. {EXAMPLE}")
    _check_times([d.time or "" for d in doses], "amount")
    return schedule_of(doses)


def parse_time_list(text: str) -> tuple[str, ...]:
    """ "8:00, 20:00" or "08:00 20:00" -> ("08:00", "20:00"), sorted; a time twice is refused."""
    parts = [p for p in _SEPARATORS.split(text or "") if p]
    try:
        times = [parse_time(p) for p in parts]
    except InvalidInput as exc:
        raise PlanInputError(str(exc), "times") from None
    _check_times(times, "times")
    return tuple(sorted(times))


def parse_schedule(
    amount_text: str,
    times_text: str = "",
    *,
    diazepam: bool,
    unit: str = "mg",
    allow_stop: bool = False,
    allow_blank: bool = False,
) -> Schedule | None:
    """The amount and times fields of a form (or the words of `diazlog plan`) as a Schedule.

    The amount is one number ("5", each of the times) or an amount per time ("5@08:00,
    2.5@20:00"; then the times field is blank or names the same times). A step may be "0"
    (stop) when `allow_stop`; a blank amount is None when `allow_blank` (as needed).
    Raises PlanInputError naming the field to correct.
    """
    amount_text = (amount_text or "").strip()
    if "@" in times_text and not amount_text:
        amount_text, times_text = times_text.strip(), ""
    if "@" in amount_text:
        schedule = parse_per_time(amount_text, diazepam=diazepam, unit=unit)
        if times_text.strip() and parse_time_list(times_text) != schedule.times:
            raise PlanInputError(
                f"the amount gives the times ({', '.join(schedule.times)}): "
                "clear this field or make it match",
                "times",
            )
        return schedule
    errors: dict[str, str] = {}
    times: tuple[str, ...] = ()
    try:
        times = parse_time_list(times_text)
    except PlanInputError as exc:
        errors[exc.field] = str(exc)
    try:
        amount = _one_amount(
            amount_text, bool(times), diazepam=diazepam, unit=unit, allow_stop=allow_stop
        )
    except PlanInputError as exc:
        errors = {exc.field: str(exc), **errors}
    if errors:
        field, message = next(iter(errors.items()))
        raise PlanInputError(message, field, errors)
    if amount is None:
        if allow_blank:
            return None
        raise PlanInputError(f"type the amount, e.g. 5, or one per time: {EXAMPLE}")
    return STOP if amount == 0 else Schedule(amount, times)


def _one_amount(
    text: str, has_times: bool, *, diazepam: bool, unit: str, allow_stop: bool
) -> float | None:
    """The amount field without "@": one number (0 for stop, where allowed), None if blank."""
    if not text:
        return None
    if allow_stop and decimal(text) == 0:
        return 0.0
    if len([p for p in _SEPARATORS.split(text) if p]) > 1 and decimal(text) is None:
        raise PlanInputError(
            f"{text[:20]}: give each amount its time, e.g. {EXAMPLE}"
            if has_times
            else f"'{text[:20]}' is more than one amount: give each its time, e.g. {EXAMPLE}"
        )
    return _amount(text, diazepam=diazepam, unit=unit)


def parse_step_date(text: str) -> str:
    """A step's first day: a plan may lie ahead, so a future date is fine (unlike a diary's)."""
    try:
        day = date.fromisoformat((text or "").strip()).isoformat()
    except ValueError:
        raise PlanInputError(
            f"'{(text or '')[:20]}' is not a date: use YYYY-MM-DD", "from"
        ) from None
    if day < limits.EARLIEST_DATE:
        raise PlanInputError(f"{day} is too far in the past", "from")
    return day


def per_dose_text(doses: tuple[PlannedDose, ...], unit: str = "mg") -> str:
    """The amount of each dose in time order, for a table cell: "5 mg" or "5 + 2.5 mg"."""
    amounts = [d.amount for d in doses]
    if not amounts:
        return amount_text(0, unit)
    if len(set(amounts)) == 1:
        return amount_text(amounts[0], unit)
    return " + ".join(f"{a:g}" for a in amounts) + f" {unit_word(max(amounts), unit)}"


def format_schedule(schedule: Schedule) -> str:
    """What parse_schedule reads back: "5@08:00, 2.5@20:00" when amounts differ, else "5"
    (the times go in their own field) and "0" for stop."""
    if not schedule.amounts:
        return f"{schedule.amount:g}"
    return ", ".join(f"{d.amount:g}@{d.time}" for d in schedule.doses)


def format_words(schedule: Schedule) -> str:
    """The shell's spelling, one word per dose: "5@08:00 2.5@20:00", "5" or "0"."""
    if schedule.times:
        return " ".join(f"{d.amount:g}@{d.time}" for d in schedule.doses)
    return f"{schedule.amount:g}"
