"""« Historique des réglages »: who changed the town's settings, fulfilment rules and prices, and how."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from centreville.core.http import HtmxHttpRequest

from . import history
from .decorators import space_view
from .spaces import Space
from .views import person_name

HISTORY_PER_PAGE = 25


@require_safe
@space_view(permission="towns.change_town")
def town_history(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    page = Paginator(history.town_history(space.town), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    entries = [(entry, _changed_by(entry)) for entry in map(history.history_entry, page)]
    # Times as the town lives them.
    with timezone.override(ZoneInfo(space.town.timezone)):
        return render(request, "towns/history.html", {"page": page, "entries": entries})


def _changed_by(entry: history.HistoryEntry) -> str:
    if entry.actor is not None:
        return person_name(entry.actor)
    return entry.actor_email or _("la plateforme (import ou tâche automatique)")
