"""The encrypted diary: nothing readable on disk, the passphrase asked and checked, the three
commands, and a plain diary that never loads SQLCipher."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database
from textual.widgets import TextArea

from diazlog.app import DiazlogApp
from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating
from diazlog.screens.today import TodayScreen
from diazlog.screens.unlock import UnlockScreen
from diazlog.store import open_database
from diazlog.store.file.backup import backup_file, backups_folder, daily_backup
from diazlog.store.file.cipher import (
    PASSPHRASE_FILE_VAR,
    create_encrypted,
    forget_keys,
    is_encrypted,
    unlock,
)
from diazlog.store.queries.days import save_day
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.settings import set_setting
from tests.support.helpers import NOW, TODAY, dump, invoke, settle, wait_until

ROOT = Path(__file__).parents[2]
PASSPHRASE = "a long walk at dawn"
NOTE = "felt the cramps after the stairs at Margaret's"
MEDICINE = "Zopiclonium-Testname"
SQLITE_HEADER = b"SQLite format 3"


KEEP_OPEN: list[Database] = []  # a diary's connection, open so that its WAL stays on disk


@pytest.fixture(autouse=True)
def no_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with no key in memory and no passphrase file; CliRunner's input
    stands for someone typing at a terminal."""
    import diazlog.passphrase

    monkeypatch.setattr(diazlog.passphrase, "interactive", lambda app=True: not app)
    monkeypatch.delenv(PASSPHRASE_FILE_VAR, raising=False)
    forget_keys()
    yield
    forget_keys()
    while KEEP_OPEN:
        KEEP_OPEN.pop().close()


def secret_diary(tmp_path: Path) -> Path:
    """An encrypted diary holding a note and a medicine name we can look for on disk; its
    connection stays open (so does its WAL) and this process forgets the key."""
    path = tmp_path / "data" / "diazlog.db"
    path.parent.mkdir(mode=0o700, parents=True)
    create_encrypted(path, PASSPHRASE)
    db = open_database(path)
    med = save_medication(db, Medication(None, MEDICINE, Category.SLEEP))
    assert med.id is not None
    save_day(
        db,
        DayLog(TODAY, ratings=(Rating(1, 7),), note=NOTE, doses=(Dose(med.id, "22:00", 7.5),)),
        NOW,
    )
    set_setting(db, "welcomed", "1")
    KEEP_OPEN.append(db)
    forget_keys()
    return path


def passphrase_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text(text + "\n")
    secret.chmod(0o600)
    monkeypatch.setenv(PASSPHRASE_FILE_VAR, str(secret))


def files_of(path: Path) -> dict[Path, bytes]:
    """The diary and whatever SQLite keeps beside it (-wal, -shm, -journal), as bytes."""
    found = {path: path.read_bytes()}
    for suffix in ("-wal", "-shm", "-journal"):
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            found[companion] = companion.read_bytes()
    return found


def assert_unreadable(data: bytes, where: Path) -> None:
    for secret in (NOTE.encode(), MEDICINE.encode(), b"Margaret", SQLITE_HEADER):
        assert secret not in data, f"{secret!r} readable in {where}"


