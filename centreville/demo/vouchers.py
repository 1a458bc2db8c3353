"""The demo town's vouchers: a Christmas gift card, a « pay 20 €, spend 30 € » top-up paid for by the town,
and the autumn top-up before them (its town's share now expired); shops taking part, the demo merchant's two
among them, vouchers in every state, and last month's reimbursement statements, one paid and the others due.

Written through the vouchers' services and ledger, on the dates a real operation would have: programmes'
dates and movements count back from the load's `at`. Idempotent: programmes are found by address, a shop
joins once, and the vouchers and their movements are written only when the demo has none yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse

from centreville.core.links import absolute_url
from centreville.shops.models import Shop
from centreville.towns.models import Town
from centreville.vouchers import ledger, services, statements
from centreville.vouchers.models import (
    BeneficiaryKind,
    Movement,
    Participation,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Voucher,
)
from centreville.vouchers.services import Beneficiary

# A valid French IBAN set aside for tests (its RIB key and check digits are right).
DEMO_IBAN = "FR7630006000011234567890189"
HOLDER = "Commune d'Argentan"
HOLDER_SIRET = "21610006800019"
GIFT_CARD = "carte-cadeau-de-noel"
TOP_UP = "payez-20-depensez-30"
AUTUMN = "rentree"
RULES = (
    "Les bons sont acceptés en paiement de tout achat dans les commerces participants, en une ou plusieurs "
    "fois ; ils ne sont ni remboursés ni échangés contre des espèces, et aucune monnaie n'est rendue sur "
    "leur part offerte par la ville.\n\n"
    "Le commerçant vérifie le bon en caisse (QR code ou code saisi) ; chaque achat est débité aussitôt. "
    "La commune rembourse chaque mois les achats du mois précédent, par virement, sur le relevé établi par "
    "la plateforme."
)
# Who takes which programme (Argentan shops, by address); the demo merchant's two shops take both.
GIFT_CARD_SHOPS = (
    "boulangerie-lemonnier",
    "brulerie-lemonnier",
    "fromagerie-gosselin",
    "chocolaterie-delamare",
    "le-comptoir-de-capucine",
    "librairie-lerebours",
    "au-jardin-dambre",
    "la-ribambelle",
)
TOP_UP_SHOPS = (
    "boulangerie-lemonnier",
    "brulerie-lemonnier",
    "fromagerie-gosselin",
    "chocolaterie-delamare",
    "librairie-lerebours",
)
AUTUMN_SHOPS = ("boulangerie-lemonnier", "librairie-lerebours", "la-ribambelle")
# The voucher the demo's summary gives the address of: a top-up partly spent, its two shares still there.
SHOWN_BENEFICIARY = "ines.garnier@example.fr"
RESIDENT_EMAIL = "habitante@argentan.example"
TRANSFER_REFERENCE = "VIR-ARGENTAN-BONS-0001"


@dataclass(frozen=True)
class DemoVouchers:
    gift_card: Programme
    top_up: Programme
    autumn: Programme
    wallet_url: str  # the page of the voucher a person trying the demo can open


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=_zone())


def _next_end_of_january(today: date) -> date:
    """The 31 January ahead (this year's while January lasts): when the town's share of a Christmas top-up
    ends."""
    this_year = date(today.year, 1, 31)
    return this_year if today <= this_year else date(today.year + 1, 1, 31)


def _programme(town: Town, slug: str, values: dict[str, Any]) -> Programme:
    """The demo programme at this address holds `values`; written only when new or different."""
    programme = Programme.objects.filter(town=town, slug=slug).first()
    if programme is None:
        programme = Programme(town=town, slug=slug, **values)
    elif all(getattr(programme, name) == value for name, value in values.items()):
        return programme
    else:
        for name, value in values.items():
            setattr(programme, name, value)
    programme.full_clean()
    programme.save()
    return programme


def _programmes(town: Town, today: date) -> tuple[Programme, Programme, Programme]:
    last_month = today.replace(day=1) - relativedelta(months=1)
    end_of_january = _next_end_of_january(today)
    common = {
        "status": ProgrammeStatus.OPEN,
        "holder_name": HOLDER,
        "holder_siret": HOLDER_SIRET,
        "rules": RULES,
        "chains_excluded": True,
        "eligible_postcodes": [],
        "invitation_only": False,
    }
    gift_card = _programme(
        town,
        GIFT_CARD,
        {
            **common,
            "name": "Carte cadeau de Noël",
            "kind": ProgrammeKind.GIFT_CARD,
            "face_values_cents": [1000, 2000, 5000],
            "starts_on": last_month - relativedelta(months=1),
            "ends_on": end_of_january,
            "town_share_valid_until": None,
            "paid_share_validity_months": 12,
            "budget_cents": None,
            "cap_per_company_cents": 500_000,
        },
    )
    top_up = _programme(
        town,
        TOP_UP,
        {
            **common,
            "name": "Payez 20 €, dépensez 30 €",
            "kind": ProgrammeKind.TOP_UP,
            "face_values_cents": [],
            "top_up_paid_cents": 2000,
            "top_up_value_cents": 3000,
            "starts_on": last_month,
            "ends_on": end_of_january,
            "town_share_valid_until": end_of_january,
            "paid_share_validity_months": 12,
            "budget_cents": 3_000_000,
            "cap_per_person_cents": 9000,
            "eligible_postcodes": list(town.postcodes),
        },
    )
    autumn_start = last_month - relativedelta(months=2)
    autumn_end = last_month - timedelta(days=1)
    autumn = _programme(
        town,
        AUTUMN,
        {
            **common,
            "name": "Rentrée : payez 10 €, dépensez 15 €",
            "kind": ProgrammeKind.TOP_UP,
            "face_values_cents": [],
            "top_up_paid_cents": 1000,
            "top_up_value_cents": 1500,
            "starts_on": autumn_start,
            "ends_on": autumn_end,
            "town_share_valid_until": autumn_end,
            "paid_share_validity_months": 12,
            "budget_cents": 500_000,
            "cap_per_person_cents": 3000,
            "eligible_postcodes": list(town.postcodes),
        },
    )
    return gift_card, top_up, autumn


def _join(programme: Programme, shops: dict[str, Shop], slugs: tuple[str, ...], *, at: datetime) -> None:
    """Each shop has accepted the programme's rules, on its first day; a shop that joined stays as it is."""
    joined = set(Participation.objects.filter(programme=programme).values_list("shop__slug", flat=True))
    accepted_at = min(_moment(programme.starts_on, 9), at)
    for slug in slugs:
        if slug not in joined:
            services.participation_join(programme=programme, shop=shops[slug], iban=DEMO_IBAN, at=accepted_at)


def _issue(programme: Programme, key: str, name: str, face: int, at: datetime) -> Voucher:
    beneficiary = Beneficiary(kind=BeneficiaryKind.PERSON, key=key, name=name, postcode="61200")
    return services.vouchers_issue(
        programme=programme, beneficiary=beneficiary, face_value_cents=face, at=at, origin="démonstration"
    )[0]


def _spend(voucher: Voucher, shop: Shop, cents: int, at: datetime, reference: str) -> Movement:
    return ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=cents, at=at, reference=reference)


