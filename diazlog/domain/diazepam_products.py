"""Whether a medicine is diazepam, whatever name it was logged under.

"Valium", "Stesolid", "Diazemuls" and "Diazepam 5mg" are all diazepam: their milligrams add
to the day's diazepam total and they never raise the "with diazepam" flag against diazepam
itself. Decided by one rule, not a list: the tracked diazepam, or a name the shipped tables
resolve to diazepam alone (domain.name_resolution.from_tables). A combination that holds
diazepam and something else is not diazepam alone, so it keeps its own flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from diazlog.domain.models import Dose, Medication

if TYPE_CHECKING:
    from diazlog.domain.name_resolution import Resolution

DIAZEPAM = "diazepam"


def is_diazepam_product(med: Medication) -> bool:
    """The tracked diazepam, or a medicine counted in mg whose recognised generic is diazepam.

    Only milligrams add to a milligram total: "Valium" set up in tablets is left out of the
    sum (2 tablets are not 2 mg) and so still raises its "with diazepam" flag, never silence.
    """
    return med.is_diazepam or (med.unit == "mg" and names_diazepam(med.name))


def diazepam_ids(medications: Mapping[int, Medication]) -> frozenset[int]:
    """The ids of every medicine whose mg count as diazepam mg.

    The one rule behind every diazepam mg total (Today's line, Charts, `take`, History, the
    report, the flags): a surface that summed only the tracked diazepam showed "0 mg" on a
    day of "Valium 5 mg" while the flags counted it.
    """
    return frozenset(i for i, m in medications.items() if is_diazepam_product(m))


def diazepam_mg(doses: Iterable[Dose], medications: Mapping[int, Medication]) -> float:
    """The diazepam mg in `doses`, whatever name each was logged under (see `diazepam_ids`)."""
    ids = diazepam_ids(medications)
    return sum((d.amount for d in doses if d.medication_id in ids), 0.0)


@lru_cache(maxsize=1024)
def names_diazepam(name: str) -> bool:
    """Whether the shipped tables read `name` as diazepam and nothing else."""
    from diazlog.domain.name_resolution import from_tables  # parses the tables on first use

    return is_diazepam_alone(from_tables(name))


def is_diazepam_alone(found: Resolution | None) -> bool:
    """Whether a recognised name is diazepam and nothing else ("Stesolid", "Diazepam 5mg")."""
    return found is not None and [i.name.casefold() for i in found.ingredients] == [DIAZEPAM]
