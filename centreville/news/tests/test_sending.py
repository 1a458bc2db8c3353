"""Sending a campaign: one delivery per recipient, each message once even when a batch runs twice, the RFC
8058 headers, absolute links rendered outside any request, failures retried a bounded number of times,
marketing SMS held outside their hours, planned sends, the monthly cap of a shop's sends, and each message in
its subscriber's language."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from centreville.agenda.selectors import event_key
from centreville.agenda.tests.factories import EventFactory, OfferFactory
from centreville.core.channels import Channel
from centreville.notifications.services import MAX_ATTEMPTS
from centreville.notifications.sms import MemorySmsBackend
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .. import campaigns, letters, tokens
from ..models import (
    Campaign,
    CampaignStatus,
    Delivery,
    DeliveryState,
    NewsSettings,
    Subscriber,
    SubscriptionStatus,
)
from .factories import subscribed

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# A Tuesday at 10:00 in Paris: marketing SMS may leave.
TUESDAY = datetime(2026, 12, 8, 10, 0, tzinfo=PARIS)
SUNDAY = datetime(2026, 12, 13, 10, 0, tzinfo=PARIS)
Capture = Callable[..., Any]


@pytest.fixture
def town() -> Town:
    return TownFactory.create(timezone="Europe/Paris")


def newsletter(town: Town, **fields: Any) -> Campaign:
    return campaigns.newsletter_create(
        town=town,
        subject=fields.get("subject", "La semaine à Argentan"),
        introduction=fields.get("introduction", "Bonjour !\n\nLe marché de Noël ouvre samedi."),
        author=None,
        at=TUESDAY,
    )


def _html(message: Any) -> str:
    """The HTML part of a sent e-mail."""
    content, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return str(content)


def send_now(campaign: Campaign, at: datetime) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SCHEDULED, send_at=at, queued_at=at)
    campaigns.campaign_start(campaign_id=campaign.pk, at=at)


def test_a_newsletter_goes_once_to_each_active_subscriber_with_the_one_click_headers(town: Town) -> None:
    first, second = subscribed(town, "a@example.fr"), subscribed(town, "b@example.fr")
    shop_only = subscribed(town, "c@example.fr", shop=ShopFactory.create(town=town))
    ended = subscribed(town, "d@example.fr")
    ended.status = SubscriptionStatus.ENDED
    ended.save()
    subscribed(TownFactory.create(), "e@example.fr")  # another town's

    campaign = newsletter(town)
    send_now(campaign, TUESDAY)

    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.fr", "b@example.fr"]
    assert shop_only.deliveries.count() == 0
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    assert campaigns.campaign_progress(campaign) == campaigns.Progress(
        queued=0, sending=0, sent=2, failed=0, total=2
    )
    message = next(m for m in mail.outbox if m.to == ["a@example.fr"])
    unsubscribe = re.fullmatch(
        r"<(http://testserver/[^>]+)>, <(mailto:[^>]+)>", message.extra_headers["List-Unsubscribe"]
    )
    assert unsubscribe is not None
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = unsubscribe.group(1).rstrip("/").rsplit("/", 1)[-1]
    assert tokens.read_unsubscribe_token(token) == (str(first.subscriber.key), first.pk)
    html = _html(message)
    assert unsubscribe.group(1) in html  # the visible link
    assert unsubscribe.group(1) in message.body
    assert second.pk != first.pk


def test_a_batch_run_twice_sends_each_message_once(town: Town) -> None:
    for n in range(3):
        subscribed(town, f"p{n}@example.fr")
    campaign = newsletter(town)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENDING, send_at=TUESDAY)
    campaigns.deliveries_write(campaign)
    campaigns.deliveries_write(campaign)
    ids = list(Delivery.objects.filter(campaign=campaign).order_by("pk").values_list("pk", flat=True))
    assert len(ids) == 3

    first = campaigns.batch_send(campaign_id=campaign.pk, first_id=ids[0], last_id=ids[-1], at=TUESDAY)
    again = campaigns.batch_send(campaign_id=campaign.pk, first_id=ids[0], last_id=ids[-1], at=TUESDAY)

    assert (first.sent, again.sent) == (3, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.fr", "p1@example.fr", "p2@example.fr"]


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_same_batch_send_each_message_once() -> None:
    town = TownFactory.create()
    for n in range(40):
        subscribed(town, f"p{n}@example.fr")
    campaign = newsletter(town)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENDING, send_at=TUESDAY)
    campaigns.deliveries_write(campaign)
    ids = list(Delivery.objects.filter(campaign=campaign).order_by("pk").values_list("pk", flat=True))
    start = threading.Barrier(4)

    def run(_: int) -> int:
        try:
            start.wait()
            return campaigns.batch_send(
                campaign_id=campaign.pk, first_id=ids[0], last_id=ids[-1], at=TUESDAY
            ).sent
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        sent = list(pool.map(run, range(4)))

    assert sum(sent) == 40
    assert len(mail.outbox) == 40
    assert len({m.to[0] for m in mail.outbox}) == 40


def test_links_are_absolute_when_rendered_outside_any_request(town: Town, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://centreville.example.fr"
    shop = ShopFactory.create(town=town, slug="epicerie")
    EventFactory.create(town=town, starts_at=datetime(2026, 12, 9, 17, 0, tzinfo=UTC), title="Concert")
    offer = OfferFactory.create(
        shop=shop, starts_at=datetime(2026, 12, 10, 9, 0, tzinfo=UTC), title="Dégustation"
    )
    subscribed(town, "a@example.fr")

    send_now(newsletter(town, introduction="Voir https://mairie.example.fr/noel"), TUESDAY)

    message = mail.outbox[0]
    html = _html(message)
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs
    assert all(
        href.startswith(("https://centreville.example.fr/", "https://mairie.example.fr/")) for href in hrefs
    )
    offer_page = reverse("agenda_public:event", args=[town.slug, event_key(offer.pk, offer.title)])
    assert "https://centreville.example.fr" + offer_page in hrefs
    for url in re.findall(r"https?://\S+", str(message.body)):
        assert url.startswith(("https://centreville.example.fr/", "https://mairie.example.fr/"))
    assert "Concert" in html and "Dégustation" in html  # noqa: PT018


class FailingBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        raise ConnectionError("relais injoignable")


def test_a_failure_is_recorded_with_its_reason_and_retried_a_bounded_number_of_times(
    town: Town, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "centreville.news.tests.test_sending.FailingBackend"
    row = subscribed(town, "a@example.fr")
    campaign = newsletter(town)
    send_now(campaign, TUESDAY)
    delivery = Delivery.objects.get(subscription=row)
    assert (delivery.state, delivery.attempts) == (DeliveryState.QUEUED, 1)
    assert "relais injoignable" in delivery.last_error
    assert delivery.retry_at is not None

    campaigns.news_round(at=TUESDAY)  # its retry is not due yet
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    at = TUESDAY
    for _ in range(MAX_ATTEMPTS):
        at += timedelta(hours=3)
        campaigns.news_round(at=at)  # the round queues each due retry
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, MAX_ATTEMPTS)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT  # finished: nothing left to try
    assert campaigns.campaign_progress(campaign).failed == 1


def test_marketing_sms_wait_for_their_hours_while_emails_leave(town: Town) -> None:
    sms = subscribed(town, "+33612345678", channel=Channel.SMS)
    subscribed(town, "a@example.fr")
    campaign = newsletter(town)

    send_now(campaign, SUNDAY)

    assert [m.to for m in mail.outbox] == [["a@example.fr"]]
    assert MemorySmsBackend.outbox == []
    delivery = Delivery.objects.get(subscription=sms)
    assert delivery.state == DeliveryState.QUEUED
    Delivery.objects.update(updated_at=SUNDAY)  # written on Sunday (the services stamp the real clock)
    campaigns.news_round(at=SUNDAY + timedelta(hours=3))  # still Sunday: the round leaves it waiting
    assert MemorySmsBackend.outbox == []
    campaigns.news_round(at=datetime(2026, 12, 14, 8, 0, tzinfo=PARIS))  # Monday 8:00
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert [sms.to for sms in MemorySmsBackend.outbox] == ["+33612345678"]
    assert MemorySmsBackend.outbox[0].body.endswith("STOP au 36111")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT


def test_a_planned_newsletter_leaves_at_its_time_through_the_periodic_round(town: Town) -> None:
    subscribed(town, "a@example.fr")
    campaign = newsletter(town)
    planned = TUESDAY + timedelta(days=2)
    campaigns.newsletter_schedule(campaign=campaign, send_at=planned, at=TUESDAY)
    campaigns.news_round(at=TUESDAY + timedelta(days=1))
    assert mail.outbox == []
    campaigns.news_round(at=planned + timedelta(minutes=1))
    campaigns.news_round(at=planned + timedelta(minutes=6))
    assert [m.to for m in mail.outbox] == [["a@example.fr"]]
    with pytest.raises(ValidationError):
        campaigns.newsletter_schedule(campaign=campaign, send_at=None, at=planned)


def _cap(town: Town, allowed: int) -> Shop:
    NewsSettings.objects.create(town=town, monthly_sends_per_shop=allowed)
    return ShopFactory.create(town=town)


def test_a_shop_sends_at_most_the_towns_number_per_calendar_month_on_the_towns_clock(town: Town) -> None:
    shop = _cap(town, 2)
    subscribed(town, "a@example.fr", shop=shop)
    # 31 December 23:30 in Paris is still December there (22:30 UTC).
    end_of_december = datetime(2026, 12, 31, 23, 30, tzinfo=PARIS)
    january = datetime(2027, 1, 1, 0, 5, tzinfo=PARIS)
    for at in (TUESDAY, end_of_december):
        sent = campaigns.offer_send(
            shop=shop, subject="Soldes", message="-30 %", event=None, author=None, at=at
        )
        campaigns.campaign_start(campaign_id=sent.pk, at=at)
    with pytest.raises(ValidationError, match="déjà fait vos 2 envois de ce mois-ci"):
        campaigns.offer_send(
            shop=shop, subject="Encore", message="", event=None, author=None, at=end_of_december
        )
    sent = campaigns.offer_send(shop=shop, subject="Janvier", message="", event=None, author=None, at=january)
    campaigns.campaign_start(campaign_id=sent.pk, at=january)
    assert Campaign.objects.filter(shop=shop).count() == 3
    assert len(mail.outbox) == 3


def test_a_shop_may_announce_its_own_offer_only(town: Town) -> None:
    shop = _cap(town, 5)
    subscribed(town, "a@example.fr", shop=shop)
    subscribed(town, "b@example.fr")  # the town's news only
    offer = OfferFactory.create(
        shop=shop, title="Dégustation de cidre", starts_at=datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    )
    other = OfferFactory.create(shop=ShopFactory.create(town=town))
    with pytest.raises(ValidationError):
        campaigns.offer_send(shop=shop, subject="", message="", event=other, author=None, at=TUESDAY)

    sent = campaigns.offer_send(
        shop=shop, subject="", message="Venez goûter", event=offer, author=None, at=TUESDAY
    )
    campaigns.campaign_start(campaign_id=sent.pk, at=TUESDAY)

    assert [m.to for m in mail.outbox] == [["a@example.fr"]]
    assert mail.outbox[0].subject == "Dégustation de cidre"
    assert "Venez goûter" in mail.outbox[0].body


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_never_make_one_send_more_than_allowed() -> None:
    town = TownFactory.create()
    shop = _cap(town, 1)
    start = threading.Barrier(6)

    def click(_: int) -> str:
        try:
            start.wait()
            campaigns.offer_send(shop=shop, subject="Soldes", message="", event=None, author=None, at=TUESDAY)
            return "sent"
        except ValidationError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = sorted(pool.map(click, range(6)))

    assert outcomes == ["refused"] * 5 + ["sent"]
    assert Campaign.objects.filter(shop=shop).count() == 1


def test_the_preview_and_the_week_use_the_same_rendering(client: Client, town: Town) -> None:
    rendered = letters.render_campaign(newsletter(town), at=TUESDAY)
    html, text, sms = rendered.for_recipient(unsubscribe_url="U", preferences_url="P")
    assert letters.UNSUBSCRIBE not in html
    assert "La semaine à Argentan" in text
    assert sms.endswith("STOP au 36111")
    assert len(sms) <= letters.SMS_LENGTH


def test_each_date_of_the_week_links_to_its_own_page_in_the_text_and_the_html(town: Town) -> None:
    concert = EventFactory.create(
        town=town, starts_at=datetime(2026, 12, 9, 17, 0, tzinfo=UTC), title="Concert"
    )
    tasting = OfferFactory.create(
        shop=ShopFactory.create(town=town),
        starts_at=datetime(2026, 12, 10, 15, 0, tzinfo=UTC),
        title="Dégustation",
    )
    html, text, _sms = letters.render_campaign(newsletter(town), at=TUESDAY).for_recipient(
        unsubscribe_url="U", preferences_url="P"
    )
    for event in (concert, tasting):
        page = "http://testserver" + reverse(
            "agenda_public:event", args=[town.slug, event_key(event.pk, event.title)]
        )
        assert f'href="{page}"' in html
        assert page in text
    assert "&#x27;" not in text  # the text version is not HTML-escaped


# --- Each subscriber's language -----------------------------------------------------------------------------


def _speaks(row: Any, language: str) -> None:
    Subscriber.objects.filter(pk=row.subscriber_id).update(language=language)


def test_each_subscriber_reads_the_newsletter_in_their_language_rendered_once_per_language(
    town: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    EventFactory.create(town=town, starts_at=datetime(2026, 12, 9, 17, 0, tzinfo=UTC), title="Concert")
    subscribed(town, "claire@example.fr")
    subscribed(town, "paul@example.fr")
    _speaks(subscribed(town, "jane@example.org"), "en")
    _speaks(subscribed(town, "hans@example.de"), "de")  # a language the platform does not speak: French
    languages: list[str] = []
    render = letters.render_campaign

    def counted(campaign: Campaign, **options: Any) -> letters.Rendered:
        languages.append(str(options["language"]))
        return render(campaign, **options)

    monkeypatch.setattr(letters, "render_campaign", counted)

    send_now(newsletter(town), TUESDAY)

    assert sorted(languages) == ["en", "fr"]  # one rendering per language, not per recipient
    by_address = {message.to[0]: message for message in mail.outbox}
    english = by_address["jane@example.org"]
    text = str(english.body)
    assert "This week" in text
    assert "Wednesday 9 December" in text
    assert re.search(r"^Unsubscribe: http://testserver/\S+/desabonnement/\S+/$", text, re.M)
    assert re.search(r"^Choose what I receive: http://testserver/\S+/preferences/\S+/$", text, re.M)
    assert "Se désabonner" not in text
    assert '<html lang="en">' in _html(english)
    assert ">Unsubscribe</a>" in _html(english)
    for address in ("claire@example.fr", "paul@example.fr", "hans@example.de"):
        french = by_address[address]
        text = str(french.body)
        assert "Cette semaine" in text
        assert "Mercredi 9 décembre" in text
        assert re.search(r"^Se désabonner : http://testserver/\S+/desabonnement/\S+/$", text, re.M)
        assert "Unsubscribe" not in text
        assert '<html lang="fr">' in _html(french)


def test_a_shops_offer_and_the_confirmation_are_in_the_subscribers_language(
    town: Town, client: Client, settings: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    shop = ShopFactory.create(town=town, status="published")
    _speaks(subscribed(town, "jane@example.org", shop=shop), "en")
    subscribed(town, "claire@example.fr", shop=shop)
    campaigns.offer_send(shop=shop, subject="Soldes", message="-30 %", event=None, author=None, at=TUESDAY)
    campaigns.campaign_start(campaign_id=Campaign.objects.get(shop=shop).pk, at=TUESDAY)
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert "\nChoose what I receive: http://testserver/" in by_address["jane@example.org"]
    assert "\nChoisir ce que je reçois : http://testserver/" in by_address["claire@example.fr"]

    # Subscribing from the English page: the confirmation is written in English, its link absolute.
    mail.outbox.clear()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("news_public:subscribe", args=[town.slug]),
            {"email": "tom@example.org", "town_news": "on"},
        )
    assert Subscriber.objects.get(address="tom@example.org").language == "en"
    body = str(mail.outbox[0].body)
    assert body.startswith("Hello,\n")
    assert re.search(
        r"To confirm, open this link \(valid for 7 days\):\nhttp://testserver/\S+/confirmer/", body
    )


@pytest.mark.parametrize(
    ("stored", "written_in"), [("en", "en"), ("en-gb", "en"), ("fr-be", "fr"), ("de", "fr"), ("", "fr")]
)
def test_a_message_is_written_in_the_subscribers_language_when_the_platform_speaks_it(
    stored: str, written_in: str
) -> None:
    assert letters.message_language(stored) == written_in
