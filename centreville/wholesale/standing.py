"""Standing orders: a buyer's weekly order to one producer, made each week a few days ahead.

The periodic task calls `standing_orders_generate(at=…)` every few minutes: for each standing order it
makes the order of each hand-over day that has come within reach (`LEAD_DAYS` before it, or before a
round's cut-off), once per standing order and day (`StandingOrderRun` is unique on both, checked under the
standing order's lock). When the order cannot be made (a lot sold out or gone, the producer no longer
selling, every slot full, a round's cut-off past) the run records why, and the buyer is told: never silent.
Lock order: the standing order, then what `checkout.place_orders` locks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.enterprises.models import Enterprise, PickupPlace
from centreville.lots.models import Lot
from centreville.shops.hours import WEEKDAY_NAMES, regular_week

from .checkout import Delivery, place_orders
from .handover import (
    PARIS,
    TIMEZONE,
    HandOverChoice,
    local_today,
    producer_places,
    slot_starts,
    window_starts,
)
from .models import (
    DeliveryRound,
    DrivePoint,
    HandOver,
    StandingOrder,
    StandingOrderLine,
    StandingOrderRun,
    WholesaleOrder,
)
from .services import category_prices, check_quantity, line_total
from .signals import standing_order_failed

# The week's order is made this many days before its hand-over…
LEAD_DAYS = 3
# …and at least one day before a round's cut-off.
CUTOFF_MARGIN_DAYS = 1


@dataclass(frozen=True)
class Outcome:
    run: StandingOrderRun
    created: bool


def _open_weekdays(opening_hours: str, *, around: date) -> set[int]:
    """The ISO weekdays a place's regular hours open on (public holidays left out)."""
    at = datetime.combine(around, time(12), tzinfo=PARIS)
    return {day.weekday + 1 for day in regular_week(opening_hours, TIMEZONE, at=at) if day.openings}


def _closed_that_day(place_name: str) -> ValidationError:
    return ValidationError(
        _("« %(place)s » n'ouvre pas ce jour de la semaine : choisissez un autre jour ou un autre lieu.")
        % {"place": place_name},
        code="weekday",
    )


def _check_place(
    *, producer: Enterprise, hand_over: str, place_id: int, weekday: int, starts_on: date | None = None
) -> dict[str, object]:
    """The place of the hand-over as the standing order's fields; ValidationError in French when the
    producer does not offer it, or (when `starts_on` is given) not on `weekday`."""
    if hand_over == HandOver.FARM:
        place = PickupPlace.objects.filter(pk=place_id, enterprise=producer, is_active=True).first()
        if place is not None:
            if starts_on is not None and weekday not in _open_weekdays(place.opening_hours, around=starts_on):
                raise _closed_that_day(place.name)
            return {"pickup_place": place}
    elif hand_over == HandOver.DRIVE:
        drive = DrivePoint.objects.filter(pk=place_id, producers=producer, is_active=True).first()
        if drive is not None:
            if starts_on is not None and weekday not in _open_weekdays(drive.opening_hours, around=starts_on):
                raise _closed_that_day(drive.name)
            return {"drive_point": drive}
    elif hand_over == HandOver.ROUND:
        delivery_round = DeliveryRound.objects.filter(
            pk=place_id, enterprise=producer, is_active=True
        ).first()
        if delivery_round is not None:
            if weekday not in delivery_round.weekdays:
                raise ValidationError(
                    _("La tournée « %(round)s » ne passe pas ce jour-là.") % {"round": delivery_round.name},
                    code="weekday",
                )
            return {"delivery_round": delivery_round}
    raise ValidationError(_("Choisissez un lieu de remise de ce producteur."), code="place")