def test_the_diary_its_wal_and_its_backups_hold_nothing_readable(tmp_path: Path) -> None:
    path = secret_diary(tmp_path)
    wal = Path(f"{path}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the open connection's saves are there
    unlock(path, PASSPHRASE)
    made = [
        backup_file(path, backups_folder(path) / "diazlog-manual.db"),
        daily_backup(path, NOW.date()),
    ]
    assert invoke(path, "backup", "--out", str(tmp_path / "out.db")).exit_code == 0
    files = files_of(path) | {p: p.read_bytes() for p in [*made, tmp_path / "out.db"] if p}
    assert len(files) >= 5
    for where, data in files.items():
        assert_unreadable(data, where)
    # ...and yet it is all there, with the passphrase.
    forget_keys()
    result = invoke(tmp_path / "out.db", "flags", stdin=PASSPHRASE + "\n")
    assert result.exit_code == 0, result.output
    assert dump(path)["days"][0]["note"] == NOTE


def test_a_plain_diary_is_readable_so_the_check_above_can_fail(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    db = open_database(path)
    save_day(db, DayLog(TODAY, note=NOTE), NOW)
    data = b"".join(files_of(path).values())
    assert NOTE.encode() in data
    with pytest.raises(AssertionError):
        assert_unreadable(data, path)
    db.close()


def test_the_cli_asks_for_the_passphrase_and_says_when_it_is_wrong(tmp_path: Path) -> None:
    path = secret_diary(tmp_path)
    before = files_of(path)
    wrong = invoke(path, "log", "leg_pain=3", stdin="not the passphrase\n")
    assert wrong.exit_code == 2
    assert wrong.stderr.strip().splitlines()[-1] == (
        f"diazlog: {path}: wrong passphrase (or not a diazlog diary); the file was left untouched."
    )
    assert "Traceback" not in wrong.output
    assert files_of(path) == before  # byte for byte, companions too
    right = invoke(path, "log", "leg_pain=3", stdin=PASSPHRASE + "\n")
    assert right.exit_code == 0, right.output
    assert "Saved" in right.stdout


def test_no_passphrase_at_all_is_one_clear_line(tmp_path: Path) -> None:
    path = secret_diary(tmp_path)
    before = files_of(path)
    result = invoke(path, "status")  # no input: the prompt gets nothing
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"diazlog: {path} is encrypted (or not a diazlog diary): give the passphrase."
    )
    assert files_of(path) == before


def test_a_wrong_passphrase_file_is_refused_in_a_subprocess_without_library_noise(
    tmp_path: Path,
) -> None:
    """A real process: stderr has our one line and nothing SQLCipher might log."""
    path = secret_diary(tmp_path)
    secret = tmp_path / "wrong.txt"
    secret.write_text("nope nope nope\n")
    secret.chmod(0o600)
    before = files_of(path)
    result = subprocess.run(
        [sys.executable, "-m", "diazlog", "--db", str(path), "status"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**_env(), PASSPHRASE_FILE_VAR: str(secret)},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"diazlog: {path}: wrong passphrase (or not a diazlog diary); the file was left untouched."
    ]
    assert files_of(path) == before


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != PASSPHRASE_FILE_VAR}


def test_the_passphrase_file_serves_scripts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = secret_diary(tmp_path)
    passphrase_file(tmp_path, monkeypatch, PASSPHRASE)
    result = invoke(path, "log", "cramps=4")
    assert result.exit_code == 0, result.output


