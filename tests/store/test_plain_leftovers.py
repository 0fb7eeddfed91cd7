"""No plaintext of an encrypted diary left on disk after a kill (issue 21, item 7): what a
killed decrypt, backup, restore or export left is removed by every command at its start, not
only by the app; a temporary file another program is still writing is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import diazlog.store.file.backup as backup_module
from diazlog.cli import cli
from diazlog.store import open_database
from diazlog.store.file.busy import held
from diazlog.store.file.cipher import SQLITE_MAGIC, create_encrypted
from tests.conftest import PASSPHRASE

PLAIN = SQLITE_MAGIC + b"a plain page: leg pain 9, note SECRET"


def leftovers(db_path: Path) -> list[Path]:
    """What kills at each step leave: decrypt's copy beside the diary (and its journal), a
    backup's copy in backups/, an export's half folder in exports/."""
    backups, exports = db_path.parent / "backups", db_path.parent / "exports"
    backups.mkdir(exist_ok=True)
    (exports / ".2026-11-25-213000-csv.diazlog-x1y2z3w4.tmp").mkdir(parents=True)
    files = [
        db_path.parent / f".{db_path.name}.diazlog-k9f3a8b7.tmp",
        db_path.parent / f".{db_path.name}.diazlog-k9f3a8b7.tmp-journal",
        backups / f".{db_path.stem}-2026-11-25.db.diazlog-q8w7e6r5.tmp",
        exports / ".2026-11-25-213000-csv.diazlog-x1y2z3w4.tmp" / "days.csv",
    ]
    for path in files:
        path.write_bytes(PLAIN)
    return [*files, exports / ".2026-11-25-213000-csv.diazlog-x1y2z3w4.tmp"]


@pytest.fixture
def secret_diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)  # diazlog refuses a passphrase file others can read
    monkeypatch.setenv("DIAZLOG_PASSPHRASE_FILE", str(secret))
    path = tmp_path / "data" / "diazlog.db"
    path.parent.mkdir(mode=0o700)
    create_encrypted(path, PASSPHRASE)
    open_database(path).close()
    return path


COMMANDS = [
    ("status",),
    ("log", "leg_pain=2"),
    ("take",),
    ("flags",),
    ("report", "--out", "{tmp}/r.md"),
    ("export", "--out", "{tmp}/e"),
    ("backup", "--out", "{tmp}/b.db"),
    ("restore", "{tmp}/b0.db"),
    ("decrypt",),
    ("passphrase",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_command_removes_plain_leftovers_at_start(
    secret_diary: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    runner = CliRunner()
    base = runner.invoke(cli, ["--db", str(secret_diary), "backup", "--out", f"{tmp_path}/b0.db"])
    assert base.exit_code == 0, base.output
    left = leftovers(secret_diary)
    # being written right now
    busy = secret_diary.parent / f".{secret_diary.name}.diazlog-busy1234.tmp"
    busy.write_bytes(PLAIN)
    with held(busy):
        args = [a.replace("{tmp}", str(tmp_path)) for a in command]
        result = runner.invoke(cli, ["--db", str(secret_diary), *args])
        assert result.exit_code == 0, result.output
        assert busy.exists()  # another program's work in progress is left alone
    assert [p for p in left if p.exists()] == []


def test_a_backup_of_an_encrypted_diary_is_never_plain_on_disk(
    secret_diary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its temporary copy is encrypted from the first page (looked at mid-copy)."""
    seen: list[bytes] = []
    check = backup_module.quick_check

    def look_then_check(conn):  # called on the copy before it gets its name
        seen.extend(p.read_bytes()[:16] for p in (tmp_path / "out").glob(".*.tmp"))
        return check(conn)

    monkeypatch.setattr(backup_module, "quick_check", look_then_check)
    db = open_database(secret_diary)
    backup_module.copy_database(db.conn, tmp_path / "out" / "b.db")
    db.close()
    assert seen and all(head != SQLITE_MAGIC for head in seen)
    assert (tmp_path / "out" / "b.db").read_bytes()[:16] != SQLITE_MAGIC
