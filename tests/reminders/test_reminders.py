"""Reminders without a server (issue 23): the dose calendar, the schedule file, the units,
`diazlog remind --now` against a fake notification service, and what is due when.

The diary: diazepam 5 mg at 08:00 + 2.5 mg at 20:00 from 2027-03-25, 2.5 mg at both from
2027-03-28, the day Europe/London's clocks go forward; an appointment on 2027-04-01.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from diazlog.cli import cli
from diazlog.commands import support
from diazlog.domain.due_notice import DueDose, due_between, notice_text, times_between, unlogged
from diazlog.domain.models import Dose, Medication, TaperStep
from diazlog.domain.plan import MedicineDose
from diazlog.reminders import refresh
from diazlog.reminders.ics import CalendarOptions, build
from diazlog.reminders.schedule import expand, times_by_day, window_end
from diazlog.reminders.schedule_file import from_plan, read, to_bytes
from diazlog.reminders.units import crontab_lines, service_text, timer_text
from diazlog.store import open_database
from diazlog.store.queries.appointments import set_appointment

ROOT = Path(__file__).resolve().parents[2]
ZONE = "Europe/London"
CLOCK = datetime(2027, 3, 26, 10, 0)


@pytest.fixture
def diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The diary above, the shell's clock fixed at CLOCK, state and config in tmp_path."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(support, "clock", lambda: CLOCK)  # the shell's one clock
    # Doses are logged up to the step day's evening (a diary records what happened).
    monkeypatch.setattr("diazlog.commands.log.now", lambda: datetime(2027, 3, 28, 22, 0))
    path = tmp_path / "d.db"
    run(path, "plan", "--create", "--past", "--from", "2027-03-25", "5@08:00", "2.5@20:00")
    run(path, "plan", "--from", "2027-03-28", "2.5@08:00", "2.5@20:00")
    db = open_database(path)
    set_appointment(db, "2027-04-01", "Dr Kaur")
    db.close()
    return path


def run(path: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["--db", str(path), *args])
    assert result.exit_code == code, result.output
    return result.output


def events(path: Path) -> list:  # type: ignore[type-arg]
    return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def doses(path: Path) -> dict[str, object]:
    """Dose events by their start (UTC, ISO) -> the event."""
    return {
        e.start.astimezone(UTC).isoformat(): e
        for e in events(path)
        if str(e["SUMMARY"]).startswith("Dose reminder")
    }


def test_the_calendar_has_each_dose_at_its_time_across_the_clock_change(
    diary: Path, tmp_path: Path
) -> None:
    out = tmp_path / "doses.ics"
    said = run(diary, "calendar", "--out", str(out), "--tz", ZONE, "--weeks", "1", "--before", "10")
    assert "Wrote" in said and ZONE in said
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    calendar = Calendar.from_ical(out.read_bytes())
    assert [tz.tz_name for tz in calendar.timezones] == [ZONE]
    found = doses(out)
    # 20:00 GMT the day before, 08:00 BST (07:00 UTC) on the day the clocks go forward.
    assert "2027-03-27T20:00:00+00:00" in found
    assert "2027-03-28T07:00:00+00:00" in found and "2027-03-28T19:00:00+00:00" in found
    assert "2027-03-28T08:00:00+00:00" not in found
    first = found["2027-03-26T08:00:00+00:00"]
    assert str(first.start.tzinfo) == ZONE  # a wall time in the zone, not a UTC time
    alarms = list(first.walk("VALARM"))
    assert len(alarms) == 1 and alarms[0]["TRIGGER"].dt == -timedelta(minutes=10)
    # The window: from the clock's day, one week; the past step day is not repeated.
    assert min(found) == "2027-03-26T08:00:00+00:00" and len(found) == 14
    step = [e for e in events(out) if str(e["SUMMARY"]) == "Plan changes today"]
    assert [str(e.start) for e in step] == ["2027-03-28"]
    visit = [e for e in events(out) if str(e["SUMMARY"]) == "Doctor's appointment"]
    assert [str(v.start) for v in visit] == ["2027-04-01"]
    (alarm,) = visit[0].walk("VALARM")
    assert alarm["TRIGGER"].dt == -timedelta(hours=4)  # 20:00 the evening before
    assert "take your report" in str(alarm["DESCRIPTION"])


def test_no_medicine_name_or_amount_without_names(diary: Path, tmp_path: Path) -> None:
    db = open_database(diary)
    db.execute("UPDATE medications SET name = ?", ["Valzepam\x1b[2J"])  # as an import may
    db.close()
    plain, named = tmp_path / "plain.ics", tmp_path / "named.ics"
    run(diary, "calendar", "--out", str(plain), "--tz", ZONE, "--check-in", "21:30")
    text = plain.read_text()
    for word in ("Valzepam", "2.5", " mg", "Kaur"):
        assert word not in text
    assert all(not e.get("DESCRIPTION") for e in events(plain))
    run(diary, "calendar", "--out", str(named), "--tz", ZONE, "--names")
    named_text = named.read_text()
    assert "Kaur" in named_text and "\x1b" not in named_text
    titles = {str(e["SUMMARY"]) for e in events(named)}
    assert "Dose reminder: Valzepam\\x1b[2J 2.5 mg" in titles  # the escape shown, never sent


def test_uids_stay_the_same_across_regenerations(
    diary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "doses.ics"
    run(diary, "calendar", "--out", str(out), "--tz", ZONE)
    first = {str(e["UID"]): e.start for e in events(out)}
    stamps = {str(e["DTSTAMP"]) for e in events(out)}
    monkeypatch.setattr(support, "clock", lambda: CLOCK + timedelta(hours=3))
    run(diary, "calendar", "--out", str(out), "--tz", ZONE)
    second = {str(e["UID"]): e.start for e in events(out)}
    assert second == first and len(first) == len(events(out))
    assert {str(e["DTSTAMP"]) for e in events(out)} != stamps  # rewritten, same UIDs
    assert len(set(first)) == len(first)


def test_the_calendar_follows_the_plan_from_the_shell_until_off(
    diary: Path, tmp_path: Path
) -> None:
    out = tmp_path / "doses.ics"
    run(diary, "calendar", "--out", str(out), "--tz", ZONE, "--names")
    assert "Diazepam 2 mg" not in out.read_text()
    run(diary, "plan", "--from", "2027-04-02", "2@08:00", "2@20:00")
    assert "Diazepam 2 mg" in out.read_text()  # rewritten by the plan command's write
    assert "2027-04-02" in {str(e.start) for e in events(out)}
    run(diary, "log", "--date", "2027-03-26", "--dose", "2.5@21:00")  # no plan change: same
    db = open_database(diary)  # an appointment moved (as the Doctor screen saves it)
    set_appointment(db, "2027-04-05", "Dr Kaur")
    db.close()
    visits = [e for e in events(out) if str(e["SUMMARY"]) == "Doctor's appointment"]
    assert [str(v.start) for v in visits] == ["2027-04-05"]
    said = run(diary, "calendar", "--off")
    assert str(out) in said
    before = out.read_bytes()
    run(diary, "plan", "--from", "2027-04-03", "1@08:00")
    assert out.read_bytes() == before


def test_a_calendar_folder_that_is_gone_is_said_and_the_save_kept(
    diary: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    run(diary, "calendar", "--out", str(folder / "doses.ics"), "--tz", ZONE)
    shutil.rmtree(folder)
    result = CliRunner().invoke(cli, ["--db", str(diary), "plan", "--from", "2027-04-02", "2"])
    assert result.exit_code == 0
    assert "was not updated" in result.output
    assert "2027-04-02" in run(diary, "plan")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--check-in", "25:00"], "not a time of day"),
        (["--tz", "Mars/Olympus"], "not a time zone"),
        ([], "say where to write it"),
    ],
)
def test_bad_calendar_options_are_one_line(
    diary: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = ["--out", str(tmp_path / "x.ics")] if args else []
    result = CliRunner().invoke(cli, ["--db", str(diary), "calendar", *out, *args])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "x.ics").exists()


def test_a_second_reader_expands_the_calendar_as_a_calendar_program_would(
    diary: Path, tmp_path: Path
) -> None:
    import recurring_ical_events

    out = tmp_path / "doses.ics"
    run(diary, "calendar", "--out", str(out), "--tz", ZONE, "--check-in", "21:30")
    calendar = Calendar.from_ical(out.read_bytes())
    day = recurring_ical_events.of(calendar).at((2027, 3, 28))
    titles = sorted(str(e["SUMMARY"]) for e in day)
    assert titles == [
        "Dose reminder",
        "Dose reminder",
        "Log your day in diazlog",
        "Plan changes today",
    ]
    check_in = [e for e in day if str(e["SUMMARY"]).startswith("Log")][0]
    assert check_in.start.astimezone(UTC).hour == 20  # 21:30 BST
    weeks = recurring_ical_events.of(calendar).between((2027, 3, 26), (2027, 5, 21))
    assert sum(1 for e in weeks if str(e["SUMMARY"]).startswith("Log")) == 56


def test_the_schedule_file_holds_times_only_and_reads_back(diary: Path, tmp_path: Path) -> None:
    said = run(diary, "remind", "--install", "--cron")
    assert "crontab -e" in said and "0 20 * * *" in said
    db = open_database(diary)
    path = refresh.write_schedule(db, diary.resolve(), CLOCK)
    db.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert "azepam" not in text and "2.5" not in text
    schedule = read(path)
    assert schedule.times_on("2027-03-26") == ("08:00", "20:00")
    assert schedule.times_on("2030-01-01") == ("08:00", "20:00")  # the last run goes on
    assert schedule.times_on("2027-03-01") == ()
    assert "2027-03-28" in schedule.step_days
    run(diary, "remind", "--uninstall")
    assert not path.exists()


def test_a_schedule_round_trips_and_a_foreign_file_is_refused(tmp_path: Path) -> None:
    med = Medication(1, "X", usual_amount=1, usual_times=("09:00",), started_on="2027-01-02")
    plan = expand("2027-01-01", "2027-01-03", [med], [])
    schedule = from_plan(plan)
    assert schedule.runs == (("2027-01-01", ()), ("2027-01-02", ("09:00",)))
    path = tmp_path / "s.json"
    path.write_bytes(to_bytes(schedule))
    assert read(path) == schedule
    path.write_text(json.dumps({"diazlog_schedule": 1, "runs": [["x", []]], "step_days": []}))
    with pytest.raises(ValueError, match="not a diazlog reminder schedule"):
        read(path)


def test_the_window_reaches_the_last_step() -> None:
    steps = [TaperStep(1, 1, "2027-09-01", 1.0)]
    assert window_end("2027-03-26", 8, steps) == "2027-09-01"
    assert window_end("2027-03-26", 1, []) == "2027-04-01"


SERVICE_QUOTING = ["/opt/my python/bin/python", "-m", "diazlog", "--db", '/home/a "b"/100%.db']


def test_units_quote_every_argument_and_verify(tmp_path: Path) -> None:
    service = service_text(SERVICE_QUOTING)
    assert '"/home/a \\"b\\"/100%%.db"' in service
    timer = timer_text(["20:00", "08:00", "08:00"])
    assert timer.count("OnCalendar=") == 2 and "OnCalendar=*-*-* 08:00:00" in timer
    lines = crontab_lines(SERVICE_QUOTING, ["08:05"], "unix:path=/run/user/1/bus")
    assert lines[0].startswith("5 8 * * * DBUS_SESSION_BUS_ADDRESS=") and "100\\%.db" in lines[0]
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    folder = tmp_path / "units"
    folder.mkdir()
    (folder / "diazlog-remind.service").write_text(service_text([sys.executable, "-V"]))
    (folder / "diazlog-remind.timer").write_text(timer)
    done = subprocess.run(
        ["systemd-analyze", "verify", *(str(p) for p in sorted(folder.iterdir()))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_install_writes_units_that_systemd_accepts(diary: Path, tmp_path: Path) -> None:
    said = run(diary, "remind", "--install", "--systemd")
    folder = tmp_path / "config" / "systemd" / "user"
    timer = folder / "diazlog-remind.timer"
    assert "systemctl --user enable --now diazlog-remind.timer" in said
    assert timer_text(["08:00", "20:00"]) == timer.read_text()
    # A new time in the plan: the timer follows (and the user is told to reload).
    result = CliRunner().invoke(
        cli, ["--db", str(diary), "plan", "--from", "2027-04-02", "2@09:00"]
    )
    assert result.exit_code == 0 and "daemon-reload" in result.output
    assert "OnCalendar=*-*-* 09:00:00" in timer.read_text()
    if shutil.which("systemd-analyze") is not None:
        done = subprocess.run(
            ["systemd-analyze", "verify", str(timer), str(folder / "diazlog-remind.service")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
    run(diary, "remind", "--uninstall")
    assert not timer.exists() and not (folder / "diazlog-remind.service").exists()


# -- what is due (pure) ------------------------------------------------------------------

PLANNED = [MedicineDose(1, "08:00", 5), MedicineDose(1, "20:00", 2.5), MedicineDose(2, "20:00", 1)]


@pytest.mark.parametrize(
    ("logged", "due"),
    [
        ((), ["08:00/1", "20:00/1", "20:00/2"]),  # must fire: nothing logged
        ((Dose(1, "20:10", 2.5),), ["08:00/1", "20:00/2"]),  # a logged dose covers its slot
        ((Dose(1, "20:10", 2.5, as_needed=True),), ["08:00/1", "20:00/1", "20:00/2"]),
        ((Dose(2, "20:00", 1), Dose(1, "08:00", 5), Dose(1, "19:00", 2.5)), []),
        ((Dose(1, "06:30", 5),), ["20:00/1", "20:00/2"]),  # early, within 2 h of 08:00
        ((Dose(1, "05:00", 5),), ["08:00/1", "20:00/1", "20:00/2"]),  # 3 h early: not it
    ],
)
def test_unlogged_doses(logged: tuple[Dose, ...], due: list[str]) -> None:
    found = unlogged("2027-03-26", PLANNED, logged)
    assert [f"{d.time}/{d.medication_id}" for d in found] == due


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2027-03-26T20:05", [("2027-03-26", "20:00")]),  # must fire
        ("2027-03-26T20:00", [("2027-03-26", "20:00")]),
        ("2027-03-26T20:16", []),  # must not fire: more than 15 minutes ago
        ("2027-03-26T19:59", []),  # must not fire: not yet
        ("2027-03-27T00:05", [("2027-03-26", "23:55")]),  # across midnight
    ],
)
def test_times_due_in_the_last_15_minutes(now: str, expected: list[tuple[str, str]]) -> None:
    moment = datetime.fromisoformat(now)
    found = times_between(
        moment - timedelta(minutes=15), moment, lambda day: ("08:00", "20:00", "23:55")
    )
    assert found == expected


def test_due_between_leaves_out_a_logged_dose() -> None:
    now = datetime(2027, 3, 26, 20, 5)
    since = now - timedelta(minutes=15)
    assert due_between(since, now, lambda d: PLANNED, lambda d: [Dose(1, "20:01", 2.5)]) == [
        DueDose("2027-03-26", "20:00", 2, 1)
    ]


def test_the_notice_says_the_new_plan_first_and_escapes_names() -> None:
    text = notice_text(
        [DueDose("2027-03-28", "20:00", 1, 2.5)],
        {1: ("Dia\x1b[2Jzepam", "mg")},
        step_today="2 × 2.5 mg (08:00, 20:00)",
    )
    first, second = text.splitlines()
    assert first == "Plan changes today: 2 × 2.5 mg (08:00, 20:00)"
    assert "\x1b" not in second and second.endswith("2.5 mg due: space takes it")


# -- remind --now ----------------------------------------------------------------------------


def remind_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBUS")}
    env.update(
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=str(ROOT),
    )
    env.pop("DISPLAY", None)
    return env


def remind_now(diary: Path, at: str) -> list[str]:
    return [sys.executable, "-m", "diazlog", "--db", str(diary), "remind", "--now", "--at", at]


@pytest.mark.skipif(shutil.which("dbus-run-session") is None, reason="needs dbus-run-session")
def test_remind_now_notifies_a_due_dose_and_not_a_logged_one(diary: Path, tmp_path: Path) -> None:
    run(diary, "remind", "--install", "--cron")
    run(diary, "log", "--date", "2027-03-28", "--dose", "2.5@08:02")
    record = tmp_path / "notified.jsonl"

    def under_session(at: str) -> dict[str, object]:
        done = subprocess.run(
            [
                "dbus-run-session",
                "--",
                sys.executable,
                str(ROOT / "tests" / "support" / "fake_notifications.py"),
                "drive",
                str(record),
                "--",
                *remind_now(diary, at),
            ],
            capture_output=True,
            text=True,
            env=remind_env(tmp_path),
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]

    due = under_session("2027-03-28T20:07")
    assert due["rc"] == 0, due
    notified = [json.loads(line) for line in record.read_text().splitlines()]
    assert notified == [
        {
            "app": "diazlog",
            "summary": "Dose reminder",
            "body": "Your 20:00 dose is due: log it in diazlog (space on Today, or "
            "`diazlog take`). Your plan changes today: check the new amount.",
        }
    ]
    logged = under_session("2027-03-28T08:10")  # the 08:00 dose is logged: nothing
    assert logged["rc"] == 0 and "Nothing due" in str(logged["out"])
    assert len(record.read_text().splitlines()) == 1


def test_remind_now_without_a_session_bus_is_one_line_and_exit_2(
    diary: Path, tmp_path: Path
) -> None:
    done = subprocess.run(
        remind_now(diary, "2027-03-26T20:03"),
        capture_output=True,
        text=True,
        env=remind_env(tmp_path),
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "no D-Bus session bus" in lines[0] and "20:00" in lines[0]


def test_an_encrypted_diary_without_its_passphrase_uses_the_schedule_times(
    diary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No passphrase here: `remind --now` still knows 20:00 is due, from the schedule file
    (so the failure names it), and never asks for the passphrase."""
    from diazlog.reminders.schedule_file import schedule_path

    run(diary, "remind", "--install", "--cron")
    monkeypatch.setattr("diazlog.commands.remind._readable", lambda path: False)
    result = CliRunner(env={"DBUS_SESSION_BUS_ADDRESS": "", "DISPLAY": ""}).invoke(
        cli, ["--db", str(diary), "remind", "--now", "--at", "2027-03-26T20:03"]
    )
    assert result.exit_code == 2 and "the 20:00 dose reminder" in result.output
    schedule_path(refresh.state_folder(), diary).unlink()
    result = CliRunner().invoke(
        cli, ["--db", str(diary), "remind", "--now", "--at", "2027-03-26T20:03"]
    )
    assert result.exit_code == 2 and "remind --install" in result.output


