"""Reads about fulfilment: what each shop offers, its pickup slots, the town's places and the subsidy report.

Every function takes the town (or a shop, which belongs to one) explicitly; a town or a shop that never
saved its choices gets the defaults (pickup in the shop only), and no row is written here.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import groupby
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from centreville.core.spreadsheets import spreadsheet_amount, spreadsheet_text, spreadsheet_writer
from centreville.shops.hours import OpeningState, midnight, opening_state, readable
from centreville.shops.models import Shop
from centreville.towns.models import Town

from .models import (
    PAID_ON_THE_SPOT,
    DeliveryZone,
    FulfilmentMethod,
    Locker,
    RelayPoint,
    ShopFulfilment,
    TownFulfilment,
    TownOrderSettings,
)
from .slots import OPEN_DAYS, offered_slots, shop_hours

# Orders are read here through their relations to the shop, the town and the places (`shop.orders`...):
# the orders app, above this one, names their statuses; these are the values read (a test checks them).
# Orders that still hold their pickup slot (or their locker compartment): placed, accepted or ready.
ACTIVE_STATUSES = ("placed", "accepted", "ready")
COLLECTED = "collected"

_P = TypeVar("_P", RelayPoint, Locker)


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    remaining: int


# --- Settings ---------------------------------------------------------------------------------------------


def town_fulfilment(town: Town) -> TownFulfilment:
    """The town's choices, or the defaults (unsaved) when it has none."""
    return TownFulfilment.objects.filter(town=town).first() or TownFulfilment(town=town)


def town_order_settings(town: Town) -> TownOrderSettings:
    """The town's order delays and payment choice, or the defaults (unsaved) when it has none."""
    return TownOrderSettings.objects.filter(town=town).first() or TownOrderSettings(town=town)


def town_offers_online_payment(town: Town) -> bool:
    """Whether the town offers online payment at all (each shop still needs a ready account)."""
    return TownOrderSettings.objects.filter(town=town, online_payment_enabled=True).exists()


def shop_fulfilment(shop: Shop) -> ShopFulfilment:
    """The shop's choices, or the defaults (unsaved) when it has none."""
    return ShopFulfilment.objects.filter(shop=shop).first() or ShopFulfilment(shop=shop)


@dataclass(frozen=True)
class _TownPlaces:
    relay: bool
    locker: bool
    delivery: bool


def _town_places(town: Town) -> _TownPlaces:
    """Whether the town has an active relay point, locker and delivery zone, in one query."""
    row = (
        Town.objects.filter(pk=town.pk)
        .values(
            relay=Exists(RelayPoint.objects.filter(town=OuterRef("pk"), is_active=True)),
            locker=Exists(Locker.objects.filter(town=OuterRef("pk"), is_active=True)),
            delivery=Exists(DeliveryZone.objects.filter(town=OuterRef("pk"), is_active=True)),
        )
        .first()
    )
    return _TownPlaces(**row) if row else _TownPlaces(False, False, False)


def offered_methods(
    shop: Shop,
    town_rules: TownFulfilment,
    shop_rules: ShopFulfilment,
    places: _TownPlaces | None,
    *,
    online_payment: bool = True,
) -> list[str]:
    """The ways both the town and the shop switched on, in FulfilmentMethod order.

    Pickup in the shop needs Click & Collect on the shop's page and readable opening hours (the slots
    come from them); delivery needs the shop to deliver. With `places`, a way without any active
    place (relay point, locker, delivery zone) is left out. Without `online_payment`, the ways that
    must be paid online (nobody there to take the money) are left out.
    """
    methods = []
    for method in FulfilmentMethod.values:
        if not (getattr(town_rules, f"{method}_enabled") and getattr(shop_rules, f"{method}_enabled")):
            continue
        if method == FulfilmentMethod.PICKUP and not (
            shop.offers_click_collect and readable(shop.opening_hours, shop.town.timezone)
        ):
            continue
        if method == FulfilmentMethod.DELIVERY and not (
            shop.offers_delivery
            and readable(shop_rules.delivery_hours or shop.opening_hours, shop.town.timezone)
        ):
            continue
        if places is not None and method != FulfilmentMethod.PICKUP and not getattr(places, method):
            continue
        if not online_payment and method not in PAID_ON_THE_SPOT:
            continue
        methods.append(method)
    return methods


def fulfilment_methods(shop: Shop) -> list[str]:
    """How the shop's orders may reach their customer, in FulfilmentMethod order, online payment given."""
    return methods_for_shops(shop.town, [shop], online_payment=True)[shop.pk]


