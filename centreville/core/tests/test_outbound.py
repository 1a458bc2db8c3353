"""Downloads from an address someone typed reach the public Internet only: every request, redirects
included, is checked before it is sent; a timeout, a size limit, French errors. No request leaves this
machine: the real transport is replaced by a stub that records what would have been sent."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest

from centreville.core import outbound

from .fake_dns import resolve_as

NOT_ON_INTERNET = "L'adresse « %s » n'est pas sur Internet : elle ne peut pas être lue."
BAD_ADDRESS = "Adresse non valable : elle doit commencer par https:// ou http://."
PUBLIC = "93.184.216.34"


def _fetch(url: str, transport: httpx.BaseTransport | None = None, max_bytes: int = 1024 * 1024) -> bytes:
    return outbound.fetch(url, timeout=15.0, max_bytes=max_bytes, user_agent="test", transport=transport)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The network, stubbed: each request the real transport would send is recorded and answered by
    `ANSWERS` (a redirect or a file), so that the address check runs as it does in production."""
    urls: list[str] = []

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        location = ANSWERS.get(str(request.url))
        if location is None:
            return httpx.Response(200, content=b"BEGIN:VCALENDAR")
        return httpx.Response(302, headers={"Location": location})

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle_request)
    resolve_as(
        monkeypatch,
        {
            "agenda.example.org": PUBLIC,
            "data.example.org": PUBLIC,
            "intranet.example.org": "192.168.1.10",
            "both.example.org": [PUBLIC, "10.1.2.3"],  # every address is checked, not the first
        },
    )
    return urls


ANSWERS = {
    "https://agenda.example.org/go": "https://data.example.org/agenda.ics",
    "https://agenda.example.org/metadata": "http://169.254.169.254/latest/meta-data/",
    "https://agenda.example.org/inside": "http://intranet.example.org/secret",
    "https://agenda.example.org/file": "file:///etc/passwd",
}


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://127.0.0.1/agenda.ics", "127.0.0.1"),
        ("http://10.0.0.1:8080/flux.json", "10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]/agenda.ics", "::1"),
        ("http://[::ffff:127.0.0.1]/agenda.ics", "::ffff:127.0.0.1"),
        ("http://100.64.0.1/flux.json", "100.64.0.1"),
        ("http://0.0.0.0/flux.json", "0.0.0.0"),
        ("https://intranet.example.org/agenda.ics", "intranet.example.org"),
        ("https://both.example.org/agenda.ics", "both.example.org"),
    ],
)
def test_an_address_off_the_internet_is_refused_before_any_request(
    sent: list[str], url: str, host: str
) -> None:
    with pytest.raises(outbound.AddressRefused) as refused:
        _fetch(url)
    assert str(refused.value) == NOT_ON_INTERNET % host
    with pytest.raises(outbound.AddressRefused):
        outbound.check_address(url)
    assert sent == []


@pytest.mark.parametrize(
    "url", ["ftp://data.example.org/x", "file:///etc/passwd", "javascript:alert(1)", "x"]
)
def test_only_http_and_https_are_fetched_even_with_a_transport(sent: list[str], url: str) -> None:
    never = httpx.MockTransport(lambda request: pytest.fail("nothing may be sent"))
    with pytest.raises(outbound.AddressRefused, match=re.escape(BAD_ADDRESS)):
        _fetch(url, transport=never)
    with pytest.raises(outbound.AddressRefused, match=re.escape(BAD_ADDRESS)):
        outbound.check_address(url)
    assert sent == []


def test_a_public_address_is_fetched_and_each_redirect_is_checked(sent: list[str]) -> None:
    assert _fetch("https://agenda.example.org/go") == b"BEGIN:VCALENDAR"
    assert sent == ["https://agenda.example.org/go", "https://data.example.org/agenda.ics"]
    outbound.check_address("https://data.example.org/agenda.ics")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("metadata", NOT_ON_INTERNET % "169.254.169.254"),
        ("inside", NOT_ON_INTERNET % "intranet.example.org"),
        ("file", BAD_ADDRESS),
    ],
)
def test_a_redirect_off_the_internet_is_refused_before_it_is_followed(
    sent: list[str], path: str, message: str
) -> None:
    with pytest.raises(outbound.AddressRefused) as refused:
        _fetch(f"https://agenda.example.org/{path}")
    assert str(refused.value) == message
    assert sent == [f"https://agenda.example.org/{path}"]


def test_an_unknown_name_is_told_in_french(monkeypatch: pytest.MonkeyPatch) -> None:
    def unknown(*args: object, **kwargs: object) -> list[object]:
        raise OSError("Name or service not known")

    monkeypatch.setattr(outbound.socket, "getaddrinfo", unknown)
    with pytest.raises(
        outbound.AddressRefused, match=re.escape("Adresse introuvable : « nulle-part.example ».")
    ):
        outbound.check_address("https://nulle-part.example/agenda.ics")


def test_errors_of_the_server_are_told_in_french() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/absent":
            return httpx.Response(404)
        if request.url.path == "/loop":
            return httpx.Response(302, headers={"Location": "/loop"})
        if request.url.path == "/slow":
            raise httpx.ReadTimeout("slow", request=request)
        raise httpx.ConnectError("Connection refused", request=request)

    transport = httpx.MockTransport(answer)
    cases = {
        "/absent": "Le serveur a répondu 404 (erreur HTTP) à l'adresse donnée.",
        "/loop": "Trop de redirections à partir de cette adresse (plus de 5).",
        "/slow": "Le serveur n'a pas répondu à temps (15 s).",
        "/down": "Téléchargement impossible : Connection refused",
    }
    for path, message in cases.items():
        with pytest.raises(outbound.OutboundFailed) as failed:
            _fetch(f"http://127.0.0.1{path}", transport=transport)
        assert str(failed.value) == message


def test_a_file_too_large_is_cut_off_as_it_streams_whatever_its_length_says() -> None:
    streamed: list[int] = []

    def chunks() -> Iterator[bytes]:
        for number in range(100):
            streamed.append(number)
            yield b"x" * 100_000

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/declared":
            return httpx.Response(200, headers={"Content-Length": str(5 * 1024 * 1024)}, content=b"small")
        return httpx.Response(200, content=chunks())

    transport = httpx.MockTransport(answer)
    with pytest.raises(outbound.OutboundFailed, match=re.escape("Le fichier à cette adresse dépasse 1 Mo.")):
        _fetch("http://127.0.0.1/endless", transport=transport)
    assert len(streamed) < 15  # stopped just past 1 MiB, not read to its end
    with pytest.raises(outbound.OutboundFailed, match="dépasse 1 Mo"):
        _fetch("http://127.0.0.1/declared", transport=transport)
    assert _fetch("http://127.0.0.1/endless", transport=transport, max_bytes=20_000_000) == b"x" * 10_000_000


def test_a_server_trickling_bytes_runs_out_of_time_on_the_whole_download(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ticks = iter(range(0, 1000, 4))  # each look at the clock: 4 s later
    monkeypatch.setattr(time, "monotonic", lambda: next(ticks))
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=iter([b"a"] * 10)))
    with pytest.raises(outbound.OutboundFailed, match=r"n'a pas répondu à temps \(15 s\)"):
        _fetch("http://127.0.0.1/slow", transport=transport)
