"""The schema as an ordered list of migrations; PRAGMA user_version counts how many ran."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from diazlog.store.file.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

APPLICATION_ID = 0x4449415A  # "DIAZ": tells our files from other SQLite databases

DEFAULT_SYMPTOMS: tuple[tuple[str, str, str], ...] = (
    ("leg_pain", "Leg pain", "Aching or pain in the leg muscles"),
    ("leg_weakness", "Leg weakness", "Legs feel weak or give way"),
    ("cramps", "Cramps", "Sudden painful tightening of a muscle"),
    ("spasms", "Spasms", "Brief involuntary twitches or contractions"),
    ("fatigue", "Fatigue", "Tiredness that makes the legs heavy"),
    # Only new diaries get this text: an existing diary keeps what it was seeded with.
    ("rebound_tension", "Rebound tension", "Muscle tension that comes back after it had eased"),
)

_CATEGORIES = "'benzodiazepine','muscle_relaxant','pain','opioid','sleep','other'"
_FLAG_KINDS = "'confusion','extreme_weakness','breathing','fall'"

_V1 = f"""
CREATE TABLE symptoms (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE days (
    date TEXT PRIMARY KEY CHECK (date = date(date)),
    walking_interference INTEGER CHECK (walking_interference BETWEEN 0 AND 10),
    sleep_interference INTEGER CHECK (sleep_interference BETWEEN 0 AND 10),
    activity_min INTEGER CHECK (activity_min BETWEEN 0 AND 1440),
    stretched INTEGER CHECK (stretched IN (0, 1)),
    water_glasses INTEGER CHECK (water_glasses BETWEEN 0 AND 40),
    sleep_hours REAL CHECK (sleep_hours BETWEEN 0 AND 24),
    alcohol_units REAL CHECK (alcohol_units BETWEEN 0 AND 100),
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE TABLE ratings (
    date TEXT NOT NULL REFERENCES days(date) ON DELETE CASCADE,
    symptom_id INTEGER NOT NULL REFERENCES symptoms(id),
    intensity INTEGER NOT NULL CHECK (intensity BETWEEN 0 AND 10),
    onset TEXT,
    duration_min INTEGER CHECK (duration_min BETWEEN 0 AND 1440),
    legs TEXT CHECK (legs IN ('left', 'right', 'both')),
    worse_with TEXT,
    note TEXT,
    PRIMARY KEY (date, symptom_id)
) WITHOUT ROWID;
CREATE INDEX ratings_by_symptom ON ratings(symptom_id, date);
CREATE TABLE medications (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT 'other' CHECK (category IN ({_CATEGORIES})),
    is_diazepam INTEGER NOT NULL DEFAULT 0,
    unit TEXT NOT NULL DEFAULT 'mg',
    usual_amount REAL,
    usual_times TEXT NOT NULL DEFAULT '',
    stock REAL,
    started_on TEXT,
    stopped_on TEXT
);
CREATE TABLE taper_steps (
    id INTEGER PRIMARY KEY,
    medication_id INTEGER NOT NULL REFERENCES medications(id) ON DELETE CASCADE,
    from_date TEXT NOT NULL,
    amount REAL NOT NULL CHECK (amount >= 0),
    times TEXT NOT NULL DEFAULT '',
    UNIQUE (medication_id, from_date)
);
CREATE TABLE doses (
    id INTEGER PRIMARY KEY,
    medication_id INTEGER NOT NULL REFERENCES medications(id),
    taken_at TEXT NOT NULL,
    amount REAL NOT NULL CHECK (amount > 0),
    as_needed INTEGER NOT NULL DEFAULT 0,
    note TEXT
);
CREATE INDEX doses_by_time ON doses(taken_at);
CREATE TABLE red_flags (
    date TEXT NOT NULL REFERENCES days(date) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ({_FLAG_KINDS})),
    note TEXT,
    PRIMARY KEY (date, kind)
) WITHOUT ROWID;
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    with_whom TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    closed_at TEXT
);
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('builtin', 'generated', 'mine')),
    rule_key TEXT,
    facts TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    asked_on TEXT,
    answer TEXT,
    hidden INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    appointment_id INTEGER REFERENCES appointments(id)
);
CREATE INDEX questions_by_rule ON questions(rule_key);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def _v1_initial(db: Database) -> None:
    for statement in _statements(_V1):
        db.execute(statement)
    for position, (key, name, description) in enumerate(DEFAULT_SYMPTOMS):
        db.execute(
            "INSERT INTO symptoms (key, name, description, position) VALUES (?, ?, ?, ?)",
            [key, name, description, position],
        )


