"""The raw material of the visit report for a date range: a handful of indexed range reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from diazlog.domain.models import Medication, Symptom, TaperStep
from diazlog.store.medications import medications_by_id, tracked_diazepam
from diazlog.store.symptoms import list_symptoms
from diazlog.store.taper import list_steps

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class VisitData:
    """Everything logged between start and end (inclusive); missing means not logged."""

    start: str
    end: str
    symptoms: tuple[Symptom, ...] = ()
    # symptom id -> {ISO date: 0-10}
    ratings: dict[int, dict[str, int]] = field(default_factory=dict)
    logged_days: frozenset[str] = frozenset()
    diazepam: Medication | None = None
    # ISO date -> total mg of any diazepam medicine
    diazepam_mg: dict[str, float] = field(default_factory=dict)
    # medication id -> dates it was taken
    other_days: dict[int, set[str]] = field(default_factory=dict)
    medications: dict[int, Medication] = field(default_factory=dict)
    red_flags: dict[str, set[str]] = field(default_factory=dict)
    alcohol: dict[str, float] = field(default_factory=dict)
    taper_steps: tuple[TaperStep, ...] = ()


def load_visit_data(db: Database, start: str, end: str) -> VisitData:
    after_end = (date.fromisoformat(end) + timedelta(days=1)).isoformat()
    symptoms = tuple(list_symptoms(db, active_only=False))
    ratings: dict[int, dict[str, int]] = {}
    for r in db.query(
        "SELECT date, symptom_id, intensity FROM ratings WHERE date >= ? AND date <= ?",
        [start, end],
    ):
        ratings.setdefault(r["symptom_id"], {})[r["date"]] = r["intensity"]
    logged: set[str] = set()
    alcohol: dict[str, float] = {}
    for r in db.query(
        "SELECT date, alcohol_units FROM days WHERE date >= ? AND date <= ?", [start, end]
    ):
        logged.add(r["date"])
        if r["alcohol_units"]:
            alcohol[r["date"]] = r["alcohol_units"]
    medications = medications_by_id(db)
    diazepam_ids = {i for i, m in medications.items() if m.is_diazepam}
    diazepam_mg: dict[str, float] = {}
    other_days: dict[int, set[str]] = {}
    for r in db.query(
        "SELECT medication_id, substr(taken_at, 1, 10) AS day, sum(amount) AS total FROM doses "
        "WHERE taken_at >= ? AND taken_at < ? GROUP BY medication_id, day",
        [start, after_end],
    ):
        if r["medication_id"] in diazepam_ids:
            diazepam_mg[r["day"]] = diazepam_mg.get(r["day"], 0.0) + r["total"]
        else:
            other_days.setdefault(r["medication_id"], set()).add(r["day"])
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
        other_days=other_days,
        medications=medications,
        red_flags=flags,
        alcohol=alcohol,
        taper_steps=steps,
    )
