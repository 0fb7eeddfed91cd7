"""Export every table to CSV / JSON and take it back: nothing lost, nothing doubled, bad rows
reported with file, line and why, and nothing half-imported."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from diazlog.store import open_database
from diazlog.store.file.diary_id import DIARY_ID_KEY
from diazlog.transfer.export import MANIFEST
from diazlog.transfer.tables import DERIVED_TABLES
from tests.support.helpers import VERSIONED, dump, invoke, settle

# Every command reads the same fixed time (conftest.fixed_clock).
pytestmark = pytest.mark.usefixtures("fixed_clock")

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


def full_db(tmp_path: Path) -> Path:
    """A database with rows in every table (the latest schema fixture, migrated)."""
    path = tmp_path / "full" / "diazlog.db"
    path.parent.mkdir()
    shutil.copyfile(VERSIONED[-1], path)
    open_database(path).close()
    return path


def fresh_db(tmp_path: Path, name: str = "fresh") -> Path:
    path = tmp_path / name / "diazlog.db"
    open_database(path).close()
    return path


def stamped_now_where_unknown(
    target: dict[str, list[dict[str, object]]], source: dict[str, list[dict[str, object]]]
) -> dict[str, list[dict[str, object]]]:
    """`target` with each row's updated_at set back to None where the source row had none: a
    row whose last change is unknown (written before schema 5) is stamped when the import
    writes it, which is the only difference allowed."""
    out = {}
    for table, rows in target.items():
        before = source.get(table, [])
        out[table] = [
            {**row, "updated_at": None}
            if "updated_at" in row and i < len(before) and before[i].get("updated_at") is None
            else row
            for i, row in enumerate(rows)
        ]
    return out


def without_diary_id(
    rows: dict[str, list[dict[str, object]]],
) -> dict[str, list[dict[str, object]]]:
    """A dump without the diary's own id, which its first export makes (store/diary_id.py) and
    which is in the manifest, never in the rows."""
    return {
        t: [r for r in rs if not (t == "settings" and r.get("key") == DIARY_ID_KEY)]
        for t, rs in rows.items()
    }


def export_to(db_path: Path, out: Path, fmt: str = "csv") -> Path:
    result = invoke(db_path, "export", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_gives_back_every_row(tmp_path: Path, fmt: str) -> None:
    source = full_db(tmp_path)
    out = export_to(source, tmp_path / "out", fmt)
    # The drug-name library's cached answers are the diary's own, never exported.
    tables = {
        t: rows for t, rows in without_diary_id(dump(source)).items() if t not in DERIVED_TABLES
    }
    assert {p.name for p in out.iterdir()} == {f"{t}.{fmt}" for t in tables} | {MANIFEST}
    target = fresh_db(tmp_path)
    result = invoke(target, "import", str(out))
    assert result.exit_code == 0, result.output
    rows = sum(len(r) for r in tables.values())
    # The 6 built-in symptoms are there already; the fixture's diary was started before
    # Rebound tension's description changed, so the import brings back its older text.
    assert f"{rows - 6} rows added, 1 changed, 5 already there" in result.output
    assert stamped_now_where_unknown(dump(target), tables) == {**tables, "medicine_lookups": []}
    # The same export a second time changes nothing at all.
    again = invoke(target, "import", str(out))
    assert f"0 rows added, 0 changed, {rows} already there" in again.output
    assert stamped_now_where_unknown(dump(target), tables) == {**tables, "medicine_lookups": []}
    # And exporting the copy gives the same files.
    # (Tables with rows stamped by the import, as above, differ only in those stamps.)
    second = export_to(target, tmp_path / "out2", fmt)
    restamped = {t for t, rs in tables.items() if any(r.get("updated_at", 1) is None for r in rs)}
    for file in out.iterdir():
        if file.name != MANIFEST and file.name.rsplit(".", 1)[0] not in restamped:
            assert file.read_bytes() == (second / file.name).read_bytes(), file.name
    assert stamped_now_where_unknown(without_diary_id(dump(target)), tables) == {
        **tables,
        "medicine_lookups": [],
    }


def test_csv_has_headers_and_iso_dates(tmp_path: Path) -> None:
    source = full_db(tmp_path)
    out = export_to(source, tmp_path / "out")
    with (out / "days.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(dump(source)["days"][0])
    assert all(ISO_DATE.match(r["date"]) and ISO_DATETIME.match(r["updated_at"]) for r in rows)
    with (out / "doses.csv").open() as handle:
        assert all(ISO_DATETIME.match(r["taken_at"]) for r in csv.DictReader(handle))
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["tables"]["days"] == len(rows) == 21
    assert manifest["exported_at"] == "2026-11-25T21:30:00"


def test_importing_into_the_same_database_changes_nothing(tmp_path: Path) -> None:
    source = full_db(tmp_path)
    before = dump(source)
    for fmt in ("csv", "json"):
        out = export_to(source, tmp_path / fmt, fmt)
        result = invoke(source, "import", str(out))
        assert "0 rows added, 0 changed" in result.output
    assert without_diary_id(dump(source)) == before


def edit_csv(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell; `line` counts as an editor does (1 is the header)."""
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def resign(out: Path) -> None:
    """Write the edited files' checksums into the manifest, as if exported so (to reach the
    row checks behind the checksum check)."""
    manifest = json.loads((out / MANIFEST).read_text())
    for name, entry in manifest["files"].items():
        entry["sha256"] = hashlib.sha256((out / name).read_bytes()).hexdigest()
    (out / MANIFEST).write_text(json.dumps(manifest))


