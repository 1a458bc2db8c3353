"""Every page's header: the basket's count for the person looking (never in a shared cached page), a
compact phone layout that needs no JavaScript, icons, and "Se connecter" that comes back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from centreville.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def badge(count: int, words: str) -> str:
    """The header's basket count as the page writes it: the number, and its words for screen readers."""
    return (
        f'<span class="basket-count"><span aria-hidden="true">{count}</span>'
        f'<span class="visually-hidden">{count} {words}</span></span>'
    )


def orderable_product(**fields: object) -> object:
    shop = ShopFactory.create(offers_click_collect=True, opening_hours="24/7")
    ShopMembershipFactory.create(shop=shop)  # someone to handle the orders
    return ProductFactory.create(shop=shop, price=Decimal("2.50"), stock=10, **fields)


def test_the_basket_link_shows_how_many_articles_it_holds(client: Client) -> None:
    product = orderable_product()
    town = product.town  # type: ignore[attr-defined]
    home = f"/{town.slug}/"
    assert "basket-count" not in client.get(home).content.decode()

    client.post(f"/{town.slug}/panier/ajouter/", {"product": product.pk, "quantity": 2})  # type: ignore[attr-defined]
    client.post(f"/{town.slug}/panier/ajouter/", {"product": product.pk, "quantity": 1})  # type: ignore[attr-defined]
    html = client.get(home).content.decode()

    assert badge(3, "articles") in html


def test_the_count_never_reaches_the_page_other_visitors_share(client: Client) -> None:
    product = orderable_product()
    town = product.town  # type: ignore[attr-defined]
    shop_page = f"/{town.slug}/commerces/{product.shop.slug}/"  # type: ignore[attr-defined]
    client.post(f"/{town.slug}/panier/ajouter/", {"product": product.pk, "quantity": 1})  # type: ignore[attr-defined]

    mine = client.get(shop_page).content.decode()
    someone_else = Client().get(shop_page).content.decode()  # cached now, for every visitor
    again = Client().get(shop_page).content.decode()

    assert badge(1, "article") in mine
    assert "basket-count" not in someone_else
    assert "basket-count" not in again


def test_a_signed_in_persons_basket_is_counted(client: Client) -> None:
    product = orderable_product()
    town = product.town  # type: ignore[attr-defined]
    client.force_login(UserFactory.create())
    client.post(f"/{town.slug}/panier/ajouter/", {"product": product.pk, "quantity": 4})  # type: ignore[attr-defined]

    html = client.get(f"/{town.slug}/commerces/").content.decode()

    assert badge(4, "articles") in html


def test_the_phone_menu_is_a_disclosure_that_needs_no_javascript(client: Client) -> None:
    town = TownFactory.create()

    html = client.get(f"/{town.slug}/").content.decode()

    menu = html[html.index('<details class="header-menu">') : html.index("</details>")]
    assert "<summary>Menu</summary>" in menu
    assert f'href="/{town.slug}/commerces/"' in menu
    assert f'href="/{town.slug}/recherche/"' in html  # the phone's search: a link to the search page


def test_signing_in_from_a_town_page_comes_back_to_it(client: Client) -> None:
    shop = ShopFactory.create()
    path = f"/{shop.town.slug}/commerces/{shop.slug}/"

    html = client.get(path).content.decode()

    assert f'href="/compte/login/?next={path}"' in html
    assert f'href="/compte/signup/?next={path}"' in html
    user = UserFactory.create(email="lea@example.fr")
    response = client.post(f"/compte/login/?next={path}", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == path


def test_the_site_has_a_favicon(client: Client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # type: ignore[attr-defined]
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert 'rel="apple-touch-icon"' in html


def test_pages_outside_a_town_still_offer_signing_in_on_a_phone(client: Client) -> None:
    html = client.get("/").content.decode()

    menu = html[html.index('<details class="header-menu">') : html.index("</details>")]
    assert 'href="/compte/login/"' in menu
