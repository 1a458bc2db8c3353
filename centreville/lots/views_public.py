"""The producers' lots for everyone, per space: the search « disponible maintenant autour de moi »
(/<town>/producteurs/, its map's data) and a producer's page (/<town>/producteurs/<producer>/).

Never cached: quantities change from the producers' phones at any moment.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from centreville.catalogue.models import ProductCategory
from centreville.core.access import public
from centreville.enterprises.models import Enterprise
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import around, selectors
from .forms import ENTERPRISE_PLACE, AroundForm


def _buyers(request: HttpRequest) -> list[Enterprise]:
    """The buying enterprises of the person searching: each one's address is a place to search from."""
    if not request.user.is_authenticated:
        return []
    return list(
        Enterprise.objects.filter(members__user=request.user, is_buyer=True, is_active=True).order_by("name")
    )


def _search(
    request: HttpRequest, space: Space, *, with_lots: bool = True
) -> tuple[AroundForm, around.Place, around.AroundResult | None, bool]:
    categories = list(ProductCategory.objects.order_by("position", "name"))
    buyers = _buyers(request)
    form = AroundForm(request.GET, categories=categories, buyers=buyers)
    filters = form.filters()
    cleaned = getattr(form, "cleaned_data", {})
    place, unknown_place = around.space_place(space), False
    origin = cleaned.get("depuis") or ""
    if origin.startswith(ENTERPRISE_PLACE):
        slug = origin.removeprefix(ENTERPRISE_PLACE)
        place = next((around.enterprise_place(b) for b in buyers if b.slug == slug), place)
    elif cleaned.get("lat") is not None and cleaned.get("lon") is not None:
        place = around.Place(_("votre position"), cleaned["lat"], cleaned["lon"])
    elif cleaned.get("lieu"):
        found = around.town_place(cleaned["lieu"])
        place, unknown_place = (found, False) if found else (place, True)
    if not with_lots:
        return form, place, None, unknown_place
    result = around.lots_around(
        place=place,
        filters=filters,
        space=space,
        today=timezone.localdate(),
        page_number=request.GET.get("page", 1),
    )
    return form, place, result, unknown_place


def _map_settings(space: Space, query: str, place: around.Place) -> dict[str, str]:
    data = reverse("lots_public:map", args=[space.slug])
    return {
        "points": f"{data}?{query}" if query else data,
        "leaflet_js": static("js/vendor/leaflet-1.9.4/leaflet.js"),
        "leaflet_css": static("js/vendor/leaflet-1.9.4/leaflet.css"),
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "centre": f"{place.latitude},{place.longitude}",
        "zoom_in": _("Zoomer"),
        "zoom_out": _("Dézoomer"),
        "open_shop": _("Voir la page du producteur"),
        "unavailable": _(
            "La carte n'a pas pu être chargée. La liste donne la distance de chaque producteur."
        ),
    }


@require_safe
@space_view()
@public
def lots_around(request: HttpRequest, space: Space) -> HttpResponse:
    form, place, result, unknown_place = _search(request, space)
    assert result is not None
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        "place": place,
        "unknown_place": unknown_place,
        "result": result,
        "page": result.page,
        "page_query": query.urlencode(),
        "map": _map_settings(space, query.urlencode(), place),
    }
    return render(request, "lots/public/around.html", context)


@require_safe
@space_view()
@public
def lots_around_map(request: HttpRequest, space: Space) -> HttpResponse:
    """The producers of the search's results, as GeoJSON points for the shared map component."""
    form, place, _result, _unknown = _search(request, space, with_lots=False)
    found = around.producers_around(
        place=place, filters=form.filters(), space=space, today=timezone.localdate()
    )
    producers = Enterprise.objects.filter(pk__in=[p.enterprise_id for p in found])
    named = {pk: (slug, name) for pk, slug, name in producers.values_list("pk", "slug", "name")}
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]},
            "properties": {
                "name": named[p.enterprise_id][1],
                "url": reverse("lots_public:producer", args=[space.slug, named[p.enterprise_id][0]]),
                "trade": around.distance_in_words(p.distance_km),
                "state": ngettext("%(count)s lot disponible", "%(count)s lots disponibles", p.lots)
                % {"count": p.lots},
            },
        }
        for p in found
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features}, content_type="application/geo+json"
    )


@require_safe
@space_view()
@public
def producer(request: HttpRequest, space: Space, enterprise_slug: str) -> HttpResponse:
    enterprise = selectors.shown_producer(space, enterprise_slug)
    if enterprise is None:
        raise Http404
    content = selectors.producer_page(
        space=space, enterprise=enterprise, at=timezone.now(), page_number=request.GET.get("page", 1)
    )
    return render(request, "lots/public/producer.html", {"producer": content, "page": content.page})
