"""Reads of the vouchers for pages: plain data. One section per audience."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import formats
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.core.charts import Category, Chart, Series
from centreville.shops.models import Shop
from centreville.towns.models import Town

from . import ledger
from .accounts import Accounts, Month, limited_network_figures, programme_accounts, programme_months
from .codes import code_read
from .invitations import INVITATION_ORIGIN
from .ledger import VoucherRefused, spendable
from .models import (
    Invitation,
    Movement,
    MovementKind,
    Participation,
    Programme,
    ProgrammeStatus,
    Statement,
    Voucher,
)
from .months import month_of, month_span, months_between, previous_month

# --- Merchant's pages ---

_COUNTED = (MovementKind.SPEND, MovementKind.SPEND_REFUND)


def merchant_shops(town: Town, user: User) -> list[Shop]:
    """The shops of the town this person runs."""
    return list(Shop.objects.filter(town=town, memberships__user=user).order_by("name", "pk"))


def shop_day_bounds(shop: Shop, day: date) -> tuple[datetime, datetime]:
    """The start and end of a day on the shop's town's clock."""
    zone = ZoneInfo(shop.town.timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def shop_local_day(shop: Shop, at: datetime) -> date:
    return at.astimezone(ZoneInfo(shop.town.timezone)).date()


def counter_mark() -> int:
    """The newest movement's id when the counter's form is shown: a spend of its voucher made after it, by the
    same person, of the same amount, is that form's (sent twice: `counter.counter_spend`)."""
    return Movement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@dataclass(frozen=True)
class CounterSpend:
    """A spend at the counter as the merchant and the customer see it."""

    movement: Movement
    remaining_cents: int  # what the customer could still spend just after it
    valid_until: date | None  # the last day of the latest pot still holding money
    given_back_cents: int
    can_give_back: bool

    @property
    def amount_cents(self) -> int:
        return -self.movement.amount_cents

    @property
    def code_end(self) -> str:
        return self.movement.voucher.code[-4:]


def _counter_spend(movement: Movement, given_back: int, *, today: date, zone: ZoneInfo) -> CounterSpend:
    voucher = movement.voucher
    pots = [
        (movement.paid_balance_after, voucher.paid_expires_at),
        (movement.town_balance_after, voucher.town_expires_at),
    ]
    live = [(amount, ends) for amount, ends in pots if amount and movement.at < ends]
    valid_until = (
        (max(ends for _amount, ends in live) - timedelta(days=1)).astimezone(zone).date() if live else None
    )
    amount = -movement.amount_cents
    return CounterSpend(
        movement=movement,
        remaining_cents=sum(amount for amount, _ends in live),
        valid_until=valid_until,
        given_back_cents=given_back,
        can_give_back=given_back < amount
        and movement.statement_id is None
        and movement.at.astimezone(zone).date() == today,
    )


def _spends(shop: Shop) -> QuerySet[Movement]:
    return (
        Movement.objects.filter(shop=shop, kind=MovementKind.SPEND)
        .select_related("voucher", "programme")
        .annotate(given_back=Sum("refunds__paid_cents") + Sum("refunds__town_cents"))
    )


def counter_spend(shop: Shop, movement_id: int, *, at: datetime) -> CounterSpend | None:
    """One spend made at this shop, with what it left on the voucher; None when it is another shop's."""
    movement = _spends(shop).filter(pk=movement_id).first()
    if movement is None:
        return None
    zone = ZoneInfo(shop.town.timezone)
    return _counter_spend(movement, movement.given_back or 0, today=at.astimezone(zone).date(), zone=zone)  # type: ignore[attr-defined]


def counter_spends_today(shop: Shop, *, at: datetime, limit: int = 10) -> list[CounterSpend]:
    """The shop's latest spends of the day (on its town's clock), newest first."""
    zone = ZoneInfo(shop.town.timezone)
    today = at.astimezone(zone).date()
    start, end = shop_day_bounds(shop, today)
    movements = _spends(shop).filter(at__gte=start, at__lt=end).order_by("-at", "-pk")[:limit]
    return [
        _counter_spend(movement, movement.given_back or 0, today=today, zone=zone)  # type: ignore[attr-defined]
        for movement in movements
    ]


