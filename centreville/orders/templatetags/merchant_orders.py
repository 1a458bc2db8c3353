"""How long ago an order came in, in words a merchant reads at a glance."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def received_since(created_at: datetime, now: datetime) -> str:
    """« Reçue à l'instant » under a minute, else « Reçue il y a 2 minutes »: a sentence after the badge."""
    if now - created_at < timedelta(minutes=1):
        return _("Reçue à l'instant")
    return _("Reçue il y a %(since)s") % {"since": timesince(created_at, now, depth=1)}
