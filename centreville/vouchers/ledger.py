"""The one place a voucher's balances change: issue, spend, spend given back, expiry, cancellation.

Each function runs in one transaction and locks the voucher's row first (`select_for_update`), so that two
counters spending one voucher at once wait for each other and the second sees what the first left: a
balance never goes below zero (the database refuses it too). Each change writes a `Movement` with the
balances it leaves. A movement is never dated before the voucher's previous one: a time read before the
lock is moved up to it (two counters a millisecond apart), so a voucher's movements are in date order.

A spend takes the town's share first (it usually expires first), then the paid share; a spend given back
returns to the paid share first, then the town's: the reverse order.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import formats
from django.utils.translation import gettext as _

from centreville.core.money import euros_text
from centreville.shops.models import Shop

from .codes import code_new, code_read
from .models import Movement, MovementKind, Participation, Programme, ProgrammeStatus, Voucher, VoucherStatus


class VoucherRefused(ValidationError):
    """A spend, a refund or an issue the rules refuse, with the French reason for the person at the till."""


def euros(cents: int) -> str:
    """« 12,50 € », « 30 000,00 € » in the active language's format."""
    return euros_text(Decimal(cents).scaleb(-2))


def day_end(day: date) -> datetime:
    """The end of a day on the town's clock: a voucher « valable jusqu'au 31 décembre » is spent that day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def expiries(programme: Programme, *, at: datetime) -> tuple[datetime, datetime]:
    """When a voucher issued at `at` stops being spendable: its paid share, its town's share."""
    local_day = at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    paid = day_end(local_day + relativedelta(months=programme.paid_share_validity_months))
    town = day_end(programme.town_share_valid_until or programme.ends_on)
    return paid, town


def _movement(voucher: Voucher, *, kind: str, at: datetime, paid: int, town: int, **details: Any) -> Movement:
    """Apply signed amounts to a locked voucher, in memory, and return the movement to write with it."""
    at = max(at, voucher.moved_at)
    voucher.paid_balance_cents += paid
    voucher.town_balance_cents += town
    voucher.moved_at = at
    return Movement(
        voucher=voucher,
        programme_id=voucher.programme_id,
        kind=kind,
        at=at,
        paid_cents=paid,
        town_cents=town,
        paid_balance_after=voucher.paid_balance_cents,
        town_balance_after=voucher.town_balance_cents,
        **details,
    )


_BALANCES = ["paid_balance_cents", "town_balance_cents", "moved_at", "status", "updated_at"]


def _record(voucher: Voucher, *, kind: str, at: datetime, paid: int, town: int, **details: Any) -> Movement:
    movement = _movement(voucher, kind=kind, at=at, paid=paid, town=town, **details)
    voucher.save(update_fields=_BALANCES)
    movement.save()
    return movement


def vouchers_create(
    *,
    programme: Programme,
    count: int,
    paid_cents: int,
    town_cents: int,
    beneficiary_kind: str,
    beneficiary_key: str,
    beneficiary_name: str = "",
    at: datetime,
    by: Any = None,
    origin: str = "",
) -> list[Voucher]:
    """`count` new vouchers with their issue movements, written in bulk (a town gives thousands at once).
    The caller checks the programme's rules (`services.vouchers_issue`)."""
    paid_expires_at, town_expires_at = expiries(programme, at=at)
    vouchers = [
        Voucher(
            programme=programme,
            code=code_new(),
            beneficiary_kind=beneficiary_kind,
            beneficiary_key=beneficiary_key,
            beneficiary_name=beneficiary_name,
            issued_at=at,
            paid_issued_cents=paid_cents,
            town_issued_cents=town_cents,
            paid_balance_cents=0,
            town_balance_cents=0,
            paid_expires_at=paid_expires_at,
            town_expires_at=town_expires_at,
            moved_at=at,
            origin=origin,
        )
        for _index in range(count)
    ]
    issues = [
        _movement(
            voucher, kind=MovementKind.ISSUE, at=at, paid=paid_cents, town=town_cents, by=by, reference=origin
        )
        for voucher in vouchers
    ]
    Voucher.objects.bulk_create(vouchers, batch_size=1000)
    for movement, voucher in zip(issues, vouchers, strict=True):
        movement.voucher = voucher  # now that it has a primary key
    Movement.objects.bulk_create(issues, batch_size=1000)
    return vouchers


