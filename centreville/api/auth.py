"""Who calls the API: a browser (its session cookie, with CSRF on writes) or an app (a personal token).

Each returns the caller's user; permissions are then checked on the objects with `rules`, so nothing
the caller says about its role is ever trusted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from .services import api_token_user


def require_csrf(request: HttpRequest) -> None:
    """Refuse a write that rides on cookies without the page's CSRF token (safe methods pass)."""
    if check_csrf(request) is not None:
        raise HttpError(
            403,
            _("Jeton CSRF absent ou invalide : renvoyez le cookie csrftoken dans l'en-tête X-CSRFToken."),
        )


class PersonalToken(HttpBearer):
    """`Authorization: Bearer <key>`, a key made at /api/jetons. A wrong, revoked or expired key is a 401."""

    openapi_description = "Jeton d'API personnel (créé par POST /api/jetons) : Authorization: Bearer <clé>."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token.strip(), now=timezone.now())
        if user is None:
            raise AuthenticationError(
                401, _("Ce jeton d'API n'est pas valable (inconnu, révoqué ou expiré).")
            )
        request.user = user
        return user


class SignedInSession(APIKeyCookie):
    """A signed-in browser: Django's session cookie, and the CSRF token on every write."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "Session du navigateur (compte connecté) ; les écritures demandent l'en-tête X-CSRFToken."
    )

    def _get_key(self, request: HttpRequest) -> str | None:
        require_csrf(request)
        get_token(request)  # every answer to a browser carries the CSRF cookie its next write needs
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


class AnySession(SignedInSession):
    """A browser, signed in or not (the basket lives in its session); writes still need the CSRF token."""

    openapi_description = (
        "Session du navigateur, connecté ou non (le panier y est gardé) ; les écritures demandent "
        "l'en-tête X-CSRFToken (cookie csrftoken, reçu avec GET …/panier)."
    )

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user  # AnonymousUser too: a truthy object


personal_token = PersonalToken()
signed_in_session = SignedInSession()
any_session = AnySession()

# Merchant apps use a token; the merchant's own browser uses its session.
SIGNED_IN = [personal_token, signed_in_session]

# The operations without auth, and why (core.access: every view says who may reach it; a test checks
# that every other operation declares its auth).
WITHOUT_AUTH = {
    "suivre_commandes": "secret link: the order's private tracking token is in the address",
    "annuler_commande": "secret link: the order's private tracking token is in the address",
}
