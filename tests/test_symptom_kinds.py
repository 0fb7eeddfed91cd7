"""A symptom of the user's own has a kind (what the pain rules read), picked with the keyboard
in Today's add-symptom dialog (n) and stored by add_symptom."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Label, Select

from diazlog.domain.models import SymptomKind
from diazlog.domain.symptom_kinds import guess_kind
from diazlog.domain.validation import InvalidInput
from diazlog.store import open_database
from diazlog.store.symptoms import add_symptom, list_symptoms, symptom_by_key
from diazlog.widgets.symptom_form import NewSymptomDialog
from tests.conftest import ratings


def kinds(db_path: Path) -> dict[str, str]:
    """Every symptom's kind as stored, read with SQL (not through the model)."""
    db = open_database(db_path)
    return {key: kind for key, kind in db.execute("SELECT key, kind FROM symptoms").fetchall()}


def test_add_symptom_stores_the_kind(db) -> None:  # type: ignore[no-untyped-def]
    symptom = add_symptom(db, "Burning feet", kind=SymptomKind.PAIN)
    assert symptom.kind is SymptomKind.PAIN
    assert add_symptom(db, "Restless legs").kind is SymptomKind.OTHER  # the default
    row = db.execute("SELECT kind FROM symptoms WHERE key = 'burning_feet'").fetchone()
    assert row[0] == "pain"


def test_the_built_in_symptoms_keep_their_kinds(db) -> None:  # type: ignore[no-untyped-def]
    by_key = {s.key: s.kind for s in list_symptoms(db)}
    assert by_key["leg_pain"] is SymptomKind.PAIN
    assert by_key["cramps"] is by_key["spasms"] is SymptomKind.CRAMP


def test_reactivating_keeps_a_known_kind_unless_another_is_picked(db) -> None:  # type: ignore[no-untyped-def]
    add_symptom(db, "Calf tightness", kind=SymptomKind.CRAMP)
    db.execute("UPDATE symptoms SET active = 0 WHERE key = 'calf_tightness'")
    assert add_symptom(db, "Calf tightness").kind is SymptomKind.CRAMP
    db.execute("UPDATE symptoms SET active = 0 WHERE key = 'calf_tightness'")
    assert add_symptom(db, "calf tightness", kind=SymptomKind.PAIN).kind is SymptomKind.PAIN
    with pytest.raises(InvalidInput, match="already on the list"):
        add_symptom(db, "Calf tightness", kind=SymptomKind.WEAKNESS)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Calf ache", SymptomKind.PAIN),
        ("Headache", SymptomKind.PAIN),
        ("Sore thighs", SymptomKind.PAIN),
        ("Night cramps in feet", SymptomKind.CRAMP),
        ("Back spasm", SymptomKind.CRAMP),
        ("Weak grip", SymptomKind.WEAKNESS),
        ("Tired all day", SymptomKind.FATIGUE),
        ("Restless legs", SymptomKind.OTHER),
        ("Spain trip", SymptomKind.OTHER),  # whole words only
        ("", SymptomKind.OTHER),
    ],
)
def test_the_first_guess_from_the_name(name: str, kind: SymptomKind) -> None:
    assert guess_kind(name) is kind


async def open_dialog(pilot) -> NewSymptomDialog:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, NewSymptomDialog)
    return dialog


async def test_picking_cramp_or_spasm_with_the_keyboard_stores_cramp(
    make_app, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press(*"Restless legs")
        kind = dialog.query_one("#kind", Select)
        assert kind.value == "other"
        await pilot.press("tab")
        assert app.focused is kind
        await pilot.press("enter")  # opens the list on the current kind, "other"
        await pilot.pause()
        await pilot.press("up", "up", "up", "enter")
        await pilot.pause()
        assert kind.value == "cramp"
        assert "cramp or spasm" in str(kind.query_one("SelectCurrent Static").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NewSymptomDialog)
        assert "Restless legs" in [r.label for r in ratings(app).rows]
    assert kinds(db_path)["restless_legs"] == "cramp"


async def test_enter_saves_the_kind_guessed_from_the_name(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press(*"Calf ache")
        assert dialog.query_one("#kind", Select).value == "pain"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, NewSymptomDialog)
    assert kinds(db_path)["calf_ache"] == "pain"


async def test_a_kind_the_user_picked_is_not_overwritten_by_the_guess(
    make_app, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        kind = dialog.query_one("#kind", Select)
        await pilot.press("tab", "enter")
        await pilot.pause()
        await pilot.press("up", "up", "enter")  # from "other": fatigue, weakness
        await pilot.pause()
        assert kind.value == "weakness"
        await pilot.press("shift+tab", *"Calf ache")
        await pilot.pause()
        assert kind.value == "weakness"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, NewSymptomDialog)
    assert kinds(db_path)["calf_ache"] == "weakness"


async def test_a_refused_name_is_explained_and_nothing_is_added(make_app, db_path: Path) -> None:
    before = kinds(db_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press(*"Leg pain", "enter")
        await pilot.pause()
        assert app.screen is dialog
        error = str(dialog.query_one("#error-name", Label).render())
        assert "already on the list" in error
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, NewSymptomDialog)
    assert kinds(db_path) == before
    assert symptom_by_key(open_database(db_path), "leg_pain") is not None
