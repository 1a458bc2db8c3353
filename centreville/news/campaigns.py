"""Campaigns: the town's newsletter and the shops' offers, written, capped, queued and sent in batches.

Sending writes one `Delivery` per active subscription of the topic in one statement (unique per campaign and
subscription: a second start adds none), then queues one task per `BATCH_SIZE` of them. A batch claims its
rows by moving them from queued to sending in one transaction (`select_for_update(skip_locked=True)` on
PostgreSQL), sends them, and marks each sent, or queued again with its error (failed after `MAX_ATTEMPTS`):
a batch run twice, or two workers on the same batch, send each message once. A worker killed mid-batch leaves
rows "sending"; the periodic round marks them failed after `STALE_AFTER` rather than risk a second copy.

Marketing SMS leave only in the allowed hours (`sms_hours`); outside them, they stay queued and the batch is
queued again for the next allowed moment. Every e-mail carries the RFC 8058 one-click unsubscribe headers.
A shop sends at most the town's `monthly_sends_per_shop` per calendar month on the town's clock, counted
under a lock on the shop. Lock order: the shop, then the campaign, then deliveries by primary key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centreville.accounts.models import User
from centreville.agenda.models import Event
from centreville.core import metrics
from centreville.core.channels import Channel
from centreville.core.links import absolute_url
from centreville.notifications.services import MAX_ATTEMPTS, RETRY_DELAYS, STALE_AFTER
from centreville.notifications.sms import sms_backend
from centreville.shops.models import Shop
from centreville.towns.models import Town

from . import letters, links
from .models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    Delivery,
    DeliveryState,
    NewsSettings,
    Subscription,
    SubscriptionStatus,
)
from .sms_hours import next_sms_moment, sms_allowed

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Deliveries still queued this long after they were due have lost their task: the round queues them again.
LOST_AFTER = timedelta(minutes=10)


def news_settings(town: Town) -> NewsSettings:
    return NewsSettings.objects.filter(town=town).first() or NewsSettings(town=town)


def news_settings_update(*, town: Town, monthly_sends_per_shop: int) -> NewsSettings:
    row, _created = NewsSettings.objects.update_or_create(
        town=town, defaults={"monthly_sends_per_shop": monthly_sends_per_shop}
    )
    return row


def _month_bounds(*, town: Town, at: datetime) -> tuple[datetime, datetime]:
    zone = ZoneInfo(town.timezone)
    local = at.astimezone(zone).date()
    first = local.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(following, time.min, tzinfo=zone),
    )


def shop_sends_this_month(*, shop: Shop, at: datetime) -> int:
    start, end = _month_bounds(town=shop.town, at=at)
    return Campaign.objects.filter(
        shop=shop, kind=CampaignKind.OFFER, queued_at__gte=start, queued_at__lt=end
    ).count()


def newsletter_create(
    *, town: Town, subject: str, introduction: str, author: User | None, at: datetime
) -> Campaign:
    campaign = Campaign(
        town=town,
        kind=CampaignKind.NEWSLETTER,
        subject=subject.strip(),
        introduction=introduction.strip(),
        author=author,
    )
    campaign.full_clean()
    campaign.save()
    return campaign


def newsletter_update(*, campaign: Campaign, subject: str, introduction: str) -> Campaign:
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED):
        raise ValidationError(_("Cette lettre est déjà partie : elle ne peut plus être modifiée."))
    campaign.subject, campaign.introduction = subject.strip(), introduction.strip()
    campaign.full_clean()
    campaign.save(update_fields=["subject", "introduction", "updated_at"])
    return campaign


@transaction.atomic
def newsletter_schedule(*, campaign: Campaign, send_at: datetime | None, at: datetime) -> Campaign:
    """Send the newsletter now (`send_at` None or past) or at `send_at`; the worker sends it then."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED):
        raise ValidationError(_("Cette lettre est déjà partie."))
    when = send_at if send_at is not None and send_at > at else at
    campaign.status, campaign.send_at, campaign.queued_at = CampaignStatus.SCHEDULED, when, at
    campaign.save(update_fields=["status", "send_at", "queued_at", "updated_at"])
    _start_later(campaign.pk, when)
    return campaign


