"""Whole-page cache for anonymous visitors of a town's public pages.

Each town has a version number in the shared cache; every write to the town's public data bumps it
(after commit), which makes every cached page of that town stale at once. Pages are cached per
language and path, and only for anonymous GETs without pending messages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from centreville.activity import services as activity

PageView = Callable[..., HttpResponse]


def _version_key(town_id: int) -> str:
    return f"town-version:{town_id}"


def town_versions(town_ids: tuple[int, ...]) -> str:
    """The current versions of these towns, as one string that changes whenever any of them changes."""
    keys = [_version_key(town_id) for town_id in town_ids]
    found = cache.get_many(keys)
    return ".".join(str(found.get(key, 0)) for key in keys)


def bump_town_version(town_id: int) -> None:
    """Make every cached page of this town stale, once the current transaction commits."""

    def bump() -> None:
        key = _version_key(town_id)
        if not cache.add(key, 1, timeout=None):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, timeout=None)

    transaction.on_commit(bump)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not request.GET
        # A session or pending messages may change what the page shows.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.MESSAGE_STORAGE_COOKIE_NAME not in request.COOKIES
    )


def cached_town_page(*, metric: str | None = None) -> Callable[[PageView], PageView]:
    """Serve a town page from the cache to anonymous visitors, counting the visit under `metric` either way.

    The wrapped view takes `(request, space, ...)`, as built by `space_view`; a `shop_slug` argument, when
    there is one, attributes the visit to that shop.
    """
    return lambda view: _cached(view, metric)


def _cached(view: PageView, metric: str | None) -> PageView:
    @wraps(view)
    def wrapper(request: HttpRequest, space: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if metric is not None and space.town is not None:
            activity.record(metric, town_id=space.town.pk, shop_slug=kwargs.get("shop_slug"))
        if not _cacheable(request):
            return view(request, space, *args, **kwargs)
        key = ":".join(
            ("page", town_versions(space.town_ids), translation.get_language() or "", request.path)
        )
        cached = cache.get(key)
        if cached is not None:
            content, content_type, status = cached
            return HttpResponse(content, content_type=content_type, status=status)
        response = view(request, space, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"], 200), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
