"""French grammar in templates: `{{ space.name|de }}` gives « d'Argentan », « de Caen », « du Havre »."""

from __future__ import annotations

from django import template

from centreville.core import french

register = template.Library()


@register.filter(is_safe=True)
def de(name: object) -> str:
    """See centreville.core.french.de: in French, « de » and the name, elided or contracted."""
    return french.de(str(name))


@register.simple_tag
def colon() -> str:
    """A colon as the page's language writes it: « Lundi : » in French, "Monday:" in English."""
    return french.colon()
