"""The town team's and the merchant's pages: who may reach them, what they show (counts, never a subscriber's
address to a merchant), and the newsletter's life from the draft to its progress."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from ..models import Campaign, CampaignStatus, NewsSettings
from .factories import subscribed

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture
def town() -> Town:
    return TownFactory.create(timezone="Europe/Paris")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_town_team_writes_previews_tries_and_sends_a_newsletter(
    town: Town, django_capture_on_commit_callbacks: Capture
) -> None:
    manager = TownRoleFactory.create(
        town=town, role=Role.MANAGER, user__email="equipe@mairie.example.fr"
    ).user
    subscribed(town, "a@example.fr")
    client = _client(manager)

    listing = client.get(reverse("news_manage:letters", args=[town.slug]))
    assert listing.status_code == 200
    assert "1 abonné aux actualités" in listing.content.decode()
    created = client.post(
        reverse("news_manage:letter_create", args=[town.slug]),
        {"subject": "Noël au centre-ville", "introduction": "<script>alert(1)</script> Bonjour"},
    )
    campaign = Campaign.objects.get()
    assert created["Location"] == reverse("news_manage:letter", args=[town.slug, campaign.pk])
    preview = client.get(
        reverse("news_manage:letter_preview", args=[town.slug, campaign.pk])
    ).content.decode()
    assert "Noël au centre-ville" in preview
    assert "<script>alert" not in preview  # the introduction is plain text
    text = client.get(reverse("news_manage:letter_preview_text", args=[town.slug, campaign.pk]))
    assert text["Content-Type"].startswith("text/plain")
    assert "STOP au" in text.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("news_manage:letter_test", args=[town.slug, campaign.pk]))
    assert [m.to for m in mail.outbox] == [["equipe@mairie.example.fr"]]
    assert mail.outbox[0].subject.startswith("[Essai]")

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("news_manage:letter_send", args=[town.slug, campaign.pk]), {"send_at": ""})
    assert sent.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    assert [m.to for m in mail.outbox[1:]] == [["a@example.fr"]]
    page = client.get(reverse("news_manage:letter", args=[town.slug, campaign.pk])).content.decode()
    assert "Progression" in page
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing


def test_a_planned_date_in_the_past_is_refused_in_french(town: Town) -> None:
    manager = TownRoleFactory.create(town=town, role=Role.MANAGER).user
    campaign = Campaign.objects.create(town=town, kind="newsletter", subject="Essai")
    client = _client(manager)
    response = client.post(
        reverse("news_manage:letter_send", args=[town.slug, campaign.pk]),
        {"send_at": "2020-01-01T10:00"},
        follow=True,
    )
    assert "Cette date est passée" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_the_town_sets_the_monthly_number_of_sends(town: Town) -> None:
    manager = TownRoleFactory.create(town=town, role=Role.MANAGER).user
    client = _client(manager)
    client.post(reverse("news_manage:settings", args=[town.slug]), {"monthly_sends_per_shop": 4})
    assert NewsSettings.objects.get(town=town).monthly_sends_per_shop == 4
    refused = client.post(reverse("news_manage:settings", args=[town.slug]), {"monthly_sends_per_shop": -1})
    assert refused.status_code == 400


def test_a_merchant_sees_counts_never_addresses_and_sends_within_the_cap(
    town: Town, django_capture_on_commit_callbacks: Capture
) -> None:
    shop = ShopFactory.create(town=town)
    merchant = ShopMembershipFactory.create(shop=shop).user
    NewsSettings.objects.create(town=town, monthly_sends_per_shop=1)
    subscribed(town, "secret-client@example.fr", shop=shop)
    client = _client(merchant)

    assert client.get(reverse("news_merchant:shops", args=[town.slug]))["Location"].endswith(
        f"/abonnes/{shop.slug}/"
    )
    url = reverse("news_merchant:shop", args=[town.slug, shop.slug])
    page = client.get(url).content.decode()
    assert "1 personne suit vos offres" in page
    assert "secret-client" not in page

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"subject": "Soldes d'hiver", "message": "-30 % sur tout"})
    campaign = Campaign.objects.get(shop=shop)
    assert sent["Location"] == reverse("news_merchant:campaign", args=[town.slug, shop.slug, campaign.pk])
    assert [m.to for m in mail.outbox] == [["secret-client@example.fr"]]
    progress = client.get(sent["Location"]).content.decode()
    assert "secret-client" not in progress

    again = client.post(url, {"subject": "Encore", "message": ""})
    assert again.status_code == 400
    assert "déjà fait votre envoi de ce mois-ci" in again.content.decode()
    assert re.search(r"Il vous reste 0 envois? ce mois-ci", again.content.decode())
    assert Campaign.objects.filter(shop=shop).count() == 1


def test_a_merchant_reaches_neither_another_shops_subscribers_nor_the_towns_letters(town: Town) -> None:
    mine, theirs = ShopFactory.create(town=town), ShopFactory.create(town=town)
    merchant = ShopMembershipFactory.create(shop=mine).user
    client = _client(merchant)
    assert client.get(reverse("news_merchant:shop", args=[town.slug, theirs.slug])).status_code == 403
    assert client.get(reverse("news_manage:letters", args=[town.slug])).status_code == 403
    other_campaign = Campaign.objects.create(town=town, kind="offer", shop=theirs, subject="Leur offre")
    url = reverse("news_merchant:campaign", args=[town.slug, mine.slug, other_campaign.pk])
    assert client.get(url).status_code == 404
    stranger = _client(UserFactory.create())
    assert stranger.get(reverse("news_merchant:shop", args=[town.slug, mine.slug])).status_code == 403


def test_a_manager_of_another_town_cannot_see_a_towns_letter(town: Town) -> None:
    campaign = Campaign.objects.create(town=town, kind="newsletter", subject="Lettre")
    elsewhere = TownFactory.create()
    manager = TownRoleFactory.create(town=elsewhere, role=Role.MANAGER).user
    client = _client(manager)
    assert client.get(reverse("news_manage:letter", args=[town.slug, campaign.pk])).status_code == 403
    assert client.get(reverse("news_manage:letter", args=[elsewhere.slug, campaign.pk])).status_code == 404


def test_the_public_footer_links_to_the_subscription_page(client: Client, town: Town) -> None:
    page = client.get(reverse("news_public:subscribe", args=[town.slug]))
    assert page.status_code == 200
    assert f'href="/{town.slug}/actualites/"' in page.content.decode()


def test_a_sending_campaigns_counts_refresh_themselves_without_reloading_the_page(town: Town) -> None:
    shop = ShopFactory.create(town=town)
    client = _client(ShopMembershipFactory.create(shop=shop).user)
    campaign = Campaign.objects.create(
        town=town, kind="offer", shop=shop, subject="Soldes", status=CampaignStatus.SENDING
    )
    url = reverse("news_merchant:campaign", args=[town.slug, shop.slug, campaign.pk])

    sending = client.get(url).content.decode()
    # A meta refresh would reload the whole page under a screen reader's feet (WCAG 2.2.1).
    assert 'http-equiv="refresh"' not in sending
    assert 'hx-trigger="every 5s"' in sending and 'hx-select="#news-progress"' in sending  # noqa: PT018

    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENT)
    assert "hx-trigger" not in client.get(url).content.decode()
