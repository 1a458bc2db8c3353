from django.http import HttpRequest

from centreville.core.http import HtmxHttpRequest

from .models import User


class SignedInRequest(HttpRequest):
    """A request behind `login_required`: its user is a real account (typing only)."""

    user: User


class SignedInHtmxRequest(HtmxHttpRequest):
    """A signed-in request as our middleware leaves it (typing only)."""

    user: User
