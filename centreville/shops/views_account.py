"""A signed-in person's side of the shops: claiming an imported shop (the town manager decides the claims:
`centreville.shops.views_manage`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from centreville.core.access import signed_in
from centreville.core.http import HtmxHttpRequest
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import claims


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


@require_http_methods(["GET", "POST"])
@space_view(single_town=True)
@signed_in
def claim_shop(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = claims.claimable_shop(space, shop_slug)
    if shop is None:
        raise Http404
    assert request.user.is_authenticated  # @signed_in let only accounts in
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
