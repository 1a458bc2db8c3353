"""The API's documentation page: Swagger UI from our own static files, under the site's CSP."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger


class LocalSwagger(Swagger):
    """ninja's Swagger UI files (no CDN), and the CSRF token so that "Try it out" works from a session."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        # No call to the public validator: the page talks to this site only.
        settings = {**self.settings, "validatorUrl": None, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "swagger_settings": json.dumps(settings)})