def spendable(voucher: Voucher, *, at: datetime) -> tuple[int, int]:
    """What can be spent now from each pot (paid, town): a pot past its date holds nothing spendable."""
    if voucher.status != VoucherStatus.ACTIVE:
        return 0, 0
    paid = voucher.paid_balance_cents if at < voucher.paid_expires_at else 0
    town = voucher.town_balance_cents if at < voucher.town_expires_at else 0
    return paid, town


def spend_refusal(voucher: Voucher, shop: Shop, amount_cents: int, at: datetime) -> str | None:
    """Why this spend would be refused, in French (the counter's balance check asks it too); None if not."""
    programme = voucher.programme
    if voucher.status == VoucherStatus.CANCELLED:
        return _("Ce bon a été annulé : il ne peut plus être utilisé.")
    if programme.status != ProgrammeStatus.OPEN:
        return _("L'opération « %(name)s » n'est pas ouverte : ses bons ne peuvent pas être utilisés.") % {
            "name": programme.name
        }
    participates = Participation.objects.filter(programme=programme, shop=shop, is_active=True).exists()
    if not participates or (programme.chains_excluded and not shop.is_independent):
        return _("Ce commerce ne participe pas à l'opération « %(name)s » : le bon n'y est pas accepté.") % {
            "name": programme.name
        }
    if amount_cents <= 0:
        return _("Le montant doit être supérieur à zéro.")
    paid, town = spendable(voucher, at=at)
    if paid + town == 0:
        if voucher.balance_cents > 0:
            last_day = max(voucher.paid_expires_at, voucher.town_expires_at) - timedelta(days=1)
            return _("Ce bon a expiré le %(day)s : il ne peut plus être utilisé.") % {
                "day": formats.date_format(last_day.astimezone(ZoneInfo(settings.TIME_ZONE)), "j F Y")
            }
        return _("Ce bon est épuisé : son solde est de 0 €.")
    if amount_cents > paid + town:
        return _("Le montant dépasse le solde du bon, qui est de %(balance)s.") % {
            "balance": euros(paid + town)
        }
    return None


def _locked_voucher(code: str) -> Voucher:
    read = code_read(code)
    if read is None:
        raise VoucherRefused(
            _("Ce code n'est pas celui d'un bon : vérifiez chaque caractère."), code="malformed"
        )
    voucher = Voucher.objects.select_for_update().select_related("programme").filter(code=read).first()
    if voucher is None:
        raise VoucherRefused(_("Aucun bon ne porte ce code : vérifiez-le."), code="unknown")
    return voucher


def voucher_spend(
    *, code: str, shop: Shop, amount_cents: int, at: datetime, by: Any = None, reference: str = ""
) -> Movement:
    """Spend `amount_cents` of the voucher at `shop`; raises VoucherRefused (nothing written) with why."""
    with transaction.atomic():
        voucher = _locked_voucher(code)
        refusal = spend_refusal(voucher, shop, amount_cents, at)
        if refusal:
            raise VoucherRefused(refusal, code="refused")
        _paid, town = spendable(voucher, at=at)
        from_town = min(town, amount_cents)
        return _record(
            voucher,
            kind=MovementKind.SPEND,
            at=at,
            paid=-(amount_cents - from_town),
            town=-from_town,
            shop=shop,
            by=by,
            reference=reference,
        )


