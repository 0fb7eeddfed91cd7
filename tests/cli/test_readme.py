"""The README's set-up commands are the ones CI and a new user actually run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]


def commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_two_setup_commands_demo_then_tests() -> None:
    run_app, run_tests = commands()
    assert "diazlog --demo" in run_app
    assert "pytest" in run_tests


def test_ci_runs_the_readme_test_command() -> None:
    assert commands()[1] in (ROOT / ".ci" / "run").read_text()


def test_every_screenshot_named_in_the_readme_exists() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in re.findall(r"\(screenshots/([\w.-]+\.svg)\)", readme):
        assert (ROOT / "screenshots" / name).is_file(), name
