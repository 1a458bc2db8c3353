from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def public_url(request: HttpRequest, path: str) -> str:
    """The absolute address of `path`: on PUBLIC_BASE_URL when set (printed codes and cached pages outlive
    whatever host name a request came through), else on the request's own host."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)
