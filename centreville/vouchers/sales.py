"""Vouchers bought online: a person buys gift cards, a company buys them in bulk with an invoice.

The programme's rules are checked before the buyer pays (`services.check_issue`), the payment is opened at
the provider for the programme's holder (`payments.payment_open_single`), and the vouchers are issued when
the provider says it is paid (`sale_paid`, from the payments' signal; `receivers.py`), exactly once: the
sale's row is locked and only a pending sale moves. If the rules refuse by then (the town's budget spent
meanwhile, a cap reached by another sale), the payment is given back whole: money is never kept without
vouchers for it. Money given back later on the provider's dashboard cancels the vouchers it paid for
(`sale_refunded`).

Lock order: the payment (locked by the payments app), the sale, the programme (`services.vouchers_issue`),
then the holder's invoice series.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from centreville.payments.models import Payment, PaymentPurpose
from centreville.payments.services import payment_give_back_whole, payment_open_single
from centreville.towns.models import Town

from .codes import ALPHABET
from .ledger import VoucherRefused, euros, voucher_cancel
from .models import (
    BeneficiaryKind,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Sale,
    SaleBuyerKind,
    SaleInvoiceSequence,
    SaleStatus,
    Voucher,
    VoucherStatus,
)
from .services import Beneficiary, check_issue, vouchers_issue
from .signals import voucher_sale_settled

logger = logging.getLogger(__name__)

# The kinds of programme sold online: free vouchers are given by the town, never bought.
ON_SALE_KINDS = (ProgrammeKind.GIFT_CARD, ProgrammeKind.TOP_UP)
# How many vouchers one purchase may hold: a household's gifts, a company's staff.
PERSON_MAX_COUNT = 10
COMPANY_MAX_COUNT = 500
# Put in `return_url` / `cancel_url` where the sale's private token goes (known once the sale exists).
TOKEN_PLACEHOLDER = "__token__"
INVOICE_PREFIX = "BC"
# The VAT mention of a multi-purpose voucher (article 256 ter of the CGI), printed on every invoice.
VAT_MENTION = (
    "Bons à usages multiples : opération hors du champ de la TVA à l'émission, article 256 ter du CGI ; "
    "la TVA est due lors de l'utilisation."
)


def programmes_on_sale(*, town: Town, at: datetime) -> list[Programme]:
    """The programmes of the town (or of its territory) whose vouchers can be bought online today."""
    today = at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    space = Q(town=town)
    if town.territory_id is not None:
        space |= Q(territory_id=town.territory_id)
    return list(
        Programme.objects.filter(
            space,
            kind__in=ON_SALE_KINDS,
            status=ProgrammeStatus.OPEN,
            invitation_only=False,
            starts_on__lte=today,
            ends_on__gte=today,
        ).order_by("ends_on", "name")
    )


def programme_of_town(*, town: Town, slug: str) -> Programme | None:
    """The programme at this address in the town, else in its territory; None when there is none."""
    space = Q(town=town)
    if town.territory_id is not None:
        space |= Q(territory_id=town.territory_id)
    found = list(Programme.objects.filter(space, slug=slug))
    return next((programme for programme in found if programme.town_id == town.pk), None) or (
        found[0] if found else None
    )


def sale_face_values(programme: Programme) -> list[int]:
    """The face values a buyer chooses from (a top-up has one: the value of its voucher)."""
    if programme.kind == ProgrammeKind.TOP_UP:
        return [programme.top_up_value_cents]
    return sorted(programme.face_values_cents)


def sale_price_cents(programme: Programme, face_value_cents: int) -> int:
    """What the buyer pays for one voucher of this face value."""
    return programme.top_up_paid_cents if programme.kind == ProgrammeKind.TOP_UP else face_value_cents


@dataclass(frozen=True)
class Buyer:
    kind: str  # SaleBuyerKind
    name: str
    email: str
    postcode: str = ""
    # A company's SIRET (14 digits, checked by the form) and the address its invoice carries.
    siret: str = ""
    billing_address: str = ""


def _beneficiary(sale: Sale) -> Beneficiary:
    """Whom the caps count: a person by their e-mail, a company by its SIREN."""
    if sale.buyer_kind == SaleBuyerKind.COMPANY:
        return Beneficiary(BeneficiaryKind.COMPANY, sale.company_siret[:9], sale.buyer_name, sale.postcode)
    return Beneficiary(BeneficiaryKind.PERSON, sale.email.lower(), sale.buyer_name, sale.postcode)


def _new_reference() -> str:
    return "BC-" + "".join(secrets.choice(ALPHABET) for _index in range(10))


def sale_start(
    *,
    town: Town,
    programme: Programme,
    buyer: Buyer,
    face_value_cents: int,
    count: int,
    at: datetime,
    return_url: str,
    cancel_url: str,
    language: str = "fr",
) -> Sale:
    """Record a purchase and open its payment; the buyer pays at `sale.payment.redirect_url`.

    The programme's rules are checked first (what is on offer, the count, dates, eligibility, caps, the
    town's budget): a refusal raises VoucherRefused (a ValidationError) in French, and nothing is written.
    TOKEN_PLACEHOLDER in the return and cancel URLs becomes the sale's private token.
    """
    if programme.kind not in ON_SALE_KINDS or programme.invitation_only:
        raise VoucherRefused(_("Les bons de cette opération ne s'achètent pas en ligne."), code="not_on_sale")
    if programme.status != ProgrammeStatus.OPEN:
        raise VoucherRefused(
            _("L'opération « %(name)s » est close : ses bons ne sont plus en vente.")
            % {"name": programme.name},
            code="closed",
        )
    values = sale_face_values(programme)
    if face_value_cents not in values:
        raise VoucherRefused(
            _("Cette valeur n'est pas proposée : choisissez parmi %(values)s.")
            % {"values": ", ".join(euros(value) for value in values)},
            code="face_value",
        )
    limit = COMPANY_MAX_COUNT if buyer.kind == SaleBuyerKind.COMPANY else PERSON_MAX_COUNT
    if not 1 <= count <= limit:
        raise VoucherRefused(
            _("Indiquez entre 1 et %(limit)s bons par achat.") % {"limit": limit}, code="count"
        )
    sale = Sale(
        town=town,
        programme=programme,
        reference=_new_reference(),
        token=secrets.token_urlsafe(32),
        buyer_kind=buyer.kind,
        buyer_name=buyer.name.strip(),
        email=buyer.email.strip().lower(),
        postcode=buyer.postcode.strip(),
        company_siret=buyer.siret if buyer.kind == SaleBuyerKind.COMPANY else "",
        billing_address=buyer.billing_address.strip() if buyer.kind == SaleBuyerKind.COMPANY else "",
        language=language[:8],
        face_value_cents=face_value_cents,
        count=count,
        amount_cents=sale_price_cents(programme, face_value_cents) * count,
    )
    check_issue(
        programme=programme,
        beneficiary=_beneficiary(sale),
        face_value_cents=face_value_cents,
        count=count,
        at=at,
    )
    sale.full_clean(exclude=["payment"])
    with transaction.atomic():
        sale.save()
        sale.payment = payment_open_single(
            town=town,
            reference=sale.reference,
            amount=Decimal(sale.amount_cents) / 100,
            description=_("%(programme)s — %(count)s × %(value)s")
            % {"programme": programme.name, "count": count, "value": euros(face_value_cents)},
            payee_account_id=programme.holder_payment_account or None,
            return_url=return_url.replace(TOKEN_PLACEHOLDER, sale.token),
            cancel_url=cancel_url.replace(TOKEN_PLACEHOLDER, sale.token),
        )
        sale.save(update_fields=["payment", "updated_at"])
    return sale


def _locked_sale(payment: Payment) -> Sale | None:
    if payment.purpose != PaymentPurpose.VOUCHER_SALE:
        return None
    sale = Sale.objects.select_for_update().select_related("programme").filter(payment=payment).first()
    if sale is None:
        logger.error("Payment %s is a sale of vouchers, but no sale has it", payment.pk)
    return sale


def sale_paid(*, payment: Payment, at: datetime) -> Sale | None:
    """The buyer paid (inside the transaction recording the provider's event, the payment locked): issue the
    sale's vouchers once, number a company's invoice; or, if the rules refuse now, give the payment back.

    A second delivery finds the sale no longer pending and does nothing."""
    sale = _locked_sale(payment)
    if sale is None or sale.status != SaleStatus.PENDING:
        return sale
    sale.paid_at = at
    try:
        vouchers_issue(
            programme=sale.programme,
            beneficiary=_beneficiary(sale),
            face_value_cents=sale.face_value_cents,
            count=sale.count,
            at=at,
            origin=sale.reference,
        )
    except VoucherRefused as refused:
        logger.warning("Sale %s paid but refused, refunded: %s", sale.reference, refused.messages[0])
        sale.status = SaleStatus.REFUNDED
        sale.refusal = refused.messages[0]
        payment_give_back_whole(payment=payment)
    else:
        sale.status = SaleStatus.PAID
        if sale.buyer_kind == SaleBuyerKind.COMPANY:
            _invoice(sale, at=at)
    sale.save(update_fields=["status", "paid_at", "refusal", "invoice_number", "invoice", "updated_at"])
    sale_id = sale.pk
    transaction.on_commit(lambda: voucher_sale_settled.send(sender=Sale, sale_id=sale_id))
    return sale


def sale_payment_failed(*, payment: Payment) -> Sale | None:
    """Nothing was taken: the sale ends without vouchers (the buyer may start another)."""
    sale = _locked_sale(payment)
    if sale is not None and sale.status == SaleStatus.PENDING:
        sale.status = SaleStatus.FAILED
        sale.save(update_fields=["status", "updated_at"])
    return sale


def sale_refunded(*, payment: Payment, at: datetime) -> list[Voucher]:
    """The provider reports money given back on a paid sale (a refund made on its dashboard, whole or in
    part; inside the transaction recording its event, the payment locked): as many of the sale's vouchers
    as the money given back paid for are cancelled, the fullest first. What was already spent of them (or
    expired) stays so, and is logged for the holder to settle with the buyer. A sale refunded whole ends
    « Remboursée »."""
    sale = _locked_sale(payment)
    if sale is None or sale.status != SaleStatus.PAID:
        return []  # not a sale, or a refusal's refund (`sale_paid`): its vouchers were never issued
    unit_cents = sale.amount_cents // sale.count
    refunded_cents = int(payment.amount_refunded * 100)
    # A refund that covers part of a voucher's price cancels that voucher: money is never given back twice.
    due = min(sale.count, -(-refunded_cents // unit_cents)) if unit_cents else sale.count
    vouchers = Voucher.objects.filter(programme=sale.programme, origin=sale.reference)
    missing = due - vouchers.filter(status=VoucherStatus.CANCELLED).count()
    fullest_first = vouchers.filter(status=VoucherStatus.ACTIVE).order_by(
        (F("paid_balance_cents") + F("town_balance_cents")).desc(), "pk"
    )
    chosen = list(fullest_first[: max(0, missing)])
    reason = _("Achat %(reference)s remboursé par le prestataire de paiement") % {"reference": sale.reference}
    for voucher in chosen:
        voucher_cancel(voucher=voucher, at=at, reason=reason)
    used = sum(v.paid_issued_cents + v.town_issued_cents - v.balance_cents for v in chosen)
    if used:
        logger.warning("Sale %s refunded: %s cents of its cancelled vouchers were used", sale.reference, used)
    if due >= sale.count:
        sale.status = SaleStatus.REFUNDED
        sale.refusal = reason
        sale.save(update_fields=["status", "refusal", "updated_at"])
    return chosen


def _holder_key(programme: Programme) -> str:
    return programme.holder_siret or programme.holder_name


def invoice_number_take(*, holder_key: str, year: int) -> str:
    """The next number of the holder's invoices of `year`, under its series' lock (held until the caller's
    transaction commits): gapless, since a rolled-back sale gives its number back."""
    sequence, _created = SaleInvoiceSequence.objects.get_or_create(holder_key=holder_key, year=year)
    sequence = SaleInvoiceSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{INVOICE_PREFIX}{year}-{sequence.last_number:05d}"


def _invoice(sale: Sale, *, at: datetime) -> None:
    """Number the company's invoice and write what it prints, once."""
    programme = sale.programme
    day = at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    sale.invoice_number = invoice_number_take(holder_key=_holder_key(programme), year=day.year)
    town_name = programme.town.name if programme.town_id else programme.territory.name  # type: ignore[union-attr]
    sale.invoice = {
        "number": sale.invoice_number,
        "date": day.isoformat(),
        "reference": sale.reference,
        "holder": {"name": programme.holder_name, "siret": programme.holder_siret, "place": town_name},
        "buyer": {"name": sale.buyer_name, "siret": sale.company_siret, "address": sale.billing_address},
        "programme": programme.name,
        "count": sale.count,
        "face_value_cents": sale.face_value_cents,
        "unit_price_cents": sale.amount_cents // sale.count,
        "amount_cents": sale.amount_cents,
        "mention": VAT_MENTION,
    }


def sale_by_token(*, town: Town, token: str) -> Sale | None:
    """The sale behind a buyer's private link, in this town."""
    return Sale.objects.for_town(town).select_related("programme").filter(token=token).first()


def sale_summary(sale: Sale) -> dict[str, Any]:
    """What the buyer's page shows: the state, and each voucher's code once issued."""
    return {
        "sale": sale,
        "vouchers": list(sale.vouchers) if sale.status == SaleStatus.PAID else [],
        "amount": euros(sale.amount_cents),
        "face_value": euros(sale.face_value_cents),
    }