async def test_the_app_unlocks_after_a_wrong_try(tmp_path: Path) -> None:
    path = secret_diary(tmp_path)
    KEEP_OPEN.pop().close()  # the app alone has it open
    before = files_of(path)
    app = DiazlogApp(None, path, clock=lambda: NOW)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press("t", "m")  # letters go to the field, never to another screen
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press("backspace", "backspace", *"wrong passphrase", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        message = app.screen.query_one("#unlock-message")
        assert str(message.render()) == "Wrong passphrase. Try again."
        assert isinstance(app.screen, UnlockScreen)
        assert files_of(path) == before
        await pilot.press(*PASSPHRASE, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await wait_until(lambda: isinstance(app.screen, TodayScreen))
        await settle(pilot)  # Today loaded the day
        assert app.current_mode == "today"
        assert NOTE in app.screen.query_one("#field-note", TextArea).text


def test_the_cli_starts_the_app_locked_on_an_encrypted_diary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import diazlog.passphrase

    path = secret_diary(tmp_path)
    seen: list[object] = []
    monkeypatch.setattr(diazlog.passphrase, "interactive", lambda app=True: True)
    monkeypatch.setattr(DiazlogApp, "run", lambda self: seen.append(self.db))
    result = invoke(path)
    assert result.exit_code == 0, result.output
    assert seen == [None]  # nothing opened before the unlock screen


def test_encrypt_decrypt_and_a_new_passphrase_keep_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data" / "diazlog.db"
    db = open_database(path)
    save_medication(db, Medication(None, MEDICINE, Category.SLEEP))
    save_day(db, DayLog(TODAY, ratings=(Rating(2, 5),), note=NOTE), NOW)
    db.close()
    old_backup = daily_backup(path, NOW.date())
    assert old_backup is not None
    rows = dump(path)

    result = invoke(path, "encrypt", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.exit_code == 0, result.output
    assert "1 backup in its backups folder" in result.output
    assert is_encrypted(path) and is_encrypted(old_backup)  # the plain backup is gone too
    for where, data in files_of(path).items():
        assert_unreadable(data, where)
    assert_unreadable(old_backup.read_bytes(), old_backup)
    assert dump(path) == rows
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert not list(path.parent.glob(".*.tmp"))

    forget_keys()
    again = invoke(path, "encrypt", stdin=f"{PASSPHRASE}\n")
    assert again.exit_code == 2 and "encrypted already" in again.stderr

    forget_keys()
    new = "another long passphrase"
    changed = invoke(path, "passphrase", stdin=f"{PASSPHRASE}\n{new}\n{new}\n")
    assert changed.exit_code == 0, changed.output
    forget_keys()
    assert invoke(path, "status", stdin=f"{PASSPHRASE}\n").exit_code == 2  # the old one: no
    forget_keys()
    assert invoke(path, "status", stdin=f"{new}\n").exit_code == 0

    forget_keys()
    plain = invoke(path, "decrypt", stdin=f"{new}\n")
    assert plain.exit_code == 0, plain.output
    assert path.read_bytes().startswith(SQLITE_HEADER)
    assert dump(path) == rows


def test_a_short_passphrase_or_a_mismatch_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "diazlog.db"
    open_database(path).close()
    before = path.read_bytes()
    short = invoke(path, "encrypt", stdin="short\nshort\n")
    assert short.exit_code == 2 and "at least 8 characters" in short.stderr
    assert path.read_bytes() == before


def test_restore_asks_for_the_backups_passphrase(tmp_path: Path) -> None:
    source = secret_diary(tmp_path / "a")
    unlock(source, PASSPHRASE)
    backup = backup_file(source, tmp_path / "backup.db")
    forget_keys()
    plain = tmp_path / "b" / "diazlog.db"
    open_database(plain).close()
    wrong = invoke(plain, "restore", str(backup), stdin="wrong passphrase\n")
    assert wrong.exit_code == 2 and "wrong passphrase" in wrong.stderr
    result = invoke(plain, "restore", str(backup), stdin=f"{PASSPHRASE}\n")
    assert result.exit_code == 0, result.output
    assert is_encrypted(plain)  # the backup as it was: encrypted
    assert dump(plain)["days"][0]["note"] == NOTE


def test_exports_from_an_encrypted_diary_say_they_are_plain(tmp_path: Path) -> None:
    path = secret_diary(tmp_path)
    unlock(path, PASSPHRASE)
    out = tmp_path / "export"
    result = invoke(path, "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "these files are not" in result.stdout
    assert any(NOTE in p.read_text() for p in out.glob("*.csv"))  # plain, as said


def test_a_migration_of_an_encrypted_diary_backs_up_encrypted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diazlog.store.file.backup import backup_before_migration
    from diazlog.store.file.encryption import encrypt_file
    from tests.support.helpers import FIXTURES, copy_fixture

    path = copy_fixture(FIXTURES / "schema-v1.db", tmp_path)
    rows = dump(path)
    encrypt_file(path, PASSPHRASE)
    db = open_database(path, before_migration=backup_before_migration)
    db.close()
    backups = list(backups_folder(path).glob("diazlog-before-v1-*.db"))
    assert len(backups) == 1 and is_encrypted(backups[0])
    assert dump(backups[0]) == rows
    assert all(dump(path)[table] for table, found in rows.items() if found)


def loads_sqlcipher(path: Path, env: dict[str, str]) -> str:
    """Open `path` as the CLI does before the app starts, in a fresh process: is sqlcipher3
    imported?"""
    code = (
        "import sys; from diazlog.opening import open_or_fail; from pathlib import Path; "
        f"open_or_fail(Path({str(path)!r})).close(); "
        "from diazlog.app import DiazlogApp; "
        "print('sqlcipher3' in sys.modules)"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60, env=env
    )
    return found.stdout.strip() or found.stderr


def test_a_plain_diary_never_loads_sqlcipher(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    open_database(path).close()
    assert loads_sqlcipher(path, _env()) == "False"
    encrypted = secret_diary(tmp_path / "e")
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE)
    secret.chmod(0o600)
    assert loads_sqlcipher(encrypted, {**_env(), PASSPHRASE_FILE_VAR: str(secret)}) == "True"


def test_opening_reuses_the_key_derived_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import diazlog.store.file.cipher as cipher

    path = secret_diary(tmp_path)
    forget_keys()
    passphrase_file(tmp_path, monkeypatch, PASSPHRASE)
    derived: list[bytes] = []
    real = cipher.Key.derive.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        cipher.Key,
        "derive",
        classmethod(lambda cls, p, salt: derived.append(salt) or real(cls, p, salt)),
    )
    for _ in range(3):
        open_database(path).close()
    backup_file(path, tmp_path / "copy.db")
    open_database(tmp_path / "copy.db").close()
    assert derived == [path.read_bytes()[:16]]  # once, for the diary's salt, shared by its copy


async def test_the_welcome_offers_encryption_off_by_default(tmp_path: Path) -> None:
    from textual.widgets import Checkbox, Input

    from diazlog.store.queries.medications import tracked_diazepam

    path = tmp_path / "data" / "diazlog.db"
    app = DiazlogApp(open_database(path), path, clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "WelcomeScreen"
        assert app.screen.query_one("#welcome-encrypt", Checkbox).value is False
        app.screen.query_one("#welcome-encrypt", Checkbox).value = True
        app.screen.query_one("#welcome-passphrase", Input).value = PASSPHRASE
        app.screen.query_one("#welcome-passphrase-again", Input).value = PASSPHRASE + "x"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "differ" in str(app.screen.query_one("#welcome-error").render())
        assert not is_encrypted(path)
        app.screen.query_one("#welcome-passphrase-again", Input).value = PASSPHRASE
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await wait_until(lambda: type(app.screen).__name__ == "TodayScreen")
        await settle(pilot)
        assert is_encrypted(path)
        await pilot.press("u")  # the usual dose, saved into the encrypted diary
        await pilot.pause()
        assert "Diazepam today: 5 mg" in str(app.screen.query_one("#dose-summary").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
    app.db.close()
    forget_keys()
    for where, data in files_of(path).items():
        assert_unreadable(data, where)
    unlock(path, PASSPHRASE)
    med = tracked_diazepam(open_database(path))
    assert med is not None and med.usual_amount == 5


async def test_skipping_the_welcome_leaves_the_diary_plain(tmp_path: Path) -> None:
    path = tmp_path / "data" / "diazlog.db"
    app = DiazlogApp(open_database(path), path, clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert not is_encrypted(path)


def test_without_a_terminal_the_app_refuses_in_one_line(tmp_path: Path) -> None:
    path = secret_diary(tmp_path)
    result = invoke(path)  # CliRunner: no terminal, nobody to type into the unlock screen
    assert result.exit_code == 2
    assert "is encrypted (or not a diazlog diary): give the passphrase" in result.stderr
