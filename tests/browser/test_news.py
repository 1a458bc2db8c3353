"""News in a browser: a resident on a 320 px phone subscribes to the town's news by e-mail, confirms from the
link in the e-mail, receives the newsletter and unsubscribes from its link (a page with a button: opening the
link alone changes nothing); on a 360 px phone, finds one shop among many by its name, or by its trade without
JavaScript. French and English, axe-clean."""

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
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory, TradeCategoryFactory

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, assert_fits, link_in, screenshot, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


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


def _many_shops(argentan: Argentan) -> None:
    """Argentan with 40 more shops in four trades, among them one ironmonger."""
    trades = [
        TradeCategoryFactory.create(name=name, slug=name.lower())
        for name in ("Restaurant", "Fleuriste", "Caviste")
    ]
    for n in range(39):
        ShopFactory.create(
            town=argentan.town, status=ShopStatus.PUBLISHED, name=f"Commerce {n:02}", category=trades[n % 3]
        )
    ShopFactory.create(
        town=argentan.town,
        status=ShopStatus.PUBLISHED,
        name="Quincaillerie Lefèvre",
        category=TradeCategoryFactory.create(name="Quincaillerie-droguerie", slug="quincaillerie-droguerie"),
    )


def _phone_page(new_context: NewContext, live_server: Any, lang: str, **options: Any) -> Any:
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, **options)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    return context.new_page()


def _pending_shops(address: str) -> list[str]:
    return sorted(
        Subscription.objects.filter(subscriber__address=address, status=SubscriptionStatus.PENDING)
        .exclude(shop=None)
        .values_list("shop__name", flat=True)
    )


def test_a_resident_finds_a_shop_by_its_name_among_many_and_follows_its_offers(
    new_context: NewContext,
    live_server: Any,
    lang: str,
    argentan: Argentan,
    mailoutbox: list[EmailMessage],
) -> None:
    _many_shops(argentan)
    page = _phone_page(new_context, live_server, lang)
    page.goto("/argentan/actualites/")
    shops = page.get_by_role("group", name=translated(lang, "Les offres de ces commerces"))
    expect(shops.locator("details.shop-group")).to_have_count(6)
    expect(shops.get_by_label("Commerce 00", exact=True)).to_be_hidden()  # folded in its trade
    assert_fits(page)
    assert_accessible(page)

    finder = shops.get_by_label(translated(lang, "Trouver une boutique par son nom"))
    finder.fill("lefevre")  # without its accent, in lower case
    finder.press("Enter")  # filters; does not send the form
    expect(shops.locator("[data-shop-filter] [role=status]")).to_have_text(
        f"{translated(lang, 'Boutiques trouvées :')} 1"
    )
    expect(shops.locator("details.shop-group:visible")).to_have_count(1)
    shops.get_by_label("Quincaillerie Lefèvre", exact=True).check()
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"news-find-a-shop-{lang}-360")
    finder.fill("zzz")
    expect(shops.locator("[data-shop-filter] [role=status]")).to_have_text(
        translated(lang, "Aucune boutique ne porte ce nom.")
    )
    finder.fill("")
    expect(shops.locator("details.shop-group:visible")).to_have_count(6)

    page.get_by_label(translated(lang, "Adresse e-mail")).fill("claire@example.fr")
    page.get_by_role("button", name=translated(lang, "M'abonner")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Demande enregistrée"))
    assert _pending_shops("claire@example.fr") == ["Quincaillerie Lefèvre"]
    assert [m.to for m in mailoutbox] == [["claire@example.fr"]]


def test_without_javascript_a_resident_opens_a_trade_or_takes_every_shop(
    new_context: NewContext,
    live_server: Any,
    lang: str,
    argentan: Argentan,
    mailoutbox: list[EmailMessage],
) -> None:
    page = _phone_page(new_context, live_server, lang, java_script_enabled=False)
    page.goto("/argentan/actualites/")
    shops = page.get_by_role("group", name=translated(lang, "Les offres de ces commerces"))
    expect(shops.get_by_label(translated(lang, "Trouver une boutique par son nom"))).to_have_count(1)
    expect(shops.get_by_label(translated(lang, "Trouver une boutique par son nom"))).to_be_hidden()
    shops.locator("summary", has_text="Librairie").click()
    shops.get_by_label("Librairie des Halles", exact=True).check()
    page.get_by_label(translated(lang, "Adresse e-mail")).fill("paul@example.fr")
    page.get_by_role("button", name=translated(lang, "M'abonner")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Demande enregistrée"))
    assert _pending_shops("paul@example.fr") == ["Librairie des Halles"]

    page.goto("/argentan/actualites/")
    page.get_by_label(translated(lang, "Toutes les boutiques")).check()
    page.get_by_label(translated(lang, "Adresse e-mail")).fill("lea@example.fr")
    page.get_by_role("button", name=translated(lang, "M'abonner")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Demande enregistrée"))
    assert _pending_shops("lea@example.fr") == ["Boulangerie du Marché", "Librairie des Halles"]
