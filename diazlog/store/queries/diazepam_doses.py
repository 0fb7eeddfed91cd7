"""Which stored medicines count as diazepam mg, for the queries that sum them.

Every diazepam mg total in the app (Charts, History, the report, `take`, the question
list) selects its doses with `medication_id IN (ids_sql(db))`, so "Valium 5 mg",
"Stesolid" or "Diazepam 5mg" count wherever the tracked diazepam does. The rule itself is
domain.diazepam_products.diazepam_ids; this module only reads the medicines it judges.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from diazlog.domain.diazepam_products import diazepam_ids
from diazlog.store.queries.medications import medications_by_id

if TYPE_CHECKING:
    from sqlite_utils import Database


def stored_diazepam_ids(db: Database) -> frozenset[int]:
    """The ids of every stored medicine whose mg count as diazepam mg."""
    return diazepam_ids(medications_by_id(db))


def ids_sql(db: Database) -> str:
    """Those ids as an SQL list for `IN (...)`: integers from the table, "NULL" for none.

    Inlined rather than bound because the medicines table is small and the ids are ints
    read back from it; "NULL" keeps `IN (NULL)` valid and matching nothing.
    """
    return ", ".join(str(int(i)) for i in sorted(stored_diazepam_ids(db))) or "NULL"
