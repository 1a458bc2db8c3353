"""Reads of the enterprises for pages and the apps above."""

from __future__ import annotations

from django.db.models import Q

from centreville.towns.spaces import Space

from .models import SpaceProducer


def space_producer_ids(space: Space | None) -> set[int] | None:
    """The producers a space shows: those its town chose and those its territory chose (a territory's
    space: its own choice and its towns'). None at the platform's level, where every producer shows."""
    if space is None:
        return None
    if space.territory is not None:
        chosen = Q(territory_id=space.territory.pk) | Q(town_id__in=space.town_ids)
    else:
        town = space.town
        assert town is not None
        chosen = Q(town_id=town.pk)
        if town.territory_id is not None:
            chosen |= Q(territory_id=town.territory_id)
    return set(
        SpaceProducer.objects.filter(
            chosen, enterprise__is_active=True, enterprise__is_producer=True
        ).values_list("enterprise_id", flat=True)
    )
