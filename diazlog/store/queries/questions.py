"""The doctor checklist: built-in, generated and own questions, and past visits' checklists.

The current checklist is every question with archived = 0. Closing a visit archives it under
that appointment and starts a fresh one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from diazlog.domain import questions as rules
from diazlog.domain.diazepam_products import diazepam_ids as diazepam_product_ids
from diazlog.domain.models import Appointment, Question
from diazlog.domain.questions import BUILTIN_QUESTIONS, GeneratedQuestion, QuestionData
from diazlog.store.file.connection import scratch_copy
from diazlog.store.file.transactions import is_read_only, writing
from diazlog.store.queries.appointments import next_appointment
from diazlog.store.queries.flags import flag_events
from diazlog.store.queries.medications import medications_by_id, tracked_diazepam
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.store.queries.taper import list_steps

if TYPE_CHECKING:
    from sqlite_utils import Database

_ORIGIN_ORDER = "CASE origin WHEN 'builtin' THEN 0 WHEN 'generated' THEN 1 ELSE 2 END"


def _from_row(row: dict[str, Any]) -> Question:
    return Question(
        id=row["id"],
        text=row["text"],
        origin=row["origin"],
        rule_key=row["rule_key"],
        facts=row["facts"],
        position=row["position"],
        created_at=row["created_at"],
        asked_on=row["asked_on"],
        answer=row["answer"],
        hidden=bool(row["hidden"]),
        archived=bool(row["archived"]),
        appointment_id=row["appointment_id"],
    )


def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


def current_questions(db: Database, *, include_hidden: bool = True) -> list[Question]:
    """The open checklist, grouped by origin (built-in, generated, own), each in its order."""
    where = "" if include_hidden else "AND hidden = 0"
    rows = db.query(
        f"SELECT * FROM questions WHERE archived = 0 {where} ORDER BY {_ORIGIN_ORDER}, position, id"
    )
    return [_from_row(r) for r in rows]


def visit_questions(db: Database, appointment_id: int) -> list[Question]:
    """The checklist as it was when a past visit was closed."""
    rows = db.query(
        f"SELECT * FROM questions WHERE archived = 1 AND appointment_id = ? "
        f"ORDER BY {_ORIGIN_ORDER}, position, id",
        [appointment_id],
    )
    return [_from_row(r) for r in rows]


def get_question(db: Database, question_id: int) -> Question | None:
    rows = list(db.query("SELECT * FROM questions WHERE id = ?", [question_id]))
    return _from_row(rows[0]) if rows else None


def _next_position(db: Database, origin: str) -> int:
    return int(
        db.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM questions "
            "WHERE archived = 0 AND origin = ?",
            [origin],
        ).fetchone()[0]
    )


def seed_builtins(db: Database, now: datetime) -> int:
    """Add any built-in question missing from the open checklist; returns how many.

    What is present is read inside the write transaction, so two copies (the app and
    `diazlog report`) seeding at once add each question once.
    """
    with writing(db):
        present = {
            r["rule_key"]
            for r in db.query(
                "SELECT rule_key FROM questions WHERE archived = 0 AND origin = 'builtin'"
            )
        }
        missing = [(k, t) for k, t in BUILTIN_QUESTIONS if k not in present]
        for index, (key, text) in enumerate(missing, start=_next_position(db, "builtin")):
            db.execute(
                "INSERT INTO questions (text, origin, rule_key, position, created_at) "
                "VALUES (?, 'builtin', ?, ?, ?)",
                [text, key, index, _stamp(now)],
            )
    return len(missing)


def sync_generated(db: Database, found: Iterable[GeneratedQuestion], now: datetime) -> None:
    """Make the open checklist's generated questions match what the data says now.

    Matched by rule key: the text and facts update, the user's tick, answer and "hidden" stay.
    A question the data no longer supports goes, unless the user ticked, answered or hid it.
    """
    wanted = {q.rule_key: q for q in found}
    with writing(db):  # read what is there under the write lock: no stale copy to act on
        existing = {
            r["rule_key"]: r
            for r in db.query("SELECT * FROM questions WHERE archived = 0 AND origin = 'generated'")
        }
        position = _next_position(db, "generated")
        for key, question in wanted.items():
            row = existing.get(key)
            if row is None:
                db.execute(
                    "INSERT INTO questions (text, origin, rule_key, facts, position, created_at) "
                    "VALUES (?, 'generated', ?, ?, ?, ?)",
                    [question.text, key, question.facts, position, _stamp(now)],
                )
                position += 1
            elif (row["text"], row["facts"]) != (question.text, question.facts):
                db.execute(
                    "UPDATE questions SET text = ?, facts = ? WHERE id = ?",
                    [question.text, question.facts, row["id"]],
                )
        for key, row in existing.items():
            kept = row["asked_on"] is not None or row["answer"] or row["hidden"]
            if key not in wanted and not kept:
                db.execute("DELETE FROM questions WHERE id = ?", [row["id"]])


def add_question(db: Database, text: str, now: datetime) -> Question:
    """A question of the user's own, at the end of their list."""
    with writing(db):
        cursor = db.execute(
            "INSERT INTO questions (text, origin, position, created_at) VALUES (?, 'mine', ?, ?)",
            [text, _next_position(db, "mine"), _stamp(now)],
        )
    found = get_question(db, int(cursor.lastrowid))  # type: ignore[arg-type]
    assert found is not None
    return found