def _checked_lines(
    *, producer: Enterprise, lines: Sequence[tuple[int, Decimal]]
) -> list[tuple[Lot, Decimal]]:
    """The lines as (lot, quantity), each lot the producer's and for sale, once, its quantity within its
    minimum and step; ValidationError in French otherwise."""
    if not lines:
        raise ValidationError(_("Ajoutez au moins un lot."), code="lines")
    lots = {
        lot.pk: lot
        for lot in Lot.objects.filter(pk__in=[lot_id for lot_id, _q in lines], enterprise=producer)
    }
    checked: list[tuple[Lot, Decimal]] = []
    seen: set[int] = set()
    for lot_id, quantity in lines:
        lot = lots.get(lot_id)
        if lot is None:
            raise ValidationError(_("Ce lot n'est pas de ce producteur."), code="lot")
        if lot_id in seen:
            raise ValidationError(
                _("« %(title)s » figure deux fois : indiquez-le une seule fois.") % {"title": lot.title},
                code="lot",
            )
        if not lot.is_published:
            raise ValidationError(_("« %(title)s » n'est plus en vente.") % {"title": lot.title}, code="lot")
        check_quantity(lot, quantity)
        seen.add(lot_id)
        checked.append((lot, quantity))
    return checked


def _check_round_serves(
    delivery_round: DeliveryRound, *, buyer: Enterprise, lines: list[tuple[Lot, Decimal]]
) -> None:
    """Refuse early, in French, a round that would refuse every week: the buyer's postcode not served or
    the lines under its minimum (each week's order checks them again, prices may change)."""
    postcode = Delivery.of(buyer).postcode
    if postcode not in delivery_round.postcodes:
        raise ValidationError(
            _("La tournée « %(round)s » ne dessert pas le code postal « %(postcode)s ».")
            % {"round": delivery_round.name, "postcode": postcode or "—"},
            code="postcode",
        )
    prices = category_prices([lot.pk for lot, _q in lines], buyer)
    total = sum(
        (
            line_total(lot, quantity, prices.get((lot.pk, buyer.buyer_category), lot.unit_price))
            for lot, quantity in lines
        ),
        Decimal("0.00"),
    )
    if total < delivery_round.minimum_order:
        raise ValidationError(
            _("La tournée « %(round)s » livre à partir de %(minimum)s € HT de commande.")
            % {
                "round": delivery_round.name,
                "minimum": formats.number_format(delivery_round.minimum_order, 2),
            },
            code="minimum",
        )


def _save_lines(standing: StandingOrder, lines: list[tuple[Lot, Decimal]]) -> None:
    for lot, quantity in lines:
        line = StandingOrderLine(standing_order=standing, lot=lot, quantity=quantity)
        line.full_clean()
        line.save()


@transaction.atomic
def standing_order_create(
    *,
    buyer: Enterprise,
    producer: Enterprise,
    weekday: int,
    hand_over: str,
    place_id: int,
    lines: Sequence[tuple[int, Decimal]],
    starts_on: date,
    created_by: User | None = None,
    today: date | None = None,
) -> StandingOrder:
    """A weekly order of these lots (primary key, quantity), all of the producer, handed over on `weekday`
    (1 = Monday) the way chosen, whose place must open that weekday; ValidationError in French, nothing
    written, when it cannot be. With `today`, the start may not be in the past."""
    if not buyer.is_buyer:
        raise ValidationError(_("Cette entreprise n'achète pas en professionnel."), code="buyer")
    if not (producer.is_active and producer.is_producer) or producer.pk == buyer.pk:
        raise ValidationError(_("Choisissez un producteur qui vend aux professionnels."), code="producer")
    if weekday not in range(1, 8):
        raise ValidationError(_("Choisissez le jour de la semaine."), code="weekday")
    if today is not None and starts_on < today:
        raise ValidationError(_("La date de début est passée."), code="starts_on")
    places = _check_place(
        producer=producer, hand_over=hand_over, place_id=place_id, weekday=weekday, starts_on=starts_on
    )
    checked = _checked_lines(producer=producer, lines=lines)
    delivery_round = places.get("delivery_round")
    if isinstance(delivery_round, DeliveryRound):
        _check_round_serves(delivery_round, buyer=buyer, lines=checked)
    standing = StandingOrder(
        buyer=buyer,
        producer=producer,
        created_by=created_by,
        weekday=weekday,
        hand_over=hand_over,
        starts_on=starts_on,
        **places,
    )
    standing.full_clean()
    standing.save()
    _save_lines(standing, checked)
    return standing


