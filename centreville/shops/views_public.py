"""Public showcase pages of a space: the shop directory, as a list and on a map (each shop's page lists its
products: `centreville.catalogue.views.shop_detail`).

Anonymous visitors are served from the page cache; nothing on these pages depends on who is looking.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from centreville.core.access import public
from centreville.core.pagecache import cached_town_page, expire_page_at
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import selectors, seo
from .models import TradeCategory


class TradeSelect(forms.Select):
    """The trades' list: a trade whose name has no translation is marked French (RGAA 8.7)."""

    french: frozenset[str] = frozenset()

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.french:
            option["attrs"]["lang"] = "fr"
        return option


class DirectoryFilterForm(forms.Form):
    """The directory's filters, sent by GET so that they work without JavaScript and can be bookmarked."""

    metier = forms.ChoiceField(label=gettext_lazy("Métier"), required=False, widget=TradeSelect)
    ouvert = forms.BooleanField(label=gettext_lazy("Ouvert maintenant"), required=False)
    retrait = forms.BooleanField(label=gettext_lazy("Click & Collect (retrait en boutique)"), required=False)
    accessible = forms.BooleanField(
        label=gettext_lazy("Entrée accessible en fauteuil roulant"), required=False
    )

    def __init__(self, data: Any, *, trades: list[TradeCategory]) -> None:
        super().__init__(data)
        trade = self.fields["metier"]
        assert isinstance(trade, forms.ChoiceField)
        trade.choices = [("", _("Tous les métiers")), *((t.slug, t.display_name) for t in trades)]
        if not get_language().startswith("fr"):
            assert isinstance(trade.widget, TradeSelect)
            trade.widget.french = frozenset(t.slug for t in trades if t.display_name == t.name)
        trade.error_messages["invalid_choice"] = _(
            "Ce métier n'existe pas ici : choisissez-en un dans la liste."
        )

    def filters(self) -> selectors.DirectoryFilters:
        """The valid filters; one that is not (an unknown trade) is left out rather than failing the page."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return selectors.DirectoryFilters(
            trade=cleaned.get("metier") or "",
            open_now=bool(cleaned.get("ouvert")),
            click_collect=bool(cleaned.get("retrait")),
            accessible=bool(cleaned.get("accessible")),
        )


def map_settings(space: Space, query: str) -> dict[str, str]:
    """What map.js needs: where to fetch the shops and Leaflet from, tiles and their credit, where to look,
    words for the controls and the previews."""
    centre = space.towns[0]
    data = reverse("shops:directory_map", args=[space.slug])
    return {
        "points": f"{data}?{query}" if query else data,
        "leaflet_js": static("js/vendor/leaflet-1.9.4/leaflet.js"),
        "leaflet_css": static("js/vendor/leaflet-1.9.4/leaflet.css"),
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "centre": f"{centre.latitude},{centre.longitude}",
        "zoom_in": _("Zoomer"),
        "zoom_out": _("Dézoomer"),
        "open_shop": _("Voir la page du commerce"),
        "unavailable": _("La carte n'a pas pu être chargée. La liste donne l'adresse de chaque commerce."),
    }


def map_features(points: list[selectors.MapPoint]) -> dict[str, Any]:
    """The shops as GeoJSON: what map.js places, and where each pin leads."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [point.longitude, point.latitude]},
                "properties": {
                    "name": point.name,
                    "url": reverse("catalogue:shop", args=[point.town_slug, point.slug]),
                    "trade": point.trade,
                    "state": point.state,
                },
            }
            for point in points
        ],
    }


def _directory_filters(
    request: HttpRequest, space: Space
) -> tuple[DirectoryFilterForm, selectors.DirectoryFilters]:
    form = DirectoryFilterForm(request.GET, trades=selectors.directory_trades(space))
    return form, form.filters()


@require_safe
@space_view()
@cached_town_page(metric=None)
@public
def shop_directory(request: HttpRequest, space: Space) -> HttpResponse:
    form, filters = _directory_filters(request, space)
    now = timezone.now()
    directory = selectors.shop_directory(space, filters, page_number=request.GET.get("page", 1), at=now)
    page = directory.page
    path = reverse("shops:directory", args=[space.slug])
    canonical = path if filters.active or page.number == 1 else f"{path}?page={page.number}"
    query = request.GET.copy()
    query.pop("page", None)
    meta = seo.PageMeta(
        # "%(space)s : …" rather than "de %(space)s", which French would need to elide ("d'Argentan").
        title=_("%(space)s : les commerces") % {"space": space.name},
        description=_("%(space)s : adresses, horaires, services et carte des commerces indépendants.")
        % {"space": space.name},
        canonical=seo.canonical_url(canonical),
    )
    context = {
        "meta": meta,
        "form": form,
        "filters": filters,
        "page": page,
        "shops": page.object_list,
        "page_query": query.urlencode(),
        "map": map_settings(space, query.urlencode()),
    }
    return expire_page_at(render(request, "shops/directory.html", context), directory.valid_until, now=now)


@require_safe
@space_view()
@cached_town_page(metric=None)
@public
def shop_directory_map(request: HttpRequest, space: Space) -> HttpResponse:
    """Every shop of the directory's filters on the map, not just one page: GeoJSON, cached like the page."""
    _form, filters = _directory_filters(request, space)
    now = timezone.now()
    content = selectors.directory_map(space, filters, at=now)
    response = JsonResponse(map_features(content.points), content_type="application/geo+json")
    return expire_page_at(response, content.valid_until, now=now)
