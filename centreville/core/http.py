from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as our middleware leaves it: with htmx details (typing only)."""

    htmx: HtmxDetails
