"""Dialogs of the Doctor screen: the answer, the appointment, the report, past visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static, TextArea

from diazlog.dialogs.base import Dialog
from diazlog.dialogs.form import FormDialog
from diazlog.domain.edited_text import as_edited
from diazlog.domain.models import Appointment, Question
from diazlog.domain.validation import InvalidInput, check_note, check_text, parse_date
from diazlog.domain.visible_text import visible
from diazlog.domain.visit_input import parse_visit_date
from diazlog.widgets.plain import plain
from diazlog.widgets.question_list import question_prompt, visit_title


class AnswerDialog(Dialog[str | None]):
    """Write down what the doctor said; ctrl+s keeps it, escape leaves it as it was."""

    DEFAULT_CSS = """
    AnswerDialog TextArea { height: 8; }
    AnswerDialog > Vertical { width: 76; }
    """
    BINDINGS = [Binding("ctrl+s", "submit", "Done", priority=True)]

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question.text, classes="dialog-title")
            yield Label("The doctor's answer (saved as asked):")
            yield TextArea(visible(self.question.answer or ""), id="answer", soft_wrap=True)
            yield Label("", id="error-answer", classes="field-error")
            yield Label("ctrl+s to keep · esc to cancel")

    def on_mount(self) -> None:
        area = self.query_one("#answer", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_submit(self) -> None:
        try:
            shown = self.query_one("#answer", TextArea).text
            # Untouched stretches keep their control characters (domain/edited_text.py).
            value = check_note(as_edited(shown, self.question.answer or "")).strip()
        except InvalidInput as exc:
            self.query_one("#error-answer", Label).update(str(exc))
            return
        self.dismiss(value)


@dataclass(frozen=True)
class AppointmentChoice:
    """The next appointment as typed; an empty date means "no appointment"."""

    date: str
    with_whom: str
    note: str


class AppointmentDialog(FormDialog):
    def __init__(self, current: Appointment | None, today: date) -> None:
        super().__init__()
        self.current = current
        self.today = today

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical():
            yield Static("Next appointment", classes="dialog-title")
            with Grid():
                yield from self.text_field(
                    "Date", Input(c.date if c else "", placeholder="YYYY-MM-DD", id="date")
                )
                yield from self.text_field(
                    "With whom",
                    Input(
                        self.shown("whom", c.with_whom, keep="") if c else "",
                        placeholder="e.g. Dr Patel",
                        id="whom",
                    ),
                )
                yield from self.text_field(
                    "Note",
                    Input(
                        self.shown("note", c.note) if c else "",
                        placeholder="place, time …",
                        id="note",
                    ),
                )
            yield Label("Leave the date empty to remove the appointment.")
            yield self.buttons()

    def action_submit(self) -> None:
        errors: dict[str, str] = {}
        text = self.value("date").strip()
        values = self.parse_fields(
            (
                ("date", lambda t: parse_visit_date(t, self.today) if text else ""),
                ("whom", lambda t: check_text(t, "The name").strip()),
                ("note", lambda t: check_text(t, "The note").strip()),
            ),
            errors,
        )
        self.show_errors(errors)
        if not errors:
            date_text, whom, note = (str(values[k]) for k in ("date", "whom", "note"))
            self.dismiss(AppointmentChoice(date_text, whom, note))


@dataclass(frozen=True)
class ReportChoice:
    start: str
    end: str
    path: Path


class ReportDialog(FormDialog):
    """Which dates the visit report covers and where to write it (.pdf or .md)."""

    def __init__(self, start: str, end: str, path: Path, today: date) -> None:
        super().__init__()
        self.start, self.end, self.path, self.today = start, end, path, today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Export the visit report", classes="dialog-title")
            with Grid():
                yield from self.text_field(
                    "From", Input(self.start, placeholder="YYYY-MM-DD", id="start")
                )
                yield from self.text_field(
                    "To", Input(self.end, placeholder="YYYY-MM-DD", id="end")
                )
                yield from self.text_field("File", Input(str(self.path), id="path"))
            yield Label(
                "A .pdf or .md file name; the file is readable by you alone.", classes="message"
            )
            yield self.buttons()

    def action_submit(self) -> None:
        errors: dict[str, str] = {}
        values: dict[str, str] = {}
        for name in ("start", "end"):
            try:
                values[name] = parse_date(self.value(name), self.today)
            except InvalidInput as exc:
                errors[name] = str(exc)
        if not errors and values["start"] > values["end"]:
            errors["end"] = "the end is before the start"
        path = Path(self.value("path").strip()).expanduser()
        if path.suffix.lower() not in (".pdf", ".md"):
            errors["path"] = "end the file name in .pdf or .md"
        elif not path.parent.is_dir():
            errors["path"] = f"no such folder: {path.parent}"
        self.show_errors(errors)
        if not errors:
            self.dismiss(ReportChoice(values["start"], values["end"], path))


class PastVisits(Dialog[None]):
    """Every closed visit, newest first, with its questions and the answers written down."""

    DEFAULT_CSS = """
    PastVisits > Vertical { width: 100; height: 90%; }
    PastVisits VerticalScroll { height: 1fr; }
    PastVisits .visit { text-style: bold; color: $text-accent; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,p,q", "close", "Close")]

    def __init__(self, visits: list[tuple[Appointment, list[Question]]]) -> None:
        super().__init__()
        self.visits = visits

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Past visits", classes="dialog-title")
            with VerticalScroll(id="visits"):
                if not self.visits:
                    yield Label(
                        "No past visits yet. After a visit, press f on the Doctor screen to "
                        "file its checklist here and start a fresh one.",
                        classes="message",
                    )
                for appointment, questions in self.visits:
                    yield Label(
                        plain(visit_title(appointment.date, appointment.with_whom), lines=False),
                        classes="visit message",
                    )
                    if appointment.note:
                        yield Label(plain(appointment.note), classes="message")
                    shown = [q for q in questions if not q.hidden]
                    if shown:
                        yield Static(Group(*(question_prompt(q) for q in shown)))
                    else:
                        yield Static(Text("No questions.", style="dim"))
            yield Label("esc to close")

    def action_close(self) -> None:
        self.dismiss(None)
