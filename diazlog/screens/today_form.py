"""The state behind the Today screen: the day on the form, what is saved for it, and the
form read back as a day's log (shown as unsaved, judged for red flags, kept as a draft).

The wording and the rules are domain's (day_form, day_doses); the widgets draw; this class
holds the day between them. screens/today_doses.py adds the dose keys, screens/today.py the
layout and the other keys.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.reactive import reactive
from textual.widgets import Label

from diazlog.domain.day_doses import (
    DoseLine,
    brand_plans,
    day_plans,
    dose_lines,
    dose_summary,
    plan_lines,
    stock_line,
)
from diazlog.domain.day_form import (
    INTERFERENCE,
    LIFESTYLE,
    DayForm,
    day_heading,
    edit_of_saved,
    form_day,
    is_unsaved,
)
from diazlog.domain.diazepam_products import diazepam_mg
from diazlog.domain.models import Alert, DayLog, Dose, Medication, Rating, TaperStep
from diazlog.domain.taper import describe_step
from diazlog.screens.rating_keys import RatingKeysScreen
from diazlog.store.queries import drafts as draft_store
from diazlog.store.queries import flags as flag_store
from diazlog.store.queries import medications as med_store
from diazlog.widgets.due_notice import DueNotice, due_now
from diazlog.widgets.rating_grid import GridRow, RatingGrid
from diazlog.widgets.today_banner import FlagBanner
from diazlog.widgets.today_doses import DoseTable
from diazlog.widgets.today_fields import DayFields, is_text_field

if TYPE_CHECKING:
    from sqlite_utils import Database
    from textual.timer import Timer

    from diazlog.domain.adherence import Slot

# A passing confirmation ("ctrl+s saves", "Saved") goes after this long: at 80x24 it sits
# over the lower form's right column, where the user is typing next.
HINT_TIMEOUT_S = 3
# Unsaved edits are kept in the database this long after the last change (store/drafts.py).
DRAFT_DELAY_S = 1.0
# What Today reads for a day: (day, saved log, medicines, what its flags are judged on,
# taper step, stock).
Shown = tuple[str, DayLog | None, dict[int, Medication], object, TaperStep | None, str]


def diazepam_stock(db: Database, day: str, today: str) -> str:
    """The tracked diazepam's stock in words, shown under today's doses when it is tracked."""
    from diazlog.store.queries.stock import level_of

    med = med_store.tracked_diazepam(db) if day == today else None
    level = level_of(db, med, day) if med is not None else None
    return stock_line(level.describe() if level is not None else None)


class TodayForm(RatingKeysScreen):
    """One day's form and what it was loaded from (see the module docstring)."""

    day: reactive[str] = reactive("", init=False)
    """The ISO date on screen."""
    dirty: reactive[bool] = reactive(False, init=False)
    """Whether the form differs from what is saved for the day."""

    def __init__(self) -> None:
        super().__init__()
        self._saved: DayLog | None = None
        self._doses: list[Dose] = []
        # The dose table's lines: logged doses and planned ones, in time order.
        self._dose_lines: list[DoseLine] = []
        self._diazepam: Medication | None = None
        self._draft_timer: Timer | None = None
        self._draft_written = False  # a draft of this day is in the database
        self._details: dict[int, Rating] = {}
        self._flag_inputs: flag_store.DayFlagInputs | None = None
        self._last_logged: str | None = None  # the latest day with a dose or a rating
        self._alerts: list[Alert] = []
        self._medications: dict[int, Medication] = {}
        self._plan: TaperStep | None = None
        self._opened: datetime | None = None  # when Today first showed (the due notice)
        self._stock = ""
        self._loading = False
        # The day was saved elsewhere while the form had edits: ctrl+s merges (said once).
        self._changed_elsewhere = False
        # What load() read and showed; a poll that reads the same skips re-filling the form.
        self._shown: Shown | None = None
        # Below the fold: mounted just after the first frame, filled and read before that.
        self._fields = DayFields(id="day-rest")

    # -- the widgets ------------------------------------------------------------------------

    @property
    def _grid(self) -> RatingGrid:
        return self.query_one("#ratings", RatingGrid)

    def _rows(self) -> list[GridRow]:
        """The symptoms' rows (not the interference ones)."""
        return [row for row in self._grid.rows if row.key.startswith("symptom-")]

    def _shown_symptoms(self) -> set[int]:
        return {int(row.key.removeprefix("symptom-")) for row in self._rows()}

    def _symptom_names(self) -> dict[int, str]:
        return {int(row.key.removeprefix("symptom-")): row.label for row in self._rows()}

    def _showing_today(self) -> bool:
        """Whether the form is on the calendar's today (the clock decides what is still to come)."""
        return self.day == self.today().isoformat()

    def _clock(self) -> str | None:
        """The time now when the form is on today; None on an earlier day."""
        return self.now().strftime("%H:%M") if self._showing_today() else None

    # -- filling ----------------------------------------------------------------------------

    def _fill(self, log: DayLog) -> None:
        """Put `log` in the form without a Changed message per field (one refresh follows)."""
        with self.prevent(RatingGrid.Changed):  # the fields hold back their own
            self._details = {r.symptom_id: r for r in log.ratings}
            grid = self._grid
            for row in self._rows():
                rating = log.rating_for(int(row.key.removeprefix("symptom-")))
                grid.put(row.key, rating.intensity if rating else None)
                grid.show_detail(row.key, bool(rating and rating.has_detail))
            for name in INTERFERENCE:
                grid.put(name, getattr(log, name))
            self._fields.fill(log)
            self._doses = list(log.doses)
            self._show_doses()

    def _fill_keep(self, log: DayLog) -> None:
        """Rebuild the rows (a symptom was added) without losing what is on screen."""
        self._loading = True
        try:
            self._fill(log)
        finally:
            self._loading = False
        self._refresh_state()

    def _plans(self) -> dict[int, tuple[Slot, ...]]:
        """The day's planned slots per medicine (domain/day_doses.py)."""
        return day_plans(self.day, self._medications, self._diazepam, self._plan)

    def _show_doses(self) -> None:
        self._dose_lines = dose_lines(
            self.day,
            self._doses,
            self._plans(),
            clock=self._clock(),
            judged_as=brand_plans(self._medications, self._diazepam),
        )
        self.query_one(DoseTable).show_lines(self._dose_lines, self._medications)
        is_today = self._showing_today()
        summary = dose_summary(self._doses, self._dose_lines, self._medications, is_today=is_today)
        self.query_one("#dose-summary", Label).update(summary)
        total = diazepam_mg(self._doses, self._medications)
        lines = plan_lines(self._plan, total, self._stock, is_today=is_today)
        plan_line = self.query_one("#plan-line", Label)
        plan_line.update("\n".join(lines))
        plan_line.display = bool(lines)
        self.check_due()

    def check_due(self) -> None:
        """The due notice (widgets/due_notice.py) from the form as it is, at the clock's now;
        a newly due dose is highlighted in the dose list, so space takes it."""
        now = self.now()
        self._opened = self._opened or now
        due = due_now(self.day, now, self._opened, self._plans(), self._doses)
        step, med = self._plan, self._diazepam
        step_text = ""  # on a step day the new plan comes first
        if step is not None and med is not None and step.from_date == self.day:
            step_text = describe_step(step, med.unit)
        names = {i: (m.name, m.unit) for i, m in self._medications.items()}
        new = self.query_one(DueNotice).show(due, names, step_text)
        if not new:
            return
        first = (new[0].time, new[0].medication_id)
        where = [
            i
            for i, line in enumerate(self._dose_lines)
            if line.slot is not None and (line.time, line.medication_id) == first
        ]
        if where:
            table = self.query_one(DoseTable)
            table.move_cursor(row=where[0], animate=False)
            if not is_text_field(self.focused):
                table.focus()

    # -- reading ----------------------------------------------------------------------------

    def draft(self, *, strict: bool) -> tuple[DayLog, dict[str, str]]:
        """The form as a DayLog, and the message of every field that does not parse
        (domain/day_form.py; strict=False leaves invalid fields out, so red flags stay live
        while the user is still typing)."""
        grid, fields = self._grid, self._fields
        form = DayForm(
            day=self.day,
            ratings={int(r.key.removeprefix("symptom-")): r.value for r in self._rows()},
            details=self._details,
            interference={name: grid.value_of(name) for name in INTERFERENCE},
            lifestyle=fields.lifestyle(),
            note=fields.note_text(),
            stretched=fields.stretched_value(),
            flags=fields.ticked(),
            doses=tuple(self._doses),
        )
        return form_day(form, strict=strict)

    def _edit_of_saved(self, log: DayLog) -> DayLog:
        """The form as an edit of the saved day: ratings of symptoms no longer tracked (no
        row) are kept, not counted as a change the user made."""
        return edit_of_saved(log, self._saved, self._shown_symptoms())

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in (*LIFESTYLE, "note"):
            self._fields.show_error(name, errors.get(name, ""))

    def _refresh_state(self) -> None:
        if self._loading:
            return
        log, errors = self.draft(strict=False)
        self._show_errors(errors)
        self.dirty = bool(errors) or is_unsaved(log, self._saved)
        self._keep_draft()
        if self._flag_inputs is not None:
            self.show_alerts(self._flag_inputs.judge(log))
        self._update_title()

    def _markable(self, fresh: list[Alert]) -> list[Alert]:
        """The unseen flags `!` can mark: a saved day's, and those carried from earlier days."""
        return [a for a in fresh if self._saved is not None or a.date not in ("", self.day)]

    def show_alerts(self, alerts: list[Alert]) -> None:
        """The day's red flags, unmissable; flags a doctor has seen are listed calmly below."""
        self._alerts = alerts
        fresh = [a for a in alerts if not a.seen_on]
        banner = self.query_one("#banner", FlagBanner)
        banner.show_alerts(alerts, markable=bool(self._markable(fresh)))

    def _update_title(self) -> None:
        self.title = "Today"
        self.sub_title = day_heading(
            self.day,
            self.today(),
            dirty=self.dirty,
            saved=self._saved is not None,
            changed_elsewhere=self._changed_elsewhere,
            last_logged=self._last_logged,
        )

    # -- the draft --------------------------------------------------------------------------

    def _keep_draft(self) -> None:
        """Keep unsaved edits in the database a moment after the last change (one write per
        pause in typing, not per key); forget them once the form equals what is saved."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.dirty:
            self._draft_timer = self.set_timer(DRAFT_DELAY_S, self.write_draft, name="draft")
        elif self._draft_written:
            self.forget_draft()

    def write_draft(self) -> None:
        """Write the form's unsaved edits now (the timer's tick; also before leaving)."""
        self._draft_timer = None
        if not self.dirty or not self.day:
            return
        log, _ = self.draft(strict=False)
        try:
            draft_store.save_draft(
                self.db, self._edit_of_saved(log), self.now().strftime("%H:%M"), self._saved
            )
        except Exception:  # a locked disk: the form still holds the edits, try next change
            return
        self._draft_written = True

    def forget_draft(self) -> None:
        """Delete the kept draft of the day on screen (saved, or thrown away on purpose)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if not self._draft_written:  # nothing kept: saving costs no second write
            return
        try:
            draft_store.clear_draft(self.db, self.day)
        except Exception:  # kept a little longer; offered back (equal to saved: dropped)
            return
        self._draft_written = False

    def on_screen_suspend(self) -> None:
        self.keep_edits_now()  # leaving for another screen

    def keep_edits_now(self) -> None:
        """Write the pending draft now, not after the typing pause (the app is ending)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self.write_draft()
