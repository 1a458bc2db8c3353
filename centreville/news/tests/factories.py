"""Test factories of the news: confirmed subscribers and their subscriptions, as the services leave them."""

from __future__ import annotations

from datetime import UTC, datetime

from centreville.core.channels import Channel
from centreville.shops.models import Shop
from centreville.towns.models import Town

from ..models import Subscriber, Subscription, SubscriptionStatus
from ..subscriptions import purpose_of

CONFIRMED_AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def subscribed(
    town: Town, address: str, *, channel: str = Channel.EMAIL, shop: Shop | None = None
) -> Subscription:
    """An active subscription of this address (confirmed) to the town's news, or to `shop`'s offers."""
    from ..models import Consent

    subscriber, _created = Subscriber.objects.get_or_create(
        town=town, channel=channel, address=address, defaults={"confirmed_at": CONFIRMED_AT}
    )
    subscription = Subscription.objects.create(
        town=town,
        subscriber=subscriber,
        shop=shop,
        status=SubscriptionStatus.ACTIVE,
        requested_at=CONFIRMED_AT,
        started_at=CONFIRMED_AT,
        source=f"/{town.slug}/actualites/",
        wording_version="email-2026-12" if channel == Channel.EMAIL else "sms-2026-12",
    )
    Consent.objects.create(
        town=town,
        subscriber=subscriber,
        subscription=subscription,
        shop=shop,
        purpose=purpose_of(town=town, shop=shop),
        channel=channel,
        address=address,
        wording_version=subscription.wording_version,
        wording="…",
        source=subscription.source,
        given_at=CONFIRMED_AT,
    )
    return subscription
