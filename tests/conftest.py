"""Shared fixtures: a migrated file database and an app factory with a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import settings
from sqlite_utils import Database

from diazlog.app import DiazlogApp
from diazlog.domain.models import Category, Medication
from diazlog.store import open_database
from diazlog.store.queries.settings import set_setting
from diazlog.widgets.rating_grid import RatingGrid
from tests.support.helpers import NOW, fix_clock
from tests.support.network_guard import block_network

# Hypothesis's per-example deadline is a timed assert: it fails on a busy machine (CI, or
# pytest-xdist sharing two cores), so no property test here has one.
# 30 examples where a test does not say (Hypothesis: 100): the suite keeps to 5 minutes on
# 2 cores; a test that needs more says so with its own max_examples.
settings.register_profile("diazlog", deadline=None, max_examples=30)
settings.load_profile("diazlog")


@pytest.fixture(autouse=True, scope="session")
def no_network() -> Iterator[None]:
    """No test may open an internet socket: the app promises none (tests/safety/test_privacy.py)."""
    with block_network():
        yield


# The suite runs twice on these modules: on a plain diary and on an encrypted one (the
# passphrase in a file named by $DIAZLOG_PASSPHRASE_FILE, so every open_database finds it).
# Doubled are the modules where encryption changes behaviour: the store, the CLI, backups and
# restore, import and export, damage, the crash, lock and concurrency tests, migrations; and,
# of the screens, Today (the daily loop end to end) and live updates (another program writing
# the same encrypted file). The other screens get the same Database object either way, so
# their encrypted runs tested nothing the plain ones do not (and cost a fifth of the suite):
# DIAZLOG_TEST_ENCRYPTED=all doubles them too. DIAZLOG_TEST_ENCRYPTED=plain leaves every
# encrypted run out (a quicker local run). Snapshot tests are never doubled: their snapshot
# files are named after the test ids.
ENCRYPTED_TOO = {
    "test_backup",
    "test_cli_log",
    "test_concurrency",
    "test_crash",
    "test_damage",
    "test_day_merge",
    "test_export_import",
    "test_files_whole",
    "test_locks_kept",
    "test_migrations",
    "test_store",
}
ENCRYPTED_ON_REQUEST = {  # screens: day merge runs encrypted by default
    "test_charts",
    "test_live_updates",
    "test_doctor",
    "test_history",
    "test_medicines",
    "test_questions",
    "test_taper",
    "test_today",
    "test_today_dialogs",
}
if os.environ.get("DIAZLOG_TEST_ENCRYPTED") == "all":
    ENCRYPTED_TOO |= ENCRYPTED_ON_REQUEST
if os.environ.get("DIAZLOG_TEST_ENCRYPTED") == "plain":
    ENCRYPTED_TOO = set()
PASSPHRASE = "correct horse battery"
# Test diaries share one fixed salt, so each worker derives their key (PBKDF2-SHA512,
# 256,000 rounds: a quarter of a second, longer on a loaded machine) once instead of once
# a test. Only Key.new is replaced, and only while new_diary makes a test diary: the file
# format, the passphrase check, opening, re-keying and every subprocess are the real ones.
TEST_SALT = bytes(range(16))
_test_keys: dict[str, object] = {}


def test_diary_key(passphrase: str) -> object:
    """The key of a test diary made with `passphrase`, derived once per process."""
    from diazlog.store.file.cipher import Key

    if passphrase not in _test_keys:
        _test_keys[passphrase] = Key.derive(passphrase, TEST_SALT)
    return _test_keys[passphrase]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "plain_diary: run once, on a plain diary, in a module whose tests run on both kinds "
        "(what it checks does not depend on how the file is stored)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    module = metafunc.module.__name__.rpartition(".")[2]
    plain_only = metafunc.definition.get_closest_marker("plain_diary") is not None
    if "diary_kind" in metafunc.fixturenames and module in ENCRYPTED_TOO and not plain_only:
        metafunc.parametrize("diary_kind", ["plain", "encrypted"], indirect=True)


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command reads NOW as the time (a file uses it with pytestmark usefixtures)."""
    fix_clock(monkeypatch, NOW)


@pytest.fixture
def diary_kind(request: pytest.FixtureRequest) -> str:
    """ "plain" or "encrypted": the kind of diary `new_diary` and `db_path` make."""
    return getattr(request, "param", "plain")


@pytest.fixture
def new_diary(
    diary_kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Path], Path]:
    """Make a new, migrated diary at a path: plain, or encrypted with PASSPHRASE (whose
    file $DIAZLOG_PASSPHRASE_FILE then names, for this test and its subprocesses)."""

    def make(path: Path) -> Path:
        if diary_kind == "encrypted":
            from diazlog.store.file.cipher import PASSPHRASE_FILE_VAR, Key, create_encrypted
            from diazlog.store.file.privacy import private_folder

            secret = tmp_path / "passphrase.txt"
            secret.write_text(PASSPHRASE + "\n")
            secret.chmod(0o600)  # a passphrase file open to others is refused
            monkeypatch.setenv(PASSPHRASE_FILE_VAR, str(secret))
            private_folder(path.parent)
            with monkeypatch.context() as patch:
                patch.setattr(Key, "new", classmethod(lambda _cls, p: test_diary_key(p)))
                create_encrypted(path, PASSPHRASE)
        open_database(path).close()
        return path

    return make


@pytest.fixture
def db_path(tmp_path: Path, new_diary: Callable[[Path], Path]) -> Path:
    return new_diary(tmp_path / "data" / "diazlog.db")


@pytest.fixture
def db(db_path: Path) -> Database:
    return open_database(db_path)


@pytest.fixture
def make_app(db_path: Path) -> Callable[..., DiazlogApp]:
    def factory(*, fresh: bool = False, **kwargs: object) -> DiazlogApp:
        """The app on db_path; fresh=True keeps the first-run welcome, others skip it."""
        db = open_database(db_path)
        if not fresh:
            set_setting(db, "welcomed", "1")
        return DiazlogApp(db, db_path, clock=lambda: NOW, **kwargs)  # type: ignore[arg-type]

    return factory


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    from diazlog.demo import build_demo

    path = tmp_path / "demo.db"
    build_demo(path, years=0.25, end=NOW.date()).close()
    return path


def checkpointed_demo(path: Path, years: float) -> Path:
    """A demo diary with its WAL folded in, so a plain file copy of it is the whole diary."""
    from diazlog.demo import build_demo

    db = build_demo(path, years=years, end=NOW.date())
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def copy_as_diary(source: Path, tmp_path: Path) -> Path:
    """`source` copied to where a user's diary lives (a private data folder) in tmp_path."""
    import shutil

    path = tmp_path / "data" / "diazlog.db"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(source, path)
    return path


def diazepam_medication(**changes: object) -> Medication:
    """The tracked diazepam most tests need: 5 mg at 08:00 and 20:00 (override any field)."""
    base = Medication(
        None,
        "Diazepam",
        Category.BENZODIAZEPINE,
        is_diazepam=True,
        usual_amount=5,
        usual_times=("08:00", "20:00"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def ratings(app: DiazlogApp) -> RatingGrid:
    """Today's ratings: every symptom row and the two interference rows, in one widget."""
    return app.screen.query_one("#ratings", RatingGrid)
