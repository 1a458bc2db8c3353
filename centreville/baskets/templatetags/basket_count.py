"""The number of articles in the visitor's basket, for the header's "Panier" link."""

from __future__ import annotations

from typing import Any

from django import template

from centreville.baskets.selectors import basket_article_count

register = template.Library()


@register.simple_tag(takes_context=True)
def basket_articles(context: dict[str, Any]) -> int:
    """0 outside a town, and for a visitor without a session (whose page may be shared by the page cache)."""
    request = context.get("request")
    space = context.get("space")
    if request is None or space is None or space.town is None:
        return 0
    return basket_article_count(request=request, town=space.town)
