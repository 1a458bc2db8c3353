"""Downloading a file from an address someone typed (a calendar to import, a car park feed), with `httpx`.

The server must never read its own network for them: every request, the first and each redirect (at most
`MAX_REDIRECTS`, each checked before it is sent), goes only to http(s) addresses whose host resolves to
addresses on the public Internet (`ipaddress.is_global`: no loopback, private, link-local such as
169.254.169.254, shared or reserved range). A download has a timeout, on each step and on the whole, and a
size limit read as it streams. Errors are `OutboundFailed`, with a French message for the person who gave
the address.

A `transport` given (httpx.MockTransport in tests and benchmarks) replaces the network, and with it the
address check: nothing leaves the machine then.
"""

from __future__ import annotations

import ipaddress
import socket
import time

import httpx
from django.utils.translation import gettext as _

SCHEMES = ("http", "https")
MAX_REDIRECTS = 5


class OutboundFailed(Exception):
    """The file could not be downloaded whole; the message is French."""


class AddressRefused(OutboundFailed):
    """The address is refused before any connection: not http(s), unknown, or not on the public Internet."""


def _not_http() -> AddressRefused:
    return AddressRefused(_("Adresse non valable : elle doit commencer par https:// ou http://."))


def _parsed(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL as error:
        raise _not_http() from error
    if parsed.scheme not in SCHEMES or not parsed.host:
        raise _not_http()
    return parsed


def _refuse_unless_public(url: httpx.URL) -> None:
    """AddressRefused unless `url` is http(s) and every address its host resolves to is global."""
    if url.scheme not in SCHEMES or not url.host:
        raise _not_http()
    host = url.raw_host.decode("ascii")
    try:
        found = socket.getaddrinfo(host, url.port or (443 if url.scheme == "https" else 80))
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    except (OSError, UnicodeError, ValueError) as error:  # socket.gaierror is an OSError
        raise AddressRefused(_("Adresse introuvable : « %(host)s ».") % {"host": url.host}) from error
    # Every address, not one: a name may resolve to a public and a private address at once.
    if not addresses or not all(address.is_global for address in addresses):
        raise AddressRefused(
            _("L'adresse « %(host)s » n'est pas sur Internet : elle ne peut pas être lue.")
            % {"host": url.host}
        )


def check_address(url: str) -> None:
    """AddressRefused (French) unless `url` is an http(s) address on the public Internet: for forms, which
    refuse such an address before it is ever fetched. Resolves the host name (a DNS query)."""
    _refuse_unless_public(_parsed(url))


def _check_request(request: httpx.Request) -> None:
    _refuse_unless_public(request.url)


def fetch(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    user_agent: str,
    transport: httpx.BaseTransport | None = None,
) -> bytes:
    """The bytes at `url` (HTTP 200 after at most MAX_REDIRECTS redirects, each checked), or OutboundFailed
    with a French message: address refused, no answer within `timeout` seconds (each step, and the whole
    download), an HTTP error, more than `max_bytes`, or the server not reached."""
    target = _parsed(url)
    # The check runs before every request httpx sends, redirects included, so none reaches a private host.
    hooks = {"request": [_check_request]} if transport is None else {}
    deadline = time.monotonic() + timeout
    too_long = _("Le serveur n'a pas répondu à temps (%(seconds)s s).") % {"seconds": int(timeout)}
    too_large = _("Le fichier à cette adresse dépasse %(size)s Mo.") % {"size": max_bytes // (1024 * 1024)}
    try:
        with (
            httpx.Client(
                transport=transport,
                timeout=timeout,
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                headers={"User-Agent": user_agent},
                event_hooks=hooks,
            ) as client,
            client.stream("GET", target) as response,
        ):
            if response.status_code != 200:
                raise OutboundFailed(
                    _("Le serveur a répondu %(status)s (erreur HTTP) à l'adresse donnée.")
                    % {"status": response.status_code}
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise OutboundFailed(too_large)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise OutboundFailed(too_large)
                if time.monotonic() > deadline:  # a server trickling bytes never times out a single read
                    raise OutboundFailed(too_long)
                chunks.append(chunk)
    except httpx.TooManyRedirects as error:
        raise OutboundFailed(
            _("Trop de redirections à partir de cette adresse (plus de %(count)s).")
            % {"count": MAX_REDIRECTS}
        ) from error
    except httpx.TimeoutException as error:
        raise OutboundFailed(too_long) from error
    except httpx.HTTPError as error:
        raise OutboundFailed(_("Téléchargement impossible : %(error)s") % {"error": error}) from error
    return b"".join(chunks)
