"""Where a town's vouchers are spent, for the observatory: by day, by shop, how much of what was issued,
and how many different shops each voucher took its holder to. Spends are net of the spends given back, in
cents, counted at the town's shops whichever programme (the town's or its territory's) issued them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from centreville.towns.models import Town

from .models import Movement, MovementKind, Programme

_SPENDS = [MovementKind.SPEND, MovementKind.SPEND_REFUND]


def town_programmes(town: Town) -> QuerySet[Programme]:
    """The programmes whose vouchers the town's residents hold: its own and its territory's."""
    mine = Q(town=town)
    if town.territory_id is not None:
        mine |= Q(territory_id=town.territory_id)
    return Programme.objects.filter(mine)


def _spends(town: Town, start: datetime, end: datetime) -> QuerySet[Movement]:
    return Movement.objects.filter(kind__in=_SPENDS, shop__town=town, at__gte=start, at__lt=end)


def spends_by_day(town: Town, *, start: datetime, end: datetime) -> dict[date, int]:
    """Net spends by day on the town's clock."""
    rows = (
        _spends(town, start, end)
        .annotate(day=TruncDate("at", tzinfo=ZoneInfo(town.timezone)))
        .values("day")
        .annotate(total=Sum("paid_cents") + Sum("town_cents"))
    )
    return {row["day"]: -row["total"] for row in rows}


def spends_by_shop(town: Town, *, start: datetime, end: datetime) -> dict[int, int]:
    """Net spends by shop."""
    rows = _spends(town, start, end).values("shop_id").annotate(total=Sum("paid_cents") + Sum("town_cents"))
    return {row["shop_id"]: -row["total"] for row in rows if row["total"]}


def shops_per_voucher(town: Town, *, start: datetime, end: datetime) -> Decimal | None:
    """How many different shops, on average, each voucher used in the period was spent at."""
    rows = (
        _spends(town, start, end)
        .filter(kind=MovementKind.SPEND)
        .values("voucher_id")
        .annotate(shops=Count("shop_id", distinct=True))
    )
    counts = [row["shops"] for row in rows]
    return round(Decimal(sum(counts)) / len(counts), 1) if counts else None


def shops_discovered(town: Town, *, start: datetime, end: datetime) -> int:
    """Shops a voucher holder (a person, household or company, across their vouchers) spent at for the first
    time in the period: the new shops the vouchers took people to."""
    firsts = (
        Movement.objects.filter(kind=MovementKind.SPEND, shop__town=town, at__lt=end)
        .values("voucher__beneficiary_key", "shop_id")
        .annotate(first=Min("at"))
        .filter(first__gte=start)
    )
    return firsts.count()


def issued_and_spent(town: Town, *, until: datetime) -> tuple[int, int]:
    """What the town's programmes issued up to `until`, and how much of it was spent (net)."""
    movements = Movement.objects.filter(programme__in=town_programmes(town), at__lt=until)
    totals = movements.aggregate(
        issued=Sum("paid_cents", filter=Q(kind=MovementKind.ISSUE))
        + Sum("town_cents", filter=Q(kind=MovementKind.ISSUE)),
        spent=Sum("paid_cents", filter=Q(kind__in=_SPENDS)) + Sum("town_cents", filter=Q(kind__in=_SPENDS)),
    )
    return totals["issued"] or 0, -(totals["spent"] or 0)
