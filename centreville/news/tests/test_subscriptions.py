"""Subscribing: double opt-in by e-mail, explicit consent by SMS, consents recorded and withdrawn, STOP,
one-click unsubscribe (RFC 8058), preferences, and the person's data (export, erasure, retention)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from centreville.accounts.signals import answers_about, user_data_export_requested, user_erase_requested
from centreville.accounts.tests.factories import UserFactory
from centreville.core.channels import Channel
from centreville.notifications.sms import MemorySmsBackend
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .. import consent, subscriptions, tokens
from ..models import Consent, Subscriber, Subscription, SubscriptionStatus
from ..retention import news_purge
from .factories import subscribed

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture
def town() -> Town:
    return TownFactory.create()


def _post_subscribe(client: Client, town: Town, capture: Capture, **data: Any) -> Any:
    with capture(execute=True):
        return client.post(reverse("news_public:subscribe", args=[town.slug]), data)


def _confirm_link(message: Any) -> str:
    found = re.search(r"http://testserver(/\S+/confirmer/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_an_email_subscription_waits_for_its_confirmation_and_sends_only_the_confirmation(
    client: Client, town: Town, django_capture_on_commit_callbacks: Capture
) -> None:
    response = _post_subscribe(
        client, town, django_capture_on_commit_callbacks, email="Jeanne@Example.fr", town_news="on"
    )

    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.subscriber.address) == (
        SubscriptionStatus.PENDING,
        "jeanne@example.fr",
    )
    assert not Consent.objects.exists()  # no consent before the address is confirmed
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jeanne@example.fr"]
    assert "confirm" in mail.outbox[0].subject.lower()
    assert _confirm_link(mail.outbox[0]).startswith(f"/{town.slug}/actualites/confirmer/")


def test_a_second_request_for_the_same_address_duplicates_nothing_and_answers_the_same(
    client: Client, town: Town, django_capture_on_commit_callbacks: Capture
) -> None:
    first = _post_subscribe(
        client, town, django_capture_on_commit_callbacks, email="a@example.fr", town_news="on"
    )
    again = _post_subscribe(
        client, town, django_capture_on_commit_callbacks, email="a@example.fr", town_news="on"
    )
    unknown = _post_subscribe(
        client, town, django_capture_on_commit_callbacks, email="b@example.fr", town_news="on"
    )

    assert first["Location"] == again["Location"] == unknown["Location"]
    assert Subscriber.objects.filter(address="a@example.fr").count() == 1
    assert Subscription.objects.filter(subscriber__address="a@example.fr").count() == 1
    # One confirmation per address and hour, however often it is asked for.
    assert [m.to for m in mail.outbox] == [["a@example.fr"], ["b@example.fr"]]


def test_confirming_needs_a_post_records_the_consents_and_a_second_confirmation_changes_nothing(
    client: Client, town: Town, django_capture_on_commit_callbacks: Capture
) -> None:
    shop = ShopFactory.create(town=town, status=ShopStatus.PUBLISHED, name="Épicerie Martin")
    _post_subscribe(
        client,
        town,
        django_capture_on_commit_callbacks,
        email="a@example.fr",
        town_news="on",
        shops=[shop.pk],
    )
    link = _confirm_link(mail.outbox[0])

    shown = client.get(link)
    assert shown.status_code == 200
    assert (
        Subscription.objects.filter(status=SubscriptionStatus.ACTIVE).count() == 0
    )  # a GET confirms nothing

    confirmed = client.post(link)
    assert confirmed.status_code == 302
    client.post(link)
    assert Subscription.objects.filter(status=SubscriptionStatus.ACTIVE).count() == 2
    consents = list(Consent.objects.order_by("pk"))
    assert len(consents) == 2
    assert {c.purpose for c in consents} == {f"Actualités de {town.name}", "Offres d'Épicerie Martin"}
    assert all(c.channel == Channel.EMAIL and c.address == "a@example.fr" for c in consents)
    assert all(c.wording_version == consent.EMAIL_VERSION for c in consents)
    assert all(c.wording == consent.wording_of(consent.EMAIL_VERSION) for c in consents)
    assert all(c.source == f"/{town.slug}/actualites/" for c in consents)
    assert all(c.withdrawn_at is None for c in consents)


def test_a_forged_or_expired_confirmation_link_confirms_nothing(
    client: Client, town: Town, django_capture_on_commit_callbacks: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    _post_subscribe(client, town, django_capture_on_commit_callbacks, email="a@example.fr", town_news="on")
    subscriber = Subscriber.objects.get()
    other = subscribed(TownFactory.create(), "c@example.fr").subscriber
    forged = signing.TimestampSigner(salt="another").sign(str(subscriber.key))
    for token in (forged, str(subscriber.key), tokens.confirm_token(subscriber_key=str(other.key))):
        response = client.post(reverse("news_public:confirm", args=[town.slug, token]))
        assert response.status_code in (404, 410)

    link = _confirm_link(mail.outbox[0])
    later = time.time() + timedelta(days=tokens.CONFIRM_DAYS, minutes=1).total_seconds()
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.post(link).status_code == 410
    assert not subscriber.subscriptions.filter(status=SubscriptionStatus.ACTIVE).exists()
    assert not subscriber.consents.exists()


def test_the_form_refuses_without_a_topic_an_address_or_an_sms_consent(client: Client, town: Town) -> None:
    url = reverse("news_public:subscribe", args=[town.slug])
    nothing = client.post(url, {"email": "a@example.fr"})
    assert nothing.status_code == 400
    assert "Cochez les actualités" in nothing.content.decode()
    no_consent = client.post(url, {"phone": "06 12 34 56 78", "town_news": "on"})
    assert no_consent.status_code == 400
    landline = client.post(url, {"phone": "02 33 12 34 56", "town_news": "on", "sms_consent": "on"})
    assert landline.status_code == 400
    assert "numéro de mobile" in landline.content.decode()
    assert not Subscriber.objects.exists()


def test_the_sms_consent_box_is_unticked_and_shows_its_exact_words(client: Client, town: Town) -> None:
    page = client.get(reverse("news_public:subscribe", args=[town.slug])).content.decode()
    box = re.search(r'<input type="checkbox" name="sms_consent"[^>]*>', page)
    assert box is not None
    assert "checked" not in box.group(0)
    assert escape(str(consent.WORDINGS[consent.SMS_VERSION])) in page


def test_an_sms_subscription_starts_on_its_consent_with_one_welcome_sms_ending_with_stop(
    client: Client, town: Town, django_capture_on_commit_callbacks: Capture
) -> None:
    for _ in range(2):
        _post_subscribe(
            client,
            town,
            django_capture_on_commit_callbacks,
            phone="06 12 34 56 78",
            town_news="on",
            sms_consent="on",
        )

    subscription = Subscription.objects.get()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.subscriber.address == "+33612345678"
    record = Consent.objects.get()
    assert (record.channel, record.wording_version) == (Channel.SMS, consent.SMS_VERSION)
    assert record.wording == consent.wording_of(consent.SMS_VERSION)
    assert [sms.to for sms in MemorySmsBackend.outbox] == ["+33612345678"]
    assert MemorySmsBackend.outbox[0].body.rstrip().endswith("STOP au 36111")
    assert mail.outbox == []


def test_stop_withdraws_every_sms_consent_of_the_number_in_every_town(town: Town) -> None:
    elsewhere = TownFactory.create()
    here = subscribed(town, "+33612345678", channel=Channel.SMS)
    there = subscribed(elsewhere, "+33612345678", channel=Channel.SMS)
    by_email = subscribed(town, "a@example.fr")
    other_number = subscribed(town, "+33699887766", channel=Channel.SMS)
    at = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)

    assert subscriptions.handle_sms_stop(phone="06 12 34 56 78", at=at) == 2

    for row in (here, there):
        row.refresh_from_db()
        assert (row.status, row.ended_at) == (SubscriptionStatus.ENDED, at)
        withdrawn = Consent.objects.get(subscription=row)  # kept, as the proof
        assert (withdrawn.withdrawn_at, withdrawn.withdrawn_how) == (at, subscriptions.WITHDRAWN_BY_STOP)
    for row in (by_email, other_number):
        row.refresh_from_db()
        assert row.status == SubscriptionStatus.ACTIVE


def test_the_operators_stop_webhook_needs_its_secret(client: Client, town: Town, settings: Any) -> None:
    row = subscribed(town, "+33612345678", channel=Channel.SMS)
    url = reverse("news_public:sms_inbound", args=[town.slug])
    settings.NEWS_SMS_INBOUND_SECRET = "s3cret"
    data = {"from": "+33612345678", "text": "Stop"}

    assert client.post(url, data).status_code == 403
    assert client.post(url, data, headers={"X-Inbound-Secret": "wrong"}).status_code == 403
    row.refresh_from_db()
    assert row.status == SubscriptionStatus.ACTIVE
    assert (
        client.post(
            url, {"from": "+33612345678", "text": "Bonjour"}, headers={"X-Inbound-Secret": "s3cret"}
        ).status_code
        == 200
    )
    row.refresh_from_db()
    assert row.status == SubscriptionStatus.ACTIVE
    assert client.post(url, data, headers={"X-Inbound-Secret": "s3cret"}).status_code == 200
    row.refresh_from_db()
    assert row.status == SubscriptionStatus.ENDED


def test_one_click_unsubscribe_posts_without_csrf_and_a_get_changes_nothing(town: Town) -> None:
    row = subscribed(town, "a@example.fr")
    token = tokens.unsubscribe_token(subscriber_key=str(row.subscriber.key), subscription_id=row.pk)
    url = reverse("news_public:unsubscribe", args=[town.slug, token])
    client = Client(enforce_csrf_checks=True)

    page = client.get(url)
    assert page.status_code == 200
    assert '<form method="post"' in page.content.decode()
    row.refresh_from_db()
    assert row.status == SubscriptionStatus.ACTIVE

    done = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200
    row.refresh_from_db()
    assert row.status == SubscriptionStatus.ENDED
    kept = Consent.objects.get(subscription=row)
    assert kept.withdrawn_how == subscriptions.WITHDRAWN_BY_LINK
    assert kept.withdrawn_at is not None


def test_an_unsubscribe_link_forged_or_for_another_town_is_refused(town: Town) -> None:
    row = subscribed(town, "a@example.fr")
    elsewhere = TownFactory.create()
    good = tokens.unsubscribe_token(subscriber_key=str(row.subscriber.key), subscription_id=row.pk)
    forged = signing.Signer(salt="x").sign(f"{row.subscriber.key}.{row.pk}")
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("news_public:unsubscribe", args=[town.slug, forged])).status_code == 404
    assert client.post(reverse("news_public:unsubscribe", args=[elsewhere.slug, good])).status_code == 404
    row.refresh_from_db()
    assert row.status == SubscriptionStatus.ACTIVE


def test_the_preferences_page_changes_what_a_person_receives(client: Client, town: Town) -> None:
    shop = ShopFactory.create(town=town, status=ShopStatus.PUBLISHED)
    row = subscribed(town, "a@example.fr")
    url = reverse(
        "news_public:preferences",
        args=[town.slug, tokens.preferences_token(subscriber_key=str(row.subscriber.key))],
    )

    assert client.get(url).status_code == 200
    response = client.post(url, {"shops": [shop.pk]})

    assert response.status_code == 200
    statuses = {s.shop_id: s.status for s in Subscription.objects.all()}
    assert statuses == {None: SubscriptionStatus.ENDED, shop.pk: SubscriptionStatus.ACTIVE}
    assert Consent.objects.filter(shop=shop, withdrawn_at__isnull=True).count() == 1
    assert Consent.objects.get(shop__isnull=True).withdrawn_how == subscriptions.WITHDRAWN_BY_PREFERENCES
    assert client.get(url.replace("preferences/", "preferences/x")).status_code == 404


def test_a_persons_export_lists_and_erasure_deletes_their_subscriptions_and_consents(town: Town) -> None:
    user = UserFactory.create(email="jeanne@example.fr")
    subscribed(town, "jeanne@example.fr")
    kept = subscribed(town, "someone@example.fr")

    export = answers_about(user_data_export_requested, user)
    sections = next(answer for answer in export if "abonnements_actualites" in answer)
    assert sections["abonnements_actualites"][0]["adresse"] == "jeanne@example.fr"
    assert sections["abonnements_actualites"][0]["consentements"][0]["version"] == "email-2026-12"

    user_erase_requested.send(sender=type(user), user=user)
    assert list(Subscriber.objects.values_list("address", flat=True)) == ["someone@example.fr"]
    assert Consent.objects.filter(subscriber=kept.subscriber).count() == 1


def test_the_purge_forgets_unconfirmed_addresses_and_old_ended_subscriptions(town: Town) -> None:
    at = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    old_request = Subscriber.objects.create(town=town, channel=Channel.EMAIL, address="old@example.fr")
    Subscription.objects.create(town=town, subscriber=old_request, requested_at=at - timedelta(days=9))
    fresh = Subscriber.objects.create(town=town, channel=Channel.EMAIL, address="fresh@example.fr")
    Subscription.objects.create(town=town, subscriber=fresh, requested_at=at - timedelta(days=2))
    ended_long_ago = subscribed(town, "gone@example.fr")
    subscriptions.unsubscribe(
        subscriber_key=str(ended_long_ago.subscriber.key),
        subscription_id=ended_long_ago.pk,
        at=at - timedelta(days=6 * 365),
    )
    ended_lately = subscribed(town, "recent@example.fr")
    subscriptions.unsubscribe(
        subscriber_key=str(ended_lately.subscriber.key),
        subscription_id=ended_lately.pk,
        at=at - timedelta(days=30),
    )

    assert news_purge(at=at, dry_run=True) > 0
    news_purge(at=at)
    news_purge(at=at)  # safe to run twice

    assert set(Subscriber.objects.values_list("address", flat=True)) == {
        "fresh@example.fr",
        "recent@example.fr",
    }
    assert Consent.objects.filter(address="recent@example.fr").exists()  # the proof is kept meanwhile
    assert timezone.is_aware(at)


def test_the_demo_makes_confirmed_subscribers_and_one_sent_newsletter_once(town: Town) -> None:
    from ..demo import demo_news
    from ..models import Campaign, Delivery, DeliveryState

    ShopFactory.create(town=town, status=ShopStatus.PUBLISHED)
    at = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)

    written = demo_news(town, at)

    assert written == Delivery.objects.filter(state=DeliveryState.SENT).count() == 5
    assert Campaign.objects.get().status == "sent"
    assert Subscriber.objects.filter(channel=Channel.SMS).count() == 2
    assert (
        Consent.objects.filter(withdrawn_at__isnull=True).count()
        == Subscription.objects.filter(status=SubscriptionStatus.ACTIVE).count()
    )
    assert demo_news(town, at) == 0
    assert mail.outbox == []


def test_an_account_is_tied_only_to_its_own_address(town: Town) -> None:
    user = UserFactory.create(email="jeanne@example.fr")
    at = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    for email in ("JEANNE@example.fr", "voisin@example.fr"):
        subscriptions.subscribe(
            town=town,
            email=email,
            phone="",
            town_news=True,
            shops=[],
            sms_consent=False,
            source="/",
            at=at,
            user=user,
        )
    tied = dict(Subscriber.objects.values_list("address", "user_id"))
    assert tied == {"jeanne@example.fr": user.pk, "voisin@example.fr": None}
