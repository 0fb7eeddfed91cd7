"""Keys typed ahead are never misrouted, however slowly the app handles them
(diazlog/key_order.py): a whole evening, a note full of letters that are also keys, the Add
dose dialog opened, filled and closed, and a save, sent in one burst while every handler of
the app is slowed down at random, twenty times."""

from __future__ import annotations

import asyncio
import random
import threading
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, key_to_character
from textual.message import Message
from textual.message_pump import MessagePump
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Input

from diazlog.key_order import KeyOrder
from diazlog.store import open_database
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import list_symptoms
from tests.conftest import diazepam_medication
from tests.screens.test_daily_loop import SIZE, rows_of
from tests.support.helpers import TODAY, settle

BURSTS = 10  # each a different interleaving: the first (stalled) burst and 9 more
NOTE = "pals"  # each letter is also a key of the form: p takes doses, a adds one, l, s jump
# One evening, backfilled: the previous day, two ratings, the note, back to the form, the Add
# dose dialog (a 2 mg dose at the day's default time, "as needed" toggled: the dialog starts
# from the medicine's last choice, so it is ticked on the first evening, unticked on the
# second and so on; ctrl+s there),
# activity and water, save. Short, so the bursts stay quick.
EVENING = (
    "left_square_bracket",
    "6",
    "4",
    "f",
    *NOTE,
    "escape",
    "a",
    "tab",
    "tab",
    "2",
    "tab",
    "space",
    "ctrl+s",
    "l",
    "2",
    "tab",
    "7",
    "ctrl+s",
)
# In the first burst the Today screen stalls, once each, on a key passing through it on its way
# up to the bindings and on the first change of the note and of a field, for longer than the
# fixed patience (0.3 s) the keys used to get: a load spike while the form is busy.
STALL_S = 0.35
STALLED = {"Key", "TextArea.Changed", "Input.Changed"}


def key_event(key: str) -> events.Key:
    """The Key a terminal sends for `key`, as Pilot.press builds it."""
    if len(key) == 1 and not key.isalnum():  # "!" is sent as "exclamation_mark"
        try:
            name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        except ValueError:  # a control character
            name = {"\t": "tab"}.get(key, key)
        key = KEY_NAME_REPLACEMENTS.get(name, name)
    return events.Key(key, key_to_character(key))


async def burst(pilot: Pilot, keys: tuple[str, ...]) -> None:
    """Every key queued before the first is handled, then wait until all are handled."""
    for key in keys:
        pilot.app.post_message(key_event(key))
    await pilot.pause()
    while pilot.app.keys_pending:  # type: ignore[attr-defined]
        await pilot.pause()


@pytest.fixture
def slow_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[random.Random]:
    """Slow the app down as a loaded machine does. Three in ten messages of every widget,
    screen and the app (a dialog's compose and mount, a focus change, a rating's Changed, a
    key coming back up to the bindings) wait up to 3 ms first, so they finish in a different
    order every burst; in the first burst the Today screen also stalls (see STALLED).
    Drawing is left out: the keys' order does not depend on it, and it doubles the time."""
    chance = random.Random(20)
    dispatch = MessagePump._dispatch_message
    stalls = set(STALLED)

    async def slow_dispatch(self: MessagePump, message: Message) -> None:
        kind = type(message).__qualname__
        if kind in stalls and type(self).__name__ == "TodayScreen":
            stalls.discard(kind)
            await asyncio.sleep(STALL_S)
        if chance.random() < 0.3:
            await asyncio.sleep(chance.random() * 0.003)
        await dispatch(self, message)

    monkeypatch.setattr(MessagePump, "_dispatch_message", slow_dispatch)
    monkeypatch.setattr(Screen, "_compositor_refresh", lambda self: None)
    yield chance


