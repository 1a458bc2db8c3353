"""Resolve the enterprise named by the address, and let in only its members."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from centreville.core.access import Kind, Rule, declare

from .models import Enterprise

EnterpriseView = Callable[..., HttpResponse]


def enterprise_view(
    *, producer: bool = False, buyer: bool = False
) -> Callable[[EnterpriseView], EnterpriseView]:
    """Wrap a view taking `(request, enterprise, ...)` so it is reached as `(request, enterprise_slug, ...)`.

    Only the enterprise's members (and the platform's staff) get in: anonymous people are sent to log in,
    others get 403. `producer` / `buyer` say the page exists only for an enterprise that sells / buys.
    """

    def decorator(view: EnterpriseView) -> EnterpriseView:
        @wraps(view)
        def wrapper(request: HttpRequest, enterprise_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            enterprise = Enterprise.objects.filter(slug=enterprise_slug, is_active=True).first()
            if (
                enterprise is None
                or (producer and not enterprise.is_producer)
                or (buyer and not enterprise.is_buyer)
            ):
                raise Http404
            if not (request.user.is_staff or enterprise.members.filter(user=request.user).exists()):
                raise PermissionDenied
            request.enterprise = enterprise  # type: ignore[attr-defined]
            return view(request, enterprise, *args, **kwargs)

        return declare(wrapper, Rule(Kind.MEMBER))

    return decorator
