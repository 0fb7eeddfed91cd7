"""Encrypting, changing the passphrase and decrypting, killed with SIGKILL at random moments:
afterwards the diary is the old one or the new one, whole, with every row, and the next start
clears what the killed conversion left (its temporary file beside the diary)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from diazlog.demo import build_demo
from diazlog.store import open_database
from diazlog.store.file.cipher import SQLITE_MAGIC, Key, forget_keys, remember
from diazlog.store.file.integrity import file_problem
from tests.safety.test_crash_files import leftovers, run_and_kill, start_the_app
from tests.support.helpers import NOW, dump

KILLS = 8
# Fixed salts so the child and this test derive the same two keys (a real diary's is random).
FIRST = ("first passphrase", b"\x01" * 16)
SECOND = ("second passphrase", b"\x02" * 16)

# Plain -> encrypted -> new passphrase -> plain, again and again: one line per conversion.
CHILD = """
import sys
from pathlib import Path
from diazlog.store.file.cipher import Key, SQLITE_MAGIC
from diazlog.store.file.encryption import convert

path = Path(sys.argv[2])
first = Key.derive("first passphrase", b"\\x01" * 16)
second = Key.derive("second passphrase", b"\\x02" * 16)
print("ready", flush=True)
i = 0
while True:
    head = path.read_bytes()[:16]
    if head == SQLITE_MAGIC:
        convert(path, None, first, None)  # encrypt
    elif head == first.salt:
        convert(path, first, second, None)  # a new passphrase
    else:
        convert(path, second, None, None)  # decrypt
    print(i, flush=True)
    i += 1
"""


@pytest.fixture(scope="module")
def quarter_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("source") / "diazlog.db"
    db = build_demo(path, years=0.25, end=NOW.date())
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def state(path: Path, keys: dict[bytes, str]) -> str:
    head = path.read_bytes()[:16]
    return "plain" if head == SQLITE_MAGIC else keys[head]  # KeyError: a file of no kind


def test_a_killed_conversion_leaves_one_whole_diary(
    quarter_year: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random

    import tests.safety.test_crash_files as crash_files

    monkeypatch.setattr(crash_files, "CHILD", CHILD)
    path = tmp_path / "data" / "diazlog.db"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(quarter_year, path)
    rows = dump(path)
    keys = {salt: name for name, salt in (FIRST, SECOND)}
    rng = random.Random(20261201)
    done, seen = 0, set()
    try:
        for n in range(KILLS):
            # The child derives its keys first (half a second), so aim past that; the last
            # kill lands after at least one whole conversion, however slow the machine.
            done += run_and_kill("cipher", path, path, rng, after_one=n % 2 == 1)
            forget_keys()
            for passphrase, salt in (FIRST, SECOND):
                remember(Key.derive(passphrase, salt))
            seen.add(state(path, keys))
            assert file_problem(path) is None
            assert dump(path) == rows  # every row, whichever diary it is
            open_database(path).close()  # and it opens
        assert done > 0
        print(f"conversions: {done} finished, states seen {sorted(seen)}")
        start_the_app(path)
        assert leftovers(path.parent) == []
        assert dump(path) == rows
    finally:
        forget_keys()
