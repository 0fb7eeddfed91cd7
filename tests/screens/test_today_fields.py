"""Today's lower form before its widgets exist (widgets/today_fields.py): what `fill` put in
is what the form reads back, so a day loads and is judged before the fields are mounted."""

from __future__ import annotations

from diazlog.domain.models import DayLog, FlagKind
from diazlog.widgets.today_fields import DayFields, is_text_field

DAY = DayLog(
    date="2026-03-10",
    activity_min=30,
    water_glasses=None,
    sleep_hours=7.5,
    alcohol_units=0,
    stretched=False,
    note="a\x1bb",
    red_flags=frozenset({FlagKind.FALL.value, "not-a-flag"}),
)


def test_a_day_filled_in_before_the_widgets_reads_back_as_filled() -> None:
    fields = DayFields()
    fields.fill(DAY)
    assert fields.lifestyle() == {
        "activity_min": "30",
        "water_glasses": "",
        "sleep_hours": "7.5",
        "alcohol_units": "0",
    }
    assert fields.note_text() == "a\x1bb"  # the note as saved (the field shows it escaped)
    assert fields.stretched_value() is False  # said "no": not the same as not noted
    assert fields.ticked() == {FlagKind.FALL.value}  # only flags the form has a box for


def test_stretched_not_noted_stays_none() -> None:
    fields = DayFields()
    fields.fill(DayLog(date="2026-03-10"))
    assert fields.stretched_value() is None


def test_toggling_a_flag_before_the_widgets_is_kept_and_said_to_be_silent() -> None:
    fields = DayFields()
    fields.fill(DAY)
    assert fields.toggle_flag(FlagKind.EXTREME_WEAKNESS) is True
    assert fields.ticked() == {FlagKind.FALL.value, FlagKind.EXTREME_WEAKNESS.value}
    fields.toggle_flag(FlagKind.EXTREME_WEAKNESS)
    assert fields.ticked() == {FlagKind.FALL.value}


def test_text_fields_are_inputs_and_text_areas_only() -> None:
    from textual.widgets import Checkbox, Input, TextArea

    assert is_text_field(Input()) and is_text_field(TextArea())
    assert not is_text_field(None)
    assert not is_text_field(Checkbox())
    assert not is_text_field(DayFields())
