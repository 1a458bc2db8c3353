"""Reads of the news for pages: subscriber counts (never addresses for merchants), sends of a town or shop,
the shops a resident may follow."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet

from centreville.core.channels import Channel
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.taxonomy import trade_name
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


def subscribable_shops(town: Town) -> QuerySet[Shop]:
    """The town's published shops, whose offers a resident may subscribe to."""
    return Shop.objects.for_town(town).filter(status=ShopStatus.PUBLISHED)


def subscribable_shops_by_trade(town: Town) -> list[tuple[str, list[tuple[int, str]]]]:
    """The town's published shops grouped by trade (the shops app's categories, in their order and the current
    language), each group's shops by name: `(trade, [(shop id, shop name), …])`, in one query."""
    rows = (
        subscribable_shops(town)
        .order_by("category__position", "category__name", "name", "pk")
        .values_list("pk", "name", "category__name")
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    for shop_id, name, trade in rows:
        groups.setdefault(trade, []).append((shop_id, name))
    return [(trade_name(trade), shops) for trade, shops in groups.items()]
