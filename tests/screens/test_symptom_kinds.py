"""A symptom of the user's own has a kind (what the pain rules read), picked with the keyboard
in Today's add-symptom dialog (n) and stored by add_symptom."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Label, Select

from diazlog.dialogs.symptom import NewSymptomDialog
from diazlog.domain.models import SymptomKind
from diazlog.domain.symptom_kinds import guess_kind
from diazlog.domain.validation import InvalidInput
from diazlog.store import open_database
from diazlog.store.queries.symptoms import add_symptom, list_symptoms, symptom_by_key
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
        # The words patients use, in any form of the word.
        ("Calf tightness", SymptomKind.TENSION),
        ("Knots in my calves", SymptomKind.TENSION),
        ("Stiff hamstrings", SymptomKind.TENSION),
        ("Restless legs", SymptomKind.TENSION),
        ("Twitchy calves", SymptomKind.CRAMP),
        ("Legs jerking at night", SymptomKind.CRAMP),
        ("Heavy legs", SymptomKind.WEAKNESS),
        ("Jelly legs", SymptomKind.WEAKNESS),
        ("Legs give way", SymptomKind.WEAKNESS),
        ("Burning feet", SymptomKind.PAIN),
        ("Shooting pains", SymptomKind.PAIN),
        ("Painful cramps", SymptomKind.CRAMP),  # a cramp that hurts is still a cramp
        ("Pins and needles", SymptomKind.OTHER),
        ("Stable knees", SymptomKind.OTHER),
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
        await pilot.press(*"Pins and needles")
        kind = dialog.query_one("#kind", Select)
        assert kind.value == "other"
        await pilot.press("tab")
        assert app.focused is kind
        await pilot.press("enter")  # opens the list on the current kind, "other"
        await pilot.pause()
        await pilot.press("up", "up", "up", "up", "enter")  # fatigue, tension, weakness, cramp
        await pilot.pause()
        assert kind.value == "cramp"
        assert "cramp or spasm" in str(kind.query_one("SelectCurrent Static").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NewSymptomDialog)
        assert "Pins and needles" in [r.label for r in ratings(app).rows]
    assert kinds(db_path)["pins_and_needles"] == "cramp"


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
        await pilot.press("up", "up", "up", "enter")  # from "other": fatigue, tension, weakness
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


@pytest.mark.parametrize(
    ("name", "fits", "saved"),
    [
        ("Pins and needles", "its words fit no kind", "other"),
        ("Tight aching calves", "its words fit tension or tightness and pain", "tension"),
    ],
)
async def test_the_dialog_asks_when_the_name_fits_no_kind_or_several(
    make_app, db_path: Path, name: str, fits: str, saved: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press(*name, "enter")
        await pilot.pause()
        assert app.screen is dialog  # asked, not saved
        hint = str(dialog.query_one("#kind-hint").render())
        assert "Which kind is it?" in hint and fits in hint
        assert name.lower().replace(" ", "_") not in kinds(db_path)
        await pilot.press("enter")  # again: kept as shown
        await pilot.pause()
        assert not isinstance(app.screen, NewSymptomDialog)
    assert kinds(db_path)[name.lower().replace(" ", "_")] == saved


async def test_a_symptom_added_a_moment_ago_raises_the_banner_at_once(
    make_app, db_path: Path
) -> None:
    """ "calf tightness" is guessed as tension; rated 8 the banner shows, without a reload."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press(*"calf tightness")
        assert dialog.query_one("#kind", Select).value == "tension"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, NewSymptomDialog)
        banner = app.screen.query_one("#banner")
        assert not banner.display
        await pilot.press("8")  # the new symptom's row has the cursor
        await pilot.pause()
        assert banner.display and banner.has_class("-today")
        text = str(banner.render())
        assert "Contact your doctor today" in text
        assert "Severe calf tightness (8/10)" in text
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert kinds(db_path)["calf_tightness"] == "tension"
    db = open_database(db_path)
    row = db.execute(
        "SELECT r.intensity FROM ratings r JOIN symptoms s ON s.id = r.symptom_id "
        "WHERE s.key = 'calf_tightness'"
    ).fetchone()
    assert row[0] == 8
