"""A forged Host header never reaches a link: cached pages, sitemaps, account e-mails and redirects all
use PUBLIC_BASE_URL. `Host: 127.0.0.1:6666` passes ALLOWED_HOSTS, which ignores the port."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.accounts.tests.factories import UserFactory
from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

FORGED = {"host": "127.0.0.1:6666"}
PUBLIC = "http://testserver"  # PUBLIC_BASE_URL of the test settings


@pytest.fixture
def argentan() -> Town:
    town = TownFactory.create(name="Argentan", slug="argentan", welcome_text="Bienvenue au centre-ville.")
    shop = ShopFactory.create(town=town, name="Boulangerie du Marché", slug="boulangerie")
    ProductFactory.create(shop=shop, title="Pain au levain", slug="pain-au-levain")
    return town


@pytest.mark.parametrize(
    "path",
    [
        "/argentan/",
        "/argentan/commerces/boulangerie/",
        "/argentan/commerces/boulangerie/produits/pain-au-levain/",
        "/argentan/sitemap.xml",
    ],
)
def test_a_forged_host_never_reaches_the_cached_page(client: Client, argentan: Town, path: str) -> None:
    poisoned = client.get(path, headers=FORGED)
    served = Client().get(path)  # another visitor, from the cache

    for response in (poisoned, served):
        content = response.content.decode()
        assert response.status_code == 200
        assert "6666" not in content
        assert f"{PUBLIC}/argentan/" in content  # canonical, JSON-LD or sitemap: the public address
    assert served.content == poisoned.content


def test_the_page_cache_has_one_entry_whatever_the_host(client: Client, argentan: Town) -> None:
    client.get("/argentan/", headers=FORGED)
    # Changed behind the cache's back (no version bump): a page still cached shows the old text
    Town.objects.filter(pk=argentan.pk).update(welcome_text="Texte changé sans prévenir le cache.")

    for host in ("testserver", "127.0.0.1", "localhost:8000"):
        page = Client().get("/argentan/", headers={"host": host}).content.decode()
        assert "Bienvenue au centre-ville." in page
        assert "Texte changé" not in page


def links_in(message: mail.EmailMessage) -> list[str]:
    return [word for word in str(message.body).split() if word.startswith("http")]


def assert_public(message: mail.EmailMessage) -> None:
    body = str(message.body)
    assert "6666" not in body
    assert "127.0.0.1" not in body
    assert links_in(message)
    assert all(link.startswith(f"{PUBLIC}/compte/") for link in links_in(message)), links_in(message)


def test_password_reset_links_are_on_the_public_address_whatever_the_host(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    UserFactory.create(email="oubli@example.fr")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/password/reset/", {"email": "oubli@example.fr"}, headers=FORGED)
        client.post("/compte/password/reset/", {"email": "inconnue@example.fr"}, headers=FORGED)

    assert [message.to for message in mail.outbox] == [["oubli@example.fr"], ["inconnue@example.fr"]]
    for message in mail.outbox:
        assert_public(message)


def test_sign_up_links_are_on_the_public_address_whatever_the_host(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    UserFactory.create(email="deja@example.fr")
    password = "Un-jardin-en-ville-2026"

    with django_capture_on_commit_callbacks(execute=True):
        for email in ("nouvelle@example.fr", "deja@example.fr"):
            form = {"email": email, "password1": password, "password2": password}
            Client().post("/compte/signup/", form, headers=FORGED)

    assert [message.to for message in mail.outbox] == [["nouvelle@example.fr"], ["deja@example.fr"]]
    for message in mail.outbox:
        assert_public(message)


def test_the_language_switch_never_sends_elsewhere_even_with_a_forged_host(client: Client) -> None:
    response = client.get("/langue/en/", {"next": "http://127.0.0.1:6666/piege/"}, headers=FORGED)

    assert response["Location"] == "/"
    assert client.get("/langue/en/", {"next": f"{PUBLIC}/argentan/"})["Location"] == f"{PUBLIC}/argentan/"
