"""Plain `diazlog` runs the app through diazlog/launch.py without importing click; any
argument goes to the command line. Each case runs the real script's entry in a fresh
interpreter (click is already imported in this one), with the app's run() replaced by a
line saying what it would have opened."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import sys
sys.argv = ["diazlog", *sys.argv[1:]]
from diazlog.launch import main
import diazlog.app

def run(self, **kwargs):
    print("APP", self.db_path, self.read_only, "click" in sys.modules, flush=True)

diazlog.app.DiazlogApp.run = run
try:
    main()
except SystemExit as exc:
    print("EXIT", exc.code)
"""


def launch(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_plain_diazlog_opens_the_default_diary_without_click(db_path: Path) -> None:
    result = launch(env={"DIAZLOG_DB": str(db_path)})
    assert result.stdout.splitlines() == [f"APP {db_path} False False", "EXIT 0"], result.stderr


def test_plain_diazlog_creates_a_first_diary_for_the_user_alone(tmp_path: Path) -> None:
    diary = tmp_path / "data" / "diary.db"
    result = launch(env={"DIAZLOG_DB": str(diary)})
    # Creating the schema goes through sqlite-utils, which imports click itself.
    assert result.stdout.splitlines() == [f"APP {diary} False True", "EXIT 0"], result.stderr
    assert stat.S_IMODE(diary.stat().st_mode) == 0o600
    assert stat.S_IMODE(diary.parent.stat().st_mode) == 0o700


def test_plain_diazlog_refuses_a_foreign_file_in_one_line(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.db"
    foreign.write_text("my shopping list\n")
    result = launch(env={"DIAZLOG_DB": str(foreign)})
    assert result.stdout.splitlines() == ["EXIT 2"]
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("diazlog: ") and "notes.db" in line
    assert foreign.read_text() == "my shopping list\n"


@pytest.mark.parametrize("args", [["--db", "{diary}"], ["--db={diary}"]])
def test_any_argument_goes_through_the_command_line(tmp_path: Path, args: list[str]) -> None:
    diary = tmp_path / "other.db"
    result = launch(*(a.format(diary=diary) for a in args), env={})
    assert result.stdout.splitlines() == [f"APP {diary} False True", "EXIT 0"], result.stderr


def test_version_still_answers(tmp_path: Path) -> None:
    result = launch("--version", env={})
    assert "diazlog, version" in result.stdout
