"""Queued work of the news: confirmation and welcome messages, starting a campaign, sending its batches, the
periodic round. Each reads the clock once and hands it to its service."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django_tasks import task

from . import campaigns, subscriptions


@task()
def send_confirmation(subscriber_id: int, bucket: str) -> int:
    return subscriptions.queue_messages(
        subscriptions.confirmation_messages(subscriber_id=subscriber_id, bucket=bucket)
    )


@task()
def send_sms_welcome(subscriber_id: int) -> int:
    return subscriptions.queue_messages(subscriptions.welcome_sms_messages(subscriber_id=subscriber_id))


@task()
def start_campaign(campaign_id: int) -> int:
    return campaigns.campaign_start(campaign_id=campaign_id, at=timezone.now())


@task()
def send_batch(campaign_id: int, first_id: int, last_id: int, at: str | None = None) -> int:
    """`at`: the moment of the start or round that queued the batch; a deferred batch reads the clock."""
    moment = datetime.fromisoformat(at) if at else timezone.now()
    result = campaigns.batch_send(campaign_id=campaign_id, first_id=first_id, last_id=last_id, at=moment)
    return result.sent


@task()
def send_test(campaign_id: int, address: str) -> None:
    campaigns.campaign_test_send(campaign_id=campaign_id, address=address, at=timezone.now())


@task()
def news_round(at: str | None = None) -> int:
    moment = datetime.fromisoformat(at) if at else timezone.now()
    return campaigns.news_round(at=moment)
