"""Every past schema version, as a committed fixture file, migrates to the latest and keeps
every row; an existing database is backed up before any migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from diazlog.store import open_database
from diazlog.store.file import schema
from diazlog.store.file.backup import backup_before_migration, backups_folder
from tests.support.helpers import FIXTURES, VERSIONED, copy_fixture, dump


def fixture_version(path: Path) -> int:
    return int(path.stem.removeprefix("schema-v"))


# Columns a migration may set on old rows: version 3 gives rebound tension (and the user's own
# symptoms named for tightness) the new kind "tension". Every other value must stay.
RECLASSIFIED = {("symptoms", "kind")}


def assert_every_row_kept(before: dict, after: dict) -> int:  # type: ignore[type-arg]
    """Each old row is still there with the same values in the columns it had."""
    kept = 0
    for table, rows in before.items():
        assert table in after, f"table {table} was dropped"
        remaining = [dict(r) for r in after[table]]
        for row in rows:
            same = {k: v for k, v in row.items() if (table, k) not in RECLASSIFIED}
            match = [r for r in remaining if all(r.get(k) == v for k, v in same.items())]
            assert match, f"{table}: lost {row}"
            remaining.remove(match[0])
            kept += 1
    return kept


def test_there_is_a_fixture_for_every_schema_version() -> None:
    versions = {fixture_version(p) for p in VERSIONED}
    assert versions == set(range(1, schema.LATEST_VERSION + 1)), (
        "add tests/fixtures/schema-vN.db for each new version (tests/fixtures/make_fixtures.py)"
    )


@pytest.mark.parametrize("fixture", VERSIONED, ids=[p.stem for p in VERSIONED])
def test_fixture_migrates_to_latest_keeping_every_row(fixture: Path, tmp_path: Path) -> None:
    path = copy_fixture(fixture, tmp_path)
    before = dump(path)
    assert sum(len(rows) for rows in before.values()) > 150
    assert all(before.values()), "the fixture should have rows in every table"
    db = open_database(path, before_migration=backup_before_migration)
    assert schema.schema_version(db) == schema.LATEST_VERSION
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()
    assert assert_every_row_kept(before, dump(path)) == sum(len(r) for r in before.values())


def _add_mood_column(db: Database) -> None:
    db.execute("ALTER TABLE days ADD COLUMN mood INTEGER")


@pytest.fixture
def next_version(monkeypatch: pytest.MonkeyPatch) -> int:
    """Pretend a version LATEST + 1 exists, so the migration path runs on today's fixtures."""
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, _add_mood_column))
    monkeypatch.setattr(schema, "LATEST_VERSION", len(schema.MIGRATIONS))
    return schema.LATEST_VERSION


@pytest.mark.parametrize("fixture", VERSIONED, ids=[p.stem for p in VERSIONED])
def test_a_migration_keeps_rows_and_backs_up_first(
    fixture: Path, tmp_path: Path, next_version: int
) -> None:
    path = copy_fixture(fixture, tmp_path)
    before = dump(path)
    db = open_database(path, before_migration=backup_before_migration)
    assert schema.schema_version(db) == next_version
    assert "mood" in db["days"].columns_dict
    db.close()
    assert_every_row_kept(before, dump(path))
    backups = list(backups_folder(path).glob(f"diazlog-before-v{fixture_version(fixture)}-*.db"))
    assert len(backups) == 1
    assert oct(backups[0].stat().st_mode & 0o777) == "0o600"
    assert dump(backups[0]) == before  # the copy is of the file as it was before
    conn = sqlite3.connect(backups[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == fixture_version(fixture)
    conn.close()


def test_the_cli_backs_up_before_migrating(tmp_path: Path, next_version: int) -> None:
    from click.testing import CliRunner

    from diazlog.cli import cli

    path = copy_fixture(VERSIONED[-1], tmp_path)
    result = CliRunner().invoke(cli, ["--db", str(path), "backup", "--out", str(tmp_path / "b.db")])
    assert result.exit_code == 0, result.output
    assert len(list(backups_folder(path).glob("diazlog-before-v*.db"))) == 1


def test_a_failing_migration_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(db: Database) -> None:
        db.execute("ALTER TABLE days ADD COLUMN mood INTEGER")
        db.execute("INSERT INTO nowhere VALUES (1)")

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    monkeypatch.setattr(schema, "LATEST_VERSION", len(schema.MIGRATIONS))
    path = copy_fixture(VERSIONED[-1], tmp_path)
    before = dump(path)
    with pytest.raises(Exception, match="nowhere"):
        open_database(path, before_migration=backup_before_migration)
    assert dump(path) == before
    assert len(list(backups_folder(path).glob("diazlog-before-v*.db"))) == 1


def test_v2_classifies_a_v1_medicine_by_name_without_touching_what_the_user_typed(
    tmp_path: Path,
) -> None:
    """People log "Co-codamol 30/500" under "pain": after the upgrade it is an opioid, and
    its name and category are the very bytes they were."""
    path = copy_fixture(FIXTURES / "schema-v1.db", tmp_path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    med_id = conn.execute(
        "INSERT INTO medications (name, category, usual_amount) VALUES (?, 'pain', 1)",
        ["Co-codamol 30/500"],
    ).lastrowid
    conn.commit()
    read = "SELECT CAST(name AS BLOB), CAST(category AS BLOB) FROM medications WHERE id = ?"
    typed = conn.execute(read, [med_id]).fetchone()
    conn.close()
    assert typed == (b"Co-codamol 30/500", b"pain")

    db = open_database(path, before_migration=backup_before_migration)
    assert schema.schema_version(db) == schema.LATEST_VERSION
    assert (
        db.execute("SELECT drug_class FROM medications WHERE id = ?", [med_id]).fetchone()[0]
        == "opioid"
    )
    assert db.execute(read, [med_id]).fetchone() == typed
    db.close()


def test_v3_gives_tension_its_kind_and_keeps_every_picked_kind(tmp_path: Path) -> None:
    """Rebound tension and a user's "Calf tightness" left as "other" become "tension"; a kind
    the user picked (cramp) and a name that says nothing stay as they were."""
    path = copy_fixture(FIXTURES / "schema-v2.db", tmp_path)
    conn = sqlite3.connect(path)
    for key, name, kind in (
        ("calf_tightness", "Calf tightness", "other"),
        ("stiff_knees", "Stiff knees", "cramp"),
        ("pins_needles", "Pins and needles", "other"),
    ):
        conn.execute(
            "INSERT INTO symptoms (key, name, description, position, kind) VALUES (?, ?, '', 9, ?)",
            [key, name, kind],
        )
    conn.commit()
    conn.close()
    db = open_database(path, before_migration=backup_before_migration)
    kinds = dict(db.execute("SELECT key, kind FROM symptoms").fetchall())
    assert kinds["rebound_tension"] == kinds["calf_tightness"] == "tension"
    assert kinds["stiff_knees"] == "cramp" and kinds["pins_needles"] == "other"
    assert kinds["leg_pain"] == "pain" and kinds["restless_legs"] == "cramp"
    db.execute("UPDATE symptoms SET kind = 'tension' WHERE key = 'leg_pain'")  # now allowed
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE symptoms SET kind = 'mood' WHERE key = 'leg_pain'")
    db.close()
