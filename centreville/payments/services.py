"""Online payment of a basket: start it, record what the provider says, refund what is given back.

Money only moves at the provider, and a network call can fail or time out, so every movement is first
recorded here (a Refund row, a share waiting for its transfer) in the same transaction as the change
that causes it, then sent to the provider once that transaction has committed, with an idempotency key
made from the row's id. Sending again (the scheduled retry) is therefore always safe, and a rolled-back
cancellation never refunds anything.

Lock order, as in the orders app: the orders (by primary key), then their payment, then a share.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, translation
from django.utils.translation import gettext as _

from centreville.accounts.retention import delete_in_batches, in_days, retention_cutoff
from centreville.core import metrics
from centreville.fulfilment.selectors import town_offers_online_payment

from . import providers
from .models import (
    Payment,
    PaymentPurpose,
    PaymentShare,
    PaymentStatus,
    Refund,
    ShopPaymentAccount,
    WebhookEvent,
)
from .onboarding import payment_account_apply
from .providers import EventType, InvalidWebhook, PaymentProvider, ProviderError, ProviderEvent
from .signals import payment_failed, payment_refunded, payment_succeeded

if TYPE_CHECKING:
    from centreville.shops.models import Shop
    from centreville.towns.models import Town

logger = logging.getLogger(__name__)

# Card payments below this cost more in fees than they bring (and Stripe refuses them).
MINIMUM_ONLINE_AMOUNT = Decimal("0.50")


def online_payment_available(town: Town, shops: Iterable[Shop] = ()) -> bool:
    """Whether a basket from these shops of the town may be paid online.

    The town must offer it; with a provider that pays shops on their own accounts (Stripe), every
    shop must have an account ready to receive payments.
    """
    if not town_offers_online_payment(town):
        return False
    try:
        provider = providers.current_provider()
    except ImproperlyConfigured:
        return False
    if not provider.needs_connected_accounts:
        return True
    shop_ids = {shop.pk for shop in shops}
    ready = ShopPaymentAccount.objects.filter(
        shop_id__in=shop_ids, provider=provider.name, charges_enabled=True
    ).count()
    return ready == len(shop_ids)


def payment_open(
    *, town: Town, basket_reference: str, shares: Sequence[PaymentShare], return_url: str, cancel_url: str
) -> Payment:
    """Open one charge at the provider for the `shares` of one basket (one per order, unsaved, with their
    order and amount) and record it; the customer pays at the returned payment's `redirect_url`.

    Runs inside the caller's transaction, its orders locked. Raises ValidationError, in French, when the
    provider cannot open it.
    """
    provider = providers.current_provider()
    payment = Payment(
        town=town,
        basket_reference=basket_reference,
        provider=provider.name,
        amount=sum((share.amount for share in shares), Decimal("0.00")),
        return_url=return_url,
        cancel_url=cancel_url,
    )
    for share in shares:
        share.payment = payment
    try:
        payment.provider_reference, payment.redirect_url = provider.create_charge(
            payment, shares, return_url, cancel_url
        )
    except ProviderError:
        logger.exception("Could not open a payment for basket %s", payment.basket_reference)
        raise ValidationError(
            _("Le paiement en ligne est indisponible pour le moment. Réessayez, ou réglez au retrait.")
        ) from None
    payment.full_clean()
    payment.save()
    for share in shares:
        share.payment = payment  # now that it has a primary key
    PaymentShare.objects.bulk_create(shares)
    return payment


def payment_open_single(
    *,
    town: Town,
    reference: str,
    amount: Decimal,
    description: str,
    payee_account_id: str | None,
    return_url: str,
    cancel_url: str,
) -> Payment:
    """Open one charge without orders (a sale of the town's vouchers) whose whole amount goes to one payee's
    account at the provider (`payee_account_id`), or to the platform's when None; the buyer pays at the
    returned payment's `redirect_url`. Its signals are then sent with `order_ids=[]`.

    Runs inside the caller's transaction. Raises ValidationError, in French, when online payment is off or
    the provider cannot open it.
    """
    try:
        provider = providers.current_provider()
    except ImproperlyConfigured:
        raise ValidationError(_("Le paiement en ligne n'est pas proposé pour le moment.")) from None
    if amount < MINIMUM_ONLINE_AMOUNT:
        raise ValidationError(
            _("Le paiement en ligne demande au moins %(minimum)s €.")
            % {"minimum": formats.number_format(MINIMUM_ONLINE_AMOUNT, 2)}
        )
    payment = Payment(
        town=town,
        basket_reference=reference,
        purpose=PaymentPurpose.VOUCHER_SALE,
        description=description[:200],
        payee_account_id=payee_account_id or "",
        provider=provider.name,
        amount=amount,
        return_url=return_url,
        cancel_url=cancel_url,
    )
    try:
        payment.provider_reference, payment.redirect_url = provider.create_charge(
            payment, (), return_url, cancel_url
        )
    except ProviderError:
        logger.exception("Could not open a payment for sale %s", reference)
        raise ValidationError(_("Le paiement en ligne est indisponible pour le moment. Réessayez.")) from None
    payment.full_clean()
    payment.save()
    return payment


def payment_pending_for(order_ids: Iterable[int]) -> Payment | None:
    """The pending payment for exactly these orders, if there is one; refuses a pending one for others."""
    wanted = set(order_ids)
    pending = list(
        Payment.objects.filter(status=PaymentStatus.PENDING, shares__order_id__in=wanted)
        .distinct()
        .prefetch_related("shares")
    )
    for payment in pending:
        if {share.order_id for share in payment.shares.all()} == wanted:
            return payment
    if pending:
        raise ValidationError(_("Un paiement en ligne est déjà en cours pour une de ces commandes."))
    return None


class PaymentMismatch(Exception):
    """A provider says a payment succeeded, but not for the amount or currency we asked."""


def payment_webhook_receive(*, provider_name: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """Check one delivery from a provider and record its event; False if it was already recorded.

    Raises providers.InvalidWebhook when the signature is wrong or stale, or the body unreadable (not
    UTF-8 JSON, ids we cannot keep, numbers beyond any payment's).
    """
    try:
        body.decode("utf-8")
        event = providers.provider_named(provider_name).parse_webhook(body, headers)
    except UnicodeDecodeError as error:
        metrics.count_webhook_event(provider=provider_name, event_type="unknown", outcome="invalid")
        raise InvalidWebhook("the body is not UTF-8") from error
    except InvalidWebhook:
        metrics.count_webhook_event(provider=provider_name, event_type="unknown", outcome="invalid")
        raise
    return payment_record_event(provider_name=provider_name, event=event)


def payment_record_event(*, provider_name: str, event: ProviderEvent) -> bool:
    """Apply a provider's event once; False (and nothing done) for an event already recorded.

    The event row is inserted first: its unique (provider, event id) key makes a concurrent or later
    delivery of the same event fail there and do nothing. Events may come in any order: a payment is
    paid once, only from pending, so a late "succeeded" never revives a failed or refunded payment.
    A "succeeded" for another amount or currency than the payment's changes nothing: the event keeps
    the problem, for the people who run the platform, and it is logged as an error.
    Raises InvalidWebhook for an event that cannot be recorded as it is.
    """
    record = WebhookEvent(
        provider=provider_name,
        event_id=event.id,
        type=event.provider_type or event.type,
        provider_reference=event.provider_reference,
        payload=dict(event.payload),
    )
    # The database constraint, not a read beforehand, decides whether it is new (reads race).
    try:
        record.full_clean(validate_constraints=False)
        if "\\u0000" in json.dumps(record.payload):
            raise ValidationError("NUL character in the payload")  # no database keeps it in JSON
    except ValidationError as error:
        _count_event(provider_name, event, "invalid")
        raise InvalidWebhook(f"event cannot be recorded: {error}") from error
    with transaction.atomic():
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            logger.info("Event %s from %s already recorded", event.id, provider_name)
            _count_event(provider_name, event, "duplicate")
            return False
        try:
            applied = _apply(provider_name, event)
        except PaymentMismatch as mismatch:
            record.problem = str(mismatch)
            record.save(update_fields=["problem"])
            logger.error("Event %s from %s not applied: %s", event.id, provider_name, mismatch)
            _count_event(provider_name, event, "mismatch")
            return True
        if applied:
            record.processed = True
            record.save(update_fields=["processed"])
    _count_event(provider_name, event, "applied" if applied else "ignored")
    return True


def _count_event(provider_name: str, event: ProviderEvent, outcome: str) -> None:
    metrics.count_webhook_event(provider=provider_name, event_type=str(event.type), outcome=outcome)


def _apply(provider_name: str, event: ProviderEvent) -> bool:
    if event.type == EventType.ACCOUNT_UPDATED:
        return event.account is not None and payment_account_apply(
            provider_name=provider_name, status=event.account
        )
    if event.type == EventType.OTHER or not event.provider_reference:
        return False
    payment_id = (
        Payment.objects.filter(provider=provider_name)
        .filter(Q(provider_reference=event.provider_reference) | Q(charge_reference=event.provider_reference))
        .values_list("pk", flat=True)
        .first()
    )
    if payment_id is None:
        logger.warning("Event %s from %s is about no payment of ours", event.id, provider_name)
        return False
    # The orders are locked first (by primary key, through their shares), then the payment.
    order_ids = [
        share.order_id
        for share in PaymentShare.objects.filter(payment_id=payment_id)
        .select_related("order")
        .select_for_update(of=("order",))
        .order_by("order_id")
    ]
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if event.type == EventType.SUCCEEDED:
        return _paid(payment, event, order_ids)
    if event.type == EventType.FAILED:
        return _failed(payment, order_ids)
    return _refunded(payment, event, order_ids)


def _paid(payment: Payment, event: ProviderEvent, order_ids: list[int]) -> bool:
    if payment.status != PaymentStatus.PENDING:
        return False
    if event.amount != payment.amount or (event.currency or "") != payment.currency.lower():
        # Not what the customer was asked to pay: the orders stay unpaid until someone looks.
        raise PaymentMismatch(_mismatch(payment, event))
    payment.status = PaymentStatus.PAID
    payment.charge_reference = event.charge_reference or payment.charge_reference
    # The orders become paid; one that ended meanwhile has its share given back (`payment_share_give_back`).
    payment_succeeded.send(sender=Payment, payment=payment, order_ids=order_ids)
    payment.full_clean()
    payment.save()
    _send_after_commit(payment)
    return True


def _mismatch(payment: Payment, event: ProviderEvent) -> str:
    """What the team reads on the event, in the platform's language whatever the request's."""
    received = f"{event.amount if event.amount is not None else '?'} {(event.currency or '?').upper()}"
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Paiement %(payment)s (panier %(basket)s, ville %(town)s) : %(expected)s attendus, "
            "le prestataire annonce %(received)s. Rien n'est marqué payé : vérifiez chez le "
            "prestataire et remboursez le client si besoin."
        ) % {
            "payment": payment.pk,
            "basket": payment.basket_reference,
            "town": payment.town_id,
            "expected": f"{payment.amount} {payment.currency.upper()}",
            "received": received,
        }


def _failed(payment: Payment, order_ids: list[int]) -> bool:
    if payment.status != PaymentStatus.PENDING:
        return False
    payment.status = PaymentStatus.FAILED
    payment.save(update_fields=["status", "updated_at"])
    payment_failed.send(sender=Payment, payment=payment, order_ids=order_ids)
    # The split described money that never came; the orders are free to be paid by a new payment.
    payment.shares.all().delete()
    return True


def _refunded(payment: Payment, event: ProviderEvent, order_ids: list[int]) -> bool:
    """A refund the provider reports (ours, or one made on its dashboard); amounts only ever grow."""
    if payment.status in (PaymentStatus.FAILED, PaymentStatus.REFUNDED):
        return False
    refunded = min(payment.amount, max(payment.amount_refunded, event.amount or payment.amount))
    was_pending = payment.status == PaymentStatus.PENDING
    if refunded == payment.amount_refunded and not was_pending:
        return False
    payment.amount_refunded = refunded
    whole = refunded >= payment.amount
    payment.status = PaymentStatus.REFUNDED if whole else PaymentStatus.PARTIALLY_REFUNDED
    payment.save(update_fields=["amount_refunded", "status", "updated_at"])
    if was_pending:
        logger.warning("Payment %s refunded before we heard it was paid", payment.pk)
    payment_refunded.send(sender=Payment, payment=payment, order_ids=order_ids, whole=whole)
    return True


def payment_share_give_back(*, payment: Payment, order_id: int) -> None:
    """Record that this order's share of `payment` is owed back to the customer (inside the transaction);
    the provider is asked once it commits. The caller saves `payment`."""
    share = payment.shares.get(order_id=order_id)
    if share.amount > 0 and not Refund.objects.filter(order_id=order_id).exists():
        refund = Refund(payment=payment, order_id=order_id, amount=share.amount)
        refund.full_clean()
        refund.save()
        payment.amount_refunded = min(payment.amount, payment.amount_refunded + share.amount)
    if payment.amount_refunded > 0:
        whole = payment.amount_refunded >= payment.amount
        payment.status = PaymentStatus.REFUNDED if whole else PaymentStatus.PARTIALLY_REFUNDED


def payment_give_back_whole(*, payment: Payment) -> None:
    """Record that everything paid by `payment`, a payment without orders, is owed back to the buyer (inside
    the transaction, the payment locked; once whatever is called); the provider is asked once it commits.
    The caller saves `payment` (a receiver of `payment_succeeded`: `_paid` does)."""
    if payment.purpose == PaymentPurpose.ORDERS:
        raise ValueError("a basket's payment is given back order by order (payment_share_give_back)")
    if Refund.objects.filter(payment=payment, order__isnull=True).exists():
        return
    refund = Refund(payment=payment, order=None, amount=payment.amount)
    refund.full_clean(validate_constraints=False)
    refund.save()
    payment.amount_refunded = payment.amount
    payment.status = PaymentStatus.REFUNDED
    _send_after_commit(payment)


def payment_refund_share(*, order_id: int) -> bool:
    """Refund this order's share of its online payment, once paid (inside the transaction, the order locked
    by the caller). The refund is recorded now and sent to the provider after the commit (see the module's
    docstring). False when the order has no share of a payment.
    """
    payment_id = PaymentShare.objects.filter(order_id=order_id).values_list("payment_id", flat=True).first()
    if payment_id is None:
        return False
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    payment_share_give_back(payment=payment, order_id=order_id)
    payment.save(update_fields=["amount_refunded", "status", "updated_at"])
    _send_after_commit(payment)
    return True


def _send_after_commit(payment: Payment) -> None:
    from .tasks import send_payment_to_provider  # the task module imports this one

    payment_id = payment.pk
    transaction.on_commit(lambda: send_payment_to_provider.enqueue(payment_id))


def payment_send_to_provider(*, payment_id: int) -> None:
    """Send the provider what is recorded and not sent yet: refunds first, then shops' transfers.

    Safe to run again at any time, concurrently too: each row is locked while it is sent, a sent row
    has the provider's reference, and the provider deduplicates by our idempotency key. A failure is
    logged and left for the next run.
    """
    payment = Payment.objects.get(pk=payment_id)
    provider = providers.provider_named(payment.provider)
    for refund_id, order_id in Refund.objects.filter(payment=payment, provider_reference="").values_list(
        "pk", "order_id"
    ):
        if order_id is None:
            _send_whole_refund(provider, payment, refund_id)
        else:
            _send_refund(provider, payment, refund_id, order_id)
    if payment.status in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED):
        waiting = payment.shares.filter(transfer_reference="", amount__gt=0, order__refund__isnull=True)
        for share_id in waiting.values_list("pk", flat=True):
            _send_transfer(provider, payment, share_id)


@transaction.atomic
def _send_refund(provider: PaymentProvider, payment: Payment, refund_id: int, order_id: int) -> None:
    # The share's lock makes a refund wait for a transfer being sent, so that it can reverse it.
    share = PaymentShare.objects.select_for_update().select_related("order").get(order_id=order_id)
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.provider_reference:
        return
    try:
        refund.provider_reference = provider.refund(
            payment, share, refund.amount, idempotency_key=f"refund-{refund.pk}"
        )
    except ProviderError:
        logger.exception("Refund %s not sent yet", refund.pk)
        return
    refund.save(update_fields=["provider_reference"])


@transaction.atomic
def _send_whole_refund(provider: PaymentProvider, payment: Payment, refund_id: int) -> None:
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.provider_reference:
        return
    try:
        refund.provider_reference = provider.refund(
            payment, None, refund.amount, idempotency_key=f"refund-{refund.pk}"
        )
    except ProviderError:
        logger.exception("Refund %s not sent yet", refund.pk)
        return
    refund.save(update_fields=["provider_reference"])


@transaction.atomic
def _send_transfer(provider: PaymentProvider, payment: Payment, share_id: int) -> None:
    share = PaymentShare.objects.select_for_update().select_related("order").get(pk=share_id)
    if share.transfer_reference or Refund.objects.filter(order_id=share.order_id).exists():
        return  # sent meanwhile, or given back to the customer before it reached the shop
    try:
        share.transfer_reference = provider.transfer(payment, share, idempotency_key=f"transfer-{share.pk}")
    except ProviderError:
        logger.exception("Transfer of share %s not sent yet", share.pk)
        return
    share.save(update_fields=["transfer_reference"])


def payments_send_unsent() -> int:
    """Retry every refund and transfer not sent yet (run on a schedule); the number of payments tried."""
    unsent = Payment.objects.filter(
        Q(refunds__provider_reference="")
        | Q(
            status__in=[PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED],
            shares__transfer_reference="",
            shares__amount__gt=0,
            shares__order__refund__isnull=True,
        )
    ).distinct()
    payment_ids = list(unsent.values_list("pk", flat=True))
    for payment_id in payment_ids:
        payment_send_to_provider(payment_id=payment_id)
    return len(payment_ids)


def payment_event_period() -> str:
    """How long what the provider sent is kept, in words, for the privacy page."""
    return _("%(period)s après leur réception") % {"period": in_days(settings.PAYMENT_EVENT_RETENTION_DAYS)}


def payment_events_purge(*, at: datetime, dry_run: bool = False) -> int:
    """Delete the provider's events received `PAYMENT_EVENT_RETENTION_DAYS` before `at` or earlier (their
    payload may name the payer and their e-mail), in batches; how many were (with `dry_run`: would be).

    The money's story stays in the payments, shares and refunds. A deleted event's key is free again, which
    is harmless: a provider stops sending an event after a few days, a replayed one's signature is refused
    as too old, and a payment's state only moves forward.
    """
    cutoff = retention_cutoff(at, days=settings.PAYMENT_EVENT_RETENTION_DAYS)
    due = WebhookEvent.objects.filter(received_at__lt=cutoff)
    return delete_in_batches(due, "received_at", "pk", dry_run=dry_run)