def corrupt_export(tmp_path: Path) -> Path:
    out = export_to(full_db(tmp_path), tmp_path / "out")
    edit_csv(out / "days.csv", 5, "sleep_hours", "abc")
    edit_csv(out / "ratings.csv", 3, "intensity", "11")
    edit_csv(out / "doses.csv", 2, "taken_at", "yesterday")
    resign(out)
    return out


def test_bad_rows_are_reported_and_nothing_is_imported(tmp_path: Path) -> None:
    out = corrupt_export(tmp_path)
    target = fresh_db(tmp_path)
    before = dump(target)
    result = invoke(target, "import", str(out))
    assert result.exit_code == 2
    err = result.stderr
    assert "days.csv, line 5: sleep_hours: 'abc' is not a number" in err
    assert "ratings.csv, line 3: intensity: '11' is not a rating" in err
    assert "doses.csv, line 2: taken_at: 'yesterday' is not a date and time" in err
    assert err.strip().splitlines()[-1].startswith("diazlog: 3 bad rows; nothing was imported")
    assert "Traceback" not in err
    assert dump(target) == before


def test_skip_bad_imports_the_rest_and_names_what_it_skipped(tmp_path: Path) -> None:
    out = corrupt_export(tmp_path)
    with (out / "days.csv").open() as handle:
        bad_day = list(csv.DictReader(handle))[3]["date"]
    target = fresh_db(tmp_path)
    result = invoke(target, "import", str(out), "--skip-bad")
    assert result.exit_code == 0, result.output
    after = dump(target)
    assert bad_day not in {r["date"] for r in after["days"]}
    assert len(after["days"]) == 20
    # The skipped day's ratings cannot stand without it: reported, not crashed.
    assert "refers to something that is not there" in result.stderr
    assert "skipped ratings.csv, line 3" in result.stderr


def test_a_cut_short_export_is_refused(tmp_path: Path) -> None:
    out = export_to(full_db(tmp_path), tmp_path / "out")
    ratings = out / "ratings.csv"
    ratings.write_text("".join(ratings.read_text().splitlines(keepends=True)[:-10]))
    target = fresh_db(tmp_path)
    before = dump(target)
    result = invoke(target, "import", str(out))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ratings.csv is not the file that was exported" in lines[0]
    assert dump(target) == before
    resign(out)  # the checksum now agrees, but the row count still does not
    result = invoke(target, "import", str(out))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "85 rows, the export listed 95" in lines[0]
    assert dump(target) == before


def test_an_export_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    out = export_to(full_db(tmp_path), tmp_path / "out")
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["schema_version"] = 99
    (out / MANIFEST).write_text(json.dumps(manifest))
    result = invoke(fresh_db(tmp_path), "import", str(out))
    assert result.exit_code == 2
    assert "newer diazlog" in result.stderr


def test_one_table_file_imports_alone(tmp_path: Path) -> None:
    out = export_to(full_db(tmp_path), tmp_path / "out", "json")
    target = fresh_db(tmp_path)
    result = invoke(target, "import", str(out / "medications.json"))
    assert result.exit_code == 0, result.output
    assert [m["name"] for m in dump(target)["medications"]] == ["Diazepam", "Ibuprofen", "Zapain"]


TRACKER = """Date,Leg pain,cramps,Leg weakness,sleep_hours,Note
2026-11-01,6,3,,7.5,long walk
2026-11-02,4,,1,,
2026-11-03 08:15,7,0,,,"stairs, then cramps"
"""


