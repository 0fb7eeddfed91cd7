"""Exports and imports whole or not at all: a manifest with checksums written last, formula-like
CSV cells made harmless and given back exactly, and JSON no real export could be refused."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import Result

from diazlog.domain.models import DayLog
from diazlog.store import open_database
from diazlog.store.queries.days import save_day
from diazlog.transfer.export import FORMULA_STARTS, MANIFEST
from tests.support.helpers import NOW, dump, invoke

# Every command reads the same fixed time (conftest.fixed_clock).
pytestmark = pytest.mark.usefixtures("fixed_clock")

NOTES = ["=SUM(A1)", "-2 mg less", "+1 extra", "@home", "'quoted already", "\tafter a tab", "plain"]


def one_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.stderr
    return lines[0]


def diary(tmp_path: Path, name: str = "source") -> Path:
    path = tmp_path / name / "diazlog.db"
    db = open_database(path)
    for n, note in enumerate(NOTES):
        save_day(db, DayLog(f"2026-11-{n + 1:02d}", sleep_hours=6.5 + n, note=note), NOW)
    db.close()
    return path


def test_formula_like_notes_round_trip_through_csv(tmp_path: Path) -> None:
    source = diary(tmp_path)
    out = tmp_path / "out"
    assert invoke(source, "export", "--out", str(out)).exit_code == 0
    with (out / "days.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_note = {r["note"] for r in rows}
    assert {"'=SUM(A1)", "'-2 mg less", "'+1 extra", "'@home", "''quoted already"} <= by_note
    assert {"'\tafter a tab", "plain"} <= by_note
    assert [r["sleep_hours"] for r in rows] == [str(6.5 + n) for n in range(len(NOTES))]
    for file in out.glob("*.csv"):  # no cell of any table can start a formula
        with file.open(newline="") as handle:
            for cells in csv.reader(handle):
                assert not [c for c in cells if c.startswith(FORMULA_STARTS)], (file, cells)
    target = tmp_path / "target" / "diazlog.db"
    open_database(target).close()
    result = invoke(target, "import", str(out))
    assert result.exit_code == 0, result.output
    assert [d["note"] for d in dump(target)["days"]] == NOTES
    assert dump(target)["days"] == dump(source)["days"]


def test_the_manifest_lists_each_file_with_rows_and_checksum(tmp_path: Path) -> None:
    import hashlib

    out = tmp_path / "out"
    assert invoke(diary(tmp_path), "export", "--out", str(out), "--format", "json").exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    days = manifest["files"]["days.json"]
    assert days["rows"] == len(NOTES) == manifest["tables"]["days"]
    assert days["sha256"] == hashlib.sha256((out / "days.json").read_bytes()).hexdigest()
    assert set(manifest["files"]) | {MANIFEST} == {p.name for p in out.iterdir()}
    assert oct(out.stat().st_mode & 0o777) == "0o700"
    assert {oct(p.stat().st_mode & 0o777) for p in out.iterdir()} == {"0o600"}


@pytest.mark.parametrize("damage", ["no manifest", "no checksums", "manifest cut short"])
def test_an_export_without_a_complete_manifest_is_refused(tmp_path: Path, damage: str) -> None:
    out = tmp_path / "out"
    assert invoke(diary(tmp_path), "export", "--out", str(out)).exit_code == 0
    manifest = out / MANIFEST
    if damage == "no manifest":
        manifest.unlink()
    elif damage == "no checksums":
        data = json.loads(manifest.read_text())
        del data["files"]
        manifest.write_text(json.dumps(data))
    else:
        manifest.write_text(manifest.read_text()[:200])
    target = tmp_path / "target" / "diazlog.db"
    open_database(target).close()
    before = dump(target)
    line = one_line(invoke(target, "import", str(out)))
    assert "nothing was imported" in line or "not a diazlog export manifest" in line, line
    assert dump(target) == before


def test_an_export_replaces_an_earlier_one_whole_and_never_a_foreign_folder(
    tmp_path: Path,
) -> None:
    source = diary(tmp_path)
    out = tmp_path / "out"
    assert invoke(source, "export", "--out", str(out), "--format", "json").exit_code == 0
    assert invoke(source, "export", "--out", str(out)).exit_code == 0  # now csv
    assert {p.suffix for p in out.iterdir() if p.name != MANIFEST} == {".csv"}  # no json left
    assert list(tmp_path.glob(".out.*")) == []
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "letter.txt").write_text("dear doctor")
    line = one_line(invoke(source, "export", "--out", str(mine)))
    assert "not a diazlog export" in line and "nothing was written or deleted" in line
    assert [p.name for p in mine.iterdir()] == ["letter.txt"]


def test_json_nested_deeper_than_any_export_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "target" / "diazlog.db"
    open_database(target).close()
    before = dump(target)
    deep = tmp_path / "days.json"
    deep.write_text("[" + "[" * 100_000 + "]" * 100_000 + "]")
    line = one_line(invoke(target, "import", str(deep)))
    assert "days.json, line 1: JSON nested deeper than any diazlog export" in line
    nested = tmp_path / "ratings.json"
    nested.write_text('[\n  {"date": "2026-11-01", "intensity": {"a": {"b": [1]}}}\n]\n')
    line = one_line(invoke(target, "import", str(nested)))
    assert "ratings.json, line 2: JSON nested deeper" in line
    folder = tmp_path / "export"
    assert invoke(diary(tmp_path), "export", "--out", str(folder)).exit_code == 0
    (folder / MANIFEST).write_text("[" * 100_000 + "]" * 100_000)
    assert "not a diazlog export manifest" in one_line(invoke(target, "import", str(folder)))
    assert dump(target) == before


def test_json_problems_still_name_their_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke(diary(tmp_path), "export", "--out", str(out), "--format", "json").exit_code == 0
    lines = (out / "days.json").read_text().splitlines()
    lines[5] = lines[5].replace('"sleep_hours": 10.5', '"sleep_hours": "lots"')
    (out / "days.json").write_text("\n".join(lines) + "\n")
    target = tmp_path / "target" / "diazlog.db"
    open_database(target).close()
    result = invoke(target, "import", str(out / "days.json"))  # one file: taken as edited
    assert result.exit_code == 2
    assert "days.json, line 6: sleep_hours: 'lots' is not a number" in result.stderr