def edit_question(db: Database, question_id: int, text: str) -> None:
    """Reword one of the user's own questions (built-in and generated ones are not theirs)."""
    with writing(db):
        db.execute(
            "UPDATE questions SET text = ? WHERE id = ? AND origin = 'mine'", [text, question_id]
        )


def delete_question(db: Database, question_id: int) -> None:
    with writing(db):
        db.execute("DELETE FROM questions WHERE id = ? AND origin = 'mine'", [question_id])


def set_asked(db: Database, question_id: int, asked_on: str | None) -> None:
    with writing(db):
        db.execute("UPDATE questions SET asked_on = ? WHERE id = ?", [asked_on, question_id])


def set_answer(db: Database, question_id: int, answer: str) -> None:
    with writing(db):
        db.execute("UPDATE questions SET answer = ? WHERE id = ?", [answer or None, question_id])


def set_hidden(db: Database, question_id: int, hidden: bool) -> None:
    with writing(db):
        db.execute("UPDATE questions SET hidden = ? WHERE id = ?", [int(hidden), question_id])


def move_question(db: Database, question_id: int, step: int) -> bool:
    """Swap a question with its neighbour in its group (step -1 up, +1 down)."""
    with writing(db):  # the order read is the order written over
        question = get_question(db, question_id)
        if question is None or question.archived:
            return False
        group = [q for q in current_questions(db) if q.origin == question.origin]
        index = next(i for i, q in enumerate(group) if q.id == question_id)
        target = index + step
        if not 0 <= target < len(group):
            return False
        group[index], group[target] = group[target], group[index]
        for position, item in enumerate(group):
            db.execute("UPDATE questions SET position = ? WHERE id = ?", [position, item.id])
    return True


def close_visit(db: Database, now: datetime) -> Appointment:
    """After the visit: file the checklist under the appointment and start a fresh one.

    With no appointment set, the visit is recorded as today's. Own questions not yet asked
    carry over to the fresh checklist; built-ins start unticked; generated ones return
    through `sync_generated` when the data still supports them.
    """
    stamp = _stamp(now)
    with writing(db):
        appointment = next_appointment(db)
        if appointment is None:
            cursor = db.execute(
                "INSERT INTO appointments (date, with_whom, note) VALUES (?, '', '')",
                [now.date().isoformat()],
            )
            appointment_id = int(cursor.lastrowid)  # type: ignore[arg-type]
        else:
            assert appointment.id is not None
            appointment_id = appointment.id
        db.execute("UPDATE appointments SET closed_at = ? WHERE id = ?", [stamp, appointment_id])
        carry = [
            r
            for r in db.query(
                "SELECT * FROM questions WHERE archived = 0 AND origin = 'mine' "
                "AND asked_on IS NULL ORDER BY position, id"
            )
        ]
        db.execute(
            "UPDATE questions SET archived = 1, appointment_id = ? WHERE archived = 0",
            [appointment_id],
        )
        for position, row in enumerate(carry):
            db.execute(
                "INSERT INTO questions (text, origin, position, created_at, hidden) "
                "VALUES (?, 'mine', ?, ?, ?)",
                [row["text"], position, stamp, row["hidden"]],
            )
    seed_builtins(db, now)
    closed = list(db.query("SELECT * FROM appointments WHERE id = ?", [appointment_id]))[0]
    return Appointment(
        id=closed["id"],
        date=closed["date"],
        with_whom=closed["with_whom"],
        note=closed["note"],
        closed_at=closed["closed_at"],
    )


