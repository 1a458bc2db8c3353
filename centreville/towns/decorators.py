"""Resolve the space named by the URL once, and check the permission a view needs on it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from centreville.core.access import Kind, Rule, declare

from . import selectors

SpaceView = Callable[..., HttpResponse]


def space_view(
    *, single_town: bool = False, permission: str | None = None, shop_permission: str | None = None
) -> Callable[[SpaceView], SpaceView]:
    """Wrap a view taking `(request, space, ...)` so it is reached as `(request, town_slug, ...)`.

    `permission` is checked on the space's town through `rules`; anonymous people are sent to log in,
    others get 403. `shop_permission` is the one `shops.access.managed_shop` then checks on the shop the
    address names. Both are recorded as the view's access rule (`core.access`); a view without
    `permission` declares its own (`@public`, …). `single_town` views do not exist for territories.
    """
    if shop_permission is not None and permission is None:
        raise ValueError("A shop's page is first a town's: give its town permission too.")

    def decorator(view: SpaceView) -> SpaceView:
        @wraps(view)
        def wrapper(request: HttpRequest, town_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            space, versions = selectors.public_space(town_slug)
            if space is None or ((single_town or permission) and space.town is None):
                raise Http404
            if permission is not None and not request.user.has_perm(permission, space.town):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            request.space = space  # type: ignore[attr-defined]
            request.town_versions = versions  # type: ignore[attr-defined]
            request.shop_permission = shop_permission  # type: ignore[attr-defined]  # for managed_shop
            return view(request, space, *args, **kwargs)

        if permission is not None:
            rule = Rule(Kind.PERMISSION, permission=permission, shop_permission=shop_permission or "")
            declare(wrapper, rule)
        return wrapper

    return decorator
