"""Fulfilment rules: what a shop offers, its pickup slots, delivery fees and the town's subsidy."""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centreville.core.changes import FieldChanges, refuse_unknown_fields
from centreville.shops.models import Shop, validate_opening_hours
from centreville.towns.models import Town

from . import selectors
from .models import (
    DeliveryZone,
    FulfilmentMethod,
    Locker,
    RelayPoint,
    ShopFulfilment,
    TownFulfilment,
    TownOrderSettings,
)
from .slots import offered_slots, shop_hours
from .subsidy import delivery_subsidy

LOCKER_CODE_DIGITS = 6
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
EARTH_RADIUS_KM = 6371.0088
POSTCODE = re.compile(r"\d{5}")
ADDRESS_MAX_CHARS = 250
CITY_MAX_CHARS = 120

# What the update services change: every rule of the town and of each shop, each change of which is recorded.
TOWN_FULFILMENT_FIELDS = frozenset(TownFulfilment.audited_fields)
ORDER_SETTINGS_FIELDS = frozenset(TownOrderSettings.audited_fields)
SHOP_FULFILMENT_FIELDS = frozenset(ShopFulfilment.audited_fields)
PLACE_FIELDS = frozenset({"name", "street_address", "opening_hours", "is_active"})
LOCKER_FIELDS = PLACE_FIELDS | {"compartments"}
ZONE_FIELDS = frozenset({"name", "postcodes", "radius_km", "extra_fee", "is_active"})

_M = TypeVar("_M", bound=models.Model)


def new_locker_code() -> str:
    """The code that opens the customer's locker, given when the order is ready."""
    return "".join(secrets.choice("0123456789") for _ in range(LOCKER_CODE_DIGITS))


@dataclass(frozen=True)
class FulfilmentChoice:
    """How the customer wants one shop's order: the way, and what that way needs."""

    method: str
    slot_start: datetime | None = None  # a pickup slot, or a delivery window
    relay_point_id: int | None = None
    locker_id: int | None = None
    delivery_address: str = ""
    delivery_postcode: str = ""
    delivery_city: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class DeliveryQuote:
    """The zone an address falls in, the whole delivery fee and the part the town pays."""

    zone: DeliveryZone
    fee: Decimal
    subsidy: Decimal
    distance_km: Decimal | None = None

    @property
    def customer_pays(self) -> Decimal:
        return self.fee - self.subsidy


# --- Delivery fees and the town's subsidy --------------------------------------------------------------


def distance_km(
    latitude: Decimal, longitude: Decimal, to_latitude: Decimal, to_longitude: Decimal
) -> Decimal:
    """Great-circle distance (haversine), rounded to metres."""
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (latitude, longitude, to_latitude, to_longitude)))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return Decimal(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))).quantize(Decimal("0.001"))


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _clean_postcode(postcode: str) -> str:
    postcode = "".join(postcode.split())
    if postcode and not POSTCODE.fullmatch(postcode):
        raise ValidationError(
            _("« %(value)s » n'est pas un code postal français (5 chiffres).") % {"value": postcode},
            code="postcode",
        )
    return postcode


