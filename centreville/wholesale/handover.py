"""When and where an order may be handed over: a farm's windows, a drive point's slots, a round's days.

Everything is computed on Paris local time (the exchange's enterprises belong to no town): a window at
17:00 stays at 17:00 across the clock changes. The same functions list what a buyer is offered and check
what a buyer chose, so that a choice is accepted exactly when it would have been offered. Nothing here
reads the clock: the moment `at` is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from centreville.enterprises.models import Enterprise, PickupPlace
from centreville.shops.hours import Day, opening_days, readable

from .models import DeliveryRound, DrivePoint, HandOver, OrderStatus, WholesaleOrder

TIMEZONE = "Europe/Paris"
PARIS = ZoneInfo(TIMEZONE)
# Hand-overs are offered over this many days that have windows…
OFFERED_DAYS = 7
# …looking no further ahead than this.
LOOKAHEAD_DAYS = 28
# Orders that no longer hold their slot at a drive point.
NOT_HOLDING = (OrderStatus.REFUSED, OrderStatus.CANCELLED)
_CLOCK = re.compile(r"(\d{1,2})[:h](\d{2})")


@dataclass(frozen=True)
class HandOverChoice:
    """How a buyer wants one producer's order: the way, its place, and when (a window or slot start for the
    farm and the drive, a day for a round)."""

    kind: str
    place_id: int
    starts_at: datetime | None = None
    day: date | None = None

    @property
    def value(self) -> str:
        """The choice as a form's option value, read back by `parse`."""
        when = self.day.isoformat() if self.day is not None else _utc(self.starts_at).isoformat()
        return f"{self.kind}|{self.place_id}|{when}"

    @classmethod
    def parse(cls, value: str) -> HandOverChoice:
        """The choice an option value names; ValidationError in French when it names none."""
        try:
            kind, place_id, when = value.split("|")
            if kind == HandOver.ROUND:
                return cls(kind, int(place_id), day=date.fromisoformat(when))
            if kind in (HandOver.FARM, HandOver.DRIVE):
                return cls(kind, int(place_id), starts_at=datetime.fromisoformat(when).astimezone(UTC))
        except ValueError:
            pass
        raise ValidationError(_("Choisissez comment recevoir la commande."), code="hand_over")


@dataclass(frozen=True)
class Offer:
    choice: HandOverChoice
    label: str


