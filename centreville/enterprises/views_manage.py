"""The town team's choice of the producers its space shows, among those around the town."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import selectors, services
from .forms import ProducerChoiceForm
from .models import Enterprise

PERMISSION = "enterprises.choose_producers"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


@require_safe
@space_view(permission=PERMISSION)
def producers(request: HttpRequest, space: Space) -> HttpResponse:
    return render(
        request, "enterprises/manage/producers.html", {"producers": selectors.town_producers(_town(space))}
    )


def _chosen(request: HttpRequest) -> Enterprise | None:
    form = ProducerChoiceForm(request.POST)
    if not form.is_valid():
        return None
    return Enterprise.objects.filter(pk=form.cleaned_data["enterprise"]).first()


@require_POST
@space_view(permission=PERMISSION)
def show(request: HttpRequest, space: Space) -> HttpResponse:
    enterprise = _chosen(request)
    if enterprise is None:
        messages.error(request, _("Ce producteur n'existe pas ou plus."))
        return redirect("enterprises_manage:producers", space.slug)
    try:
        services.space_producer_add(town=_town(space), enterprise=enterprise, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s est montré sur votre espace.") % {"name": enterprise.name})
    return redirect("enterprises_manage:producers", space.slug)


@require_POST
@space_view(permission=PERMISSION)
def hide(request: HttpRequest, space: Space) -> HttpResponse:
    enterprise = _chosen(request)
    if enterprise is None:
        messages.error(request, _("Ce producteur n'existe pas ou plus."))
        return redirect("enterprises_manage:producers", space.slug)
    services.space_producer_remove(town=_town(space), enterprise=enterprise, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("%(name)s n'est plus montré sur votre espace.") % {"name": enterprise.name})
    return redirect("enterprises_manage:producers", space.slug)
