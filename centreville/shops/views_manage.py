"""The town manager's side of the shop workflow: validate, reject with a reason, close, reopen."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import review, selectors, services
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
    counts = selectors.shop_status_counts(space.town)
    context = {
        "shops": review.review_queue(space.town, status=status),
        "status": status,
        "tabs": [(value, label, counts[value]) for value, label in ShopStatus.choices],
        "moves": review.manager_moves(status),
    }
    return render(request, "shops/manage/queue.html", context)


@require_safe
@space_view(permission="towns.change_town")
def shop_preview(request: HttpRequest, space: Space, shop_id: int) -> HttpResponse:
    """The shop as visitors would see it, whatever its status, with the manager's decisions."""
    assert space.town is not None
    content = review.shop_review(space.town, shop_id, at=timezone.now())
    if content is None:
        raise Http404
    return render(request, "shops/manage/preview.html", {"review": content})


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
        messages.success(request, str(review.DONE[shop.status]) % {"name": shop.name})
    return back
