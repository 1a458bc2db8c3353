"""A shop takes orders only when someone can handle them, ordering is on, and it is not closed."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone

from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.ordering import shop_order_taking
from centreville.shops.tests.factories import ShopClosureFactory, ShopFactory, ShopMembershipFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
FRIDAY = datetime.combine(date(2026, 12, 4), time(11), tzinfo=PARIS)


def run_shop(**fields: object) -> Shop:
    """A published shop with Click & Collect on and a merchant who can sign in."""
    shop = ShopFactory.create(**{"offers_click_collect": True, "phone": "+33233361234", **fields})
    ShopMembershipFactory.create(shop=shop)
    return shop


def test_a_run_shop_with_ordering_on_takes_orders() -> None:
    taking = shop_order_taking(run_shop(), at=FRIDAY)

    assert taking.takes_orders
    assert taking.notice == ""


def test_a_shop_nobody_runs_takes_no_order_and_says_to_reach_it_directly() -> None:
    imported = ShopFactory.create(offers_click_collect=True)
    left = ShopFactory.create(offers_click_collect=True)
    ShopMembershipFactory.create(shop=left, user__is_active=False)  # the merchant's account was closed
    unconfirmed = ShopFactory.create(offers_click_collect=True)
    EmailAddress.objects.filter(user=ShopMembershipFactory.create(shop=unconfirmed).user).update(
        verified=False
    )

    for shop in (imported, left, unconfirmed):
        taking = shop_order_taking(shop, at=FRIDAY)
        assert not taking.takes_orders, shop
        assert taking.contact_instead
        assert (
            taking.notice == "Ce commerce ne prend pas de commande en ligne : passez le voir ou contactez-le."
        )


def test_a_shop_whose_merchant_switched_ordering_off_or_not_published_takes_none() -> None:
    off = run_shop(offers_click_collect=False, offers_delivery=False)
    hidden = run_shop(status=ShopStatus.HIDDEN)

    assert not shop_order_taking(off, at=FRIDAY).takes_orders
    assert not shop_order_taking(hidden, at=FRIDAY).takes_orders


def test_during_a_closure_without_orders_the_shop_says_when_orders_resume() -> None:
    shop = run_shop()
    ShopClosureFactory.create(
        shop=shop, start_date=date(2026, 12, 1), end_date=date(2026, 12, 10), label="Congés annuels"
    )

    taking = shop_order_taking(shop, at=FRIDAY)

    assert not taking.takes_orders
    assert (
        taking.notice
        == "Congés annuels jusqu'au 10 décembre : les commandes reprennent le vendredi 11 décembre."
    )
    assert taking.valid_until == datetime.combine(date(2026, 12, 11), time(0), tzinfo=PARIS)


def test_during_a_closure_taking_orders_the_pickup_starts_after_it() -> None:
    shop = run_shop()
    ShopClosureFactory.create(
        shop=shop, start_date=date(2026, 12, 1), end_date=date(2026, 12, 10), label="", takes_orders=True
    )
    ShopClosureFactory.create(shop=shop, start_date=date(2026, 12, 11), end_date=date(2026, 12, 12))

    taking = shop_order_taking(shop, at=FRIDAY)

    assert taking.takes_orders
    assert taking.ready_from == date(2026, 12, 13)  # back-to-back closures: after the last one
    assert taking.notice.startswith("Fermeture exceptionnelle jusqu'au 10 décembre : vous pouvez commander")


def test_a_coming_closure_changes_the_answer_when_it_starts() -> None:
    shop = run_shop()
    ShopClosureFactory.create(shop=shop, start_date=date(2026, 12, 20), end_date=date(2026, 12, 27))

    taking = shop_order_taking(shop, at=FRIDAY)

    assert taking.takes_orders
    assert taking.valid_until == datetime.combine(date(2026, 12, 20), time(0), tzinfo=PARIS)


def test_the_shop_page_of_a_shop_nobody_runs_has_no_basket_button_and_gives_its_contacts(
    client: Client,
) -> None:
    imported = ShopFactory.create(offers_click_collect=True, phone="+33233361234", opening_hours="24/7")
    product = ProductFactory.create(shop=imported, title="Pain de campagne")

    shop_page = client.get(f"/{imported.town.slug}/commerces/{imported.slug}/").content.decode()
    product_page = client.get(
        f"/{imported.town.slug}/commerces/{imported.slug}/produits/{product.slug}/"
    ).content.decode()

    assert "Pain de campagne" in shop_page
    for page in (shop_page, product_page):
        assert "Ajouter au panier" not in page
        assert "ne prend pas de commande en ligne : passez le voir ou contactez-le." in page
    assert 'href="tel:+33233361234">Appeler le 02 33 36 12 34' in product_page


def test_the_basket_refuses_a_product_of_a_shop_on_a_closure(client: Client) -> None:
    shop = run_shop(opening_hours="24/7")
    product = ProductFactory.create(shop=shop)
    today = timezone.localdate()
    ShopClosureFactory.create(shop=shop, start_date=today, end_date=today, label="Inventaire")

    page = client.get(f"/{shop.town.slug}/commerces/{shop.slug}/produits/{product.slug}/").content.decode()
    added = client.post(f"/{shop.town.slug}/panier/ajouter/", {"product": product.pk}, follow=True)

    assert "Ajouter au panier" not in page
    assert "Inventaire jusqu&#x27;au" in page
    assert "Inventaire jusqu" in added.content.decode()
    assert "les commandes reprennent le" in added.content.decode()
