"""How long an order keeps its customer's name and contact: `PERSONAL_DATA_RETENTION_MONTHS` after it ended.

The order itself stays, with its shop, articles, amounts, statuses and dates: they are the merchant's accounts
and the observatory's figures. What names or reaches a person is erased: the name (replaced by
`ERASED_CUSTOMER`), the telephone and e-mail, the delivery street address (the postcode and town stay: they
identify nobody and measure how far delivery reaches), the locker code, the reasons written on its steps
(a merchant may have named the customer there), and the private tracking link (given a new key nobody
knows). The messages sent about the order go with them (`order_customer_forgotten`).

A signed-in customer's order loses the same copies of their contact: the account holds who they are. The
order stays linked to the account while the account exists (it is still in their list of orders); erasing the
account unlinks it at once (`services.orders_forget_customer`). Guests' and customers' orders are treated
alike: only the end of the order counts, never whether someone signed in.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import MD5, Cast, Concat
from django.utils.translation import gettext as _

from centreville.accounts.retention import BATCH_SIZE, in_months, retention_cutoff

from .models import Order, OrderEvent
from .signals import order_customer_forgotten

ERASED_CUSTOMER = "Client anonymisé"  # what an order keeps of its customer's name once it is erased
ERASED_REASON = "Motif effacé"  # what a step keeps of the reason written for it


def order_retention_period() -> str:
    """How long an ended order keeps its customer's contact, in words, for the privacy page."""
    return _("%(period)s après la fin de la commande (retirée, annulée, refusée, expirée…)") % {
        "period": in_months(settings.PERSONAL_DATA_RETENTION_MONTHS)
    }


def orders_contact_due(*, at: datetime) -> QuerySet[Order]:
    """The ended orders still holding their customer's contact past the retention period at `at`."""
    cutoff = retention_cutoff(at, months=settings.PERSONAL_DATA_RETENTION_MONTHS)
    # Spelled as the partial index `order_contact_kept` is, so that only due orders are read.
    return Order.objects.filter(
        ended_at__isnull=False, personal_data_erased_at__isnull=True, ended_at__lt=cutoff
    )


def orders_personal_data_purge(*, at: datetime, dry_run: bool = False) -> int:
    """Erase the customer's name and contact of every order ended more than the retention period before
    `at`, in batches; how many orders were (with `dry_run`: would be) made anonymous. Safe to run again."""
    if dry_run:
        return orders_contact_due(at=at).count()
    erased = 0
    while batch := _erase_batch(at=at):
        erased += batch
    return erased


@transaction.atomic
def _erase_batch(*, at: datetime) -> int:
    # Rows another run is erasing right now are skipped, not waited for: that run erases them.
    order_ids = list(
        orders_contact_due(at=at)
        .select_for_update(skip_locked=True)
        .order_by("ended_at", "pk")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    if not order_ids:
        return 0
    order_customer_forgotten.send(sender=Order, order_ids=order_ids)
    OrderEvent.objects.filter(order_id__in=order_ids).exclude(reason="").update(reason=ERASED_REASON)
    # Each order's link gets a new key, computed by the database from a random secret kept nowhere and the
    # order's id: nobody can guess it, and one statement writes each row once (a CASE of 500 random keys
    # would cost Django more than the writes).
    secret = secrets.token_hex(32)
    new_tokens = MD5(Concat(Value(secret), Cast("pk", output_field=CharField())))
    return Order.objects.filter(pk__in=order_ids).update(
        tracking_token=new_tokens,
        customer_name=ERASED_CUSTOMER,
        customer_contact="",
        customer_email="",
        customer_phone="",
        delivery_address="",
        locker_code="",
        personal_data_erased_at=at,
    )
