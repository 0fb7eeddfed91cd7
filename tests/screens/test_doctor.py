"""The Doctor screen driven by keys, checked on screen and in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widget import Widget
from textual.widgets import Input, TextArea

from diazlog.domain.models import Category, DayLog, Dose, Medication
from diazlog.domain.questions import BUILTIN_QUESTIONS
from diazlog.store import open_database
from diazlog.store.queries import appointments as appts
from diazlog.store.queries import questions as store
from diazlog.store.queries.days import save_days
from diazlog.store.queries.medications import save_medication
from diazlog.widgets.question_list import QuestionList
from tests.support.helpers import NOW, TODAY, settle


@pytest.fixture(autouse=True)
def welcomed(db_path: Path) -> None:
    """A user past the first-run welcome, so the Doctor screen is what the keys reach."""
    from diazlog.store.queries.settings import set_setting

    set_setting(open_database(db_path), "welcomed", "1")


async def open_doctor(pilot) -> QuestionList:  # type: ignore[no-untyped-def]
    await pilot.press("d")
    await settle(pilot)
    assert pilot.app.current_mode == "doctor"
    return pilot.app.screen.query_one(QuestionList)  # type: ignore[no-any-return]


def shown_text(widget: Widget) -> str:
    """Everything a widget shows, as plain text."""
    return "\n".join(line.text for line in widget.render_lines(widget.region.reset_offset))


def highlight(checklist: QuestionList, text: str) -> None:
    for index, option in enumerate(checklist.options):
        if option.id and option.id.startswith("q-"):
            question = store.get_question(checklist.app.db, int(option.id[2:]))  # type: ignore[attr-defined]
            if question and question.text == text:
                checklist.highlighted = index
                return
    raise AssertionError(f"{text!r} not on the checklist")


def mine(db_path: Path) -> list[str]:
    db = open_database(db_path)
    return [q.text for q in store.current_questions(db) if q.origin == "mine"]


def opioid_days(db_path: Path, count: int) -> None:
    db = open_database(db_path)
    diazepam = save_medication(db, Medication(None, "Diazepam", is_diazepam=True))
    tramadol = save_medication(db, Medication(None, "Tramadol", Category.OPIOID))
    assert diazepam.id and tramadol.id
    save_days(
        db,
        [
            DayLog(
                date=f"2026-11-{20 + i:02d}",
                doses=(Dose(diazepam.id, "08:00", 5), Dose(tramadol.id, "14:00", 50)),
            )
            for i in range(count)
        ],
    )


async def test_d_opens_three_groups_with_builtins(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        checklist = await open_doctor(pilot)
        text = shown_text(checklist)
        for heading in ("Questions worth asking", "From your data", "Your own questions"):
            assert heading in text
        assert "Could diazepam itself be causing" in text
        assert "No appointment set" in str(app.screen.query_one("#appointment").render())
    db = open_database(db_path)
    assert len(store.current_questions(db)) == len(BUILTIN_QUESTIONS)


async def test_generated_question_shows_facts_and_follows_data(make_app, db_path: Path) -> None:
    opioid_days(db_path, 3)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        checklist = await open_doctor(pilot)
        # What was taken, counted as itself, then the days the flag was up.
        assert "Tramadol (an opioid) with diazepam: 3 doses on 3 days" in shown_text(checklist)
        highlight(checklist, store.current_questions(app.db)[-1].text)
        await pilot.press("space")
        await pilot.press("t")
        await settle(pilot)
        opioid_days(db_path, 5)  # two more days logged elsewhere
        checklist = await open_doctor(pilot)
        assert "5 doses on 5 days" in " ".join(shown_text(checklist).split())
    rows = [q for q in store.current_questions(open_database(db_path)) if q.origin == "generated"]
    assert len(rows) == 1 and rows[0].asked_on == TODAY and "5 days" in (rows[0].facts or "")


async def test_space_ticks_and_unticks(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        checklist = await open_doctor(pilot)
        first = checklist.current
        await pilot.press("space")
        assert "[x] Could diazepam" in shown_text(checklist)
        assert "1 asked" in app.screen.sub_title
        assert store.get_question(app.db, first).asked_on == TODAY  # type: ignore[arg-type, union-attr]
        await pilot.press("space")
        assert store.get_question(app.db, first).asked_on is None  # type: ignore[arg-type, union-attr]


async def test_enter_writes_the_answer_and_marks_asked(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        checklist = await open_doctor(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        app.screen.query_one("#answer", TextArea).text = "Check vitamin D and iron."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Answer: Check vitamin D and iron." in shown_text(checklist)
    second = store.current_questions(open_database(db_path))[1]
    assert second.answer == "Check vitamin D and iron." and second.asked_on == TODAY


async def test_add_reword_reorder_delete_own_questions(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        checklist = await open_doctor(pilot)
        for text in ("Can I swim?", "Is magnesium useful?"):
            await pilot.press("a")
            await settle(pilot)
            app.screen.query_one("#prompt-input", Input).value = text
            await pilot.press("enter")
            await settle(pilot)
        assert mine(db_path) == ["Can I swim?", "Is magnesium useful?"]
        # The newly added question is highlighted: move it up.
        await pilot.press("shift+up")
        assert mine(db_path) == ["Is magnesium useful?", "Can I swim?"]
        highlight(checklist, "Can I swim?")
        await pilot.press("w")
        await settle(pilot)
        app.screen.query_one("#prompt-input", Input).value = "Can I swim every day?"
        await pilot.press("enter")
        await settle(pilot)
        assert "Can I swim every day?" in shown_text(checklist)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert mine(db_path) == ["Is magnesium useful?"]


async def test_empty_question_is_refused(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_doctor(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "type the question" in str(app.screen.query_one("#prompt-error").render())
        await pilot.press("escape")
    assert mine(db_path) == []


async def test_builtin_cannot_be_deleted_but_can_be_hidden_and_shown(
    make_app, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        checklist = await open_doctor(pilot)
        first = checklist.current
        await pilot.press("delete")
        await settle(pilot)
        assert store.get_question(app.db, first) is not None  # type: ignore[arg-type]
        await pilot.press("x")
        assert "Could diazepam itself" not in shown_text(checklist)
        assert "1 hidden" in app.screen.sub_title
        assert store.get_question(app.db, first).hidden  # type: ignore[arg-type, union-attr]
        await pilot.press("v")
        assert "(hidden)" in shown_text(checklist)
        highlight(checklist, BUILTIN_QUESTIONS[0][1])
        await pilot.press("x")
        assert not store.get_question(app.db, first).hidden  # type: ignore[arg-type, union-attr]


async def test_set_appointment_shows_days_left(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_doctor(pilot)
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#date", Input).value = "2026-12-03"
        app.screen.query_one("#whom", Input).value = "Dr Patel"
        await pilot.press("ctrl+s")
        await settle(pilot)
        line = str(app.screen.query_one("#appointment").render())
        assert "Thu 03 Dec 2026 with Dr Patel (in 8 days)" in line
    found = appts.next_appointment(open_database(db_path))
    assert found is not None and (found.date, found.with_whom) == ("2026-12-03", "Dr Patel")


async def test_bad_appointment_date_is_explained(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_doctor(pilot)
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#date", Input).value = "3rd of Dec"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not a date" in str(app.screen.query_one("#error-date").render())
    assert appts.next_appointment(open_database(db_path)) is None


async def test_after_visit_fresh_checklist_and_past_visits(make_app, db_path: Path) -> None:
    db = open_database(db_path)
    store.seed_builtins(db, NOW)
    appts.set_appointment(db, "2026-11-24", "Dr Patel")
    first = store.current_questions(db)[0]
    store.set_answer(db, first.id, "Unlikely at this dose")  # type: ignore[arg-type]
    store.set_asked(db, first.id, "2026-11-24")  # type: ignore[arg-type]
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        checklist = await open_doctor(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "Answer:" not in shown_text(checklist)
        assert "No appointment set" in str(app.screen.query_one("#appointment").render())
        await pilot.press("p")
        await settle(pilot)
        past = "\n".join(shown_text(w) for w in app.screen.query("#visits Static"))
        assert "Tue 24 Nov 2026 with Dr Patel" in past
        assert "Unlikely at this dose" in past
        await pilot.press("escape")
    db = open_database(db_path)
    assert appts.last_visit_date(db) == "2026-11-24"
    assert all(q.answer is None for q in store.current_questions(db))


def builtin_ids(db_path: Path) -> list[int]:
    """The built-in questions' ids, in checklist order."""
    db = open_database(db_path)
    store.seed_builtins(db, NOW)
    return [q.id for q in store.current_questions(db) if q.origin == "builtin" and q.id]