@transaction.atomic
def newsletter_unschedule(*, campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.SCHEDULED:
        raise ValidationError(_("Cette lettre n'est pas programmée."))
    campaign.status, campaign.send_at, campaign.queued_at = CampaignStatus.DRAFT, None, None
    campaign.save(update_fields=["status", "send_at", "queued_at", "updated_at"])
    return campaign


def offer_send(
    *,
    shop: Shop,
    subject: str,
    message: str,
    event: Event | None,
    author: User | None,
    at: datetime,
) -> Campaign:
    """Send an offer to the shop's subscribers now; refused beyond the town's monthly number of sends.

    The shop's row is locked while the month's sends are counted and this one is written, so that two
    clicks at once never make one more than allowed."""
    if event is not None and event.shop_id != shop.pk:
        raise ValidationError(_("Cette offre n'est pas celle de votre commerce."))
    if not subject.strip() and event is None:
        raise ValidationError(_("Choisissez une offre ou écrivez un message."))
    with transaction.atomic():
        locked = Shop.objects.select_for_update(of=("self",)).select_related("town").get(pk=shop.pk)
        allowed = news_settings(locked.town).monthly_sends_per_shop
        used = shop_sends_this_month(shop=locked, at=at)
        if used >= allowed:
            raise ValidationError(
                ngettext(
                    "Vous avez déjà fait votre envoi de ce mois-ci : le prochain sera possible le mois "
                    "prochain.",
                    "Vous avez déjà fait vos %(allowed)d envois de ce mois-ci : le prochain sera possible le "
                    "mois prochain.",
                    allowed,
                )
                % {"allowed": allowed}
            )
        campaign = Campaign(
            town_id=locked.town_id,
            kind=CampaignKind.OFFER,
            shop=locked,
            subject=(subject.strip() or (event.title if event else ""))[:150],
            introduction=message.strip(),
            event=event,
            author=author,
            status=CampaignStatus.SCHEDULED,
            send_at=at,
            queued_at=at,
        )
        campaign.full_clean()
        campaign.save()
        _start_later(campaign.pk, at)
    return campaign


def _tasks() -> Any:
    from . import tasks

    return tasks


def _enqueue(task: Any, *args: Any, run_after: datetime | None = None) -> None:
    """Queue a task (later if the backend can wait); a queue out of reach is logged: the round catches up."""
    try:
        if run_after is not None and task.get_backend().supports_defer:
            task.using(run_after=run_after).enqueue(*args)
        else:
            task.enqueue(*args)
    except Exception:  # the periodic round queues the work again
        logger.exception("Could not queue %s%r", task.name, args)


def _start_later(campaign_id: int, when: datetime) -> None:
    """Queue the start of a campaign after the commit: at `when` if the queue can wait, else now (the task
    then does nothing before `when`, and the periodic round starts it on time)."""
    transaction.on_commit(lambda: _enqueue(_tasks().start_campaign, campaign_id, run_after=when))


def campaign_start(*, campaign_id: int, at: datetime) -> int:
    """Write the deliveries of a scheduled campaign whose time has come and queue its batches; how many
    deliveries were written (none when it is not due, or started already)."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.status != CampaignStatus.SCHEDULED:
            return 0
        if campaign.send_at is not None and campaign.send_at > at:
            return 0
        campaign.status = CampaignStatus.SENDING
        campaign.save(update_fields=["status", "updated_at"])
        written = deliveries_write(campaign)
    _queue_batches(campaign_id, at=at)
    return written


def deliveries_write(campaign: Campaign) -> int:
    """One delivery per active subscription of the campaign's topic, in one INSERT … SELECT."""
    topic = Q(shop__isnull=True) if campaign.shop_id is None else Q(shop_id=campaign.shop_id)
    recipients = Subscription.objects.filter(
        topic, town_id=campaign.town_id, status=SubscriptionStatus.ACTIVE
    )
    query, params = recipients.values_list("pk", "subscriber__channel").query.sql_with_params()
    table = Delivery._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (created_at, updated_at, campaign_id, state, attempts, last_error, "
            "subscription_id, channel) SELECT %s, %s, %s, %s, 0, '', recipients.* "
            f"FROM ({query}) AS recipients WHERE 1 = 1 ON CONFLICT (campaign_id, subscription_id) DO NOTHING",
            [now, now, campaign.pk, DeliveryState.QUEUED, *params],
        )
        return max(cursor.rowcount, 0)


def _queue_batches(
    campaign_id: int, *, at: datetime, due_at: datetime | None = None, with_sms: bool = True
) -> int:
    """Queue one batch task per BATCH_SIZE queued deliveries of the campaign (by primary-key range), to send
    as at `at` (the moment of the start or of the round that queues them). With `due_at` (the periodic
    round), only those whose retry is due or whose task was lost."""
    queued = Delivery.objects.filter(campaign_id=campaign_id, state=DeliveryState.QUEUED)
    if due_at is not None:
        queued = queued.filter(
            Q(retry_at__isnull=True, updated_at__lt=due_at - LOST_AFTER) | Q(retry_at__lte=due_at)
        )
    if not with_sms:
        queued = queued.exclude(channel=Channel.SMS)
    ids = list(queued.order_by("pk").values_list("pk", flat=True))
    batches = [ids[i : i + BATCH_SIZE] for i in range(0, len(ids), BATCH_SIZE)]
    for batch in batches:
        _enqueue(_tasks().send_batch, campaign_id, batch[0], batch[-1], at.isoformat())
    if not batches:
        _finish_if_done(campaign_id)
    return len(batches)


@dataclass(frozen=True)
class BatchResult:
    sent: int
    failed: int
    retried: int
    waiting_sms: int


def _claim(campaign_id: int, first_id: int, last_id: int, *, at: datetime, with_sms: bool) -> list[int]:
    """Move the batch's due queued rows to "sending" and return them; rows another run holds are skipped."""
    with transaction.atomic():
        due = Delivery.objects.filter(
            campaign_id=campaign_id, pk__gte=first_id, pk__lte=last_id, state=DeliveryState.QUEUED
        ).filter(Q(retry_at__isnull=True) | Q(retry_at__lte=at))
        if not with_sms:
            due = due.exclude(channel=Channel.SMS)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.order_by("pk").values_list("pk", flat=True))
        if ids:
            # The state in the WHERE clause makes the claim safe without row locks as well.
            Delivery.objects.filter(pk__in=ids, state=DeliveryState.QUEUED).update(
                state=DeliveryState.SENDING, updated_at=timezone.now()
            )
    return ids