def test_import_and_restore_rewrite_the_calendar(diary: Path, tmp_path: Path) -> None:
    out = tmp_path / "doses.ics"
    run(diary, "calendar", "--out", str(out), "--tz", ZONE)

    def step_days() -> list[str]:
        return sorted(
            str(e.start) for e in events(out) if str(e["SUMMARY"]) == "Plan changes today"
        )

    assert step_days() == ["2027-03-28"]
    run(diary, "backup", "--out", str(tmp_path / "before.db"))
    run(diary, "export", "--format", "json", "--out", str(tmp_path / "export"))
    run(diary, "plan", "--remove", "2027-03-28")
    assert step_days() == []
    run(diary, "import", str(tmp_path / "export"))
    assert step_days() == ["2027-03-28"]  # the imported step is back in the calendar
    run(diary, "plan", "--remove", "2027-03-28")
    assert step_days() == []
    run(diary, "restore", str(tmp_path / "before.db"))
    assert step_days() == ["2027-03-28"]


# -- invariants ----------------------------------------------------------------------------


TIMES = st.sampled_from(["00:30", "01:30", "02:30", "08:00", "12:15", "20:00", "23:59"])
DAYS = st.integers(0, 9).map(lambda n: (datetime(2027, 3, 24) + timedelta(days=n)).date())


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[Medication], list[TaperStep]]:
    meds = [
        Medication(1, "Diazepam", is_diazepam=True, usual_amount=5, usual_times=("08:00",)),
        Medication(
            2,
            "Other",
            usual_amount=1,
            usual_times=tuple(sorted(draw(st.sets(TIMES)))),
            stopped_on=draw(st.none() | DAYS.map(str)),
        ),
    ]
    steps = [
        TaperStep(None, 1, str(day), amount, tuple(sorted(times)))
        for day, amount, times in draw(
            st.lists(
                st.tuples(DAYS, st.sampled_from([0.0, 2.5, 5.0]), st.sets(TIMES)),
                max_size=3,
                unique_by=lambda t: t[0],
            )
        )
    ]
    return meds, steps


