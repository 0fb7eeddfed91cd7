"""Row <-> dataclass conversions shared by the query modules."""

from __future__ import annotations

from typing import Any

from diazlog.domain.models import Category, Medication, Symptom, SymptomKind


def times_to_text(times: tuple[str, ...]) -> str:
    return ",".join(times)


def text_to_times(text: str | None) -> tuple[str, ...]:
    return tuple(t for t in (text or "").split(",") if t)


def amounts_to_text(amounts: tuple[float, ...]) -> str:
    return ",".join(f"{a!r}" for a in amounts)


def text_to_amounts(text: str | None) -> tuple[float, ...]:
    """The stored per-time amounts; anything unreadable means "the one amount" (())."""
    try:
        return tuple(float(a) for a in (text or "").split(",") if a)
    except ValueError:
        return ()


def symptom_from_row(row: dict[str, Any]) -> Symptom:
    return Symptom(
        id=row["id"],
        key=row["key"],
        name=row["name"],
        description=row["description"],
        active=bool(row["active"]),
        position=row["position"],
        kind=SymptomKind(row.get("kind") or "other"),
    )


def medication_from_row(row: dict[str, Any]) -> Medication:
    return Medication(
        id=row["id"],
        name=row["name"],
        category=Category(row["category"]),
        is_diazepam=bool(row["is_diazepam"]),
        unit=row["unit"],
        usual_amount=row["usual_amount"],
        usual_times=text_to_times(row["usual_times"]),
        stock=row["stock"],
        started_on=row["started_on"],
        stopped_on=row["stopped_on"],
        drug_class=row.get("drug_class") or "",
        usual_amounts=text_to_amounts(row.get("usual_amounts")),
        strength=row.get("strength") or "",
    )


def medication_to_row(med: Medication) -> dict[str, Any]:
    return {
        "name": med.name,
        "category": med.category.value,
        "is_diazepam": int(med.is_diazepam),
        "unit": med.unit,
        "usual_amount": med.usual_amount,
        "usual_times": times_to_text(med.usual_times),
        "usual_amounts": amounts_to_text(med.usual_amounts),
        "stock": med.stock,
        "started_on": med.started_on,
        "stopped_on": med.stopped_on,
        # Set from the name by save_medication, so the rules see the class whatever
        # category was picked.
        "drug_class": med.drug_class,
        "strength": med.strength,
    }
