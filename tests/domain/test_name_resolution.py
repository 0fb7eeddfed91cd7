"""Names the tables know, names only the drug-name library knows, combinations by ingredient,
did-you-mean guesses never applied, and the diary's cache (the library runs once per name)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain import drug_library
from diazlog.domain.drug_library import LibraryAnswer, library_key
from diazlog.domain.medicine_names import DrugClass, table
from diazlog.domain.medicine_products import products, products_in, strength_in
from diazlog.domain.name_resolution import Via, from_library, from_tables
from diazlog.domain.units import UNITS
from diazlog.store import open_database
from diazlog.store.queries.medicine_lookups import cached_answer, known, resolve
from tests.support.network_guard import block_network

ROOT = Path(__file__).resolve().parents[2]


class Spy:
    """The real library, counting the names it was asked about."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, name: str) -> LibraryAnswer:
        self.asked.append(name)
        return drug_library.look_up(name)


def table_names() -> set[str]:
    return {row.name for row in table()} | {p.name for p in products()}


# Every product row: a known unit, ingredients the class table knows, and strengths with one
# number per ingredient. A brand of one generic (Valium, Stesolid: diazepam; Butrans:
# buprenorphine) is a row whose product is that generic, its only ingredient, counted in mg or
# in patches; it needs no strengths.
def test_every_product_row_is_whole() -> None:
    rows = products()
    assert len(rows) >= 15
    classes = {row.name: row.drug_class for row in table()}
    for product in rows:
        assert product.unit in UNITS, product
        assert all(i in classes for i in product.ingredients), product
        assert product.source
        if len(product.ingredients) == 1:
            assert product.product == product.ingredients[0], product
            assert product.unit in ("mg", "patch") and not product.strengths, product
            continue
        assert len(product.ingredients) >= 2, product
        assert product.strengths and all(
            len(s.split("/")) == len(product.ingredients) for s in product.strengths
        ), product


COMBINATIONS = [
    # (typed, product, ingredients, strength, most serious class)
    ("Zapain", "co-codamol", ("codeine", "paracetamol"), "30/500", DrugClass.OPIOID),
    ("Co-codamol 8/500", "co-codamol", ("codeine", "paracetamol"), "8/500", DrugClass.OPIOID),
    ("co-codamol 15/500mg", "co-codamol", ("codeine", "paracetamol"), "15/500", DrugClass.OPIOID),
    ("KAPAKE 30/500", "co-codamol", ("codeine", "paracetamol"), "30/500", DrugClass.OPIOID),
    ("Solpadol", "co-codamol", ("codeine", "paracetamol"), "30/500", DrugClass.OPIOID),
    ("co-dydramol 10/500", "co-dydramol", ("dihydrocodeine", "paracetamol"), "10/500", None),
    ("Remedeine forte", "co-dydramol", ("dihydrocodeine", "paracetamol"), None, None),
    ("Percocet 5/325", "oxycodone + acetaminophen", ("oxycodone", "acetaminophen"), "5/325", None),
    ("Norco", "hydrocodone + acetaminophen", ("hydrocodone", "acetaminophen"), None, None),
    ("Tramacet", "tramadol + paracetamol", ("tramadol", "paracetamol"), "37.5/325", None),
    ("Nurofen Plus", "ibuprofen + codeine", ("ibuprofen", "codeine"), "200/12.8", None),
    ("Tylenol #3", "tylenol with codeine", ("codeine", "acetaminophen"), "30/300", None),
    # Brands a clinical review found unrecognised (no flag at all), by ingredient.
    ("Panadeine Forte", "co-codamol", ("codeine", "paracetamol"), "30/500", None),
    ("Solpadeine Max", "co-codamol", ("codeine", "paracetamol"), "12.8/500", None),
    (
        "Mersyndol",
        "codeine + paracetamol + doxylamine",
        ("codeine", "paracetamol", "doxylamine"),
        "9.75/450/5.1",
        None,
    ),
    ("Oxycocet", "oxycodone + acetaminophen", ("oxycodone", "acetaminophen"), "5/325", None),
]


