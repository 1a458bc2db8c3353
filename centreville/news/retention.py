"""How long the news keep personal data, and its purge (registered with `accounts.retention`).

- an address never confirmed: its pending subscriptions are deleted `UNCONFIRMED_DAYS` after the request,
  and the address with them when nothing else is left of it;
- an address whose subscriptions have all ended, with the proof of its consents and its messages:
  `PROOF_YEARS` years after the last one ended (the time a consent may have to be proven);
- the record of each message sent (recipient, state): `DELIVERY_DAYS` days after it was written.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Q
from django.utils.translation import gettext as _

from centreville.accounts.retention import delete_in_batches, in_days, in_months, retention_cutoff

from .models import Delivery, Subscriber, Subscription, SubscriptionStatus
from .tokens import CONFIRM_DAYS

UNCONFIRMED_DAYS = CONFIRM_DAYS + 1
PROOF_YEARS = 5
DELIVERY_DAYS = 365


def news_purge(*, at: datetime, dry_run: bool = False) -> int:
    """Erase what is due at `at` (see above), in batches; how many rows were (would be) deleted."""
    deleted = delete_in_batches(
        Subscription.objects.filter(
            status=SubscriptionStatus.PENDING, requested_at__lt=retention_cutoff(at, days=UNCONFIRMED_DAYS)
        ),
        "status",
        "requested_at",
        dry_run=dry_run,
    )
    empty = Subscriber.objects.filter(confirmed_at__isnull=True).exclude(
        Exists(Subscription.objects.filter(subscriber=OuterRef("pk")))
    )
    deleted += delete_in_batches(empty, "pk", dry_run=dry_run)
    ended = (
        Subscriber.objects.exclude(
            Exists(
                Subscription.objects.filter(subscriber=OuterRef("pk")).filter(
                    Q(status=SubscriptionStatus.ACTIVE) | Q(status=SubscriptionStatus.PENDING)
                )
            )
        )
        .annotate(last_end=Max("subscriptions__ended_at"))
        .filter(last_end__lt=retention_cutoff(at, months=12 * PROOF_YEARS))
    )
    deleted += delete_in_batches(Subscriber.objects.filter(pk__in=ended.values("pk")), "pk", dry_run=dry_run)
    deleted += delete_in_batches(
        Delivery.objects.filter(created_at__lt=retention_cutoff(at, days=DELIVERY_DAYS)),
        "pk",
        dry_run=dry_run,
    )
    return deleted


def news_period() -> str:
    return _(
        "adresse non confirmée : %(unconfirmed)s ; abonnement terminé, avec la preuve du consentement : "
        "%(proof)s après la fin ; trace de chaque message envoyé : %(deliveries)s"
    ) % {
        "unconfirmed": in_days(UNCONFIRMED_DAYS),
        "proof": in_months(12 * PROOF_YEARS),
        "deliveries": in_days(DELIVERY_DAYS),
    }
