"""What activity counts when lower apps report something."""

from typing import Any

from django.dispatch import receiver

from centreville.core.signals import town_page_viewed

from . import services


@receiver(town_page_viewed, dispatch_uid="activity.count_town_page_view")
def count_town_page_view(
    sender: Any,
    *,
    metric: str,
    town_id: int,
    shop_slug: str | None,
    product_slug: str | None = None,
    **kwargs: Any,
) -> None:
    services.record(metric, town_id=town_id, shop_slug=shop_slug, product_slug=product_slug)
