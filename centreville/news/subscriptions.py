"""Subscribing, confirming, changing one's mind: the life of a subscription and the proof of its consent.

By e-mail, a request writes pending subscriptions and has a confirmation e-mail sent (double opt-in); nothing
else is sent to the address until its link is followed, and the consent is recorded then. A request for an
address already known adds nothing twice, and the page answers the same whatever the address: nobody learns
whether someone is subscribed. By SMS, the explicit consent ticked in the form (unticked by default, its words
stored) makes the subscription active at once; one welcome SMS says how to stop, once per number, in the
hours of marketing SMS.

Ending a subscription (a link in a message, the preferences page, a STOP answered to an SMS) stamps the
withdrawal on its consent, which is kept as proof until the person's data is erased or the retention period
is over. Lock order: the subscriber, then its subscriptions.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.core.channels import Channel, mobile_number
from centreville.notifications.messages import Message
from centreville.notifications.models import Audience
from centreville.notifications.services import notifications_queue
from centreville.shops.models import Shop
from centreville.towns.models import Town

from . import consent, links
from .models import Consent, Subscriber, Subscription, SubscriptionStatus
from .sms_hours import next_sms_moment

logger = logging.getLogger(__name__)

WITHDRAWN_BY_LINK = "lien de désabonnement"
WITHDRAWN_BY_PREFERENCES = "page de préférences"
WITHDRAWN_BY_STOP = "réponse STOP"
WITHDRAWN_BY_ERASURE = "effacement"


def purpose_of(*, town: Town, shop: Shop | None) -> str:
    """What a consent is for, in words kept with it."""
    if shop is None:
        return _("Actualités de %(town)s") % {"town": town.name}
    return _("Offres de %(shop)s") % {"shop": shop.name}


def _enqueue(task_name: str, *args: Any, run_after: datetime | None = None) -> None:
    from . import tasks  # the tasks import this module

    task = getattr(tasks, task_name)
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    transaction.on_commit(lambda: task.enqueue(*args))


@transaction.atomic
def subscribe(
    *,
    town: Town,
    email: str,
    phone: str,
    town_news: bool,
    shops: Sequence[Shop],
    sms_consent: bool,
    source: str,
    at: datetime,
    user: User | None = None,
    language: str = "fr",
) -> None:
    """Record a request to receive the town's news and/or these shops' offers, by e-mail and/or SMS.

    The e-mail subscriptions wait for the address's confirmation; the SMS ones need `sms_consent`.
    """
    topics: list[Shop | None] = ([None] if town_news else []) + [
        shop for shop in shops if shop.town_id == town.pk
    ]
    if not topics:
        return
    if email:
        subscriber = _subscriber(
            town=town, channel=Channel.EMAIL, address=email.strip().lower(), user=user, language=language
        )
        pending = False
        for shop in topics:
            subscription = _subscription(subscriber, shop=shop, at=at, source=source)
            if subscription.status != SubscriptionStatus.ACTIVE:
                subscription.status = SubscriptionStatus.PENDING
                subscription.requested_at = at
                subscription.wording_version = consent.EMAIL_VERSION
                subscription.source = source
                subscription.save()
                pending = True
        if pending:
            # One confirmation e-mail per address and hour at most, whoever asks how often.
            _enqueue("send_confirmation", subscriber.pk, at.strftime("%Y%m%d%H"))
    number = mobile_number(phone) if phone else None
    if number and sms_consent:
        subscriber = _subscriber(town=town, channel=Channel.SMS, address=number, user=user, language=language)
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at = at
            subscriber.save(update_fields=["confirmed_at", "updated_at"])
        for shop in topics:
            subscription = _subscription(subscriber, shop=shop, at=at, source=source)
            if subscription.status != SubscriptionStatus.ACTIVE:
                _activate(subscription, version=consent.SMS_VERSION, source=source, at=at)
        # Even the welcome SMS waits for the hours of marketing SMS (a number typed at night by someone else).
        _enqueue("send_sms_welcome", subscriber.pk, run_after=next_sms_moment(at=at, tz_name=town.timezone))


def _subscriber(*, town: Town, channel: str, address: str, user: User | None, language: str) -> Subscriber:
    # An account is tied to an address only when it is the account's own e-mail address: typing someone
    # else's address (or any phone number, never verified) must not put it in the account's data export.
    if user is not None and (channel != Channel.EMAIL or (user.email or "").strip().lower() != address):
        user = None
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
        town=town, channel=channel, address=address, defaults={"user": user, "language": language}
    )
    if user is not None and subscriber.user_id is None:
        subscriber.user = user
        subscriber.save(update_fields=["user", "updated_at"])
    return subscriber


def _subscription(subscriber: Subscriber, *, shop: Shop | None, at: datetime, source: str) -> Subscription:
    subscription = Subscription.objects.select_for_update().filter(subscriber=subscriber, shop=shop).first()
    if subscription is None:
        subscription = Subscription.objects.create(
            town_id=subscriber.town_id,
            subscriber=subscriber,
            shop=shop,
            requested_at=at,
            source=source,
            status=SubscriptionStatus.PENDING,
        )
    return subscription


def _activate(subscription: Subscription, *, version: str, source: str, at: datetime) -> None:
    subscription.status = SubscriptionStatus.ACTIVE
    subscription.started_at, subscription.ended_at = at, None
    subscription.wording_version, subscription.source = version, source
    subscription.save()
    subscriber = subscription.subscriber
    Consent.objects.create(
        town_id=subscription.town_id,
        subscriber=subscriber,
        subscription=subscription,
        shop=subscription.shop,
        purpose=purpose_of(town=subscriber.town, shop=subscription.shop),
        channel=subscriber.channel,
        address=subscriber.address,
        wording_version=version,
        wording=consent.wording_of(version),
        source=source[:200],
        given_at=at,
    )


@transaction.atomic
def confirm(*, subscriber_key: str, at: datetime) -> Subscriber | None:
    """Confirm the address and start its pending subscriptions, recording their consents; None when the
    subscriber does not exist (erased meanwhile). Confirming twice changes nothing."""
    subscriber = (
        Subscriber.objects.select_for_update(of=("self",))
        .select_related("town")
        .filter(key=subscriber_key, channel=Channel.EMAIL)
        .first()
    )
    if subscriber is None:
        return None
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = at
        subscriber.save(update_fields=["confirmed_at", "updated_at"])
    pending = subscriber.subscriptions.select_for_update(of=("self",)).filter(
        status=SubscriptionStatus.PENDING
    )
    for subscription in pending.select_related("shop").order_by("pk"):
        subscription.subscriber = subscriber
        _activate(
            subscription,
            version=subscription.wording_version or consent.EMAIL_VERSION,
            source=subscription.source,
            at=at,
        )
    return subscriber


def _end(subscriptions: Iterable[Subscription], *, how: str, at: datetime) -> int:
    ended = 0
    for subscription in subscriptions:
        if subscription.status == SubscriptionStatus.ENDED:
            continue
        subscription.status, subscription.ended_at = SubscriptionStatus.ENDED, at
        subscription.save(update_fields=["status", "ended_at", "updated_at"])
        Consent.objects.filter(subscription=subscription, withdrawn_at__isnull=True).update(
            withdrawn_at=at, withdrawn_how=how, updated_at=at
        )
        ended += 1
    return ended


@transaction.atomic
def unsubscribe(*, subscriber_key: str, subscription_id: int, at: datetime) -> Subscription | None:
    """End one subscription at once (the one-click link of a message); None if the link names none."""
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("subscriber", "shop", "town")
        .filter(pk=subscription_id, subscriber__key=subscriber_key)
        .first()
    )
    if subscription is None:
        return None
    _end([subscription], how=WITHDRAWN_BY_LINK, at=at)
    return subscription


@transaction.atomic
def preferences_update(
    *, subscriber: Subscriber, town_news: bool, shops: Sequence[Shop], source: str, at: datetime
) -> None:
    """Receive exactly these topics from now on. Following the preferences link proves the address (it came
    in a message to it), so a topic added here starts at once, its consent recorded with the page's words."""
    subscriber = (
        Subscriber.objects.select_for_update(of=("self",)).select_related("town").get(pk=subscriber.pk)
    )
    wanted: set[int | None] = ({None} if town_news else set()) | {
        shop.pk for shop in shops if shop.town_id == subscriber.town_id
    }
    current = {
        subscription.shop_id: subscription
        for subscription in subscriber.subscriptions.select_for_update(of=("self",)).select_related("shop")
    }
    _end(
        [row for shop_id, row in current.items() if shop_id not in wanted],
        how=WITHDRAWN_BY_PREFERENCES,
        at=at,
    )
    shops_by_id = {shop.pk: shop for shop in shops}
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = at
        subscriber.save(update_fields=["confirmed_at", "updated_at"])
    for shop_id in wanted:
        subscription = current.get(shop_id) or _subscription(
            subscriber, shop=shops_by_id.get(shop_id) if shop_id else None, at=at, source=source
        )
        if subscription.status != SubscriptionStatus.ACTIVE:
            subscription.subscriber = subscriber
            _activate(subscription, version=consent.version_for(subscriber.channel), source=source, at=at)


