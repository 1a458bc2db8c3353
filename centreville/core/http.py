from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from centreville.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """A request as our middleware leaves it: with htmx details (typing only)."""

    htmx: HtmxDetails


class SignedInRequest(HttpRequest):
    """A request behind `login_required`: its user is a real account (typing only)."""

    user: User


class SignedInHtmxRequest(HtmxHttpRequest):
    """A signed-in request as our middleware leaves it (typing only)."""

    user: User
