"""The town basket's pages: /<town>/panier/, adding from a product page, changing a quantity."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from centreville.catalogue import selectors as catalogue_selectors
from centreville.core.access import public
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from .forms import AddForm, QuantityForm
from .selectors import basket_summary
from .services import basket_add, basket_for, basket_remove, basket_set_quantity

LAST_TRACKING_KEY = "orders:last:"


def remember_tracking(request: HttpRequest, town_id: int, token: str) -> None:
    """Keep the private link of the last checkout in the session, for a guest who loses it."""
    request.session[f"{LAST_TRACKING_KEY}{town_id}"] = token


def _product_url(space: Space, product_id: int) -> str:
    assert space.town is not None
    product = catalogue_selectors.town_product(space.town, product_id)
    if product is None:
        return ""
    return reverse("catalogue:product", args=[space.slug, product.shop.slug, product.slug])


def _basket_url(space: Space) -> str:
    return reverse("baskets:detail", args=[space.slug])


def _basket_page(
    request: HttpRequest,
    space: Space,
    *,
    error_line_id: int | None = None,
    error_form: QuantityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    assert space.town is not None
    summary = basket_summary(basket_for(request=request, town=space.town), at=timezone.now())
    context = {
        "summary": summary,
        "error_line_id": error_line_id,
        "error_form": error_form,
        "last_tracking": request.session.get(f"{LAST_TRACKING_KEY}{space.town.pk}", ""),
    }
    return render(request, "baskets/basket.html", context, status=status)


@require_safe
@never_cache
@space_view(single_town=True)
@public
def basket_page(request: HttpRequest, space: Space) -> HttpResponse:
    return _basket_page(request, space)


# Product pages are served from a shared page cache to anonymous visitors, so their "Ajouter au panier"
# form cannot carry a per-visitor CSRF token. This one view goes without: the session cookie is
# SameSite=Lax (Django's default, kept in our settings), so a POST from another site reaches it without
# the visitor's session and can only fill a new, empty basket nobody sees; and all it ever does is add.
@csrf_exempt
@require_POST
@space_view(single_town=True)
@public
def basket_add_view(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    form = AddForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = _basket_url(space)
    if not form.is_valid():
        messages.error(request, _("Cet article n'a pas pu être ajouté : la quantité est un nombre entier."))
        return redirect(back)
    basket = basket_for(request=request, town=space.town, create=True)
    assert basket is not None
    try:
        line = basket_add(
            basket=basket,
            product_id=form.cleaned_data["product"],
            quantity=form.cleaned_data["quantity"] or 1,
            variant_id=form.cleaned_data["variant"],
            at=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if error.code == "variant":  # added from a list: the product's page lets them choose
            return redirect(_product_url(space, form.cleaned_data["product"]) or back)
        return redirect(back)
    title = f"{line.product.title} ({line.variant.label})" if line.variant else line.product.title
    messages.success(
        request,
        _("« %(title)s » est dans votre panier (quantité : %(quantity)s).")
        % {"title": title, "quantity": line.quantity},
    )
    # Back to the page the form was on (a shop's list: the next article is one tap away), else the basket.
    return redirect(back)


@require_POST
@space_view(single_town=True)
@public
def basket_line_update(request: HttpRequest, space: Space, line_id: int) -> HttpResponse:
    assert space.town is not None
    basket = basket_for(request=request, town=space.town)
    if basket is None:
        return redirect(_basket_url(space))
    form = QuantityForm(request.POST)
    if form.is_valid():
        try:
            line = basket_set_quantity(basket=basket, line_id=line_id, quantity=form.cleaned_data["quantity"])
        except ValidationError as error:
            form.add_error("quantity", error)
        else:
            if line is None:
                messages.success(request, _("L'article est retiré de votre panier."))
            else:
                messages.success(request, _("Quantité modifiée."))
            return redirect(_basket_url(space))
    # Shown again beside the line, with what was typed.
    return _basket_page(request, space, error_line_id=line_id, error_form=form, status=422)


@require_POST
@space_view(single_town=True)
@public
def basket_line_remove(request: HttpRequest, space: Space, line_id: int) -> HttpResponse:
    assert space.town is not None
    basket = basket_for(request=request, town=space.town)
    if basket is not None:
        basket_remove(basket=basket, line_id=line_id)
        messages.success(request, _("L'article est retiré de votre panier."))
    return redirect(_basket_url(space))
