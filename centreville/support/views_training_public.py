"""The training sessions as calendar files anyone may add to a diary: one session, and the town's feed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from centreville.core.access import public
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import selectors_training as selectors
from .training_calendar import training_calendar


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
@space_view(single_town=True)
@public
def training_ics(request: HttpRequest, space: Space, session_id: int) -> HttpResponse:
    assert space.town is not None
    session = selectors.town_session(space.town, session_id)
    if session is None:
        raise Http404
    content = training_calendar(town=space.town, sessions=[session], at=timezone.now(), name=session.title)
    return _calendar_response(content, f"formation-{session.pk}.ics")


@require_safe
@space_view(single_town=True)
@public
def training_feed(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    now = timezone.now()
    content = training_calendar(
        town=space.town,
        sessions=selectors.feed_sessions(space.town, at=now),
        at=now,
        name=_("Formations des commerçants — %(town)s") % {"town": space.town.name},
    )
    return _calendar_response(content, f"formations-{space.slug}.ics")
