"""A newsletter to 100,000 confirmed e-mail subscribers, queued, rendered and sent through the task queue.

    python -m bench.newsletter [--recipients 100000] [--postgres-url URL]

On its own PostgreSQL database (BENCH_NEWS_POSTGRES_URL, created if missing): a bench town with this many
confirmed e-mail subscribers to its news (bulk created, kept when already there), and a few dates in its
agenda. A newsletter is then sent as the worker sends it, its tasks run in this process (Django's immediate
task backend, as the tests run them): its start writes one delivery per subscriber and queues one task per
batch; each batch renders the letter once and each recipient's message (text, HTML, the one-click unsubscribe
headers), and hands it to an e-mail backend that builds the MIME message as SMTP would and counts it instead
of sending it. Every batch is then run a second time, as a retried task would be. The last line reads
`bench=newsletter recipients=… seconds=… per_s=… sent_once=true|false`; the exit status is 1 unless each
recipient got exactly one message.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_news_bench"
TOWN_SLUG = "bench-lettre"
BULK = 5_000


class CountingBackend(BaseEmailBackend):
    """Builds each message as SMTP would (MIME, headers, both parts) and counts it per recipient."""

    received: Counter[str] = Counter()

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        for message in email_messages:
            message.message().as_bytes()
            for address in message.recipients():
                self.received[address] += 1
        return len(email_messages)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.newsletter", description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_NEWS_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database of this benchmark (env BENCH_NEWS_POSTGRES_URL); created if missing",
    )
    args = parser.parse_args(argv)
    if args.recipients < 1:
        parser.error("recipients must be positive")
    return args


def bench_town_with_subscribers(count: int) -> Any:
    """The bench town and exactly `count` active, confirmed e-mail subscriptions to its news."""
    from django.db import transaction
    from django.utils import timezone

    from centreville.agenda.models import Event, EventKind
    from centreville.agenda.recurrence import refresh_occurrences
    from centreville.core.channels import Channel
    from centreville.news.models import Campaign, Subscriber, Subscription, SubscriptionStatus
    from centreville.towns.models import Town

    now = timezone.now()
    town, created = Town.objects.get_or_create(
        slug=TOWN_SLUG,
        defaults={
            "name": "Lettre-sur-Banc",
            "insee_code": "99001",
            "postcodes": ["61200"],
            "latitude": Decimal("48.744500"),
            "longitude": Decimal("-0.020300"),
        },
    )
    Campaign.objects.filter(town=town).delete()  # the deliveries of earlier runs go with them
    if created or not Event.objects.filter(town=town).exists():
        for day in range(6):
            event = Event.objects.create(
                town=town,
                kind=EventKind.MARKET if day % 2 else EventKind.CONCERT,
                title=f"Rendez-vous du centre-ville n° {day + 1}",
                starts_at=now + timedelta(days=day, hours=2),
                ends_at=now + timedelta(days=day, hours=4),
                venue_name="Place du Marché",
            )
            refresh_occurrences(event, at=now)
    have = Subscription.objects.filter(town=town, status=SubscriptionStatus.ACTIVE).count()
    if have != count:
        with transaction.atomic():
            Subscriber.objects.filter(town=town).delete()
            for start in range(0, count, BULK):
                subscribers = Subscriber.objects.bulk_create(
                    [
                        Subscriber(
                            town=town,
                            channel=Channel.EMAIL,
                            address=f"abonne{n:06d}@example.org",
                            confirmed_at=now,
                        )
                        for n in range(start, min(start + BULK, count))
                    ]
                )
                Subscription.objects.bulk_create(
                    [
                        Subscription(
                            town=town,
                            subscriber=subscriber,
                            status=SubscriptionStatus.ACTIVE,
                            requested_at=now,
                            started_at=now,
                            wording_version="email-2026-12",
                            source=f"/{TOWN_SLUG}/actualites/",
                        )
                        for subscriber in subscribers
                    ]
                )
    return town


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import setup_django_on

    if not setup_django_on("postgresql", args.postgres_url):
        return 2

    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings
    from django.utils import timezone

    settings.DEBUG = False
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    town = bench_town_with_subscribers(args.recipients)
    print(f"{args.recipients} subscribers ready in {time.perf_counter() - started:.1f} s", flush=True)

    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The backend Django loads by its dotted path: this module imported under its name, not as __main__.
    from bench.newsletter import CountingBackend as Backend

    received = Backend.received
    with override_settings(TASKS=immediate, EMAIL_BACKEND="bench.newsletter.CountingBackend"):
        from centreville.news import campaigns, tasks
        from centreville.news.models import Campaign, Delivery, DeliveryState

        campaign = campaigns.newsletter_create(
            town=town,
            subject="La semaine au centre-ville",
            introduction="Bonjour,\n\nVoici l'agenda de la semaine. Bonne lecture !",
            author=None,
            at=timezone.now(),
        )
        received.clear()
        started = time.perf_counter()
        campaigns.newsletter_schedule(campaign=campaign, send_at=None, at=timezone.now())  # queues its start
        seconds = time.perf_counter() - started
        batches = list(
            Delivery.objects.filter(campaign=campaign)
            .order_by("pk")
            .values_list("pk", flat=True)[:: campaigns.BATCH_SIZE]
        )
        first_pass = sum(received.values())
        print(
            f"sent {first_pass} messages in {len(batches)} batches of {campaigns.BATCH_SIZE}: {seconds:.1f} s"
        )
        last = Delivery.objects.filter(campaign=campaign).order_by("-pk").values_list("pk", flat=True).first()
        for first_id in batches:  # every batch again, as a retried or duplicated task would run
            tasks.send_batch.call(campaign.pk, first_id, last or first_id)
        campaign.refresh_from_db()
        sent_rows = Delivery.objects.filter(campaign=campaign, state=DeliveryState.SENT).count()
        once = (
            len(received) == args.recipients
            and set(received.values()) == {1}
            and sent_rows == args.recipients
            and campaign.status == "sent"
        )
        assert isinstance(campaign, Campaign)
    print(
        f"bench=newsletter recipients={args.recipients} seconds={seconds:.1f} "
        f"per_s={args.recipients / seconds:.0f} sent_once={'true' if once else 'false'}",
        flush=True,
    )
    return 0 if once else 1


if __name__ == "__main__":
    sys.exit(main())