def delivery_quote(
    *,
    town: Town,
    postcode: str,
    items_total: Decimal,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> DeliveryQuote:
    """The delivery zone, fee and town subsidy for an address of the town's area.

    A zone matches by its postcodes, or by its radius around the town centre when the customer's
    position is known; of several, the cheapest is taken. Fee: base + per km * distance (when known)
    + the zone's supplement, nothing at or above the town's free-delivery amount. Subsidy: the town's
    percentage of the fee, capped, rounded to the cent (`delivery_subsidy`). Raises ValidationError
    (French) outside every zone.
    """
    rules = selectors.town_fulfilment(town)
    if not rules.delivery_enabled:
        raise ValidationError(
            _("La livraison à domicile n'est pas proposée dans cette ville."), code="disabled"
        )
    postcode = _clean_postcode(postcode)
    distance = None
    if latitude is not None and longitude is not None:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError(_("La position indiquée est impossible."), code="position")
        distance = distance_km(town.latitude, town.longitude, latitude, longitude)
    elif not postcode:
        raise ValidationError(_("Indiquez le code postal de livraison."), code="postcode_required")
    matches = [
        zone
        for zone in selectors.delivery_zones(town)
        if (postcode and postcode in zone.postcodes)
        or (zone.radius_km is not None and distance is not None and distance <= zone.radius_km)
    ]
    if not matches:
        raise ValidationError(
            _("Cette adresse est en dehors des zones de livraison de la ville."), code="out_of_zone"
        )
    zone = min(matches, key=lambda zone: (zone.extra_fee, zone.name, zone.pk))
    fee = rules.delivery_base_fee + zone.extra_fee
    if distance is not None:
        fee += rules.delivery_fee_per_km * distance
    fee = _cents(fee)
    if rules.delivery_free_from is not None and items_total >= rules.delivery_free_from:
        fee = ZERO
    return DeliveryQuote(zone=zone, fee=fee, subsidy=delivery_subsidy(fee, rules), distance_km=distance)


# --- Reserving a way for one shop's order ---------------------------------------------------------------


def _order_values(method: str) -> dict[str, Any]:
    return {
        "fulfilment": method,
        "pickup_slot_start": None,
        "pickup_slot_end": None,
        "relay_point_id": None,
        "locker_id": None,
        "delivery_zone_id": None,
        "delivery_address": "",
        "delivery_postcode": "",
        "delivery_city": "",
        "delivery_fee": ZERO,
        "delivery_subsidy": ZERO,
    }


def fulfilment_reserve(
    *, shop: Shop, choice: FulfilmentChoice, items_total: Decimal, now: datetime
) -> dict[str, Any]:
    """Check the customer's choice for this shop's order and return the Order field values to set.

    Must run inside the caller's transaction: a pickup slot is counted under a lock on the shop's
    ShopFulfilment row, held until that transaction ends, so that a slot never takes more orders than
    its capacity. Raises ValidationError (French) when the way is not offered, the slot is full or no
    longer offered, the place is out of service or the address out of every delivery zone.
    """
    if choice.method not in FulfilmentMethod.values:
        raise ValidationError(_("Choisissez un mode de retrait ou de livraison."), code="method")
    town = shop.town
    town_rules = selectors.town_fulfilment(town)
    if choice.method in (FulfilmentMethod.PICKUP, FulfilmentMethod.DELIVERY):
        # Slots and windows are counted under this lock, held until the caller's transaction ends.
        shop_rules, _created = ShopFulfilment.objects.select_for_update().get_or_create(shop=shop)
    else:
        shop_rules = selectors.shop_fulfilment(shop)
    if choice.method not in selectors.offered_methods(shop, town_rules, shop_rules, places=None):
        raise ValidationError(
            _("« %(shop)s » ne propose pas ce mode : %(method)s.")
            % {"shop": shop.name, "method": FulfilmentMethod(choice.method).label},
            code="not_offered",
        )
    values = _order_values(choice.method)
    if choice.method == FulfilmentMethod.RELAY:
        values["relay_point_id"] = _relay_point(town, choice).pk
    elif choice.method == FulfilmentMethod.LOCKER:
        values["locker_id"] = _locker(town, choice).pk
    elif choice.method == FulfilmentMethod.DELIVERY:
        values.update(_delivery(town, choice, items_total))
    if choice.method in (FulfilmentMethod.PICKUP, FulfilmentMethod.DELIVERY):
        values["pickup_slot_start"], values["pickup_slot_end"] = _reserve_slot(
            shop, shop_rules, choice, now=now
        )
    return values


def _reserve_slot(
    shop: Shop, rules: ShopFulfilment, choice: FulfilmentChoice, *, now: datetime
) -> tuple[datetime, datetime]:
    """The pickup slot or delivery window chosen, if it is still offered and not full."""
    rule = selectors.slot_rule(rules, choice.method)
    start = choice.slot_start
    if start is None:
        if choice.method == FulfilmentMethod.DELIVERY:
            raise ValidationError(_("Choisissez une plage de livraison."), code="slot_required")
        raise ValidationError(_("Choisissez un créneau de retrait."), code="slot_required")
    gone = ValidationError(_("Ce créneau n'est plus proposé, choisissez-en un autre."), code="slot_gone")
    if timezone.is_naive(start):
        raise gone
    hours = shop_hours(shop, at=now, expression=rule.hours)
    if hours is None:
        raise gone
    offered = offered_slots(
        shop,
        hours,
        minutes=rule.minutes,
        earliest=now + timedelta(minutes=rules.preparation_minutes),
        at=now,
    )
    # In UTC: two times of one zone compare by their wall clocks, ambiguous when the clocks go back.
    wanted = start.astimezone(UTC)
    slot = next(((begin, end) for begin, end in offered if begin.astimezone(UTC) == wanted), None)
    if slot is None:
        raise gone
    taken = selectors.slot_counts(shop, since=slot[0], until=slot[0], method=rule.method).get(slot[0], 0)
    if taken >= rule.capacity:
        raise ValidationError(_("Ce créneau est complet, choisissez-en un autre."), code="slot_full")
    return slot


def _relay_point(town: Town, choice: FulfilmentChoice) -> RelayPoint:
    if choice.relay_point_id is None:
        raise ValidationError(_("Choisissez un point relais."), code="relay_required")
    place = selectors.relay_points(town).filter(pk=choice.relay_point_id).first()
    if place is None:
        raise ValidationError(
            _("Ce point relais n'est plus disponible, choisissez-en un autre."), code="relay_gone"
        )
    return place


def _locker(town: Town, choice: FulfilmentChoice) -> Locker:
    if choice.locker_id is None:
        raise ValidationError(_("Choisissez une consigne."), code="locker_required")
    place = selectors.lockers(town).filter(pk=choice.locker_id).first()
    if place is None:
        raise ValidationError(
            _("Cette consigne n'est plus disponible, choisissez-en une autre."), code="locker_gone"
        )
    # Each waiting order will need a compartment; no lock here, so two shops' pages never wait on each other.
    waiting = place.orders.filter(status__in=selectors.ACTIVE_STATUSES).count()
    if waiting >= place.compartments:
        raise ValidationError(
            _("La consigne « %(name)s » est pleine pour le moment, choisissez un autre mode de retrait.")
            % {"name": place.name},
            code="locker_full",
        )
    return place


def _delivery(town: Town, choice: FulfilmentChoice, items_total: Decimal) -> dict[str, Any]:
    address = " ".join(choice.delivery_address.split())
    if not address:
        raise ValidationError(_("Indiquez l'adresse de livraison."), code="address_required")
    if len(address) > ADDRESS_MAX_CHARS:
        raise ValidationError(
            _("L'adresse de livraison est trop longue (%(max)s caractères au plus).")
            % {"max": ADDRESS_MAX_CHARS},
            code="address_long",
        )
    quote = delivery_quote(
        town=town,
        postcode=choice.delivery_postcode,
        items_total=items_total,
        latitude=choice.latitude,
        longitude=choice.longitude,
    )
    city = " ".join(choice.delivery_city.split())
    if not city:
        raise ValidationError(_("Indiquez la commune de livraison."), code="city_required")
    if len(city) > CITY_MAX_CHARS:
        raise ValidationError(_("Le nom de la commune est trop long."), code="city_long")
    return {
        "delivery_zone_id": quote.zone.pk,
        "delivery_address": address,
        "delivery_postcode": _clean_postcode(choice.delivery_postcode),
        "delivery_city": city,
        "delivery_fee": quote.fee,
        "delivery_subsidy": quote.subsidy,
    }


# --- The town team's settings ---------------------------------------------------------------------------


def _not_negative(obj: models.Model, names: tuple[str, ...]) -> dict[str, str]:
    return {
        name: _("Un montant ne peut pas être négatif.")
        for name in names
        if getattr(obj, name) is not None and getattr(obj, name) < 0
    }


def _no_errors(obj: models.Model) -> dict[str, Any]:
    return {}


def _save(obj: _M, fields: Mapping[str, Any], errors: Callable[[_M], dict[str, Any]] = _no_errors) -> _M:
    """Set `fields` on `obj` and write the columns that change, unless `errors(obj)` or the model's own
    checks find something wrong: then raise every error at once and leave `obj` as it was."""
    changes = FieldChanges(obj, fields)
    collected = errors(obj)
    try:
        obj.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            collected.setdefault(name, messages)
    if collected:
        changes.undo()
        raise ValidationError(collected)
    changes.save()
    return obj


@transaction.atomic
def town_fulfilment_update(*, town: Town, **fields: Any) -> tuple[TownFulfilment, TownOrderSettings]:
    """Change the town's ways, delivery fee rule, subsidy and order delays (names in TOWN_FULFILMENT_FIELDS
    and ORDER_SETTINGS_FIELDS); nothing saved unless all valid, and only the columns that change."""
    refuse_unknown_fields("town_fulfilment_update", fields, TOWN_FULFILMENT_FIELDS | ORDER_SETTINGS_FIELDS)
    rules = TownFulfilment.objects.select_for_update().filter(town=town).first() or TownFulfilment(town=town)
    settings = TownOrderSettings.objects.select_for_update().filter(town=town).first() or TownOrderSettings(
        town=town
    )
    settings_changes = FieldChanges(
        settings, {name: value for name, value in fields.items() if name in ORDER_SETTINGS_FIELDS}
    )
    settings_errors: dict[str, Any] = {}
    try:
        settings.full_clean()
    except ValidationError as error:
        settings_errors = {name: messages[0] for name, messages in error.message_dict.items()}

    def errors(rules: TownFulfilment) -> dict[str, Any]:
        amounts = ("delivery_base_fee", "delivery_fee_per_km", "delivery_free_from", "subsidy_cap")
        return {**_not_negative(rules, amounts), **settings_errors}

    rules_fields = {name: value for name, value in fields.items() if name in TOWN_FULFILMENT_FIELDS}
    with settings_changes.undone_if_refused():
        _save(rules, rules_fields, errors)
    settings_changes.save()
    return rules, settings


def _place_errors(fields: Mapping[str, Any]) -> dict[str, Any]:
    hours = fields.get("opening_hours")
    if hours is None:
        return {}
    try:
        validate_opening_hours(hours)
    except ValidationError as error:
        return {"opening_hours": error.messages}
    return {}


@transaction.atomic
def relay_point_create(*, town: Town, **fields: Any) -> RelayPoint:
    """A new relay point of the town (a shop that hands over the orders of others)."""
    refuse_unknown_fields("relay_point_create", fields, PLACE_FIELDS)
    return _save(RelayPoint(town=town), fields, lambda _place: _place_errors(fields))


@transaction.atomic
def relay_point_update(*, relay_point: RelayPoint, **fields: Any) -> RelayPoint:
    """Change a relay point, or take it out of service (`is_active=False`): past orders keep it."""
    refuse_unknown_fields("relay_point_update", fields, PLACE_FIELDS)
    return _save(relay_point, fields, lambda _place: _place_errors(fields))


def _locker_errors(fields: Mapping[str, Any]) -> dict[str, Any]:
    errors = _place_errors(fields)
    if fields.get("compartments") == 0:
        errors["compartments"] = _("Une consigne compte au moins un casier.")
    return errors


@transaction.atomic
def locker_create(*, town: Town, **fields: Any) -> Locker:
    """A new locker of the town."""
    refuse_unknown_fields("locker_create", fields, LOCKER_FIELDS)
    return _save(Locker(town=town), fields, lambda _locker: _locker_errors(fields))


@transaction.atomic
def locker_update(*, locker: Locker, **fields: Any) -> Locker:
    """Change a locker, or take it out of service (`is_active=False`): past orders keep it."""
    refuse_unknown_fields("locker_update", fields, LOCKER_FIELDS)
    return _save(locker, fields, lambda _locker: _locker_errors(fields))


def _zone_errors(zone: DeliveryZone) -> dict[str, Any]:
    errors: dict[str, Any] = _not_negative(zone, ("extra_fee",))
    if zone.radius_km is not None and zone.radius_km <= 0:
        errors["radius_km"] = _("Le rayon doit être supérieur à 0 km.")
    return errors


@transaction.atomic
def delivery_zone_create(*, town: Town, **fields: Any) -> DeliveryZone:
    """A new delivery zone of the town: a list of postcodes, or a radius around the town centre."""
    refuse_unknown_fields("delivery_zone_create", fields, ZONE_FIELDS)
    return _save(DeliveryZone(town=town), fields, _zone_errors)


@transaction.atomic
def delivery_zone_update(*, zone: DeliveryZone, **fields: Any) -> DeliveryZone:
    """Change a delivery zone, or take it out of service (`is_active=False`): past orders keep it."""
    refuse_unknown_fields("delivery_zone_update", fields, ZONE_FIELDS)
    return _save(zone, fields, _zone_errors)


# --- The merchant's settings ----------------------------------------------------------------------------


@transaction.atomic
def shop_fulfilment_update(*, shop: Shop, **fields: Any) -> ShopFulfilment:
    """Change which of the town's ways the shop offers and how its pickup slots are cut (names in
    SHOP_FULFILMENT_FIELDS); only the columns that change are written.

    A way the town does not offer cannot be switched on.
    """
    refuse_unknown_fields("shop_fulfilment_update", fields, SHOP_FULFILMENT_FIELDS)
    town_rules = selectors.town_fulfilment(shop.town)
    rules, _created = ShopFulfilment.objects.select_for_update().get_or_create(shop=shop)
    errors = {
        name: _("La ville ne propose pas ce mode pour le moment.")
        for name in ("pickup_enabled", "relay_enabled", "locker_enabled", "delivery_enabled")
        if fields.get(name) and not getattr(town_rules, name)
    }
    return _save(rules, fields, lambda _rules: errors)
