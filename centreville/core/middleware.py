from __future__ import annotations

from typing import Any

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """French unless the person chose another language with the switch; browser preferences are ignored.

    Shop names and descriptions are French whatever the interface language, so a half-English page
    picked from the browser's settings would surprise more people than it helps.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response = super().process_response(request, response)
        # The page is rendered: whatever runs next in this thread (another request, a task run at once)
        # starts from the default language, not from the last visitor's.
        translation.deactivate()
        return response


class AuditActorMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware: each change recorded during a request names the person signed in.

    The person is read only when a change is recorded (a page that changes nothing loads no session for
    it), and neither the address nor the port of the request is kept: the trail says who, not from where.
    """

    def get_extra_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"actor": request.user}