def batch_send(*, campaign_id: int, first_id: int, last_id: int, at: datetime) -> BatchResult:
    """Send the queued deliveries of this range once each (see the module's docstring)."""
    campaign = Campaign.objects.select_related("town", "shop", "event").filter(pk=campaign_id).first()
    if campaign is None:
        return BatchResult(0, 0, 0, 0)
    town = campaign.town
    with_sms = sms_allowed(at=at, tz_name=town.timezone)
    ids = _claim(campaign_id, first_id, last_id, at=at, with_sms=with_sms)
    sent = failed = retried = 0
    if ids:
        deliveries = (
            Delivery.objects.filter(pk__in=ids).select_related("subscription__subscriber").order_by("pk")
        )
        # One rendering per language of the batch's subscribers, each message in its subscriber's language.
        renderings: dict[str, letters.Rendered] = {}
        sent_ids: list[int] = []
        mail = get_connection()
        mail.open()
        try:
            for delivery in deliveries:
                language = letters.message_language(delivery.subscription.subscriber.language)
                if language not in renderings:
                    renderings[language] = letters.render_campaign(campaign, at=at, language=language)
                try:
                    _deliver(campaign, renderings[language], delivery, connection=mail)
                except (
                    Exception
                ) as error:  # any provider failure: tried again later, a bounded number of times
                    if _record_failure(delivery, error, at=at) == DeliveryState.FAILED:
                        failed += 1
                    else:
                        retried += 1
                    continue
                sent_ids.append(delivery.pk)
                metrics.count_message_sent(channel=delivery.channel)
        finally:
            mail.close()
            if sent_ids:
                now = timezone.now()
                Delivery.objects.filter(pk__in=sent_ids, state=DeliveryState.SENDING).update(
                    state=DeliveryState.SENT, sent_at=now, updated_at=now
                )
        sent = len(sent_ids)
    waiting = 0
    if not with_sms:
        waiting = Delivery.objects.filter(
            campaign_id=campaign_id,
            pk__gte=first_id,
            pk__lte=last_id,
            state=DeliveryState.QUEUED,
            channel=Channel.SMS,
        ).count()
        task = _tasks().send_batch
        if waiting and task.get_backend().supports_defer:  # otherwise the periodic round resumes them
            moment = next_sms_moment(at=at, tz_name=town.timezone)
            _enqueue(task, campaign_id, first_id, last_id, run_after=moment)
    _finish_if_done(campaign_id)
    return BatchResult(sent=sent, failed=failed, retried=retried, waiting_sms=waiting)


