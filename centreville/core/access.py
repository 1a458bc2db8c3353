"""Who may reach each view: one rule per URL, recorded on the view by the decorator that enforces it.

`towns.decorators.space_view(permission=…)` records the permission it checks; a view it does not guard
(or a view outside any town) says who may reach it with one of the decorators below. Views of the
packages the project mounts (the admin site, allauth, the API's own pages) get theirs in
`EXTERNAL_RULES`. `access_registry()` reads them all from the URLconf, and a test fails, naming the
view, when one has none: a view cannot be added without saying who may reach it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, URLResolver, get_resolver

View = TypeVar("View", bound=Callable[..., Any])

ATTRIBUTE = "access_rule"


class Kind(StrEnum):
    PUBLIC = "public"  # anyone
    SECRET_LINK = "secret link"  # anyone holding the unguessable token of the address (an order's link)
    SIGNED_IN = "signed in"  # any account; what it sees is its own
    PERMISSION = "permission"  # a django-rules permission on the space's town (space_view checks it)
    STAFF = "staff"  # the platform's staff: the Django admin site
    WEBHOOK = "webhook"  # a provider's call, its signature checked by the view
    OPERATOR = "operator"  # the operators' monitoring, its token (METRICS_TOKEN) checked by the view
    API = "api"  # an API operation: each declares its own auth (see centreville.api.auth)
    MEMBER = "enterprise member"  # a member of the enterprise the address names (enterprises.decorators)


@dataclass(frozen=True)
class Rule:
    kind: Kind
    permission: str = ""  # checked on the space's town before the view runs
    shop_permission: str = ""  # then on the shop named by the address (shops.access.managed_shop)

    def __str__(self) -> str:
        parts = [str(self.kind), self.permission, self.shop_permission and f"shop: {self.shop_permission}"]
        return " ".join(part for part in parts if part)


def declare(view: View, rule: Rule) -> View:
    """Record `rule` on `view`; functools.wraps carries it to every decorator stacked above."""
    recorded = rule_of(view)
    if recorded is not None and recorded != rule:
        raise ValueError(f"{view.__module__}.{view.__qualname__} declares two rules: {recorded}, {rule}")
    setattr(view, ATTRIBUTE, rule)
    return view


def rule_of(view: Callable[..., Any]) -> Rule | None:
    return getattr(view, ATTRIBUTE, None)


def public(view: View) -> View:
    """Anyone may reach this view (a town's public page is also wrapped in space_view, without permission)."""
    return declare(view, Rule(Kind.PUBLIC))


def secret_link(view: View) -> View:
    """Anyone holding the address's unguessable token; the view finds nothing without it."""
    return declare(view, Rule(Kind.SECRET_LINK))


def webhook(view: View) -> View:
    """A provider calls this view; it checks the call's signature itself."""
    return declare(view, Rule(Kind.WEBHOOK))


def operator(view: View) -> View:
    """The operators' monitoring calls this view; it checks their token itself."""
    return declare(view, Rule(Kind.OPERATOR))


def signed_in(view: View) -> View:
    """Any account (Django's login_required): the view shows the person their own things."""
    guarded: View = login_required(view)
    return declare(guarded, Rule(Kind.SIGNED_IN))


PUBLIC, STAFF, SIGNED_IN = Rule(Kind.PUBLIC), Rule(Kind.STAFF), Rule(Kind.SIGNED_IN)
SECRET_LINK = Rule(Kind.SECRET_LINK)

# The views of the packages the project mounts, by URL name; a whole namespace by "namespace:*".
EXTERNAL_RULES: dict[str, Rule] = {
    # Every page of the admin site is behind AdminSite.admin_view (is_staff), except signing in and out.
    "admin:*": STAFF,
    "admin:login": PUBLIC,
    "admin:logout": PUBLIC,
    # allauth: signing up, in and out, and getting back into an account are for anyone; the rest needs
    # the account (allauth's views redirect to the login page otherwise).
    "account_login": PUBLIC,
    "account_logout": PUBLIC,
    "account_inactive": PUBLIC,
    "account_signup": PUBLIC,
    "account_confirm_login_code": PUBLIC,
    "account_email_verification_sent": PUBLIC,
    "account_confirm_email": SECRET_LINK,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": SECRET_LINK,
    "account_reset_password_from_key_done": PUBLIC,
    "account_reauthenticate": SIGNED_IN,
    "account_email": SIGNED_IN,
    "account_change_password": SIGNED_IN,
    "account_set_password": SIGNED_IN,
    # The API's schema, its documentation page and its root are public; each operation declares its
    # auth (centreville.api.auth), and a test checks that every one does.
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:api-root": PUBLIC,
    "api:*": Rule(Kind.API),
}


@dataclass(frozen=True)
class Entry:
    """One URL pattern of the project and the rule that guards it (None: nobody said)."""

    key: str  # "namespace:name", or "namespace:module.view" for an unnamed pattern
    route: str
    callback: Callable[..., Any]
    rule: Rule | None

    @property
    def argument_names(self) -> list[str]:
        return _argument_names(self.route)


def access_registry() -> list[Entry]:
    """Every URL pattern of the project, with its rule: the view's own, else the external one."""
    return [
        Entry(key=key, route=route, callback=callback, rule=rule_of(callback) or _external_rule(key))
        for key, route, callback in _patterns(get_resolver(), prefix="", namespaces=())
    ]


def _patterns(
    resolver: URLResolver, *, prefix: str, namespaces: tuple[str, ...]
) -> Iterator[tuple[str, str, Callable[..., Any]]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _patterns(pattern, prefix=prefix + str(pattern.pattern), namespaces=inner)
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            view_class = getattr(callback, "view_class", None)
            name = pattern.name or (
                f"{view_class.__module__}.{view_class.__qualname__}"
                if view_class is not None
                else f"{callback.__module__}.{callback.__qualname__}"
            )
            yield ":".join((*namespaces, name)), prefix + str(pattern.pattern), callback


def _external_rule(key: str) -> Rule | None:
    if key in EXTERNAL_RULES:
        return EXTERNAL_RULES[key]
    namespace, _, _ = key.rpartition(":")
    return EXTERNAL_RULES.get(f"{namespace}:*") if namespace else None


def _argument_names(route: str) -> list[str]:
    """The names of a route's arguments, `<slug:town_slug>` and `(?P<key>…)` alike, in order."""
    return re.findall(r"<(?:\w+:)?(\w+)>", route)
