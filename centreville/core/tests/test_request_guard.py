"""Request bodies are capped by the application itself, and NUL characters never reach the database."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Mapping
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.handlers.asgi import ASGIHandler
from django.test import Client, RequestFactory
from django.test.client import BOUNDARY, encode_multipart
from pytest_django.fixtures import Settings

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.core.request_guard import LimitedUploadHandler, RequestBodyTooLarge
from centreville.towns.tests.factories import TownFactory

LIMIT = 100_000
FORM = f"multipart/form-data; boundary={BOUNDARY}"  # a body already encoded, not a dict to encode


@pytest.fixture(autouse=True)
def small_limit(settings: Settings) -> None:
    settings.MAX_REQUEST_BODY_BYTES = LIMIT


def multipart(size: int) -> bytes:
    return encode_multipart(BOUNDARY, {"note": "bonjour", "photo": FakeFile(size)})


class FakeFile:
    """What the test client takes for a file: a name and bytes."""

    def __init__(self, size: int) -> None:
        self.name = "photo.jpg"
        self._content = b"x" * size

    def read(self) -> bytes:
        return self._content


def test_a_body_announced_above_the_limit_gets_a_french_413_before_it_is_read(client: Client) -> None:
    body = multipart(LIMIT + 1)

    response = client.post("/compte/login/", body, content_type=FORM)

    assert response.status_code == 413
    page = html.unescape(response.content.decode())
    assert '<html lang="fr">' in page
    assert "<title>Envoi trop lourd — Centre-Ville en ligne</title>" in page
    assert "dépasse 97,7\xa0Kio" in page
    assert "rien n'a été enregistré" in page


def test_a_body_below_the_limit_goes_through(client: Client) -> None:
    response = client.post("/compte/login/", multipart(LIMIT // 2), content_type=FORM)

    assert response.status_code == 200  # the login form, asking for its fields


def test_the_upload_handler_stops_a_body_that_announced_no_length() -> None:
    request = RequestFactory().post("/", content_type=FORM)
    del request.META["CONTENT_LENGTH"]
    handler = LimitedUploadHandler(request)

    handler.receive_data_chunk(b"x" * (LIMIT // 2), 0)
    with pytest.raises(RequestBodyTooLarge):
        handler.receive_data_chunk(b"x" * (LIMIT // 2 + 1), LIMIT // 2)
    assert request.body_too_large  # type: ignore[attr-defined]


def asgi_post(path: str, body: bytes, headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes]:
    """One request through Django's ASGI handler, which reads a body whatever its Content-Length says."""
    sent: list[Mapping[str, Any]] = []
    chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)] or [b""]
    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # the client stays connected until the answer comes
        raise AssertionError("unreachable")

    async def send(message: Mapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    async_to_sync(ASGIHandler())(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    content = b"".join(
        message.get("body", b"") for message in sent if message["type"] == "http.response.body"
    )
    return start["status"], content


@pytest.mark.django_db
def test_an_upload_that_lies_about_its_length_is_stopped_past_the_limit() -> None:
    body = multipart(LIMIT * 3)
    headers = [(b"content-type", FORM.encode()), (b"content-length", b"5000")]

    status, content = asgi_post("/compte/login/", body, headers)

    assert status == 413
    assert "Envoi trop lourd" in content.decode()


@pytest.mark.django_db
def test_the_shop_import_takes_larger_files_from_signed_in_people_only(
    client: Client, settings: Settings
) -> None:
    settings.MAX_IMPORT_BODY_BYTES = LIMIT * 10
    town = TownFactory.create(slug="argentan")
    body = multipart(LIMIT * 2)

    anonymous = client.post("/argentan/gestion/imports/", body, content_type=FORM)
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    manager = client.post("/argentan/gestion/imports/", body, content_type=FORM)

    assert anonymous.status_code == 413
    assert manager.status_code == 422  # read, then refused by the form with its errors
    assert (
        client.post("/argentan/gestion/imports/", multipart(LIMIT * 11), content_type=FORM).status_code == 413
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/argentan/espace-commercant/commandes/?commerce=%00",
        "/argentan/recherche/?q=pain%00",
        "/argentan/?%00=1",
        "/api/commandes/%00",
        "/api/villes/arg%00entan/panier",
    ],
)
def test_a_nul_character_in_the_address_is_a_french_400(client: Client, path: str) -> None:
    TownFactory.create(slug="argentan")

    response = client.get(path)

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert '<html lang="fr">' in page
    assert "L'adresse contient un caractère interdit." in page


@pytest.mark.django_db
def test_a_nul_character_in_a_form_is_a_french_400(client: Client) -> None:
    response = client.post("/compte/login/", {"login": "a\x00@example.fr", "password": "x"})

    assert response.status_code == 400
    assert "Le formulaire contient un caractère interdit." in html.unescape(response.content.decode())