def _scenario(
    gift_card: Programme, top_up: Programme, autumn: Programme, shops: dict[str, Shop], *, at: datetime
) -> None:
    """Vouchers in every state; the days count back from `at`, each inside its programme's dates."""
    today = at.astimezone(_zone()).date()
    month_start = today.replace(day=1)
    last_month = month_start - relativedelta(months=1)
    bakery, roaster, cheese = (
        shops["boulangerie-lemonnier"],
        shops["brulerie-lemonnier"],
        shops["fromagerie-gosselin"],
    )
    chocolates, books = shops["chocolaterie-delamare"], shops["librairie-lerebours"]

    # The autumn top-up: 3 € of the town's 5 € spent, the 2 € left expired with its last day.
    autumn_card = _issue(
        autumn, "marc.roux@example.fr", "Marc Roux", 0, _moment(autumn.starts_on + timedelta(days=9), 10)
    )
    _spend(autumn_card, bakery, 300, _moment(autumn.starts_on + timedelta(days=20), 9, 40), "ticket 2210")

    # Last month: a gift card spent at two shops, one spent out, one lost and cancelled.
    two_shops = _issue(
        gift_card,
        "claire.morel@example.fr",
        "Claire Morel",
        5000,
        _moment(last_month + timedelta(days=2), 11),
    )
    _spend(two_shops, bakery, 1240, _moment(last_month + timedelta(days=7), 10, 15), "ticket 4512")
    _spend(two_shops, roaster, 1800, _moment(last_month + timedelta(days=14), 16, 30), "ticket 118")
    spent_out = _issue(
        gift_card,
        "paul.lefebvre@example.fr",
        "Paul Lefebvre",
        1000,
        _moment(last_month + timedelta(days=4), 15),
    )
    _spend(spent_out, cheese, 1000, _moment(last_month + timedelta(days=19), 11, 5), "ticket 903")
    lost = _issue(
        gift_card,
        "paul.lefebvre@example.fr",
        "Paul Lefebvre",
        2000,
        _moment(last_month + timedelta(days=5), 15),
    )
    ledger.voucher_cancel(
        voucher=lost, at=_moment(last_month + timedelta(days=9), 14), reason="Carte perdue, remplacée"
    )

    # Last month's statements: the bakery's paid by transfer, the others due.
    made_at = min(_moment(month_start + timedelta(days=1), 9), at)
    month_end = _moment(month_start, 0)
    made = [
        statement
        for programme in (gift_card, top_up, autumn)
        for statement in statements.statements_make(
            programme=programme, month=last_month, month_end=month_end, at=made_at
        )
    ]
    paid = next(
        statement
        for statement in made
        if statement.shop_id == bakery.pk and statement.programme_id == gift_card.pk
    )
    statements.statement_mark_paid(
        statement=paid, transfer_reference=TRANSFER_REFERENCE, at=min(made_at + timedelta(days=2), at)
    )

    # This week, on the top-up: one partly spent, one whose spend was partly given back (an order cancelled).
    start = max(_moment(top_up.starts_on, 9), at - timedelta(days=8))
    shown = _issue(top_up, SHOWN_BENEFICIARY, "Inès Garnier", 0, start)
    _spend(shown, chocolates, 450, min(start + timedelta(days=3), at), "ticket 7781")
    refunded = _issue(top_up, "sophie.marie@example.fr", "Sophie Marie", 0, start + timedelta(hours=2))
    spend = _spend(refunded, books, 2500, min(start + timedelta(days=2), at), "commande C-2041")
    ledger.voucher_spend_refund(
        spend=spend,
        amount_cents=800,
        at=min(start + timedelta(days=2, hours=3), at),
        reference="commande C-2041 : un livre indisponible",
    )
    # Yesterday: a fresh gift card, offered to the demo's resident.
    _issue(gift_card, RESIDENT_EMAIL, "Camille Vauquelin", 2000, at - timedelta(hours=20))

    ledger.vouchers_expire(at=at)


def demo_vouchers_load(town: Town, shops: dict[str, Shop], *, at: datetime) -> DemoVouchers:
    """The demo town's programmes, their shops, and (once) their vouchers and statements; returns them with
    the address of the voucher a person trying the demo can open."""
    today = at.astimezone(_zone()).date()
    gift_card, top_up, autumn = _programmes(town, today)
    for programme, slugs in ((gift_card, GIFT_CARD_SHOPS), (top_up, TOP_UP_SHOPS), (autumn, AUTUMN_SHOPS)):
        _join(programme, shops, slugs, at=at)
    if not Voucher.objects.filter(programme__in=[gift_card, top_up, autumn]).exists():
        _scenario(gift_card, top_up, autumn, shops, at=at)
    shown = Voucher.objects.get(programme=top_up, beneficiary_key=SHOWN_BENEFICIARY)
    wallet = absolute_url(reverse("vouchers_public:wallet", args=[town.slug, shown.code]))
    return DemoVouchers(gift_card=gift_card, top_up=top_up, autumn=autumn, wallet_url=wallet)