def load_question_data(
    db: Database, today: date, last_visit: str | None, now: datetime | None = None
) -> QuestionData:
    """What the rules read: a few indexed range queries over the last weeks, and the red-flag
    engine's episodes (judged at `now`, by default the end of `today`)."""
    clock = now or datetime.combine(today, dt.time(23, 59))
    floor = today - timedelta(days=rules.LOOKBACK_DAYS - 1)
    since = floor
    if last_visit is not None:
        since = max(floor, date.fromisoformat(last_visit) + timedelta(days=1))
    start = min(
        since,
        today - timedelta(days=2 * rules.TREND_WINDOW_DAYS),
        today - timedelta(days=2 * rules.TAPER_RECENT_DAYS),
    )
    return _question_data(db, today, since, start, clock)


def question_data_between(db: Database, start: str, end: str, now: datetime) -> QuestionData:
    """The rules' data bound to [start, end] (the visit report's range): nothing before or
    after it is read, and the rules judge the range as if `end` were today. Reads only."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return _question_data(db, last, first, first, now)


def _question_data(
    db: Database, today: date, since: date, first: date, clock: datetime
) -> QuestionData:
    """Ratings, diazepam doses and walking from `first` to `today`; flags from `since`."""
    start = first.isoformat()
    end = (today + timedelta(days=1)).isoformat()
    symptoms = list_symptoms(db)
    key_by_id = {s.id: s.key for s in symptoms}
    ratings: dict[str, dict[str, int]] = {}
    for r in db.query(
        "SELECT date, symptom_id, intensity FROM ratings WHERE date >= ? AND date < ?",
        [start, end],
    ):
        key = key_by_id.get(r["symptom_id"])
        if key is not None:
            ratings.setdefault(key, {})[r["date"]] = r["intensity"]
    medications = medications_by_id(db)
    diazepam = tracked_diazepam(db)
    diazepam_ids = diazepam_product_ids(medications)
    doses: dict[str, list[tuple[str, float]]] = {}
    other: dict[int, list[str]] = {}
    for r in db.query(
        "SELECT medication_id, taken_at, amount FROM doses WHERE taken_at >= ? AND taken_at < ?",
        [start, end],
    ):
        day, time = r["taken_at"][:10], r["taken_at"][11:16]
        if r["medication_id"] in diazepam_ids:
            doses.setdefault(day, []).append((time, r["amount"]))
        else:
            other.setdefault(r["medication_id"], []).append(day)
    walking: dict[str, int] = {}
    alcohol: dict[str, float] = {}
    for r in db.query(
        "SELECT date, walking_interference, alcohol_units FROM days WHERE date >= ? AND date < ?",
        [start, end],
    ):
        if r["walking_interference"] is not None:
            walking[r["date"]] = r["walking_interference"]
        if r["alcohol_units"]:
            alcohol[r["date"]] = r["alcohol_units"]
    steps = tuple(list_steps(db, diazepam.id)) if diazepam and diazepam.id else ()
    return QuestionData(
        today=today,
        since=since,
        symptom_names={s.key: s.name for s in symptoms},
        ratings=ratings,
        diazepam={d: tuple(sorted(v)) for d, v in doses.items()},
        flags=tuple(flag_events(db, since.isoformat(), today.isoformat(), clock)),
        walking=walking,
        taper_steps=steps,
        alcohol=alcohol,
        other_doses={m: tuple(days) for m, days in other.items()},
    )


def refresh_checklist(db: Database, now: datetime, last_visit: str | None) -> list[Question]:
    """Seed built-ins, regenerate data-driven questions, and return the open checklist.

    On a diary opened read-only the same is done on a copy in memory: the report and the
    Doctor screen show the checklist they would, and the file is not touched.
    """
    if is_read_only(db.conn):
        copy = scratch_copy(db)
        try:
            return refresh_checklist(copy, now, last_visit)
        finally:
            copy.close()
    seed_builtins(db, now)
    data = load_question_data(db, now.date(), last_visit, now)
    sync_generated(db, rules.generate(data), now)
    return current_questions(db)
