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
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centreville.accounts.models import User
from centreville.core.channels import Channel, mobile_number
from centreville.core.french import de
from centreville.notifications.messages import Message
from centreville.notifications.models import Audience
from centreville.notifications.services import notifications_queue
from centreville.shops.models import Shop
from centreville.towns.models import Town

from . import consent, letters, links
from .models import Consent, Subscriber, Subscription, SubscriptionStatus
from .sms_hours import next_sms_moment

logger = logging.getLogger(__name__)

WITHDRAWN_BY_LINK = "lien de désabonnement"
WITHDRAWN_BY_PREFERENCES = "page de préférences"
WITHDRAWN_BY_STOP = "réponse STOP"
WITHDRAWN_BY_ERASURE = "effacement"
# Beyond this many shops, the confirmation e-mail gives their number rather than a long list of names.
SHOPS_NAMED_IN_CONFIRMATION = 10


def purpose_of(*, town: Town, shop: Shop | None) -> str:
    """What a consent is for, in words kept with it: « Actualités d'Argentan », « Offres du Fournil »."""
    if shop is None:
        return _("Actualités %(de_name)s") % {"de_name": de(town.name)}
    return _("Offres %(de_shop)s") % {"de_shop": de(shop.name)}


def _confirmation_topics(*, town: Town, pending: Sequence[Subscription]) -> list[str]:
    """What an address is asked to confirm: each topic, or the number of shops when they are many."""
    shops = [row.shop for row in pending if row.shop is not None]
    topics = [purpose_of(town=town, shop=None)] if len(shops) < len(pending) else []
    if len(shops) > SHOPS_NAMED_IN_CONFIRMATION:
        topics.append(
            ngettext("Les offres de %(count)s boutique", "Les offres de %(count)s boutiques", len(shops))
            % {"count": len(shops)}
        )
    else:
        topics.extend(purpose_of(town=town, shop=shop) for shop in shops)
    return topics


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

    The e-mail subscriptions wait for the address's confirmation; the SMS ones need `sms_consent`. A few
    queries per address whatever the number of shops (« Toutes les boutiques » is every shop of the town).
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
        waiting = [
            row
            for row in _subscriptions(subscriber, topics, at=at, source=source)
            if row.status != SubscriptionStatus.ACTIVE
        ]
        if waiting:
            Subscription.objects.filter(pk__in=[row.pk for row in waiting]).update(
                status=SubscriptionStatus.PENDING,
                requested_at=at,
                wording_version=consent.EMAIL_VERSION,
                source=source,
                updated_at=at,
            )
            # One confirmation e-mail per address and hour at most, whoever asks how often.
            _enqueue("send_confirmation", subscriber.pk, at.strftime("%Y%m%d%H"))
    number = mobile_number(phone) if phone else None
    if number and sms_consent:
        subscriber = _subscriber(town=town, channel=Channel.SMS, address=number, user=user, language=language)
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at = at
            subscriber.save(update_fields=["confirmed_at", "updated_at"])
        rows = _subscriptions(subscriber, topics, at=at, source=source)
        _activate(
            subscriber,
            [row for row in rows if row.status != SubscriptionStatus.ACTIVE],
            version=consent.SMS_VERSION,
            source=source,
            at=at,
        )
        # Even the welcome SMS waits for the hours of marketing SMS (a number typed at night by someone else).
        _enqueue("send_sms_welcome", subscriber.pk, run_after=next_sms_moment(at=at, tz_name=town.timezone))


def _subscriber(*, town: Town, channel: str, address: str, user: User | None, language: str) -> Subscriber:
    # An account is tied to an address only when it is the account's own e-mail address: typing someone
    # else's address (or any phone number, never verified) must not put it in the account's data export.
    if user is not None and (channel != Channel.EMAIL or (user.email or "").strip().lower() != address):
        user = None
    subscriber, _created = (
        Subscriber.objects.select_for_update(of=("self",))  # not the town's row
        .select_related("town")
        .get_or_create(
            town=town, channel=channel, address=address, defaults={"user": user, "language": language}
        )
    )
    if user is not None and subscriber.user_id is None:
        subscriber.user = user
        subscriber.save(update_fields=["user", "updated_at"])
    return subscriber


