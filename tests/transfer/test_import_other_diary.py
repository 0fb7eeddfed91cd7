"""Importing another diary's export adds its rows under ids of their own: two diaries both
number from 1, so a clash of ids is not a conflict between the same rows (it was dropped as
"kept as newer"). Only the same diary's rows are resolved by the newer stamp."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from diazlog.cli import cli
from diazlog.store import open_database
from diazlog.store.file.diary_id import DIARY_ID_KEY, diary_id
from diazlog.transfer.export import MANIFEST


def invoke(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), *args])


def add(db_path: Path, medicine: str, *times: str, question: str = "") -> None:
    conn = sqlite3.connect(db_path)
    med = conn.execute(
        "INSERT INTO medications (name, category) VALUES (?, 'pain')", [medicine]
    ).lastrowid
    for at in times:
        conn.execute(
            "INSERT INTO doses (medication_id, taken_at, amount) VALUES (?, ?, 1)", [med, at]
        )
    if question:
        conn.execute(
            "INSERT INTO questions (text, origin, created_at) VALUES (?, 'mine', '2026-01-01')",
            [question],
        )
    conn.commit()
    conn.close()


def rows(db_path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    found = conn.execute(sql).fetchall()
    conn.close()
    return found


DOSES = (
    "SELECT m.name, d.taken_at FROM doses d JOIN medications m ON m.id = d.medication_id "
    "ORDER BY m.name, d.taken_at"
)


def test_another_diarys_rows_are_added_with_their_references(tmp_path: Path, new_diary) -> None:
    mine = new_diary(tmp_path / "mine" / "diazlog.db")
    theirs = new_diary(tmp_path / "theirs" / "diazlog.db")
    add(mine, "Ibuprofen", "2026-03-01T08:00", question="Is it the dose?")
    add(theirs, "Baclofen", "2026-03-02T09:00", "2026-03-03T09:00", question="Why cramps?")
    assert invoke(theirs, "log", "--date", "2026-03-02", "cramps=6").exit_code == 0
    assert invoke(mine, "log", "--date", "2026-03-01", "leg_pain=2").exit_code == 0
    out = tmp_path / "export"
    assert invoke(theirs, "export", "--out", str(out)).exit_code == 0
    result = invoke(mine, "import", str(out))
    assert result.exit_code == 0, result.output
    assert "kept as newer" not in result.output
    assert rows(mine, DOSES) == [
        ("Baclofen", "2026-03-02T09:00"),
        ("Baclofen", "2026-03-03T09:00"),
        ("Ibuprofen", "2026-03-01T08:00"),
    ]
    assert sorted(r[0] for r in rows(mine, "SELECT text FROM questions WHERE origin = 'mine'")) == [
        "Is it the dose?",
        "Why cramps?",
    ]
    assert rows(mine, "SELECT date, intensity FROM ratings ORDER BY date") == [
        ("2026-03-01", 2),
        ("2026-03-02", 6),
    ]
    # Same export again: everything is found, nothing doubled.
    again = invoke(mine, "import", str(out))
    assert again.exit_code == 0 and " 0 rows added" in again.output, again.output
    assert len(rows(mine, DOSES)) == 3
    # Our diary id was not imported over ours.
    db = open_database(mine)
    ours = diary_id(db)
    db.close()
    other = open_database(theirs)
    assert ours is None or ours != diary_id(other)
    other.close()


def test_the_same_diarys_older_export_is_still_resolved_by_the_newer_stamp(
    tmp_path: Path, new_diary
) -> None:
    mine = new_diary(tmp_path / "mine" / "diazlog.db")
    add(mine, "Ibuprofen", "2026-03-01T08:00")
    out = tmp_path / "export"
    assert invoke(mine, "export", "--out", str(out)).exit_code == 0
    conn = sqlite3.connect(mine)
    conn.execute("UPDATE medications SET name = 'Ibuprofen 400' WHERE name = 'Ibuprofen'")
    conn.commit()
    conn.close()
    result = invoke(mine, "import", str(out))
    assert result.exit_code == 0 and "1 kept as newer" in result.output, result.output
    assert rows(mine, "SELECT name FROM medications") == [("Ibuprofen 400",)]


def test_the_diary_id_is_in_the_manifest_and_not_in_the_rows(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    assert invoke(db_path, "export", "--out", str(out), "--format", "json").exit_code == 0
    import json

    made_by = json.loads((out / MANIFEST).read_text())["diary_id"]
    db = open_database(db_path)
    assert made_by == diary_id(db) and len(made_by) == 32
    db.close()
    assert DIARY_ID_KEY not in (out / "settings.json").read_text()
