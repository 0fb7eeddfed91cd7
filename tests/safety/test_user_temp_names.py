"""Clearing what a killed write left never deletes the user's own files (review, 3 of 3):
export, backup --out and report --out removed everything beside the target matching the glob
`.NAME.*.tmp`, such as a folder `.taxes.2025.tmp` holding a tax return. Only temporaries named
as ours (`.NAME.diazlog-XXXXXXXX.tmp`, store/atomic.py) are removed, folders only when they hold
nothing but an export's files, and an earlier version's `.NAME.XXXXXXXX.tmp` only when plainly
ours (a plain SQLite copy or its journal, an export's folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.helpers import invoke

PDF = b"%PDF-1.7 precious"
SQLITE_HEADER = b"SQLite format 3\x00"
JOURNAL_HEADER = bytes.fromhex("d9d505f920a163d7")  # a rollback journal's


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under `folder` (None for a folder) with its bytes."""
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def users_things(folder: Path, name: str) -> None:
    """Folders and files of the user's beside the target `name`, named like temporaries."""
    folder.mkdir(parents=True, exist_ok=True)
    for dirname in (f".{name}.2025.tmp", f".{name}.diazlog-abcd1234.tmp", f".{name}.abcd1234.tmp"):
        (folder / dirname).mkdir()
        (folder / dirname / "return.pdf").write_bytes(PDF)
    (folder / f".{name}.mine.tmp").write_bytes(b"mine")
    (folder / f".{name}.draft.tmp").write_bytes(b"my draft")
    (folder / f".{name}.abcd1234.tmp-journal").write_bytes(b"my journal")  # old shape, not one
    (folder / f".{name}.efgh5678.tmp").write_bytes(b"a file of mine")  # old shape, no SQLite
    (folder / f".{name}.diazlog-efgh5678.tmp").mkdir()  # our file shape, but a folder
    (folder / f".{name}.diazlog-efgh5678.tmp" / "notes.txt").write_bytes(b"mine")
    (folder / f".{name}.diazlog-wxyz.tmp").write_bytes(b"not mkstemp's 8 characters")


CASES = [
    ("export", "taxes", ("export", "--format", "csv", "--out", "{out}")),
    ("backup", "copy.db", ("backup", "--out", "{out}")),
    ("report", "visit.md", ("report", "--out", "{out}")),
]


@pytest.mark.parametrize(("what", "name", "args"), CASES, ids=[c[0] for c in CASES])
def test_the_users_files_named_like_temporaries_survive(
    db_path: Path, tmp_path: Path, what: str, name: str, args: tuple[str, ...]
) -> None:
    folder = tmp_path / "p8"
    users_things(folder, name)
    before = snapshot(folder)
    out = folder / name
    result = invoke(db_path, *(a.replace("{out}", str(out)) for a in args))
    assert result.exit_code == 0, result.output
    after = snapshot(folder)
    assert {k: v for k, v in after.items() if k in before} == before
    made = {k.split("/")[0] for k in after if k not in before}
    assert made == {name}, made  # the target alone, no temporary left over


def test_the_users_folder_in_the_apps_exports_folder_survives(db_path: Path) -> None:
    """Every command clears what killed exports left in exports/ beside the diary."""
    exports = db_path.parent / "exports"
    users_things(exports, "2026-11-25-213000-csv")
    before = snapshot(exports)
    result = invoke(db_path, "status")
    assert result.exit_code == 0, result.output
    assert snapshot(exports) == before


def test_leftovers_of_killed_writes_are_still_removed(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    plain = SQLITE_HEADER + b"a plain page"
    ours = [
        folder / ".copy.db.diazlog-abcd1234.tmp",  # any content: the name is ours alone
        folder / ".copy.db.diazlog-abcd1234.tmp-journal",
        folder / ".copy.db.k9f3_a8b.tmp",  # an earlier version's plain copy
        folder / ".copy.db.k9f3_a8b.tmp-journal",
    ]
    ours[0].write_bytes(b"half")
    ours[1].write_bytes(b"half")
    ours[2].write_bytes(plain)
    ours[3].write_bytes(JOURNAL_HEADER + b"pages")
    exports = [
        folder / ".taxes.diazlog-x1y2z3w4.tmp",  # a killed export's folder, empty or half
        folder / ".taxes.diazlog-x1y2z3w5.tmp",
        folder / ".taxes.diazlog-x1y2z3w6.tmp",  # an earlier export set aside
        folder / ".taxes.x1y2z3w4.tmp",  # an earlier version's
    ]
    exports[0].mkdir()
    (exports[1] / "days.csv").parent.mkdir()
    (exports[1] / "days.csv").write_bytes(b"day\n")
    (exports[2] / "previous").mkdir(parents=True)
    (exports[2] / "previous" / "diazlog-export.json").write_bytes(b"{}")
    exports[3].mkdir()
    (exports[3] / "days.json").write_bytes(b"[]")
    assert invoke(db_path, "backup", "--out", str(folder / "copy.db")).exit_code == 0
    assert invoke(db_path, "export", "--out", str(folder / "taxes")).exit_code == 0
    assert [p for p in [*ours, *exports] if p.exists()] == []
    assert sorted(p.name for p in folder.iterdir()) == ["copy.db", "taxes"]
