"""Template helpers for shop claims."""

from __future__ import annotations

from django import template

from centreville.shops.models import Shop
from centreville.shops.rules import is_unclaimed

register = template.Library()


@register.filter
def is_claimable(shop: Shop) -> bool:
    """A published shop that nobody runs yet: its page invites its merchant to claim it."""
    return bool(is_unclaimed(None, shop))
