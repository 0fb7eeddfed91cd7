"""Today's dose keys: the usual dose now (u), a dose added or edited (a, enter), planned
doses taken on time (space, p) and a dose removed (backspace).

The doses live on the form until ctrl+s; the lines, their status and which planned doses are
due come from domain/day_doses.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work

from diazlog.domain.day_doses import DoseLine, due_lines, not_yet
from diazlog.domain.models import Dose, PlannedDose
from diazlog.domain.taper import nearest_dose
from diazlog.domain.units import amount_text
from diazlog.screens.base import refuse_write
from diazlog.screens.today_form import HINT_TIMEOUT_S
from diazlog.screens.today_sync import TodaySync
from diazlog.store.queries import flags as flag_store
from diazlog.store.queries import medications as med_store
from diazlog.store.queries import medicine_lookups as lookups
from diazlog.widgets.today_doses import DoseTable

if TYPE_CHECKING:
    from diazlog.dialogs.day import DoseChoice


class TodayDoses(TodaySync):
    """The Today form with its dose keys (bound in screens/today.py and on the dose list)."""

    def _default_time(self) -> str:
        if self._showing_today():
            return self.now().strftime("%H:%M")
        return "12:00"

    def action_usual_dose(self) -> None:
        diazepam = med_store.tracked_diazepam(self.db)
        plan = self._plan
        if diazepam is None or diazepam.id is None or (plan is None and not diazepam.usual_amount):
            self.notify("Set up your diazepam first: add it as a new medicine here.")
            self.action_add_dose()
            return
        planned = plan.doses if plan is not None else diazepam.usual_doses
        when = self._default_time()
        # Today: the planned dose nearest now; an earlier day: the first one not logged yet.
        pick = nearest_dose(planned, when)
        if pick is None:
            self.notify(
                f"Your taper plan has no diazepam from {plan.from_date if plan else ''}; "
                "a add logs a dose anyway.",
                severity="warning",
            )
            return
        if not self._showing_today():
            taken = {d.time for d in self._doses if d.medication_id == diazepam.id}
            pick = next((d for d in planned if d.time is not None and d.time not in taken), pick)
            when = pick.time or when
        amount = pick.amount
        self._doses.append(Dose(diazepam.id, when, amount))
        self._show_doses()
        self._refresh_state()
        source = "planned" if plan is not None else "usual"
        self.notify(
            f"Added {diazepam.name} {amount_text(amount, diazepam.unit)} ({source}) at {when}; "
            "ctrl+s saves.",
            timeout=HINT_TIMEOUT_S,
        )

    def action_add_dose(self, editing: int | None = None) -> None:
        dose = self._doses[editing] if editing is not None else None
        medications = [
            m
            for m in self._medications.values()
            if m.active_on(self.day) or (dose and m.id == dose.medication_id)
        ]

        from diazlog.dialogs.day import NEW_MEDICINE, DoseDialog

        def apply(choice: DoseChoice | None) -> None:
            if choice is None:
                return
            new_dose = choice.dose
            if choice.new_medication is not None and new_dose.medication_id == NEW_MEDICINE:
                if refuse_write(self):
                    return
                # The drug-name library may take seconds to load: not on the UI thread. The
                # tables (and the diary's cache) answer now; a worker asks the library after.
                med = med_store.save_medication(
                    self.db, choice.new_medication, look_up=lookups.not_now
                )
                if lookups.known(self.db, med.name) is None:
                    self._recognise_new()
                self._medications = med_store.medications_by_id(self.db)
                self._flag_inputs = flag_store.inputs_for_day(self.db, self.day, self.now())
                assert med.id is not None
                new_dose = replace(new_dose, medication_id=med.id)
            if dose is None or dose.as_needed != new_dose.as_needed:
                med_store.remember_as_needed(self.db, new_dose.medication_id, new_dose.as_needed)
            if editing is not None:
                self._doses[editing] = replace(new_dose, id=self._doses[editing].id)
            else:
                self._doses.append(new_dose)
            self._show_doses()
            self._refresh_state()

        # The day's plan per medicine, so a new dose starts at the planned amount nearest its time.
        planned = {
            med_id: tuple(PlannedDose(s.time, s.amount) for s in slots)
            for med_id, slots in self._plans().items()
        }
        dialog = DoseDialog(
            medications,
            dose,
            self._default_time(),
            planned=planned,
            as_needed=med_store.as_needed_choices(self.db),
        )
        self.app.push_screen(dialog, apply)

    @work(thread=True, exclusive=True, group="recognise")
    def _recognise_new(self) -> None:
        """Ask the drug-name library about a medicine first named in the dose dialog, then
        recompute the day's flags (a brand it knows as an opioid raises the opioid flag)."""
        from diazlog.store import open_database
        from diazlog.store.file.errors import StoreError

        db = open_database(self.app.db_path, create=False)  # type: ignore[attr-defined]
        try:
            changed = med_store.recognise_all(db)
        except StoreError:
            return
        finally:
            db.close()
        if changed:
            self.app.call_from_thread(self._recognised)

    def _recognised(self) -> None:
        self._medications = med_store.medications_by_id(self.db)
        self._flag_inputs = flag_store.inputs_for_day(self.db, self.day, self.now())
        self._show_doses()
        self._refresh_state()

    def _highlighted_line(self) -> DoseLine | None:
        return self.query_one(DoseTable).highlighted(self._dose_lines)

    def _take(self, lines: list[DoseLine]) -> None:
        """Log planned doses as taken at their planned time (a slot without one: now)."""
        later = [line for line in lines if not_yet(line, clock=self._clock())]
        if later:
            self.notify(
                f"{later[0].time} is later than now: a diary records what happened. "
                "u logs a dose now, if you take it early.",
                severity="warning",
            )
            return
        for line in lines:
            self._doses.append(
                Dose(line.medication_id, line.time or self._default_time(), line.amount)
            )
        self._show_doses()
        self._refresh_state()
        taken = ", ".join(line.time or "now" for line in lines)
        self.notify(
            f"Logged the planned dose{'s' if len(lines) > 1 else ''} at {taken}; ctrl+s saves.",
            timeout=HINT_TIMEOUT_S,
        )

    def action_take_planned(self) -> None:
        """The highlighted planned dose, taken at its planned time."""
        line = self._highlighted_line()
        if line is None or line.slot is None:
            self.notify("Highlight a planned dose (status planned or missed) to take it.")
            return
        self._take([line])

    def action_take_all_planned(self) -> None:
        """Every planned dose up to now (on an earlier day, all of them), taken on time."""
        due = due_lines(self._dose_lines, clock=self._clock())
        if not due:
            self.notify("No planned dose left to log up to now.", severity="warning")
            return
        self._take(due)

    def action_edit_dose(self) -> None:
        line = self._highlighted_line()
        if line is None:
            return
        if line.dose is None:  # a planned dose: log it first, enter again edits its time
            self._take([line])
            return
        self.action_add_dose(editing=line.dose)

    def action_remove_dose(self) -> None:
        line = self._highlighted_line()
        if line is None or line.dose is None:
            if line is not None:
                self.notify("A planned dose comes from the plan: nothing to remove.")
            return
        removed = self._doses.pop(line.dose)
        self._show_doses()
        self._refresh_state()
        self.notify(f"Removed the {removed.time} dose. ctrl+s saves.", timeout=HINT_TIMEOUT_S)
