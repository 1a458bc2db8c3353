"""The demo town's training sessions: past ones with attendance and follow-up tasks, sessions to come with
one full and a waiting list, the demo merchant in both; a load days later moves the sessions to come."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from centreville.demo.services import DemoSummary
from centreville.demo.support_training import MERCHANT_EMAIL, demo_training_load
from centreville.support.models import FollowUpTask, Registration, RegistrationStatus, TrainingSession
from centreville.support.training import training_by_shop
from centreville.towns.models import Town

from .conftest import DEMO_AT


def test_the_demo_town_has_past_and_coming_sessions_with_a_waiting_list(demo: DemoSummary) -> None:
    town = Town.objects.get(slug="argentan")
    now = DEMO_AT
    sessions = TrainingSession.objects.filter(town=town)
    assert sessions.filter(starts_at__lt=now).count() == 2
    assert sessions.filter(starts_at__gt=now).count() == 3
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).count() == 2
    assert Registration.objects.filter(attended=True).count() >= 8
    tasks = FollowUpTask.objects.filter(town=town)
    assert tasks.filter(done_at__isnull=False).exists()
    assert tasks.filter(done_at__isnull=True).exists()
    mine = Registration.objects.filter(user__email=MERCHANT_EMAIL)
    assert set(mine.values_list("status", flat=True)) == {
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
    }
    assert FollowUpTask.objects.filter(registration__user__email=MERCHANT_EMAIL).exists()
    assert len(training_by_shop(town_id=town.pk, at=now)) >= 5


def test_a_load_days_later_keeps_sessions_to_come(demo: DemoSummary) -> None:
    town = Town.objects.get(slug="argentan")
    later = timezone.localdate(DEMO_AT) + timedelta(days=30)
    demo_training_load(town, {}, today=later)
    sessions = TrainingSession.objects.filter(town=town)
    assert sessions.count() == 5
    assert sessions.filter(starts_at__date__gt=later).count() == 3
