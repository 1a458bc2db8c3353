"""The town manager's side of the shop workflow: validate, reject with a reason, close, reopen."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import selectors, services
from .models import Shop, ShopStatus


class DecisionForm(forms.Form):
    to_status = forms.ChoiceField(choices=ShopStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(required=False, max_length=2000)


@require_safe
@space_view(permission="towns.change_town")
def shop_queue(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    status = request.GET.get("statut", ShopStatus.SUBMITTED)
    if status not in ShopStatus.values:
        status = ShopStatus.SUBMITTED
    moves = [
        (to_status, ShopStatus(to_status).label, transition.needs_reason)
        for (from_status, to_status), transition in services.TRANSITIONS.items()
        if from_status == status
    ]
    counts = selectors.shop_status_counts(space.town)
    context = {
        "shops": selectors.shops_for_manager(space.town, status=status),
        "status": status,
        "tabs": [(value, label, counts[value]) for value, label in ShopStatus.choices],
        "moves": moves,
    }
    return render(request, "shops/manage/queue.html", context)


@require_POST
@space_view(permission="towns.change_town")
def shop_decide(request: HttpRequest, space: Space, shop_id: int) -> HttpResponse:
    shop = get_object_or_404(Shop.objects.for_town(space.town), pk=shop_id)  # type: ignore[arg-type]
    form = DecisionForm(request.POST)
    back = redirect(f"{reverse('shops_manage:queue', args=[space.slug])}?statut={shop.status}")
    if not form.is_valid():
        messages.error(request, _("Décision illisible : réessayez."))
        return back
    try:
        services.shop_transition(
            shop=shop,
            to_status=form.cleaned_data["to_status"],
            actor=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            _("« %(shop)s » : %(status)s.") % {"shop": shop.name, "status": shop.get_status_display()},
        )
    return back
