"""The demo loader delivers what it promises, and running it again changes nothing in any table."""

from __future__ import annotations

import math
from io import StringIO
from typing import Any

import opening_hours
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command
from django.db.models import F, Max, Q

from centreville.accounts.models import Role, TownRole, User
from centreville.baskets.models import Basket
from centreville.baskets.services import basket_add
from centreville.catalogue.models import Product
from centreville.demo.management.commands.demo_load import Command
from centreville.demo.services import DEMO_PASSWORD, DemoSummary, demo_load
from centreville.fulfilment.models import FulfilmentMethod, ShopFulfilment
from centreville.fulfilment.selectors import (
    delivery_windows,
    lockers,
    methods_for_shops,
    pickup_slots,
    relay_points,
)
from centreville.fulfilment.services import FulfilmentChoice
from centreville.orders.checkout import checkout
from centreville.orders.models import Order, OrderStatus
from centreville.orders.services import order_transition
from centreville.shops.models import Shop, ShopMembership, ShopStatus, TradeCategory
from centreville.towns.models import Territory, Town
from centreville.towns.validators import validate_outline

from .conftest import DEMO_AT


def row_counts() -> dict[str, int]:
    """Rows in each of the project's tables."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def snapshot() -> dict[str, Any]:
    """Counts of everything the demo touches, and the time of the last write to shops and products."""
    return {
        "towns": Town.objects.count(),
        "territories": Territory.objects.count(),
        "categories": TradeCategory.objects.count(),
        "shops": Shop.objects.count(),
        "products": Product.objects.count(),
        "users": User.objects.count(),
        "email_addresses": EmailAddress.objects.count(),
        "town_roles": TownRole.objects.count(),
        "memberships": ShopMembership.objects.count(),
        "shops_updated_at": Shop.objects.aggregate(last=Max("updated_at"))["last"],
        "products_updated_at": Product.objects.aggregate(last=Max("updated_at"))["last"],
        "towns_updated_at": Town.objects.aggregate(last=Max("updated_at"))["last"],
        "fulfilment_updated_at": list(ShopFulfilment.objects.order_by("pk").values_list("pk", "updated_at")),
    }


def test_demo_holds_what_it_promises(demo: DemoSummary) -> None:
    summary = demo

    argentan = Town.objects.get(slug="argentan")
    ecouche = Town.objects.get(slug="ecouche-les-vallees")
    territory = Territory.objects.get(slug="terres-d-argentan")
    assert set(territory.towns.all()) == {argentan, ecouche}
    assert argentan.insee_code == "61006"
    validate_outline(argentan.centre_outline)

    argentan_shops = Shop.objects.for_town(argentan)
    assert argentan_shops.filter(status=ShopStatus.PUBLISHED).count() >= 40
    assert argentan_shops.filter(status=ShopStatus.SUBMITTED).count() == 2
    assert argentan_shops.filter(status=ShopStatus.CLOSED).count() == 1
    assert argentan_shops.values("category").distinct().count() >= 20
    assert 5 <= Shop.objects.for_town(ecouche).count() <= 10
    assert Product.objects.count() >= 200
    assert Product.objects.filter(stock__isnull=True).exists()
    assert Product.objects.filter(is_visible=False).exists()
    assert summary.published_shops >= 40
    assert summary.products >= 200

    # Every role has a demo user who can log in at once.
    for role in Role:
        assert TownRole.objects.filter(town=argentan, role=role).exists(), role
    assert TownRole.objects.filter(town=ecouche, role=Role.MANAGER).exists()
    assert User.objects.filter(is_superuser=True, email="admin@centreville.example").exists()
    assert User.objects.filter(shop_memberships__shop__town=argentan).distinct().count() >= 2
    assert any(
        user.shop_memberships.count() == 2 for user in User.objects.filter(shop_memberships__isnull=False)
    )
    resident = User.objects.get(email="habitante@argentan.example")
    assert not resident.town_roles.exists()
    assert not resident.shop_memberships.exists()
    for login in summary.logins:
        user = User.objects.get(email=login.email)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=user, email=login.email, verified=True, primary=True).exists()

    for shop in Shop.objects.filter(town__in=[argentan, ecouche]):
        assert opening_hours.validate(shop.opening_hours) is True, shop.opening_hours
        shop.full_clean()
        assert shop.phone.as_national.startswith("02 61 91 ")
        for address in (shop.email, shop.website):
            host = address.split("@")[-1].split("//")[-1].rstrip("/")
            assert not address or host.endswith((".example", "example.fr")), address
    for shop in argentan_shops:
        assert shop.postcode == "61200"
        assert shop.city == "Argentan"
        assert shop.latitude is not None
        assert shop.longitude is not None
        north = (float(shop.latitude) - float(argentan.latitude)) * 111_320
        east = (float(shop.longitude) - float(argentan.longitude)) * 111_320 * math.cos(math.radians(48.74))
        assert math.hypot(east, north) <= 400, shop.name

    assert not Product.objects.exclude(town_id=F("shop__town_id")).exists()


def test_running_the_demo_again_changes_nothing(demo: DemoSummary) -> None:
    rows = row_counts()
    before = snapshot()

    second = demo_load(at=DEMO_AT)

    assert row_counts() == rows
    assert snapshot() == before
    assert second.created_shops == second.created_products == second.created_logins == 0
    assert demo.created_shops == demo.shops
    assert [login.email for login in demo.logins] == [login.email for login in second.logins]
    assert (second.shops, second.products, second.published_shops) == (
        demo.shops,
        demo.products,
        demo.published_shops,
    )


def test_command_prints_what_it_created_then_nothing_new_and_the_logins_every_run(demo: DemoSummary) -> None:
    first = StringIO()
    Command(stdout=first).print_summary(demo)
    out = StringIO()
    call_command("demo_load", stdout=out)

    assert "Créés à l'instant" in first.getvalue()
    assert "Rien de nouveau" in out.getvalue()
    for text in (first.getvalue(), out.getvalue()):
        assert "Démonstration en place" in text
        assert "admin@centreville.example" in text
        assert "manager@argentan.example" in text
        assert DEMO_PASSWORD in text


def test_a_guest_in_the_demo_town_orders_from_three_shops_each_collected_another_way(
    demo: DemoSummary,
) -> None:
    town = Town.objects.get(slug="argentan")
    manager = User.objects.get(email="manager@argentan.example")
    orderable = Product.objects.for_town(town).filter(
        is_visible=True, variants__isnull=True, shop__status=ShopStatus.PUBLISHED
    )
    shops = list(Shop.objects.filter(pk__in=orderable.values("shop")).order_by("pk"))
    methods = methods_for_shops(town, shops, online_payment=True)
    now = DEMO_AT  # the demo's orders and closures are dated from the day it is loaded
    # One shop per way, each offering it (pickup needs a free slot within the week).
    chosen: dict[str, Shop] = {}
    for way in (
        FulfilmentMethod.LOCKER,
        FulfilmentMethod.RELAY,
        FulfilmentMethod.DELIVERY,
        FulfilmentMethod.PICKUP,
    ):
        free = [shop for shop in shops if way in methods[shop.pk] and shop not in chosen.values()]
        found = next((shop for shop in free if way != "pickup" or pickup_slots(shop, now=now)), None)
        if found is not None:
            chosen[way] = found
    assert len(chosen) >= 3, methods
    basket = Basket.objects.create(town=town)
    for shop in chosen.values():
        product = orderable.filter(shop=shop).filter(Q(stock__isnull=True) | Q(stock__gt=0)).first()
        assert product is not None
        basket_add(basket=basket, product_id=product.pk, at=now)
    choices = {
        shop.pk: FulfilmentChoice(
            method=way,
            slot_start=(
                pickup_slots(shop, now=now)[0].start
                if way == "pickup"
                else delivery_windows(shop, now=now)[0].start
                if way == "delivery"
                else None
            ),
            relay_point_id=relay_points(town)[0].pk if way == "relay" else None,
            locker_id=lockers(town)[0].pk if way == "locker" else None,
            delivery_address="12 rue de la République" if way == "delivery" else "",
            delivery_postcode="61200" if way == "delivery" else "",
            delivery_city="Argentan" if way == "delivery" else "",
        )
        for way, shop in chosen.items()
    }

    result = checkout(
        basket=basket,
        customer=None,
        customer_name="Camille Martin",
        customer_contact="camille@example.fr",
        choices=choices,
        pay_online=True,  # lockers and delivery are paid online
        return_url="http://testserver/suivi/",
        cancel_url="http://testserver/suivi/",
        now=now,
    )
    for order in result.orders:
        # A relay order is dropped at the relay point before its customer collects it there.
        dropped = [OrderStatus.DROPPED] if order.fulfilment == "relay" else []
        for step in (OrderStatus.ACCEPTED, OrderStatus.READY, *dropped, OrderStatus.COLLECTED):
            order_transition(order=order, to_status=step, actor=manager)

    orders = Order.objects.filter(basket_reference=result.basket_reference)
    assert {order.fulfilment for order in orders} == set(chosen)
    assert {order.status for order in orders} == {OrderStatus.COLLECTED}
