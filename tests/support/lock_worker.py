"""A process for the diary-lock tests (tests/safety/test_diary_lock.py), started once per test.

`python -m tests.support.lock_worker ROLE DB` prints `ready`, then for each line it reads on stdin
does one thing and prints one JSON line. Roles:
- `hold`: `open` opens the diary (open_database) and keeps it; `close` closes it;
  `exclusive` takes the diary's lock alone (as a conversion does); `release` lets it go;
  `try` says whether a conversion could start now.
- `log` and `convert`: a line `TRY DELAY` waits DELAY seconds (to vary where the race
  lands), then runs `diazlog log` (a note `MARK<TRY>-<ROLE>` on a day of its own) or a
  conversion in this process (`encrypt` on a plain diary, `passphrase` or `decrypt` on an
  encrypted one), and prints its exit code and output.

The key derivation is made cheap (KDF_ITERATIONS) in every process of a test alike: SQLCipher
is handed the raw key, so the files are as real, and a try costs no quarter of a second.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

import diazlog.store.file.cipher as cipher
from diazlog.cli import cli
from diazlog.store import open_database
from diazlog.store.file import diary_lock

cipher.KDF_ITERATIONS = 1000
FIRST_DAY = date(2014, 1, 1)  # before the demo diary starts: each try's days are its own


def day_of(try_no: int, role: str) -> str:
    return (FIRST_DAY + timedelta(days=2 * try_no + (role == "log2"))).isoformat()


def main() -> None:
    role, db_path = sys.argv[1], Path(sys.argv[2])
    runner = CliRunner()
    held: list[object] = []
    exclusive = None
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if role == "hold":
            if words[0] == "open":
                held.append(open_database(db_path, create=False))
            elif words[0] == "close":
                held.pop().close()  # type: ignore[attr-defined]
            elif words[0] == "exclusive":
                exclusive = diary_lock.exclusive(db_path)
                exclusive.__enter__()
            elif words[0] == "release" and exclusive is not None:
                exclusive.__exit__(None, None, None)
            elif words[0] == "try":  # could a conversion start now? (it never waits)
                try:
                    diary_lock.check_free(db_path)
                except diary_lock.DiaryInUse:
                    print(json.dumps({"done": "try", "refused": True}), flush=True)
                    continue
                print(json.dumps({"done": "try", "refused": False}), flush=True)
                continue
            print(json.dumps({"done": words[0]}), flush=True)
            continue
        try_no, delay = int(words[0]), float(words[1])
        time.sleep(delay)  # where the race lands, not a synchronisation
        if role.startswith("log"):
            args = ["log", "--date", day_of(try_no, role), "leg_pain=5"]
            args += ["--note", f"MARK{try_no}-{role}"]
        else:
            encrypted = cipher.is_encrypted(db_path)
            args = [("passphrase" if try_no % 3 == 0 else "decrypt") if encrypted else "encrypt"]
        started = time.monotonic()
        result = runner.invoke(cli, ["--db", str(db_path), *args])
        took = round(time.monotonic() - started, 3)
        print(json.dumps({"code": result.exit_code, "out": result.output, "s": took}), flush=True)


if __name__ == "__main__":
    main()
