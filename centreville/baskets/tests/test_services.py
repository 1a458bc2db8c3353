"""Filling the basket: what may go in, how much, and a visitor's basket joining the account's at login."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.test import Client, RequestFactory

from centreville.accounts.models import User
from centreville.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from centreville.baskets.models import Basket, BasketLine
from centreville.baskets.services import (
    basket_add,
    basket_clear,
    basket_for,
    basket_merge_on_login,
    basket_remove,
    basket_set_quantity,
    baskets_purge_abandoned,
    session_key,
)
from centreville.baskets.tests.factories import NOW, BasketFactory, BasketLineFactory, shop_taking_orders
from centreville.catalogue.models import Product
from centreville.catalogue.tests.factories import ProductFactory, ProductVariantFactory
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def basket() -> Basket:
    return BasketFactory.create()


def product_in(basket: Basket, **fields: Any) -> Product:
    return ProductFactory.create(shop=shop_taking_orders(basket.town), **fields)


def test_adding_twice_adds_the_quantities_on_one_line(basket: Basket) -> None:
    product = product_in(basket, stock=5)

    basket_add(basket=basket, product_id=product.pk, quantity=2, at=NOW)
    line = basket_add(basket=basket, product_id=product.pk, at=NOW)

    assert (line.quantity, BasketLine.objects.filter(basket=basket).count()) == (3, 1)


def test_never_more_than_the_stock_left(basket: Basket) -> None:
    product = product_in(basket, stock=3, title="Brioche")
    basket_add(basket=basket, product_id=product.pk, quantity=2, at=NOW)

    with pytest.raises(ValidationError, match=r"« Brioche » : il n'en reste que 3\."):
        basket_add(basket=basket, product_id=product.pk, quantity=2, at=NOW)

    assert BasketLine.objects.get(basket=basket).quantity == 2


def test_a_product_on_request_has_no_stock_limit(basket: Basket) -> None:
    product = product_in(basket, stock=None)

    assert basket_add(basket=basket, product_id=product.pk, quantity=40, at=NOW).quantity == 40


def test_another_towns_product_is_refused(basket: Basket) -> None:
    elsewhere = ProductFactory.create(shop=shop_taking_orders(TownFactory.create()))

    with pytest.raises(ValidationError, match="n'est pas proposé dans cette ville"):
        basket_add(basket=basket, product_id=elsewhere.pk, at=NOW)

    assert not BasketLine.objects.exists()


@pytest.mark.parametrize(
    ("product_fields", "shop_fields", "says"),
    [
        ({"is_visible": False}, {}, "n'est pas proposé dans cette ville"),
        ({}, {"status": ShopStatus.HIDDEN}, "n'est pas proposé dans cette ville"),
        ({}, {"offers_click_collect": False, "offers_delivery": False}, "ne prend pas de commande en ligne"),
    ],
)
def test_a_hidden_product_or_a_shop_not_taking_orders_is_refused(
    basket: Basket, product_fields: dict[str, object], shop_fields: dict[str, object], says: str
) -> None:
    shop = ShopFactory.create(
        town=basket.town,
        **{"offers_click_collect": True, **shop_fields},
    )
    product = ProductFactory.create(shop=shop, **product_fields)

    with pytest.raises(ValidationError, match=says):
        basket_add(basket=basket, product_id=product.pk, at=NOW)


def test_a_product_with_variants_needs_one_of_its_own(basket: Basket) -> None:
    product = product_in(basket, title="Pull")
    size_m = ProductVariantFactory.create(product=product, label="M", stock=2)
    other = ProductVariantFactory.create(product=product_in(basket))

    with pytest.raises(ValidationError, match="Choisissez une variante de « Pull »") as missing:
        basket_add(basket=basket, product_id=product.pk, at=NOW)
    with pytest.raises(ValidationError, match="Cette variante n'existe pas"):
        basket_add(basket=basket, product_id=product.pk, variant_id=other.pk, at=NOW)
    line = basket_add(basket=basket, product_id=product.pk, variant_id=size_m.pk, quantity=2, at=NOW)

    assert missing.value.code == "variant"
    assert (line.variant_id, line.quantity) == (size_m.pk, 2)
    with pytest.raises(ValidationError, match=r"« Pull \(M\) » : il n'en reste que 2."):
        basket_add(basket=basket, product_id=product.pk, variant_id=size_m.pk, at=NOW)


def test_a_product_is_on_one_line_with_or_without_variant_even_in_the_database(basket: Basket) -> None:
    product = product_in(basket)
    variant = ProductVariantFactory.create(product=product)
    BasketLineFactory.create(basket=basket, product=product)
    BasketLineFactory.create(basket=basket, product=product, variant=variant)

    for duplicate in ({"variant": None}, {"variant": variant}):
        with pytest.raises(IntegrityError), transaction.atomic():
            BasketLine.objects.create(basket=basket, product=product, quantity=1, **duplicate)


def test_setting_a_quantity_checks_the_stock_and_zero_takes_the_line_out(basket: Basket) -> None:
    line = BasketLineFactory.create(basket=basket, product=product_in(basket, stock=4), quantity=1)

    changed = basket_set_quantity(basket=basket, line_id=line.pk, quantity=4)
    assert changed is not None
    assert changed.quantity == 4
    with pytest.raises(ValidationError, match="il n'en reste que 4"):
        basket_set_quantity(basket=basket, line_id=line.pk, quantity=5)
    assert basket_set_quantity(basket=basket, line_id=line.pk, quantity=0) is None

    assert not BasketLine.objects.exists()


def test_another_baskets_line_cannot_be_changed_or_removed(basket: Basket) -> None:
    others = BasketLineFactory.create(quantity=1)

    with pytest.raises(ValidationError, match="n'est plus dans votre panier"):
        basket_set_quantity(basket=basket, line_id=others.pk, quantity=2)
    basket_remove(basket=basket, line_id=others.pk)

    assert BasketLine.objects.get(pk=others.pk).quantity == 1


def test_clearing_one_shop_leaves_the_others(basket: Basket) -> None:
    first = BasketLineFactory.create(basket=basket, product=product_in(basket))
    second = BasketLineFactory.create(basket=basket, product=product_in(basket))

    basket_clear(basket=basket, shop_ids=[first.product.shop_id])

    assert list(BasketLine.objects.values_list("pk", flat=True)) == [second.pk]


def _request(user: User | None = None) -> HttpRequest:
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = user or AnonymousUser()
    return request


def test_a_visitors_basket_is_found_through_the_session_and_an_accounts_through_the_account() -> None:
    town = TownFactory.create()
    visitor = _request()
    assert basket_for(request=visitor, town=town) is None

    made = basket_for(request=visitor, town=town, create=True)
    user = UserFactory.create()
    mine = basket_for(request=_request(user), town=town, create=True)

    assert made is not None
    assert made.user_id is None
    assert basket_for(request=visitor, town=town) == made
    assert basket_for(request=visitor, town=TownFactory.create()) is None
    assert mine is not None
    assert mine.user_id == user.pk
    assert basket_for(request=_request(user), town=town, create=True) == mine


def test_at_login_the_visitors_basket_joins_the_accounts_capped_by_the_stock() -> None:
    town = TownFactory.create()
    user = UserFactory.create()
    mine = BasketFactory.create(town=town, user=user)
    both = ProductFactory.create(shop=shop_taking_orders(town), stock=5)
    only_visitor = ProductFactory.create(shop=shop_taking_orders(town), stock=None)
    BasketLineFactory.create(basket=mine, product=both, quantity=3)
    visitor = BasketFactory.create(town=town)
    BasketLineFactory.create(basket=visitor, product=both, quantity=4)
    BasketLineFactory.create(basket=visitor, product=only_visitor, quantity=2)
    request = _request(user)
    request.session[session_key(town)] = visitor.pk

    basket_merge_on_login(request=request, user=user)

    lines = dict(BasketLine.objects.filter(basket=mine).values_list("product_id", "quantity"))
    assert lines == {both.pk: 5, only_visitor.pk: 2}
    assert not Basket.objects.filter(pk=visitor.pk).exists()
    assert session_key(town) not in request.session


def test_at_login_without_a_basket_of_its_own_the_account_takes_the_visitors() -> None:
    town = TownFactory.create()
    user = UserFactory.create()
    visitor = BasketFactory.create(town=town)
    request = _request(user)
    request.session[session_key(town)] = visitor.pk

    basket_merge_on_login(request=request, user=user)

    assert Basket.objects.get(pk=visitor.pk).user_id == user.pk


def test_signing_in_through_the_login_page_keeps_the_basket_filled_before() -> None:
    town = TownFactory.create()
    product = ProductFactory.create(shop=shop_taking_orders(town), stock=5)
    user = UserFactory.create()
    client = Client()
    client.post(f"/{town.slug}/panier/ajouter/", {"product": product.pk, "quantity": 2})

    response = client.post("/compte/login/", {"login": user.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    basket = Basket.objects.get(town=town, user=user)
    assert list(basket.lines.values_list("product_id", "quantity")) == [(product.pk, 2)]
    page = client.get(f"/{town.slug}/panier/")
    assert product.title in page.content.decode()


def test_baskets_nobody_touched_for_the_retention_period_are_deleted_visitors_and_accounts(
    settings: Any,
) -> None:
    # Given a retention of 30 days, baskets untouched since before and after the cutoff, one of them with a
    # line changed since
    settings.ABANDONED_BASKET_RETENTION_DAYS = 30
    old_visitor = BasketFactory.create()
    BasketLineFactory.create(basket=old_visitor)
    owner = UserFactory.create()
    BasketFactory.create(user=owner)
    line_changed_since = BasketFactory.create()
    recent_visitor = BasketFactory.create()
    BasketLineFactory.create(basket=line_changed_since)
    Basket.objects.exclude(pk=recent_visitor.pk).update(updated_at=NOW - timedelta(days=30, minutes=1))
    BasketLine.objects.update(updated_at=NOW - timedelta(days=30, minutes=1))
    Basket.objects.filter(pk=recent_visitor.pk).update(updated_at=NOW - timedelta(days=29, hours=23))
    BasketLine.objects.filter(basket=line_changed_since).update(updated_at=NOW - timedelta(days=2))

    # When the purge runs, first as a dry run
    assert baskets_purge_abandoned(at=NOW, dry_run=True) == 2
    assert Basket.objects.count() == 4
    assert baskets_purge_abandoned(at=NOW) == 2

    # Then the abandoned ones are gone with their lines, and a second run finds nothing
    assert set(Basket.objects.values_list("pk", flat=True)) == {line_changed_since.pk, recent_visitor.pk}
    assert not BasketLine.objects.filter(basket_id=old_visitor.pk).exists()
    assert baskets_purge_abandoned(at=NOW) == 0
    assert User.objects.filter(pk=owner.pk).exists()  # the account stays, without its basket
