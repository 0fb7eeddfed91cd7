"""Bad input everywhere: random text into every field of Today (driving the real app), into
`diazlog log` and into import rows. No exception reaches the user; nothing is half-saved."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, TextArea

from diazlog.app import DiazlogApp
from diazlog.cli import cli
from diazlog.domain import limits
from diazlog.domain.models import Category, Medication
from diazlog.domain.validation import (
    InvalidInput,
    check_note,
    check_text,
    parse_duration,
    parse_number,
    parse_optional_time,
)
from diazlog.store import open_database
from diazlog.store.queries.days import load_day
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.settings import set_setting
from tests.conftest import ratings
from tests.support.helpers import NOW, TODAY, dump

LIFESTYLE = ("activity_min", "water_glasses", "sleep_hours", "alcohol_units")
TRICKY = [
    "",
    " ",
    "0",
    "7",
    "7.5",
    "7,5",
    "-1",
    "24",
    "24.01",
    "1440",
    "1441",
    "1e3",
    "1e309",
    "nan",
    "inf",
    "-0",
    "0x10",
    "١٢",
    "½",
    " 5 ",
    "99999999999999999999",
    "5\n",
    "\x00",
    "🦵",
    "08:00",
    "25:61",
    "2400",
    "8.05",
    "abc",
    "'; DROP TABLE days; --",
]
field_text = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=25),
)
note_text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    st.sampled_from(["x" * limits.NOTE_MAX_CHARS, "x" * (limits.NOTE_MAX_CHARS + 1), "  \n "]),
)
FUZZ = settings(
    # Each example starts the real app (~1 s). The breadth of texts is tried on the parsers
    # themselves (tests/domain/test_validation_properties.py, hundreds of texts a second);
    # here a few examples show the screens pass what the parsers say through unchanged.
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def valid(parse, text: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        parse(text)
    except InvalidInput:
        return False
    return True


def new_app(folder: Path, *, with_diazepam: bool = False) -> tuple[DiazlogApp, Path]:
    path = folder / "data" / "diazlog.db"
    db = open_database(path)
    set_setting(db, "welcomed", "1")
    if with_diazepam:
        save_medication(
            db,
            Medication(None, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True, usual_amount=5),
        )
    return DiazlogApp(db, path, clock=lambda: NOW), path


def saved_today(path: Path):  # type: ignore[no-untyped-def]
    db = open_database(path)
    try:
        return load_day(db, TODAY)
    finally:
        db.close()


async def type_into(pilot, widget, text: str, keys: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Paste the text in; with `keys`, type it like a person when it is plain keys."""
    if isinstance(widget, TextArea):
        widget.text = text
    elif keys and text.isascii() and text.isalnum() and len(text) <= 3:
        widget.value = ""
        widget.focus()
        await pilot.press(*text)  # each key costs ~0.1 s under the pilot: short ones only
    else:
        widget.value = text


async def submit_then_save(pilot, dialog, fields: dict[str, str], typed: str) -> bool:  # type: ignore[no-untyped-def]
    """Fill a dialog's Inputs, submit it (escape if refused), then save the day.

    Returns whether the dialog accepted the values; `typed` is the field typed key by key.
    """
    for widget_id, text in fields.items():
        await type_into(
            pilot, dialog.query_one(f"#{widget_id}", Input), text, keys=widget_id == typed
        )
    await pilot.press("ctrl+s")
    await pilot.pause()
    accepted = pilot.app.screen is not dialog
    if not accepted:
        await pilot.press("escape")
        await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    return bool(accepted)


