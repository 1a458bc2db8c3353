"""Orders nobody acted on in time: expired (their stock goes back on sale); the notifications app reminds
whom they wait for beforehand (`centreville.notifications.reminders`).

The town sets the delays (TownOrderSettings; the model's defaults when it has set none): a placed order
must be accepted within `accept_within_hours`; an order must be collected within `collect_within_days`
of becoming ready (or of its acceptance, while it is not ready yet); a relay-point order, ready once
prepared in the shop, is to be collected within that delay of being dropped at the relay point. Expiry
is safe to run again at any time: an expired order is no longer due.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import ngettext

from centreville.fulfilment.models import FulfilmentMethod, TownOrderSettings

from .models import Order, OrderEvent, OrderStatus
from .services import order_transition
from .transitions import WAITING_STATUSES

logger = logging.getLogger(__name__)


def orders_expire_overdue(*, now: datetime | None = None) -> int:
    """Expire every order whose delay is over, each in its own transaction; returns how many expired.

    An order that changed since it was found overdue (accepted, collected...) is left alone.
    """
    now = now or timezone.now()
    expired = 0
    for town_id, (accept, collect) in delays_of_towns_with(WAITING_STATUSES).items():
        overdue = (
            Order.objects.filter(town_id=town_id, status__in=WAITING_STATUSES)
            .annotate(since=since_current_status())
            .filter(
                Q(status=OrderStatus.PLACED, since__lte=now - accept)
                & (Q(accept_from__isnull=True) | Q(accept_from__lte=now - accept))
                | Q(
                    status__in=[OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.DROPPED],
                    since__lte=now - collect,
                )
            )
            .order_by("pk")
            .values_list("pk", "status", "fulfilment")
        )
        for order_id, status, fulfilment in overdue:
            reason = _expiry_reason(status, fulfilment, accept=accept, collect=collect)
            if _expire(order_id, status, reason=reason, now=now):
                expired += 1
    return expired


def _expire(order_id: int, status: str, *, reason: str, now: datetime | None = None) -> bool:
    try:
        with transaction.atomic():
            order = Order.objects.select_for_update().filter(pk=order_id).first()
            if order is None or order.status != status:
                return False  # someone acted on it meanwhile
            order_transition(order=order, to_status=OrderStatus.EXPIRED, actor=None, reason=reason, at=now)
    except Exception:
        # One order that cannot expire (a refund that fails...) must not hold back all the others.
        logger.exception("Order %s could not expire", order_id)
        return False
    return True


def _expiry_reason(status: str, fulfilment: str, *, accept: timedelta, collect: timedelta) -> str:
    """Why the order expired, in the platform's language: it is kept with the order and shown as is."""
    hours, days = int(accept / timedelta(hours=1)), collect.days
    with translation.override(settings.LANGUAGE_CODE):
        if status == OrderStatus.PLACED:
            return ngettext(
                "Le commerce n'a pas confirmé la commande dans l'heure.",
                "Le commerce n'a pas confirmé la commande dans les %(count)s heures.",
                hours,
            ) % {"count": hours}
        if status == OrderStatus.ACCEPTED:
            return ngettext(
                "La commande acceptée n'a pas été retirée dans la journée.",
                "La commande acceptée n'a pas été retirée dans les %(count)s jours.",
                days,
            ) % {"count": days}
        if status == OrderStatus.READY and fulfilment == FulfilmentMethod.RELAY:
            return ngettext(
                "La commande n'a pas été déposée au point relais dans la journée.",
                "La commande n'a pas été déposée au point relais dans les %(count)s jours.",
                days,
            ) % {"count": days}
        return ngettext(
            "La commande n'a pas été retirée dans la journée.",
            "La commande n'a pas été retirée dans les %(count)s jours.",
            days,
        ) % {"count": days}


def since_current_status() -> Coalesce:
    """When an order reached its current status: the time of that recorded step."""
    reached = OrderEvent.objects.filter(order=OuterRef("pk"), to_status=OuterRef("status")).order_by(
        "-created_at", "-pk"
    )
    return Coalesce(Subquery(reached.values("created_at")[:1]), "created_at")


def delays_of_towns_with(statuses: Iterable[str]) -> dict[int, tuple[timedelta, timedelta]]:
    """For each town having orders in these statuses: the delay to accept one, and to collect one."""
    town_ids = set(
        Order.objects.filter(status__in=statuses).order_by().values_list("town_id", flat=True).distinct()
    )
    rules = {row.town_id: row for row in TownOrderSettings.objects.filter(town_id__in=town_ids)}
    default = TownOrderSettings()
    return {
        town_id: (
            timedelta(hours=rules.get(town_id, default).accept_within_hours),
            timedelta(days=rules.get(town_id, default).collect_within_days),
        )
        for town_id in sorted(town_ids)
    }