def _subscriptions(
    subscriber: Subscriber, topics: Sequence[Shop | None], *, at: datetime, source: str
) -> list[Subscription]:
    """The subscriber's subscriptions to these topics (None: the town's news), locked, those missing written
    pending: two queries whatever their number."""
    shops = {shop.pk if shop is not None else None: shop for shop in topics}
    existing = {
        row.shop_id: row
        for row in subscriber.subscriptions.select_for_update(of=("self",)).order_by("pk")
        if row.shop_id in shops
    }
    missing = [
        Subscription(
            town_id=subscriber.town_id,
            subscriber=subscriber,
            shop=shop,
            requested_at=at,
            source=source,
            status=SubscriptionStatus.PENDING,
        )
        for shop_id, shop in shops.items()
        if shop_id not in existing
    ]
    if missing:
        Subscription.objects.bulk_create(missing)  # PostgreSQL and SQLite give back the new primary keys
        existing.update((row.shop_id, row) for row in missing)
    rows = [existing[shop_id] for shop_id in shops]
    for row in rows:
        row.shop = shops[row.shop_id]  # already read: naming the consents costs no query
        row.subscriber = subscriber
    return rows


def _activate(
    subscriber: Subscriber,
    subscriptions: Sequence[Subscription],
    *,
    at: datetime,
    version: str | None = None,
    source: str | None = None,
) -> None:
    """Start these subscriptions and record the consent of each, given on `source` with the words of
    `version` (by default those each subscription waited with): two queries per page and wording."""
    by_terms: dict[tuple[str, str], list[Subscription]] = {}
    for row in subscriptions:
        terms = (version or row.wording_version or consent.EMAIL_VERSION, source or row.source)
        by_terms.setdefault(terms, []).append(row)
    consents: list[Consent] = []
    for (row_version, row_source), rows in by_terms.items():
        Subscription.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=SubscriptionStatus.ACTIVE,
            started_at=at,
            ended_at=None,
            wording_version=row_version,
            source=row_source,
            updated_at=at,
        )
        consents.extend(
            Consent(
                town_id=row.town_id,
                subscriber=subscriber,
                subscription=row,
                shop=row.shop,
                purpose=purpose_of(town=subscriber.town, shop=row.shop),
                channel=subscriber.channel,
                address=subscriber.address,
                wording_version=row_version,
                wording=consent.wording_of(row_version),
                source=row_source[:200],
                given_at=at,
            )
            for row in rows
        )
    Consent.objects.bulk_create(consents)


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
    _activate(subscriber, list(pending.select_related("shop").order_by("pk")), at=at)
    return subscriber


def _end(subscriptions: Sequence[Subscription], *, how: str, at: datetime) -> int:
    """End these subscriptions and stamp the withdrawal on their consents: two queries however many."""
    ids = [row.pk for row in subscriptions if row.status != SubscriptionStatus.ENDED]
    if not ids:
        return 0
    Subscription.objects.filter(pk__in=ids).update(
        status=SubscriptionStatus.ENDED, ended_at=at, updated_at=at
    )
    Consent.objects.filter(subscription_id__in=ids, withdrawn_at__isnull=True).update(
        withdrawn_at=at, withdrawn_how=how, updated_at=at
    )
    for row in subscriptions:
        if row.pk in ids:
            row.status, row.ended_at = SubscriptionStatus.ENDED, at
    return len(ids)


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
    topics: list[Shop | None] = ([None] if town_news else []) + [
        shop for shop in shops if shop.town_id == subscriber.town_id
    ]
    wanted = {shop.pk if shop is not None else None for shop in topics}
    current = list(subscriber.subscriptions.select_for_update(of=("self",)).order_by("pk"))
    _end([row for row in current if row.shop_id not in wanted], how=WITHDRAWN_BY_PREFERENCES, at=at)
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = at
        subscriber.save(update_fields=["confirmed_at", "updated_at"])
    rows = _subscriptions(subscriber, topics, at=at, source=source)
    _activate(
        subscriber,
        [row for row in rows if row.status != SubscriptionStatus.ACTIVE],
        version=consent.version_for(subscriber.channel),
        source=source,
        at=at,
    )


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
    with (
        translation.override(letters.message_language(subscriber.language)),
        timezone.override(town.timezone),
    ):
        context = {
            "town": town,
            "platform": settings.PLATFORM_NAME,
            "topics": _confirmation_topics(town=town, pending=pending),
            "confirm_url": links.confirm_url(town_slug=town.slug, subscriber_key=str(subscriber.key)),
            "days": 7,
        }
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
    with translation.override(letters.message_language(subscriber.language)):
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
