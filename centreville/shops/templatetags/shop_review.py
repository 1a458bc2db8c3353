"""Template helpers of the manager's validation pages."""

from __future__ import annotations

from django import template

from centreville.shops.review import Move

register = template.Library()


@register.filter
def move_label(move: Move, name: str) -> str:
    """The button's words for `move` on the shop called `name`: « Publier « Épicerie Vrac » »."""
    return move.label(name)
