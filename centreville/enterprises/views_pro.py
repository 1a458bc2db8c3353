"""The pages of producers and professional buyers, under /pro/: their enterprises, registration, and each
enterprise's home, profile, pickup places and members (its members only: `enterprise_view`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.accounts.http import SignedInRequest
from centreville.core.access import signed_in
from centreville.core.forms import add_service_error
from centreville.shops.models import Shop

from . import selectors, services
from .decorators import enterprise_view
from .forms import (
    MemberAddForm,
    PhotoForm,
    PickupPlaceForm,
    ProfileForm,
    RegistrationForm,
    ShopBuyerForm,
)
from .models import Enterprise, EnterpriseMember, EnterprisePhoto, PickupPlace

KINDS = {"producteur": "producer", "acheteur": "buyer"}


def _status(request: HttpRequest) -> int:
    return 422 if request.method == "POST" else 200


@require_safe
@never_cache
@signed_in
def my_enterprises(request: SignedInRequest) -> HttpResponse:
    context = {
        "enterprises": selectors.enterprises_of(request.user),
        "shops": selectors.shops_to_buy_for(request.user),
    }
    return render(request, "enterprises/pro/index.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
@signed_in
def register(request: SignedInRequest) -> HttpResponse:
    initial = {"kind": KINDS.get(request.GET.get("type", ""), ""), "email": request.user.email}
    form = RegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_register(user=request.user, fields=form.enterprise_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Votre entreprise est inscrite sur la bourse."))
            return redirect("enterprises_pro:home", enterprise.slug)
    return render(request, "enterprises/pro/register.html", {"form": form}, status=_status(request))


@require_http_methods(["GET", "POST"])
@never_cache
@signed_in
def register_shop(request: SignedInRequest, shop_id: int) -> HttpResponse:
    """A showcase shop's buyer enterprise, its form pre-filled from the shop (coordinates included)."""
    shop = get_object_or_404(Shop.objects.select_related("town"), pk=shop_id)
    if not shop.memberships.filter(user=request.user).exists():
        raise PermissionDenied
    existing = Enterprise.objects.filter(shop=shop).first()
    if existing is not None:
        if existing.members.filter(user=request.user).exists():
            return redirect("enterprises_pro:home", existing.slug)
        raise Http404
    form = ShopBuyerForm(request.POST or None, initial=selectors.shop_prefill(shop))
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create_for_shop(
                shop=shop, user=request.user, fields=form.enterprise_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("%(shop)s peut maintenant acheter sur la bourse.") % {"shop": shop.name}
            )
            return redirect("enterprises_pro:home", enterprise.slug)
    context = {"form": form, "shop": shop}
    return render(request, "enterprises/pro/register_shop.html", context, status=_status(request))


def _is_owner(request: HttpRequest, enterprise: Enterprise) -> bool:
    return (
        bool(request.user.is_staff) or enterprise.members.filter(user=request.user.pk, is_owner=True).exists()
    )


