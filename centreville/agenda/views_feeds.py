"""The agenda as calendar files anyone may subscribe to: the town's (or a territory's), a kind's, a shop's,
and one event's.

The same data gives the same bytes. A file is kept in the shared cache `PAGE_CACHE_SECONDS` under the town's
version (`core.pagecache`: any change to the town's public data makes it stale at once), and carries its
own HTTP caching: kept as long by browsers and proxies, and an ETag of its content, so that a calendar
checking the feed every few hours mostly gets a 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from centreville.core.access import public
from centreville.core.pagecache import town_versions
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from .calendar_feeds import agenda_calendar, feed_events, window_start
from .models import Event, EventKind, Publication


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _content(request: HttpRequest, space: Space, make: Callable[[], bytes]) -> bytes:
    """The file `make()` gives, from the cache while the town's public data has not changed."""
    versions = getattr(request, "town_versions", None) or town_versions(space.town_ids)
    key = ":".join(("agenda-ics", versions, translation.get_language() or "", request.path))
    content = cache.get(key)
    if content is None:
        content = make()
        cache.set(key, content, settings.PAGE_CACHE_SECONDS)
    return content


def _calendar_response(request: HttpRequest, content: bytes, filename: str) -> HttpResponse:
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    not_modified = get_conditional_response(request, etag=etag)
    response = not_modified or HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    # Slugs and UUIDs are ASCII: the name needs no RFC 6266 encoding.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_SECONDS)
    return response


@require_safe
@space_view()
@public
def town_feed(request: HttpRequest, space: Space) -> HttpResponse:
    """The agenda of a town, or of a territory (its towns' events)."""
    now = timezone.now()
    content = _content(
        request,
        space,
        lambda: agenda_calendar(
            events=feed_events(towns=space.towns, at=now),
            name=_("Agenda de %(town)s") % {"town": space.name},
            since=window_start(now),
        ),
    )
    return _calendar_response(request, content, f"agenda-{space.slug}.ics")


@require_safe
@space_view()
@public
def kind_feed(request: HttpRequest, space: Space, kind: str) -> HttpResponse:
    if kind not in EventKind.values:
        raise Http404
    now = timezone.now()
    content = _content(
        request,
        space,
        lambda: agenda_calendar(
            events=feed_events(towns=space.towns, at=now, kind=kind),
            name=_("%(kind)s — agenda de %(town)s") % {"kind": EventKind(kind).label, "town": space.name},
            since=window_start(now),
        ),
    )
    return _calendar_response(request, content, f"agenda-{space.slug}-{kind}.ics")


@require_safe
@space_view(single_town=True)
@public
def shop_feed(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    town = _town(space)
    shop = Shop.objects.filter(town=town, slug=shop_slug).first()
    if shop is None:
        raise Http404
    now = timezone.now()
    content = _content(
        request,
        space,
        lambda: agenda_calendar(
            events=feed_events(towns=[town], at=now, shop=shop),
            name=_("Offres de %(shop)s") % {"shop": shop.name},
            since=window_start(now),
        ),
    )
    return _calendar_response(request, content, f"offres-{shop.slug}.ics")


@require_safe
@space_view(single_town=True)
@public
def event_ics(request: HttpRequest, space: Space, uid: UUID) -> HttpResponse:
    town = _town(space)
    event = (
        Event.objects.filter(town=town, uid=uid, publication=Publication.PUBLISHED)
        .select_related("town", "shop")
        .first()
    )
    if event is None:
        raise Http404
    content = agenda_calendar(events=[event], name=event.title)
    return _calendar_response(request, content, f"evenement-{event.uid}.ics")