@transaction.atomic
def standing_order_change_lines(
    *, standing_order: StandingOrder, lines: Sequence[tuple[int, Decimal]]
) -> None:
    """Replace the lots and quantities of the weeks still to be made (those made keep theirs), with the same
    checks as at creation; nothing changes on a refusal."""
    locked = (
        StandingOrder.objects.select_for_update(of=("self",))
        .select_related("buyer", "producer", "delivery_round")
        .get(pk=standing_order.pk)
    )
    if not locked.is_active:
        raise ValidationError(_("Cette commande régulière est arrêtée."), code="ended")
    checked = _checked_lines(producer=locked.producer, lines=lines)
    if locked.hand_over == HandOver.ROUND and locked.delivery_round is not None:
        _check_round_serves(locked.delivery_round, buyer=locked.buyer, lines=checked)
    locked.lines.all().delete()
    _save_lines(locked, checked)
    locked.save(update_fields=["updated_at"])


@transaction.atomic
def standing_order_pause(
    *, standing_order: StandingOrder, paused_from: date, paused_until: date | None
) -> None:
    """Skip the weeks from `paused_from` to `paused_until` (included; open-ended when None)."""
    if paused_until is not None and paused_until < paused_from:
        raise ValidationError(_("La fin de la pause précède son début."), code="pause")
    locked = StandingOrder.objects.select_for_update().get(pk=standing_order.pk)
    locked.paused_from, locked.paused_until = paused_from, paused_until
    locked.full_clean()
    locked.save(update_fields=["paused_from", "paused_until", "updated_at"])


@transaction.atomic
def standing_order_resume(*, standing_order: StandingOrder) -> None:
    StandingOrder.objects.filter(pk=standing_order.pk).update(paused_from=None, paused_until=None)


@transaction.atomic
def standing_order_end(*, standing_order: StandingOrder, today: date) -> None:
    """No more weeks after today."""
    locked = StandingOrder.objects.select_for_update().get(pk=standing_order.pk)
    locked.ends_on = today
    locked.is_active = False
    locked.save(update_fields=["ends_on", "is_active", "updated_at"])


def _lead_days(standing: StandingOrder) -> int:
    if standing.hand_over == HandOver.ROUND and standing.delivery_round is not None:
        return max(LEAD_DAYS, standing.delivery_round.cutoff_days_before + CUTOFF_MARGIN_DAYS)
    return LEAD_DAYS


def is_due(standing: StandingOrder, day: date) -> bool:
    """Whether the standing order hands over on `day` (its weekday, started, not ended nor paused)."""
    if not standing.is_active or day.isoweekday() != standing.weekday or day < standing.starts_on:
        return False
    if standing.ends_on is not None and day > standing.ends_on:
        return False
    paused = standing.paused_from is not None and standing.paused_from <= day
    return not (paused and (standing.paused_until is None or day <= standing.paused_until))


def due_days(standing: StandingOrder, *, at: datetime) -> list[date]:
    """The hand-over days whose order is to be made at `at` (from tomorrow, within the lead time)."""
    today = local_today(at)
    return [
        today + timedelta(days=offset)
        for offset in range(1, _lead_days(standing) + 1)
        if is_due(standing, today + timedelta(days=offset))
    ]


def next_days(standing: StandingOrder, *, at: datetime, count: int = 4) -> list[date]:
    """The next `count` hand-over days ahead (from tomorrow), paused weeks left out."""
    found: list[date] = []
    day = local_today(at) + timedelta(days=1)
    for _week in range(count * 7 + 7 * 26):
        if is_due(standing, day):
            found.append(day)
            if len(found) == count:
                break
        day += timedelta(days=1)
    return found


@dataclass(frozen=True)
class Upcoming:
    """A hand-over day ahead and the day its order will be made (the buyer sees both)."""

    day: date
    ordered_on: date


