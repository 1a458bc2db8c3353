"""A shop's products in the merchant back-office: the list with its quick edits, the full form, deletion.

Quick edits are plain forms that post and come back to the same place in the list; with htmx, only the
product's row is swapped (422 and the error in the row when the input is refused).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centreville.catalogue import photos as product_photos
from centreville.catalogue import selectors as catalogue_selectors
from centreville.catalogue import services as catalogue_services
from centreville.catalogue.models import Product
from centreville.core.forms import add_service_error
from centreville.core.http import HtmxHttpRequest
from centreville.shops.access import managed_shop
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import selectors
from .access import count_update, managed_product
from .forms import (
    VISIBILITY_CHOICES,
    VISIBILITY_FILTERS,
    NewProductPhotosForm,
    ProductForm,
    ProductSearchForm,
    QuickAdjustForm,
    QuickPriceForm,
    QuickStockForm,
    QuickVisibilityForm,
    VariantFormSet,
)
from .views import SIGNED_IN

PER_PAGE = 25
VARIANTS_PREFIX = "variantes"
PHOTOS_PREFIX = "photos"


def products_url(space: Space, shop: Shop) -> str:
    return reverse("merchants:products", args=[space.slug, shop.slug])


@dataclass(frozen=True)
class RowError:
    """A quick edit refused: which row, which of its forms, what was typed and why it was refused."""

    product_id: int
    field: str
    value: str
    message: str


def _filter_links(list_url: str, query: str, chosen: str, counts: dict[str, int]) -> list[dict[str, Any]]:
    """All, visible, hidden: one link each, with its count, keeping the words searched."""
    counted = {
        "": counts["total"],
        "visibles": counts["visible"],
        "masques": counts["total"] - counts["visible"],
    }
    links = []
    for value, label in VISIBILITY_CHOICES:
        params = {name: given for name, given in (("q", query), ("visibilite", value)) if given}
        links.append(
            {
                "label": label,
                "count": counted[value],
                "url": f"{list_url}?{urlencode(params)}" if params else list_url,
                "current": value == chosen,
            }
        )
    return links


def _list_page(
    request: HtmxHttpRequest,
    space: Space,
    shop: Shop,
    params: QueryDict,
    *,
    row_error: RowError | None = None,
    status: int = 200,
) -> HttpResponse:
    search = ProductSearchForm(params)
    query, visibility = "", ""
    if search.is_valid():
        query = search.cleaned_data["q"]
        visibility = VISIBILITY_FILTERS.get(search.cleaned_data["visibilite"], "")
    products = catalogue_selectors.shop_products(shop, query=query, visibility=visibility)
    page = Paginator(products, PER_PAGE).get_page(params.get("page"))
    kept = {name: params[name] for name in ("q", "visibilite") if params.get(name)}
    if page.number > 1:
        kept["page"] = str(page.number)
    list_url = products_url(space, shop)
    counts = selectors.shop_product_counts(shop)
    chosen = params.get("visibilite", "") if visibility else ""
    filters = _filter_links(list_url, query, chosen, counts)
    context = {
        "shop": shop,
        "page": page,
        "search": search,
        "filtered": bool(query or visibility),
        "filters": filters,
        "visibility": chosen,
        "counts": counts,
        "return_to": f"{list_url}?{urlencode(kept)}" if kept else list_url,
        "page_query": urlencode({name: value for name, value in kept.items() if name != "page"}),
        "row_error": row_error,
    }
    return render(request, "merchants/product_list.html", context, status=status)


@require_GET
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="catalogue.add_product")
def product_list(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    return _list_page(request, space, shop, request.GET)


# --- Quick edits from the list ------------------------------------------------------------------------


def _return_to(request: HtmxHttpRequest, space: Space, shop: Shop) -> str:
    """Where the list was (search, filter, page), if the form says so and it is this shop's list."""
    list_url = products_url(space, shop)
    wanted = request.POST.get("return_to", "").split("#", 1)[0]
    if (
        wanted.startswith(list_url)
        and wanted[len(list_url) : len(list_url) + 1] in ("", "?")
        and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()})
    ):
        return wanted
    return list_url