@FUZZ
@given(
    rounds=st.lists(
        st.fixed_dictionaries({**{name: field_text for name in LIFESTYLE}, "note": note_text}),
        min_size=1,
        max_size=2,
    ),
    rating=st.one_of(st.none(), st.integers(0, 9)),
)
@example(  # a whole valid day, then a bad one on top of it: the saved day must stay
    rounds=[
        {
            "activity_min": "30",
            "water_glasses": "6",
            "sleep_hours": "7,5",
            "alcohol_units": "",
            "note": "walked",
        },
        {
            "activity_min": "abc",
            "water_glasses": "6",
            "sleep_hours": "7",
            "alcohol_units": "1",
            "note": "changed",
        },
    ],
    rating=7,
)
def test_today_fields_take_any_text(rounds: list[dict[str, str]], rating: int | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app, path = new_app(Path(folder))

        async def run() -> None:
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                screen = app.screen
                if rating is not None:
                    ratings(app).focus_row(ratings(app).rows[0].key)
                    await pilot.press(str(rating))
                for values in rounds:
                    before = saved_today(path)
                    for name in LIFESTYLE:
                        await type_into(
                            pilot, screen.query_one(f"#field-{name}", Input), values[name]
                        )
                    await type_into(
                        pilot, screen.query_one("#field-note", TextArea), values["note"]
                    )
                    await pilot.press("ctrl+s")
                    await pilot.pause()
                    after = saved_today(path)
                    ok = all(
                        valid(
                            lambda t, n=n: parse_number(t, limits.DAY_FIELDS_BY_NAME[n]), values[n]
                        )
                        for n in LIFESTYLE
                    ) and valid(check_note, values["note"])
                    if not ok:
                        assert after == before, "an invalid form changed the database"
                        assert screen.dirty
                        continue
                    if after is None:  # an empty form is not saved at all
                        continue
                    for name in LIFESTYLE:
                        want = parse_number(values[name], limits.DAY_FIELDS_BY_NAME[name])
                        assert getattr(after, name) == want, name
                    assert after.note == check_note(values["note"])
                    assert [r.intensity for r in after.ratings] == (
                        [] if rating is None else [rating]
                    )

        asyncio.run(run())


@settings(FUZZ, max_examples=2)
@given(onset=field_text, duration=field_text, worse=field_text, note=note_text)
@example(onset="8.05", duration="45", worse="stairs", note="left calf")
def test_rating_details_take_any_text(onset: str, duration: str, worse: str, note: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app, path = new_app(Path(folder))

        async def run() -> None:
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                ratings(app).focus_row(ratings(app).rows[0].key)
                await pilot.press("6", "up", "enter")  # a digit moves on
                await pilot.pause()
                dialog = app.screen
                assert dialog.__class__.__name__ == "RatingDetailDialog"
                fields = {"onset": onset, "duration": duration, "worse": worse, "note": note}
                accepted = await submit_then_save(pilot, dialog, fields, typed="duration")

            ok = (
                valid(parse_optional_time, onset)
                and valid(parse_duration, duration)
                and valid(lambda t: check_text(t, "x"), worse)
                and valid(check_note, note)
            )
            assert accepted == ok
            saved = saved_today(path)
            assert saved is not None and len(saved.ratings) == 1
            detail = saved.ratings[0]
            assert detail.intensity == 6
            if ok:
                assert detail.onset == parse_optional_time(onset)
                assert detail.duration_min == parse_duration(duration)
                assert detail.worse_with == (check_text(worse, "x") or None)
                assert detail.note == (check_note(note) or None)
            else:
                assert not detail.has_detail

        asyncio.run(run())


@settings(FUZZ, max_examples=2)
@given(time=field_text, amount=field_text, note=field_text)
@example(time="0805", amount="2,5", note="")
def test_dose_fields_take_any_text(time: str, amount: str, note: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app, path = new_app(Path(folder), with_diazepam=True)

        async def run() -> bool:
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                await pilot.press("a")
                await pilot.pause()
                dialog = app.screen
                assert dialog.__class__.__name__ == "DoseDialog"
                fields = {"time": time, "amount": amount, "note": note}
                return await submit_then_save(pilot, dialog, fields, typed="amount")

        accepted = asyncio.run(run())
        saved = saved_today(path)
        doses = saved.doses if saved else ()
        assert len(doses) == (1 if accepted else 0)
        if accepted:
            assert 0 < doses[0].amount <= limits.MAX_DIAZEPAM_DOSE_MG


# -- diazlog log --------------------------------------------------------------------------------

assignment = st.one_of(
    st.tuples(
        st.sampled_from(["leg_pain", "cramps", "sleep_hours", "water_glasses", "nope", ""]),
        field_text,
    ).map(lambda kv: f"{kv[0]}={kv[1]}"),
    field_text,
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    args=st.lists(assignment, max_size=4),
    doses=st.lists(field_text, max_size=2),
    note=st.one_of(st.none(), note_text),
    day=st.one_of(
        st.none(), st.sampled_from(["2026-11-20", "2026-11-26", "1899-01-01"]), field_text
    ),
)
def test_log_command_takes_any_arguments(
    tmp_path_factory, args: list[str], doses: list[str], note: str | None, day: str | None
) -> None:
    import diazlog.commands.log as log_command

    path = tmp_path_factory.mktemp("log") / "diazlog.db"
    db = open_database(path)
    save_medication(
        db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True, usual_amount=5)
    )
    db.close()
    before = dump(path)
    options = [x for d in doses for x in ("--dose", d)]
    if note is not None:
        options += ["--note", note]
    if day is not None:
        options += ["--date", day]
    argv = ["--db", str(path), "log", *options, "--", *args]
    original = log_command.now
    log_command.now = lambda: NOW
    try:
        result = CliRunner().invoke(cli, argv)
    finally:
        log_command.now = original
    assert result.exit_code in (0, 2), (argv, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert dump(path) == before, "a refused log changed the database"
    else:
        after = dump(path)
        assert after != before or not (args or doses or note)


# -- import rows --------------------------------------------------------------------------------

big_numbers = st.sampled_from([2**63 - 1, 2**63, -(2**63) - 1, 10**30, 1e20, 1e308, -0.0])
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | big_numbers | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2)
    ),
    max_leaves=4,
)
GOOD = st.sampled_from(
    ["2026-01-01", "2026-01-01T08:00", 1, 0, 3, 5.0, "21:30", "left", "other", "fall", "mine", ""]
)