def test_a_tracker_csv_of_date_and_ratings(tmp_path: Path) -> None:
    file = tmp_path / "other-app.csv"
    file.write_text(TRACKER)
    target = fresh_db(tmp_path)
    result = invoke(target, "import", str(file))
    assert result.exit_code == 0, result.output
    db = open_database(target)
    from diazlog.store.queries.days import load_day

    first = load_day(db, "2026-11-01")
    assert first is not None
    assert {r.symptom_id: r.intensity for r in first.ratings} == {1: 6, 3: 3}
    assert first.sleep_hours == 7.5 and first.note == "long walk"
    third = load_day(db, "2026-11-03")
    assert third is not None and third.note == "stairs, then cramps"
    assert {r.symptom_id: r.intensity for r in third.ratings} == {1: 7, 3: 0}
    again = invoke(target, "import", str(file))
    assert "0 rows added, 0 changed, 9 already there" in again.output


def test_a_tracker_csv_does_not_touch_the_rest_of_a_day(tmp_path: Path) -> None:
    target = full_db(tmp_path)
    before = dump(target)
    file = tmp_path / "other.csv"
    file.write_text("date,fatigue\n2025-03-02,9\n")
    assert invoke(target, "import", str(file)).exit_code == 0
    after = dump(target)
    assert after["doses"] == before["doses"] and after["days"] == before["days"]
    assert {"date": "2025-03-02", "symptom_id": 5, "intensity": 9} in [
        {k: r[k] for k in ("date", "symptom_id", "intensity")} for r in after["ratings"]
    ]


def test_a_tracker_csv_with_an_unknown_symptom(tmp_path: Path) -> None:
    file = tmp_path / "other.csv"
    file.write_text("date,headache\n2026-11-01,3\n")
    result = invoke(fresh_db(tmp_path), "import", str(file))
    assert result.exit_code == 2
    assert "line 1: no symptom called 'headache'" in result.stderr


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("date,leg_pain\n2026-11-01,6\n2026-11-01,7\n", "line 3: 2026-11-01 is also on line 2"),
        ("date,leg_pain\n2099-01-01,6\n", "line 2: 2099-01-01 is in the future"),
        ("date,leg_pain\n01/11/2026,6\n", "line 2: '01/11/2026' is not a date"),
        ("date,leg_pain\n2026-11-01,6,5\n", "line 2: 3 cells, the header has 2"),
        ('date,leg_pain\n2026-11-01,"6"x\n', "line 2: not valid CSV"),
    ],
)
def test_bad_tracker_rows(tmp_path: Path, text: str, words: str) -> None:
    file = tmp_path / "other.csv"
    file.write_text(text)
    target = fresh_db(tmp_path)
    result = invoke(target, "import", str(file))
    assert result.exit_code == 2
    assert words in result.stderr, result.stderr
    assert dump(target)["ratings"] == []


@pytest.mark.parametrize("terminal", [True, False])
def test_a_large_file_shows_progress_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    from datetime import date, timedelta

    monkeypatch.setattr("diazlog.commands.import_.stderr_is_terminal", lambda: terminal)

    start = date(2005, 1, 1)
    lines = ["date,leg_pain,cramps"] + [
        f"{start + timedelta(days=n)},{n % 11},{(n * 3) % 11}" for n in range(6000)
    ]
    file = tmp_path / "years.csv"
    file.write_text("\n".join(lines) + "\n")
    target = fresh_db(tmp_path)
    result = invoke(target, "import", str(file))
    assert result.exit_code == 0, result.output
    assert ("Importing" in result.stderr) is terminal, result.stderr
    assert "18000 rows added" in result.output
    assert len(dump(target)["days"]) == 6000


async def test_export_from_the_command_palette(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"as csv")
        await settle(pilot)  # the palette's search worker has finished
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        folders = list((db_path.parent / "exports").iterdir())
        assert [f.name for f in folders] == ["2026-11-25-213000-csv"]
        assert (folders[0] / "days.csv").read_text().startswith("date,walking_interference")
        assert any("Exported every table as CSV" in n.message for n in app._notifications)


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("medications.json", '[{"id": 99999999999999999999999, "name": "x"}]', "too large"),
        ("ratings.json", '[{"date": "2026-01-01", "symptom_id": 1e20, "intensity": 3}]', "large"),
        ("ratings.json", '[{"date": "2026-01-01", "symptom_id": 1, "intensity": NaN}]', "rating"),
        ("ratings.json", '{"date": "2026-01-01"}', "expected a JSON array"),
        ("symptoms.csv", "id,key,name,position\n9,foo,Foo,1e400\n", "not a whole number"),
        ("days.csv", "date,updated_at,mood\n2026-01-01,2026-01-01T08:00,3\n", "unknown column"),
    ],
)
def test_numbers_and_shapes_sqlite_cannot_take(
    tmp_path: Path, name: str, text: str, words: str
) -> None:
    """Found by hand after the fuzz tests: a 2**64 id used to end in an OverflowError."""
    file = tmp_path / name
    file.write_text(text)
    target = fresh_db(tmp_path)
    before = dump(target)
    result = invoke(target, "import", str(file))
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    assert dump(target) == before
