"""Exports that never delete, file names only from our own tables, and hostile diaries
(triggers, views, tables diazlog did not make) refused at open and before a restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from diazlog.cli import cli
from diazlog.store import open_database
from diazlog.store.file.errors import CorruptDatabase, NotADiazlogDatabase
from diazlog.store.file.schema import MIGRATIONS
from diazlog.store.file.schema_check import foreign_objects, known_tables
from diazlog.transfer.tables import DERIVED_TABLES
from tests.support.helpers import invoke


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- exports never delete -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "contents",
    [
        {"photo.jpg": b"\xff\xd8", "diazlog-export.json": b"{}"},  # issue 21's case
        {"diazlog-export.json": b'{"app": "diazlog", "format": "csv", "files": {}}'},
        {"notes.txt": b"mine"},
    ],
)
def test_export_refuses_a_folder_that_is_not_only_an_earlier_export(
    db_path: Path, tmp_path: Path, contents: dict[str, bytes]
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    result = invoke(db_path, "export", "--out", str(folder))
    assert result.exit_code == 2
    assert (
        "not a diazlog export" in result.output
        and "nothing was written or deleted" in result.output
    )
    assert files_in(folder) == contents


def test_export_replaces_an_earlier_export_but_not_one_with_a_file_added(
    db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    assert invoke(db_path, "export", "--out", str(out)).exit_code == 0
    assert invoke(db_path, "export", "--out", str(out)).exit_code == 0  # an export: replaced
    (out / "holiday.jpg").write_bytes(b"photo")
    assert invoke(db_path, "export", "--out", str(out)).exit_code == 2
    assert (out / "holiday.jpg").read_bytes() == b"photo"
    (out / "holiday.jpg").unlink()
    (out / "days.csv").write_text("date\n")  # edited since: the user's now
    assert invoke(db_path, "export", "--out", str(out)).exit_code == 2
    assert (out / "days.csv").read_text() == "date\n"


# -- hostile diaries ---------------------------------------------------------------------------


def hostile(db_path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(db_path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return db_path


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (
            ["CREATE TRIGGER wipe AFTER INSERT ON days BEGIN DELETE FROM ratings; END"],
            "trigger 'wipe'",
        ),
        (
            ["CREATE TRIGGER no AFTER INSERT ON days BEGIN SELECT RAISE(ABORT, 'no'); END"],
            "trigger 'no'",
        ),
        (["CREATE VIEW v AS SELECT 1"], "view 'v'"),
        (['CREATE TABLE "../../x" (a)'], "table '../../x'"),
        (['CREATE TABLE "/tmp/abs" (a)'], "table '/tmp/abs'"),
        (["ALTER TABLE days ADD COLUMN extra TEXT"], "table 'days' with other columns"),
        (["ALTER TABLE settings RENAME TO settings2"], "no table 'settings'"),
        (["DROP TABLE questions"], "no table 'questions'"),
        (['CREATE TABLE "a\x1b]0;pwned\x07" (a)'], "table 'a\\x1b]0;pwned\\x07'"),
    ],
)
def test_a_diary_with_objects_we_did_not_make_is_refused_untouched(
    db_path: Path, statements: list[str], named: str
) -> None:
    hostile(db_path, *statements)
    before = db_path.read_bytes()
    with pytest.raises(NotADiazlogDatabase, match="did not make") as refused:
        open_database(db_path)
    assert named in str(refused.value) and "\x1b" not in str(refused.value)
    result = invoke(db_path, "log", "leg_pain=3")
    assert result.exit_code == 2 and named in result.output
    assert result.output.count("\n") == 1
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "statements",
    [
        [],
        ["CREATE INDEX mine ON days(note)"],  # an index only speeds up reads
        ["ANALYZE"],  # sqlite_stat1: SQLite's own
    ],
)
def test_our_own_schema_and_harmless_additions_open(db_path: Path, statements: list[str]) -> None:
    hostile(db_path, *statements)
    open_database(db_path).close()
    conn = sqlite3.connect(db_path)
    assert foreign_objects(conn, MIGRATIONS) == []
    conn.close()


def test_restore_refuses_a_hostile_backup_before_replacing_anything(
    db_path: Path, tmp_path: Path, new_diary
) -> None:
    assert invoke(db_path, "log", "leg_pain=4").exit_code == 0
    backup = hostile(
        new_diary(tmp_path / "other" / "backup.db"),
        "CREATE TRIGGER wipe AFTER INSERT ON days BEGIN DELETE FROM ratings; END",
    )
    before = db_path.read_bytes()
    result = invoke(db_path, "restore", str(backup))
    assert result.exit_code == 2 and "trigger 'wipe'" in result.output
    assert db_path.read_bytes() == before


def test_a_flipped_byte_in_the_schemas_text_is_damage(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db_path.read_bytes())
    at = data.index(b"DEFAULT 'mg'")
    data[at + 9] = 0xFF
    db_path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabase, match="not UTF-8"):
        open_database(db_path)
    result = invoke(db_path, "export", "--out", str(db_path.parent / "e"))
    assert result.exit_code == 2 and "damaged" in result.output
    assert "disk full" not in result.output


def test_export_file_names_come_from_our_tables_only(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    assert invoke(db_path, "export", "--out", str(out)).exit_code == 0
    written = {p.stem for p in out.iterdir()} - {"diazlog-export"}
    assert written == set(known_tables(MIGRATIONS)) - set(DERIVED_TABLES)


def test_the_app_is_not_started_on_a_hostile_diary(db_path: Path) -> None:
    """`diazlog` alone (the app) refuses before anything is drawn or written."""
    hostile(db_path, "CREATE TRIGGER wipe AFTER INSERT ON days BEGIN DELETE FROM ratings; END")
    before = db_path.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(db_path)])
    assert result.exit_code == 2
    assert "trigger 'wipe'" in result.output and result.output.count("\n") == 1
    assert db_path.read_bytes() == before
