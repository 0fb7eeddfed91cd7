"""No escape sequence from the diary reaches a terminal or a report raw, and no markup in it
is read: one sanitiser (domain/visible_text.py) and every surface that shows diary text.

A table of hostile strings goes into a diary (names the way an old diary or a restored backup
may hold them, notes the way `log` keeps them) and through each surface: the commands'
output, the app's screens as written to the terminal, a dialog, a notification, the markdown
and PDF reports. The CSV and JSON exports keep the text as stored.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from diazlog.app import DiazlogApp
from diazlog.domain.medicine_input import check_medicine_name, check_unit
from diazlog.domain.models import Category, DayLog, Dose, Rating
from diazlog.domain.validation import InvalidInput, check_symptom_name
from diazlog.domain.visible_text import is_control, one_line, visible, visible_json
from diazlog.store import open_database
from diazlog.store.queries.appointments import set_appointment
from diazlog.store.queries.days import save_day
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.questions import add_question
from diazlog.store.queries.settings import set_setting
from tests.conftest import diazepam_medication
from tests.support.helpers import NOW, TODAY, invoke, settle

# name -> (hostile string, what it must never produce raw)
HOSTILE = {
    "osc title": "\x1b]0;PWNED\x07",
    "clear screen": "\x1b[2J",
    "csi colour": "\x1b[31m",
    "c1 csi": "\x9b2J",
    "bidi override": "\u202eevil",
    "nul": "a\x00b",
    "del and bell": "\x7f\x07",
}
RAW = ("\x1b]", "\x07", "\x1b[2J", "\x1b[31m", "\x9b", "\u202e", "\x00", "\x7f")
MARKUP = "[red]x[/] [link=https://example.org]y[/link]"
ALL = " ".join(HOSTILE.values())


def raw_controls(text: str) -> list[str]:
    """The hostile characters and sequences found raw in `text`."""
    return [r for r in RAW if r in text]


# -- the sanitiser ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "text"), HOSTILE.items())
def test_each_hostile_string_is_shown_escaped(name: str, text: str) -> None:
    shown = visible(text)
    assert not raw_controls(shown), name
    assert "\\x" in shown or "\\u" in shown, name
    assert not any(is_control(c) for c in one_line(f"{text}\nnext\tcol"))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words, café, 😀", "plain words, café, 😀"),  # must not fire: left alone
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\x9b", "\\x9b"),
        ("\u202e", "\\u202e"),
        ("\u200d", "\u200d"),  # the zero-width joiner of emoji is no control
        ("a\x00b", "a\\x00b"),
    ],
)
def test_visible_escapes_exactly_the_control_characters(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_one_line_escapes_newlines_and_tabs_too() -> None:
    assert one_line("a\nb\tc\rd") == "a\\nb\\tc\\rd"


@given(st.text())
def test_nothing_shown_is_a_control_but_newline_and_tab(text: str) -> None:
    shown = visible(text)
    assert all(not is_control(c) or c in "\n\t" for c in shown)
    if not any(is_control(c) for c in text):
        assert shown == text


@given(st.recursive(st.text(), lambda inner: st.lists(inner, max_size=3), max_leaves=5))
def test_json_output_stays_valid_and_equal(value: object) -> None:
    document = visible_json(json.dumps(value, ensure_ascii=False, indent=1))
    assert json.loads(document) == value
    assert all(not is_control(c) or c in "\n" for c in document)


# -- names refuse control characters, notes keep them -----------------------------------------


@pytest.mark.parametrize("text", [*HOSTILE.values(), "a\rb", "a\x0bb"])
@pytest.mark.parametrize("check", [check_symptom_name, check_medicine_name, check_unit])
def test_a_name_with_a_control_character_is_refused(check, text: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="control character"):
        check(f"Name{text}")


@pytest.mark.parametrize("check", [check_symptom_name, check_medicine_name])
def test_a_name_with_newline_or_tab_is_one_line(check) -> None:  # type: ignore[no-untyped-def]
    assert check("Fish\toil\n") == "Fish oil"
    assert check("[red]x[/]") == "[red]x[/]"  # brackets are text, not refused


@pytest.mark.parametrize("name", HOSTILE)
def test_log_refuses_a_medicine_name_with_control_characters(db_path: Path, name: str) -> None:
    result = invoke(db_path, "log", "--dose", f"Ibu{HOSTILE[name]}:200@08:00", "--date", TODAY)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "control character" in lines[0]
    assert not raw_controls(result.output)


def test_import_refuses_a_medicine_name_with_control_characters(
    db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    assert invoke(db_path, "export", "--out", str(out), "--format", "json").exit_code == 0
    meds = out / "medications.json"
    rows = json.loads(meds.read_text())
    rows.append({**(rows[0] if rows else {}), "id": 99, "name": "Evil\x1b]0;PWNED\x07"})
    if "category" not in rows[-1]:
        rows[-1].update(category="other", is_diazepam=0, unit="mg", usual_times="")
    meds.write_text(json.dumps(rows))
    result = invoke(db_path, "import", str(meds))
    assert result.exit_code == 2, result.output
    assert "control character" in result.stderr and not raw_controls(result.output)


# -- a hostile diary through every surface ----------------------------------------------------


@pytest.fixture
def hostile(db_path: Path) -> Path:
    """A diary holding the hostile strings in names (as an old diary or a backup may) and in
    notes, a rating's details, a question, an appointment, and a flag that names a medicine."""
    db = open_database(db_path)
    diazepam = save_medication(db, diazepam_medication())
    opioid = save_medication(
        db,
        replace(
            diazepam_medication(),
            name=f"Codeine{ALL}{MARKUP}",
            is_diazepam=False,
            category=Category.OPIOID,
            usual_times=(),
        ),
    )
    db.execute(
        "INSERT INTO symptoms (key, name, description, position) VALUES (?, ?, ?, ?)",
        ["evil", f"Ache{HOSTILE['osc title']}{HOSTILE['c1 csi']}", "", 99],
    )
    assert diazepam.id is not None and opioid.id is not None
    save_day(
        db,
        DayLog(
            TODAY,
            ratings=(Rating(1, 8, note=f"rating {ALL}", worse_with=f"walk{ALL}"),),
            note=f"note {ALL} {MARKUP}",
            doses=(Dose(diazepam.id, "08:00", 5), Dose(opioid.id, "09:00", 30)),
            red_flags=frozenset({"fall"}),
        ),
        NOW,
    )
    add_question(db, f"Question {ALL} {MARKUP}", NOW)
    set_appointment(db, TODAY, f"Dr {ALL}{MARKUP}", f"at {ALL}")
    set_setting(db, "welcomed", "1")
    db.conn.commit()
    return db_path


