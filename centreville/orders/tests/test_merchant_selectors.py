"""What a merchant sees of their orders: the day grouped by status, the preparation list, the export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue.models import Product
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.orders import selectors
from centreville.orders.models import Order, OrderStatus
from centreville.orders.services import order_transition
from centreville.orders.tests.factories import order_place
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Counter:
    """A town with a merchant's shop, a neighbour's shop, and a shop of another town."""

    town: Town
    other_town: Town
    shop: Shop
    neighbour_shop: Shop
    far_shop: Shop
    bread: Product
    cake: Product
    neighbour_product: Product
    far_product: Product
    merchant: User
    neighbour: User
    manager: User

    @property
    def today(self) -> date:
        return timezone.localdate(timezone=PARIS)


@pytest.fixture
def counter() -> Counter:
    town = TownFactory.create(name="Argentan", slug="argentan")
    other_town = TownFactory.create(name="Alençon", slug="alencon")
    shop = ShopFactory.create(town=town, name="Boulangerie Martin", slug="boulangerie-martin")
    neighbour_shop = ShopFactory.create(town=town, name="Cave Dupont", slug="cave-dupont")
    far_shop = ShopFactory.create(town=other_town, name="Fromagerie", slug="fromagerie")
    merchant = ShopMembershipFactory.create(shop=shop).user
    # The same person also runs a shop in the other town: it never shows in this town's pages.
    ShopMembershipFactory.create(shop=far_shop, user=merchant)
    return Counter(
        town=town,
        other_town=other_town,
        shop=shop,
        neighbour_shop=neighbour_shop,
        far_shop=far_shop,
        bread=ProductFactory.create(shop=shop, title="Pain de campagne", price=Decimal("3.20"), stock=100),
        cake=ProductFactory.create(shop=shop, title="Tarte aux pommes", price=Decimal("18.00"), stock=100),
        neighbour_product=ProductFactory.create(shop=neighbour_shop, title="Cidre", stock=100),
        far_product=ProductFactory.create(shop=far_shop, title="Camembert", stock=100),
        merchant=merchant,
        neighbour=ShopMembershipFactory.create(shop=neighbour_shop).user,
        manager=TownRoleFactory.create(town=town, role=Role.MANAGER).user,
    )


def place(product: Product, quantity: int = 1, *more: tuple[Product, int], **fields: Any) -> Order:
    """An order placed through the service, then given the fulfilment fields the test needs."""
    wanted = [Wanted(product.pk, quantity)] + [Wanted(p.pk, q) for p, q in more]
    order = order_place(
        shop=product.shop,
        wanted=wanted,
        customer=None,
        customer_name="Jeanne Leroy",
        customer_contact="06 12 34 56 78",
    )
    if fields:
        Order.objects.filter(pk=order.pk).update(**fields)
        order.refresh_from_db()
    return order


def move(order: Order, *statuses: str, actor: User | None = None, reason: str = "") -> Order:
    for status in statuses:
        order = order_transition(order=order, to_status=status, actor=actor, reason=reason)
    return order


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def references(orders: list[selectors.MerchantOrder]) -> list[str]:
    return [card.order.reference for card in orders]


def test_the_day_is_grouped_as_the_merchant_works_with_the_finished_ones_apart(counter: Counter) -> None:
    merchant = counter.merchant
    new = place(counter.bread)
    accepted = move(place(counter.cake), OrderStatus.ACCEPTED, actor=merchant)
    ready = move(place(counter.bread), OrderStatus.ACCEPTED, OrderStatus.READY, actor=merchant)
    collected = move(
        place(counter.bread), OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.COLLECTED, actor=merchant
    )
    refused = move(place(counter.cake), OrderStatus.REFUSED, actor=merchant, reason="Four en panne")

    day = selectors.merchant_day(
        merchant, counter.town, [counter.shop], day=counter.today, today=counter.today
    )

    assert [group.status for group in day.open_groups] == ["placed", "accepted", "ready", "dropped"]
    assert [references(group.orders) for group in day.open_groups] == [
        [new.reference],
        [accepted.reference],
        [ready.reference],
        [],
    ]
    assert set(references(day.closed)) == {collected.reference, refused.reference}
    assert [group.orders[0].moves for group in day.open_groups[:3]] == [
        ["accepted", "refused"],
        ["ready", "shop_cancelled"],
        ["collected", "not_collected", "shop_cancelled"],
    ]
    assert all(card.moves == [] for card in day.closed)
    assert day.open_count == 3


def test_the_soonest_pickup_comes_first(counter: Counter) -> None:
    today = counter.today
    late = place(counter.bread, pickup_slot_start=at(today, 17), pickup_slot_end=at(today, 18))
    early = place(counter.bread, pickup_slot_start=at(today, 9), pickup_slot_end=at(today, 10))
    no_slot = place(counter.bread)

    day = selectors.merchant_day(counter.merchant, counter.town, [counter.shop], day=today, today=today)

    assert references(day.open_groups[0].orders) == [early.reference, late.reference, no_slot.reference]


def test_other_days_show_orders_placed_or_to_collect_that_day_and_today_keeps_what_still_waits(
    counter: Counter,
) -> None:
    today, merchant = counter.today, counter.merchant
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    waiting_since_yesterday = place(counter.bread, created_at=at(yesterday, 10))
    done_yesterday = move(
        place(counter.bread), OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.COLLECTED, actor=merchant
    )
    Order.objects.filter(pk=done_yesterday.pk).update(
        created_at=at(yesterday, 9), updated_at=at(yesterday, 16)
    )
    for_tomorrow = place(counter.cake, pickup_slot_start=at(tomorrow, 10), pickup_slot_end=at(tomorrow, 11))

    def shown(day: date) -> set[str]:
        result = selectors.merchant_day(merchant, counter.town, [counter.shop], day=day, today=today)
        return {card.order.reference for group in result.open_groups for card in group.orders} | set(
            references(result.closed)
        )

    assert shown(today) == {waiting_since_yesterday.reference, for_tomorrow.reference}
    assert shown(yesterday) == {waiting_since_yesterday.reference, done_yesterday.reference}
    assert shown(tomorrow) == {for_tomorrow.reference}


def test_the_day_takes_a_bounded_number_of_queries_whatever_the_orders(
    counter: Counter, django_assert_max_num_queries: Any
) -> None:
    for _ in range(12):
        move(place(counter.bread, 2, (counter.cake, 1)), OrderStatus.ACCEPTED, actor=counter.merchant)
    for _ in range(12):
        place(counter.cake, 1, (counter.bread, 3))
    merchant = User.objects.get(pk=counter.merchant.pk)  # nothing cached on the person yet

    with django_assert_max_num_queries(4):
        day = selectors.merchant_day(
            merchant, counter.town, [counter.shop], day=counter.today, today=counter.today
        )
        cards = [card for group in day.open_groups for card in group.orders]
        lines = [line.amount for card in cards for line in card.lines]

    assert len(cards) == 24
    assert len(lines) == 48


def test_a_merchant_sees_only_their_shops_of_this_town(counter: Counter) -> None:
    mine = place(counter.bread)
    neighbours = place(counter.neighbour_product)
    far = place(counter.far_product)

    shops = selectors.merchant_order_shops(counter.merchant, counter.town)
    day = selectors.merchant_day(
        counter.merchant, counter.town, shops, day=counter.today, today=counter.today
    )
    # Even handed another town's shop, the town's pages show only the town's orders.
    across = selectors.merchant_day(
        counter.merchant, counter.town, [counter.far_shop], day=counter.today, today=counter.today
    )

    assert shops == [counter.shop]
    assert references(day.open_groups[0].orders) == [mine.reference]
    assert across.open_count == 0
    assert selectors.merchant_order(counter.merchant, counter.town, neighbours.reference) is None
    assert selectors.merchant_order(counter.merchant, counter.town, far.reference) is None
    assert selectors.merchant_order(counter.merchant, counter.other_town, far.reference) is not None


def test_the_town_manager_may_handle_any_shops_order_and_find_the_shops_with_orders(counter: Counter) -> None:
    order = place(counter.neighbour_product)
    place(counter.far_product)

    card = selectors.merchant_order(counter.manager, counter.town, order.reference)
    shops = list(selectors.shops_with_orders(counter.town, day=counter.today, today=counter.today))

    assert card is not None
    assert card.moves == ["accepted", "refused"]
    assert shops == [counter.neighbour_shop]


def test_the_preparation_list_totals_each_article_across_the_orders_to_prepare(counter: Counter) -> None:
    merchant = counter.merchant
    place(counter.bread, 2, (counter.cake, 1))
    move(place(counter.bread, 3), OrderStatus.ACCEPTED, actor=merchant)
    move(place(counter.cake, 5), OrderStatus.ACCEPTED, OrderStatus.READY, actor=merchant)  # already prepared
    move(place(counter.bread, 7), OrderStatus.REFUSED, actor=merchant, reason="Rupture")
    place(counter.neighbour_product, 4)

    [preparation] = selectors.preparation_list(
        counter.town, [counter.shop], day=counter.today, today=counter.today
    )

    assert preparation.shop == counter.shop
    assert len(preparation.orders) == 2
    assert [(total.title, total.quantity) for total in preparation.totals] == [
        ("Pain de campagne", 5),
        ("Tarte aux pommes", 1),
    ]


def test_the_export_has_every_line_of_the_shops_orders_placed_in_the_period(counter: Counter) -> None:
    today = counter.today
    first = place(counter.bread, 2, (counter.cake, 1))
    old = place(counter.bread, created_at=at(today - timedelta(days=40), 12))
    place(counter.neighbour_product)
    place(counter.far_product)

    lines = list(
        selectors.export_lines(
            counter.town, [counter.shop], first_day=today - timedelta(days=7), last_day=today
        )
    )

    assert [(line.order.reference, line.title, line.quantity) for line in lines] == [
        (first.reference, "Pain de campagne", 2),
        (first.reference, "Tarte aux pommes", 1),
    ]
    assert old.reference not in {line.order.reference for line in lines}


@pytest.mark.parametrize(
    ("contact", "href"),
    [
        ("06 12 34 56 78", "tel:+33612345678"),
        ("+33 2 33 12 34 56", "tel:+33233123456"),
        ("jeanne@example.fr", "mailto:jeanne@example.fr"),
        ("demander à la caisse", ""),
    ],
)
def test_the_customer_is_one_tap_away(contact: str, href: str) -> None:
    assert selectors.contact_href(contact) == href


def test_someone_without_a_shop_has_no_shop_and_no_order(counter: Counter) -> None:
    resident = UserFactory.create()
    place(counter.bread)

    assert selectors.merchant_order_shops(resident, counter.town) == []
    assert (
        selectors.merchant_day(resident, counter.town, [], day=counter.today, today=counter.today).open_count
        == 0
    )
