"""`diazlog serve`: the token, the cookie, the websocket's Origin, one session at a time,
ctrl+c, and nothing of it on the way to the terminal app. Against a real server process on a
loopback port, with aiohttp's client (the browser itself: tests/test_serve_browser.py)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner

from diazlog.serve import guard
from tests.support.network_guard import loopback_only
from tests.support.serve_helpers import Served, screen_text, serving, welcomed_diary

PASSPHRASE = "tuna casserole wednesday"


@pytest.fixture(autouse=True)
def on_loopback():
    with loopback_only():
        yield


# -- the checks, as plain functions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "scheme", "host", "allowed"),
    [
        ("http://127.0.0.1:8765", "http", "127.0.0.1:8765", True),
        ("http://localhost:8765", "http", "localhost:8765", True),  # through a tunnel
        ("http://LOCALHOST:8765", "http", "localhost:8765", True),
        ("http://127.0.0.1:8766", "http", "127.0.0.1:8765", False),  # another port
        ("http://evil.example", "http", "127.0.0.1:8765", False),
        ("http://evil.example:8765", "http", "evil.example:8765", True),  # rebinding: no cookie
        ("https://127.0.0.1:8765", "http", "127.0.0.1:8765", False),
        ("null", "http", "127.0.0.1:8765", False),  # a sandboxed frame or a file: page
        ("", "http", "127.0.0.1:8765", False),
        (None, "http", "127.0.0.1:8765", False),
        ("http://127.0.0.1:8765/path", "http", "127.0.0.1:8765", False),
        ("http://user@127.0.0.1:8765", "http", "127.0.0.1:8765", False),
        ("http://127.0.0.1:8765", "http", None, False),
    ],
)
def test_the_websocket_origin_must_be_the_served_one(
    origin: str | None, scheme: str, host: str | None, allowed: bool
) -> None:
    assert guard.origin_allowed(origin, scheme, host) is allowed


@pytest.mark.parametrize(
    ("given", "matches"),
    [("right", True), ("wrong", False), ("", False), (None, False), ("righ", False), ("é", False)],
)
def test_the_token_is_compared_whole(given: str | None, matches: bool) -> None:
    assert guard.same_secret(given, "right") is matches


def test_each_launch_has_a_new_long_token() -> None:
    tokens = {guard.new_token() for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(t) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", t) for t in tokens)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("192.168.1.5", False), ("::", False), ("example.org", False)],
)  # fmt: skip
def test_only_this_machine_counts_as_loopback(host: str, loopback: bool) -> None:
    assert guard.is_loopback(host) is loopback


# -- the command line -----------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::"])
def test_another_host_needs_allow_remote(tmp_path: Path, host: str) -> None:
    from diazlog.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "d.db"), "serve", "--host", host])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output and "SSH tunnel" in result.output
    assert not (tmp_path / "d.db").exists()


SERVER_MODULES_PROBE = """
import asyncio, sys
sys.argv = ["diazlog"]
from diazlog.launch import main
import diazlog.app

def run(self, **kwargs):
    async def first_frame():
        async with self.run_test() as pilot:
            await pilot.pause()
            loaded = [m for m in sys.modules if m.split(".")[0] in
                      ("aiohttp", "textual_serve", "aiohttp_jinja2", "jinja2")
                      or m.startswith("diazlog.serve") or m == "diazlog.commands.serve"]
            print("APP", type(self.screen).__name__, sorted(loaded), flush=True)
    asyncio.run(first_frame())

diazlog.app.DiazlogApp.run = run
try:
    main()
except SystemExit:
    pass
"""


def test_the_terminal_app_imports_nothing_of_the_server(diary: Path) -> None:
    """Plain `diazlog` (launch.main) to the app's first frame: no aiohttp, no textual-serve."""
    out = subprocess.run(
        [sys.executable, "-c", SERVER_MODULES_PROBE],
        capture_output=True,
        text=True,
        env={**os.environ, "DIAZLOG_DB": str(diary)},
        timeout=120,
    ).stdout
    assert "APP TodayScreen []" in out, out


# -- a real server ----------------------------------------------------------------------------


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    return welcomed_diary(tmp_path / "data" / "diazlog.db")


