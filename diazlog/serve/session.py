"""One browser session's app process: textual-serve's AppService, started so that ctrl+c in the
server's terminal does not kill it mid-save, and stopped by asking the app to quit."""

from __future__ import annotations

import asyncio
import contextlib
import shlex
from asyncio.subprocess import PIPE, Process
from typing import Any

from textual_serve.app_service import AppService

QUIT_WAIT_S = 30.0  # the app folds its WAL into the diary as it quits: a big diary takes seconds


class DiarySession(AppService):
    """The app (`python -m diazlog --db PATH`) for one browser tab.

    Started without a shell (the path is never parsed by one) and in its own session, so the
    terminal's ctrl+c reaches only the server, which then asks the app to quit the way a
    closed tab does: the app's own exit, which checkpoints the diary (opening.run_app).
    """

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = argv

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=environment,
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def finish(self) -> None:
        """Ask the app to quit and wait for it; only an app that does not answer is ended."""
        process = self._process
        with contextlib.suppress(asyncio.TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(self.stop(), QUIT_WAIT_S)
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(process.wait(), QUIT_WAIT_S)
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        await process.wait()
