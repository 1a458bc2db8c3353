from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from centreville.activity import services as activity
from centreville.activity.models import Metric
from centreville.core.access import public
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import selectors
from .forms import KIND_PARAMS, SearchForm
from .text import words

# search() keyword → URL parameter.
FACET_PARAMS = {"kind": "type", "trade": "metier", "product_category": "categorie"}


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    active: bool
    count: int | None = None
    lang: str = ""  # "fr" for a name left in French on a page in another language


@dataclass(frozen=True)
class FacetGroup:
    name: str
    heading: str
    links: list[Link]


def _url(params: dict[str, str], **changes: str | int | None) -> str:
    merged = {**params, **{key: str(value) for key, value in changes.items() if value}}
    for key, value in changes.items():
        if not value:
            merged.pop(key, None)
    return "?" + urlencode({key: value for key, value in merged.items() if value})


def _facet_groups(results: selectors.SearchResults, params: dict[str, str]) -> list[FacetGroup]:
    headings = {
        "kind": (_("Type"), _("Tous les types")),
        "trade": (_("Métier"), _("Tous les métiers")),
        "product_category": (_("Catégorie de produit"), _("Toutes les catégories")),
    }
    groups = []
    for facet in results.facets:
        if not facet.values:
            continue
        param = FACET_PARAMS[facet.name]
        heading, everything = headings[facet.name]
        links = [Link(everything, _url(params, **{param: None, "page": None}), facet.active is None)]
        for value in facet.values:
            url_value = KIND_PARAMS[value.value] if facet.name == "kind" else value.value
            links.append(
                Link(
                    value.label,
                    _url(params, **{param: url_value, "page": None}),
                    value.active,
                    value.count,
                    value.lang,
                )
            )
        groups.append(FacetGroup(param, heading, links))
    return groups


@require_safe
@space_view()
@public
def results(request: HttpRequest, space: Space) -> HttpResponse:
    """Search the space's shops and products; works as a plain GET form, without JavaScript."""
    form = SearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "results": None}
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        found = selectors.search(
            space,
            data["q"],
            kind=data["type"],
            trade=data["metier"],
            product_category=data["categorie"],
            page=data["page"],
            at=timezone.now(),
        )
        if found.searched:
            # A territory's search covers each of its towns: each counts it.
            unfiltered = not (data["type"] or data["metier"] or data["categorie"])
            for town_id in space.town_ids:
                activity.record(Metric.SEARCH, town_id=town_id)
                # Nothing at all for these words (no filter narrowed them): what residents look for and
                # cannot find here. Only the normalised words are kept, nothing about who searched.
                if unfiltered and found.total == 0 and data["page"] == 1:
                    activity.record_search_without_result(town_id=town_id, words=" ".join(words(data["q"])))
        params = {
            "q": data["q"],
            "type": KIND_PARAMS.get(data["type"] or "", ""),
            "metier": data["metier"] or "",
            "categorie": data["categorie"] or "",
        }
        context.update(
            results=found,
            facet_groups=_facet_groups(found, params),
            pages=[
                Link(str(number), _url(params, page=number), number == found.page) if number else None
                for number in found.page_numbers()
            ],
            previous_url=_url(params, page=found.page - 1) if found.has_previous else None,
            next_url=_url(params, page=found.page + 1) if found.has_next else None,
        )
    return render(request, "search/results.html", context)
