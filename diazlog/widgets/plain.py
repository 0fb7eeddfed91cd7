"""Diary text as widgets show it: plain text, never markup, control characters as escapes.

A note "[red]x[/]" or "[link=…]" must show as typed, not as a colour or a link, and an escape
sequence in a medicine name must not retitle or clear the terminal. Textual reads a `str` as
markup (Static, Label, DataTable cells, Select options) and passes control characters through
to the terminal, so diary text goes through `plain` (a Rich Text, which no widget parses) or
into a `PlainTable`, whose string cells are made plain on the way in.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from diazlog.domain.visible_text import one_line, visible


def plain(text: str, *, lines: bool = True, style: str = "") -> Text:
    """`text` as plain Text with control characters escaped; lines=False also escapes
    newlines and tabs (a cell, a title: one line)."""
    return Text(visible(text) if lines else one_line(text), style=style, end="")


def plain_cell(cell: Any) -> Any:
    """A table cell: a string made plain (one line); anything else (Text, numbers) as is."""
    return plain(cell, lines=False) if isinstance(cell, str) else cell


class PlainTable(DataTable[Any]):
    """A DataTable whose string cells are plain text (never markup, control characters shown
    as escapes): every table of diary text derives from it."""

    def add_column(self, label: Any, *args: Any, **kwargs: Any) -> Any:
        return super().add_column(plain_cell(label), *args, **kwargs)

    def add_columns(self, *labels: Any) -> Any:
        return super().add_columns(
            *(
                (plain_cell(label[0]), label[1]) if isinstance(label, tuple) else plain_cell(label)
                for label in labels
            )
        )

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        return super().add_row(*(plain_cell(c) for c in cells), **kwargs)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell(row_key, column_key, plain_cell(value), **kwargs)

    def update_cell_at(self, coordinate: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell_at(coordinate, plain_cell(value), **kwargs)