def _row(
    request: HtmxHttpRequest,
    product: Product,
    return_to: str,
    *,
    saved: str = "",
    row_error: RowError | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "product": product,
        "shop": product.shop,
        "return_to": return_to,
        "saved": saved,
        "row_error": row_error,
    }
    html = render_to_string("merchants/_product_row.html", context, request=request)
    announcement = saved or (row_error.message if row_error else "")
    html += render_to_string("merchants/_quick_status.html", {"message": announcement}, request=request)
    return HttpResponse(html, status=status)


QuickChange = Callable[[Product, dict[str, Any]], str]


def _quick_edit(
    request: HtmxHttpRequest,
    space: Space,
    shop_slug: str,
    product_slug: str,
    form_class: type[forms.Form],
    field: str,
    change: QuickChange,
) -> HttpResponse:
    """Apply one quick change to a product; answer with its row (htmx) or back to the list (no JS)."""
    shop = managed_shop(request, space, shop_slug)
    product = managed_product(request, shop, product_slug)
    return_to = _return_to(request, space, shop)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            saved = change(product, form.cleaned_data)
        except ValidationError as error:
            message = " ".join(error.messages)
        else:
            count_update(shop)
            if request.htmx:
                return _row(request, product, return_to, saved=saved)
            messages.success(request, saved)
            return redirect(f"{return_to}#produit-{product.pk}")
    else:
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
    row_error = RowError(
        product_id=product.pk, field=field, value=request.POST.get(field, "")[:30], message=message
    )
    product = managed_product(request, shop, product_slug)  # as it is in the database
    if request.htmx:
        return _row(request, product, return_to, row_error=row_error, status=422)
    # Without JavaScript the list comes back from the top: the error is said there too, naming the product.
    messages.error(request, f"« {product.title} » : {message}")
    params = QueryDict(urlsplit(return_to).query)
    return _list_page(request, space, shop, params, row_error=row_error, status=422)


def _stock_label(product: Product) -> str:
    if product.stock is None:
        return _("Stock de « %(title)s » : sur demande.") % {"title": product.title}
    return _("Stock de « %(title)s » : %(stock)s.") % {"title": product.title, "stock": product.stock}


def _set_stock(product: Product, data: dict[str, Any]) -> str:
    catalogue_services.product_set_stock(product=product, stock=data["stock"])
    return _stock_label(product)


def _adjust_stock(product: Product, data: dict[str, Any]) -> str:
    catalogue_services.product_adjust_stock(product=product, delta=data["delta"])
    return _stock_label(product)


def _set_price(product: Product, data: dict[str, Any]) -> str:
    catalogue_services.product_set_price(product=product, price=data["price"])
    price = f"{product.price:.2f}".replace(".", ",")
    return _("Prix de « %(title)s » : %(price)s €.") % {"title": product.title, "price": price}


def _set_visibility(product: Product, data: dict[str, Any]) -> str:
    catalogue_services.product_set_visibility(product=product, is_visible=data["is_visible"])
    if product.is_visible:
        return _("« %(title)s » est visible sur votre vitrine.") % {"title": product.title}
    return _("« %(title)s » est masqué : vos clients ne le voient plus.") % {"title": product.title}


@require_POST
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="catalogue.add_product")
def product_stock(request: HtmxHttpRequest, space: Space, shop_slug: str, product_slug: str) -> HttpResponse:
    return _quick_edit(request, space, shop_slug, product_slug, QuickStockForm, "stock", _set_stock)


@require_POST
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="catalogue.add_product")
def product_stock_adjust(
    request: HtmxHttpRequest, space: Space, shop_slug: str, product_slug: str
) -> HttpResponse:
    return _quick_edit(request, space, shop_slug, product_slug, QuickAdjustForm, "delta", _adjust_stock)


@require_POST
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="catalogue.add_product")
def product_price(request: HtmxHttpRequest, space: Space, shop_slug: str, product_slug: str) -> HttpResponse:
    return _quick_edit(request, space, shop_slug, product_slug, QuickPriceForm, "price", _set_price)


@require_POST
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="catalogue.add_product")
def product_visibility(
    request: HtmxHttpRequest, space: Space, shop_slug: str, product_slug: str
) -> HttpResponse:
    return _quick_edit(
        request, space, shop_slug, product_slug, QuickVisibilityForm, "is_visible", _set_visibility
    )


# --- The full form ------------------------------------------------------------------------------------


