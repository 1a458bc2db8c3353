"""What a request may carry before any view reads it: a body of bounded size, no NUL character.

The reverse proxy should cap bodies too, but the application does not rely on it:

- `RequestGuardMiddleware` answers 413 (a French page) when Content-Length announces more than the
  limit, before anything reads the body, and 400 when the address or a form field holds a NUL character
  (which no database keeps in a text, so it would otherwise end in a 500 far away);
- `LimitedUploadHandler`, first of the upload handlers, counts what an upload actually sends and stops
  it past the limit, whatever Content-Length said (missing, or lying).

The limit is MAX_REQUEST_BODY_BYTES; a view that takes larger files from signed-in people says so with
`@allow_request_body("NAME_OF_THE_SETTING")`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

View = TypeVar("View", bound=Callable[..., Any])


class RequestBodyTooLarge(SuspiciousOperation):
    """An upload went past the limit; the middleware answers 413."""


def allow_request_body(setting: str) -> Callable[[View], View]:
    """Let signed-in people send this view bodies up to the bytes of `setting` (others keep the default)."""

    def decorate(view: View) -> View:
        view.max_request_body_setting = setting  # type: ignore[attr-defined]
        return view

    return decorate


def body_limit(request: HttpRequest) -> int:
    """The most bytes this request may send."""
    return int(getattr(request, "max_body_bytes", settings.MAX_REQUEST_BODY_BYTES))


def too_large(request: HttpRequest) -> HttpResponse:
    response = render(request, "413.html", {"limit": filesizeformat(body_limit(request))}, status=413)
    response["Connection"] = "close"  # the rest of the body is not read
    return response


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "400.html", {"message": message}, status=400)


def _has_nul(values: Any) -> bool:
    return any("\x00" in value for value in values)


class RequestGuardMiddleware:
    """Place it before every middleware that may read the body (CSRF reads the form)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.max_body_bytes = settings.MAX_REQUEST_BODY_BYTES  # type: ignore[attr-defined]
        response = self.get_response(request)
        if getattr(request, "body_too_large", False):
            # The upload handler stopped the body: whatever answered, the answer is this one.
            return too_large(request)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        setting = getattr(view, "max_request_body_setting", None)
        if setting is not None and request.user.is_authenticated:
            allowed = max(getattr(settings, setting), settings.MAX_REQUEST_BODY_BYTES)
            request.max_body_bytes = allowed  # type: ignore[attr-defined]
        try:
            announced = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request(request, _("La requête annonce une taille illisible."))
        if announced < 0:
            return bad_request(request, _("La requête annonce une taille illisible."))
        if announced > body_limit(request):
            return too_large(request)
        if (
            "\x00" in request.path
            or _has_nul(request.GET.keys())
            or _has_nul(value for values in request.GET.lists() for value in values[1])
        ):
            return bad_request(request, _("L'adresse contient un caractère interdit."))
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            form = request.POST
            if _has_nul(form.keys()) or _has_nul(value for values in form.lists() for value in values[1]):
                return bad_request(request, _("Le formulaire contient un caractère interdit."))
        return None


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of every file of the request and stops the upload past the request's limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.request is not None and self.received > body_limit(self.request):
            self.request.body_too_large = True  # type: ignore[attr-defined]
            raise RequestBodyTooLarge("upload larger than the request's limit")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers keep the file