def _utc(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment.astimezone(UTC)


def local_today(at: datetime) -> date:
    return at.astimezone(PARIS).date()


def _days(expression: str, *, first: date, wanted: int) -> list[Day]:
    hours = readable(expression, TIMEZONE)
    if hours is None:
        return []
    return opening_days(hours, TIMEZONE, first=first, wanted=wanted, within=LOOKAHEAD_DAYS)


def window_starts(place: PickupPlace, *, at: datetime, first: date | None = None) -> list[datetime]:
    """The starts of the place's windows still to come after `at`, over its next open days."""
    days = _days(place.opening_hours, first=first or local_today(at), wanted=OFFERED_DAYS + 1)
    return [begin for day in days for begin, _end in day.openings if begin > at]


def slot_starts(drive: DrivePoint, *, at: datetime, first: date | None = None) -> list[datetime]:
    """The drive point's slots after `at`: each opening cut in `slot_minutes` from its start (in UTC, so
    that a slot keeps its length across a change of time)."""
    length = timedelta(minutes=drive.slot_minutes)
    starts: list[datetime] = []
    for day in _days(drive.opening_hours, first=first or local_today(at), wanted=OFFERED_DAYS + 1):
        for begin, finish in day.openings:
            moment, end = begin.astimezone(UTC), finish.astimezone(UTC)
            while moment + length <= end:
                if moment > at:
                    starts.append(moment.astimezone(PARIS))
                moment += length
    return starts


def round_cutoff(delivery_round: DeliveryRound, day: date) -> datetime:
    """The last moment to order for the round of `day`, Paris time."""
    day_before = day - timedelta(days=delivery_round.cutoff_days_before)
    return datetime.combine(day_before, delivery_round.cutoff_time, tzinfo=PARIS)


def round_start(delivery_round: DeliveryRound, day: date) -> datetime:
    """When the round of `day` starts: the first time its hours of passage name, else the day's start."""
    found = _CLOCK.search(delivery_round.delivery_window)
    clock = time(0)
    if found and int(found.group(1)) < 24 and int(found.group(2)) < 60:
        clock = time(int(found.group(1)), int(found.group(2)))
    return datetime.combine(day, clock, tzinfo=PARIS)


def round_days(delivery_round: DeliveryRound, *, at: datetime, count: int = 4) -> list[date]:
    """The next `count` days of the round that can still be ordered for at `at`."""
    found: list[date] = []
    day = local_today(at)
    for _offset in range(LOOKAHEAD_DAYS):
        if day.isoweekday() in delivery_round.weekdays and at < round_cutoff(delivery_round, day):
            found.append(day)
            if len(found) == count:
                break
        day += timedelta(days=1)
    return found


def _when(moment: datetime) -> str:
    return formats.date_format(moment.astimezone(PARIS), "l j F, H:i")


def producer_places(producer: Enterprise) -> tuple[list[PickupPlace], list[DrivePoint], list[DeliveryRound]]:
    """The producer's active pickup places, drive points and rounds (three queries)."""
    return (
        list(producer.pickup_places.filter(is_active=True).order_by("pk")),
        list(producer.drive_points.filter(is_active=True).order_by("pk")),
        list(producer.delivery_rounds.filter(is_active=True).order_by("pk")),
    )


def hand_over_offers(producer: Enterprise, *, at: datetime) -> list[Offer]:
    """Every way the producer offers now, each labelled in French (full drive slots are left out)."""
    places, drives, rounds = producer_places(producer)
    offers: list[Offer] = []
    for place in places:
        for start in window_starts(place, at=at):
            label = _("%(place)s — %(when)s") % {"place": place.name, "when": _when(start)}
            offers.append(Offer(HandOverChoice(HandOver.FARM, place.pk, starts_at=start), label))
    for drive in drives:
        starts = slot_starts(drive, at=at)
        taken = _slots_taken(drive, starts)
        for start in starts:
            if taken.get(_utc(start), 0) < drive.capacity_per_slot:
                label = _("Drive %(place)s — %(when)s") % {"place": drive.name, "when": _when(start)}
                offers.append(Offer(HandOverChoice(HandOver.DRIVE, drive.pk, starts_at=start), label))
    for delivery_round in rounds:
        for day in round_days(delivery_round, at=at):
            label = _("Livraison « %(round)s » — %(day)s") % {
                "round": delivery_round.name,
                "day": formats.date_format(day, "l j F"),
            }
            offers.append(Offer(HandOverChoice(HandOver.ROUND, delivery_round.pk, day=day), label))
    return offers


def _drive_orders(drive: DrivePoint) -> QuerySet[WholesaleOrder]:
    return WholesaleOrder.objects.filter(drive_point=drive).exclude(status__in=NOT_HOLDING)


def _slots_taken(drive: DrivePoint, starts: list[datetime]) -> dict[datetime, int]:
    if not starts:
        return {}
    taken: dict[datetime, int] = {}
    for moment in _drive_orders(drive).filter(hand_over_at__in=starts).values_list("hand_over_at", flat=True):
        taken[_utc(moment)] = taken.get(_utc(moment), 0) + 1
    return taken


def drive_slot_taken(drive: DrivePoint, starts_at: datetime) -> int:
    """How many orders hold the slot starting at `starts_at`."""
    return _drive_orders(drive).filter(hand_over_at=starts_at).count()


@dataclass(frozen=True)
class Checked:
    """A hand-over checked for one producer: the order's field values."""

    fields: dict[str, object]


def check_hand_over(
    choice: HandOverChoice,
    *,
    producer: Enterprise,
    at: datetime,
    items_total: object,
    delivery_postcode: str = "",
    delivery_address: str = "",
    delivery_city: str = "",
) -> Checked:
    """Check the buyer's choice for this producer at `at`; ValidationError in French, naming the producer,
    when it is not (or no longer) offered. A drive point must be locked by the caller (its slot is counted
    here); a round's minimum is checked against `items_total` (excluding VAT)."""
    name = producer.name
    if choice.kind == HandOver.FARM:
        place = PickupPlace.objects.filter(pk=choice.place_id, enterprise=producer, is_active=True).first()
        if place is None:
            raise ValidationError(_("%(producer)s : ce lieu de retrait n'existe plus.") % {"producer": name})
        start = _utc(choice.starts_at)
        first = local_today(start) if start > at else local_today(at)
        if start <= at or start not in {_utc(s) for s in window_starts(place, at=at, first=first)}:
            raise ValidationError(
                _("%(producer)s : ce créneau de retrait n'est pas (ou plus) proposé.") % {"producer": name}
            )
        return Checked({"hand_over": HandOver.FARM, "pickup_place": place, "hand_over_at": start})
    if choice.kind == HandOver.DRIVE:
        drive = DrivePoint.objects.filter(pk=choice.place_id, is_active=True, producers=producer).first()
        if drive is None:
            raise ValidationError(_("%(producer)s ne livre pas ce drive.") % {"producer": name})
        start = _utc(choice.starts_at)
        first = local_today(start) if start > at else local_today(at)
        if start <= at or start not in {_utc(s) for s in slot_starts(drive, at=at, first=first)}:
            raise ValidationError(
                _("%(producer)s : ce créneau du drive n'est pas (ou plus) proposé.") % {"producer": name}
            )
        if drive_slot_taken(drive, start) >= drive.capacity_per_slot:
            raise ValidationError(
                _("Le créneau du drive %(drive)s à %(when)s est complet : choisissez-en un autre.")
                % {"drive": drive.name, "when": _when(start)},
                code="slot_full",
            )
        return Checked({"hand_over": HandOver.DRIVE, "drive_point": drive, "hand_over_at": start})
    if choice.kind == HandOver.ROUND:
        delivery_round = DeliveryRound.objects.filter(
            pk=choice.place_id, enterprise=producer, is_active=True
        ).first()
        if delivery_round is None or choice.day is None:
            raise ValidationError(_("%(producer)s : cette tournée n'existe plus.") % {"producer": name})
        day = choice.day
        if day.isoweekday() not in delivery_round.weekdays:
            raise ValidationError(
                _("La tournée « %(round)s » ne passe pas ce jour-là.") % {"round": delivery_round.name}
            )
        if at >= round_cutoff(delivery_round, day):
            raise ValidationError(
                _(
                    "Trop tard pour la tournée « %(round)s » du %(day)s : il fallait commander "
                    "avant le %(cutoff)s."
                )
                % {
                    "round": delivery_round.name,
                    "day": formats.date_format(day, "l j F"),
                    "cutoff": _when(round_cutoff(delivery_round, day)),
                },
                code="cutoff",
            )
        if delivery_postcode not in delivery_round.postcodes:
            raise ValidationError(
                _("La tournée « %(round)s » ne dessert pas le code postal « %(postcode)s ».")
                % {"round": delivery_round.name, "postcode": delivery_postcode or "—"},
                code="postcode",
            )
        if items_total < delivery_round.minimum_order:  # type: ignore[operator]
            raise ValidationError(
                _("La tournée « %(round)s » livre à partir de %(minimum)s € HT de commande.")
                % {
                    "round": delivery_round.name,
                    "minimum": formats.number_format(delivery_round.minimum_order, 2),
                },
                code="minimum",
            )
        return Checked(
            {
                "hand_over": HandOver.ROUND,
                "delivery_round": delivery_round,
                "hand_over_at": round_start(delivery_round, day).astimezone(UTC),
                "delivery_postcode": delivery_postcode,
                "delivery_address": delivery_address,
                "delivery_city": delivery_city,
            }
        )
    raise ValidationError(_("Choisissez comment recevoir la commande."), code="hand_over")
