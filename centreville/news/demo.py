"""The news of the demo town: a few confirmed subscribers by e-mail and SMS (their consents recorded as the
preferences page records them), and one newsletter sent last week with its deliveries. Nothing is sent: the
deliveries are written as the worker leaves them once sent. Running it again adds nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from centreville.core.channels import Channel
from centreville.shops.models import Shop, ShopStatus
from centreville.towns.models import Town

from . import campaigns, subscriptions
from .models import Campaign, CampaignKind, CampaignStatus, Delivery, DeliveryState, Subscriber

EMAILS = (
    "claire.morel@example.fr",
    "paul.lefebvre@example.fr",
    "ines.garnier@example.fr",
    "marc.roux@example.fr",
)
MOBILES = ("+33612345601", "+33612345602")
SUBJECT = "Cette semaine au centre-ville"
INTRODUCTION = (
    "Bonjour,\n\nLe marché de Noël s'installe place Saint-Martin et les commerces ouvrent le dimanche "
    "jusqu'à la fin de l'année. Bonne semaine en centre-ville !"
)


@transaction.atomic
def demo_news(town: Town, at: datetime) -> int:
    """Subscribers and one sent newsletter for `town` at `at`; returns how many deliveries were written."""
    if Campaign.objects.filter(town=town, kind=CampaignKind.NEWSLETTER, subject=SUBJECT).exists():
        return 0
    shops = list(Shop.objects.filter(town=town, status=ShopStatus.PUBLISHED).order_by("pk")[:2])
    source = f"/{town.slug}/actualites/"
    addresses = [(Channel.EMAIL, email) for email in EMAILS] + [(Channel.SMS, number) for number in MOBILES]
    for index, (channel, address) in enumerate(addresses):
        since = at - timedelta(days=40 - index * 5)
        subscriber, _created = Subscriber.objects.get_or_create(
            town=town, channel=channel, address=address, defaults={"confirmed_at": since}
        )
        subscriptions.preferences_update(
            subscriber=subscriber,
            town_news=index != 1,
            shops=shops[: index % 3],
            source=source,
            at=since,
        )
    sent_at = at - timedelta(days=7)
    campaign = campaigns.newsletter_create(
        town=town, subject=SUBJECT, introduction=INTRODUCTION, author=None, at=sent_at
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.SENDING, send_at=sent_at, queued_at=sent_at
    )
    written = campaigns.deliveries_write(campaign)
    Delivery.objects.filter(campaign=campaign).update(
        state=DeliveryState.SENT, attempts=1, sent_at=sent_at + timedelta(minutes=2)
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.SENT, finished_at=sent_at + timedelta(minutes=2)
    )
    return written
