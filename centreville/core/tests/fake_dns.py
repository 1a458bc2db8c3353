"""A stand-in for DNS in tests of addresses fetched from the Internet (`core.outbound`): the names given
resolve to the addresses given, without a query; every other name (the test database, Redis) as usual."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest


def resolve_as(monkeypatch: pytest.MonkeyPatch, names: dict[str, str | list[str]]) -> None:
    """Make each name of `names` resolve to its address or addresses (IPv4 or IPv6) for
    `socket.getaddrinfo`."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in names:
            return real(host, port, *args, **kwargs)
        given = names[host]
        found: list[Any] = []
        for address in map(ipaddress.ip_address, [given] if isinstance(given, str) else given):
            if address.version == 6:
                found.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (str(address), port or 0, 0, 0)))
            else:
                found.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (str(address), port or 0)))
        return found

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
