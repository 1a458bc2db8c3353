from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render

from centreville.core.access import public

from .links import is_own_url

logger = logging.getLogger(__name__)


@public
def choose_language(request: HttpRequest, language: str) -> HttpResponse:
    """Remember the language a person picked, then go back where they were.

    A plain link rather than a form, so that public pages carry no CSRF token and can be cached.
    """
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "/")
    if not is_own_url(target):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page, in the visitor's language (Django's own renders 400.html without the request)."""
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token: what happened and what to do, in plain words.

    Most often the page stayed open so long that the session expired, or the browser refuses cookies.
    Nothing technical is shown (the reason goes to the log only).
    """
    logger.info("CSRF failure on %s: %s", request.path, reason)
    back = request.META.get("HTTP_REFERER", "")
    if not is_own_url(back):
        back = ""
    context = {"back": back, "no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "403_csrf.html", context, status=403)
