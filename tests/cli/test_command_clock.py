"""The shell's clock is one function (commands/support.py): every command reads the time through
it, so setting `support.clock` fixes the time of all of them, and no command keeps its own."""

from __future__ import annotations

import ast
import importlib
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from diazlog.cli import SUBCOMMANDS, cli
from diazlog.commands import support
from diazlog.store import open_database
from diazlog.store.queries.days import load_day
from tests.support.helpers import NOW

COMMANDS = Path(support.__file__).parent
# The subcommand modules that read the time (encrypt does not).
TIMED = sorted(
    m
    for m in {v.split(":")[0] for v in SUBCOMMANDS.values()}
    if hasattr(importlib.import_module(m), "now")
)


def test_no_command_module_defines_its_own_clock() -> None:
    own = []
    for path in sorted(COMMANDS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name == "now":
                own.append(path.name)
            elif (
                isinstance(node, ast.Attribute)
                and node.attr == "now"
                and isinstance(node.value, ast.Name)
                and node.value.id in {"datetime", "date"}
                and path.name != "support.py"
            ):
                own.append(f"{path.name}:{node.lineno} calls {node.value.id}.now")
    assert own == ["support.py"]


@pytest.mark.parametrize("module_name", TIMED)
def test_every_command_that_tells_the_time_reads_the_one_clock(
    module_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.import_module(module_name)
    assert module.now is support.now
    monkeypatch.setattr(support, "clock", lambda: NOW)
    assert module.now() == NOW


def test_setting_the_clock_dates_what_a_command_logs(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`log` without --date logs on the clock's day: 2024-02-29 here, not the machine's."""
    leap = datetime(2024, 2, 29, 21, 0)
    monkeypatch.setattr(support, "clock", lambda: leap)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "log", "leg_pain=4"])
    assert result.exit_code == 0, result.output
    day = load_day(open_database(db_path), "2024-02-29")
    assert day is not None
    assert [r.intensity for r in day.ratings] == [4]
