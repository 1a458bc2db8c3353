"""The producers' lots for everyone: the search « disponible maintenant autour de moi » (its map's data) and
a producer's page, in a space (/<town>/producteurs/…: the producers it shows) and at the platform's level
(/producteurs/…: every active producer). One body per page; the town's and the platform's views only
say which space.

Never cached: quantities change from the producers' phones at any moment.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def _url(name: str, space: Space | None, *args: str) -> str:
    """The address of the page `name` in the space, or at the platform's level when `space` is None."""
    if space is None:
        return reverse(f"lots_platform:{name}", args=args)
    return reverse(f"lots_public:{name}", args=[space.slug, *args])


def _buyers(request: HttpRequest) -> list[Enterprise]:
    """The buying enterprises of the person searching: each one's address is a place to search from."""
    if not request.user.is_authenticated:
        return []
    return list(
        Enterprise.objects.filter(members__user=request.user, is_buyer=True, is_active=True).order_by("name")
    )


@dataclass(frozen=True)
class _Search:
    form: AroundForm
    filters: around.AroundFilters
    # Where to search from: the space's town unless the buyer says; none at the platform's level until the
    # buyer says (it has no centre).
    place: around.Place | None
    unknown_place: bool


def _search(request: HttpRequest, space: Space | None) -> _Search:
    categories = list(ProductCategory.objects.order_by("position", "name"))
    buyers = _buyers(request)
    form = AroundForm(request.GET, categories=categories, buyers=buyers)
    filters = form.filters()
    cleaned = getattr(form, "cleaned_data", {})
    place = around.space_place(space) if space is not None else None
    unknown_place = False
    origin = cleaned.get("depuis") or ""
    if origin.startswith(ENTERPRISE_PLACE):
        slug = origin.removeprefix(ENTERPRISE_PLACE)
        place = next((around.enterprise_place(b) for b in buyers if b.slug == slug), place)
    elif cleaned.get("lat") is not None and cleaned.get("lon") is not None:
        place = around.Place(_("votre position"), cleaned["lat"], cleaned["lon"])
    elif cleaned.get("lieu"):
        found = around.town_place(cleaned["lieu"])
        place, unknown_place = (found, False) if found else (place, True)
    return _Search(form, filters, place, unknown_place)


def _map_settings(space: Space | None, query: str, place: around.Place) -> dict[str, str]:
    data = _url("map", space)
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


def _around_page(request: HttpRequest, space: Space | None) -> HttpResponse:
    search = _search(request, space)
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "form": search.form,
        "place": search.place,
        "unknown_place": search.unknown_place,
        "unknown_place_name": search.form.cleaned_data.get("lieu", "") if search.unknown_place else "",
        "search_url": _url("around", space),
    }
    if search.place is None:
        context["place_names"] = around.place_names()
        context["from_enterprises"] = "depuis" in search.form.fields
    else:
        result = around.lots_around(
            place=search.place,
            filters=search.filters,
            space=space,
            today=timezone.localdate(),
            page_number=request.GET.get("page", 1),
        )
        context.update(
            result=result,
            page=result.page,
            page_query=query.urlencode(),
            map=_map_settings(space, query.urlencode(), search.place),
        )
    return render(request, "lots/public/around.html", context)


def _around_map(request: HttpRequest, space: Space | None) -> HttpResponse:
    """The producers of the search's results, as GeoJSON points for the shared map component (none until
    there is a place to search from)."""
    search = _search(request, space)
    found = (
        around.producers_around(
            place=search.place, filters=search.filters, space=space, today=timezone.localdate()
        )
        if search.place is not None
        else []
    )
    producers = Enterprise.objects.filter(pk__in=[p.enterprise_id for p in found])
    named = {pk: (slug, name) for pk, slug, name in producers.values_list("pk", "slug", "name")}
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]},
            "properties": {
                "name": named[p.enterprise_id][1],
                "url": _url("producer", space, named[p.enterprise_id][0]),
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


def _producer_page(request: HttpRequest, space: Space | None, enterprise_slug: str) -> HttpResponse:
    enterprise = selectors.shown_producer(space, enterprise_slug)
    if enterprise is None:
        raise Http404
    content = selectors.producer_page(
        space=space, enterprise=enterprise, at=timezone.now(), page_number=request.GET.get("page", 1)
    )
    context = {"producer": content, "page": content.page, "search_url": _url("around", space)}
    return render(request, "lots/public/producer.html", context)


# --- In a town's or territory's space: the producers it shows ---------------------------------------------


@require_safe
@space_view()
@public
def lots_around(request: HttpRequest, space: Space) -> HttpResponse:
    return _around_page(request, space)


@require_safe
@space_view()
@public
def lots_around_map(request: HttpRequest, space: Space) -> HttpResponse:
    return _around_map(request, space)


@require_safe
@space_view()
@public
def producer(request: HttpRequest, space: Space, enterprise_slug: str) -> HttpResponse:
    return _producer_page(request, space, enterprise_slug)


# --- At the platform's level: every active producer -------------------------------------------------------


@require_safe
@public
def platform_lots_around(request: HttpRequest) -> HttpResponse:
    return _around_page(request, None)


@require_safe
@public
def platform_lots_around_map(request: HttpRequest) -> HttpResponse:
    return _around_map(request, None)


@require_safe
@public
def platform_producer(request: HttpRequest, enterprise_slug: str) -> HttpResponse:
    return _producer_page(request, None, enterprise_slug)
