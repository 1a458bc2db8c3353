from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from centreville.core.http import HtmxHttpRequest
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import dashboard, selectors


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
    return render(request, "observatory/dashboard.html", context)
