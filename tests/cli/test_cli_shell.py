"""The shell half of "the daily loop": short names, relative dates, `take`, `--db` anywhere,
no diary created by a typo, and progress output only on a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from diazlog.domain import limits
from diazlog.domain.models import TaperStep
from diazlog.store import open_database
from diazlog.store.queries.days import load_day
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import add_symptom, list_symptoms
from diazlog.store.queries.taper import save_step
from tests.conftest import diazepam_medication
from tests.support.helpers import NOW, TODAY
from tests.support.helpers import invoke_cli as invoke

# Every command reads the same fixed time (conftest.fixed_clock).
pytestmark = pytest.mark.usefixtures("fixed_clock")

ROOT = Path(__file__).resolve().parents[2]
PLAN_TIMES = ("08:00", "20:00")


def file_state(path: Path) -> bytes:
    """The diary's row counts of every table a log or take writes: equal means nothing saved."""
    db = open_database(path)
    rows = [
        db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("days", "ratings", "doses", "medications")
    ]
    db.close()
    return repr(rows).encode()


def ratings(path: Path, day: str = TODAY) -> dict[str, int]:
    db = open_database(path)
    keys = {s.id: s.key for s in list_symptoms(db)}
    saved = load_day(db, day)
    return {keys[r.symptom_id]: r.intensity for r in saved.ratings} if saved else {}


def one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("pain", "leg_pain"),
        ("Leg pain", "leg_pain"),
        ("LEG_PAIN", "leg_pain"),
        ("leg-pain", "leg_pain"),
        ("weak", "leg_weakness"),
        ("cramp", "cramps"),
        ("rebound", "rebound_tension"),
    ],
)
def test_a_symptom_by_label_or_unique_prefix(db_path: Path, typed: str, key: str) -> None:
    result = invoke("--db", str(db_path), "log", f"{typed}=6")
    assert result.exit_code == 0, result.output
    assert ratings(db_path) == {key: 6}


@pytest.mark.parametrize(
    ("typed", "field", "value"),
    [
        ("water", "water_glasses", "6"),
        ("activity", "activity_min", "45"),
        ("Sleep", "sleep_hours", "7.5"),
    ],
)
def test_a_day_field_by_label_or_unique_prefix(
    db_path: Path, typed: str, field: str, value: str
) -> None:
    result = invoke("--db", str(db_path), "log", f"{typed}={value}")
    assert result.exit_code == 0, result.output
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None and getattr(saved, field) == float(value)


