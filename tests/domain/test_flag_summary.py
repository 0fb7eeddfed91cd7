"""The report's first lines: one per kind of red flag, most urgent first, every date once,
the worst value with every day that reached it (domain.flag_summary)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain.flag_summary import common_label, summarize_flags
from diazlog.domain.models import Alert, Severity
from diazlog.report.page_one import summary_line


def alert(day: str, key: str, title: str, severity: Severity = Severity.DOCTOR, level: float = 0):
    return Alert(key.split(":")[0], severity, title, "", key=key, value=level, date=day)


def days(*alerts: Alert) -> dict[str, list[Alert]]:
    found: dict[str, list[Alert]] = {}
    for a in alerts:
        found.setdefault(a.date, []).append(a)
    return found


@pytest.mark.parametrize(
    ("titles", "label"),
    [
        (["Severe leg pain (Leg pain 7/10)", "Severe leg pain (Cramps 8/10)"], "Severe leg pain"),
        (
            ["Diazepam cut to 4 mg (usual 8 mg)", "Diazepam cut to 2 mg (usual 6 mg)"],
            "Diazepam cut",
        ),
        (["No diazepam logged for 3 days", "No diazepam logged for 4 days"], "No diazepam logged"),
        (["Calf tightness 8/10", "Calf tightness 9/10"], "Calf tightness"),
        (["A fall"], "A fall"),
        (["Diazepam 45 mg in a day"], "Diazepam 45 mg in a day"),
    ],
)
def test_a_kind_is_named_by_what_its_days_share(titles: list[str], label: str) -> None:
    assert common_label(titles) == label


def test_most_urgent_first_whatever_the_count() -> None:
    flagged = days(
        *[
            alert(f"2026-10-{d:02}", "combination:alcohol", "Diazepam with alcohol (1 unit)")
            for d in range(1, 20)
        ],
        alert("2026-10-05", "severe_pain", "Severe leg pain (Leg pain 7/10)", Severity.URGENT, 7),
        alert("2026-10-06", "breathing", "Breathing difficulty", Severity.EMERGENCY),
        alert("2026-10-07", "fall", "A fall"),
        alert("2026-10-08", "fall", "A fall"),
    )
    lines = summarize_flags(flagged)
    assert [line.key for line in lines] == [
        "breathing",
        "severe_pain",
        "combination:alcohol",
        "fall",
    ]
    assert [line.count for line in lines] == [1, 1, 19, 2]
    assert summary_line(lines[0]).endswith("[EMERGENCY]")
    assert summary_line(lines[2]).startswith(
        "Diazepam with alcohol: flagged on 19 days (1 Oct-19 Oct)"
    )
    assert "1 day " in summary_line(lines[0]) and "1 days" not in summary_line(lines[0])


# Must-fire and must-not-fire cases of "worst": (alerts, expected worst (value, dates)).
WORST_CASES = [
    pytest.param(
        [
            alert("2026-10-09", "severe_pain", "Severe leg pain (Leg pain 8/10)", level=8),
            alert("2026-10-10", "severe_pain", "Severe leg pain (Leg pain 7/10)", level=7),
            alert("2026-10-31", "severe_pain", "Severe leg pain (Cramps 8/10)", level=8),
            alert("2026-11-01", "severe_pain", "Severe leg pain (Leg pain 8/10)", level=8),
        ],
        [("Leg pain 8/10", ("2026-10-09", "2026-11-01")), ("Cramps 8/10", ("2026-10-31",))],
        id="every day that shares the worst",
    ),
    pytest.param(
        [
            alert("2026-10-01", "combination:3", "Diazepam with Tramadol (opioid) within 48 hours"),
            alert("2026-10-02", "combination:3", "Diazepam with Tramadol (opioid) within 48 hours"),
        ],
        [],
        id="no worst when every day reads the same",
    ),
    pytest.param(
        [
            alert("2026-10-02", "combination:alcohol", "Diazepam with alcohol (3 units)"),
            alert(
                "2026-10-04", "combination:alcohol", "Diazepam with alcohol (3 units on 2026-10-02)"
            ),
            alert("2026-10-11", "combination:alcohol", "Diazepam with alcohol (1 unit)"),
        ],
        [("3 units", ("2026-10-02",))],
        id="the worst drink is dated by the drinking day, once",
    ),
    pytest.param(
        [
            alert("2026-09-05", "dose_cut", "Diazepam cut to 4 mg (usual 8 mg)", level=0.5),
            alert("2026-10-07", "dose_cut", "Diazepam cut to 2 mg (usual 6 mg)", level=0.67),
        ],
        [("to 2 mg (usual 6 mg)", ("2026-10-07",))],
        id="the engine's level decides",
    ),
]


@pytest.mark.parametrize(("alerts", "worst"), WORST_CASES)
def test_the_worst_value_and_all_its_days(alerts: list[Alert], worst: list) -> None:
    (line,) = summarize_flags(days(*alerts))
    assert [(w.value, w.dates) for w in line.worst] == worst


def test_flags_about_other_days_count_those_days_too() -> None:
    (line,) = summarize_flags(
        days(
            alert("2026-10-02", "combination:alcohol", "Diazepam with alcohol (3 units)"),
            alert(
                "2026-10-03", "combination:alcohol", "Diazepam with alcohol (3 units on 2026-10-02)"
            ),
            alert(
                "2026-10-04", "combination:alcohol", "Diazepam with alcohol (3 units on 2026-10-02)"
            ),
        )
    )
    assert line.dates == ("2026-10-02", "2026-10-03", "2026-10-04")
    assert line.about == ("2026-10-02",)
    text = summary_line(line)
    assert text == (
        "Diazepam with alcohol: logged on 1 day (2 Oct), flagged on 3 days [ask your doctor]"
    )


def test_days_a_doctor_has_seen_are_said() -> None:
    from dataclasses import replace

    seen = replace(alert("2026-10-02", "fall", "A fall"), seen_on="2026-10-05")
    (line,) = summarize_flags(days(seen, alert("2026-10-09", "fall", "A fall")))
    assert line.seen == 1 and "; 1 of those days seen by a doctor [" in summary_line(line)
    (line,) = summarize_flags(days(seen))
    assert (
        summary_line(line) == "A fall: flagged on 1 day (2 Oct); seen by a doctor [ask your doctor]"
    )


alerts_strategy = st.lists(
    st.tuples(
        st.integers(1, 28),
        st.sampled_from(["severe_pain", "fall", "combination:alcohol", "dose_cut"]),
        st.integers(0, 10),
        st.sampled_from(list(Severity)),
    ),
    max_size=40,
)


@given(alerts_strategy)
def test_every_flagged_day_is_counted_once_under_its_kind(raw: list) -> None:
    flagged = days(
        *[
            alert(f"2026-10-{d:02}", key, f"Flag {key} ({level}/10)", severity, level)
            for d, key, level, severity in raw
        ]
    )
    lines = summarize_flags(flagged)
    pairs = {(a.date, a.key) for found in flagged.values() for a in found}
    assert sum(line.count for line in lines) == len(pairs)
    for line in lines:
        assert list(line.dates) == sorted(set(line.dates))
        for part in line.worst:
            assert set(part.dates) <= set(line.dates)
    ranks = [line.rank for line in lines]
    assert ranks == sorted(ranks, reverse=True)
