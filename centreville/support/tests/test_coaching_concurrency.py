"""Bookings at the same moment on PostgreSQL: an expert's four merchants and their shops' other expert all
want Tuesday 09:00; exactly one gets it, the others are told in French that it was taken meanwhile."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from centreville.support import coaching
from centreville.support.models import CoachingAction, CoachingMeeting
from centreville.support.models.coaching import MeetingStatus

from .factories_coaching import CoachingActionFactory, CoachingProgrammeFactory, expert_in

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 3, 2, 8, 0, tzinfo=PARIS)
TUESDAY_9 = datetime(2026, 3, 3, 9, 0, tzinfo=PARIS)

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and concurrent transactions"
)


def _actions(shared: str) -> list[CoachingAction]:
    """Six actions sharing their expert (each with its own shop), or their shop (each with its own expert,
    in its own programme)."""
    first = CoachingActionFactory.create()
    if shared == "expert":
        return [first] + [
            CoachingActionFactory.create(programme=first.programme, expert=first.expert) for _ in range(5)
        ]
    return [first] + [
        CoachingActionFactory.create(
            programme=CoachingProgrammeFactory.create(town=first.town), shop=first.shop
        )
        for _ in range(5)
    ]


@needs_postgresql
@pytest.mark.parametrize("shared", ["expert", "shop"])
@pytest.mark.django_db(transaction=True)
def test_one_slot_wanted_by_six_bookings_at_once_is_given_once(shared: str) -> None:
    actions = _actions(shared)
    start = threading.Barrier(len(actions))

    def attempt(action: CoachingAction) -> str:
        try:
            start.wait()
            coaching.meeting_book(action=action, starts_at=TUESDAY_9, actor=expert_in(action), at=AT)
        except ValidationError as error:
            return error.messages[0]
        finally:
            connections.close_all()
        return "ok"

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        answers = list(pool.map(attempt, actions))

    assert answers.count("ok") == 1
    assert all("vient d'être pris" in answer for answer in answers if answer != "ok")
    assert CoachingMeeting.objects.filter(starts_at=TUESDAY_9, status=MeetingStatus.BOOKED).count() == 1