async def test_a_burst_with_a_dialog_under_load_lands_the_same_every_time(
    make_app, db_path: Path, slow_app: random.Random
) -> None:
    db = open_database(db_path)
    med_id = save_medication(db, diazepam_medication()).id
    symptoms = [s.id for s in list_symptoms(db)][:2]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        async def slow_key(key: events.Key) -> None:
            await asyncio.sleep(slow_app.random() * 0.003)

        app._key_order.before_key = slow_key
        for _ in range(BURSTS):
            await burst(pilot, EVENING)
            assert not app.screen.dirty, app.screen.sub_title
            assert type(app.screen).__name__ == "TodayScreen"
        await settle(pilot)
    first = date.fromisoformat(TODAY)
    days = [(first - timedelta(days=back)).isoformat() for back in range(1, BURSTS + 1)]
    expected_ratings = sorted(zip(symptoms, (6, 4), strict=True))
    for back, day in enumerate(days):
        assert (
            sorted(
                rows_of(db_path, "SELECT symptom_id, intensity FROM ratings WHERE date = ?", (day,))
            )
            == expected_ratings
        ), day
        assert rows_of(
            db_path,
            "SELECT note, activity_min, water_glasses, walking_interference, stretched "
            "FROM days WHERE date = ?",
            (day,),
        ) == [(NOTE, 2, 7, None, None)], day
        assert rows_of(
            db_path,
            "SELECT medication_id, taken_at, amount, as_needed FROM doses WHERE taken_at LIKE ?",
            (f"{day}%",),
        ) == [(med_id, f"{day}T12:00", 2, int(back % 2 == 0))], day
    assert rows_of(db_path, "SELECT count(*) FROM days") == [(BURSTS,)]
    assert rows_of(db_path, "SELECT count(*) FROM red_flags") == [(0,)]


class OrderedApp(App[None]):
    """A bare app with diazlog's key order: `w` starts a worker that, when done, focuses the
    field below (as the unlock screen does after checking a passphrase)."""

    BINDINGS = [Binding("w", "work", "Work")]

    def __init__(self) -> None:
        super().__init__()
        self.key_order = KeyOrder(self, super().on_event)
        self.release = threading.Event()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.key_order.typed(event)
            return
        await super().on_event(event)

    def compose(self) -> ComposeResult:
        yield Button("top", id="top")
        yield Input(id="field")

    def action_work(self) -> None:
        def job() -> None:
            self.release.wait(5)
            self.call_from_thread(self.query_one("#field", Input).focus)

        self.screen.run_worker(job, thread=True)


async def test_keys_after_a_worker_started_by_a_key_wait_for_it_and_unhandled_keys_pass() -> None:
    app = OrderedApp()
    async with app.run_test() as pilot:
        app.query_one("#top", Button).focus()
        for key in ("f12", "w", "4", "2"):  # f12: nothing handles it
            app.post_message(key_event(key))
        await pilot.pause()
        assert app.key_order.pending == 3  # 4 and 2 wait while the worker runs
        app.release.set()
        while app.key_order.pending:
            await pilot.pause()
        assert app.query_one("#field", Input).value == "42"


@pytest.fixture
def keys_back_up_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a real terminal: a key bubbling back up to the app is posted from what Textual
    counts as another thread, so it reaches the app's queue only on the event loop's next turn
    (call_soon_threadsafe); until then it is in no queue at all. Headless, the post is direct,
    which is why only tmux showed the key after `l` going to the ratings."""
    post = MessagePump.post_message

    def post_later(self: MessagePump, message: Message) -> bool:
        if isinstance(self, App) and isinstance(message, events.Key) and message.is_forwarded:
            asyncio.get_running_loop().call_soon(post, self, message)
            return True
        return post(self, message)

    monkeypatch.setattr(MessagePump, "post_message", post_later)


@pytest.mark.parametrize(
    ("keys", "leg_pain", "activity", "note"),
    [
        pytest.param(("s", "l", "7"), None, "7", "", id="l then a digit"),
        pytest.param(("s", "l", "2", "0"), None, "20", "", id="l then two digits"),
        pytest.param(("f", "w", "a", "l", "k"), None, "", "walk", id="f then letters"),
        pytest.param(
            ("6", "4", "3", "2", "5", "3", "l", "4", "5"), 6, "45", "", id="the day without p"
        ),
    ],
)
async def test_a_key_after_a_jump_goes_where_the_jump_went(
    make_app,
    db_path: Path,
    keys_back_up_across_threads: None,
    keys: tuple[str, ...],
    leg_pain: int | None,
    activity: str,
    note: str,
) -> None:
    """`l` and `f` in the same burst as the keys after them (tmux send-keys, a fast typist):
    the keys after the jump land in the field it jumped to, not in the ratings."""
    from textual.widgets import TextArea

    from tests.conftest import ratings

    save_medication(open_database(db_path), diazepam_medication())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, keys)
        await settle(pilot)
        assert ratings(app).value_of("symptom-1") == leg_pain
        assert app.screen.query_one("#field-activity_min", Input).value == activity
        assert app.screen.query_one("#field-note", TextArea).text == note
