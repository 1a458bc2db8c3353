"""A shop's back-office pages lead to its QR code and poster, and say what they are for; hiding asks first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant_client(client: Client) -> Client:
    town = TownFactory.create(slug="argentan")
    shop = ShopFactory.create(town=town, name="Épicerie Martin", slug="epicerie-martin")
    ProductFactory.create(shop=shop, slug="miel")
    client.force_login(ShopMembershipFactory.create(shop=shop).user)
    return client


SHOP_PAGES = [
    ("merchants:shop_edit", []),
    ("merchants:products", []),
    ("merchants:product_create", []),
    ("merchants:product_edit", ["miel"]),
    ("merchants:shop_closures", []),
    ("merchants:shop_photos", []),
    ("merchants:products_import", []),
    ("fulfilment_merchant:shop_settings", []),
]


@pytest.mark.parametrize(("name", "extra"), SHOP_PAGES)
def test_each_shop_page_links_to_its_qr_code_and_poster(
    merchant_client: Client, name: str, extra: list[str]
) -> None:
    page = merchant_client.get(reverse(name, args=["argentan", "epicerie-martin", *extra])).content.decode()

    print_url = reverse("signage:shop_print", args=["argentan", "epicerie-martin"])
    assert f'href="{print_url}"' in page
    assert "QR code et affiche" in page
    assert "À coller en vitrine ou près de la caisse." in page
    assert 'aria-labelledby="menu-commerce"' in page


def test_the_shop_page_explains_what_to_do_with_the_code(merchant_client: Client) -> None:
    page = merchant_client.get(
        reverse("merchants:shop_edit", args=["argentan", "epicerie-martin"])
    ).content.decode()

    assert "Imprimez votre affiche pour la vitrine, ou collez le QR code près de la caisse" in page
    assert "Mon QR code et mon affiche" in page


def test_the_print_page_keeps_the_shop_menu_and_says_where_to_put_the_code(merchant_client: Client) -> None:
    page = merchant_client.get(
        reverse("signage:shop_print", args=["argentan", "epicerie-martin"])
    ).content.decode()

    assert "En vitrine, à hauteur des yeux" in page
    assert "Près de la caisse" in page
    assert reverse("merchants:products", args=["argentan", "epicerie-martin"]) in page
    assert 'aria-current="page">QR code et affiche' in page


def test_the_town_print_page_has_no_shop_menu(client: Client) -> None:
    from centreville.accounts.models import Role
    from centreville.accounts.tests.factories import TownRoleFactory

    town = TownFactory.create(slug="argentan")
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)

    page = client.get(reverse("signage:town_print", args=["argentan"])).content.decode()

    assert "menu-commerce" not in page


# --- Hiding the shop asks first -------------------------------------------------------------------------


def test_hiding_the_shop_asks_for_confirmation_before_doing_it(merchant_client: Client) -> None:
    from centreville.shops.models import Shop, ShopStatus

    transition = reverse("merchants:shop_transition", args=["argentan", "epicerie-martin"])

    asked = merchant_client.post(transition, {"to_status": "hidden"})

    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'Masquer « <span lang="fr">Épicerie Martin</span> » ?' in page
    assert 'name="confirmed" value="1"' in page
    assert "Oui, masquer mon commerce" in page
    assert Shop.objects.get(slug="epicerie-martin").status == ShopStatus.PUBLISHED

    done = merchant_client.post(transition, {"to_status": "hidden", "confirmed": "1"})

    assert done.status_code == 302
    assert Shop.objects.get(slug="epicerie-martin").status == ShopStatus.HIDDEN


def test_showing_the_shop_again_needs_no_confirmation(merchant_client: Client) -> None:
    from centreville.shops.models import Shop, ShopStatus

    Shop.objects.filter(slug="epicerie-martin").update(status=ShopStatus.HIDDEN)

    response = merchant_client.post(
        reverse("merchants:shop_transition", args=["argentan", "epicerie-martin"]), {"to_status": "published"}
    )

    assert response.status_code == 302
    assert Shop.objects.get(slug="epicerie-martin").status == ShopStatus.PUBLISHED