def served_origin(served: Served) -> dict[str, str]:
    return {"Origin": served.base}


async def read_screen(ws: aiohttp.ClientWebSocketResponse, until: str) -> str:
    """The terminal output until `until` shows (or the socket closes): no sleep."""
    data = b""
    async with asyncio.timeout(60):
        while until not in screen_text(data):
            message = await ws.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                data += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break
    return screen_text(data)


async def test_the_token_buys_a_strict_cookie_and_nothing_else_gets_in(diary: Path) -> None:
    with serving(diary) as served:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
            for path in ("/", "/static/js/textual.js", "/static/", "/download/abc", "/ws",
                         f"/static/js/textual.js?token={served.token}",  # token only on /
                         "/?token=", "/?token=wrong", f"/?token={served.token}x"):  # fmt: skip
                async with http.get(served.base + path, allow_redirects=False) as response:
                    assert response.status == 403, path
                    assert "link `diazlog serve` printed" in await response.text()
            async with http.get(served.url + "&fontsize=20", allow_redirects=False) as response:
                assert response.status == 303
                assert response.headers["Location"] == "/?fontsize=20"  # the token is gone
                cookie = response.headers["Set-Cookie"]
                assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
                assert served.token in cookie
        # The cookie, from a second client that never saw the URL, opens the page.
        name = f"diazlog_session_{served.port}"
        async with aiohttp.ClientSession(cookies={name: served.token}) as http:
            async with http.get(served.base + "/") as response:
                assert response.status == 200
                page = await response.text()
                assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
            served_text = [page]
            for asset in re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", page):
                async with http.get(served.base + asset) as response:
                    assert response.status == 200, asset
                    served_text.append(await response.text())
            assert len(served_text) == 3  # the page, textual.js, xterm.css
        async with (
            aiohttp.ClientSession(cookies={name: "wrong"}) as http,
            http.get(served.base + "/") as response,
        ):
            assert response.status == 403
    everything = "\n".join(served_text)
    everything = re.sub(r"/\*.*?\*/", "", everything, flags=re.S)  # credits in CSS comments
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", everything, flags=re.I) == []
    assert "googleapis" not in everything and "Roboto Mono" in page  # the local font
    assert served.stop().count(served.token) == 1  # only in the printed URL, never logged


async def test_a_foreign_origin_gets_403_and_the_right_one_gets_today(diary: Path) -> None:
    with serving(diary) as served:
        name = f"diazlog_session_{served.port}"
        ws_url = served.base + "/ws?width=100&height=32"
        async with aiohttp.ClientSession(cookies={name: served.token}) as http:
            for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {}):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await http.ws_connect(ws_url, headers=headers)
                assert refused.value.status == 403
        async with aiohttp.ClientSession() as http:  # the right Origin, no cookie
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(ws_url, headers=served_origin(served))
            assert refused.value.status == 403
        async with aiohttp.ClientSession(cookies={name: served.token}) as http:
            ws = await http.ws_connect(ws_url, headers=served_origin(served))
            shown = await read_screen(ws, "Usual dose")
            assert "Doses" in shown and "Red flags" in shown and "Usual dose" in shown
            # A second tab: its page and its websocket say the diary is open elsewhere.
            async with http.get(served.base + "/") as response:
                assert response.status == 409
                assert "The diary is open elsewhere" in await response.text()
            second = await http.ws_connect(ws_url, headers=served_origin(served))
            assert "open elsewhere" in await read_screen(second, "Nothing was changed.")
            await second.close()
            # The first tab still works: a rating typed there is saved.
            await ws.send_str(json.dumps(["stdin", "7"]))
            await ws.send_str(json.dumps(["stdin", "\x13"]))  # ctrl+s
            await read_screen(ws, "Saved")
            await ws.close()
        printed = served.stop()
    assert "stopped" in printed
    rows = sqlite3.connect(diary).execute("SELECT intensity FROM ratings").fetchall()
    assert rows == [(7,)]


