"""The news' pages as people read them: « d'Argentan » and « de Caen », the shops grouped by trade with
« Toutes les boutiques » (in a number of queries that does not grow with the shops), and the town team's menu
on its newsletter pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.shops.models import Shop, ShopStatus, TradeCategory
from centreville.shops.taxonomy import TRADE_CATEGORIES
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .. import tokens
from ..models import Campaign, Consent, Subscription, SubscriptionStatus
from .factories import subscribed

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def _trade(slug: str) -> TradeCategory:
    """A trade of the taxonomy, as its data migration writes it (a flushed test database may lack it)."""
    position, spec = next((n, spec) for n, spec in enumerate(TRADE_CATEGORIES) if spec.slug == slug)
    trade, _created = TradeCategory.objects.get_or_create(
        slug=slug, defaults={"name": spec.name, "position": position}
    )
    return trade


def _shops(town: Town, count: int, *, trade: str = "fleuriste") -> list[Shop]:
    return [
        ShopFactory.create(town=town, status=ShopStatus.PUBLISHED, category=_trade(trade))
        for _ in range(count)
    ]


def _queries(client: Client, url: str) -> int:
    client.get(url)  # the town, once read, is cached: count a page as it is usually served
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _subscribe_url(town: Town) -> str:
    return reverse("news_public:subscribe", args=[town.slug])


def _preferences_url(town: Town, subscription: Subscription) -> str:
    token = tokens.preferences_token(subscriber_key=str(subscription.subscriber.key))
    return reverse("news_public:preferences", args=[town.slug, token])


def _groups(page: str) -> list[tuple[str, list[str]]]:
    """Each trade's group on the page (its summary) and the shops' names in it."""
    return [
        (summary.strip(), re.findall(r'name="shops" value="\d+"[^>]*>\s*([^<]+?)\s*</label>', body))
        for summary, body in re.findall(
            r'<details class="shop-group"[^>]*>\s*<summary>([^<]+)<span.*?</summary>(.*?)</details>',
            page,
            re.S,
        )
    ]


# --- « de » before a name -----------------------------------------------------------------------------------


def test_the_subscription_page_and_messages_elide_de_before_the_towns_name(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    argentan = TownFactory.create(name="Argentan")
    caen = TownFactory.create(name="Caen")
    shop = ShopFactory.create(town=argentan, status=ShopStatus.PUBLISHED, name="Le Fournil")

    assert (
        "Recevoir les actualités d&#x27;Argentan</h1>"
        in client.get(_subscribe_url(argentan)).content.decode()
    )
    assert "Recevoir les actualités de Caen</h1>" in client.get(_subscribe_url(caen)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _subscribe_url(argentan), {"email": "a@example.fr", "town_news": "on", "shops": [shop.pk]}
        )
    confirmation = mail.outbox[0]
    assert confirmation.subject == "Confirmez votre abonnement aux actualités d'Argentan"
    assert "- Actualités d'Argentan\n- Offres du Fournil\n" in confirmation.body
    link = re.search(r"http://testserver(/\S+/confirmer/\S+/)", str(confirmation.body))
    assert link is not None
    client.post(link.group(1))
    assert {row.purpose for row in Consent.objects.all()} == {"Actualités d'Argentan", "Offres du Fournil"}


# --- The shops, grouped by trade ----------------------------------------------------------------------------


def test_the_form_groups_the_towns_published_shops_by_trade_after_all_shops(client: Client) -> None:
    town = TownFactory.create()
    for name, trade in (
        ("Rose et Lilas", "fleuriste"),
        ("Au Bon Pain", "boulangerie-patisserie"),
        ("Le Fournil", "boulangerie-patisserie"),
    ):
        ShopFactory.create(town=town, status=ShopStatus.PUBLISHED, name=name, category=_trade(trade))
    ShopFactory.create(town=town, status=ShopStatus.DRAFT, name="Pas encore ouverte")
    ShopFactory.create(town=TownFactory.create(), status=ShopStatus.PUBLISHED, name="Ailleurs")

    page = client.get(_subscribe_url(town)).content.decode()

    # The trades in the shops app's order, the shops by name; nothing unpublished, nothing of another town.
    assert _groups(page) == [
        ("Boulangerie-pâtisserie", ["Au Bon Pain", "Le Fournil"]),
        ("Fleuriste", ["Rose et Lilas"]),
    ]
    assert "Pas encore ouverte" not in page
    assert "Ailleurs" not in page
    assert re.search(r'<input type="checkbox" name="shops" value="toutes"[^>]*>\s*Toutes les boutiques', page)
    # Each trade is a fieldset named by its legend, folded while none of its shops is ticked.
    assert page.count('<details class="shop-group">') == 2
    assert '<legend class="visually-hidden">Fleuriste</legend>' in page
    # The filter by name waits for the script; the form works without it.
    assert re.search(r'<div class="shop-filter" data-shop-filter hidden>', page)
    assert "news/shop-choices.js" in page


def test_the_form_costs_the_same_queries_with_3_or_40_shops(client: Client) -> None:
    town = TownFactory.create()
    _shops(town, 3)
    few = _queries(client, _subscribe_url(town))
    _shops(town, 30, trade="restaurant")
    _shops(town, 7, trade="caviste")
    assert _queries(client, _subscribe_url(town)) == few


def test_a_refused_form_keeps_the_ticked_shops_with_their_trade_open(client: Client) -> None:
    town = TownFactory.create()
    kept, other = _shops(town, 1)[0], _shops(town, 1, trade="caviste")[0]
    response = client.post(_subscribe_url(town), {"email": "pas-une-adresse", "shops": [kept.pk]})
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(rf'value="{kept.pk}"[^>]*checked', page)
    assert not re.search(rf'value="{other.pk}"[^>]*checked', page)
    assert page.count('<details class="shop-group" open>') == 1


def test_all_shops_subscribes_to_each_published_shop_in_a_constant_number_of_queries(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    town = TownFactory.create()
    few_shops = _shops(town, 2)
    ShopFactory.create(town=town, status=ShopStatus.HIDDEN)

    def subscribe_all(address: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(_subscribe_url(town), {"email": address, "shops": ["toutes"]})
        assert response.status_code == 302
        return len(queries)

    client.get(_subscribe_url(town))  # the town, once read, is cached
    few = subscribe_all("a@example.fr")
    many_shops = few_shops + _shops(town, 20, trade="restaurant")
    many = subscribe_all("b@example.fr")

    assert many == few
    pending = Subscription.objects.filter(
        subscriber__address="b@example.fr", status=SubscriptionStatus.PENDING
    )
    assert sorted(pending.values_list("shop_id", flat=True)) == sorted(shop.pk for shop in many_shops)

    # Confirmed: each shop's consent is recorded, in a number of queries that does not grow either.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_subscribe_url(town), {"email": "c@example.fr", "town_news": "on", "shops": ["toutes"]})
    confirmation = mail.outbox[-1]
    assert "- Les offres de 22 boutiques\n" in confirmation.body  # the number, not 22 names
    link = re.search(r"http://testserver(/\S+/confirmer/\S+/)", str(confirmation.body))
    assert link is not None
    with CaptureQueriesContext(connection) as confirming:
        client.post(link.group(1))
    assert len(confirming) < 20
    assert Consent.objects.filter(address="c@example.fr", withdrawn_at__isnull=True).count() == 23


def test_the_preferences_page_groups_the_shops_and_opens_the_trades_one_follows(client: Client) -> None:
    town = TownFactory.create()
    followed = _shops(town, 1, trade="caviste")[0]
    _shops(town, 2)
    row = subscribed(town, "a@example.fr", shop=followed)
    url = _preferences_url(town, row)

    page = client.get(url).content.decode()
    assert [summary for summary, _names in _groups(page)] == ["Caviste", "Fleuriste"]
    assert page.count('<details class="shop-group" open>') == 1
    assert re.search(rf'value="{followed.pk}"[^>]*checked', page)
    assert not re.search(r'value="toutes"[^>]*checked', page)

    few = _queries(client, url)
    _shops(town, 25, trade="restaurant")
    assert _queries(client, url) == few

    # « Toutes les boutiques » on the preferences page: every shop, each with its consent.
    client.post(url, {"shops": ["toutes"]})
    assert (
        Subscription.objects.filter(subscriber=row.subscriber, status=SubscriptionStatus.ACTIVE).count() == 28
    )


# --- The town team's pages ----------------------------------------------------------------------------------


def test_each_newsletter_page_of_the_town_team_shows_its_menu_and_marks_where_one_is(
    town_client: Any,
) -> None:
    town, client = town_client
    campaign = Campaign.objects.create(town=town, kind="newsletter", subject="Noël au centre-ville")
    pages = {
        reverse("news_manage:letters", args=[town.slug]): None,
        reverse("news_manage:letter_create", args=[town.slug]): "Écrire une lettre",
        reverse("news_manage:settings", args=[town.slug]): "Réglages des lettres",
        reverse("news_manage:letter", args=[town.slug, campaign.pk]): "Noël au centre-ville",
        reverse("news_manage:letter_edit", args=[town.slug, campaign.pk]): "Modifier la lettre",
    }
    letters_url = reverse("news_manage:letters", args=[town.slug])
    for url, current in pages.items():
        page = client.get(url).content.decode()
        menu = re.search(r'<nav class="manage-menu" aria-label="Gestion de la ville">(.*?)</nav>', page, re.S)
        assert menu is not None, url
        assert re.search(
            rf'<a href="{letters_url}" aria-current="page">Lettres d\'information</a>', menu.group(1)
        )
        assert menu.group(1).count("aria-current") == 1
        breadcrumb = re.search(r'<nav class="breadcrumb"[^>]*>(.*?)</nav>', page, re.S)
        if current is None:
            assert breadcrumb is None, url  # the list is the top of the section: its menu says where one is
        else:
            assert breadcrumb is not None, url
            assert re.findall(r'aria-current="page">([^<]+)<', breadcrumb.group(1)) == [current], url


@pytest.fixture
def town_client() -> tuple[Town, Client]:
    town = TownFactory.create()
    client = Client()
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    return town, client
