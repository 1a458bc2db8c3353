"""Absolute addresses of the platform's pages, always on its configured public address.

Nothing here reads the request's Host header: a forged one (`Host: 127.0.0.1:6666` passes ALLOWED_HOSTS,
which ignores the port) must not reach a cached page, a sitemap, an e-mail or a redirect.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.utils.http import url_has_allowed_host_and_scheme


def absolute_url(path: str) -> str:
    """`path` on PUBLIC_BASE_URL: the same whatever host name a request came through (cached pages and
    printed codes outlive it), and known to the task worker, which renders messages outside any request.

    An address that is absolute already (a photo in the object store) is returned as it is."""
    if urlsplit(path).scheme:
        return path
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def public_host() -> str:
    """The host (and port, if any) of PUBLIC_BASE_URL."""
    return urlsplit(settings.PUBLIC_BASE_URL).netloc


def is_own_url(url: str) -> bool:
    """Whether redirecting to `url` keeps the person on the platform: a path, or our public address."""
    return url_has_allowed_host_and_scheme(
        url,
        allowed_hosts={public_host()},
        require_https=urlsplit(settings.PUBLIC_BASE_URL).scheme == "https",
    )


class PublicSitemap(Sitemap[Any]):
    """A sitemap whose URLs are on PUBLIC_BASE_URL (Django's would use the request's host and scheme)."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.PUBLIC_BASE_URL).scheme

    def get_domain(self, site: Any = None) -> str:
        return public_host()
