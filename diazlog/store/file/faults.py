"""Named stopping points for tests that kill a command at its critical step.

A test that kills a process after a delay races it; instead it runs the command with
DIAZLOG_STOP_AT=<step>. Reaching that step, the process prints one line
("diazlog-stopped-at <step>") to stdout and waits on stdin, so the test reads the line (the
signal that the step is reached) and kills it there. Unset, this is one dict lookup.
"""

from __future__ import annotations

import os
import sys

STOP_VAR = "DIAZLOG_STOP_AT"
STOPPED = "diazlog-stopped-at"


def stop_at(step: str) -> None:
    """Stop here, if the environment asks for `step` (tests only)."""
    if os.environ.get(STOP_VAR) != step:
        return
    sys.stdout.write(f"{STOPPED} {step}\n")
    sys.stdout.flush()
    sys.stdin.read()  # until the test kills us (or closes stdin: then carry on)
