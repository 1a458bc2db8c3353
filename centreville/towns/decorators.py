"""Resolve the space named by the URL once, and check the permission a view needs on it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from . import selectors

SpaceView = Callable[..., HttpResponse]


def space_view(
    *, single_town: bool = False, permission: str | None = None
) -> Callable[[SpaceView], SpaceView]:
    """Wrap a view taking `(request, space, ...)` so it is reached as `(request, town_slug, ...)`.

    `permission` is checked on the space's town through `rules`; anonymous people are sent to log in,
    others get 403. `single_town` views do not exist for territories.
    """

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
            return view(request, space, *args, **kwargs)

        return wrapper

    return decorator
