"""Reads the API needs that no domain app offers as such: finding the town, shop or orders a URL names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.orders.models import Order, OrderLine
from centreville.orders.selectors import TrackedBasket, tracked_basket
from centreville.shops.models import Shop
from centreville.towns.models import Town

from .models import ApiToken


def published_town(slug: str) -> Town:
    """The published town at this address; 404 otherwise (a territory has no basket of its own)."""
    town = Town.objects.filter(slug=slug, is_published=True).first()
    if town is None:
        raise Http404(_("Aucune ville en ligne à l'adresse « %(slug)s ».") % {"slug": slug})
    return town


def shop_orders_of(user: User, town_slug: str, shop_slug: str, *, permission: str) -> Shop:
    """The shop whose orders `user` may see (`permission` on it), with its town.

    An unknown town or shop and a shop of someone else answer the same 404: whether a shop that is not
    public yet exists is nobody else's business.
    """
    shop = (
        Shop.objects.filter(town__slug=town_slug, slug=shop_slug).select_related("town").first()
        if town_slug and shop_slug
        else None
    )
    if shop is None or not user.has_perm(permission, shop):
        raise Http404(
            _("Aucun commerce « %(slug)s » dont vous voyez les commandes dans cette ville.")
            % {"slug": shop_slug}
        )
    return shop


def tracked(token: str) -> TrackedBasket:
    """The orders of the checkout a private tracking token belongs to (the orders app decides which)."""
    town = Town.objects.filter(orders__tracking_token=token).first() if token else None
    found = tracked_basket(town, token, at=timezone.now()) if town is not None else None
    if found is None:
        raise Http404(_("Aucune commande ne correspond à ce lien de suivi."))
    return found


def basket_orders(town: Town, basket_reference: str) -> list[Order]:
    """The orders of one checkout in a town, with their lines, in shop order."""
    return list(
        Order.objects.for_town(town)
        .filter(basket_reference=basket_reference)
        .select_related("shop", "relay_point", "locker", "delivery_zone")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .order_by("shop_id", "pk")
    )


def handled_order(user: User, reference: str, *, permission: str) -> Order:
    """The order with this reference if `user` may handle it (`permission` on it).

    Unknown and another shop's order answer the same 404, as the merchant's web pages do: nobody learns
    which references exist.
    """
    order = (
        Order.objects.filter(reference=reference)
        .select_related("shop", "town", "relay_point", "locker", "delivery_zone")
        .first()
    )
    if order is None or not user.has_perm(permission, order):
        raise Http404(
            _("Aucune commande « %(reference)s » parmi celles que vous traitez.") % {"reference": reference}
        )
    return order


def api_tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))


class TokenState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class TokenRow:
    """A token as its owner's page lists it."""

    token: ApiToken
    state: TokenState

    @property
    def is_active(self) -> bool:
        return self.state == TokenState.ACTIVE


def api_token_rows(user: User, *, now: datetime, limit: int = 100) -> list[TokenRow]:
    """The person's tokens, newest first, each with its state at `now`."""
    rows = []
    for token in ApiToken.objects.filter(user=user)[:limit]:
        if token.revoked:
            state = TokenState.REVOKED
        elif token.expires_at <= now:
            state = TokenState.EXPIRED
        else:
            state = TokenState.ACTIVE
        rows.append(TokenRow(token=token, state=state))
    return rows


def api_token_of(user: User, token_id: int) -> ApiToken:
    # An id no row can have (beyond a 64-bit integer) is not even looked up: databases refuse it.
    token = ApiToken.objects.filter(user=user, pk=token_id).first() if 0 < token_id < 2**63 else None
    if token is None:
        raise Http404(_("Vous n'avez pas de jeton numéro %(id)s.") % {"id": token_id})
    return token
