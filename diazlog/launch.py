"""The `diazlog` script (and `python -m diazlog`).

It starts without Python's cycle collector, which the app resumes after its first frame and a
shell command as it begins (diazlog/collector.py says why). Plain `diazlog`, the daily case,
runs the app straight away: the command line (click) is imported only for options and
subcommands (diazlog/opening.py).
"""

from __future__ import annotations

import sys

from diazlog import collector

collector.pause()  # before any import below: they build most of what the collector scans


def main() -> None:
    if len(sys.argv) > 1:
        from diazlog.cli import main as command_line

        command_line()
        return
    from diazlog.opening import database_errors_as_one_line, private_files, real_path, run_app
    from diazlog.paths import default_database

    private_files()
    with database_errors_as_one_line():
        run_app(real_path(default_database()))