@transaction.atomic
def handle_sms_stop(*, phone: str, at: datetime) -> int:
    """A STOP answered from this number: every SMS subscription of the number, in every town, ends and its
    consent is withdrawn. Returns how many subscriptions ended."""
    number = mobile_number(phone)
    if number is None:
        return 0
    subscriptions = (
        Subscription.objects.select_for_update()
        .filter(subscriber__channel=Channel.SMS, subscriber__address=number)
        .exclude(status=SubscriptionStatus.ENDED)
        .order_by("subscriber_id", "pk")
    )
    return _end(list(subscriptions), how=WITHDRAWN_BY_STOP, at=at)


# --- Messages about the subscription itself (sent through notifications) ---------------------------------


def confirmation_messages(*, subscriber_id: int, bucket: str) -> list[Message]:
    """The confirmation e-mail of an address with pending subscriptions (none when there is nothing left to
    confirm), rendered by the worker with absolute links."""
    subscriber = Subscriber.objects.select_related("town").filter(pk=subscriber_id).first()
    if subscriber is None:
        return []
    pending = list(
        subscriber.subscriptions.filter(status=SubscriptionStatus.PENDING)
        .select_related("shop")
        .order_by("pk")
    )
    if not pending:
        return []
    town = subscriber.town
    context = {
        "town": town,
        "platform": settings.PLATFORM_NAME,
        "topics": [purpose_of(town=town, shop=row.shop) for row in pending],
        "confirm_url": links.confirm_url(town_slug=town.slug, subscriber_key=str(subscriber.key)),
        "days": 7,
    }
    with translation.override(subscriber.language), timezone.override(town.timezone):
        subject = " ".join(render_to_string("news/email/confirm_subject.txt", context).split())
        body = (
            re.sub(r"\n{3,}", "\n\n", render_to_string("news/email/confirm_body.txt", context).strip()) + "\n"
        )
    return [
        Message(
            key=f"news-confirm:{subscriber.pk}:{bucket}",
            kind="news_confirm",
            audience=Audience.CUSTOMER,
            channel=Channel.EMAIL,
            recipient=subscriber.address,
            subject=subject[:250],
            body=body,
            order_id=None,
        )
    ]


