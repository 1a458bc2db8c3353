"""Whether a shop takes orders now: the one rule read by the showcase, the basket, the checkout, the API
and the pickup slots.

A shop takes orders when it is published, its merchant switched ordering on (Click & Collect or local
delivery), and someone can handle them: at least one member whose account is active and confirmed. During
an exceptional closure it takes none, unless the merchant chose to take orders to be collected after it
reopens. Otherwise nobody would ever be told of an order ("Envoyée au commerçant", and no one reads it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q
from django.utils import formats
from django.utils.translation import gettext as _

from .hours import midnight
from .models import Shop, ShopClosure, ShopMembership, ShopStatus


@dataclass(frozen=True)
class OrderTaking:
    """What the customer is told about ordering from a shop, at a given moment."""

    takes_orders: bool
    # Why not, or what to know, in French: "Congés annuels jusqu'au 10 décembre : …". Empty when nothing.
    notice: str = ""
    # During a closure that takes orders: the first day they can be collected.
    ready_from: date | None = None
    # When this may change (a closure starting or ending); None: not because of the calendar.
    valid_until: datetime | None = None
    # No one runs the shop or it did not switch ordering on: show how to reach it instead.
    contact_instead: bool = False


def handled_by_someone(shop: str = "pk") -> Exists:
    """A member of the shop (the outer query's `shop` field) whose account can sign in and receive the
    order's messages."""
    confirmed = EmailAddress.objects.filter(user=OuterRef("user"), verified=True)
    return Exists(
        ShopMembership.objects.filter(shop=OuterRef(shop), user__is_active=True).filter(Exists(confirmed))
    )


def _closure_notice(closure: ShopClosure, reopens: date) -> str:
    values = {
        "label": closure.label or _("Fermeture exceptionnelle"),
        "end": formats.date_format(closure.end_date, "j F"),
        "reopens": formats.date_format(reopens, "l j F"),
    }
    if closure.takes_orders:
        return (
            _("%(label)s jusqu'au %(end)s : vous pouvez commander, retrait à partir du %(reopens)s.") % values
        )
    return _("%(label)s jusqu'au %(end)s : les commandes reprennent le %(reopens)s.") % values


def order_taking(shop: Shop, *, handled: bool, closures: Iterable[ShopClosure], at: datetime) -> OrderTaking:
    """Whether the shop takes orders at `at`, knowing whether someone handles them (`handled_by_someone`)
    and its closures not over yet; the shop's town must be loaded."""
    if shop.status != ShopStatus.PUBLISHED:
        return OrderTaking(False, _("Ce commerce ne prend pas de commande en ce moment."))
    if not (shop.offers_click_collect or shop.offers_delivery) or not handled:
        return OrderTaking(
            False,
            _("Ce commerce ne prend pas de commande en ligne : passez le voir ou contactez-le."),
            contact_instead=True,
        )
    tz = ZoneInfo(shop.town.timezone)
    today = at.astimezone(tz).date()
    closures = list(closures)
    current = next((c for c in closures if c.start_date <= today <= c.end_date), None)
    if current is None:
        coming = [c.start_date for c in closures if c.start_date > today]
        return OrderTaking(True, valid_until=midnight(min(coming), tz) if coming else None)
    # Back-to-back closures reopen after the last of them.
    reopens = current.end_date + timedelta(days=1)
    for closure in sorted(closures, key=lambda c: c.start_date):
        if closure.start_date <= reopens <= closure.end_date + timedelta(days=1):
            reopens = max(reopens, closure.end_date + timedelta(days=1))
    return OrderTaking(
        current.takes_orders,
        _closure_notice(current, reopens),
        ready_from=reopens if current.takes_orders else None,
        valid_until=midnight(current.end_date + timedelta(days=1), tz),
    )


def shops_order_taking(shops: Iterable[Shop], *, at: datetime) -> dict[int, OrderTaking]:
    """`shop_order_taking` of several shops, in two queries whatever their number (one when their
    `upcoming_closures_prefetch` is loaded); each shop's town must be loaded (its time zone says which day
    it is)."""
    shops = list(shops)
    if not shops:
        return {}
    ids = [shop.pk for shop in shops]
    handled = set(Shop.objects.filter(pk__in=ids).filter(handled_by_someone()).values_list("pk", flat=True))
    closures: dict[int, list[ShopClosure]] = {}
    prefetched = {shop.pk: getattr(shop, "upcoming_closures", None) for shop in shops}
    if all(each is not None for each in prefetched.values()):
        closures = {pk: list(each) for pk, each in prefetched.items() if each is not None}
    else:  # the same closures: not over, a day of margin for the towns' time zones
        for closure in ShopClosure.objects.filter(
            Q(shop_id__in=ids), end_date__gte=at.date() - timedelta(days=1)
        ).order_by("start_date", "pk"):
            closures.setdefault(closure.shop_id, []).append(closure)
    return {
        shop.pk: order_taking(shop, handled=shop.pk in handled, closures=closures.get(shop.pk, []), at=at)
        for shop in shops
    }


def shop_order_taking(shop: Shop, *, at: datetime) -> OrderTaking:
    """Whether the shop takes orders at `at`, and what to tell the customer about it."""
    return shops_order_taking([shop], at=at)[shop.pk]