def methods_for_shops(town: Town, shops: Iterable[Shop], *, online_payment: bool) -> dict[int, list[str]]:
    """`fulfilment_methods` of several shops of the town, in three queries whatever their number; without
    `online_payment`, only the ways paid on the spot. A shop of another town is offered nothing.
    """
    shops = list(shops)
    town_rules = town_fulfilment(town)
    rules = {row.shop_id: row for row in ShopFulfilment.objects.filter(shop__in=[s.pk for s in shops])}
    needs_places = town_rules.relay_enabled or town_rules.locker_enabled or town_rules.delivery_enabled
    places = _town_places(town) if needs_places else _TownPlaces(False, False, False)
    result: dict[int, list[str]] = {}
    for shop in shops:
        if shop.town_id != town.pk:
            result[shop.pk] = []
            continue
        shop.town = town  # the hours are read in the town's time zone: no query for it
        shop_rules = rules.get(shop.pk) or ShopFulfilment(shop=shop)
        result[shop.pk] = offered_methods(shop, town_rules, shop_rules, places, online_payment=online_payment)
    return result


# --- Pickup slots -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotRule:
    """How one way's time slots are cut: from which hours, how long, how many orders each, for whom."""

    method: str
    hours: str  # OSM expression; empty: the shop's opening hours
    minutes: int
    capacity: int


def slot_rule(rules: ShopFulfilment, method: str) -> SlotRule:
    """Pickup slots come from the opening hours; delivery windows from the delivery hours, if any."""
    if method == FulfilmentMethod.DELIVERY:
        return SlotRule(method, rules.delivery_hours, rules.delivery_window_minutes, rules.delivery_capacity)
    return SlotRule(FulfilmentMethod.PICKUP, "", rules.slot_minutes, rules.slot_capacity)


def free_slots(
    shop: Shop, rules: ShopFulfilment, rule: SlotRule, *, now: datetime, open_days: int = OPEN_DAYS
) -> list[Slot]:
    """The free slots of one way over the shop's next `open_days` days that have hours, in its town's time
    zone: cut from the hours (French holidays and exceptional closures applied), after the preparation
    time, full ones left out. Two queries."""
    hours = shop_hours(shop, at=now, expression=rule.hours)
    if hours is None:
        return []
    cut = offered_slots(
        shop,
        hours,
        minutes=rule.minutes,
        earliest=now + timedelta(minutes=rules.preparation_minutes),
        at=now,
        open_days=open_days,
    )
    if not cut:
        return []
    taken = slot_counts(shop, since=cut[0][0], until=cut[-1][0], method=rule.method)
    slots = []
    for start, end in cut:
        remaining = rule.capacity - taken.get(start, 0)
        if remaining > 0:
            slots.append(Slot(start=start, end=end, remaining=remaining))
    return slots


def pickup_slots(shop: Shop, *, now: datetime, open_days: int = OPEN_DAYS) -> list[Slot]:
    """The shop's free pickup slots over its next `open_days` days with opening hours. Three queries."""
    rules = shop_fulfilment(shop)
    return free_slots(shop, rules, slot_rule(rules, FulfilmentMethod.PICKUP), now=now, open_days=open_days)


def delivery_windows(shop: Shop, *, now: datetime, open_days: int = OPEN_DAYS) -> list[Slot]:
    """The shop's free delivery windows over its next `open_days` days with delivery hours. Three queries."""
    rules = shop_fulfilment(shop)
    return free_slots(shop, rules, slot_rule(rules, FulfilmentMethod.DELIVERY), now=now, open_days=open_days)


@dataclass(frozen=True)
class SlotDay:
    """One day of free slots in short: when they run (back-to-back slots merged), how many, and places."""

    day: date
    ranges: list[tuple[datetime, datetime]]
    slot_count: int
    places: int


def slots_by_day(slots: Sequence[Slot], tz_name: str) -> list[SlotDay]:
    """The slots grouped by day in the town's time zone, for a short preview."""
    tz = ZoneInfo(tz_name)
    days: list[SlotDay] = []
    for day, group in groupby(slots, key=lambda slot: slot.start.astimezone(tz).date()):
        day_slots = list(group)
        ranges: list[tuple[datetime, datetime]] = []
        for slot in day_slots:
            if ranges and ranges[-1][1] == slot.start:
                ranges[-1] = (ranges[-1][0], slot.end)
            else:
                ranges.append((slot.start, slot.end))
        places = sum(slot.remaining for slot in day_slots)
        days.append(SlotDay(day=day, ranges=ranges, slot_count=len(day_slots), places=places))
    return days


def slot_counts(
    shop: Shop, *, since: datetime, until: datetime, method: str = FulfilmentMethod.PICKUP
) -> dict[datetime, int]:
    """How many active orders of one way (pickup, delivery) hold each slot starting between `since` and
    `until` (inclusive)."""
    rows = (
        shop.orders.filter(
            fulfilment=method,
            status__in=ACTIVE_STATUSES,
            pickup_slot_start__gte=since,
            pickup_slot_start__lte=until,
        )
        .order_by()
        .values("pickup_slot_start")
        .annotate(count=Count("pk"))
        .values_list("pickup_slot_start", "count")
    )
    return {start: count for start, count in rows if start is not None}


# --- Relay points, lockers and delivery zones ---------------------------------------------------------


def relay_points(town: Town) -> QuerySet[RelayPoint]:
    """The town's relay points in service, by name."""
    return RelayPoint.objects.for_town(town).filter(is_active=True).order_by("name", "pk")