@pytest.mark.parametrize(
    ("typed", "generic_class", "unit"),
    [
        ("MST Continus 10mg", DrugClass.OPIOID, None),
        ("DF118 Forte", DrugClass.OPIOID, None),
        ("Butrans 10", DrugClass.OPIOID, "patch"),
        ("Durogesic DTrans", DrugClass.OPIOID, "patch"),
    ],
)
def test_single_opioid_brands_and_patches(
    typed: str, generic_class: DrugClass, unit: str | None
) -> None:
    """Morphine, dihydrocodeine, buprenorphine and fentanyl brands are opioids; the patches
    are counted in patches, not mg (a review found "Butrans … 1 mg")."""
    found = from_tables(typed)
    assert found is not None and found.classes[0] is generic_class
    assert found.unit == unit


@pytest.mark.parametrize(("typed", "product", "ingredients", "strength", "_"), COMBINATIONS)
def test_a_combination_knows_its_ingredients_strength_and_tablets(
    typed: str, product: str, ingredients: tuple[str, ...], strength: str | None, _: object
) -> None:
    found = from_tables(typed)
    assert found is not None and found.via is Via.TABLE
    assert found.product == product
    assert tuple(i.name for i in found.ingredients) == ingredients
    assert found.strength == strength
    assert found.unit in ("tablet", "capsule")
    # Its class is that of its most serious ingredient: every one here carries an opioid.
    assert found.classes[0] is DrugClass.OPIOID and found.code.startswith("opioid")


def test_the_text_says_what_the_name_was_recognised_as() -> None:
    zapain = from_tables("Zapain")
    assert zapain is not None
    assert zapain.text == "Zapain → co-codamol: codeine (opioid) + paracetamol"
    paracetamol = from_tables("paracetamol")
    assert paracetamol is not None and paracetamol.classes == ()
    assert paracetamol.text == "paracetamol: no interaction listed"
    assert from_tables("Magnesium") is None


def test_strengths_are_read_from_what_was_typed() -> None:
    assert strength_in("Co-codamol 30/500") == "30/500"
    assert strength_in("tramadol/paracetamol 37.5 / 325 mg") == "37.5/325"
    assert strength_in("Tylenol #3") is None
    assert strength_in("oxycodone/paracetamol") is None


# Brands no diazlog table lists, resolved by the library (the spy proves it asked).
LIBRARY_BRANDS = [
    ("Zydol", "tramadol", DrugClass.OPIOID),
    ("Zydol 50mg", "tramadol", DrugClass.OPIOID),
    ("Dilaudid", "hydromorphone", DrugClass.OPIOID),
    ("Kadian", "morphine", DrugClass.OPIOID),
]


@pytest.mark.parametrize(("brand", "generic", "drug_class"), LIBRARY_BRANDS)
def test_brands_the_tables_lack_are_resolved_by_the_library(
    tmp_path: Path, brand: str, generic: str, drug_class: DrugClass
) -> None:
    assert not products_in(brand) and from_tables(brand) is None  # not in the tables
    db = open_database(tmp_path / "d.db")
    spy = Spy()
    found = resolve(db, brand, look_up=spy)
    assert spy.asked == [brand]  # the library answered, not the tables
    assert found.via is Via.LIBRARY and found.product == generic
    assert found.classes == (drug_class,)
    assert found.text == f"{brand} → {generic}: {drug_class.label}"


def test_harmless_generics_by_a_brand_name_are_recognised_not_unknown(tmp_path: Path) -> None:
    db = open_database(tmp_path / "d.db")
    for brand, generic in (("Tylenol", "acetaminophen"), ("Nurofen", "ibuprofen")):
        found = resolve(db, brand, look_up=Spy())
        assert found.recognised and found.classes == ()
        assert found.text == f"{brand} → {generic}: no interaction listed"


@pytest.mark.parametrize(
    ("typed", "guess"),
    [("Cocodamol", "co-codamol"), ("Tramadoll", "tramadol"), ("Neurontine", "gabapentin")],
)
def test_a_misspelling_is_offered_never_applied(tmp_path: Path, typed: str, guess: str) -> None:
    db = open_database(tmp_path / "d.db")
    found = resolve(db, typed, look_up=Spy())
    assert found.suggestion == guess
    assert not found.recognised and found.classes == () and found.code == ""
    assert found.text.endswith(f"Did you mean {guess}?")
    assert "not recognised" in found.text


