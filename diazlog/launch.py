"""The `diazlog` script (and `python -m diazlog`): the command line, started without
Python's cycle collector, which the app resumes after its first frame and a shell command
as it begins (diazlog/collector.py says why)."""

from diazlog import collector

collector.pause()  # before the imports: they build most of what the collector would scan

from diazlog.cli import main  # noqa: E402  (deliberately after the pause)

__all__ = ["main"]
