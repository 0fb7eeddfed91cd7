"""Who may talk to `diazlog serve`: pure checks, kept apart from aiohttp so they are plain to test.

The server's own trust rests on two facts: only someone who saw the printed URL knows the
token (so only their browser holds the cookie it buys), and a browser always names the page
that opens a websocket in its `Origin` header (so another site's page is told apart even if
it could get the browser to send the cookie).
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

COOKIE = "diazlog_session"
TOKEN_PARAMETER = "token"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def new_token() -> str:
    """A fresh secret for one launch (as Jupyter does): 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def same_secret(given: str | None, token: str) -> bool:
    """Whether `given` is the token, compared in constant time (no timing oracle)."""
    if not given:
        return False
    return secrets.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def cookie_attributes() -> dict[str, object]:
    """The cookie is never readable by page script and never sent by another site's page."""
    return {"httponly": True, "samesite": "Strict", "path": "/"}


def origin_allowed(origin: str | None, scheme: str, host: str | None) -> bool:
    """A websocket's `Origin` must be the very origin the page was served from.

    `host` is the request's Host header (`127.0.0.1:8765`, or `localhost:8765` through a
    tunnel): the page that opens the websocket was loaded from it, so its origin is
    `scheme://host`. A missing Origin (no browser sends none) or any other one is refused.
    """
    if not origin or not host:
        return False
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or parts.path not in ("", "/"):
        return False
    if parts.query or parts.fragment or parts.username or parts.password:
        return False
    return (parts.scheme, parts.netloc.lower()) == (scheme, host.lower())


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server on this machine."""
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def url_host(host: str) -> str:
    """A host as written in a URL (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
