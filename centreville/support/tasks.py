"""Periodic work of merchant support, enqueued by `manage.py run_scheduler` (registered in apps.py)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .shop_signals import shop_signals_refresh
from .training import training_messages_send, training_send_reminders


@task()
def refresh_shop_signals(at: str) -> int:
    """Refresh every published shop's signals once a day (nothing to do the rest of the day)."""
    return shop_signals_refresh(at=datetime.fromisoformat(at), only_if_older_than_a_day=True)


@task()
def send_training_reminders(at: str) -> int:
    """Remind confirmed registrants the day before their training session (once each)."""
    return training_send_reminders(at=datetime.fromisoformat(at))


@task()
def send_training_messages(kind: str, registration_ids: list[int]) -> int:
    """Write out and send a training message (seat freed, session cancelled) to these registrants."""
    return training_messages_send(kind=kind, registration_ids=registration_ids)


@task()
def announce_coaching_meeting(meeting_id: int) -> int:
    """Tell the merchant that their expert proposed a coaching meeting (queued when it is booked)."""
    from .coaching import coaching_meeting_announce

    return coaching_meeting_announce(meeting_id=meeting_id)
