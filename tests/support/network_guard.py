"""Fail any attempt to open an internet socket: diazlog makes no network calls, ever.

Local AF_UNIX sockets stay allowed (asyncio's event loop wakes itself with a socketpair).
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import Any

INTERNET = (socket.AF_INET, socket.AF_INET6)
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_loopback_allowed: list[bool] = [False]


@contextlib.contextmanager
def loopback_only() -> Iterator[None]:
    """Inside the guard, let a test talk to a server on this machine (`diazlog serve`), and
    to nothing else: a connection or a name lookup for any other address still fails."""
    _loopback_allowed.append(True)
    try:
        yield
    finally:
        _loopback_allowed.pop()


def _to_loopback(address: Any) -> bool:
    return _loopback_allowed[-1] and isinstance(address, tuple) and address[0] in LOOPBACK


class NetworkUsed(AssertionError):
    """Raised where the code under test tried to reach the network."""


@contextlib.contextmanager
def block_network() -> Iterator[list[str]]:
    """Patch socket creation, connection and name lookup; yields the attempts made."""
    attempts: list[str] = []
    original_init = socket.socket.__init__
    original_connect = socket.socket.connect
    original_create = socket.create_connection
    original_getaddrinfo = socket.getaddrinfo

    def refuse(what: str) -> None:
        attempts.append(what)
        raise NetworkUsed(f"diazlog must not use the network: {what}")

    def init(
        self: socket.socket, family: Any = -1, type: Any = -1, proto: Any = -1, fileno: Any = None
    ) -> None:
        effective = socket.AF_INET if family == -1 and fileno is None else family
        if fileno is None and effective in INTERNET and not _loopback_allowed[-1]:
            refuse(f"socket({socket.AddressFamily(effective).name})")
        original_init(self, family, type, proto, fileno)

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in INTERNET and not _to_loopback(address):
            refuse(f"connect({address!r})")
        original_connect(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        refuse(f"create_connection({address!r})")
        raise AssertionError("unreachable")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if _loopback_allowed[-1] and host in LOOPBACK:
            return original_getaddrinfo(host, *args, **kwargs)
        refuse(f"getaddrinfo({host!r})")

    socket.socket.__init__ = init  # type: ignore[method-assign]
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.create_connection = create_connection  # type: ignore[assignment]
    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]
    try:
        yield attempts
    finally:
        socket.socket.__init__ = original_init  # type: ignore[method-assign]
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.create_connection = original_create
        socket.getaddrinfo = original_getaddrinfo