def hidden_ids(db_path: Path) -> list[int]:
    return [q.id for q in store.current_questions(open_database(db_path)) if q.hidden and q.id]


@pytest.mark.parametrize("presses", [1, 2])
async def test_v_keeps_the_highlight_so_x_hides_that_question(
    make_app, db_path: Path, presses: int
) -> None:
    ids = builtin_ids(db_path)
    target = ids[2]
    store.set_hidden(open_database(db_path), ids[0], True)  # v changes what is listed above it
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        checklist = await open_doctor(pilot)
        checklist.highlighted = checklist.get_option_index(f"q-{target}")
        for _ in range(presses):
            await pilot.press("v")
            await settle(pilot)
            assert checklist.current == target
        await pilot.press("space")
        assert checklist.current == target
        await pilot.press("x")
        await settle(pilot)
    assert sorted(hidden_ids(db_path)) == sorted([ids[0], target])
    assert store.get_question(open_database(db_path), target).asked_on == TODAY  # type: ignore[union-attr]


async def test_highlight_moves_to_the_neighbour_when_its_question_leaves(
    make_app, db_path: Path
) -> None:
    ids = builtin_ids(db_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        checklist = await open_doctor(pilot)
        checklist.highlighted = checklist.get_option_index(f"q-{ids[2]}")
        await pilot.press("x")  # hidden, so off the list: the one below takes the highlight
        await settle(pilot)
        assert checklist.current == ids[3]
        await pilot.press("x")
        await settle(pilot)
        assert hidden_ids(db_path) == [ids[2], ids[3]]
        await pilot.press("v")
        await settle(pilot)
        checklist.highlighted = checklist.get_option_index(f"q-{ids[2]}")  # struck through
        await pilot.press("v")  # it leaves again; the one below is hidden too, so the one above
        await settle(pilot)
        assert checklist.current == ids[1]
        await pilot.press("space")
    asked = [q.id for q in store.current_questions(open_database(db_path)) if q.asked_on]
    assert asked == [ids[1]]


def assert_wrapped_inside(widget: Widget, message: str) -> None:
    """The whole message on screen: wrapped inside the dialog, one row per wrapped line."""
    dialog = widget.parent
    assert isinstance(dialog, Widget)
    assert dialog.content_region.contains_region(widget.region), (widget.region, dialog)
    lines = [line.strip() for line in shown_text(widget).splitlines()]
    assert all(lines) and widget.size.height == len(lines) > 1
    assert " ".join(lines) == message == str(widget.render())


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
@pytest.mark.parametrize("whom", ["", "Dr Wellington-Smythe"])
async def test_file_checklist_confirm_shows_the_whole_message(
    make_app, db_path: Path, size: tuple[int, int], whom: str
) -> None:
    if whom:
        appts.set_appointment(open_database(db_path), "2026-12-03", whom)
    visit = f"Thu 03 Dec 2026 with {whom}" if whom else "today, Wed 25 Nov 2026"
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_doctor(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert_wrapped_inside(
            app.screen.query_one("Vertical > Label", Widget),
            f"This files the questions and answers under the visit of {visit} "
            "(p shows past visits). Own questions not yet asked carry over.",
        )
        await pilot.press("n")
    assert appts.past_appointments(open_database(db_path)) == []


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
@pytest.mark.parametrize(
    ("key", "where", "message"),
    [
        ("e", "Vertical > Label", "A .pdf or .md file name; the file is readable by you alone."),
        (
            "p",
            "#visits > Label",
            "No past visits yet. After a visit, press f on the Doctor screen to file its "
            "checklist here and start a fresh one.",
        ),
    ],
)
async def test_report_and_past_visits_notes_wrap(
    make_app, size: tuple[int, int], key: str, where: str, message: str
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_doctor(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert_wrapped_inside(app.screen.query_one(where, Widget), message)


@given(st.lists(st.integers(1, 500), unique=True, min_size=1, max_size=30), st.data())
def test_nearest_first_orders_every_question_by_distance(listed: list[int], data) -> None:  # type: ignore[no-untyped-def]
    from diazlog.widgets.question_list import nearest_first

    current = data.draw(st.sampled_from(listed))
    order = nearest_first(current, listed)
    assert order[0] == current and sorted(order) == sorted(listed)
    at = listed.index(current)
    distances = [abs(listed.index(q) - at) for q in order]
    assert distances == sorted(distances)
    assert nearest_first(None, listed) == [] and nearest_first(-1, listed) == []
