"""`diazlog log` and `diazlog status` from the shell: good input saves, bad input saves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from diazlog.cli import cli
from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating, TaperStep
from diazlog.domain.quick_entry import merge_entry, parse_dose_spec
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_day
from diazlog.store.queries.medications import list_medications, save_medication
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.store.queries.taper import save_step
from tests.conftest import diazepam_medication
from tests.support.helpers import TODAY, invoke

# Every command reads the same fixed time (conftest.fixed_clock).
pytestmark = pytest.mark.usefixtures("fixed_clock")


def ids(db_path: Path) -> dict[str, int]:
    return {s.key: s.id for s in list_symptoms(open_database(db_path))}


def with_diazepam(db_path: Path, plan: bool = False) -> int:
    db = open_database(db_path)
    med = save_medication(
        db,
        diazepam_medication(),
    )
    assert med.id is not None
    if plan:
        save_step(db, TaperStep(None, med.id, "2026-11-01", 2.5, ("08:00", "20:00")))
    return med.id


def test_log_saves_ratings_dose_and_note_and_says_so(db_path: Path) -> None:
    med_id = with_diazepam(db_path)
    result = invoke(
        db_path,
        "log",
        "leg_pain=6",
        "cramps=3",
        "--dose",
        "5@08:00",
        "--note",
        "after a long walk",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Saved Wed 25 Nov 2026: leg pain 6, cramps 3 · Diazepam 5 mg at 08:00 · note added"
    )
    day = load_day(open_database(db_path), TODAY)
    assert day is not None
    k = ids(db_path)
    assert {r.symptom_id: r.intensity for r in day.ratings} == {k["leg_pain"]: 6, k["cramps"]: 3}
    assert [(d.medication_id, d.time, d.amount) for d in day.doses] == [(med_id, "08:00", 5)]
    assert day.note == "after a long walk"


def test_log_merges_with_the_saved_day(db_path: Path) -> None:
    med_id = with_diazepam(db_path)
    k = ids(db_path)
    db = open_database(db_path)
    save_day(
        db,
        DayLog(
            "2026-11-20",
            ratings=(Rating(k["leg_pain"], 4, onset="21:00"), Rating(k["fatigue"], 2)),
            doses=(Dose(med_id, "08:00", 5),),
            note="morning stiff",
            sleep_hours=7,
        ),
    )
    result = invoke(
        db_path,
        "log",
        "leg_pain=7",
        "--dose",
        "5@20:10",
        "--dose",
        "5@08:00",
        "--note",
        "evening cramps",
        "--date",
        "2026-11-20",
    )
    assert result.exit_code == 0, result.output
    assert "1 dose already logged" in result.output
    day = load_day(open_database(db_path), "2026-11-20")
    assert day is not None
    pain = day.rating_for(k["leg_pain"])
    assert pain is not None and pain.intensity == 7 and pain.onset == "21:00"
    assert day.rating_for(k["fatigue"]) is not None
    assert [d.time for d in day.doses] == ["08:00", "20:10"]
    assert day.note == "morning stiff\nevening cramps"
    assert day.sleep_hours == 7


def test_dose_without_time_is_now_and_named_medicine_raises_the_combination(
    db_path: Path,
) -> None:
    with_diazepam(db_path)
    db = open_database(db_path)
    save_medication(db, Medication(None, "Tramadol", Category.OPIOID, usual_amount=50))
    result = invoke(db_path, "log", "--dose", "5", "--dose", "tram:50@14:15")
    assert result.exit_code == 0, result.output
    assert "Diazepam 5 mg at 21:30" in result.output
    # Said at its level, as status says it: never like one unit of alcohol.
    assert "⚠ Contact your doctor today · Tramadol (an opioid) with diazepam" in result.output
    status = invoke(db_path, "status")
    # An opioid is a boxed-warning combination: "contact your doctor today", not "ask".
    assert "⚠ Contact your doctor today: Tramadol (an opioid) with diazepam" in status.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["leg_pian=6"], "no symptom 'leg_pian': use one of leg_pain"),
        (["leg_pain=11"], "leg_pain: '11' is not a rating"),
        (["leg_pain=six"], "is not a rating"),
        (["leg_pain"], "is not SYMPTOM=RATING"),
        (["leg_pain=5", "--dose", "5@25:00"], "'25:00' is not a time of day"),
        (["--dose", "500@08:00"], "500 mg is more than 100 mg"),
        (["--dose", "abc@08:00"], "is not an amount"),
        (["--dose", "x" * 61 + ":1@08:00"], "keep the medicine's name under 60"),
        (["--dose", "aspirin:0@08:00"], "a dose must be more than 0"),
        (["--dose", "5", "--date", "2026-11-20"], "say when, e.g. 5@08:00"),
        (["leg_pain=5", "--date", "2026-12-01"], "is in the future"),
        (["leg_pain=5", "--date", "someday"], "is not a date: use today, yesterday"),
        (["sleep_hours=30"], "out of range"),
        # Only ASCII digits are numbers: "²" crashed int(), and "٥" was taken as 5.
        (["leg_pain=²"], "leg_pain: '²' is not a rating"),
        (["leg_pain=٥"], "leg_pain: '٥' is not a rating"),
        (["sleep_hours=٧"], "'٧' is not a number"),
        (["sleep_hours=1e1"], "'1e1' is not a number"),
        (["--dose", "٥@08:00"], "'٥' is not an amount"),
        (["--dose", "5@٠٨:٠٠"], "is not a time"),
    ],
)
def test_bad_input_exits_2_and_saves_nothing(db_path: Path, args: list[str], message: str) -> None:
    with_diazepam(db_path)
    before = open_database(db_path).execute("SELECT count(*) FROM days").fetchone()[0]
    result = invoke(db_path, "log", "cramps=4", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert open_database(db_path).execute("SELECT count(*) FROM days").fetchone()[0] == before


def test_nothing_to_log_exits_2(db_path: Path) -> None:
    result = invoke(db_path, "log")
    assert result.exit_code == 2
    assert "nothing to log" in result.output


def test_a_first_dose_without_a_name_sets_up_diazepam(db_path: Path) -> None:
    """A new user can log from the shell: the first `--dose AMOUNT` sets up diazepam."""
    result = invoke(db_path, "log", "--dose", "5@08:00")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("Set up Diazepam with 5 mg as your usual")
    db = open_database(db_path)
    (med,) = list_medications(db)
    assert (med.name, med.is_diazepam, med.usual_amount) == ("Diazepam", True, 5)
    day = load_day(db, TODAY)
    assert day is not None
    assert [(d.medication_id, d.time, d.amount) for d in day.doses] == [(med.id, "08:00", 5)]
    again = invoke(db_path, "log", "--dose", "2@20:00")
    assert "Set up" not in again.output and len(list_medications(open_database(db_path))) == 1


@pytest.mark.parametrize(
    ("name", "what", "drug_class", "category"),
    [
        (
            "Co-codamol 30/500",
            "tablets: Co-codamol 30/500: codeine (opioid) + paracetamol",
            "opioid",
            Category.OPIOID,
        ),
        (
            "Zapain",
            "tablets: Zapain → co-codamol: codeine (opioid) + paracetamol",
            "opioid",
            Category.OPIOID,
        ),
        (
            "Wintergreen rub",
            "mg: Wintergreen rub: not recognised — ask your doctor how it mixes with diazepam.",
            "",
            Category.OTHER,
        ),
    ],
)
def test_a_dose_of_a_new_medicine_adds_it(
    db_path: Path, name: str, what: str, drug_class: str, category: Category
) -> None:
    result = invoke(db_path, "log", "--dose", f"{name}:1@08:00")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Added to your medicines, counted in {what}"
    db = open_database(db_path)
    (med,) = list_medications(db)
    assert (med.name, med.drug_class, med.category, med.is_diazepam) == (
        name,
        drug_class,
        category,
        False,
    )
    day = load_day(db, TODAY)
    assert day is not None and [(d.medication_id, d.amount) for d in day.doses] == [(med.id, 1)]
    # Named again (any case), it is the same medicine, not a second one.
    assert "Added" not in invoke(db_path, "log", "--dose", f"{name.upper()}:1@12:00").output
    assert len(list_medications(open_database(db_path))) == 1


def test_a_prefix_of_two_medicines_is_a_question_not_a_new_one(db_path: Path) -> None:
    db = open_database(db_path)
    save_medication(db, Medication(None, "Tramadol", Category.OPIOID))
    save_medication(db, Medication(None, "Trazodone", Category.OTHER))
    result = invoke(db_path, "log", "--dose", "tra:50@08:00")
    assert result.exit_code == 2
    assert "more than one medicine called 'tra'" in result.output
    assert len(list_medications(open_database(db_path))) == 2


def test_note_from_standard_input(db_path: Path) -> None:
    """`--note -` keeps a private note out of the process list (other accounts can read it)."""
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "log", "--note", "-"], input="saw Dr Jones about it\n"
    )
    assert result.exit_code == 0, result.output
    day = load_day(open_database(db_path), TODAY)
    assert day is not None and day.note == "saw Dr Jones about it"
    empty = CliRunner().invoke(cli, ["--db", str(db_path), "log", "--note", "-"], input="  \n")
    assert empty.exit_code == 2 and len(empty.output.splitlines()) == 1


def test_a_note_line_inside_another_is_still_added(db_path: Path) -> None:
    assert invoke(db_path, "log", "--note", "long walk").exit_code == 0
    assert invoke(db_path, "log", "--note", "walk").exit_code == 0
    assert invoke(db_path, "log", "--note", "walk").exit_code == 0  # the same line: once
    day = load_day(open_database(db_path), TODAY)
    assert day is not None and day.note == "long walk\nwalk"


def test_status_line_plan_and_flags(db_path: Path) -> None:
    result = invoke(db_path, "status")
    assert result.exit_code == 0
    assert result.output == "diazlog Wed 25 Nov: today not logged yet\n"
    with_diazepam(db_path, plan=True)
    invoke(db_path, "log", "leg_pain=8", "--dose", "2.5@08:00")
    line = invoke(db_path, "status").output
    assert line.count("\n") == 1
    assert line.startswith("diazlog Wed 25 Nov: today logged · Plan: 2 × 2.5 mg (08:00, 20:00)")
    assert "logged 2.5 mg, 2.5 mg less than planned" in line
    assert "⚠ SEEK MEDICAL ATTENTION NOW: Severe leg pain (8/10)" in line


def test_status_warns_of_low_stock_and_urgent_flags(db_path: Path) -> None:
    db = open_database(db_path)
    save_medication(
        db,
        diazepam_medication(stock=30),
        stock_counted_at="2026-11-25T07:00",
    )
    save_day(db, DayLog(TODAY, red_flags=frozenset({"breathing"})))
    line = invoke(db_path, "status").output
    assert "⚠ CALL EMERGENCY SERVICES: Breathing difficulty" in line
    assert "Diazepam: 30 mg left, enough until Sat 28 Nov" in line


def test_status_without_a_diary_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    result = invoke(path, "status")
    assert result.exit_code == 0
    assert "no diary yet" in result.output
    assert not path.exists()


def test_status_on_a_bad_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    path.write_text("not a database")
    result = invoke(path, "status")
    assert result.exit_code == 2
    assert path.read_text() == "not a database"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("5@08:00", (None, "5", "08:00")),
        ("tramadol:50@14:15", ("tramadol", "50", "14:15")),
        ("2.5", (None, "2.5", None)),
    ],
)
def test_parse_dose_spec(text: str, parts: tuple[str | None, str, str | None]) -> None:
    spec = parse_dose_spec(text)
    assert (spec.name, spec.amount, spec.time) == parts


@given(
    st.dictionaries(st.integers(1, 6), st.integers(0, 10)),
    st.dictionaries(st.integers(1, 6), st.integers(0, 10)),
)
def test_merge_replaces_only_what_was_given(
    saved: dict[int, int], given_now: dict[int, int]
) -> None:
    day = DayLog("2026-11-20", ratings=tuple(Rating(i, v) for i, v in saved.items()), note="x")
    merged, added = merge_entry(day, day.date, ratings=given_now)
    assert {r.symptom_id: r.intensity for r in merged.ratings} == {**saved, **given_now}
    assert merged.note == "x" and added == []


def test_an_earlier_dose_after_a_later_one_is_saved(db_path: Path) -> None:
    """The README's `diazlog log ... --dose 5@08:00` on a day that already has an evening dose."""
    with_diazepam(db_path)
    assert invoke(db_path, "log", "--dose", "2@20:00").exit_code == 0
    result = invoke(db_path, "log", "leg_pain=6", "--dose", "5@08:00", "--note", "after a walk")
    assert result.exit_code == 0, result.output
    day = load_day(open_database(db_path), TODAY)
    assert day is not None
    assert [(d.time, d.amount) for d in day.doses] == [("08:00", 5.0), ("20:00", 2.0)]


def test_a_date_that_is_today_somewhere_is_not_in_the_future(db_path: Path) -> None:
    """At UTC-11 (NOW, the 25th) it is already the 26th at UTC+14: a day logged there is
    accepted here; the 27th is nowhere yet."""
    tomorrow = "2026-11-26"
    result = invoke(db_path, "log", "leg_pain=4", "--date", tomorrow)
    assert result.exit_code == 0, result.output
    assert load_day(open_database(db_path), tomorrow) is not None
    later = invoke(db_path, "log", "leg_pain=4", "--date", "2026-11-27")
    assert later.exit_code == 2 and "2026-11-27 is in the future" in later.output


def test_log_says_each_flag_at_its_level(db_path: Path) -> None:
    """One unit of alcohol and an opioid never read alike in `log` either (clinical review:
    every flag was printed behind the same "⚠")."""
    with_diazepam(db_path)
    result = invoke(db_path, "log", "--dose", "5@08:00", "alcohol=1")
    assert result.exit_code == 0, result.output
    assert "Ask your doctor at the next visit · Diazepam with alcohol" in result.output
    assert "⚠" not in result.output