@settings(max_examples=25, deadline=None)
@given(plans())
def test_every_timed_dose_is_one_event_at_its_wall_time_and_the_schedule_agrees(
    plan_input: tuple[list[Medication], list[TaperStep]],
) -> None:

    from diazlog.domain.plan import doses_on
    from diazlog.reminders.schedule import days_between

    meds, steps = plan_input
    plan = expand("2027-03-25", "2027-03-31", meds, steps)
    data = build(plan, CalendarOptions(ZONE), "salt", datetime(2027, 3, 25, tzinfo=UTC))
    found = [
        e for e in Calendar.from_ical(data).walk("VEVENT") if str(e["SUMMARY"]) == "Dose reminder"
    ]
    expected = sorted(
        (day, d.time, d.medication_id)
        for day in days_between("2027-03-25", "2027-03-31")
        for d in doses_on(day, meds, steps)
        if d.time is not None
    )
    assert sorted(str(e.start.date()) + e.start.strftime("%H:%M") for e in found) == sorted(
        day + time for day, time, _ in expected
    )
    assert len({str(e["UID"]) for e in found}) == len(found)
    schedule = read_back(plan)
    for day in days_between("2027-03-25", "2027-03-31"):
        assert schedule.times_on(day) == times_by_day(plan).get(day, ())


