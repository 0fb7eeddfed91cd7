"""A killed `export --out DIR` (DIR anywhere, not only exports/) leaves nothing behind after
the next start: its temporary folder, the diary's rows in plain text even for an encrypted
diary, is listed beside the diary while it is written (store/pending.py), and every start
removes what is listed. The export is stopped at its critical step by a named stopping point
(store/faults.py), not by a timed kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from diazlog.cli import cli
from diazlog.store.file.faults import STOP_VAR, STOPPED
from diazlog.store.file.pending import REGISTER

ROOT = Path(__file__).resolve().parents[2]


def kill_export_at(db_path: Path, out: Path, step: str) -> None:
    """Run `diazlog export --out out`, stopped at `step`, and kill it there."""
    child = subprocess.Popen(
        [sys.executable, "-m", "diazlog", "--db", str(db_path), "export", "--out", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, STOP_VAR: step, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None and child.stderr is not None
    line = child.stdout.readline()  # the child's signal that it stands at `step`
    if line.strip() != f"{STOPPED} {step}":
        child.kill()
        pytest.fail(f"child did not stop at {step}: {line!r} {child.stderr.read()}")
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    child.stderr.close()
    assert child.stdin is not None
    child.stdin.close()


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("diary_kind", ["encrypted"], indirect=True)
def test_a_killed_export_elsewhere_is_cleared_by_the_next_start(
    db_path: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["--db", str(db_path), "log", "--note", "secret words"]).exit_code == 0
    )
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    (elsewhere / "mine.txt").write_text("the user's own file")
    kill_export_at(db_path, elsewhere / "out", "export-written")
    left = leftovers(elsewhere)
    assert len(left) == 1 and (left[0] / "days.csv").is_file()  # the plaintext a kill leaves
    assert "secret words" in (left[0] / "days.csv").read_text()
    assert not (elsewhere / "out").exists()
    # Any command's start clears it (here `status`), and only it.
    result = runner.invoke(cli, ["--db", str(db_path), "status"])
    assert result.exit_code == 0, result.output
    assert leftovers(elsewhere) == []
    assert sorted(p.name for p in elsewhere.iterdir()) == ["mine.txt"]
    assert list((db_path.parent / REGISTER).iterdir()) == []


def test_a_finished_export_leaves_no_entry_and_a_users_folder_is_never_removed(
    db_path: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "elsewhere" / "out"
    assert runner.invoke(cli, ["--db", str(db_path), "export", "--out", str(out)]).exit_code == 0
    assert list((db_path.parent / REGISTER).iterdir()) == []
    # An entry naming a folder that is not an export temp (a hand-made or hostile one).
    theirs = tmp_path / "elsewhere" / ".photos.diazlog-abcdefgh.tmp"
    theirs.mkdir()
    (theirs / "photo.jpg").write_bytes(b"jpg")
    (db_path.parent / REGISTER / "x.path").write_text(str(theirs))
    assert runner.invoke(cli, ["--db", str(db_path), "status"]).exit_code == 0
    assert (theirs / "photo.jpg").read_bytes() == b"jpg"
