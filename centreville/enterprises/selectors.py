"""Reads of the enterprises for pages and the apps above."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import formats

from centreville.shops.hours import WeekdayHours, openings_in_words, regular_week
from centreville.shops.models import Shop
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from .geo import bounding_box, distance_km
from .models import (
    BuyerCategory,
    Enterprise,
    EnterpriseMember,
    EnterprisePhoto,
    Label,
    PickupPlace,
    SpaceProducer,
)


def space_choice(space: Space) -> Q:
    """The SpaceProducer rows by which a space shows a producer: its town's choice and its territory's (a
    territory's space: its own choice and its towns'). A condition, so that a search asks only about the
    few producers it found."""
    if space.territory is not None:
        return Q(territory_id=space.territory.pk) | Q(town_id__in=space.town_ids)
    town = space.towns[0]
    chosen = Q(town_id=town.pk)
    if town.territory_id is not None:
        chosen |= Q(territory_id=town.territory_id)
    return chosen


def space_producer_ids(space: Space | None) -> set[int] | None:
    """The active producers a space shows; None at the platform's level, where every producer shows."""
    if space is None:
        return None
    return set(
        SpaceProducer.objects.filter(
            space_choice(space), enterprise__is_active=True, enterprise__is_producer=True
        ).values_list("enterprise_id", flat=True)
    )


# --- A person's enterprises ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyEnterprise:
    enterprise: Enterprise
    is_owner: bool


def enterprises_of(user: Any) -> list[MyEnterprise]:
    """The active enterprises a person acts for, by name."""
    if not user.is_authenticated:
        return []
    members = (
        EnterpriseMember.objects.filter(user=user, enterprise__is_active=True)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )
    return [MyEnterprise(member.enterprise, member.is_owner) for member in members]


def shops_to_buy_for(user: Any) -> list[Shop]:
    """The showcase shops a person runs that have no buyer enterprise yet."""
    if not user.is_authenticated:
        return []
    return list(
        Shop.objects.filter(memberships__user=user, enterprise__isnull=True)
        .select_related("town")
        .order_by("name")
    )


def shop_prefill(shop: Shop) -> dict[str, Any]:
    """What a shop already says of itself, to pre-fill its buyer enterprise's form."""
    return {
        "kind": "buyer",
        "name": shop.name,
        "siret": shop.siret,
        "street_address": shop.street_address,
        "postcode": shop.postcode,
        "city": shop.city,
        "latitude": shop.latitude,
        "longitude": shop.longitude,
        "email": shop.email,
        "phone": shop.phone,
        "website": shop.website,
        "buyer_category": BuyerCategory.SHOP,
    }


# --- An enterprise's home --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceWindows:
    place: PickupPlace
    week: list[WeekdayHours]  # the days with windows in words, Monday first; empty when unreadable


@dataclass(frozen=True)
class EnterpriseHome:
    enterprise: Enterprise
    label_names: list[str]
    places: list[PlaceWindows]
    closed_places: list[PickupPlace]
    members: list[EnterpriseMember]
    photos: list[EnterprisePhoto]


def label_names(codes: list[str]) -> list[str]:
    known = dict(Label.choices)
    return [str(known[code]) for code in codes if code in known]


def pickup_week_in_words(expression: str, *, at: datetime) -> list[WeekdayHours]:
    """« mardi : de 17:00 à 19:00 »… for the days with windows, Monday first; empty when unreadable."""
    return [
        WeekdayHours(day=formats.date_format(day.start, "l"), hours=openings_in_words(day))
        for day in regular_week(expression, settings.TIME_ZONE, at=at)
        if day.openings
    ]


def enterprise_home(enterprise: Enterprise, *, at: datetime) -> EnterpriseHome:
    """What the enterprise's home shows, in three queries whatever its size."""
    places = list(enterprise.pickup_places.order_by("-is_active", "name"))
    members = list(enterprise.members.select_related("user").order_by("-is_owner", "user__email"))
    photos = list(enterprise.photos.order_by("position", "pk"))
    return EnterpriseHome(
        enterprise=enterprise,
        label_names=label_names(enterprise.labels),
        places=[
            PlaceWindows(place, pickup_week_in_words(place.opening_hours, at=at))
            for place in places
            if place.is_active
        ],
        closed_places=[place for place in places if not place.is_active],
        members=members,
        photos=photos,
    )


# --- Producers around a town, for its team ---------------------------------------------------------------

NEARBY_RADIUS_KM = 50


@dataclass(frozen=True)
class NearbyProducer:
    enterprise: Enterprise
    distance_km: float
    is_shown: bool


@dataclass(frozen=True)
class TownProducers:
    nearby: list[NearbyProducer]  # within the radius, nearest first
    shown: list[NearbyProducer]  # those the town shows, wherever they are, nearest first
    radius_km: int


def producers_near(
    latitude: float | Decimal, longitude: float | Decimal, *, radius_km: float
) -> list[tuple[Enterprise, float]]:
    """Active producers within `radius_km` of a point, nearest first: the box is read through the position
    index, then the exact distance keeps the circle."""
    box = bounding_box(latitude, longitude, radius_km)
    candidates = Enterprise.objects.filter(
        is_active=True,
        is_producer=True,
        latitude__range=(box.south, box.north),
        longitude__range=(box.west, box.east),
    )
    found = [
        (enterprise, distance_km(latitude, longitude, enterprise.latitude, enterprise.longitude))
        for enterprise in candidates
    ]
    return sorted(
        ((enterprise, km) for enterprise, km in found if km <= radius_km),
        key=lambda pair: (pair[1], pair[0].name),
    )


def town_producers(town: Town, *, radius_km: int = NEARBY_RADIUS_KM) -> TownProducers:
    """The producers around a town and those its space shows, for the team that chooses them."""
    chosen = set(SpaceProducer.objects.filter(town=town).values_list("enterprise_id", flat=True))
    nearby = [
        NearbyProducer(enterprise, km, enterprise.pk in chosen)
        for enterprise, km in producers_near(town.latitude, town.longitude, radius_km=radius_km)
    ]
    near_ids = {item.enterprise.pk for item in nearby}
    far = [
        NearbyProducer(
            enterprise,
            distance_km(town.latitude, town.longitude, enterprise.latitude, enterprise.longitude),
            True,
        )
        for enterprise in Enterprise.objects.filter(pk__in=chosen - near_ids)
    ]
    shown = sorted([item for item in nearby if item.is_shown] + far, key=lambda item: item.distance_km)
    return TownProducers(nearby=nearby, shown=shown, radius_km=radius_km)