def voucher_spend_refund(
    *, spend: Movement, at: datetime, amount_cents: int | None = None, by: Any = None, reference: str = ""
) -> Movement:
    """Give a spend (or part of it) back to its voucher: an order cancelled or refused, a mistake at the
    counter. A voucher cancelled meanwhile gets it and loses it again in the same transaction."""
    if spend.kind != MovementKind.SPEND:
        raise VoucherRefused(_("Seul un achat peut être recrédité."), code="not_a_spend")
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().select_related("programme").get(pk=spend.voucher_id)
        given_back = spend.refunds.aggregate(paid=Sum("paid_cents"), town=Sum("town_cents"))
        paid_left = -spend.paid_cents - (given_back["paid"] or 0)
        town_left = -spend.town_cents - (given_back["town"] or 0)
        amount = paid_left + town_left if amount_cents is None else amount_cents
        if amount <= 0 or amount > paid_left + town_left:
            raise VoucherRefused(
                _("On ne peut recréditer que %(left)s de cet achat.")
                % {"left": euros(paid_left + town_left)},
                code="too_much",
            )
        to_paid = min(paid_left, amount)
        movement = _record(
            voucher,
            kind=MovementKind.SPEND_REFUND,
            at=at,
            paid=to_paid,
            town=amount - to_paid,
            shop=spend.shop,
            by=by,
            reference=reference or spend.reference,
            refund_of=spend,
        )
        if voucher.status == VoucherStatus.CANCELLED:
            _record(
                voucher,
                kind=MovementKind.CANCELLATION,
                at=at,
                paid=-to_paid,
                town=-(amount - to_paid),
                by=by,
                reference=_("bon annulé"),
            )
        return movement


def vouchers_expire(*, at: datetime, batch: int = 500) -> int:
    """Take from vouchers the pots past their date, a batch of vouchers (locked by primary key) per
    transaction; returns how many vouchers changed. Safe to run twice: a second run finds nothing."""
    due = Q(town_balance_cents__gt=0, town_expires_at__lte=at) | Q(
        paid_balance_cents__gt=0, paid_expires_at__lte=at
    )
    changed, after = 0, 0
    while True:
        with transaction.atomic():
            vouchers = list(
                Voucher.objects.select_for_update().filter(due, pk__gt=after).order_by("pk")[:batch]
            )
            if not vouchers:
                return changed
            movements = []
            for voucher in vouchers:
                paid = voucher.paid_balance_cents if voucher.paid_expires_at <= at else 0
                town = voucher.town_balance_cents if voucher.town_expires_at <= at else 0
                ended = min(
                    end
                    for end, amount in ((voucher.paid_expires_at, paid), (voucher.town_expires_at, town))
                    if amount
                )
                movements.append(
                    _movement(voucher, kind=MovementKind.EXPIRY, at=ended, paid=-paid, town=-town)
                )
            Voucher.objects.bulk_update(vouchers, ["paid_balance_cents", "town_balance_cents", "moved_at"])
            Movement.objects.bulk_create(movements)
        changed += len(vouchers)
        after = vouchers[-1].pk


def voucher_cancel(*, voucher: Voucher, at: datetime, reason: str, by: Any = None) -> Movement | None:
    """Cancel a voucher (lost and replaced, refunded to its buyer, given by mistake): its balance goes."""
    if not reason.strip():
        raise VoucherRefused(_("Indiquez la raison de l'annulation."), code="no_reason")
    with transaction.atomic():
        locked = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if locked.status == VoucherStatus.CANCELLED:
            raise VoucherRefused(_("Ce bon est déjà annulé."), code="cancelled")
        locked.status = VoucherStatus.CANCELLED
        if locked.balance_cents == 0:
            locked.save(update_fields=["status", "updated_at"])
            return None
        return _record(
            locked,
            kind=MovementKind.CANCELLATION,
            at=at,
            paid=-locked.paid_balance_cents,
            town=-locked.town_balance_cents,
            by=by,
            reference=reason.strip(),
        )
