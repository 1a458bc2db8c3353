"""News in a browser: a resident on a 320 px phone subscribes to the town's news by e-mail, confirms from the
link in the e-mail, receives the newsletter and unsubscribes from its link (a page with a button: opening the
link alone changes nothing). French and English, axe-clean."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from centreville.news import campaigns
from centreville.news.models import Subscription, SubscriptionStatus

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, link_in, screenshot, translated

pytestmark = pytest.mark.browser


def _phone(new_context: NewContext, live_server: Any, lang: str) -> BrowserContext:
    context = new_context(viewport=NARROW, is_mobile=True, has_touch=True)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    return context


def test_a_resident_subscribes_confirms_and_unsubscribes_from_the_newsletter(
    new_context: NewContext,
    live_server: Any,
    lang: str,
    argentan: Argentan,
    mailoutbox: list[EmailMessage],
) -> None:
    page = _phone(new_context, live_server, lang).new_page()
    page.goto("/argentan/")
    page.get_by_role("link", name=translated(lang, "Recevoir les actualités par e-mail ou SMS")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Argentan")
    assert_accessible(page)
    page.get_by_label(translated(lang, "Adresse e-mail")).fill("claire@example.fr")
    page.get_by_label(translated(lang, "Les actualités de la ville et l'agenda de la semaine")).check()
    page.get_by_role("button", name=translated(lang, "M'abonner")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Demande enregistrée"))
    assert_accessible(page)
    screenshot(page, f"news-subscribed-{lang}")

    assert [m.to for m in mailoutbox] == [["claire@example.fr"]]  # the confirmation only
    page.goto(link_in(mailoutbox[0], live_server.url))
    assert not Subscription.objects.filter(status=SubscriptionStatus.ACTIVE).exists()
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Je confirme mon abonnement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Ce que je reçois"))
    assert_accessible(page)
    subscription = Subscription.objects.get()
    assert subscription.status == SubscriptionStatus.ACTIVE

    letter = campaigns.newsletter_create(
        town=argentan.town,
        subject="La semaine à Argentan",
        introduction="Bonjour !",
        author=None,
        at=timezone.now(),
    )
    campaigns.newsletter_schedule(campaign=letter, send_at=None, at=timezone.now())
    newsletter = mailoutbox[1]
    assert newsletter.to == ["claire@example.fr"]
    assert newsletter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    found = re.search(
        re.escape(live_server.url) + r"/argentan/actualites/desabonnement/\S+", str(newsletter.body)
    )
    assert found is not None

    page.goto(found.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Me désabonner"))
    assert_accessible(page)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE  # opening the link changes nothing
    page.get_by_role("button", name=translated(lang, "Me désabonner")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Vous êtes désabonné"))
    assert_accessible(page)
    screenshot(page, f"news-unsubscribed-{lang}")
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ENDED
