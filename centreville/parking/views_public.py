"""The town's public parking page (free spaces now, a map and a table), its map data and its open-data
file in the national schema."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from centreville.core.access import public
from centreville.core.pagecache import cached_town_page, expire_page_at
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import export, selectors

# Live figures: a cached page is kept at most this long.
LIVE_PAGE_SECONDS = 60


def _town(space: Space) -> Any:
    assert space.town is not None
    return space.town


def map_settings(space: Space) -> dict[str, str]:
    """What the project's map script (static/js/map.js) needs: the same Leaflet, the same tiles."""
    town = _town(space)
    return {
        "points": reverse("parking_public:map", args=[space.slug]),
        "leaflet_js": static("js/vendor/leaflet-1.9.4/leaflet.js"),
        "leaflet_css": static("js/vendor/leaflet-1.9.4/leaflet.css"),
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "centre": f"{town.latitude},{town.longitude}",
        "zoom_in": _("Zoomer"),
        "zoom_out": _("Dézoomer"),
        "open_shop": _("Voir le détail du parking"),
        "unavailable": _("La carte n'a pas pu être chargée. Le tableau donne chaque parking et son adresse."),
    }


@require_safe
@space_view(single_town=True)
@cached_town_page(metric=None)
@public
def board(request: HttpRequest, space: Space) -> HttpResponse:
    now = timezone.now()
    context = {"board": selectors.parking_board(_town(space), at=now), "map": map_settings(space)}
    response = render(request, "parking/board.html", context)
    return expire_page_at(response, now + timedelta(seconds=LIVE_PAGE_SECONDS), now=now)


@require_safe
@space_view(single_town=True)
@cached_town_page(metric=None)
@public
def board_map(request: HttpRequest, space: Space) -> HttpResponse:
    """The car parks as GeoJSON for map.js: each pin named by its car park and its state in words."""
    now = timezone.now()
    page = reverse("parking_public:board", args=[space.slug])
    features = []
    for item in selectors.parking_board(_town(space), at=now).car_parks:
        live = item.live
        if live.stale:
            state = f"{live.state_label} ({live.time_words})"
        elif live.free is not None:
            state = _("%(state)s : %(free)s places libres sur %(capacity)s") % {
                "state": live.state_label,
                "free": live.free,
                "capacity": live.capacity,
            }
        else:
            state = live.state_label
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(item.longitude), float(item.latitude)]},
                "properties": {
                    "name": item.name,
                    "url": f"{page}#parking-{item.pk}",
                    "trade": item.address,
                    "state": state,
                },
            }
        )
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features}, content_type="application/geo+json"
    )
    return expire_page_at(response, now + timedelta(seconds=LIVE_PAGE_SECONDS), now=now)


@require_safe
@space_view(single_town=True)
@cached_town_page(metric=None)
@public
def export_csv(request: HttpRequest, space: Space) -> HttpResponse:
    """The town's car parks in the national schema « stationnement » (v0.1.5), CSV in UTF-8."""
    town = _town(space)
    response = HttpResponse(export.stationnement_csv(town_id=town.pk), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="stationnement-{town.insee_code}.csv"'
    return response
