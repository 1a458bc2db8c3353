"""Reads of the vouchers for pages: plain data. One section per audience."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from centreville.shops.models import Shop, ShopStatus, TradeCategory
from centreville.towns.spaces import Space

from .codes import code_display
from .ledger import euros, spendable
from .models import (
    Movement,
    MovementKind,
    Participation,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Voucher,
    VoucherStatus,
)

# --- Residents' pages ---


def _local_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _last_day(expires_at: datetime) -> date:
    """The last day a pot can be spent: its expiry is the end of that day (`ledger.day_end`)."""
    return _local_day(expires_at - timedelta(microseconds=1))


def euros_short(cents: int) -> str:
    """« 20 € » for whole euros, « 12,50 € » otherwise: how a programme's values are said."""
    if cents % 100 == 0:
        return _("%(amount)s €") % {"amount": cents // 100}
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
