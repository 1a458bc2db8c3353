"""The agenda's calendar files in templates: `{% url 'agenda_public:feed' space.slug as path %}{% feed_address
path as feed %}` gives `feed.url` (https) and `feed.webcal` (to subscribe)."""

from __future__ import annotations

from django import template

from centreville.agenda.calendar_feeds import FeedAddress
from centreville.agenda.calendar_feeds import feed_address as address_of

register = template.Library()


@register.simple_tag
def feed_address(path: str) -> FeedAddress:
    """See centreville.agenda.calendar_feeds.feed_address."""
    return address_of(path)
