"""The contract of the town's follow-up page: `coaching_by_shop` (three queries whatever the number of
shops, the current action or the last one, the stalled flag) and `shop_coaching_followup` with its
template."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string

from centreville.shops.tests.factories import ShopFactory
from centreville.support.coaching import CoachingSummary, coaching_by_shop, shop_coaching_followup
from centreville.support.models.coaching import ActionKind, ActionStatus, MeetingStatus
from centreville.towns.tests.factories import TownFactory

from .factories_coaching import (
    CoachingActionFactory,
    CoachingEndReviewFactory,
    CoachingMeetingFactory,
    CoachingMilestoneFactory,
    CoachingProgrammeFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 3, 30, 12, 0, tzinfo=PARIS)


def _coached_shops(town: object, count: int) -> None:
    programme = CoachingProgrammeFactory.create(town=town)
    for n in range(count):
        action = CoachingActionFactory.create(programme=programme)
        CoachingMilestoneFactory.create(action=action, done_on=date(2026, 3, 10 + n % 5))
        CoachingMeetingFactory.create(action=action, status=MeetingStatus.HELD)


@pytest.mark.parametrize("count", [2, 12])
def test_one_query_whatever_the_number_of_shops(django_assert_num_queries: object, count: int) -> None:
    town = TownFactory.create()
    _coached_shops(town, count)
    with django_assert_num_queries(3):  # type: ignore[operator]
        summaries = coaching_by_shop(town_id=town.pk, at=AT)
    assert len(summaries) == count


def test_the_current_action_wins_over_the_last_ended_and_towns_stay_apart() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    shop = ShopFactory.create(town=town)
    old = CoachingActionFactory.create(
        programme__town=town, programme__name="Automne", shop=shop, status=ActionStatus.DONE,
        started_on=date(2025, 10, 1), ended_on=date(2025, 11, 20),
    )  # fmt: skip
    CoachingEndReviewFactory.create(action=old)
    current = CoachingActionFactory.create(
        programme__town=town, programme__name="Printemps", shop=shop, kind=ActionKind.OTHER,
        title="Vendre sur le marché en ligne", started_on=date(2026, 3, 2),
    )  # fmt: skip
    CoachingActionFactory.create(programme__town=other)
    summaries = coaching_by_shop(town_id=town.pk, at=AT)
    assert summaries == {
        shop.pk: CoachingSummary(
            programme="Printemps",
            action="Vendre sur le marché en ligne",
            expert=str(current.expert),
            status="En cours",
            last_activity_on=date(2026, 3, 2),
            stalled=True,  # nothing since 2 March, 28 days before
            ended=False,
        )
    }
    current.status, current.ended_on = ActionStatus.ABANDONED, date(2026, 3, 29)
    current.save()
    ended = coaching_by_shop(town_id=town.pk, at=AT)[shop.pk]
    assert (ended.programme, ended.status, ended.ended, ended.stalled, ended.last_activity_on) == (
        "Printemps",
        "Abandonnée",
        True,
        False,
        date(2026, 3, 29),
    )


def test_the_shops_followup_renders_a_section_with_its_heading() -> None:
    action = CoachingActionFactory.create()
    CoachingMilestoneFactory.create(action=action, title="Ouvrir le compte", done_on=date(2026, 3, 5))
    CoachingMeetingFactory.create(
        action=action, status=MeetingStatus.HELD, note="Compte ouvert, reste le test."
    )
    CoachingActionFactory.create(programme__town=action.town)  # another shop's: not shown
    context = shop_coaching_followup(shop=action.shop, at=AT)
    assert [row["action"] for row in context["coaching_actions"]] == [action]
    html = render_to_string("support/coaching/_shop_followup.html", context)
    assert '<h2 id="suivi-coaching">' in html
    assert "Ouvrir le compte" in html
    assert "Compte ouvert, reste le test." in html
    empty = render_to_string(
        "support/coaching/_shop_followup.html", shop_coaching_followup(shop=ShopFactory.create(), at=AT)
    )
    assert "n'a pas été accompagné" in empty
