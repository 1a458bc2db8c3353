"""Limits per address count the person behind our reverse proxies, not the proxy."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

from centreville.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from centreville.core.clientip import client_ip

PROXY = "10.0.0.2"  # the reverse proxy's socket, as gunicorn sees it


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", PROXY),
        (0, "203.0.113.7", PROXY),  # no proxy of ours: the header is the client's own words
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # what the client wrote itself stays ignored
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # came through one proxy only: the one address written
        (1, "", PROXY),
        (1, "pas-une-adresse", PROXY),
        (1, "2001:DB8::1", "2001:db8::1"),
        (1, "[2001:db8::2]:4711", "2001:db8::2"),
    ],
)
def test_the_client_is_counted_from_the_right_of_x_forwarded_for(
    settings: Settings, proxies: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def through_proxy(client_address: str) -> dict[str, Any]:
    """What our reverse proxy adds to a request from `client_address` (gunicorn sees the proxy's socket)."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


@pytest.mark.django_db
def test_failed_logins_behind_the_proxy_lock_out_one_address_not_everyone(
    client: Client, settings: Settings
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory.create(email="voisine@example.fr")
    # Someone guesses passwords of many accounts from one address, adding a fake address on the left
    for attempt in range(10):
        client.post(
            "/compte/login/",
            {"login": f"cible{attempt}@example.fr", "password": "mauvais"},
            **through_proxy(f"6.6.6.{attempt}, 203.0.113.66"),
        )
    wrong = {"login": "cible@example.fr", "password": "mauvais"}
    locked = client.post("/compte/login/", wrong, **through_proxy("203.0.113.66"))
    assert "Trop de tentatives" in locked.content.decode()

    # A neighbour behind the same proxy still logs in
    neighbour = Client()
    response = neighbour.post(
        "/compte/login/",
        {"login": "voisine@example.fr", "password": DEFAULT_PASSWORD},
        **through_proxy("198.51.100.23"),
    )
    assert response.status_code == 302
    assert response["Location"] == "/compte/espace/"


@pytest.mark.django_db
def test_password_resets_are_limited_per_person_behind_the_proxy(client: Client, settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "3/m/ip"}
    cache.clear()
    for attempt in range(3):
        client.post(
            "/compte/password/reset/", {"email": f"n{attempt}@example.fr"}, **through_proxy("203.0.113.66")
        )
    refused = client.post(
        "/compte/password/reset/", {"email": "n9@example.fr"}, **through_proxy("203.0.113.66")
    )
    assert refused.status_code == 429

    accepted = client.post(
        "/compte/password/reset/", {"email": "voisine@example.fr"}, **through_proxy("198.51.100.23")
    )
    assert accepted.status_code == 302
