"""Absolute addresses of a subscriber's secret pages, for messages rendered by the worker (`core.links`)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centreville.core.links import absolute_url

from . import tokens


def confirm_url(*, town_slug: str, subscriber_key: str) -> str:
    token = tokens.confirm_token(subscriber_key=subscriber_key)
    return absolute_url(reverse("news_public:confirm", args=[town_slug, token]))


def unsubscribe_url(*, town_slug: str, subscriber_key: str, subscription_id: int) -> str:
    token = tokens.unsubscribe_token(subscriber_key=subscriber_key, subscription_id=subscription_id)
    return absolute_url(reverse("news_public:unsubscribe", args=[town_slug, token]))


def preferences_url(*, town_slug: str, subscriber_key: str) -> str:
    token = tokens.preferences_token(subscriber_key=subscriber_key)
    return absolute_url(reverse("news_public:preferences", args=[town_slug, token]))


def unsubscribe_mailto(*, one_click_url: str) -> str:
    """The mailto: alternative of List-Unsubscribe: an address of the platform, the link in its subject."""
    address = getattr(settings, "NEWS_UNSUBSCRIBE_MAILTO", "") or (
        f"desabonnement@{urlsplit(settings.PUBLIC_BASE_URL).hostname or 'localhost'}"
    )
    return f"mailto:{address}?subject={quote('unsubscribe ' + one_click_url.rsplit('/', 2)[-2])}"


def sms_stop_mention() -> str:
    """How to stop, at the end of every SMS: « STOP au 36xxx » with the number the operator takes STOP answers
    on (setting NEWS_SMS_STOP_NUMBER), or an answer to the message itself when the operator gives none."""
    number = getattr(settings, "NEWS_SMS_STOP_NUMBER", "")
    return f"STOP au {number}" if number else str(_("Répondez STOP pour ne plus rien recevoir"))
