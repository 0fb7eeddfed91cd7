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
SAID_AT_MOST = 16_384  # of the app's stderr kept to show: its last words are a line or two


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
        self.said = _Kept(process.stderr)
        process.stderr = self.said  # type: ignore[assignment]  # AppService reads it as before
        return process

    async def run(self) -> None:
        """Run the app; once it has ended, the page shows what it said on stderr (a refused
        diary's one line, say) instead of an empty page."""
        await super().run()
        said = getattr(self, "said", None)
        text = bytes(said.data).decode("utf-8", "replace").strip() if said else ""
        if text:
            from diazlog.domain.visible_text import visible

            lines = [visible(line) for line in text.splitlines()[-5:]]
            with contextlib.suppress(Exception):  # the tab may be gone already
                await self.remote_write_bytes(("\r\n" + "\r\n".join(lines) + "\r\n").encode())
        with contextlib.suppress(Exception):
            await self.remote_close()

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


class _Kept:
    """The app's stderr as AppService reads it, with what was read kept (up to a limit)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.data = bytearray()

    async def read(self, n: int = -1) -> bytes:
        chunk: bytes = await self.stream.read(n)
        if len(self.data) < SAID_AT_MOST:
            self.data += chunk[: SAID_AT_MOST - len(self.data)]
        return chunk
