"""Writes of parking besides imports and readings: the town team's feeds and car parks' settings."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from centreville.core.pagecache import town_public_data_changed
from centreville.towns.models import Town

from .models import CarPark, Feed


def feed_save(*, town: Town, feed: Feed | None, data: dict[str, Any]) -> Feed:
    """Create or change a feed of the town. A changed address, format or mapping (or a feed enabled again)
    is tried at the next round, its failures forgotten."""
    with transaction.atomic():
        if feed is None:
            feed = Feed(town=town)
        else:
            feed = Feed.objects.select_for_update().get(pk=feed.pk, town=town)
        retry = any(getattr(feed, name) != data[name] for name in ("url", "format", "mapping", "enabled"))
        for name, value in data.items():
            setattr(feed, name, value)
        if retry:
            feed.next_attempt_at = None
            feed.consecutive_failures = 0
        feed.full_clean()
        feed.save()
    return feed


def car_park_settings_save(*, car_park: CarPark, opening_hours: str, feed_ref: str) -> CarPark:
    """What the national file does not carry: opening hours and the identifier in the live feed."""
    with transaction.atomic():
        car_park.opening_hours = opening_hours
        car_park.feed_ref = feed_ref
        car_park.full_clean()
        car_park.save(update_fields=["opening_hours", "feed_ref", "updated_at"])
        town_public_data_changed(car_park.town_id)
    return car_park