@dataclass(frozen=True)
class BalanceCheck:
    """What the counter may tell of a voucher before spending it: its spendable balance, or why it is
    refused."""

    refusal: str = ""
    balance_cents: int = 0
    programme_name: str = ""
    valid_until: date | None = None


def counter_balance(shop: Shop, typed: str, *, at: datetime) -> BalanceCheck:
    """The voucher's balance spendable at this shop now, or the French reason it cannot be spent here,
    as the spend itself would say it (`ledger`)."""
    code = code_read(typed)
    if code is None:
        return BalanceCheck(refusal=_("Ce code n'est pas celui d'un bon : vérifiez chaque caractère."))
    voucher = Voucher.objects.select_related("programme").filter(code=code).first()
    if voucher is None:
        return BalanceCheck(refusal=_("Aucun bon ne porte ce code : vérifiez-le."))
    paid, town = ledger.spendable(voucher, at=at)
    # The spend's own rule, for the smallest amount it would take: the same refusals, in the same words.
    refusal = ledger.spend_refusal(voucher, shop, max(paid + town, 1), at)
    if refusal:
        return BalanceCheck(refusal=refusal)
    zone = ZoneInfo(shop.town.timezone)
    ends = [
        end for amount, end in ((paid, voucher.paid_expires_at), (town, voucher.town_expires_at)) if amount
    ]
    return BalanceCheck(
        balance_cents=paid + town,
        programme_name=voucher.programme.name,
        valid_until=(max(ends) - timedelta(days=1)).astimezone(zone).date(),
    )


@dataclass(frozen=True)
class PaidDay:
    day: date
    cells: list[int]  # one per programme, in the order of `PaidMonth.programmes`
    total: int


@dataclass(frozen=True)
class PaidMonth:
    """What a shop was paid in vouchers in a month, per day and per programme (spends less those given
    back)."""

    month: date
    programmes: list[str]
    days: list[PaidDay]
    programme_totals: list[int]
    spends: int
    total: int = 0
    previous: date | None = None
    following: date | None = None
    months: list[date] = field(default_factory=list)


def shop_paid_month(shop: Shop, month: date) -> PaidMonth:
    """The month's figures in one grouped query (days on the shop's town's clock)."""
    zone = ZoneInfo(shop.town.timezone)
    start = datetime.combine(month, time.min, tzinfo=zone)
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    end = datetime.combine(following, time.min, tzinfo=zone)
    rows = (
        Movement.objects.filter(shop=shop, kind__in=_COUNTED, at__gte=start, at__lt=end)
        .annotate(day=TruncDate("at", tzinfo=zone))
        .values("day", "programme_id", "programme__name")
        .annotate(
            total=Sum("paid_cents") + Sum("town_cents"), spends=Count("pk", filter=Q(kind=MovementKind.SPEND))
        )
        .order_by("day", "programme__name", "programme_id")
    )
    per_day: dict[date, dict[int, int]] = {}
    names: dict[int, str] = {}
    spends = 0
    for row in rows:
        names[row["programme_id"]] = row["programme__name"]
        per_day.setdefault(row["day"], {})[row["programme_id"]] = -(row["total"] or 0)
        spends += row["spends"] or 0
    order = sorted(names, key=lambda pk: (names[pk], pk))
    days = [
        PaidDay(day=day, cells=[cells.get(pk, 0) for pk in order], total=sum(cells.values()))
        for day, cells in sorted(per_day.items())
    ]
    totals = [sum(day.cells[index] for day in days) for index in range(len(order))]
    previous = (month - timedelta(days=1)).replace(day=1)
    return PaidMonth(
        month=month,
        programmes=[names[pk] for pk in order],
        days=days,
        programme_totals=totals,
        spends=spends,
        total=sum(totals),
        previous=previous,
        following=following,
    )


def shop_statements(shop: Shop) -> list[Statement]:
    return list(
        Statement.objects.filter(shop=shop).select_related("programme").order_by("-month", "programme__name")
    )


def shop_statement(shop: Shop, statement_id: int) -> Statement | None:
    return Statement.objects.filter(shop=shop, pk=statement_id).select_related("programme", "shop").first()