@pytest.mark.parametrize(
    "args",
    [
        ("flags",),
        ("flags", "--json"),
        ("status",),
        ("take",),
        ("log", "leg_pain=4", "--date", TODAY),
        ("log", "--note", f"more {ALL}", "--date", TODAY),
        ("report", "--out", "{tmp}/visit.md"),
        ("export", "--out", "{tmp}/export"),
    ],
)
def test_no_command_prints_a_raw_control_character(
    hostile: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = invoke(hostile, *(a.format(tmp=tmp_path) for a in args))
    assert result.exit_code == 0, result.output
    printed = result.stdout + result.stderr
    assert not raw_controls(printed), (args, printed)
    if args == ("flags",):
        assert "Codeine" in printed and "\\x1b" in printed  # the name is there, escaped
    if args == ("flags", "--json"):
        json.loads(printed)  # still valid JSON


def test_the_reports_show_control_characters_escaped(hostile: Path, tmp_path: Path) -> None:
    md, pdf = tmp_path / "visit.md", tmp_path / "visit.pdf"
    for out in (md, pdf):
        result = invoke(hostile, "report", "--from", TODAY, "--to", TODAY, "--out", str(out))
        assert result.exit_code == 0, result.output
    text = md.read_text()
    assert "Codeine\\x1b]0;PWNED\\x07" in text and not raw_controls(text)
    pdf_text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "\\x1b" in pdf_text and not raw_controls(pdf_text)


def test_the_exports_keep_the_text_as_stored(hostile: Path, tmp_path: Path) -> None:
    for fmt in ("json", "csv"):
        out = tmp_path / fmt
        assert invoke(hostile, "export", "--out", str(out), "--format", fmt).exit_code == 0
        body = (out / f"days.{fmt}").read_text()
        assert "\x1b]0;PWNED\x07" in (json.dumps(json.loads(body)) if fmt == "json" else body) or (
            "\\u001b]0;PWNED\\u0007" in body
        )


# -- the app, as written to the terminal ------------------------------------------------------


def terminal_output(app: DiazlogApp) -> str:
    """What the app writes to the terminal for the whole screen, dialogs and toasts included."""
    update = app.screen._compositor.render_update(full=True)
    assert update is not None
    return update.render_segments(app.console)


def shown_text(app: DiazlogApp) -> str:
    """The screen's characters without Textual's own escape sequences (cursor moves, colours)."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal_output(app))


def shown_text_of(output: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)


async def test_no_screen_writes_a_raw_control_character(hostile: Path) -> None:
    app = DiazlogApp(open_database(hostile), hostile, clock=lambda: NOW)
    seen: dict[str, str] = {}
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        seen["today"] = terminal_output(app)
        assert "Codeine\\x1b]0;PWNED\\x07" in shown_text(app)  # the dose list, escaped
        assert "[red]x[/]" in shown_text(app)  # the note's brackets, not a colour
        for key in ("h", "m", "d", "c"):
            await pilot.press(key)
            await settle(pilot)
            seen[key] = terminal_output(app)
        await pilot.press("m")
        await settle(pilot)
        assert "Codeine\\x1b" in shown_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert "Question \\x1b]0;PWNED\\x07" in shown_text(app)
        assert "[link=https://example.org]" in shown_text(app)
        # A notification quoting diary text, and a dialog: both plain.
        app.notify(f"Saved {ALL} {MARKUP}")
        from diazlog.dialogs.confirm import Confirm

        app.push_screen(Confirm(f"Stop {ALL}?", f"Stop {ALL} {MARKUP} from today?"))
        await settle(pilot)
        seen["dialog"] = terminal_output(app)
        assert "[red]x[/]" in shown_text(app) and "Stop \\x1b" in shown_text(app)
    for where, output in seen.items():
        for line in shown_text_of(output).splitlines():
            assert not raw_controls(line), (where, line)


def test_every_command_prints_through_the_sanitiser() -> None:
    """A command that calls click.echo itself would print diary text raw: only
    commands/echo.py may (and the report's progress line, which holds no diary text)."""
    folder = Path(__file__).parents[2] / "diazlog" / "commands"
    direct = [
        f"{path.name}:{n}"
        for path in sorted(folder.glob("*.py"))
        if path.name != "echo.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if ("click.echo(" in line or "print(" in line or "sys.stdout.write" in line)
        and "\\rBuilding the report" not in line
    ]
    assert direct == []


def test_names_in_the_markdown_report_make_no_link_and_no_extra_cell(
    db_path: Path, tmp_path: Path
) -> None:
    """A medicine named "A|B [click](evil) <b>hi</b>" is text in the Markdown report: its bar
    does not start a new table cell, and neither a link nor HTML is made of it (adversarial
    review: "[click](evil)" became a live link)."""
    name = "A|B [click](evil) <b>hi</b>"
    logged = invoke(
        db_path, "log", "--date", TODAY, "--dose", "5@08:00", "--dose", f"{name}:1@09:00"
    )
    assert logged.exit_code == 0, logged.output
    out = tmp_path / "visit.md"
    made = invoke(db_path, "report", "--from", TODAY, "--to", TODAY, "--out", str(out))
    assert made.exit_code == 0, made.output
    text = out.read_text()
    assert "A\\|B [click]\\(evil) \\<b>hi\\</b>" in text
    assert "](" not in text.replace("]\\(", "") and "<b>" not in text.replace("\\<b>", "")
