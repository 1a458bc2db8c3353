from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from centreville.agenda import selectors as agenda_selectors
from centreville.catalogue import selectors as catalogue_selectors
from centreville.core.access import public
from centreville.core.http import HtmxHttpRequest
from centreville.core.pagecache import cached_town_page, expire_page_at
from centreville.parking.selectors import parking_home_block
from centreville.shops import selectors as shop_selectors
from centreville.shops import seo
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import featured, selectors
from .forms import FeaturedProductForm, FeaturedShopForm, ProductSearchForm


@public
def platform_home(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "showcase/platform_home.html", {"directory": selectors.platform_directory()})


@require_safe
@space_view()
@cached_town_page(metric=None)
@public
def space_home(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    now = timezone.now()
    home = shop_selectors.space_home_content(space, at=now)
    meta = seo.PageMeta(
        title=space.name,
        description=seo.summary(space.branding.welcome_text)
        or _("%(space)s : les commerces indépendants du centre-ville, leurs produits et leurs horaires.")
        % {"space": space.name},
        canonical=seo.canonical_url(reverse("showcase:home", args=[space.slug])),
    )
    parking = parking_home_block(town_id=space.town.pk, at=now) if space.town else None
    context = {
        "home": home,
        "featured_products": catalogue_selectors.home_products(space, at=now),
        "parking": parking,
        "meta": meta,
    }
    whats_on = None
    if space.town is not None:
        # « Ce qui se passe »: a handful of the agenda's next dates (agenda/_home_block.html).
        context["whats_on"] = whats_on = agenda_selectors.whats_on(
            town_id=space.town.pk, at=now, timezone=space.town.timezone
        )
    response = render(request, "showcase/space_home.html", context)
    # Live figures and the agenda's dates: the cached page goes with the first of them to change.
    moments = (
        home.valid_until,
        parking.valid_until if parking is not None else None,
        whats_on.valid_until if whats_on is not None else None,
    )
    return expire_page_at(response, min(filter(None, moments), default=None), now=now)


FEATURED_KINDS = ("commerce", "produit")


@require_safe
@space_view(permission="towns.change_town")
def town_featured(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    """The « mise en avant »: the shops and products the town's home leads with, and how to change them."""
    assert space.town is not None
    search = ProductSearchForm(request.GET or None)
    query = search.cleaned_data["produit"] if search.is_valid() else ""
    selection = featured.featured_selection(space.town, product_query=query)
    context = {
        "selection": selection,
        "shop_form": FeaturedShopForm(town=space.town, choices=selection.shop_choices),
        "search_form": search,
        "query": query,
        "max_shops": featured.MAX_FEATURED_SHOPS,
        "max_products": featured.MAX_FEATURED_PRODUCTS,
    }
    return render(request, "showcase/featured.html", context)


def _featured_page(space: Space, query: str = "") -> HttpResponse:
    url = reverse("showcase:featured", args=[space.slug])
    return redirect(f"{url}?{urlencode({'produit': query})}" if query else url)


@require_POST
@space_view(permission="towns.change_town")
def town_featured_add(request: HtmxHttpRequest, space: Space, kind: str) -> HttpResponse:
    assert space.town is not None
    if kind not in FEATURED_KINDS:
        raise Http404
    query = request.POST.get("produit", "")[:100]
    form: FeaturedShopForm | FeaturedProductForm
    if kind == "commerce":
        form = FeaturedShopForm(request.POST, town=space.town)
    else:
        form = FeaturedProductForm(request.POST, town=space.town)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return _featured_page(space, query)
    try:
        if isinstance(form, FeaturedShopForm):
            shop = form.cleaned_data["shop"]
            featured.featured_shop_add(town=space.town, shop=shop)
            name = shop.name
        else:
            product = form.cleaned_data["product"]
            featured.featured_product_add(town=space.town, product=product)
            name = product.title
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("« %(name)s » est mis en avant sur l'accueil.") % {"name": name})
    return _featured_page(space, query)


@require_POST
@space_view(permission="towns.change_town")
def town_featured_change(
    request: HtmxHttpRequest, space: Space, kind: str, item_id: int, action: str
) -> HttpResponse:
    """Remove a chosen shop or product, or move it up or down."""
    assert space.town is not None
    valid = kind in FEATURED_KINDS and action in ("retirer", "monter", "descendre")
    item = featured.featured_item(space.town, kind, item_id) if valid else None
    if item is None:
        raise Http404
    if action == "retirer":
        featured.featured_remove(featured=item)
        messages.success(request, _("Ce choix est retiré de l'accueil."))
    else:
        featured.featured_move(featured=item, offset=-1 if action == "monter" else 1)
    return _featured_page(space)