def welcome_sms_messages(*, subscriber_id: int) -> list[Message]:
    """One SMS per number, ever: what it subscribed to and how to stop (a number typed by someone else is
    told at once how to end it)."""
    subscriber = (
        Subscriber.objects.select_related("town").filter(pk=subscriber_id, channel=Channel.SMS).first()
    )
    if subscriber is None:
        return []
    with translation.override(subscriber.language):
        body = _(
            "%(town)s : vous recevrez ses actualités et offres par SMS (au plus du lundi au samedi, "
            "8 h-20 h). %(stop)s"
        ) % {"town": subscriber.town.name, "stop": links.sms_stop_mention()}
    return [
        Message(
            key=f"news-sms-welcome:{subscriber.pk}",
            kind="news_welcome",
            audience=Audience.CUSTOMER,
            channel=Channel.SMS,
            recipient=subscriber.address,
            subject="",
            body=body,
            order_id=None,
        )
    ]


def queue_messages(messages: list[Message]) -> int:
    return notifications_queue(messages=messages)


# --- The person's data -------------------------------------------------------------------------------------


def _subscribers_of(user: User) -> Any:
    from django.db.models import Q

    email = (user.email or "").strip().lower()
    condition = Q(user=user)
    if email:
        condition |= Q(channel=Channel.EMAIL, address=email)
    return Subscriber.objects.filter(condition)


def news_export(user: User) -> list[dict[str, object]]:
    """The person's subscriptions and the proof of their consents, for their data export."""
    rows = []
    for subscriber in (
        _subscribers_of(user)
        .select_related("town")
        .prefetch_related("subscriptions__shop", "consents")
        .order_by("pk")
    ):
        rows.append(
            {
                "ville": subscriber.town.name,
                "canal": subscriber.channel,
                "adresse": subscriber.address,
                "confirmee_le": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
                "abonnements": [
                    {
                        "objet": purpose_of(town=subscriber.town, shop=row.shop),
                        "statut": row.status,
                        "debut": row.started_at.isoformat() if row.started_at else None,
                        "fin": row.ended_at.isoformat() if row.ended_at else None,
                    }
                    for row in subscriber.subscriptions.all()
                ],
                "consentements": [
                    {
                        "objet": row.purpose,
                        "canal": row.channel,
                        "texte": row.wording,
                        "version": row.wording_version,
                        "page": row.source,
                        "donne_le": row.given_at.isoformat(),
                        "retire_le": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
                        "retire_par": row.withdrawn_how,
                    }
                    for row in subscriber.consents.all()
                ],
            }
        )
    return rows


def news_erase(user: User) -> int:
    """Delete the person's subscribers (their addresses), subscriptions, consents and messages."""
    return int(_subscribers_of(user).delete()[0])
