"""The demo town's coaching programme: experts who log in, actions at every stage, one stalled, notes, one
finished with its end review."""

from __future__ import annotations

from centreville.accounts.models import Role, TownRole
from centreville.demo.services import DEMO_PASSWORD, DemoSummary
from centreville.demo.support_coaching import EXPERTS, PROGRAMME_NAME
from centreville.support.coaching import coaching_by_shop
from centreville.support.models import CoachingAction, CoachingMeeting, CoachingProgramme
from centreville.support.models.coaching import ActionStatus, MeetingStatus
from centreville.towns.models import Town

from .conftest import DEMO_AT


def test_the_demo_town_runs_a_coaching_programme(demo: DemoSummary) -> None:
    town = Town.objects.get(slug="argentan")
    programme = CoachingProgramme.objects.get(town=town, name=PROGRAMME_NAME)
    assert programme.experts.count() == len(EXPERTS)
    expert_logins = {login.email for login in demo.logins if login.password == DEMO_PASSWORD}
    assert {email for email, _first, _last in EXPERTS} <= expert_logins
    assert TownRole.objects.filter(town=town, role=Role.EXPERT).count() == len(EXPERTS)
    actions = CoachingAction.objects.filter(programme=programme)
    assert set(actions.values_list("status", flat=True)) == {
        ActionStatus.PLANNED, ActionStatus.RUNNING, ActionStatus.DONE
    }  # fmt: skip
    assert actions.filter(end_review__merchant_rating__isnull=False, status=ActionStatus.DONE).exists()
    assert CoachingMeeting.objects.filter(action__programme=programme).exclude(note="").count() >= 5
    assert CoachingMeeting.objects.filter(action__programme=programme, status=MeetingStatus.BOOKED).exists()
    summaries = coaching_by_shop(town_id=town.pk, at=DEMO_AT)
    assert len(summaries) == actions.count()
    assert [s.action for s in summaries.values() if s.stalled] == ["Construire le catalogue de produits"]
