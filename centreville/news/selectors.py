"""Reads of the news for pages: subscriber counts (never addresses for merchants), sends of a town or shop."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from centreville.core.channels import Channel
from centreville.shops.models import Shop
from centreville.towns.models import Town

from .models import Campaign, CampaignKind, Subscriber, Subscription, SubscriptionStatus


@dataclass(frozen=True)
class Counts:
    email: int
    sms: int

    @property
    def total(self) -> int:
        return self.email + self.sms


def subscriber_counts(*, town: Town, shop: Shop | None) -> Counts:
    """Active subscriptions to the town's news (`shop` None) or to a shop's offers, by channel."""
    topic = Q(shop__isnull=True) if shop is None else Q(shop=shop)
    rows = (
        Subscription.objects.filter(topic, town=town, status=SubscriptionStatus.ACTIVE)
        .values("subscriber__channel")
        .annotate(n=Count("pk"))
    )
    by_channel = {row["subscriber__channel"]: row["n"] for row in rows}
    return Counts(email=by_channel.get(Channel.EMAIL, 0), sms=by_channel.get(Channel.SMS, 0))


def town_campaigns(town: Town, *, kind: str | None = None, limit: int = 50) -> list[Campaign]:
    campaigns = Campaign.objects.for_town(town).select_related("shop", "author")
    if kind is not None:
        campaigns = campaigns.filter(kind=kind)
    return list(campaigns.order_by("-created_at", "-pk")[:limit])


def town_campaign(town: Town, campaign_id: int, *, kind: str = CampaignKind.NEWSLETTER) -> Campaign | None:
    return (
        Campaign.objects.for_town(town)
        .filter(pk=campaign_id, kind=kind)
        .select_related("town", "shop")
        .first()
    )


def shop_campaigns(shop: Shop, *, limit: int = 24) -> list[Campaign]:
    return list(
        Campaign.objects.filter(shop=shop).select_related("event").order_by("-created_at", "-pk")[:limit]
    )


def shop_campaign(shop: Shop, campaign_id: int) -> Campaign | None:
    return Campaign.objects.filter(shop=shop, pk=campaign_id).select_related("town", "shop").first()


def subscriber_by_key(*, town: Town, key: str, channel: str | None = None) -> Subscriber | None:
    try:
        subscribers = Subscriber.objects.filter(town=town, key=key)
        if channel is not None:
            subscribers = subscribers.filter(channel=channel)
        return subscribers.select_related("town").first()
    except ValidationError:  # a key that is no UUID
        return None


def current_topics(subscriber: Subscriber) -> tuple[bool, list[int]]:
    """Whether the subscriber receives the town's news, and the shops whose offers it receives."""
    active = subscriber.subscriptions.filter(status=SubscriptionStatus.ACTIVE).values_list(
        "shop_id", flat=True
    )
    shop_ids = list(active)
    return None in shop_ids, [shop_id for shop_id in shop_ids if shop_id is not None]