def test_the_library_runs_once_per_name_then_the_cache_answers(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    db = open_database(path)
    spy = Spy()
    first = resolve(db, "Zydol", look_up=spy)
    cached = known(db, "zydol")
    assert cached is not None and cached.text == "zydol → tramadol: opioid"
    resolve(db, "ZYDOL 100 mg", look_up=spy)  # the same question, put differently
    again = resolve(open_database(path), "Zydol", look_up=spy)  # another connection, later
    assert spy.asked == ["Zydol"]
    assert again == first
    assert cached_answer(db, "Zydol") == LibraryAnswer(("tramadol",))
    # "Nothing found" is an answer too: not asked again.
    resolve(db, "Qwertyzine", look_up=spy)
    resolve(db, "Qwertyzine", look_up=spy)
    assert spy.asked == ["Zydol", "Qwertyzine"]


def test_names_the_tables_know_never_reach_the_library(tmp_path: Path) -> None:
    db = open_database(tmp_path / "d.db")

    def refuse(name: str) -> LibraryAnswer:
        raise AssertionError(f"library asked about {name}")

    for name in ("Zapain", "Co-codamol 30/500", "Lyrica", "paracetamol", "Tylenol #3"):
        assert resolve(db, name, look_up=refuse).via is Via.TABLE


def test_a_library_lookup_opens_no_socket() -> None:
    """In a fresh process (so the library's import is watched too): no socket of any internet
    family is even created, and its HTTP client never loads."""
    code = (
        "import sys\n"
        "from tests.support.network_guard import block_network\n"
        "from diazlog.domain.drug_library import look_up\n"
        "with block_network() as attempts:\n"
        "    found = (look_up('Zydol').generics, look_up('Tramadoll').suggestion)\n"
        "print(found, attempts, 'requests' in sys.modules, 'urllib3' in sys.modules)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert ran.stdout.strip() == "(('tramadol',), 'tramadol') [] False False", ran.stderr[-2000:]
    with block_network() as attempts:  # and in this process, whatever was imported before
        assert drug_library.look_up("Zydol") == LibraryAnswer(("tramadol",))
    assert attempts == []


@given(st.text(max_size=40))
def test_any_typed_text_resolves_to_words_or_nothing(text: str) -> None:
    found = from_tables(text)
    if found is not None:
        assert found.recognised and found.text.startswith(" ".join(text.split()))
    assert library_key(text) == library_key(f"  {text.upper()} 50 mg ").casefold() or (
        text.upper().casefold() != text.casefold()  # case mapping that is not reversible
    )
    answer = from_library(text, (), None)
    assert not answer.recognised and "ask your doctor" in answer.text


def test_the_first_frame_never_imports_the_name_library(tmp_path: Path) -> None:
    """Open a diary with medicines the tables lack, as the CLI does, build the app and draw
    its first frame in a fresh process: the library must not have been imported."""
    path = tmp_path / "d.db"
    db = open_database(path)
    from diazlog.domain.models import Medication
    from diazlog.store.queries.medications import save_medication

    save_medication(db, Medication(None, "Diazepam", is_diazepam=True))
    save_medication(db, Medication(None, "Qwertyzine"), look_up=lambda n: LibraryAnswer())
    db.close()
    code = (
        "import sys, asyncio\n"
        "from diazlog.opening import open_or_fail\n"
        "from diazlog.app import DiazlogApp\n"
        "from diazlog.store.queries.settings import set_setting\n"
        "from pathlib import Path\n"
        f"db = open_or_fail(Path({str(path)!r}))\n"
        "set_setting(db, 'welcomed', '1')\n"
        f"app = DiazlogApp(db, Path({str(path)!r}))\n"
        "async def main():\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        for key in 'mt':\n"
        "            await pilot.press(key)\n"
        "            await pilot.pause()\n"
        "asyncio.run(main())\n"
        "print('drug_named_entity_recognition' in sys.modules)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert found.stdout.strip().splitlines()[-1:] == ["False"], found.stderr[-2000:]


def test_a_brand_the_library_resolved_raises_the_opioid_flag(tmp_path: Path) -> None:
    """End to end: `diazlog log` adds Zydol (only the library knows it is tramadol) with
    diazepam; `diazlog flags` warns of the opioid."""
    from diazlog.cli import cli

    path = tmp_path / "d.db"
    open_database(path).close()
    runner = CliRunner()
    day = "yesterday"
    for spec in ("5@08:00", "Zydol:50@09:00"):
        result = runner.invoke(cli, ["--db", str(path), "log", "--date", day, "--dose", spec])
        assert result.exit_code == 0, result.output
    flags = runner.invoke(cli, ["--db", str(path), "flags", "--json"])
    assert flags.exit_code == 0, flags.output
    assert "Zydol (an opioid) with diazepam" in flags.output
    stored = (
        open_database(path)
        .execute("SELECT drug_class FROM medications WHERE name = 'Zydol'")
        .fetchone()
    )
    assert stored == ("opioid",)


async def test_the_medicine_form_resolves_offers_and_counts_in_tablets(
    make_app, db_path: Path
) -> None:
    """In the app: a brand only the library knows is shown as what it is, in a worker, and
    saved with its class; a misspelling is offered, applied only on ctrl+y; the combination
    it names then counts in tablets."""
    from textual.widgets import Select, Static

    from diazlog.store.queries.medications import list_medications
    from tests.screens.test_medicines import cells, fill, open_medicines, seed

    seed(db_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_medicines(pilot)
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, name="Zydol")
        await pilot.pause()  # the Changed event starts the worker
        await app.workers.wait_for_complete()
        await pilot.pause()  # its answer arrives as a message
        line = str(app.screen.query_one("#name-class", Static).render())
        assert line == "Zydol → tramadol: opioid — the red-flag rules watch it with diazepam."
        assert app.screen.query_one("#category", Select).value == "opioid"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert ["Zydol", "opioid ⚠"] in [row[:2] for row in cells(screen, "medicines")]

        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, name="Cocodamol")
        await pilot.pause()  # the Changed event starts the worker
        await app.workers.wait_for_complete()
        await pilot.pause()  # its answer arrives as a message
        line = str(app.screen.query_one("#name-class", Static).render())
        assert line.endswith("Did you mean co-codamol? ctrl+y uses it.")
        assert "not recognised" in line
        assert app.screen.query_one("#unit", Select).value == "mg"  # nothing applied yet
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.screen.query_one("#name").value == "co-codamol"  # type: ignore[attr-defined]
        assert app.screen.query_one("#unit", Select).value == "tablet"
        # The cursor is at the end, so what is typed next follows the name (a review saw
        # "co-codamo 30/500l").
        await pilot.press("space", "3", "0", "/", "5", "0", "0")
        await pilot.pause()
        assert app.screen.query_one("#name").value == "co-codamol 30/500"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        rows = [row[:2] for row in cells(screen, "medicines")]
        assert ["co-codamol 30/500", "opioid ⚠"] in rows
    db = open_database(db_path)
    saved = {m.name: (m.drug_class, m.unit) for m in list_medications(db)}
    assert saved["Zydol"] == ("opioid", "mg")
    assert saved["co-codamol 30/500"] == ("opioid", "tablet")
    # The form's lookup was kept: the diary knows Zydol without asking the library again.
    assert cached_answer(db, "Zydol") == LibraryAnswer(("tramadol",))


async def test_medicines_brings_an_old_diarys_unknown_brand_up_to_date(
    make_app, db_path: Path
) -> None:
    """A diary written before the library: "Zydol" stored with no class. Opening Medicines
    asks the library once, in a worker, and the opioid is watched from then on."""
    from diazlog.store.queries.medications import list_medications
    from tests.screens.test_medicines import cells, open_medicines, seed

    seed(db_path)
    db = open_database(db_path)
    db.execute(
        "INSERT INTO medications (name, category, unit, drug_class) "
        "VALUES ('Zydol', 'pain', 'mg', '')"
    )
    # An imported row whose class says nothing, though the tables know the name.
    db.execute(
        "INSERT INTO medications (name, category, unit, drug_class) "
        "VALUES ('Kapake 30/500', 'pain', 'tablet', '')"
    )
    db.conn.commit()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_medicines(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ["Zydol", "opioid ⚠"] in [row[:2] for row in cells(screen, "medicines")]
    stored = {m.name: m.drug_class for m in list_medications(open_database(db_path))}
    assert stored["Zydol"] == stored["Kapake 30/500"] == "opioid"
    assert cached_answer(open_database(db_path), "Zydol") == LibraryAnswer(("tramadol",))


@given(
    st.lists(
        st.sampled_from([r.name for r in table()] + [p.name for p in products()]),
        min_size=1,
        max_size=4,
    )
)
def test_a_mixture_is_as_serious_as_its_most_serious_part(names: list[str]) -> None:
    """Whatever names are put together, the whole carries every part's classes, most urgent
    first, and never fewer than any part alone."""
    whole = from_tables(" + ".join(names))
    assert whole is not None and whole.recognised
    parts = [from_tables(n) for n in names]
    union = {c for p in parts if p is not None for c in p.classes}
    assert set(whole.classes) == union
    assert list(whole.classes) == [c for c in DrugClass if c in union]


def test_a_v2_diary_s_combination_brand_is_classed_on_upgrade(tmp_path: Path) -> None:
    """Zapain saved before schema 3 had no class; the upgrade reads it from the product table
    (no library needed) and keeps the unit the user had."""
    import shutil
    import sqlite3

    from tests.support.helpers import FIXTURES

    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "schema-v2.db", path)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO medications (name, category, unit, drug_class) VALUES ('Zapain', 'pain', "
        "'mg', '')"
    )
    conn.commit()
    conn.close()
    db = open_database(path)
    row = db.execute(
        "SELECT drug_class, strength, unit FROM medications WHERE name = 'Zapain'"
    ).fetchone()
    assert tuple(row) == ("opioid", "30/500", "mg")


@pytest.mark.parametrize("typed", ["Qwertyzine", "Feminax", "50 mg", ""])
def test_noise_gets_no_answer_and_no_guess(typed: str) -> None:
    """Must-not cases: made-up names, a guess below the similarity floor (Feminax would be
    'anistreplase' at 0.43), and words with no letters are neither recognised nor guessed."""
    assert drug_library.look_up(typed) == LibraryAnswer()


async def test_a_library_that_fails_loses_nothing(
    make_app, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library not installed or failing: the form says it could not look the name up,
    the medicine is saved (unrecognised, not cached, so asked again later), the app runs on."""
    from textual.widgets import Static

    from diazlog.store.queries.medications import list_medications
    from tests.screens.test_medicines import fill, open_medicines, seed

    def broken(name: str) -> LibraryAnswer:
        raise ImportError("No module named 'drug_named_entity_recognition'")

    monkeypatch.setattr(drug_library, "look_up", broken)
    seed(db_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_medicines(pilot)
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, name="Zydol")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        line = str(app.screen.query_one("#name-class", Static).render())
        assert line == "Could not look Zydol up: ask your doctor how it mixes with diazepam."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
    db = open_database(db_path)
    saved = {m.name: m.drug_class for m in list_medications(db)}
    assert saved["Zydol"] == ""
    assert cached_answer(db, "Zydol") is None  # nothing kept: asked again another time


async def test_a_name_with_brackets_shows_as_typed(make_app, db_path: Path) -> None:
    """The line under the name repeats what was typed: "[/b]" is text, not markup (as
    markup it would stop the app)."""
    from textual.widgets import Static

    from tests.screens.test_medicines import cells, fill, open_medicines, seed

    seed(db_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_medicines(pilot)
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, name="Zapain [/b] 30/500")
        await pilot.pause()
        line = str(app.screen.query_one("#name-class", Static).render())
        assert line.startswith("Zapain [/b] 30/500 → co-codamol: codeine (opioid)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert ["Zapain [/b] 30/500", "opioid ⚠"] in [r[:2] for r in cells(screen, "medicines")]
        detail = str(screen.query_one("#med-detail", Static).render())
        assert "Zapain [/b] 30/500" in detail or "co-codamol" in detail