# What each built-in symptom is, for the pain rules (domain.models.SymptomKind).
DEFAULT_SYMPTOM_KINDS: dict[str, str] = {
    "leg_pain": "pain",
    "leg_weakness": "weakness",
    "cramps": "cramp",
    "spasms": "cramp",
    "fatigue": "fatigue",
    "rebound_tension": "other",  # "tension" from version 3 on (_v3_tension_kind)
}

_V2 = """
ALTER TABLE symptoms ADD COLUMN kind TEXT NOT NULL DEFAULT 'other'
    CHECK (kind IN ('pain', 'cramp', 'weakness', 'fatigue', 'other'));
ALTER TABLE medications ADD COLUMN drug_class TEXT NOT NULL DEFAULT '';
ALTER TABLE doses ADD COLUMN utc_offset TEXT;
CREATE TABLE flag_reviews (
    rule TEXT NOT NULL,
    episode_start TEXT NOT NULL,
    seen_on TEXT NOT NULL,
    level REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (rule, episode_start)
) WITHOUT ROWID;
"""


def _v2_kinds_classes_reviews(db: Database) -> None:
    """Symptom kinds, medicine classes by name, dose UTC offsets and "a doctor has seen this".

    Built-in symptoms get their kind; the user's own stay "other" until they pick one. Each
    medicine's class comes from the shipped name table; what the user typed is not touched.
    """
    for statement in _statements(_V2):
        db.execute(statement)
    for key, kind in DEFAULT_SYMPTOM_KINDS.items():
        db.execute("UPDATE symptoms SET kind = ? WHERE key = ?", [kind, key])
    for row in db.execute("SELECT id, name FROM medications").fetchall():
        # Imported only when there is a medicine to classify: the open-time schema check
        # (schema_check.py) runs this on an empty database, and the name table costs 40 ms.
        from diazlog.domain.medicine_names import classify

        db.execute(
            "UPDATE medications SET drug_class = ? WHERE id = ?", [classify(row[1]).code, row[0]]
        )


def _v3_tension_kind(db: Database) -> None:
    """A symptom kind for tension and tightness, so rebound tension has its own rules.

    SQLite cannot change a CHECK, so the column is dropped and added again with the wider one
    (its CHECK is the column's own, which DROP COLUMN allows), and every kind put back.
    Built-in rebound tension, and the user's own "other" symptoms whose name says only
    tension (tight, tense, stiff, knot …), become "tension"; a kind the user picked stays.
    """
    from diazlog.domain.models import SymptomKind
    from diazlog.domain.symptom_kinds import kinds_in

    kinds = db.execute("SELECT id, key, name, kind FROM symptoms").fetchall()
    allowed = ", ".join(f"'{k.value}'" for k in SymptomKind)
    db.execute("ALTER TABLE symptoms DROP COLUMN kind")
    db.execute(
        "ALTER TABLE symptoms ADD COLUMN kind TEXT NOT NULL DEFAULT 'other' "
        f"CHECK (kind IN ({allowed}))"
    )
    for symptom_id, key, name, kind in kinds:
        if key == "rebound_tension" or (
            kind == "other" and kinds_in(name) == (SymptomKind.TENSION,)
        ):
            kind = SymptomKind.TENSION.value
        db.execute("UPDATE symptoms SET kind = ? WHERE id = ?", [kind, symptom_id])


def _v4_amount_per_time(db: Database) -> None:
    """A plan's amount at each time (5 mg at 08:00, 2.5 mg at 20:00): comma-separated amounts
    parallel to the times. '' (every existing row) keeps meaning the one amount at each time."""
    db.execute("ALTER TABLE taper_steps ADD COLUMN amounts TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE medications ADD COLUMN usual_amounts TEXT NOT NULL DEFAULT ''")