def upcoming(standing: StandingOrder, *, at: datetime, count: int = 4) -> list[Upcoming]:
    """The next `count` hand-over days (paused weeks left out), each with the day its order is made."""
    today = local_today(at)
    lead = timedelta(days=_lead_days(standing))
    return [Upcoming(day, max(day - lead, today)) for day in next_days(standing, at=at, count=count)]


def standing_orders_generate(*, at: datetime) -> int:
    """Make the orders due at `at` for every active standing order; returns how many runs were recorded
    (orders made or failures)."""
    recorded = 0
    standing_orders = (
        StandingOrder.objects.filter(is_active=True).select_related("delivery_round").order_by("pk")
    )
    for standing in standing_orders:
        for day in due_days(standing, at=at):
            recorded += standing_order_run(standing_order=standing, day=day, at=at).created
    return recorded


def standing_order_run(*, standing_order: StandingOrder, day: date, at: datetime) -> Outcome:
    """Make the order of `day`, once: a second call finds the run and returns it."""
    with transaction.atomic():
        standing = (
            StandingOrder.objects.select_for_update(of=("self",))
            .select_related(
                "buyer", "producer", "created_by", "pickup_place", "drive_point", "delivery_round"
            )
            .get(pk=standing_order.pk)
        )
        existing = StandingOrderRun.objects.filter(standing_order=standing, hand_over_on=day).first()
        if existing is not None:
            return Outcome(existing, created=False)
        run = StandingOrderRun(standing_order=standing, hand_over_on=day)
        try:
            with transaction.atomic():
                run.order = _place(standing, day, at)
        except ValidationError as problem:
            run.failure = " ".join(problem.messages)[:500]
        run.full_clean()
        run.save()
        if run.failure:
            transaction.on_commit(lambda: standing_order_failed.send(sender=StandingOrderRun, run=run, at=at))
    return Outcome(run, created=True)


def _place(standing: StandingOrder, day: date, at: datetime) -> WholesaleOrder:
    wanted = [(line.lot_id, line.quantity) for line in standing.lines.order_by("lot_id")]
    if not wanted:
        raise ValidationError(_("Plus aucun lot de cette commande n'est en vente."), code="lot")
    if not (standing.producer.is_active and standing.producer.is_producer):
        raise ValidationError(
            _("%(producer)s ne prend plus de commandes.") % {"producer": standing.producer.name},
            code="producer",
        )
    for choice in _choices(standing, day, at):
        try:
            with transaction.atomic():
                return place_orders(
                    buyer=standing.buyer,
                    wanted=wanted,
                    choices={standing.producer_id: choice},
                    at=at,
                    placed_by=standing.created_by,
                    delivery=Delivery.of(standing.buyer),
                    standing_order=standing,
                )[0]
        except ValidationError as problem:
            if problem.code != "slot_full":
                raise
    if standing.hand_over == HandOver.DRIVE:
        raise ValidationError(_("Tous les créneaux du drive sont complets ce jour-là."), code="slot_full")
    raise ValidationError(_("Le lieu de remise n'ouvre pas ce jour-là."), code="closed")


def _choices(standing: StandingOrder, day: date, at: datetime) -> list[HandOverChoice]:
    """The hand-overs to try for `day`, first one first."""
    if standing.hand_over == HandOver.ROUND and standing.delivery_round is not None:
        return [HandOverChoice(HandOver.ROUND, standing.delivery_round.pk, day=day)]
    if standing.hand_over == HandOver.FARM and standing.pickup_place is not None:
        starts = window_starts(standing.pickup_place, at=at, first=day)
        kind, place_id = HandOver.FARM, standing.pickup_place.pk
    elif standing.hand_over == HandOver.DRIVE and standing.drive_point is not None:
        starts = slot_starts(standing.drive_point, at=at, first=day)
        kind, place_id = HandOver.DRIVE, standing.drive_point.pk
    else:
        return []
    return [HandOverChoice(kind, place_id, starts_at=start) for start in starts if start.date() == day]