def _product_initial(product: Product) -> dict[str, Any]:
    return {
        "title": product.title,
        "price": product.price,
        "stock": product.stock,
        "is_visible": product.is_visible,
        "description": product.description,
        "category": product.category_id,
        "reference": product.reference,
    }


def _variant_initial(product: Product) -> list[dict[str, Any]]:
    return [
        {
            "id": variant.pk,
            "label": variant.label,
            "size": variant.size,
            "colour": variant.colour,
            "price": variant.price,
            "stock": variant.stock,
        }
        for variant in product.variants.all()
    ]


def _product_form(
    request: HtmxHttpRequest, space: Space, shop: Shop, product: Product | None
) -> HttpResponse:
    # A new product may come with its first photos; an existing one has its own photo page.
    photos_form = None
    if request.method == "POST":
        form = ProductForm(request.POST)
        formset = VariantFormSet(request.POST, prefix=VARIANTS_PREFIX)
        if product is None:
            photos_form = NewProductPhotosForm(request.POST, request.FILES, prefix=PHOTOS_PREFIX)
    else:
        form = ProductForm(initial=_product_initial(product) if product else None)
        formset = VariantFormSet(
            initial=_variant_initial(product) if product else None, prefix=VARIANTS_PREFIX
        )
        if product is None:
            photos_form = NewProductPhotosForm(prefix=PHOTOS_PREFIX)
    # The photos are decoded only once the rest is valid: no work spent on a form that comes back anyway.
    if (
        request.method == "POST"
        and form.is_valid()
        and formset.is_valid()
        and (photos_form is None or photos_form.is_valid())
    ):
        try:
            if photos_form is not None:
                saved = product_photos.product_create_with_photos(
                    shop=shop,
                    fields=form.cleaned_data,
                    variants=formset.variant_inputs(),
                    photos=photos_form.new_photos(form.cleaned_data["title"]),
                )
            else:
                saved = catalogue_services.product_save(
                    shop=shop, product=product, fields=form.cleaned_data, variants=formset.variant_inputs()
                )
        except ValidationError as error:
            add_service_error(form, error)
            if product is not None:
                product.refresh_from_db()  # the page shows what is saved, not what was refused
        else:
            count_update(shop)
            photo_count = len(photos_form.processed) if photos_form is not None else 0
            if photo_count:
                messages.success(
                    request,
                    ngettext(
                        "« %(title)s » est enregistré, avec %(count)s photo.",
                        "« %(title)s » est enregistré, avec %(count)s photos.",
                        photo_count,
                    )
                    % {"title": saved.title, "count": photo_count},
                )
            else:
                messages.success(request, _("« %(title)s » est enregistré.") % {"title": saved.title})
            if "more_variants" in request.POST:
                return redirect(
                    "merchants:product_edit",
                    town_slug=space.slug,
                    shop_slug=shop.slug,
                    product_slug=saved.slug,
                )
            if "and_new" in request.POST:
                return redirect("merchants:product_create", town_slug=space.slug, shop_slug=shop.slug)
            return redirect(f"{products_url(space, shop)}#produit-{saved.pk}")
    context = {
        "shop": shop,
        "product": product,
        "form": form,
        "formset": formset,
        "photos_form": photos_form,
        # Browsers never send a file twice: say so when the page comes back after files were chosen.
        "photos_to_choose_again": photos_form is not None and bool(request.FILES),
    }
    return render(request, "merchants/product_form.html", context, status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="catalogue.add_product")
def product_create(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    return _product_form(request, space, shop, None)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="catalogue.add_product")
def product_edit(request: HtmxHttpRequest, space: Space, shop_slug: str, product_slug: str) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    product = managed_product(request, shop, product_slug)
    return _product_form(request, space, shop, product)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="catalogue.add_product")
def product_delete(request: HtmxHttpRequest, space: Space, shop_slug: str, product_slug: str) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    product = managed_product(request, shop, product_slug)
    if request.method == "POST":
        title = product.title
        catalogue_services.product_delete(product=product)
        count_update(shop)
        messages.success(request, _("« %(title)s » est supprimé.") % {"title": title})
        return redirect(products_url(space, shop))
    return render(request, "merchants/product_delete.html", {"shop": shop, "product": product})
