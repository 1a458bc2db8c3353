"""Downloading a calendar feed given by its address (https://, http:// or webcal://).

`core.outbound` does the download: only to addresses on the public Internet (a town team's form must not
make the server read its own network), redirects each checked, a timeout and a size limit.
"""

from __future__ import annotations

import httpx

from centreville.core import outbound

from .base import MAX_FILE_BYTES, ImportFailed, SourceFile

TIMEOUT_SECONDS = 15.0
USER_AGENT = "Centre-Ville en ligne (import d'agenda)"


def _http_address(url: str) -> str:
    """The https address a webcal:// one stands for; any other address as it is."""
    url = url.strip()
    if url.lower().startswith("webcal://"):
        return "https://" + url[len("webcal://") :]
    return url


def check_address(url: str) -> None:
    """ImportFailed (French) unless `url` leads to the public Internet: the form refuses such an address
    before an import is queued. Resolves the host name (a DNS query)."""
    try:
        outbound.check_address(_http_address(url))
    except outbound.AddressRefused as error:
        raise ImportFailed(str(error)) from error


def fetch(url: str, *, transport: httpx.BaseTransport | None = None) -> SourceFile:
    """The file at `url`; ImportFailed (French) when it cannot be downloaded whole.

    `transport` replaces the network (tests); without it, the address must be on the public Internet.
    """
    url = _http_address(url)
    try:
        data = outbound.fetch(
            url, timeout=TIMEOUT_SECONDS, max_bytes=MAX_FILE_BYTES, user_agent=USER_AGENT, transport=transport
        )
    except outbound.OutboundFailed as error:
        raise ImportFailed(str(error)) from error
    parsed = httpx.URL(url)
    return SourceFile(name=parsed.path.rsplit("/", 1)[-1] or parsed.host, data=data)
