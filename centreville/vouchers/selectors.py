"""Reads of the vouchers for pages: plain data. One section per audience."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from centreville.accounts.models import User
from centreville.core.charts import Category, Chart, Series
from centreville.core.money import euros_text
from centreville.shops.models import Shop, ShopStatus, TradeCategory
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import ledger
from .accounts import Accounts, Month, limited_network_figures, programme_accounts, programme_months
from .codes import code_display, code_read
from .invitations import INVITATION_ORIGIN, ISSUE_STALE_AFTER
from .ledger import VoucherRefused, euros, spendable
from .models import (
    BeneficiaryKind,
    Invitation,
    Movement,
    MovementKind,
    Participation,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Sale,
    SaleStatus,
    Statement,
    Voucher,
    VoucherStatus,
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
    """The programmes the shop takes part in, and those of its town it could join: open, or in preparation
    (a town enlists its shops before it launches)."""
    joined = list(
        Participation.objects.filter(shop=shop, is_active=True)
        .select_related("programme")
        .order_by("programme__name", "pk")
    )
    taken = {participation.programme_id for participation in joined}
    joinable = [
        programme
        for programme in _programmes_of(shop).exclude(status=ProgrammeStatus.CLOSED).order_by("name", "pk")
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
    issuing: bool  # the worker is giving the vouchers
    refused: list[Invitation]  # the first households the last issue refused, with the reason

    @property
    def waiting(self) -> int:
        return self.total - self.used


REFUSALS_SHOWN = 100


def invitation_counts(programme: Programme, *, at: datetime) -> InvitationCounts:
    invitations = Invitation.objects.filter(programme=programme)
    waiting = invitations.filter(used_at__isnull=True)
    queued_at = programme.invitations_queued_at
    return InvitationCounts(
        total=invitations.count(),
        used=invitations.filter(used_at__isnull=False).count(),
        issuing=queued_at is not None and queued_at > at - ISSUE_STALE_AFTER,
        refused=list(waiting.exclude(refusal="").order_by("pk")[:REFUSALS_SHOWN]),
    )


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


# --- Residents' pages ---


def _local_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _last_day(expires_at: datetime) -> date:
    """The last day a pot can be spent: its expiry is the end of that day (`ledger.day_end`)."""
    return _local_day(expires_at - timedelta(microseconds=1))


def euros_short(cents: int) -> str:
    """« 20 € » for whole euros, « 12,50 € » otherwise: how a programme's values are said."""
    if cents % 100 == 0:
        return euros_text(cents // 100, places=0)
    return euros(cents)


def _in_space(space: Space) -> Q:
    """The programmes a space shows: its town's and its territory's; a territory's and its towns'."""
    if space.territory is not None:
        return Q(territory=space.territory) | Q(town_id__in=space.town_ids)
    town = space.towns[0]
    return Q(town=town) | Q(territory_id=town.territory_id) if town.territory_id else Q(town=town)


@dataclass(frozen=True)
class ParticipatingShop:
    name: str
    slug: str
    town_slug: str
    category: TradeCategory
    street_address: str
    postcode: str
    city: str


@dataclass(frozen=True)
class ResidentProgramme:
    """A programme as a resident reads it: what it is, when, how to get a voucher, where to spend it."""

    programme: Programme
    kind_words: str
    values_words: str
    where_words: str
    eligibility: list[str]
    on_offer: bool  # vouchers are issued today
    town_share_last_day: date | None
    shops: list[ParticipatingShop]

    @property
    def name(self) -> str:
        return self.programme.name

    @property
    def slug(self) -> str:
        return self.programme.slug


def kind_words(programme: Programme) -> str:
    """« Carte cadeau », « Payez 20 €, dépensez 30 € », « Bon offert »."""
    if programme.kind == ProgrammeKind.TOP_UP:
        return _("Payez %(paid)s, dépensez %(value)s") % {
            "paid": euros_short(programme.top_up_paid_cents),
            "value": euros_short(programme.top_up_value_cents),
        }
    if programme.kind == ProgrammeKind.FREE:
        return _("Bon offert")
    return _("Carte cadeau")


def _values_words(programme: Programme) -> str:
    if programme.kind == ProgrammeKind.TOP_UP:
        return _("Vous payez %(paid)s, la ville ajoute %(town)s : vous dépensez %(value)s.") % {
            "paid": euros_short(programme.top_up_paid_cents),
            "town": euros_short(programme.top_up_value_cents - programme.top_up_paid_cents),
            "value": euros_short(programme.top_up_value_cents),
        }
    values = [euros_short(value) for value in sorted(programme.face_values_cents)]
    if not values:
        return ""
    listed = (
        values[0]
        if len(values) == 1
        else _("%(first)s ou %(last)s")
        % {
            "first": ", ".join(values[:-1]),
            "last": values[-1],
        }
    )
    return ngettext("Valeur : %(values)s.", "Valeurs : %(values)s.", len(values)) % {"values": listed}


def _where_words(programme: Programme) -> str:
    holder = programme.holder_name
    if programme.kind == ProgrammeKind.FREE:
        if programme.invitation_only:
            return _("Offert par %(holder)s aux foyers invités : le bon leur est remis ou envoyé.") % {
                "holder": holder
            }
        return _("Offert par %(holder)s aux foyers qui y ont droit.") % {"holder": holder}
    if programme.kind == ProgrammeKind.TOP_UP:
        return _("Auprès de %(holder)s, qui porte l'opération.") % {"holder": holder}
    return _(
        "Auprès de %(holder)s, qui porte l'opération : pour soi, pour l'offrir, ou par une entreprise "
        "pour ses salariés."
    ) % {"holder": holder}


def _eligibility(programme: Programme) -> list[str]:
    lines = []
    if programme.eligible_postcodes:
        lines.append(
            _("Réservé aux habitants des codes postaux %(postcodes)s.")
            % {"postcodes": ", ".join(programme.eligible_postcodes)}
        )
    if programme.invitation_only:
        lines.append(_("Sur invitation de la ville seulement."))
    caps = (
        (programme.cap_per_person_cents, _("Au plus %(cap)s par personne.")),
        (programme.cap_per_household_cents, _("Au plus %(cap)s par foyer.")),
        (programme.cap_per_company_cents, _("Au plus %(cap)s par entreprise.")),
    )
    lines += [words % {"cap": euros_short(cap)} for cap, words in caps if cap]
    if programme.chains_excluded:
        lines.append(_("Valable dans les commerces indépendants qui participent : ni chaînes ni franchises."))
    return lines


def _resident_programme(
    programme: Programme, shops: list[ParticipatingShop], today: date
) -> ResidentProgramme:
    town_share = programme.kind != ProgrammeKind.GIFT_CARD
    return ResidentProgramme(
        programme=programme,
        kind_words=kind_words(programme),
        values_words=_values_words(programme),
        where_words=_where_words(programme),
        eligibility=_eligibility(programme),
        on_offer=programme.starts_on <= today <= programme.ends_on,
        town_share_last_day=(programme.town_share_valid_until or programme.ends_on) if town_share else None,
        shops=shops,
    )


def _participating_shops(programmes: list[Programme]) -> dict[int, list[ParticipatingShop]]:
    """Each programme's shops that accept its vouchers now: published, taking part, independent when the
    programme excludes chains (the rule `ledger.voucher_spend` applies); one query."""
    shops: dict[int, list[ParticipatingShop]] = {programme.pk: [] for programme in programmes}
    excluding_chains = {programme.pk for programme in programmes if programme.chains_excluded}
    participations = (
        Participation.objects.filter(
            programme__in=programmes, is_active=True, shop__status=ShopStatus.PUBLISHED
        )
        .select_related("shop__category", "shop__town")
        .order_by("shop__name", "shop_id")
    )
    for participation in participations:
        shop: Shop = participation.shop
        if participation.programme_id in excluding_chains and not shop.is_independent:
            continue
        shops[participation.programme_id].append(
            ParticipatingShop(
                name=shop.name,
                slug=shop.slug,
                town_slug=shop.town.slug,
                category=shop.category,
                street_address=shop.street_address,
                postcode=shop.postcode,
                city=shop.city,
            )
        )
    return shops


def programmes_for_residents(space: Space, *, at: datetime) -> list[ResidentProgramme]:
    """The space's open programmes, those still issuing vouchers first, with their shops; two queries."""
    programmes = list(
        Programme.objects.filter(_in_space(space), status=ProgrammeStatus.OPEN).order_by("-starts_on", "name")
    )
    today = _local_day(at)
    shops = _participating_shops(programmes)
    found = [_resident_programme(programme, shops[programme.pk], today) for programme in programmes]
    return sorted(found, key=lambda item: not item.on_offer)


def programme_for_residents(space: Space, slug: str, *, at: datetime) -> ResidentProgramme | None:
    """One open programme of the space by its address (the space's own before another of the same address)."""
    programme = (
        Programme.objects.filter(_in_space(space), status=ProgrammeStatus.OPEN, slug=slug)
        # The space's own first: a town's (no territory), a territory's (no town).
        .order_by(F("town_id" if space.territory else "territory_id").asc(nulls_first=True), "pk")
        .first()
    )
    if programme is None:
        return None
    return _resident_programme(programme, _participating_shops([programme])[programme.pk], _local_day(at))


def voucher_code_in_space(space: Space, code: str) -> str | None:
    """The code if a voucher of one of the space's programmes (in any state) has it, else None."""
    found = Voucher.objects.filter(code=code, programme__in=Programme.objects.filter(_in_space(space)))
    return code if found.exists() else None


@dataclass(frozen=True)
class Pot:
    """One share of a voucher: what its buyer paid, or what the town added."""

    is_town_share: bool
    issued_cents: int
    spendable_cents: int
    last_day: date
    expired: bool  # its last day is over
    expired_cents: int  # what was left on it when it expired


@dataclass(frozen=True)
class WalletLine:
    at: datetime
    kind: str
    kind_words: str
    shop_name: str
    amount_cents: int  # signed: a spend is negative
    balance_after_cents: int
    reference: str


class WalletState:
    ACTIVE = "active"
    SPENT = "spent"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    CLOSED = "closed"


@dataclass(frozen=True)
class Wallet:
    voucher: Voucher
    programme: Programme
    owner_slug: str  # the town's or territory's address the voucher's page lives under
    code_display: str
    balance_cents: int  # what can be spent now
    pots: list[Pot]
    state: str
    giver: str  # « la ville », or the territory's name
    cancelled_at: datetime | None
    history: list[WalletLine]

    @property
    def last_day(self) -> date:
        return max(pot.last_day for pot in self.pots)


_RESIDENT_KIND_WORDS: dict[str, Any] = {
    MovementKind.ISSUE: gettext_lazy("Bon émis"),
    MovementKind.SPEND: gettext_lazy("Achat"),
    MovementKind.SPEND_REFUND: gettext_lazy("Achat annulé, recrédité"),
    MovementKind.EXPIRY: gettext_lazy("Part expirée"),
    MovementKind.CANCELLATION: gettext_lazy("Bon annulé"),
}


def _pots(voucher: Voucher, movements: list[Movement], at: datetime) -> list[Pot]:
    paid_now, town_now = spendable(voucher, at=at)
    expiries = [movement for movement in movements if movement.kind == MovementKind.EXPIRY]
    pots = []
    for is_town, issued, balance, now, expires_at in (
        (False, voucher.paid_issued_cents, voucher.paid_balance_cents, paid_now, voucher.paid_expires_at),
        (True, voucher.town_issued_cents, voucher.town_balance_cents, town_now, voucher.town_expires_at),
    ):
        if not issued:
            continue
        expired = at >= expires_at
        # Taken by the expiry task, or still on the voucher when the task has not run yet.
        taken = -sum(m.town_cents if is_town else m.paid_cents for m in expiries)
        left = balance if expired and voucher.status == VoucherStatus.ACTIVE else 0
        pots.append(
            Pot(
                is_town_share=is_town,
                issued_cents=issued,
                spendable_cents=now,
                last_day=_last_day(expires_at),
                expired=expired,
                expired_cents=taken + left,
            )
        )
    return pots


def _state(voucher: Voucher, pots: list[Pot], balance: int) -> str:
    if voucher.status == VoucherStatus.CANCELLED:
        return WalletState.CANCELLED
    if voucher.programme.status != ProgrammeStatus.OPEN:
        return WalletState.CLOSED
    if balance:
        return WalletState.ACTIVE
    if any(pot.expired and pot.expired_cents for pot in pots):
        return WalletState.EXPIRED
    return WalletState.SPENT


def wallet(space: Space, code: str, *, at: datetime) -> Wallet | None:
    """A voucher's page: its balance now and per share with their last day, its state, its history
    (newest first), for a voucher of one of the space's programmes; two queries."""
    voucher = (
        Voucher.objects.filter(code=code, programme__in=Programme.objects.filter(_in_space(space)))
        .select_related("programme__town", "programme__territory")
        .first()
    )
    if voucher is None:
        return None
    programme = voucher.programme
    movements = list(
        Movement.objects.filter(voucher=voucher, at__lte=at).select_related("shop").order_by("-at", "-pk")
    )
    pots = _pots(voucher, movements, at)
    balance = sum(pot.spendable_cents for pot in pots)
    cancellation = next((m for m in movements if m.kind == MovementKind.CANCELLATION), None)
    history = [
        WalletLine(
            at=movement.at,
            kind=movement.kind,
            kind_words=str(_RESIDENT_KIND_WORDS.get(movement.kind, movement.get_kind_display())),
            shop_name=movement.shop.name if movement.shop else "",
            amount_cents=movement.amount_cents,
            balance_after_cents=movement.paid_balance_after + movement.town_balance_after,
            # A cancellation's reason is the town's note; a spend's reference is the receipt's or order's.
            reference=movement.reference if movement.kind != MovementKind.CANCELLATION else "",
        )
        for movement in movements
    ]
    owner = programme.town or programme.territory
    assert owner is not None
    return Wallet(
        voucher=voucher,
        programme=programme,
        owner_slug=owner.slug,
        code_display=code_display(voucher.code),
        balance_cents=balance,
        pots=pots,
        state=_state(voucher, pots, balance),
        giver=_("la ville") if programme.town else owner.name,
        cancelled_at=cancellation.at if cancellation else None,
        history=history,
    )


# --- Personal data -----------------------------------------------------------------------------------------


def person_vouchers_export(user: User) -> dict[str, object]:
    """The vouchers issued to a person under their account's e-mail, and the vouchers they bought online,
    for the export of their personal data; codes are left out (they are spendable money)."""
    email = user.email.lower()

    def amount(cents: int) -> str:
        return str(Decimal(cents).scaleb(-2))

    vouchers = (
        Voucher.objects.filter(beneficiary_kind=BeneficiaryKind.PERSON, beneficiary_key=email)
        .select_related("programme")
        .order_by("issued_at", "pk")
    )
    sales = Sale.objects.filter(email__iexact=email).select_related("programme").order_by("created_at", "pk")
    return {
        "bons_d_achat": [
            {
                "operation": voucher.programme.name,
                "nom": voucher.beneficiary_name,
                "emis_le": voucher.issued_at.isoformat(),
                "montant_emis": amount(voucher.paid_issued_cents + voucher.town_issued_cents),
                "solde": amount(voucher.balance_cents),
                "etat": str(VoucherStatus(voucher.status).label),
            }
            for voucher in vouchers
        ],
        "achats_de_bons": [
            {
                "operation": sale.programme.name,
                "reference": sale.reference,
                "nom": sale.buyer_name,
                "e-mail": sale.email,
                "code_postal": sale.postcode,
                "passe_le": sale.created_at.isoformat(),
                "nombre_de_bons": sale.count,
                "montant_paye": amount(sale.amount_cents),
                "etat": str(SaleStatus(sale.status).label),
            }
            for sale in sales
        ],
    }
