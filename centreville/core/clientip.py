"""The address of the person behind a request, through the reverse proxies we run.

Behind a reverse proxy every request comes from the proxy's socket: limits per address (failed logins,
sign-ups, password resets) would then count everybody together, and ten failures would lock everyone
out. Each proxy appends the address it received the request from to X-Forwarded-For, so with
TRUSTED_PROXY_COUNT proxies of ours in front, the client is the entry that many places from the right;
whatever stands further left was written by the client and is not believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    """The canonical form of an IP address (IPv6 in brackets or with a zone too), None if it is not one."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    try:
        return str(ipaddress.ip_address(value.split("%")[0]))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address: the socket's peer, or with TRUSTED_PROXY_COUNT > 0 the address our farthest
    proxy saw. A request that reached us through fewer proxies is taken at the leftmost address they wrote.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            found = _address(forwarded[-min(count, len(forwarded))])
            if found is not None:
                return found
    return _address(remote) or remote
