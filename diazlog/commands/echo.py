"""Every line a command prints goes through here, so diary text never reaches a terminal raw.

A medicine name or a note may hold escape sequences (from an import, a restored backup, a
shell): `visible` (domain/visible_text.py) writes their control characters as escapes, on a
terminal or not (a pipe is read on a terminal later). tests/safety/test_visible_text.py checks that
no command calls click.echo itself.
"""

from __future__ import annotations

import click

from diazlog.domain.visible_text import visible, visible_json


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """click.echo of `message` with its control characters (but newline, tab) escaped."""
    click.echo(visible(message), err=err, nl=nl)


def echo_json(text: str) -> None:
    """A JSON document, still valid JSON: control characters inside its strings become
    JSON escapes (\\u001b, \\u202e), which any reader turns back into the stored text."""
    click.echo(visible_json(text))
