"""Deterministic, realistic demo data: a person on diazepam 2 x 5 mg who tapers at the end.

Made-up symptoms, not a model of diazepam: leg pain and rebound tension mostly begin in the
afternoon or evening (~8-11 h after the morning dose) and climb for a couple of weeks after
each taper step, then settle.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from diazlog.domain.models import Category, DayLog, Dose, FlagKind, Medication, Rating, TaperStep
from diazlog.store import open_database
from diazlog.store.queries.days import save_days
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.store.queries.taper import save_step

if TYPE_CHECKING:
    from sqlite_utils import Database

SEED = 20261125
NOTES = (
    "Long walk to the shops, calves tight in the evening.",
    "Cramp woke me at night, left calf.",
    "Stretched before bed, slept better.",
    "Busy day at work, stood a lot.",
    "Legs heavy all afternoon.",
    "Forgot the evening dose until late.",
    "Swimming, felt loose afterwards.",
    "Hot day, not enough water.",
)
WORSE_WITH = ("stairs", "standing", "long walk", "sitting still", "cold", "evening")


def build_demo(path: Path | str, years: float = 1.0, end: date | None = None) -> Database:
    """Create (or overwrite the logs in) a demo database ending on `end` (default today).

    Ending today, it holds no dose later than the current time: a diary records what
    happened (the CLI refuses such a dose, and `take` would think it already taken).
    """
    db = open_database(path)
    now = datetime.now()
    until = now.strftime("%H:%M") if end is None or end == now.date() else None
    populate(db, years=years, end=end or now.date(), until=until)
    return db


def populate(db: Database, years: float, end: date, until: str | None = None) -> None:
    rng = random.Random(SEED)
    days = max(1, round(365 * years))
    start = end - timedelta(days=days - 1)
    symptoms = {s.key: s.id for s in list_symptoms(db)}

    diazepam = save_medication(
        db,
        Medication(
            None,
            "Diazepam",
            Category.BENZODIAZEPINE,
            is_diazepam=True,
            usual_amount=5,
            usual_times=("08:00", "20:00"),
            stock=60,  # mg in stock when counted: 30 tablets of 2 mg
            started_on=start.isoformat(),
        ),
    )
    ibuprofen = save_medication(
        db,
        Medication(
            None, "Ibuprofen", Category.PAIN, usual_amount=400, started_on=start.isoformat()
        ),
    )
    tramadol = save_medication(
        db,
        Medication(
            None, "Tramadol", Category.OPIOID, usual_amount=50, started_on=start.isoformat()
        ),
    )
    omeprazole = save_medication(
        db,
        Medication(
            None,
            "Omeprazole",
            Category.OTHER,
            usual_amount=20,
            usual_times=("08:00",),
            started_on=(end - timedelta(days=60)).isoformat(),
            stopped_on=(end - timedelta(days=50)).isoformat(),
        ),
    )
    assert diazepam.id and ibuprofen.id and tramadol.id and omeprazole.id

    # Taper over the last ~100 days: 2 x 5 -> 2 x 4 -> 2 x 3 -> 2 x 2 -> 2 mg at night.
    taper_start = end - timedelta(days=min(100, days // 2))
    plan = [(start, 5.0, 5.0)]
    if days >= 30:
        plan += [
            (taper_start, 4.0, 4.0),
            (taper_start + timedelta(days=25), 3.0, 3.0),
            (taper_start + timedelta(days=50), 2.0, 2.0),
            (taper_start + timedelta(days=75), 0.0, 2.0),
        ]
    for step_date, morning, evening in plan:
        times = tuple(t for t, a in (("08:00", morning), ("20:00", evening)) if a)
        per_dose = max(morning, evening)
        save_step(db, TaperStep(None, diazepam.id, step_date.isoformat(), per_dose, times))
    # "Usual" is what the person takes now: the step in force at the end of the demo.
    _, morning_now, evening_now = plan[-1]
    now_times = tuple(t for t, a in (("08:00", morning_now), ("20:00", evening_now)) if a)
    # The tablets were counted a week before the demo ends; doses since then count them down.
    counted = (end - timedelta(days=min(7, days - 1))).isoformat() + "T09:00"
    save_medication(
        db,
        replace(diazepam, usual_amount=max(morning_now, evening_now), usual_times=now_times),
        stock_counted_at=counted,
    )

    logs = []
    for offset in range(days):
        today = start + timedelta(days=offset)
        if offset < days - 1 and rng.random() < 0.08:
            continue  # a missed day: not logged, a gap (never a zero)
        morning, evening = next((m, e) for d, m, e in reversed(plan) if d <= today)
        since_step = min((today - d).days for d, _, _ in plan if d <= today)
        rebound = max(0.0, 3.5 * math.exp(-since_step / 9)) if since_step < 40 and offset > 0 else 0
        if since_step == (today - start).days:
            rebound = 0.0
        logs.append(
            _demo_day(
                rng,
                today,
                symptoms,
                diazepam.id,
                morning,
                evening,
                rebound,
                (ibuprofen.id, tramadol.id, omeprazole.id),
                end,
            )
        )
    if until is not None and logs and logs[-1].date == end.isoformat():
        last = logs[-1]
        logs[-1] = replace(last, doses=tuple(d for d in last.doses if d.time <= until))
    save_days(db, logs)


def _demo_day(
    rng: random.Random,
    today: date,
    symptoms: dict[str, int],
    diazepam_id: int,
    morning: float,
    evening: float,
    rebound: float,
    others: tuple[int, int, int],
    end: date,
) -> DayLog:
    ibuprofen, tramadol, omeprazole = others
    doses: list[Dose] = []
    late_evening = rng.random() < 0.15
    for amount, hour, late in ((morning, 8, False), (evening, 20, late_evening)):
        if amount and rng.random() > 0.03:
            minute = rng.randint(-35, 40) + (120 if late else 0)
            taken = hour * 60 + minute
            doses.append(Dose(diazepam_id, f"{taken // 60:02d}:{taken % 60:02d}", amount))
    wear_off = 0.0 if late_evening else 0.6
    weekday = today.weekday()
    season = 0.6 * math.sin(today.toordinal() / 58)
    base = 2.4 + season + wear_off + rebound + rng.gauss(0, 0.9)
    activity = max(0, int(rng.gauss(35 if weekday < 5 else 60, 20)))
    stretched = rng.random() < 0.55
    if not stretched:
        base += 0.5
    values = {
        "leg_pain": base,
        "leg_weakness": base * 0.7 + rng.gauss(0, 0.8),
        "cramps": (base - 1.5) * 0.9 + rebound * 0.5 + rng.gauss(0, 1.0),
        "spasms": base * 0.5 + rng.gauss(0, 0.9),
        "fatigue": 2.5 + morning / 5 + rng.gauss(0, 1.0),
        "rebound_tension": rebound * 1.6 + rng.gauss(0.4, 0.6),
    }
    ratings = []
    for key, raw in values.items():
        if key not in symptoms or rng.random() < 0.05:
            continue
        intensity = min(10, max(0, round(raw)))
        detail: dict[str, object] = {}
        if intensity >= 3 and key in ("leg_pain", "cramps", "rebound_tension"):
            hours_after = rng.uniform(7.5, 11.5) if doses else rng.uniform(0, 20)
            onset_min = int((8 * 60 + hours_after * 60) % (24 * 60))
            detail = {
                "onset": f"{onset_min // 60:02d}:{onset_min % 60:02d}",
                "duration_min": rng.choice((15, 30, 45, 60, 90, 120)),
                "legs": rng.choice(("both", "both", "left", "right")),
                "worse_with": rng.choice(WORSE_WITH),
            }
        ratings.append(Rating(symptoms[key], intensity, **detail))  # type: ignore[arg-type]
    pain = next((r.intensity for r in ratings if r.symptom_id == symptoms.get("leg_pain")), 0)
    if pain >= 6 and rng.random() < 0.35:
        doses.append(
            Dose(ibuprofen, f"{rng.randint(12, 18):02d}:{rng.choice(('00', '30'))}", 400, True)
        )
    if pain >= 7 and rng.random() < 0.15:
        doses.append(Dose(tramadol, f"{rng.randint(13, 21):02d}:15", 50, True))
    if 50 <= (end - today).days <= 60:
        doses.append(Dose(omeprazole, "07:45", 20))
    flags: set[str] = set()
    if rng.random() < 0.004:
        flags.add(FlagKind.FALL)
    if rng.random() < 0.002:
        flags.add(FlagKind.CONFUSION)
    alcohol = round(rng.choice((1.0, 2.0, 3.0)), 1) if weekday >= 4 and rng.random() < 0.3 else None
    return DayLog(
        date=today.isoformat(),
        ratings=tuple(ratings),
        walking_interference=min(10, max(0, round(pain * 0.8 + rng.gauss(0, 1)))),
        sleep_interference=min(10, max(0, round(pain * 0.6 + rebound + rng.gauss(0, 1)))),
        activity_min=min(activity, 300),
        stretched=stretched,
        water_glasses=max(0, int(rng.gauss(6, 2))),
        sleep_hours=round(min(11.0, max(3.0, rng.gauss(7, 1.0))) * 2) / 2,
        alcohol_units=alcohol,
        note=rng.choice(NOTES) if rng.random() < 0.12 else "",
        doses=tuple(sorted(doses, key=lambda d: d.time)),
        red_flags=frozenset(flags),
    )
