"""Downloading a calendar feed given by its address (https://, http:// or webcal://), with `httpx`.

The download has a timeout and a size limit, and goes only to addresses on the public Internet: a town
team's form must not make the server read its own network.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx
from django.utils.translation import gettext as _

from .base import MAX_FILE_BYTES, ImportFailed, SourceFile

TIMEOUT_SECONDS = 15.0
USER_AGENT = "Centre-Ville en ligne (import d'agenda)"


def _check_public(host: str) -> None:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError) as error:
        raise ImportFailed(_("Adresse introuvable : « %(host)s ».") % {"host": host}) from error
    for address in addresses:
        if not ipaddress.ip_address(str(address).split("%")[0]).is_global:
            raise ImportFailed(
                _("L'adresse « %(host)s » n'est pas sur Internet : elle ne peut pas être lue.")
                % {"host": host}
            )


def fetch(url: str, *, transport: httpx.BaseTransport | None = None) -> SourceFile:
    """The file at `url`; ImportFailed (French) when it cannot be downloaded whole.

    `transport` replaces the network (tests); without it, the address must be on the public Internet.
    """
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImportFailed(_("Adresse non valable : elle doit commencer par https://, http:// ou webcal://."))
    if transport is None:
        _check_public(parts.hostname)
    name = parts.path.rsplit("/", 1)[-1] or parts.hostname
    try:
        # Redirects are not followed: each one would need the same check of where it leads.
        with (
            httpx.Client(
                transport=transport, timeout=TIMEOUT_SECONDS, headers={"User-Agent": USER_AGENT}
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                raise ImportFailed(
                    _("Le serveur a répondu %(status)s à l'adresse donnée : rien n'a été importé.")
                    % {"status": response.status_code}
                )
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise ImportFailed(
                        _("Le fichier à cette adresse dépasse %(size)s Mo.")
                        % {"size": MAX_FILE_BYTES // (1024 * 1024)}
                    )
                chunks.append(chunk)
    except httpx.TimeoutException as error:
        raise ImportFailed(
            _("Le serveur n'a pas répondu à temps (%(seconds)s s).") % {"seconds": int(TIMEOUT_SECONDS)}
        ) from error
    except httpx.HTTPError as error:
        raise ImportFailed(_("Téléchargement impossible : %(error)s") % {"error": error}) from error
    return SourceFile(name=name, data=b"".join(chunks))