def read_back(plan):  # type: ignore[no-untyped-def]
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.json"
        path.write_bytes(to_bytes(from_plan(plan)))
        return read(path)


def test_a_read_only_diary_refuses_in_one_line_and_writes_no_calendar(
    diary: Path, tmp_path: Path
) -> None:
    diary.chmod(0o400)
    try:
        result = CliRunner().invoke(
            cli, ["--db", str(diary), "calendar", "--out", str(tmp_path / "x.ics")]
        )
    finally:
        diary.chmod(0o600)
    assert result.exit_code == 2 and "read-only" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "x.ics").exists()


@pytest.mark.skipif(shutil.which("dbus-run-session") is None, reason="needs dbus-run-session")
def test_an_encrypted_diary_is_reminded_without_its_passphrase(tmp_path: Path) -> None:
    """Installed with the passphrase file; the timer's run has none: the schedule file's
    times are enough to notify, and the passphrase is never asked for."""
    from diazlog.store.file.cipher import PASSPHRASE_FILE_VAR, create_encrypted, is_encrypted
    from tests.conftest import PASSPHRASE

    diary = tmp_path / "private" / "d.db"
    diary.parent.mkdir(mode=0o700)
    create_encrypted(diary, PASSPHRASE)
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    env = remind_env(tmp_path)
    with_key = {**env, PASSPHRASE_FILE_VAR: str(secret)}
    shell = [sys.executable, "-m", "diazlog", "--db", str(diary)]
    for args in (["plan", "--past", "--from", "2027-03-25", "2.5@20:00"], ["remind", "--install"]):
        done = subprocess.run(
            [*shell, *args], capture_output=True, text=True, env=with_key, timeout=120
        )
        assert done.returncode == 0, done.stderr
    assert is_encrypted(diary)
    record = tmp_path / "notified.jsonl"
    done = subprocess.run(
        [
            "dbus-run-session",
            "--",
            sys.executable,
            str(ROOT / "tests" / "support" / "fake_notifications.py"),
            "drive",
            str(record),
            "--",
            *remind_now(diary, "2027-03-26T20:04"),
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rc"] == 0, result
    assert "Passphrase" not in result["err"]
    (notified,) = [json.loads(line) for line in record.read_text().splitlines()]
    assert notified["body"].startswith("Your 20:00 dose is due")


def test_the_hook_keeps_quiet_on_a_database_that_keeps_no_reminders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a commit on a database without the settings table, or a diary that set up no
    reminders, the hook writes nothing and says nothing; a failing refresh is said, not
    raised into the save."""
    from sqlite_utils import Database

    from diazlog.store.file.transactions import writing

    monkeypatch.setattr("diazlog.store.file.transactions.AFTER_COMMIT", [])
    said: list[str] = []
    refresh.install_hook(said.append, lambda: CLOCK)
    bare = Database(tmp_path / "bare.db")
    with writing(bare):
        bare.execute("CREATE TABLE t (x)")
    diary = open_database(tmp_path / "d.db")
    with writing(diary):
        diary.execute("INSERT INTO settings (key, value) VALUES ('theme', 'x')")
    assert said == []
    monkeypatch.setattr(refresh, "refresh_jobs", lambda db, now: 1 / 0)
    with writing(diary):
        diary.execute("UPDATE settings SET value = 'y' WHERE key = 'theme'")
    assert said == ["the reminder files were not updated: division by zero"]
    assert diary.execute("SELECT value FROM settings WHERE key = 'theme'").fetchone()[0] == "y"


@pytest.mark.parametrize(
    "args",
    [
        ["calendar", "--out", "x.ics"],
        ["calendar", "--off"],
        ["remind", "--install"],
        ["remind", "--now"],
        ["remind", "--uninstall"],
    ],
)
def test_a_mistyped_diary_path_creates_nothing(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "typo.db"
    result = CliRunner().invoke(cli, ["--db", str(missing), *args])
    assert result.exit_code == 2 and "no diary at" in result.output
    assert not missing.exists() and not (tmp_path / "x.ics").exists()
