"""The demo town offers the four ways, with delivery paid by the town as Dinan does."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from centreville.demo.services import DemoSummary
from centreville.fulfilment.selectors import fulfilment_methods, lockers, pickup_slots, relay_points
from centreville.fulfilment.services import delivery_quote
from centreville.shops.models import Shop, ShopStatus
from centreville.towns.models import Town

from .conftest import DEMO_AT


def test_the_demo_town_offers_every_way_and_its_shops_choose(demo: DemoSummary) -> None:
    argentan = Town.objects.get(slug="argentan")
    shops = Shop.objects.for_town(argentan).filter(status=ShopStatus.PUBLISHED).select_related("town")

    offered = {shop.slug: fulfilment_methods(shop) for shop in shops}

    assert [place.name for place in relay_points(argentan)] == ["Maison de la presse"]
    assert lockers(argentan).count() == 1
    quote = delivery_quote(town=argentan, postcode="61200", items_total=Decimal("20"))
    assert (quote.fee, quote.subsidy, quote.customer_pays) == (
        Decimal("5.00"),
        Decimal("5.00"),
        Decimal("0.00"),
    )
    assert argentan.order_settings.online_payment_enabled is True
    assert offered["boulangerie-lemonnier"] == ["pickup", "relay", "locker"]
    assert offered["brulerie-lemonnier"] == ["pickup", "relay", "delivery"]
    for way in ("pickup", "relay", "locker", "delivery"):
        assert sum(way in methods for methods in offered.values()) >= 2, way
    taking_orders = [shop for shop in shops if offered[shop.slug]]
    assert all(shop.offers_click_collect for shop in taking_orders)
    assert len(taking_orders) >= 20
    assert pickup_slots(shops.get(slug="boulangerie-lemonnier"), now=DEMO_AT + timedelta(days=1))
