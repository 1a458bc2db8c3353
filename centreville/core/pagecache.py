"""Whole-page cache for anonymous visitors of a town's public pages.

Each town has a version number in the shared cache; every change to the town's public data calls
`town_public_data_changed()`, which bumps it once the change is committed and so makes every cached page
of that town stale at once. Pages are cached per language and path, and only for anonymous GETs without
pending messages.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from .signals import town_page_viewed

PageView = Callable[..., HttpResponse]

# This thread's latest expiry by town (see town_public_data_changed): calls until it runs share it.
_pending = threading.local()


def _version_key(town_id: int) -> str:
    return f"town-version:{town_id}"


def version_keys(town_ids: tuple[int, ...]) -> list[str]:
    """The cache keys of these towns' versions, for callers that fetch them along with other keys."""
    return [_version_key(town_id) for town_id in town_ids]


def versions_from(found: dict[str, Any], town_ids: tuple[int, ...]) -> str:
    """`town_versions()` from the result of a `cache.get_many()` that included `version_keys(town_ids)`."""
    return ".".join(str(found.get(key, 0)) for key in version_keys(town_ids))


def town_versions(town_ids: tuple[int, ...]) -> str:
    """The current versions of these towns, as one string that changes whenever any of them changes."""
    return versions_from(cache.get_many(version_keys(town_ids)), town_ids)


def town_public_data_changed(town_id: int) -> None:
    """Make every cached public page of this town stale, once, after the current transaction commits.

    Several calls in one transaction expire the pages once; a rolled back change expires nothing.
    """
    pending: dict[int, _Expiry] = _pending.__dict__.setdefault("by_town", {})
    expiry = pending.get(town_id)
    if expiry is None or expiry.done:
        expiry = pending[town_id] = _Expiry(town_id)
    # Each call registers the shared expiry: a rolled back savepoint drops its own registration only.
    transaction.on_commit(expiry)


class _Expiry:
    """Bumps one town's version the first time it is called, and never again."""

    def __init__(self, town_id: int) -> None:
        self.town_id = town_id
        self.done = False

    def __call__(self) -> None:
        if self.done:
            return
        self.done = True
        key = _version_key(self.town_id)
        if not cache.add(key, 1, timeout=None):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, timeout=None)


def expire_page_at(response: HttpResponse, moment: datetime | None, *, now: datetime) -> HttpResponse:
    """Keep the cached copy of this page, made at `now`, no later than `moment` (when what it says stops
    being true)."""
    if moment is not None:
        seconds = (moment - now).total_seconds()
        response.page_cache_seconds = max(0, int(seconds))  # type: ignore[attr-defined]
    return response


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
    there is one, attributes the visit to that shop, and a `product_slug` argument to that shop's product.
    """
    return lambda view: _cached(view, metric)


def _cached(view: PageView, metric: str | None) -> PageView:
    @wraps(view)
    def wrapper(request: HttpRequest, space: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if metric is not None and space.town is not None:
            town_page_viewed.send(
                sender=view,
                metric=metric,
                town_id=space.town.pk,
                shop_slug=kwargs.get("shop_slug"),
                product_slug=kwargs.get("product_slug"),
            )
        if not _cacheable(request):
            return view(request, space, *args, **kwargs)
        # space_view may have read the versions already, with the space itself (one cache round trip less).
        versions = getattr(request, "town_versions", None) or town_versions(space.town_ids)
        key = ":".join(("page", versions, translation.get_language() or "", request.path))
        cached = cache.get(key)
        if cached is not None:
            content, content_type, status = cached
            return HttpResponse(content, content_type=content_type, status=status)
        response = view(request, space, *args, **kwargs)
        # A page saying "open, closes at 19:00" is kept only as long as that holds (expire_page_at).
        lifetime = min(
            settings.PAGE_CACHE_SECONDS, getattr(response, "page_cache_seconds", settings.PAGE_CACHE_SECONDS)
        )
        if response.status_code == 200 and not response.streaming and not response.cookies and lifetime > 0:
            cache.set(key, (response.content, response["Content-Type"], 200), lifetime)
        return response

    return wrapper
