"""Claiming an imported shop (a signed-in person), and deciding the claims (the town manager)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from centreville.core.http import HtmxHttpRequest
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import claims
from .models import ClaimStatus, ShopClaim


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message au manager de centre-ville"),
        help_text=gettext_lazy(
            "Qui êtes-vous dans ce commerce, et comment vous joindre pour vérifier ? Par exemple : "
            "« Je suis la gérante, joignable au 02 33 00 00 00. »"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    reason = forms.CharField(
        label=gettext_lazy("Motif du refus (envoyé à la personne)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


@require_http_methods(["GET", "POST"])
@space_view(single_town=True)
def claim_shop(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = claims.claimable_shop(space, shop_slug)
    if shop is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("shops.claim_shop", shop):
        raise PermissionDenied
    pending = claims.pending_claim(shop, request.user)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            claims.claim_create(shop=shop, user=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Votre demande est envoyée : la ville vous répondra par e-mail."))
            return redirect("shops_claims:claim", town_slug=space.slug, shop_slug=shop.slug)
    return render(request, "shops/claims/claim.html", {"shop": shop, "form": form, "pending": pending})


def _claims_page(
    request: HtmxHttpRequest,
    space: Space,
    *,
    failed: ShopClaim | None = None,
    form: DecisionForm | None = None,
) -> HttpResponse:
    assert space.town is not None
    rows = [
        (
            claim,
            form
            if failed is not None and claim.pk == failed.pk
            else DecisionForm(prefix=f"claim-{claim.pk}"),
        )
        for claim in claims.pending_claims(space.town)
    ]
    return render(request, "shops/claims/manage.html", {"rows": rows})


@space_view(permission="shops.validate_shop")
def claim_list(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    return _claims_page(request, space)


@require_POST
@space_view(permission="shops.validate_shop")
def claim_decide(request: HtmxHttpRequest, space: Space, claim_id: int) -> HttpResponse:
    assert space.town is not None
    claim = claims.claim_for_decision(space.town, claim_id)
    if claim is None:
        raise Http404
    if claim.status != ClaimStatus.PENDING:
        messages.error(request, _("Cette demande a déjà été traitée."))
        return redirect("shops_claims:manage", town_slug=space.slug)
    form = DecisionForm(request.POST, prefix=f"claim-{claim.pk}")
    if not form.is_valid():
        return _claims_page(request, space, failed=claim, form=form)
    actor = request.user
    try:
        if form.cleaned_data["decision"] == "approve":
            claims.claim_approve(claim=claim, actor=actor)  # type: ignore[arg-type]
            messages.success(
                request,
                _("%(person)s gère désormais « %(shop)s ».")
                % {"person": claim.user.email, "shop": claim.shop.name},
            )
        else:
            claims.claim_reject(claim=claim, actor=actor, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
            messages.success(
                request,
                _("La demande de %(person)s pour « %(shop)s » est refusée.")
                % {"person": claim.user.email, "shop": claim.shop.name},
            )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "reason" in error.error_dict:
            form.add_error("reason", error.error_dict["reason"])
        else:
            form.add_error(None, error)
        return _claims_page(request, space, failed=claim, form=form)
    return redirect("shops_claims:manage", town_slug=space.slug)