def _programmes_of(shop: Shop) -> QuerySet[Programme]:
    """The programmes of the shop's town, and of its territory."""
    in_space = Q(town_id=shop.town_id)
    if shop.town.territory_id is not None:
        in_space |= Q(territory_id=shop.town.territory_id)
    return Programme.objects.filter(in_space)


@dataclass(frozen=True)
class ShopProgrammes:
    joined: list[Participation]
    joinable: list[Programme]


def shop_programmes(shop: Shop) -> ShopProgrammes:
    """The programmes the shop takes part in, and the open ones of its town it could join."""
    joined = list(
        Participation.objects.filter(shop=shop, is_active=True)
        .select_related("programme")
        .order_by("programme__name", "pk")
    )
    taken = {participation.programme_id for participation in joined}
    joinable = [
        programme
        for programme in _programmes_of(shop).filter(status=ProgrammeStatus.OPEN).order_by("name", "pk")
        if programme.pk not in taken
    ]
    return ShopProgrammes(joined=joined, joinable=joinable)


def shop_programme(shop: Shop, programme_id: int) -> Programme | None:
    """A programme of the shop's town or territory, not closed, that it may join or leave."""
    return _programmes_of(shop).exclude(status=ProgrammeStatus.CLOSED).filter(pk=programme_id).first()


def shop_participation(shop: Shop, programme: Programme) -> Participation | None:
    return Participation.objects.filter(shop=shop, programme=programme).first()


def shop_known_iban(shop: Shop) -> str:
    """The account the shop last gave for a programme: offered again when it joins another."""
    return (
        Participation.objects.filter(shop=shop)
        .order_by("-rules_accepted_at")
        .values_list("iban", flat=True)
        .first()
        or ""
    )


# --- Checkout ---


@dataclass(frozen=True)
class VoucherAtCheckout:
    """A voucher about to pay a basket's orders: what it may pay now, which of the basket's shops take it."""

    code: str
    programme_name: str
    spendable_cents: int
    accepting_shop_ids: frozenset[int]


def voucher_at_checkout(*, typed_code: str, shops: Iterable[Shop], at: datetime) -> VoucherAtCheckout:
    """The voucher a customer's typed code names, its row locked until the caller's transaction ends (the
    checkout spends it next, `ledger.voucher_spend`); raises VoucherRefused in French when the code names
    none. A shop takes it when it takes part in the programme, as `ledger.voucher_spend` checks."""
    code = code_read(typed_code)
    if code is None:
        raise VoucherRefused(
            _("Ce code n'est pas celui d'un bon : vérifiez chaque caractère."), code="malformed"
        )
    voucher = Voucher.objects.select_for_update().select_related("programme").filter(code=code).first()
    if voucher is None:
        raise VoucherRefused(_("Aucun bon ne porte ce code : vérifiez-le."), code="unknown")
    programme = voucher.programme
    by_pk = {shop.pk: shop for shop in shops}
    participating = Participation.objects.filter(
        programme=programme, shop_id__in=list(by_pk), is_active=True
    ).values_list("shop_id", flat=True)
    accepting = frozenset(
        shop_id for shop_id in participating if not programme.chains_excluded or by_pk[shop_id].is_independent
    )
    paid, town = spendable(voucher, at=at)
    return VoucherAtCheckout(
        code=code,
        programme_name=programme.name,
        spendable_cents=paid + town,
        accepting_shop_ids=accepting,
    )


@dataclass(frozen=True)
class SpendLeft:
    spend: Movement
    left_cents: int  # what is not given back yet


def spends_to_give_back(*, shop_id: int, reference: str) -> list[SpendLeft]:
    """The spends made at a shop under a reference (an order's) that still have something to give back,
    oldest first."""
    spends = (
        Movement.objects.filter(kind=MovementKind.SPEND, shop_id=shop_id, reference=reference)
        .annotate(given_back=Sum("refunds__paid_cents", default=0) + Sum("refunds__town_cents", default=0))
        .order_by("at", "pk")
    )
    left = [SpendLeft(spend=spend, left_cents=-spend.amount_cents - spend.given_back) for spend in spends]
    return [item for item in left if item.left_cents > 0]


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