def standing_order_from_order(
    *, order: WholesaleOrder, created_by: User | None, at: datetime
) -> StandingOrder:
    """Repeat an order every week: its lots and quantities, on its hand-over's weekday and place, from the
    week after it."""
    place_id = order.pickup_place_id or order.drive_point_id or order.delivery_round_id
    lines = [(line.lot_id, line.quantity) for line in order.lines.exclude(lot=None).order_by("lot_id")]
    if place_id is None or not lines:
        raise ValidationError(_("Cette commande ne peut pas être répétée."), code="repeat")
    hand_over_day = order.hand_over_at.astimezone(PARIS).date()
    return standing_order_create(
        buyer=order.buyer,
        producer=order.producer,
        weekday=hand_over_day.isoweekday(),
        hand_over=order.hand_over,
        place_id=place_id,
        lines=[(lot_id, quantity) for lot_id, quantity in lines if lot_id is not None],
        starts_on=max(hand_over_day, local_today(at)) + timedelta(days=1),
        created_by=created_by,
    )


# --- What the buyer chooses from, on the form --------------------------------------------------------------


def standing_order_producers(buyer: Enterprise) -> list[Enterprise]:
    """The active producers with a lot for sale, by name, the buyer itself left out."""
    return list(
        Enterprise.objects.filter(is_active=True, is_producer=True, lots__is_published=True)
        .exclude(pk=buyer.pk)
        .distinct()
        .order_by("name", "pk")
    )


def standing_order_lots(producer: Enterprise, *, keep: Sequence[int] = ()) -> list[Lot]:
    """The producer's lots for sale by title, and the lots `keep` names even if withdrawn (an existing
    standing order's, so the buyer sees them)."""
    return list(
        Lot.objects.filter(enterprise=producer)
        .filter(models.Q(is_published=True) | models.Q(pk__in=list(keep)))
        .order_by("title", "pk")
    )


@dataclass(frozen=True)
class HandOverPlace:
    """A way the producer hands over, as a form's option: `value` is « kind|primary key »."""

    value: str
    label: str
    weekdays: tuple[int, ...]  # ISO weekdays it opens (runs, for a round)


def _weekday_names(weekdays: Sequence[int]) -> str:
    return ", ".join(str(WEEKDAY_NAMES[weekday - 1]) for weekday in sorted(weekdays))


def hand_over_places(producer: Enterprise, *, today: date) -> list[HandOverPlace]:
    """The producer's pickup places, drive points and rounds, each with the weekdays it works, in French."""
    places, drives, rounds = producer_places(producer)
    found: list[HandOverPlace] = []
    for kind, name_format, items in (
        (HandOver.FARM, _("Retrait « %(place)s »"), places),
        (HandOver.DRIVE, _("Drive « %(place)s »"), drives),
    ):
        for item in items:
            weekdays = tuple(sorted(_open_weekdays(item.opening_hours, around=today)))
            found.append(_place_option(kind, item.pk, name_format % {"place": item.name}, weekdays))
    for delivery_round in rounds:
        weekdays = tuple(sorted(day for day in delivery_round.weekdays if day in range(1, 8)))
        name = _("Livraison « %(round)s »") % {"round": delivery_round.name}
        found.append(_place_option(HandOver.ROUND, delivery_round.pk, name, weekdays))
    return found


def _place_option(kind: str, pk: int, name: str, weekdays: tuple[int, ...]) -> HandOverPlace:
    days = _weekday_names(weekdays) if weekdays else _("aucun jour")
    return HandOverPlace(f"{kind}|{pk}", f"{name} — {days}", weekdays)


def parse_place(value: str) -> tuple[str, int]:
    """The (kind, primary key) a « kind|primary key » option names; ValidationError in French otherwise."""
    kind, _sep, pk = value.partition("|")
    if kind in HandOver.values and pk.isdigit():
        return kind, int(pk)
    raise ValidationError(_("Choisissez un lieu de remise de ce producteur."), code="place")
