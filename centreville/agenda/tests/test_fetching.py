"""A calendar given by its address is downloaded from the public Internet only (`core.outbound`): an
address of the server's own network is refused in French before any request, redirects included."""

from __future__ import annotations

import re

import httpx
import pytest

from centreville.agenda.importing.base import ImportFailed
from centreville.agenda.importing.fetching import fetch
from centreville.core.tests.fake_dns import resolve_as


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The network, stubbed: what would have been sent is recorded; one public name redirects inside."""
    urls: list[str] = []

    def network(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        if request.url.path == "/vers-l-interieur.ics":
            return httpx.Response(302, headers={"Location": "http://10.0.0.1/agenda.ics"})
        return httpx.Response(200, content=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", network)
    resolve_as(monkeypatch, {"agenda.intranet.example": "172.16.0.5", "agenda.example.org": "93.184.216.34"})
    return urls


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://127.0.0.1/agenda.ics", "127.0.0.1"),
        ("https://10.0.0.1/agenda.ics", "10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("webcal://[::1]/agenda.ics", "::1"),
        ("https://agenda.intranet.example/agenda.ics", "agenda.intranet.example"),
        ("https://agenda.example.org/vers-l-interieur.ics", "10.0.0.1"),
    ],
)
def test_an_address_off_the_internet_is_refused_in_french(sent: list[str], url: str, host: str) -> None:
    with pytest.raises(ImportFailed) as refused:
        fetch(url)
    assert str(refused.value) == f"L'adresse « {host} » n'est pas sur Internet : elle ne peut pas être lue."
    assert all("agenda.example.org" in request for request in sent)


def test_a_public_address_is_downloaded_and_named_after_its_file(sent: list[str]) -> None:
    source = fetch("webcal://agenda.example.org/ville/agenda.ics")
    assert (source.name, source.data) == ("agenda.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert sent == ["https://agenda.example.org/ville/agenda.ics"]


def test_a_file_too_large_is_refused() -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, content=b"x" * (10 * 1024 * 1024 + 1))
    )
    with pytest.raises(ImportFailed, match=re.escape("Le fichier à cette adresse dépasse 10 Mo.")):
        fetch("https://agenda.example.org/agenda.ics", transport=transport)
