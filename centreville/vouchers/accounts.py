"""A programme's accounts at any date, read from the ledger, and the checks that they close.

Every euro issued is, at any date, spent, still on a voucher, expired or withdrawn (a voucher cancelled,
its buyer refunded): `issued = spent + outstanding + expired + cancelled`. The ledger's sums give the
left side and three of the right; `outstanding` is read separately from each voucher's last balance at
that date (the balances each movement left) and, at the present, from the vouchers' own balances: the
imbalance is the difference, and must be zero to the cent. The spent amount is also split between the
merchants' statements (due, paid) and what no statement holds yet: those must add up too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max, Q, QuerySet, Sum

from .models import Movement, MovementKind, Programme, Statement, StatementStatus, Voucher


@dataclass(frozen=True)
class Shares:
    """An amount split into what buyers paid and what the town added, in cents."""

    paid: int = 0
    town: int = 0

    @property
    def total(self) -> int:
        return self.paid + self.town


def _sum(movements: QuerySet[Movement], **filters: object) -> Shares:
    totals = movements.filter(**filters).aggregate(paid=Sum("paid_cents"), town=Sum("town_cents"))
    return Shares(abs(totals["paid"] or 0), abs(totals["town"] or 0))


@dataclass(frozen=True)
class Accounts:
    at: datetime
    issued: Shares
    spent: Shares  # spends less the spends given back
    expired: Shares
    cancelled: Shares
    outstanding: Shares  # from each voucher's last balance
    statements_due: int
    statements_paid: int
    not_yet_stated: int
    vouchers: int
    problems: list[str] = field(default_factory=list)

    @property
    def imbalance_cents(self) -> int:
        return self.issued.total - (
            self.spent.total + self.outstanding.total + self.expired.total + self.cancelled.total
        )

    @property
    def balances(self) -> bool:
        return self.imbalance_cents == 0 and not self.problems


def programme_accounts(programme: Programme, *, at: datetime) -> Accounts:
    """The programme's figures as they stood at `at` (movements dated up to it)."""
    movements = Movement.objects.filter(programme=programme, at__lte=at)
    issued = _sum(movements, kind=MovementKind.ISSUE)
    spends = movements.filter(kind__in=[MovementKind.SPEND, MovementKind.SPEND_REFUND]).aggregate(
        paid=Sum("paid_cents"), town=Sum("town_cents")
    )
    spent = Shares(-(spends["paid"] or 0), -(spends["town"] or 0))
    expired = _sum(movements, kind=MovementKind.EXPIRY)
    cancelled = _sum(movements, kind=MovementKind.CANCELLATION)
    last_ids = movements.values("voucher_id").annotate(last=Max("pk")).values("last")
    last = Movement.objects.filter(pk__in=last_ids).aggregate(
        paid=Sum("paid_balance_after"), town=Sum("town_balance_after"), vouchers=Count("pk")
    )
    outstanding = Shares(last["paid"] or 0, last["town"] or 0)
    problems: list[str] = []
    if not Movement.objects.filter(programme=programme, at__gt=at).exists():
        now = Voucher.objects.filter(programme=programme).aggregate(
            paid=Sum("paid_balance_cents"), town=Sum("town_balance_cents")
        )
        if (now["paid"] or 0, now["town"] or 0) != (outstanding.paid, outstanding.town):
            problems.append("vouchers' balances differ from the ledger's")
    statements = Statement.objects.filter(programme=programme, made_at__lte=at)
    paid_statements = statements.filter(status=StatementStatus.PAID, paid_at__lte=at)
    statements_paid = paid_statements.aggregate(total=Sum("amount_cents"))["total"] or 0
    statements_due = (statements.aggregate(total=Sum("amount_cents"))["total"] or 0) - statements_paid
    stated = movements.filter(statement__in=statements).aggregate(total=Sum("paid_cents") + Sum("town_cents"))
    not_yet_stated = spent.total + (stated["total"] or 0)
    if -(stated["total"] or 0) != statements_due + statements_paid:
        problems.append("statements differ from the spends they hold")
    return Accounts(
        at=at,
        issued=issued,
        spent=spent,
        expired=expired,
        cancelled=cancelled,
        outstanding=outstanding,
        statements_due=statements_due,
        statements_paid=statements_paid,
        not_yet_stated=not_yet_stated,
        vouchers=last["vouchers"] or 0,
        problems=problems,
    )


@dataclass(frozen=True)
class Month:
    month: date
    issued: Shares
    spent: Shares
    expired: Shares
    cancelled: Shares
    reimbursed: int


def programme_months(programme: Programme, *, months: list[tuple[date, datetime, datetime]]) -> list[Month]:
    """Each month's flows, for the council: `months` are (first day, start, end) on the town's clock."""
    rows = []
    for first_day, start, end in months:
        movements = Movement.objects.filter(programme=programme, at__gte=start, at__lt=end)
        spends = movements.filter(kind__in=[MovementKind.SPEND, MovementKind.SPEND_REFUND]).aggregate(
            paid=Sum("paid_cents"), town=Sum("town_cents")
        )
        reimbursed = Statement.objects.filter(
            programme=programme, status=StatementStatus.PAID, paid_at__gte=start, paid_at__lt=end
        ).aggregate(total=Sum("amount_cents"))["total"]
        rows.append(
            Month(
                month=first_day,
                issued=_sum(movements, kind=MovementKind.ISSUE),
                spent=Shares(-(spends["paid"] or 0), -(spends["town"] or 0)),
                expired=_sum(movements, kind=MovementKind.EXPIRY),
                cancelled=_sum(movements, kind=MovementKind.CANCELLATION),
                reimbursed=reimbursed or 0,
            )
        )
    return rows


def limited_network_figures(
    *, programmes: list[Programme], start: datetime, end: datetime
) -> tuple[int, int]:
    """What the operator of a limited-network payment instrument reports for a year: the volume of payments
    made with it (spends less those given back) and the outstanding total at the year's end, in cents."""
    movements = Movement.objects.filter(programme__in=programmes)
    volume = movements.filter(
        Q(kind=MovementKind.SPEND) | Q(kind=MovementKind.SPEND_REFUND), at__gte=start, at__lt=end
    ).aggregate(total=Sum("paid_cents") + Sum("town_cents"))["total"]
    outstanding = movements.filter(at__lt=end).aggregate(total=Sum("paid_cents") + Sum("town_cents"))["total"]
    return -(volume or 0), outstanding or 0
