"""The raw material of the visit report for a date range: a handful of indexed range reads.

Only SELECTs: building a report never writes to the diary (a backup or a read-only file
works the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from diazlog.domain.adherence import LoggedDose
from diazlog.domain.diazepam_products import diazepam_ids as diazepam_product_ids
from diazlog.domain.models import Medication, Rating, Symptom, TaperStep
from diazlog.domain.trends import DoseStats
from diazlog.store.queries.appointments import last_visit_date
from diazlog.store.queries.medications import medications_by_id, tracked_diazepam
from diazlog.store.queries.series import diazepam_stats
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.store.queries.taper import list_steps

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class DescribedRating:
    """A rating the user described (onset, duration, legs, what made it worse or a note)."""

    date: str
    rating: Rating

    @property
    def intensity(self) -> int:
        return self.rating.intensity


@dataclass(frozen=True)
class VisitData:
    """Everything logged between start and end (inclusive); missing means not logged."""

    start: str
    end: str
    symptoms: tuple[Symptom, ...] = ()
    # symptom id -> {ISO date: 0-10}
    ratings: dict[int, dict[str, int]] = field(default_factory=dict)
    # Dates with a day row or a dose: what the user logged.
    logged_days: frozenset[str] = frozenset()
    diazepam: Medication | None = None
    # ISO date -> total mg of any diazepam medicine
    diazepam_mg: dict[str, float] = field(default_factory=dict)
    # ISO date -> each diazepam dose of that day, in time order
    diazepam_doses: dict[str, tuple[LoggedDose, ...]] = field(default_factory=dict)
    # medication id -> dates it was taken
    other_days: dict[int, set[str]] = field(default_factory=dict)
    # medication id -> the amounts logged (one per dose)
    other_amounts: dict[int, list[float]] = field(default_factory=dict)
    # medication id -> the date of each of its doses (one per dose), oldest first
    other_dates: dict[int, list[str]] = field(default_factory=dict)
    # medication id -> how many of its doses were logged as needed
    other_as_needed: dict[int, int] = field(default_factory=dict)
    # ISO date -> the day's note (only days with one)
    notes: dict[str, str] = field(default_factory=dict)
    medications: dict[int, Medication] = field(default_factory=dict)
    # medication id -> what its name was recognised as ("co-codamol: codeine (opioid) +
    # paracetamol" for Zapain), from the tables or the diary's cache; missing when unknown
    recognised: dict[int, str] = field(default_factory=dict)
    red_flags: dict[str, set[str]] = field(default_factory=dict)
    alcohol: dict[str, float] = field(default_factory=dict)
    walking: dict[str, int] = field(default_factory=dict)
    sleep: dict[str, int] = field(default_factory=dict)
    described: tuple[DescribedRating, ...] = ()
    taper_steps: tuple[TaperStep, ...] = ()
    # Diazepam mg a logged day, by the very query Charts uses (store/series.diazepam_stats).
    dose_stats: DoseStats | None = None


def _recognised(db: Database, medications: dict[int, Medication]) -> dict[int, str]:
    """What each medicine's name was recognised as (no library call: tables and cache)."""
    from diazlog.store.queries.medicine_lookups import known

    found = {i: known(db, m.name) for i, m in medications.items()}
    return {i: r.what for i, r in found.items() if r is not None and r.recognised}