def test_a_whole_day_in_one_short_command(db_path: Path) -> None:
    result = invoke(
        "--db", str(db_path), "log", "pain=6", "weak=4", "cramps=3", "water=6", "activity=45",
        "--dose", "5@08:00", "--note", "long walk",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ratings(db_path) == {"leg_pain": 6, "leg_weakness": 4, "cramps": 3}
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None
    assert (saved.water_glasses, saved.activity_min, saved.note) == (6, 45, "long walk")
    assert [(d.time, d.amount) for d in saved.doses] == [("08:00", 5)]


@pytest.mark.parametrize(
    ("typed", "choices"),
    [
        ("leg", ("leg_pain", "leg_weakness")),
        ("pain", ("leg_pain", "calf_pain")),  # with a "Calf pain" of the user's own
        ("way", ("walking_interference", "sleep_interference")),
    ],
)
def test_an_ambiguous_name_lists_the_choices_and_saves_nothing(
    db_path: Path, typed: str, choices: tuple[str, ...]
) -> None:
    add_symptom(open_database(db_path), "Calf pain")
    before = file_state(db_path)
    line = one_error_line(invoke("--db", str(db_path), "log", f"{typed}=5"))
    assert f"'{typed}' could be" in line
    for key in choices:
        assert key in line
    assert file_state(db_path) == before


def test_an_exact_label_wins_over_prefixes(db_path: Path) -> None:
    """ "Sleep" is the sleep_hours label, though sleep_interference starts with it too."""
    result = invoke("--db", str(db_path), "log", "sleep=6")
    assert result.exit_code == 0, result.output
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None and saved.sleep_hours == 6 and saved.sleep_interference is None


def test_an_unknown_name_is_refused(db_path: Path) -> None:
    before = file_state(db_path)
    line = one_error_line(invoke("--db", str(db_path), "log", "headache=5"))
    assert "no symptom 'headache'" in line
    assert file_state(db_path) == before


# --- dates and times -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "days_ago"), [("today", 0), ("yesterday", 1), ("-3", 3)])
def test_date_words_and_days_ago(db_path: Path, text: str, days_ago: int) -> None:
    result = invoke("--db", str(db_path), "log", "pain=4", "--date", text)
    assert result.exit_code == 0, result.output
    day = (NOW.date() - timedelta(days=days_ago)).isoformat()
    assert ratings(db_path, day) == {"leg_pain": 4}


def test_an_iso_date_still_works(db_path: Path) -> None:
    day = (NOW.date() - timedelta(days=10)).isoformat()
    result = invoke("--db", str(db_path), "log", "pain=4", "--date", day)
    assert result.exit_code == 0, result.output
    assert ratings(db_path, day) == {"leg_pain": 4}


@pytest.mark.parametrize("text", ["tomorrowish", "-", "-99999", "3", "2026-02-30"])
def test_a_bad_date_is_refused(db_path: Path, text: str) -> None:
    before = file_state(db_path)
    line = one_error_line(invoke("--db", str(db_path), "log", "pain=4", "--date", text))
    assert text in line or "past" in line
    assert file_state(db_path) == before


def later_than_now() -> str:
    """A wall time after NOW on the same day (NOW is evening, so one minute later)."""
    later = NOW + timedelta(minutes=1)
    assert later.date() == NOW.date()
    return f"{later:%H:%M}"


def test_a_dose_later_than_now_today_is_refused(db_path: Path) -> None:
    before = file_state(db_path)
    line = one_error_line(invoke("--db", str(db_path), "log", "--dose", f"5@{later_than_now()}"))
    assert "later than now" in line
    assert file_state(db_path) == before


def test_the_same_dose_time_on_a_past_day_is_fine(db_path: Path) -> None:
    result = invoke(
        "--db", str(db_path), "log", "--dose", f"5@{later_than_now()}", "--date", "yesterday"
    )
    assert result.exit_code == 0, result.output
    day = (NOW.date() - timedelta(days=1)).isoformat()
    saved = load_day(open_database(db_path), day)
    assert saved is not None and [d.time for d in saved.doses] == [later_than_now()]


# --- take ------------------------------------------------------------------------------------


def with_plan(db_path: Path, amount: float = 5) -> None:
    db = open_database(db_path)
    med = save_medication(db, diazepam_medication())
    assert med.id is not None
    save_step(db, TaperStep(None, med.id, "2026-11-01", amount, PLAN_TIMES))


def take_at(monkeypatch: pytest.MonkeyPatch, db_path: Path, hour: int):  # type: ignore[no-untyped-def]
    moment = datetime.combine(NOW.date(), datetime.min.time()).replace(hour=hour)
    monkeypatch.setattr("diazlog.commands.take.now", lambda: moment)
    return invoke("take", "--db", str(db_path))


def dose_times(db_path: Path) -> list[str]:
    saved = load_day(open_database(db_path), TODAY)
    return [d.time for d in saved.doses] if saved else []


def test_take_at_midday_logs_only_the_morning_dose(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_plan(db_path)
    result = take_at(monkeypatch, db_path, 13)
    assert result.exit_code == 0, result.output
    assert dose_times(db_path) == [PLAN_TIMES[0]]
    assert result.output.startswith(f"Took Diazepam 5 mg at {PLAN_TIMES[0]} as planned")
    assert f"not due yet: {PLAN_TIMES[1]}" in result.output


def test_take_in_the_evening_logs_both_and_again_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_plan(db_path)
    first = take_at(monkeypatch, db_path, 21)
    assert first.exit_code == 0, first.output
    assert dose_times(db_path) == list(PLAN_TIMES)
    assert first.output.startswith(f"Took Diazepam 5 mg at {' and '.join(PLAN_TIMES)}")
    before = file_state(db_path)
    second = take_at(monkeypatch, db_path, 21)
    assert second.exit_code == 0, second.output
    assert second.output.startswith("Nothing to take: already logged")
    assert file_state(db_path) == before
    assert dose_times(db_path) == list(PLAN_TIMES)


def test_take_keeps_a_dose_logged_by_hand_near_its_slot(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_plan(db_path)
    assert invoke("--db", str(db_path), "log", "--dose", "5@09:30").exit_code == 0
    result = take_at(monkeypatch, db_path, 21)
    assert result.exit_code == 0, result.output
    assert dose_times(db_path) == ["09:30", PLAN_TIMES[1]]


def test_take_never_doubles_a_dose_logged_hours_late(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 08:00 dose taken at 11:30 (late, not missed): take logs only the 20:00 one."""
    with_plan(db_path)
    assert invoke("--db", str(db_path), "log", "--dose", "5@11:30").exit_code == 0
    result = take_at(monkeypatch, db_path, 21)
    assert result.exit_code == 0, result.output
    assert dose_times(db_path) == ["11:30", PLAN_TIMES[1]]


def test_take_without_a_plan_or_diazepam_logs_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = file_state(db_path)
    result = take_at(monkeypatch, db_path, 21)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Nothing to take: no diazepam")
    assert file_state(db_path) == before


def test_take_uses_the_usual_dose_without_a_plan(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    med = replace(diazepam_medication(), usual_amount=2.0, usual_times=PLAN_TIMES)
    save_medication(open_database(db_path), med)
    result = take_at(monkeypatch, db_path, 13)
    assert result.exit_code == 0, result.output
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None
    assert [(d.time, d.amount) for d in saved.doses] == [(PLAN_TIMES[0], 2.0)]


# --- --db anywhere, and no diary made by a typo ----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["status"], ["flags"], ["take"], ["log", "pain=3"], ["backup", "--out", "{tmp}/b.db"]],
)
def test_db_after_the_subcommand(db_path: Path, tmp_path: Path, args: list[str]) -> None:
    decoy = tmp_path / "decoy"  # the group's --db, overridden by the subcommand's
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = invoke("--db", str(decoy / "x.db"), args[0], "--db", str(db_path), *args[1:])
    assert result.exit_code == 0, result.output
    assert not decoy.exists()


def test_log_db_after_the_subcommand_saves_there(db_path: Path) -> None:
    result = invoke("log", "--db", str(db_path), "pain=6")
    assert result.exit_code == 0, result.output
    assert ratings(db_path) == {"leg_pain": 6}


def test_report_and_export_with_db_after_the_subcommand(db_path: Path, tmp_path: Path) -> None:
    report = invoke("report", "--db", str(db_path), "--out", str(tmp_path / "v.md"))
    assert report.exit_code == 0, report.output
    assert (tmp_path / "v.md").exists()
    export = invoke("export", "--db", str(db_path), "--out", str(tmp_path / "exp"))
    assert export.exit_code == 0, export.output
    assert (tmp_path / "exp").is_dir()


@pytest.mark.parametrize(
    "args",
    [["report", "--out", "{tmp}/v.md"], ["export", "--out", "{tmp}/exp"], ["flags"], ["backup"]],
)
def test_a_reading_command_refuses_a_missing_diary(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "typo" / "diary.db"
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    line = one_error_line(invoke(args[0], "--db", str(missing), *args[1:]))
    assert str(missing) in line
    assert not missing.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_status_on_a_missing_diary_says_so_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "diary.db"
    result = invoke("status", "--db", str(missing))
    assert result.exit_code == 0
    assert "no diary yet" in result.output
    assert not missing.parent.exists()


@pytest.mark.parametrize("args", [["log", "pain=5"], ["take"]])
def test_log_and_take_without_a_terminal_refuse_a_missing_diary(
    tmp_path: Path, args: list[str]
) -> None:
    missing = tmp_path / "typo" / "diary.db"
    line = one_error_line(invoke(args[0], "--db", str(missing), *args[1:]))
    assert str(missing) in line and "--create" in line
    assert not missing.parent.exists()


def test_log_create_starts_a_diary(tmp_path: Path) -> None:
    path = tmp_path / "new" / "diary.db"
    result = invoke("log", "--db", str(path), "--create", "pain=5")
    assert result.exit_code == 0, result.output
    assert ratings(path) == {"leg_pain": 5}


@pytest.mark.parametrize(("answer", "created"), [("y\n", True), ("n\n", False), ("\n", False)])
def test_log_on_a_terminal_asks_before_creating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str, created: bool
) -> None:
    monkeypatch.setattr("diazlog.commands.diary.is_terminal", lambda: True)
    path = tmp_path / "new" / "diary.db"
    result = invoke("log", "--db", str(path), "pain=5", stdin=answer)
    assert f"Create a new diary at {path.resolve()}?" in result.stderr
    assert result.exit_code == (0 if created else 2), result.output
    assert path.exists() is created


# --- progress only on a terminal -------------------------------------------------------------


@pytest.mark.parametrize("terminal", [True, False])
def test_report_progress_only_on_a_terminal(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    monkeypatch.setattr("diazlog.commands.report.stderr_is_terminal", lambda: terminal)
    result = invoke("--db", str(db_path), "report", "--out", str(tmp_path / "v.md"))
    assert result.exit_code == 0, result.output
    assert ("Building the report" in result.stderr) is terminal, result.stderr


def test_a_real_process_with_stderr_in_a_pipe_prints_no_progress(
    db_path: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "diazlog", "report", "--db", str(db_path), "--out", "v.md"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "v.md").exists()
    assert result.stderr == ""


def test_days_ago_go_through_the_same_checks_as_iso_dates() -> None:
    """`--date -N` and the words go through the same future/past check as ISO dates."""
    from diazlog.domain.validation import InvalidInput, parse_day

    today = date.fromisoformat(TODAY)
    assert parse_day("-0", today) == TODAY
    with pytest.raises(InvalidInput, match="too far in the past"):
        parse_day(f"-{(today - date.fromisoformat(limits.EARLIEST_DATE)).days + 1}", today)
