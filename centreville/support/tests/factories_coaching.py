"""Factories of coaching programmes, actions, milestones and meetings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import factory
from factory.django import DjangoModelFactory

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.shops.tests.factories import ShopFactory
from centreville.support.models import (
    CoachingAction,
    CoachingEndReview,
    CoachingMeeting,
    CoachingMilestone,
    CoachingProgramme,
)
from centreville.support.models.coaching import ActionKind, ActionStatus, MeetingStatus
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory


def expert_of(town: Town, **kwargs: Any) -> User:
    """A person with the expert role in `town`."""
    return TownRoleFactory.create(town=town, role=Role.EXPERT, user=UserFactory.create(**kwargs)).user


def expert_in(action: CoachingAction) -> User:
    """The action's expert (every action made here has one)."""
    assert action.expert is not None
    return action.expert


class CoachingProgrammeFactory(DjangoModelFactory[CoachingProgramme]):
    class Meta:
        model = CoachingProgramme

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    starts_on = date(2026, 3, 2)
    ends_on = factory.LazyAttribute(lambda p: p.starts_on + timedelta(weeks=8))


class CoachingActionFactory(DjangoModelFactory[CoachingAction]):
    class Meta:
        model = CoachingAction
        skip_postgeneration_save = True

    programme = factory.SubFactory(CoachingProgrammeFactory)
    town = factory.LazyAttribute(lambda a: a.programme.town)
    shop = factory.LazyAttribute(lambda a: ShopFactory.create(town=a.programme.town))
    expert = factory.LazyAttribute(lambda a: expert_of(a.programme.town))
    kind = ActionKind.ONLINE_PAYMENT
    status = ActionStatus.RUNNING
    started_on = date(2026, 3, 2)

    @factory.post_generation
    def in_programme(obj: CoachingAction, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.programme.experts.add(expert_in(obj))


class CoachingMilestoneFactory(DjangoModelFactory[CoachingMilestone]):
    class Meta:
        model = CoachingMilestone

    action = factory.SubFactory(CoachingActionFactory)
    title = factory.Sequence(lambda n: f"Étape {n}")
    due_on = date(2026, 3, 20)


class CoachingMeetingFactory(DjangoModelFactory[CoachingMeeting]):
    class Meta:
        model = CoachingMeeting

    action = factory.SubFactory(CoachingActionFactory)
    starts_at = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    status = MeetingStatus.BOOKED


class CoachingEndReviewFactory(DjangoModelFactory[CoachingEndReview]):
    class Meta:
        model = CoachingEndReview

    action = factory.SubFactory(CoachingActionFactory, status=ActionStatus.DONE)
    outcome = "achieved"
    what_changed = "Le paiement en ligne fonctionne."