def load_visit_data(db: Database, start: str, end: str) -> VisitData:
    after_end = (date.fromisoformat(end) + timedelta(days=1)).isoformat()
    symptoms = tuple(list_symptoms(db, active_only=False))
    ratings: dict[int, dict[str, int]] = {}
    described: list[DescribedRating] = []
    for r in db.query(
        "SELECT date, symptom_id, intensity, onset, duration_min, legs, worse_with, note "
        "FROM ratings WHERE date >= ? AND date <= ?",
        [start, end],
    ):
        ratings.setdefault(r["symptom_id"], {})[r["date"]] = r["intensity"]
        rating = Rating(
            r["symptom_id"],
            r["intensity"],
            r["onset"],
            r["duration_min"],
            r["legs"],
            r["worse_with"],
            r["note"],
        )
        if rating.has_detail:
            described.append(DescribedRating(r["date"], rating))
    logged: set[str] = set()
    alcohol: dict[str, float] = {}
    walking: dict[str, int] = {}
    sleep: dict[str, int] = {}
    notes: dict[str, str] = {}
    for r in db.query(
        "SELECT date, alcohol_units, walking_interference, sleep_interference, note FROM days "
        "WHERE date >= ? AND date <= ?",
        [start, end],
    ):
        logged.add(r["date"])
        if r["note"]:
            notes[r["date"]] = r["note"]
        if r["alcohol_units"]:
            alcohol[r["date"]] = r["alcohol_units"]
        if r["walking_interference"] is not None:
            walking[r["date"]] = r["walking_interference"]
        if r["sleep_interference"] is not None:
            sleep[r["date"]] = r["sleep_interference"]
    medications = medications_by_id(db)
    diazepam_ids = diazepam_product_ids(medications)
    diazepam_mg: dict[str, float] = {}
    doses: dict[str, list[LoggedDose]] = {}
    other_days: dict[int, set[str]] = {}
    other_amounts: dict[int, list[float]] = {}
    other_as_needed: dict[int, int] = {}
    other_dates: dict[int, list[str]] = {}
    for r in db.query(
        "SELECT medication_id, taken_at, amount, as_needed FROM doses "
        "WHERE taken_at >= ? AND taken_at < ? ORDER BY taken_at, id",
        [start, after_end],
    ):
        day = r["taken_at"][:10]
        logged.add(day)
        if r["medication_id"] in diazepam_ids:
            diazepam_mg[day] = diazepam_mg.get(day, 0.0) + r["amount"]
            doses.setdefault(day, []).append(
                LoggedDose(r["taken_at"][11:16], r["amount"], bool(r["as_needed"]))
            )
        else:
            other_days.setdefault(r["medication_id"], set()).add(day)
            other_amounts.setdefault(r["medication_id"], []).append(r["amount"])
            other_dates.setdefault(r["medication_id"], []).append(day)
            if r["as_needed"]:
                other_as_needed[r["medication_id"]] = other_as_needed.get(r["medication_id"], 0) + 1
    flags: dict[str, set[str]] = {}
    for r in db.query(
        "SELECT date, kind FROM red_flags WHERE date >= ? AND date <= ?", [start, end]
    ):
        flags.setdefault(r["date"], set()).add(r["kind"])
    diazepam = tracked_diazepam(db)
    steps = tuple(list_steps(db, diazepam.id)) if diazepam and diazepam.id else ()
    return VisitData(
        start=start,
        end=end,
        symptoms=symptoms,
        ratings=ratings,
        logged_days=frozenset(logged),
        diazepam=diazepam,
        diazepam_mg=diazepam_mg,
        dose_stats=diazepam_stats(db, start, end),
        diazepam_doses={d: tuple(v) for d, v in doses.items()},
        other_days=other_days,
        other_amounts=other_amounts,
        other_as_needed=other_as_needed,
        other_dates=other_dates,
        notes=notes,
        medications=medications,
        recognised=_recognised(db, medications),
        red_flags=flags,
        alcohol=alcohol,
        walking=walking,
        sleep=sleep,
        described=tuple(described),
        taper_steps=steps,
    )


def first_logged_day(db: Database) -> str | None:
    """The earliest date with a day row or a dose: where a new diary's report can start."""
    row = db.execute(
        "SELECT min(day) FROM (SELECT min(date) AS day FROM days "
        "UNION ALL SELECT substr(min(taken_at), 1, 10) FROM doses)"
    ).fetchone()
    return row[0] if row else None


def default_report_start(db: Database, end: str, days: int) -> str:
    """Where the visit report starts unless told: the last visit; without one, `days` back
    from `end`, or the first logged day when that is later (a 10-day diary is not "10 of 90
    days logged"). Never after `end`."""
    start = last_visit_date(db)
    if start is None:
        start = (date.fromisoformat(end) - timedelta(days=days - 1)).isoformat()
        first = first_logged_day(db)
        if first is not None and first > start:
            start = first
    return min(start, end)