@require_safe
@never_cache
@enterprise_view()
def home(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    context = {"home": selectors.enterprise_home(enterprise, at=timezone.now()), "enterprise": enterprise}
    return render(request, "enterprises/pro/home.html", context)


def _profile(
    request: HttpRequest, enterprise: Enterprise, form: ProfileForm, photo_form: PhotoForm, status: int
) -> HttpResponse:
    context = {
        "enterprise": enterprise,
        "form": form,
        "photo_form": photo_form,
        "photos": list(enterprise.photos.order_by("position", "pk")),
    }
    return render(request, "enterprises/pro/profile.html", context, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
@enterprise_view()
def profile(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    # The form changes its own copy, so a refused change leaves the page's enterprise as it was.
    form = ProfileForm(request.POST or None, instance=Enterprise.objects.get(pk=enterprise.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update(enterprise=enterprise, fields=form.enterprise_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Le profil est enregistré."))
            return redirect("enterprises_pro:home", enterprise.slug)
    return _profile(request, enterprise, form, PhotoForm(prefix="photo"), _status(request))


@require_POST
@enterprise_view()
def photo_add(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    photo_form = PhotoForm(request.POST, request.FILES, prefix="photo")
    if photo_form.is_valid():
        try:
            services.enterprise_photo_add(
                enterprise=enterprise,
                upload=photo_form.cleaned_data["upload"],
                alt_text=photo_form.cleaned_data["alt_text"],
            )
        except ValidationError as error:
            add_service_error(photo_form, error)
        else:
            messages.success(request, _("La photo est ajoutée."))
            return redirect("enterprises_pro:profile", enterprise.slug)
    form = ProfileForm(instance=Enterprise.objects.get(pk=enterprise.pk))
    return _profile(request, enterprise, form, photo_form, 422)


@require_POST
@enterprise_view()
def photo_remove(request: HttpRequest, enterprise: Enterprise, photo_id: int) -> HttpResponse:
    photo = get_object_or_404(EnterprisePhoto, pk=photo_id, enterprise=enterprise)
    services.enterprise_photo_remove(photo=photo)
    messages.success(request, _("La photo est retirée."))
    return redirect("enterprises_pro:profile", enterprise.slug)


def _places(request: HttpRequest, enterprise: Enterprise, form: PickupPlaceForm, status: int) -> HttpResponse:
    home = selectors.enterprise_home(enterprise, at=timezone.now())
    return render(
        request,
        "enterprises/pro/places.html",
        {"enterprise": enterprise, "home": home, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@never_cache
@enterprise_view(producer=True)
def places(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    initial: dict[str, Any] = {
        "street_address": enterprise.street_address,
        "postcode": enterprise.postcode,
        "city": enterprise.city,
        "latitude": enterprise.latitude,
        "longitude": enterprise.longitude,
    }
    form = PickupPlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.pickup_place_create(enterprise=enterprise, fields=form.place_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Le lieu de retrait « %(name)s » est ajouté.") % {"name": place.name})
            return redirect("enterprises_pro:places", enterprise.slug)
    return _places(request, enterprise, form, _status(request))


@require_http_methods(["GET", "POST"])
@never_cache
@enterprise_view(producer=True)
def place_edit(request: HttpRequest, enterprise: Enterprise, place_id: int) -> HttpResponse:
    place = get_object_or_404(PickupPlace, pk=place_id, enterprise=enterprise)
    form = PickupPlaceForm(request.POST or None, instance=PickupPlace.objects.get(pk=place.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.pickup_place_update(place=place, fields=form.place_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Le lieu de retrait est enregistré."))
            return redirect("enterprises_pro:places", enterprise.slug)
    context = {"enterprise": enterprise, "place": place, "form": form}
    return render(request, "enterprises/pro/place_edit.html", context, status=_status(request))


@require_POST
@enterprise_view(producer=True)
def place_close(request: HttpRequest, enterprise: Enterprise, place_id: int) -> HttpResponse:
    place = get_object_or_404(PickupPlace, pk=place_id, enterprise=enterprise)
    services.pickup_place_deactivate(place=place)
    messages.success(request, _("Le lieu de retrait « %(name)s » est fermé.") % {"name": place.name})
    return redirect("enterprises_pro:places", enterprise.slug)


@require_POST
@enterprise_view(producer=True)
def place_reopen(request: HttpRequest, enterprise: Enterprise, place_id: int) -> HttpResponse:
    place = get_object_or_404(PickupPlace, pk=place_id, enterprise=enterprise)
    services.pickup_place_reopen(place=place)
    messages.success(request, _("Le lieu de retrait « %(name)s » est rouvert.") % {"name": place.name})
    return redirect("enterprises_pro:places", enterprise.slug)


def _members(request: HttpRequest, enterprise: Enterprise, form: MemberAddForm, status: int) -> HttpResponse:
    context = {
        "enterprise": enterprise,
        "members": list(enterprise.members.select_related("user").order_by("-is_owner", "user__email")),
        "is_owner": _is_owner(request, enterprise),
        "form": form,
    }
    return render(request, "enterprises/pro/members.html", context, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
@enterprise_view()
def members(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        if not _is_owner(request, enterprise):
            raise PermissionDenied
        if form.is_valid():
            try:
                member = services.member_add(
                    enterprise=enterprise,
                    email=form.cleaned_data["email"],
                    is_owner=form.cleaned_data["is_owner"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("%(email)s est membre de l'entreprise.") % {"email": member.user.email}
                )
                return redirect("enterprises_pro:members", enterprise.slug)
    return _members(request, enterprise, form, _status(request))


@require_POST
@enterprise_view()
def member_remove(request: HttpRequest, enterprise: Enterprise, member_id: int) -> HttpResponse:
    member = get_object_or_404(
        EnterpriseMember.objects.select_related("user"), pk=member_id, enterprise=enterprise
    )
    try:
        services.member_remove(member=member, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(email)s n'est plus membre de l'entreprise.") % {"email": member.user.email}
        )
        if member.user_id == request.user.pk:
            return redirect("enterprises_pro:index")
    return redirect("enterprises_pro:members", enterprise.slug)