_V5 = """
CREATE TABLE medicine_lookups (
    name TEXT PRIMARY KEY,
    generics TEXT NOT NULL DEFAULT '',
    suggestion TEXT,
    looked_up_at TEXT NOT NULL
) WITHOUT ROWID;
ALTER TABLE medications ADD COLUMN strength TEXT NOT NULL DEFAULT '';
"""


def _v5_name_lookups_and_strengths(db: Database) -> None:
    """The cache of the drug-name library's answers (store.medicine_lookups), and a medicine's
    strength per tablet ("30/500"). Each medicine's class is read again from the shipped
    tables, which now know combination products by ingredient (a "Zapain" saved before was
    unrecognised); the library is not run here, so migrating stays fast. Units are kept as
    they were (mg unless the user set one)."""
    for statement in _statements(_V5):
        db.execute(statement)
    for med_id, name in db.execute("SELECT id, name FROM medications").fetchall():
        # Imported only when there is a medicine: the open-time schema check runs this on an
        # empty database (schema_check.py), on the way to the app's first frame.
        from diazlog.domain.name_resolution import from_tables

        found = from_tables(name)
        if found is not None:
            db.execute(
                "UPDATE medications SET drug_class = ?, strength = ? WHERE id = ?",
                [found.code, found.strength or "", med_id],
            )


# Tables whose rows say when they last changed, so an import can tell an older export's row
# from a newer edit (transfer/tables.py). `days` has its own updated_at, written by the store;
# a day's ratings and red flags follow it. The others are stamped by SQLite itself on every
# insert and update, whichever code path (or future one) makes the change.
STAMPED_TABLES: tuple[str, ...] = (
    "symptoms",
    "medications",
    "taper_steps",
    "doses",
    "appointments",
    "questions",
    "settings",
)
STAMP_NOW = "strftime('%Y-%m-%dT%H:%M:%f', 'now', 'localtime')"  # ms: two edits in a second


def _v6_row_stamps(db: Database) -> None:
    """updated_at on every table an import merges by id, kept by triggers; rows already there
    keep NULL (their last change is unknown)."""
    for table in STAMPED_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN updated_at TEXT")
        db.execute(
            f"CREATE TRIGGER {table}_stamp_insert AFTER INSERT ON {table} "
            f"WHEN NEW.updated_at IS NULL BEGIN "
            f"UPDATE {table} SET updated_at = {STAMP_NOW} WHERE rowid = NEW.rowid; END"
        )
        # OF every other column: the stamp's own UPDATE must not fire it again (sqlite-utils
        # turns recursive triggers on). A later migration adding a column re-creates this.
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall()]
        watched = ", ".join(c for c in columns if c != "updated_at")
        db.execute(
            f"CREATE TRIGGER {table}_stamp_update AFTER UPDATE OF {watched} ON {table} "
            f"WHEN NEW.updated_at IS OLD.updated_at BEGIN "
            f"UPDATE {table} SET updated_at = {STAMP_NOW} WHERE rowid = NEW.rowid; END"
        )


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


# Append only: each entry moves the schema from version N to N + 1.
MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    _v1_initial,
    _v2_kinds_classes_reviews,
    _v3_tension_kind,
    _v4_amount_per_time,
    _v5_name_lookups_and_strengths,
    # Row stamps after every migration that adds or drops a column of a stamped table: each
    # update trigger names the columns it watches, and SQLite refuses to drop a column a
    # trigger names. A later migration that changes such a table re-creates its trigger.
    _v6_row_stamps,
)
LATEST_VERSION = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database) -> int:
    """Run every pending migration, each in its own transaction; returns the new version."""
    version = schema_version(db)
    for number in range(version, LATEST_VERSION):
        with writing(db):
            if schema_version(db) > number:
                continue  # another copy of the app migrated it while we waited for the lock
            MIGRATIONS[number](db)
            db.execute(f"PRAGMA user_version = {number + 1}")
            if number == 0:
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return schema_version(db)