def lockers(town: Town) -> QuerySet[Locker]:
    """The town's lockers in service, by name."""
    return Locker.objects.for_town(town).filter(is_active=True).order_by("name", "pk")


def delivery_zones(town: Town) -> QuerySet[DeliveryZone]:
    """The town's delivery zones in service, by name."""
    return DeliveryZone.objects.for_town(town).filter(is_active=True).order_by("name", "pk")


def with_opening_states(places: Iterable[_P], town: Town, *, at: datetime) -> list[tuple[_P, OpeningState]]:
    """Each place with its state: open now, or when it opens ("Ouvert · ferme à 19:00")."""
    return [(place, opening_state(place.opening_hours, town.timezone, at=at)) for place in places]


def relay_points_for_manager(town: Town) -> QuerySet[RelayPoint]:
    """Every relay point of the town, those in service first."""
    return RelayPoint.objects.for_town(town).order_by("-is_active", "name", "pk")


def lockers_for_manager(town: Town) -> QuerySet[Locker]:
    """Every locker of the town, those in service first."""
    return Locker.objects.for_town(town).order_by("-is_active", "name", "pk")


def delivery_zones_for_manager(town: Town) -> QuerySet[DeliveryZone]:
    """Every delivery zone of the town, those in service first."""
    return DeliveryZone.objects.for_town(town).order_by("-is_active", "name", "pk")


# --- Monthly subsidy report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubsidyRow:
    delivered_at: datetime  # when the order was marked collected, in the town's time zone
    reference: str
    shop_name: str
    postcode: str
    zone_name: str
    fee: Decimal
    subsidy: Decimal

    @property
    def customer_paid(self) -> Decimal:
        return self.fee - self.subsidy


@dataclass(frozen=True)
class SubsidyTotals:
    deliveries: int
    fee: Decimal
    subsidy: Decimal
    customer_paid: Decimal


def month_bounds(town: Town, year: int, month: int) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in the town's time zone."""
    tz = ZoneInfo(town.timezone)
    first = datetime(year, month, 1).date()
    following = datetime(year + month // 12, month % 12 + 1, 1).date()
    return midnight(first, tz), midnight(following, tz)


def subsidy_report_rows(*, town: Town, year: int, month: int) -> list[SubsidyRow]:
    """The town's delivered orders of the month (by the day they were marked collected), oldest first."""
    start, end = month_bounds(town, year, month)
    tz = ZoneInfo(town.timezone)
    delivered = (
        town.orders.filter(fulfilment=FulfilmentMethod.DELIVERY, status=COLLECTED)
        .annotate(delivered_at=Min("events__created_at", filter=Q(events__to_status=COLLECTED)))
        .filter(delivered_at__gte=start, delivered_at__lt=end)
        .order_by("delivered_at", "pk")
        .values(
            "delivered_at",
            "reference",
            "shop__name",
            "delivery_postcode",
            "delivery_zone__name",
            "delivery_fee",
            "delivery_subsidy",
        )
    )
    return [
        SubsidyRow(
            delivered_at=row["delivered_at"].astimezone(tz),
            reference=row["reference"],
            shop_name=row["shop__name"],
            postcode=row["delivery_postcode"],
            zone_name=row["delivery_zone__name"] or "",
            fee=row["delivery_fee"],
            subsidy=row["delivery_subsidy"],
        )
        for row in delivered
    ]


def subsidy_totals(rows: Sequence[SubsidyRow]) -> SubsidyTotals:
    return SubsidyTotals(
        deliveries=len(rows),
        fee=sum((row.fee for row in rows), Decimal("0.00")),
        subsidy=sum((row.subsidy for row in rows), Decimal("0.00")),
        customer_paid=sum((row.customer_paid for row in rows), Decimal("0.00")),
    )


def subsidy_report_csv(*, town: Town, year: int, month: int) -> str:
    """The monthly report as CSV for French spreadsheets: `;` between columns, a BOM for UTF-8, a total."""
    rows = subsidy_report_rows(town=town, year=year, month=month)
    totals = subsidy_totals(rows)
    out = io.StringIO()
    writer = spreadsheet_writer(out)
    writer.writerow(
        [
            _("Date"),
            _("Référence"),
            _("Commerce"),
            _("Code postal"),
            _("Zone"),
            _("Frais de livraison (€)"),
            _("Aide de la ville (€)"),
            _("Payé par le client (€)"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                formats.date_format(row.delivered_at, "d/m/Y"),
                row.reference,
                spreadsheet_text(row.shop_name),
                row.postcode,
                spreadsheet_text(row.zone_name),
                spreadsheet_amount(row.fee),
                spreadsheet_amount(row.subsidy),
                spreadsheet_amount(row.customer_paid),
            ]
        )
    writer.writerow(
        [
            _("Total"),
            _("Livraisons : %(count)s") % {"count": totals.deliveries},
            "",
            "",
            "",
            spreadsheet_amount(totals.fee),
            spreadsheet_amount(totals.subsidy),
            spreadsheet_amount(totals.customer_paid),
        ]
    )
    return out.getvalue()