def email_message(
    *, rendered: letters.Rendered, to: str, unsubscribe_url: str, preferences_url: str, connection: Any = None
) -> EmailMultiAlternatives:
    """The e-mail of one recipient: text and HTML, and the one-click unsubscribe headers (RFC 8058)."""
    html, text, _sms = rendered.for_recipient(
        unsubscribe_url=unsubscribe_url, preferences_url=preferences_url
    )
    mailto = links.unsubscribe_mailto(one_click_url=unsubscribe_url)
    message = EmailMultiAlternatives(
        rendered.subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>, <{mailto}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _deliver(campaign: Campaign, rendered: letters.Rendered, delivery: Delivery, *, connection: Any) -> None:
    subscriber = delivery.subscription.subscriber
    if delivery.channel == Channel.SMS:
        sms_backend().send(subscriber.address, rendered.sms)
        return
    unsubscribe_url, preferences_url = letters.recipient_links(
        town_slug=campaign.town.slug,
        subscriber_key=str(subscriber.key),
        subscription_id=delivery.subscription_id,
    )
    email_message(
        rendered=rendered,
        to=subscriber.address,
        unsubscribe_url=unsubscribe_url,
        preferences_url=preferences_url,
        connection=connection,
    ).send()


def _record_failure(delivery: Delivery, error: Exception, *, at: datetime) -> str:
    attempts = delivery.attempts + 1
    gives_up = attempts >= MAX_ATTEMPTS
    metrics.count_message_failed(channel=delivery.channel, final=gives_up)
    logger.warning("News delivery %s, attempt %s failed: %r", delivery.pk, attempts, error)
    state = DeliveryState.FAILED if gives_up else DeliveryState.QUEUED
    retry_at = None if gives_up else at + RETRY_DELAYS[attempts - 1]
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state,
        attempts=attempts,
        retry_at=retry_at,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        updated_at=timezone.now(),
    )
    # The periodic round queues the delivery again once its retry is due.
    return state


def _finish_if_done(campaign_id: int) -> None:
    left = Delivery.objects.filter(
        campaign_id=campaign_id, state__in=[DeliveryState.QUEUED, DeliveryState.SENDING]
    ).exists()
    if not left:
        Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
            status=CampaignStatus.SENT, finished_at=timezone.now(), updated_at=timezone.now()
        )


def news_round(*, at: datetime) -> int:
    """The periodic round: start the campaigns whose time has come, queue again the deliveries whose task
    was lost or whose retry is due, and mark failed those left "sending" by a dead worker. Returns how many
    campaigns were started. Cheap when there is nothing to do; safe to run twice."""
    started = 0
    due = Campaign.objects.filter(status=CampaignStatus.SCHEDULED, send_at__lte=at).values_list(
        "pk", flat=True
    )
    for campaign_id in list(due):
        campaign_start(campaign_id=campaign_id, at=at)
        started += 1
    Delivery.objects.filter(state=DeliveryState.SENDING, updated_at__lt=at - STALE_AFTER).update(
        state=DeliveryState.FAILED,
        last_error=_("Envoi interrompu : le message est peut-être parti, il n'est pas renvoyé."),
        updated_at=at,
    )
    sending = Campaign.objects.filter(status=CampaignStatus.SENDING).values_list("pk", "town__timezone")
    for campaign_id, tz_name in list(sending):
        _queue_batches(campaign_id, at=at, due_at=at, with_sms=sms_allowed(at=at, tz_name=tz_name))
    return started


def campaign_test_send(*, campaign_id: int, address: str, at: datetime) -> None:
    """Send the campaign to one address (its author's), as its subscribers will read it; its unsubscribe
    links lead to the subscription page, since the address subscribed to nothing."""
    campaign = Campaign.objects.select_related("town", "shop", "event").get(pk=campaign_id)
    rendered = letters.render_campaign(campaign, at=at)
    page = absolute_url(reverse("news_public:subscribe", args=[campaign.town.slug]))
    message = email_message(rendered=rendered, to=address, unsubscribe_url=page, preferences_url=page)
    message.subject = _("[Essai] %(subject)s") % {"subject": rendered.subject}
    message.send()
    metrics.count_message_sent(channel=Channel.EMAIL)


@dataclass(frozen=True)
class Progress:
    queued: int
    sending: int
    sent: int
    failed: int
    total: int

    @property
    def done(self) -> bool:
        return self.total > 0 and self.queued == 0 and self.sending == 0


def campaign_progress(campaign: Campaign) -> Progress:
    counts = dict(
        Delivery.objects.filter(campaign=campaign)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return Progress(
        queued=counts.get(DeliveryState.QUEUED, 0),
        sending=counts.get(DeliveryState.SENDING, 0),
        sent=counts.get(DeliveryState.SENT, 0),
        failed=counts.get(DeliveryState.FAILED, 0),
        total=sum(counts.values()),
    )


def campaign_failures(campaign: Campaign, *, limit: int = 50) -> list[Delivery]:
    return list(
        Delivery.objects.filter(campaign=campaign, state=DeliveryState.FAILED)
        .only("pk", "channel", "attempts", "last_error", "updated_at")
        .order_by("pk")[:limit]
    )
