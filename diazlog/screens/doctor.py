"""Doctor: the checklist of questions for the next visit, the appointment, the visit report."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label, OptionList, ProgressBar, Static

from diazlog.dialogs.confirm import Confirm
from diazlog.dialogs.doctor import (
    AnswerDialog,
    AppointmentChoice,
    AppointmentDialog,
    PastVisits,
    ReportChoice,
    ReportDialog,
)
from diazlog.dialogs.prompts import TextPrompt
from diazlog.domain.models import Appointment, Question
from diazlog.domain.visit_input import check_question, days_until
from diazlog.screens.base import DiaryScreen, writes
from diazlog.store.file.cipher import plain_file_note
from diazlog.store.queries import appointments as appts
from diazlog.store.queries import questions as store
from diazlog.widgets.key_bar import KeyBar
from diazlog.widgets.plain import plain
from diazlog.widgets.question_list import QuestionList, visit_title
from diazlog.widgets.title_bar import TitleBar

# Without a past visit, the report covers this many days by default.
DEFAULT_REPORT_DAYS = 90


class DoctorScreen(DiaryScreen):
    """Questions to raise at the next visit, in three groups; export the visit report."""

    BINDINGS = [
        Binding("a", "add", "Add", tooltip="Add a question of your own"),
        Binding("w", "reword", "Reword", show=False, tooltip="Reword your own question"),
        Binding("delete", "delete", "Delete", show=False, tooltip="Delete your own question"),
        Binding("x", "hide", "Hide", show=False, tooltip="Hide or show a question you do not need"),
        Binding("v", "toggle_hidden", "Show hidden", show=False),
        Binding("n", "appointment", "Visit", tooltip="Set the next appointment"),
        Binding("e", "export", "Report", tooltip="Export the visit report (.pdf or .md)"),
        Binding("u", "set_name", "Your name", show=False, tooltip="Your name on the visit report"),
        Binding(
            "f", "fresh", "New list", show=False, tooltip="File this checklist, start a fresh one"
        ),
        Binding(
            "p", "past", "Past", show=False, tooltip="Read earlier visits' questions and answers"
        ),
    ]

    show_hidden: reactive[bool] = reactive(False, init=False)
    """Whether hidden questions are listed (struck through) so they can be shown again."""

    def __init__(self) -> None:
        super().__init__()
        self._questions: list[Question] = []
        self._appointment: Appointment | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="appointment")
        yield QuestionList(id="checklist")
        with Horizontal(id="report-progress"):
            yield Label("Building the report", id="report-label")
            yield ProgressBar(total=100, id="report-bar", show_eta=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Doctor"
        self.query_one("#report-progress").display = False
        self.reload()
        self.mark_loaded()
        self.query_one(QuestionList).focus()

    def reload_data(self) -> None:
        self.reload()
        self.mark_loaded()

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Bring the generated questions up to date with the data, then show everything.

        A few indexed reads over the last weeks: fast enough for the UI thread.
        """
        now = self.now()
        self._questions = store.refresh_checklist(self.db, now, appts.last_visit_date(self.db))
        self._appointment = appts.next_appointment(self.db)
        self._show()

    def _show(self) -> None:
        self.query_one(QuestionList).show(self._questions, self.show_hidden)
        appointment = self._appointment
        line = self.query_one("#appointment", Static)
        if appointment is None:
            line.update("No appointment set: press n to add the next one.")
        else:
            line.update(
                plain(
                    f"Next appointment: {visit_title(appointment.date, appointment.with_whom)}"
                    f" ({days_until(appointment.date, self.today())})"
                    + (f" · {appointment.note}" if appointment.note else "")
                )
            )
        visible = [q for q in self._questions if not q.hidden]
        asked = sum(1 for q in visible if q.asked)
        hidden = len(self._questions) - len(visible)
        self.sub_title = f"{len(visible)} questions · {asked} asked" + (
            f" · {hidden} hidden (v)" if hidden else ""
        )
        self.refresh_bindings()

    def _current(self) -> Question | None:
        wanted = self.query_one(QuestionList).current
        return next((q for q in self._questions if q.id == wanted), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out what does not apply to the highlighted question."""
        if action in ("reword", "delete", "move"):
            current = self._current() if self.is_mounted else None
            return current is not None and current.origin == "mine"
        return True

    def watch_show_hidden(self) -> None:
        self._show()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_answer()

    # -- actions on questions ---------------------------------------------------------------

    def _changed(self, message: str = "") -> None:
        self._questions = store.current_questions(self.db)
        self._show()
        if message:
            self.notify(message)

    @writes
    def action_toggle_asked(self) -> None:
        question = self._current()
        if question is None or question.id is None:
            return
        asked_on = None if question.asked else self.today().isoformat()
        store.set_asked(self.db, question.id, asked_on)
        self._changed()

    @writes
    def action_answer(self) -> None:
        question = self._current()
        if question is None or question.id is None:
            return
        question_id = question.id

        def keep(answer: str | None) -> None:
            if answer is None:
                return
            store.set_answer(self.db, question_id, answer)
            if answer and not question.asked:
                store.set_asked(self.db, question_id, self.today().isoformat())
            self._changed("Answer saved." if answer else "Answer removed.")

        self.app.push_screen(AnswerDialog(question), keep)

    @writes
    def action_add(self) -> None:
        def add(text: str | None) -> None:
            if text:
                added = store.add_question(self.db, text, self.now())
                self._changed()
                self.query_one(QuestionList).highlighted = self._index_of(added.id)

        self.app.push_screen(TextPrompt("Your question for the doctor", check=check_question), add)

    def _index_of(self, question_id: int | None) -> int | None:
        ids = [o.id for o in self.query_one(QuestionList).options]
        wanted = f"q-{question_id}"
        return ids.index(wanted) if wanted in ids else None

    @writes
    def action_reword(self) -> None:
        question = self._current()
        if question is None or question.id is None or question.origin != "mine":
            return
        question_id = question.id

        def reword(text: str | None) -> None:
            if text:
                store.edit_question(self.db, question_id, text)
                self._changed()

        self.app.push_screen(
            TextPrompt("Reword your question", value=question.text, check=check_question),
            reword,
        )

    @writes
    def action_delete(self) -> None:
        question = self._current()
        if question is None or question.id is None:
            return
        if question.origin != "mine":
            self.notify("Only your own questions can be deleted; x hides this one.")
            return
        question_id = question.id

        def delete(yes: bool | None) -> None:
            if yes:
                store.delete_question(self.db, question_id)
                self._changed("Question deleted.")

        self.app.push_screen(Confirm("Delete this question?", question.text), delete)

    @writes
    def action_hide(self) -> None:
        question = self._current()
        if question is None or question.id is None:
            return
        store.set_hidden(self.db, question.id, not question.hidden)
        message = (
            "Shown again."
            if question.hidden
            else "Hidden: it stays out of the checklist and the report (v shows hidden ones)."
        )
        self._changed(message)

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden

    @writes
    def action_move(self, step: int) -> None:
        question = self._current()
        if question is None or question.id is None or question.origin != "mine":
            return
        if store.move_question(self.db, question.id, step):
            self._changed()

    # -- appointment and visits -------------------------------------------------------------

    @writes
    def action_appointment(self) -> None:
        def keep(choice: AppointmentChoice | None) -> None:
            if choice is None:
                return
            if not choice.date:
                appts.clear_appointment(self.db)
                self.notify("No next appointment set.")
            else:
                appts.set_appointment(self.db, choice.date, choice.with_whom, choice.note)
            self._appointment = appts.next_appointment(self.db)
            self._show()

        self.app.push_screen(AppointmentDialog(self._appointment, self.today()), keep)

    @writes
    def action_fresh(self) -> None:
        when = (
            visit_title(self._appointment.date, self._appointment.with_whom)
            if self._appointment
            else f"today, {self.today():%a %d %b %Y}"
        )

        def fresh(yes: bool | None) -> None:
            if not yes:
                return
            closed = store.close_visit(self.db, self.now())
            self.reload()
            self.notify(f"Filed under {visit_title(closed.date, closed.with_whom)} (p to read).")

        self.app.push_screen(
            Confirm(
                "Start a fresh checklist?",
                f"This files the questions and answers under the visit of {when} "
                "(p shows past visits). Own questions not yet asked carry over.",
            ),
            fresh,
        )

    def action_past(self) -> None:
        visits = [
            (a, store.visit_questions(self.db, a.id))
            for a in appts.past_appointments(self.db)
            if a.id is not None
        ]
        self.app.push_screen(PastVisits(visits))

    # -- the report -------------------------------------------------------------------------

    def default_report_range(self) -> tuple[str, str]:
        """Since the last visit; without one the last 90 days, or from the first logged day
        when the diary is younger (store.visit_data.default_report_start)."""
        from diazlog.store.queries.visit_data import default_report_start

        end = self.today().isoformat()
        return default_report_start(self.db, end, DEFAULT_REPORT_DAYS), end

    def action_export(self) -> None:
        start, end = self.default_report_range()
        path = Path.home() / f"diazlog-visit-{end}.pdf"

        def export(choice: ReportChoice | None) -> None:
            if choice is not None:
                self.query_one("#report-progress").display = True
                self.query_one("#report-label", Label).update(f"Writing {choice.path.name}")
                self.query_one("#report-bar", ProgressBar).update(progress=0)
                self.export_report(choice)

        self.app.push_screen(ReportDialog(start, end, path, self.today()), export)

    def action_set_name(self) -> None:
        from diazlog.domain.validation import check_text
        from diazlog.store.queries.settings import set_user_name, user_name

        def keep(name: str | None) -> None:
            if name is None:
                return
            set_user_name(self.db, name)
            self.notify(
                f"The report will carry the name {name}." if name else "No name on the report."
            )

        self.app.push_screen(
            TextPrompt(
                "Your name on the visit report (empty for none)",
                value=user_name(self.db),
                check=lambda text: check_text(" ".join(text.split()), "The name", 80),
            ),
            keep,
        )

    @work(thread=True, exclusive=True, group="report")
    def export_report(self, choice: ReportChoice) -> None:
        """Build and write the report on its own connection: years of data take a while."""
        from diazlog.report.visit import build_visit_report, write_report
        from diazlog.store import open_database

        def progress(fraction: float) -> None:
            self.app.call_from_thread(
                self.query_one("#report-bar", ProgressBar).update, progress=fraction * 100
            )

        db = open_database(self.app.db_path)  # type: ignore[attr-defined]
        try:
            report = build_visit_report(
                db,
                choice.start,
                choice.end,
                now=self.now(),
                progress=progress,
            )
            write_report(report, choice.path)
        except OSError as exc:
            self.app.call_from_thread(self._report_done, None, str(exc))
            return
        finally:
            db.close()
        self.app.call_from_thread(self._report_done, choice.path, "")

    def _report_done(self, path: Path | None, error: str) -> None:
        self.query_one("#report-progress").display = False
        if path is None:
            self.notify(f"Report not written: {error}", severity="error")
        else:
            plain = plain_file_note(self.app.db_path)  # type: ignore[attr-defined]
            self.notify(f"Report written to {path}{plain}", timeout=8)
