"""Reads of the vouchers for pages: plain data. One section per audience."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from centreville.core.charts import Category, Chart, Series
from centreville.towns.models import Town

from .accounts import Accounts, Month, limited_network_figures, programme_accounts, programme_months
from .codes import code_read
from .invitations import INVITATION_ORIGIN
from .ledger import spendable
from .models import (
    Invitation,
    Movement,
    Participation,
    Programme,
    Statement,
    Voucher,
)
from .months import month_of, month_span, months_between, previous_month

# --- Town team's pages ---


def town_programmes(town: Town) -> list[Programme]:
    return list(Programme.objects.filter(town=town).order_by("-starts_on", "name"))


def town_programme(town: Town, programme_id: int) -> Programme | None:
    return Programme.objects.filter(town=town, pk=programme_id).first()


def masked_iban(iban: str) -> str:
    """An IBAN shown with its last four characters only: « •••• 0189 »."""
    return "•••• " + iban[-4:] if iban else ""


@dataclass(frozen=True)
class ShopTakingPart:
    participation: Participation
    masked_iban: str


def programme_participations(programme: Programme) -> list[ShopTakingPart]:
    rows = Participation.objects.filter(programme=programme).select_related("shop").order_by("shop__name")
    return [ShopTakingPart(row, masked_iban(row.iban)) for row in rows]


def programme_participation(programme: Programme, participation_id: int) -> Participation | None:
    return Participation.objects.filter(programme=programme, pk=participation_id).first()


@dataclass(frozen=True)
class InvitationCounts:
    total: int
    used: int

    @property
    def waiting(self) -> int:
        return self.total - self.used


def invitation_counts(programme: Programme) -> InvitationCounts:
    invitations = Invitation.objects.filter(programme=programme)
    return InvitationCounts(total=invitations.count(), used=invitations.filter(used_at__isnull=False).count())


def sheet_vouchers(programme: Programme, *, origin: str = "", invitations: bool = False) -> list[Voucher]:
    """The vouchers to print: those of one sale or batch (`origin`), or those given on invitation, still
    valid; in the order they were issued."""
    vouchers = Voucher.objects.filter(programme=programme, status="active").order_by("pk")
    if origin:
        vouchers = vouchers.filter(origin=origin)
    elif invitations:
        vouchers = vouchers.filter(origin__startswith=INVITATION_ORIGIN)
    return list(vouchers)


def town_voucher(town: Town, typed_code: str) -> Voucher | None:
    """The voucher of a programme of the town with that code, however typed; None when there is none."""
    code = code_read(typed_code)
    if code is None:
        return None
    return Voucher.objects.filter(code=code, programme__town=town).select_related("programme").first()


def voucher_history(voucher: Voucher) -> list[Movement]:
    return list(voucher.movements.select_related("shop", "by", "statement").order_by("at", "pk"))


def programme_statements(programme: Programme) -> list[Statement]:
    return list(
        Statement.objects.filter(programme=programme).select_related("shop").order_by("-month", "shop__name")
    )


def programme_statement(programme: Programme, statement_id: int) -> Statement | None:
    return Statement.objects.filter(programme=programme, pk=statement_id).select_related("programme").first()


def statements_of_months(programme: Programme, first: date, last: date) -> list[Statement]:
    """The statements of the months from `first` to `last`, for the treasury's export."""
    return list(
        Statement.objects.filter(programme=programme, month__gte=first.replace(day=1), month__lte=last)
        .select_related("shop")
        .order_by("month", "number")
    )


def _euros(cents: int) -> Decimal:
    return Decimal(cents) / 100


def months_chart(months: list[Month]) -> Chart:
    """The programme's monthly flows for the council: a table (and its CSV) drawn as bars."""
    return Chart(
        slug="mois",
        title=_("Flux mensuels de l'opération"),
        kind="bar",
        category_label=_("Mois"),
        categories=[
            Category(key=f"{row.month:%Y-%m}", label=formats.date_format(row.month, "F Y")) for row in months
        ],
        series=[
            Series(_("Émis"), [_euros(row.issued.total) for row in months], decimals=2),
            Series(_("dont part de la ville"), [_euros(row.issued.town) for row in months], 2, drawn=False),
            Series(_("Dépensé"), [_euros(row.spent.total) for row in months], decimals=2),
            Series(_("Expiré"), [_euros(row.expired.total) for row in months], decimals=2),
            Series(_("Annulé"), [_euros(row.cancelled.total) for row in months], decimals=2),
            Series(_("Remboursé aux commerces"), [_euros(row.reimbursed) for row in months], decimals=2),
        ],
        unit="€",
        note=_("Mois du calendrier, à l'heure de Paris."),
    )


@dataclass(frozen=True)
class YearFigures:
    year: int
    volume_cents: int
    outstanding_cents: int
    year_over: bool  # False: the outstanding total is today's, the year runs on


def limited_network_years(programmes: list[Programme], *, at: datetime) -> list[YearFigures]:
    """Each year since the first programme's start: the payments made with the vouchers and what they
    still held at the year's end (or now), as an operator of a limited-network instrument reports them."""
    if not programmes:
        return []
    first_year = min(programme.starts_on.year for programme in programmes)
    rows = []
    for year in range(first_year, month_of(at).year + 1):
        start, _end = month_span(date(year, 1, 1))
        year_end, _next = month_span(date(year + 1, 1, 1))
        end = min(year_end, at)
        volume, outstanding = limited_network_figures(programmes=programmes, start=start, end=end)
        rows.append(YearFigures(year, volume, outstanding, year_over=year_end <= at))
    return rows


@dataclass(frozen=True)
class AccountsPage:
    accounts: Accounts
    town_committed_cents: int  # the town's share issued, less what expired or was withdrawn
    budget_left_cents: int | None
    chart: Chart
    years: list[YearFigures]


def programme_accounts_page(programme: Programme, *, at: datetime) -> AccountsPage:
    """What the accounts page shows at `at`: the reconciliation, the town's share against its budget, the
    monthly flows since the programme's first month, the yearly limited-network figures."""
    accounts = programme_accounts(programme, at=at)
    committed = accounts.issued.town - accounts.expired.town - accounts.cancelled.town
    last_month = month_of(at)
    first_month = min(programme.starts_on.replace(day=1), last_month)
    months = programme_months(programme, months=months_between(first_month, last_month))
    return AccountsPage(
        accounts=accounts,
        town_committed_cents=committed,
        budget_left_cents=None if programme.budget_cents is None else programme.budget_cents - committed,
        chart=months_chart(months),
        years=limited_network_years([programme], at=at),
    )


def default_statement_month(at: datetime) -> date:
    """The last month that is over: the one whose statements are made now."""
    return previous_month(month_of(at))


def spendable_now(voucher: Voucher, *, at: datetime) -> tuple[int, int]:
    """What each pot of the voucher can still pay at `at` (paid, town)."""
    return spendable(voucher, at=at)
