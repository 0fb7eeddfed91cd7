"""Imports that never go back in time, and the one-line refusals of issues 20 and 21:
huge numbers, lone surrogates, a note grown past its limit, tiny doses, a passphrase file
open to others, a short new passphrase said at once, `status` after only `take`, and a
damaged stored date named as damage."""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import Result

from diazlog.cli import main
from diazlog.domain.models import DayLog, Dose, Rating
from diazlog.domain.validation import InvalidInput, parse_amount, parse_rating
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_day
from diazlog.store.queries.questions import add_question, get_question, set_answer
from tests.support.helpers import NOW, TODAY, invoke

# Every command reads the same fixed time (conftest.fixed_clock).
pytestmark = pytest.mark.usefixtures("fixed_clock")

BIG = "5" * 5000


def one_line_exit_2(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert lines and "Traceback" not in result.output
    return lines[-1]


# -- imports never go back in time ------------------------------------------------------------


def test_an_older_export_keeps_the_newer_edits_unless_overwrite(
    db_path: Path, tmp_path: Path
) -> None:
    db = open_database(db_path)
    save_day(db, DayLog(TODAY, ratings=(Rating(1, 3),), note="first"), NOW)
    question = add_question(db, "Can I halve the step?", NOW)
    out = tmp_path / "export"
    assert invoke(db_path, "export", "--format", "json", "--out", str(out)).exit_code == 0
    # After the export: the question is answered and the day edited (a later stamp).
    assert question.id is not None
    set_answer(db, question.id, "Yes, from Monday")
    later = NOW.replace(hour=22)
    save_day(db, DayLog(TODAY, ratings=(Rating(1, 7),), note="edited"), later)

    result = invoke(db_path, "import", str(out))
    assert result.exit_code == 0, result.output
    assert "kept as newer in the diary" in result.output
    assert "0 changed" in result.output
    day = load_day(db, TODAY)
    assert day is not None and day.note == "edited" and day.ratings[0].intensity == 7
    answered = get_question(db, question.id)
    assert answered is not None and answered.answer == "Yes, from Monday"

    result = invoke(db_path, "import", str(out), "--overwrite")
    assert result.exit_code == 0, result.output
    day = load_day(db, TODAY)
    assert day is not None and day.note == "first" and day.ratings[0].intensity == 3


def test_a_newer_export_still_updates_the_diary(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    save_day(db, DayLog(TODAY, ratings=(Rating(1, 3),), note="old"), NOW)
    out = tmp_path / "export"
    assert invoke(db_path, "export", "--format", "json", "--out", str(out)).exit_code == 0
    days = json.loads((out / "days.json").read_text())
    days[0].update(note="newer elsewhere", updated_at="2026-11-25T23:00:00")
    (out / "days.json").write_text(json.dumps(days))
    result = invoke(db_path, "import", str(out / "days.json"))
    assert result.exit_code == 0, result.output
    day = load_day(db, TODAY)
    assert day is not None and day.note == "newer elsewhere"


# -- one line, exit 2 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok"),
    [("0", True), ("10", True), ("7", True), ("11", False), (BIG, False), ("٥", False)],
)
def test_ratings_refuse_huge_numbers_in_words(text: str, ok: bool) -> None:
    if ok:
        assert parse_rating(text) == int(text)
    else:
        with pytest.raises(InvalidInput, match="not a rating"):
            parse_rating(text)
    with pytest.raises(InvalidInput):
        parse_rating(10**5000)


@pytest.mark.parametrize(
    ("amount", "ok"),
    [(0.01, True), ("0.01", True), (2.5, True), (0.009, False), ("1e-07", False), (1e-07, False)],
)
def test_a_dose_is_at_least_a_hundredth_of_its_unit(amount: float | str, ok: bool) -> None:
    if ok:
        assert parse_amount(amount, diazepam=True) == float(amount)
    else:
        with pytest.raises(InvalidInput):
            parse_amount(amount, diazepam=True)


def test_log_refusals_are_one_line(db_path: Path) -> None:
    assert "not a rating" in one_line_exit_2(invoke(db_path, "log", f"leg_pain={BIG}"))
    assert "0.01" in one_line_exit_2(invoke(db_path, "log", "--dose", "0.001@08:00"))
    assert invoke(db_path, "log", "--note", "n" * 3995).exit_code == 0
    line = one_line_exit_2(invoke(db_path, "log", "--note", "ten more characters"))
    assert "nothing was saved" in line and "4,000" in line
    assert "surrogate" in one_line_exit_2(invoke(db_path, "log", "--note", "a\udcffb"))
    day = load_day(open_database(db_path), TODAY)
    assert day is not None and day.note == "n" * 3995


def test_imports_refuse_huge_numbers_and_lone_surrogates_in_one_line(
    db_path: Path, tmp_path: Path
) -> None:
    tracker = tmp_path / "tracker.csv"
    tracker.write_text(f"date,leg_pain\n{TODAY},{BIG}\n")
    ratings = tmp_path / "ratings.json"
    ratings.write_text(f'[{{"date": "{TODAY}", "symptom_id": 1, "intensity": {BIG}}}]')
    days = tmp_path / "days.json"
    days.write_text(f'[{{"date": "{TODAY}", "note": "a\\ud800b", "updated_at": "{TODAY}T08:00"}}]')
    doses = tmp_path / "doses.csv"
    doses.write_text(f"id,medication_id,taken_at,amount\n{BIG},1,{TODAY}T08:00,5\n")
    for file, why in [
        (tracker, "not a rating"),
        (ratings, "not a rating"),
        (days, "surrogate"),
        (doses, "too large a number"),
    ]:
        result = invoke(db_path, "import", str(file))
        assert one_line_exit_2(result).endswith(
            "nothing was imported (fix them, or use --skip-bad to import the rest)"
        )
        assert why in result.output
    assert load_day(open_database(db_path), TODAY) is None


def test_a_damaged_stored_date_is_called_damage(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(db_path)
    from tests.cli.test_cli_log import with_diazepam

    med_id = with_diazepam(db_path)
    save_day(db, DayLog(TODAY, ratings=(Rating(1, 3),), doses=(Dose(med_id, "08:00", 5),)), NOW)
    db.close()
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    # One byte flipped in every copy of today's date on disk, as a failing disk would.
    data = db_path.read_bytes().replace(TODAY.encode(), TODAY.replace("-1", "-j", 1).encode())
    db_path.write_bytes(data)
    monkeypatch.setattr(sys, "argv", ["diazlog", "--db", str(db_path), "flags"])
    with pytest.raises(SystemExit) as exited:
        main()  # the shared error path wraps every command
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err and "disk full" not in err


# -- the passphrase and status ----------------------------------------------------------------


def test_a_passphrase_file_open_to_others_is_refused(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diazlog.store.file.cipher import PASSPHRASE_FILE_VAR

    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery\n")
    secret.chmod(0o644)
    monkeypatch.setenv(PASSPHRASE_FILE_VAR, str(secret))
    line = one_line_exit_2(invoke(db_path, "encrypt"))
    assert "chmod 600" in line and "0644" in line
    secret.chmod(0o600)
    assert invoke(db_path, "encrypt").exit_code == 0


def test_encrypt_says_a_short_passphrase_before_asking_again(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import diazlog.passphrase

    monkeypatch.setattr(diazlog.passphrase, "interactive", lambda app=True: not app)
    asked: list[str] = []
    answers = iter(["short", "short"])

    def prompt(text: str, **options: object) -> str:
        asked.append(text)
        if options.get("confirmation_prompt"):  # click asks the second time itself
            asked.append(str(options["confirmation_prompt"]))
        return next(answers)

    monkeypatch.setattr("click.prompt", prompt)
    line = one_line_exit_2(invoke(db_path, "encrypt"))
    assert "at least 8 characters" in line
    assert asked == ["New passphrase"]


def test_status_says_logged_only_for_a_logged_day(db_path: Path) -> None:
    db = open_database(db_path)
    from tests.cli.test_cli_log import with_diazepam

    med_id = with_diazepam(db_path)
    save_day(db, DayLog(TODAY, doses=(Dose(med_id, "08:00", 5),)), NOW)
    assert "today not logged yet (only doses)" in invoke(db_path, "status").output
    day = load_day(db, TODAY)
    assert day is not None
    save_day(db, replace(day, water_glasses=3), NOW)
    assert "today logged" in invoke(db_path, "status").output
    assert "not logged" not in invoke(db_path, "status").output
    _ = datetime


# -- imports stream ----------------------------------------------------------------------------


def test_json_rows_parse_the_same_across_tiny_chunks(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 5-character window: every row, number and escape is cut somewhere, and the rows
    and the line of a bad row come out as with the whole file in memory."""
    from diazlog.transfer import reading

    monkeypatch.setattr(reading, "CHUNK_CHARS", 5)
    file = tmp_path / "days.json"
    file.write_text(
        "[\n"
        f'  {{"date": "{TODAY}", "note": "a \\"quoted\\"\\nnote é", "water_glasses": 12, '
        f'"updated_at": "{TODAY}T08:00:00"}},\n'
        f'  {{"date": "2026-11-24", "sleep_hours": 7.25, "updated_at": "{TODAY}T08:00:00"}}\n'
        "]\n"
    )
    result = invoke(db_path, "import", str(file))
    assert result.exit_code == 0, result.output
    db = open_database(db_path)
    day = load_day(db, TODAY)
    assert day is not None and day.note == 'a "quoted"\nnote é' and day.water_glasses == 12
    other = load_day(db, "2026-11-24")
    assert other is not None and other.sleep_hours == 7.25
    bad = tmp_path / "bad" / "days.json"
    bad.parent.mkdir()
    bad.write_text(f'[\n  {{"date": "{TODAY}", "updated_at": "x"}},\n  {{"date": "2026-11-2\n]\n')
    line = one_line_exit_2(invoke(db_path, "import", str(bad)))
    assert line.startswith("diazlog: days.json, line 3: not valid JSON")


def test_rows_are_read_again_when_written_not_held(db_path: Path, tmp_path: Path) -> None:
    from diazlog.transfer.importer import ImportFailed, plan_import, run_import

    file = tmp_path / "tracker.csv"
    file.write_text(f"date,leg_pain\n{TODAY},4\n2026-11-24,5\n")
    db = open_database(db_path)
    plan, _ = plan_import(db, file, NOW)
    assert not isinstance(plan.rows, list) and len(plan.rows) == 4  # 2 days + 2 ratings
    assert [r.values for r in plan.rows] == [r.values for r in plan.rows]
    file.write_text(f"date,leg_pain\n{TODAY},4\n2026-11-24,five\n")  # changed after the check
    with pytest.raises(ImportFailed, match="changed while they were imported"):
        run_import(db, plan, skip_bad=False)
    assert load_day(db, TODAY) is None  # rolled back whole


def test_rows_changed_after_the_export_are_kept_in_every_stamped_table(
    db_path: Path, tmp_path: Path
) -> None:
    """A medicine's usual amount and an answer changed from one text to another: no empty
    value tells the merge which is newer, the row's stamp does (schema v3 triggers)."""
    from diazlog.store.queries.medications import get_medication, save_medication
    from tests.cli.test_cli_log import with_diazepam

    db = open_database(db_path)
    med_id = with_diazepam(db_path)
    question = add_question(db, "Can I halve the step?", NOW)
    assert question.id is not None
    set_answer(db, question.id, "Not yet")
    out = tmp_path / "export"
    assert invoke(db_path, "export", "--format", "csv", "--out", str(out)).exit_code == 0
    med = get_medication(db, med_id)
    assert med is not None
    save_medication(db, replace(med, usual_amount=2.5))
    set_answer(db, question.id, "Yes, from Monday")

    result = invoke(db_path, "import", str(out))
    assert result.exit_code == 0, result.output
    assert "2 kept as newer in the diary" in result.output
    kept = get_medication(db, med_id)
    assert kept is not None and kept.usual_amount == 2.5
    answered = get_question(db, question.id)
    assert answered is not None and answered.answer == "Yes, from Monday"
    assert invoke(db_path, "import", str(out), "--overwrite").exit_code == 0
    back = get_medication(db, med_id)
    assert back is not None and back.usual_amount == 5


def test_a_newer_row_may_empty_a_value_an_older_one_may_not(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    question = add_question(db, "Can I halve the step?", NOW)
    assert question.id is not None
    set_answer(db, question.id, "Not yet")
    out = tmp_path / "export"
    assert invoke(db_path, "export", "--format", "json", "--out", str(out)).exit_code == 0
    rows = json.loads((out / "questions.json").read_text())
    row = next(r for r in rows if r["id"] == question.id)
    older, newer = dict(row, answer=None), dict(row, answer=None)
    older["updated_at"] = "2000-01-01T00:00:00.000"
    newer["updated_at"] = "2999-01-01T00:00:00.000"
    for stamped, expected in (
        (older, "Not yet"),
        ({**row, "answer": None}, "Not yet"),
        (newer, None),
    ):
        (tmp_path / "questions.json").write_text(json.dumps([stamped]))
        assert invoke(db_path, "import", str(tmp_path / "questions.json")).exit_code == 0
        got = get_question(db, question.id)
        assert got is not None and got.answer == expected, stamped["updated_at"]
