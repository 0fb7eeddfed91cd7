"""Text from the diary made safe to show: control characters become visible escapes.

A medicine name, a note or a symptom comes from the user, an import or a restored backup, so
it may hold terminal escape sequences (ESC ] 0; … BEL retitles the terminal, ESC [2J clears
it), C1 controls (\\x9b is a one-byte CSI on many terminals) or bidi overrides (U+202E makes
text read backwards). Written raw, they act on the terminal or mislead the reader. Every
surface that shows diary text (the TUI, every command's output, the reports) passes it through
`visible` first; the CSV and JSON exports keep the text exactly as stored.

Escaped characters are written as Python writes them (`\\x1b`, `\\u202e`), so the user sees
what is there and the same text always shows the same way. Rich/Textual markup is a separate
matter, handled where the text is drawn (widgets take it as plain text, not markup).
"""

from __future__ import annotations

import unicodedata

# Format characters that reorder or hide text (bidi embeddings, overrides and isolates, the
# directional marks), plus the Unicode line and paragraph separators, which break lines on
# some terminals. Other format characters (zero-width joiners in emoji) are left alone.
_INVISIBLE = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
)


def is_control(char: str) -> bool:
    """Whether `char` acts on a terminal or on the text's direction instead of showing."""
    return unicodedata.category(char) in ("Cc", "Cs") or char in _INVISIBLE


_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "\n\t") -> str:
    """`text` with every control character but those in `keep` written as an escape.

    One-line surfaces (a table cell, a title, a CSV-like summary) pass keep="" so a newline
    shows as `\\n` instead of breaking the line.
    """
    if text.isprintable() and not any(c in _INVISIBLE for c in text):
        return text  # the usual case, in one pass of C code
    return "".join(_escape(c) if is_control(c) and c not in keep else c for c in text)


def one_line(text: str) -> str:
    """`visible` for a surface of one line: newlines and tabs are escaped too."""
    return visible(text, keep="")


def quoted(text: str, limit: int = 20) -> str:
    """Typed text echoed in a refusal: on one line, its control characters escaped, and cut
    at `limit` characters, so a 5,000-character paste or a stray newline stays one short line."""
    cut = one_line(text[:limit]) + ("…" if len(text) > limit else "")
    return f"'{cut}'"


def control_characters(text: str, allowed: str = "") -> list[str]:
    """The control characters in `text` (other than `allowed`), as escapes, in order, once
    each: what a refusal names ("name has a control character \\x1b")."""
    found: list[str] = []
    for char in text:
        if is_control(char) and char not in allowed:
            escaped = _escape(char)
            if escaped not in found:
                found.append(escaped)
    return found


def visible_json(text: str) -> str:
    """A JSON document with every control character escaped the JSON way (`\\u001b`).

    `json.dumps(ensure_ascii=False)` escapes C0 controls but leaves C1 controls and bidi
    overrides raw; outside strings JSON has only space, tab and newline between tokens, so
    escaping the rest keeps the document valid and its strings equal to what is stored.
    """
    return "".join(f"\\u{ord(c):04x}" if is_control(c) and c not in "\n\t " else c for c in text)
