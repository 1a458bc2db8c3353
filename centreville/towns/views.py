from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.accounts import services as account_services
from centreville.accounts.models import TownRole, User
from centreville.catalogue import selectors as catalogue_selectors
from centreville.core.french import de
from centreville.core.http import HtmxHttpRequest
from centreville.core.pagecache import cached_town_page, expire_page_at
from centreville.shops import selectors as shop_selectors
from centreville.shops import seo

from . import dashboard, featured, selectors, services
from .decorators import space_view
from .forms import FeaturedProductForm, FeaturedShopForm, ProductSearchForm, RoleGrantForm, TownSettingsForm
from .models import Town
from .spaces import Space


def ping(request: HtmxHttpRequest) -> HttpResponse:
    """Liveness check that touches no database: the framework floor for benchmarks."""
    return HttpResponse("pong", content_type="text/plain")


def platform_home(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "towns/platform_home.html", {"directory": selectors.platform_directory()})


@require_safe
@space_view()
@cached_town_page(metric=None)
def space_home(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    now = timezone.now()
    home = shop_selectors.space_home_content(space, at=now)
    meta = seo.PageMeta(
        title=space.name,
        description=seo.summary(space.branding.welcome_text)
        or _("%(space)s : les commerces indépendants du centre-ville, leurs produits et leurs horaires.")
        % {"space": space.name},
        canonical=seo.canonical_url(reverse("towns:home", args=[space.slug])),
    )
    context = {
        "home": home,
        "featured_products": catalogue_selectors.home_products(space, at=now),
        "meta": meta,
    }
    response = render(request, "towns/space_home.html", context)
    return expire_page_at(response, home.valid_until, now=now)


@require_safe
@space_view(permission="towns.view_dashboard")
def town_dashboard(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    board = dashboard.town_dashboard(
        space.town, at=timezone.now(), period=request.GET.get("periode", dashboard.DEFAULT_PERIOD)
    )
    context = {
        "board": board,
        "periods": [(key, str(label)) for key, label in dashboard.PERIOD_LABELS.items()],
        "figures": selectors.town_dashboard_figures(space.town),
    }
    return render(request, "towns/dashboard.html", context)


@require_http_methods(["GET", "POST"])
@space_view(permission="towns.change_town")
def town_settings(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    # A fresh copy, so that a refused change never shows in the page's header.
    town = Town.objects.get(pk=space.town.pk)
    form = TownSettingsForm(request.POST or None, request.FILES or None, instance=town)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if fields.get("logo") is False:  # the file input's "clear" box: no logo any more
            fields["logo"] = ""
        try:
            services.town_update(town=Town.objects.get(pk=town.pk), **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les réglages de la ville sont enregistrés."))
            return redirect("towns:settings", town_slug=space.slug)
    return render(request, "towns/settings.html", {"form": form})


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
    return render(request, "towns/featured.html", context)


def _featured_page(space: Space, query: str = "") -> HttpResponse:
    url = reverse("towns:featured", args=[space.slug])
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


def _roles_page(
    request: HtmxHttpRequest,
    space: Space,
    form: RoleGrantForm,
    *,
    status: int = 200,
    focus: str = "",
) -> HttpResponse:
    """The roles page, or with htmx its panel; `focus` names what takes the focus once the panel is swapped
    in ("status": the message saying what happened, "form": the first field to correct), so that the next
    Tab goes on from there rather than from the top of the page (RGAA 7.3)."""
    assert space.town is not None
    if request.htmx and focus == "form":
        first_error = next((name for name in form.fields if name in form.errors), None)
        if first_error is not None:
            form.fields[first_error].widget.attrs["autofocus"] = True
        else:
            focus = "status"
    template = "towns/_roles.html" if request.htmx else "towns/roles.html"
    context = {
        "form": form,
        "town_roles": selectors.town_roles(space.town),
        "focus": focus if request.htmx else "",
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@space_view(permission="towns.manage_roles")
def town_roles(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    form = RoleGrantForm(request.POST or None)
    refused = 422 if request.htmx else 200
    if request.method == "POST":
        if not form.is_valid():
            return _roles_page(request, space, form, status=refused, focus="form")
        try:
            town_role = account_services.town_role_grant(
                town=space.town,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                granted_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return _roles_page(request, space, form, status=refused, focus="form")
        messages.success(
            request,
            _("%(person)s est désormais %(role)s.")
            % {"person": person_name(town_role.user), "role": town_role.get_role_display()},
        )
        if not request.htmx:
            return redirect("towns:roles", town_slug=space.slug)
        return _roles_page(request, space, RoleGrantForm(), focus="status")
    return _roles_page(request, space, form)


@require_POST
@space_view(permission="towns.manage_roles")
def town_role_revoke(request: HtmxHttpRequest, space: Space, role_id: int) -> HttpResponse:
    town_role = get_object_or_404(TownRole.objects.select_related("user"), pk=role_id, town=space.town)
    try:
        services.town_role_remove(town_role=town_role, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Le rôle %(role)s %(de_person)s est retiré.")
            % {"de_person": de(person_name(town_role.user)), "role": town_role.get_role_display()},
        )
    if request.htmx:
        return _roles_page(request, space, RoleGrantForm(), focus="status")
    return redirect("towns:roles", town_slug=space.slug)


def person_name(user: User) -> str:
    """A person as the town team knows them: their name and address, or the address alone."""
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email