async def test_ctrl_c_quits_the_app_and_leaves_the_diary_one_file(diary: Path) -> None:
    """What was saved stays saved, a rating typed after it is kept as the day's draft (offered
    back next time), and the WAL is folded into the file."""
    with serving(diary) as served:
        cookies = {f"diazlog_session_{served.port}": served.token}
        async with aiohttp.ClientSession(cookies=cookies) as http:
            ws = await http.ws_connect(served.base + "/ws", headers=served_origin(served))
            await read_screen(ws, "Usual dose")
            await ws.send_str(json.dumps(["stdin", "4"]))
            await ws.send_str(json.dumps(["stdin", "\x13"]))
            await read_screen(ws, "Saved")
            await ws.send_str(json.dumps(["stdin", "6"]))  # a save goes back to the first: 4 -> 6
            await read_screen(ws, "6 moderate")
            served.process.send_signal(signal.SIGINT)  # ctrl+c with the tab still open,
            printed = served.stop()  # and again (if still running): the app still saves
    assert "stopped" in printed
    wal = diary.with_name(diary.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed: the diary is one file
    con = sqlite3.connect(diary)
    assert con.execute("SELECT intensity FROM ratings").fetchall() == [(4,)]
    (draft,) = con.execute("SELECT value FROM settings WHERE key LIKE 'draft:%'").fetchone()
    assert [r["intensity"] for r in json.loads(draft)["ratings"]] == [6]  # not saved, kept


def test_a_second_server_of_the_same_diary_is_refused(diary: Path) -> None:
    with socket.socket() as probe:  # a port free a moment ago, for --port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with serving(diary, "--port", str(port)) as served:
        assert served.port == port
        second = subprocess.run(
            [sys.executable, "-m", "diazlog", "--db", str(diary), "serve"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert second.returncode == 2
    assert "already being served" in second.stderr and "token" not in second.stdout


async def test_an_encrypted_diary_unlocks_in_the_browser_and_the_passphrase_stays_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diazlog.store.file.cipher import PASSPHRASE_FILE_VAR, create_encrypted

    monkeypatch.delenv(PASSPHRASE_FILE_VAR, raising=False)
    path = tmp_path / "data" / "diazlog.db"
    path.parent.mkdir(mode=0o700)
    create_encrypted(path, PASSPHRASE)
    with serving(path) as served:
        name = f"diazlog_session_{served.port}"
        async with aiohttp.ClientSession(cookies={name: served.token}) as http:
            ws = await http.ws_connect(served.base + "/ws", headers=served_origin(served))
            shown = await read_screen(ws, "This diary is encrypted.")
            assert "This diary is encrypted." in shown
            await ws.send_str(json.dumps(["stdin", PASSPHRASE + "\r"]))
            await read_screen(ws, "Usual dose")  # unlocked: Today (or its welcome)
            await ws.close()
        printed = served.stop()
    assert PASSPHRASE not in printed
    assert "passphrase" not in served.url.lower()


async def test_through_a_tunnel_the_page_is_localhost_and_works(diary: Path) -> None:
    """An SSH tunnel (README) makes the browser's address http://localhost:PORT: the cookie and
    the Origin check follow the address the browser used."""
    with serving(diary) as served:
        base = f"http://localhost:{served.port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/?token={served.token}") as response:
                assert response.status == 200 and str(response.url) == f"{base}/"
                assert f"ws://localhost:{served.port}/ws" in await response.text()
            with pytest.raises(aiohttp.WSServerHandshakeError):  # the other name's origin
                await http.ws_connect(f"{base}/ws", headers={"Origin": served.base})
            ws = await http.ws_connect(f"{base}/ws", headers={"Origin": base})
            assert "Usual dose" in await read_screen(ws, "Usual dose")
            await ws.close()
        served.stop()


def test_a_refused_diary_is_refused_before_any_port_opens(diary: Path) -> None:
    """A diary the app will not open (here: from a newer diazlog) is refused in the terminal,
    in one line, and no link is printed: nothing listens for a browser."""
    con = sqlite3.connect(diary)
    con.execute("PRAGMA user_version = 9999")
    con.close()
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [sys.executable, "-m", "diazlog", "--db", str(diary), "serve"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "newer" in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "token=" not in done.stdout