def _columns() -> dict[str, list[str]]:
    from sqlite_utils import Database

    from diazlog.store.file import schema
    from diazlog.transfer.tables import tables

    db = Database(memory=True)
    schema.migrate(db)
    return {t.name: list(t.column_names) for t in tables(db)}


COLUMNS = _columns()
DAY_COLUMNS = ["date", *limits.DAY_FIELDS_BY_NAME, "stretched", "note", "updated_at"]
day_cell = st.one_of(
    field_text,
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2026-01-01", "2026-01-01T08:00:00", "1", "0", "5"]),
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(st.fixed_dictionaries({c: day_cell for c in DAY_COLUMNS}), max_size=6),
    skip_bad=st.booleans(),
)
def test_import_of_any_csv_rows(
    tmp_path_factory, rows: list[dict[str, str]], skip_bad: bool
) -> None:
    import diazlog.commands.import_ as import_command

    folder = tmp_path_factory.mktemp("import")
    path = folder / "diazlog.db"
    open_database(path).close()
    before = dump(path)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, DAY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "days.csv").write_text(buffer.getvalue())
    original = import_command.now
    import_command.now = lambda: NOW
    try:
        argv = ["--db", str(path), "import", str(folder / "days.csv")]
        result = CliRunner().invoke(cli, argv + (["--skip-bad"] if skip_bad else []))
    finally:
        import_command.now = original
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2), result.output
    after = dump(path)
    if result.exit_code == 2:
        assert after == before, "a refused import changed the database"
        assert "nothing was imported" in result.stderr
    elif not skip_bad:
        file_dates = {
            r["date"]
            for r in csv.DictReader(io.StringIO(buffer.getvalue()))
            if any(v.strip() for v in r.values())
        }
        assert {r["date"] for r in after["days"]} == file_dates  # all of them, whole


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    table_rows=st.sampled_from(sorted(COLUMNS)).flatmap(
        lambda table: st.tuples(
            st.just(table),
            st.lists(
                st.one_of(
                    json_value,
                    st.dictionaries(
                        st.sampled_from([*COLUMNS[table], "x"]), json_value | GOOD, max_size=9
                    ),
                ),
                max_size=5,
            ),
        )
    ),
    skip_bad=st.booleans(),
)
@example(
    table_rows=("ratings", [{"date": "2026-01-01", "symptom_id": 2**64, "intensity": 3}]),
    skip_bad=False,
)
def test_import_of_any_json_rows(
    tmp_path_factory, table_rows: tuple[str, list[object]], skip_bad: bool
) -> None:
    """Any table, any JSON: exit 0 or 2, never an exception; a refusal changes nothing."""
    table, rows = table_rows
    folder = tmp_path_factory.mktemp("json")
    path = folder / "diazlog.db"
    db = open_database(path)
    db.execute("INSERT INTO days (date, updated_at) VALUES ('2026-01-01', '2026-01-01T00:00')")
    db.execute("INSERT INTO medications (id, name) VALUES (1, 'Diazepam')")
    db.conn.commit()
    db.close()
    before = dump(path)
    (folder / f"{table}.json").write_text(json.dumps(rows))
    argv = ["--db", str(path), "import", str(folder / f"{table}.json")]
    result = CliRunner().invoke(cli, argv + (["--skip-bad"] if skip_bad else []))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert dump(path) == before
