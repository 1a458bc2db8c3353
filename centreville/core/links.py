"""Absolute addresses of the platform's pages, always on its configured public address."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` on PUBLIC_BASE_URL: the same whatever host name a request came through (cached pages and
    printed codes outlive it), and known to the task worker, which renders messages outside any request."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + path
