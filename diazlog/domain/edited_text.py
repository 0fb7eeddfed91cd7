"""What to store when a form shown with visible escapes comes back: the untouched text as it was.

A note (or a name) holding control characters is shown with each one as an escape (`\\x1b`,
domain/visible_text.py), so nothing reaches the terminal raw. Saving the form's text as it is
would turn every such character into four printable ones, whether or not the user touched the
note: an edit of one rating rewrote the note. So the form's text is mapped back against the
stored text: the stretch before and after what the user changed keeps its original characters;
what the user typed or pasted in between is stored as typed (a `\\x1b` typed by hand stays four
characters: the user sees and means those). A form left as shown gives back the stored text,
character for character.
"""

from __future__ import annotations

from diazlog.domain.visible_text import visible


def _pieces(stored: str, keep: str) -> list[tuple[str, str]]:
    """(how it is shown, what is stored) for each stored character."""
    return [(visible(c, keep), c) for c in stored]


def as_edited(shown: str, stored: str, keep: str = "\n\t") -> str:
    """The text to store for a form that showed `stored` (escaped but for `keep`, as the form
    did: "" for a one-line input) and now holds `shown`."""
    pieces = _pieces(stored, keep)
    start = 0  # characters of `shown` matched from the front, piece by piece
    front = 0
    while front < len(pieces) and shown.startswith(pieces[front][0], start):
        start += len(pieces[front][0])
        front += 1
    end = len(shown)
    back = len(pieces)
    while back > front and end - len(pieces[back - 1][0]) >= start:
        piece = pieces[back - 1][0]
        if shown[end - len(piece) : end] != piece:
            break
        end -= len(piece)
        back -= 1
    kept_front = "".join(original for _shown, original in pieces[:front])
    kept_back = "".join(original for _shown, original in pieces[back:])
    return kept_front + shown[start:end] + kept_back
