"""A form that shows control characters escaped gives back the stored text when untouched, and
keeps the untouched stretches' original characters when edited."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain.edited_text import as_edited
from diazlog.domain.visible_text import one_line, visible

STORED = "a\x1b]0;x\x07 b\u202e\nc"


@pytest.mark.parametrize(
    ("shown", "stored", "keep", "expected"),
    [
        (visible(STORED), STORED, "\n\t", STORED),  # untouched: identical
        (one_line(STORED), STORED, "", STORED),  # a one-line input escapes \n too
        (visible(STORED) + " more", STORED, "\n\t", STORED + " more"),  # typed at the end
        ("new " + visible(STORED), STORED, "\n\t", "new " + STORED),  # typed at the start
        ("a\\x1b]0;x b\\u202e\nc", STORED, "\n\t", "a\x1b]0;x b\u202e\nc"),  # BEL removed
        ("a\\x1 b", "a\x1b b", "\n\t", "a\\x1 b"),  # an escape broken by hand: as typed
        ("typed \\x1b", "", "\n\t", "typed \\x1b"),  # typed by hand: four characters
        ("", STORED, "\n\t", ""),  # all deleted
        ("plain", "plain", "\n\t", "plain"),
    ],
)
def test_as_edited(shown: str, stored: str, keep: str, expected: str) -> None:
    assert as_edited(shown, stored, keep) == expected


text = st.text(st.sampled_from("ab \\x1\n\x1b\x07\u202e\x9b"), max_size=30)


@given(stored=text, keep=st.sampled_from(["\n\t", ""]))
def test_an_untouched_form_gives_back_the_stored_text(stored: str, keep: str) -> None:
    assert as_edited(visible(stored, keep), stored, keep) == stored


@given(stored=text, typed=st.text(st.sampled_from("xy \\1"), max_size=5), data=st.data())
def test_an_edit_keeps_what_is_shown(stored: str, typed: str, data: st.DataObject) -> None:
    shown = visible(stored)
    at = data.draw(st.integers(0, len(shown)))
    cut = data.draw(st.integers(0, len(shown) - at))
    edited = shown[:at] + typed + shown[at + cut :]
    # What the user sees after saving is what the form held: nothing re-spelled.
    assert visible(as_edited(edited, stored)) == edited
