"""HTML goes out compressed to browsers that accept it, cached pages included; static files were already."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.tests.factories import ShopFactory

pytestmark = pytest.mark.django_db

GZIP = "gzip, deflate, br"


@pytest.mark.parametrize("kind", ["home", "directory", "shop"])
def test_public_pages_are_compressed_first_time_and_from_the_cache(client: Client, kind: str) -> None:
    shop = ShopFactory.create(opening_hours="24/7")
    ProductFactory.create(shop=shop)
    url = {
        "home": f"/{shop.town.slug}/",
        "directory": f"/{shop.town.slug}/commerces/",
        "shop": f"/{shop.town.slug}/commerces/{shop.slug}/",
    }[kind]

    first = client.get(url, HTTP_ACCEPT_ENCODING=GZIP)
    second = client.get(url, HTTP_ACCEPT_ENCODING=GZIP)  # served from the page cache

    for response in (first, second):
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        html = gzip.decompress(response.content).decode()
        assert shop.name in html
    assert len(first.content) < len(gzip.decompress(first.content)) / 2


def test_a_browser_that_does_not_accept_gzip_gets_plain_html(client: Client) -> None:
    shop = ShopFactory.create()

    response = client.get(f"/{shop.town.slug}/")

    assert not response.has_header("Content-Encoding")
    assert shop.name in response.content.decode()


def test_signed_in_pages_are_compressed_too(client: Client) -> None:
    from centreville.accounts.tests.factories import UserFactory

    shop = ShopFactory.create()
    client.force_login(UserFactory.create())

    response = client.get(f"/{shop.town.slug}/commerces/{shop.slug}/", HTTP_ACCEPT_ENCODING=GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "Se déconnecter" in gzip.decompress(response.content).decode()
