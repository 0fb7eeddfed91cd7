"""`diazlog serve`'s web server: textual-serve's, with a token, a cookie, an Origin check and
one session at a time.

textual-serve (1.1.x, pinned: this subclasses its Server and AppService) binds a port and
serves the app to whoever connects, from any page's script, and its template loads a font
from Google. Here every request needs the cookie bought with the printed token, the
websocket must come from the page this server served, the page is local, and a second tab
is told the diary is open elsewhere instead of starting a second app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web
from aiohttp.web_runner import GracefulExit
from textual_serve.server import Server, to_int

from diazlog.serve import guard, page
from diazlog.serve.session import DiarySession

log = logging.getLogger("diazlog.serve")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class DiaryServer(Server):
    """Serves the diary at `db_path` to one browser session at a time."""

    def __init__(self, db_path: Path, host: str, port: int, token: str) -> None:
        super().__init__(command="diazlog", host=host, port=port, title="diazlog")
        self.db_path = db_path
        self.token = token
        self.session: DiarySession | None = None
        self.busy = False  # a session is starting or running (set before any await)
        self.socket: socket.socket | None = None
        self.stopping = False

    # -- addresses ---------------------------------------------------------------------------

    @property
    def cookie_name(self) -> str:
        """Per port: cookies are kept per host, not per port, so two servers would clash."""
        return f"{guard.COOKIE}_{self.port}"

    @property
    def base_url(self) -> str:
        return f"http://{guard.url_host(self.host)}:{self.port}"

    @property
    def url_with_token(self) -> str:
        return f"{self.base_url}/?{guard.TOKEN_PARAMETER}={self.token}"

    def app_argv(self) -> list[str]:
        """The app for one session: this Python, this package, this diary."""
        return [sys.executable, "-m", "diazlog", "--db", str(self.db_path)]

    # -- the web application -----------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.gatekeeper])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def gatekeeper(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """The token buys the cookie; without the cookie every request is 403."""
        given = request.query.get(guard.TOKEN_PARAMETER)
        if given is not None:
            if not (request.path == "/" and guard.same_secret(given, self.token)):
                return forbidden()
            rest = [(k, v) for k, v in request.query.items() if k != guard.TOKEN_PARAMETER]
            location = "/" + (f"?{urlencode(rest)}" if rest else "")
            response = web.Response(status=303, headers={"Location": location})
            response.set_cookie(self.cookie_name, self.token, **guard.cookie_attributes())  # type: ignore[arg-type]
            return with_headers(response)
        if not guard.same_secret(request.cookies.get(self.cookie_name), self.token):
            return forbidden()
        return with_headers(await handler(request))

    async def handle_index(self, request: web.Request) -> web.Response:  # type: ignore[override]
        if self.busy:
            return html(page.open_elsewhere_page(), status=409)
        font_size = max(8, min(40, to_int(request.query.get("fontsize", "16"), 16)))
        return html(page.app_page(f"ws://{request.host}/ws", font_size))

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if not guard.origin_allowed(request.headers.get("Origin"), request.scheme, request.host):
            return forbidden("diazlog: this connection did not come from diazlog's own page.\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        if self.busy:
            await websocket.prepare(request)
            await websocket.send_bytes(f"\r\n  {page.OPEN_ELSEWHERE}\r\n".encode())
            await websocket.close()
            return websocket
        self.busy = True
        try:
            await websocket.prepare(request)
            self.session = DiarySession(
                self.app_argv(),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            await self.session.start(width, height)
            with contextlib.suppress(ConnectionError):
                await self._process_messages(websocket, self.session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a broken connection must still end the app below
            log.error("diazlog serve: session ended: %s", type(error).__name__)
        finally:
            if self.session is not None:
                await asyncio.shield(self.session.finish())
            self.session = None
            self.busy = False
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        say(f"diazlog serve: the diary {self.db_path}")
        say("Open this link in your browser (it holds this launch's own key; keep it private):")
        print(f"    {self.url_with_token}", flush=True)
        say("Press ctrl+c here to stop; the diary is saved and closed first.")

    async def on_shutdown(self, app: web.Application) -> None:
        if self.session is not None:
            await self.session.finish()

    # -- running -----------------------------------------------------------------------------

    def bind(self) -> None:
        """Bind now (port 0: a free one), so the printed URL names the real port."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(16)
        self.port = sock.getsockname()[1]
        self.public_url = self.base_url
        self.socket = sock

    def run(self) -> None:
        """Serve until ctrl+c (or SIGTERM): then the app quits, saving, and the server stops."""
        if self.socket is None:
            self.bind()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, self.request_exit)
        logging.basicConfig(level="WARNING", format="%(message)s")
        try:
            web.run_app(
                self._make_app(),
                sock=self.socket,
                handle_signals=False,
                loop=loop,
                print=None,
                access_log=None,  # a request line would carry the token
            )
        finally:
            loop.close()
        say("diazlog serve: stopped; the diary is closed.")

    def request_exit(self) -> None:
        """The first ctrl+c stops the server; another, while the app is still saving, is
        only answered: cutting that short could leave the app running without its server."""
        if self.stopping:
            say("diazlog serve: still closing the diary; one moment.")
            return
        self.stopping = True
        raise GracefulExit()


def say(message: str) -> None:
    """A line on the server's terminal; a control character (say in a --db path) is shown
    escaped, never sent to the terminal raw."""
    from diazlog.domain.visible_text import visible

    print(visible(message), flush=True)


def forbidden(text: str = page.FORBIDDEN) -> web.Response:
    response = web.Response(status=403, text=text)
    with_headers(response)
    return response


def html(body: str, status: int = 200) -> web.Response:
    response = web.Response(status=status, text=body, content_type="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    return response


def with_headers(response: web.StreamResponse) -> web.StreamResponse:
    if not response.prepared:
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
    return response
