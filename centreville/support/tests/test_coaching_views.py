"""Coaching pages: the merchant picks a slot and gives their review; an expert sees only their own pairs
(programme page, action page, CSV); an adviser creates a programme and pairs; French errors on the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.support.models import CoachingAction, CoachingMeeting, CoachingProgramme
from centreville.support.models.coaching import ActionStatus, MeetingStatus

from .factories_coaching import CoachingActionFactory, CoachingMeetingFactory, expert_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 3, 2, 8, 0, tzinfo=PARIS)  # Monday
TUESDAY_9 = datetime(2026, 3, 3, 9, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _clock(page_clock: Callable[[datetime], None]) -> None:
    page_clock(AT)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_merchant_picks_a_slot_on_their_action_page() -> None:
    action = CoachingActionFactory.create()
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    client = _client(merchant)
    home = client.get(reverse("support_merchant:coaching_home", args=[action.town.slug]))
    assert home.status_code == 302  # one action: straight to it
    page = client.get(home["Location"])
    assert page.status_code == 200
    assert TUESDAY_9.isoformat() in page.content.decode()
    url = reverse("support_merchant:coaching_book", args=[action.town.slug, action.pk])
    response = client.post(url, {"starts_at": TUESDAY_9.isoformat()})
    assert response.status_code == 302
    meeting = CoachingMeeting.objects.get(action=action)
    assert meeting.starts_at == TUESDAY_9
    assert meeting.confirmed_at is not None


def test_a_slot_taken_meanwhile_is_refused_on_the_page_in_french() -> None:
    action = CoachingActionFactory.create()
    other = CoachingActionFactory.create(programme=action.programme, expert=action.expert)
    CoachingMeetingFactory.create(action=other, starts_at=TUESDAY_9)
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    url = reverse("support_merchant:coaching_book", args=[action.town.slug, action.pk])
    response = _client(merchant).post(url, {"starts_at": TUESDAY_9.isoformat()})
    assert response.status_code == 422
    assert "Ce créneau vient d&#x27;être pris" in response.content.decode()
    empty = _client(merchant).post(url, {})
    assert empty.status_code == 422
    assert "Choisissez un créneau." in empty.content.decode()


def test_a_merchant_reaches_only_the_actions_of_their_shops() -> None:
    action = CoachingActionFactory.create()
    neighbour = ShopMembershipFactory.create(shop=ShopFactory.create(town=action.town)).user
    url = reverse("support_merchant:coaching_action", args=[action.town.slug, action.pk])
    assert _client(neighbour).get(url).status_code == 404


def test_the_merchant_gives_their_review() -> None:
    action = CoachingActionFactory.create()
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    url = reverse("support_merchant:coaching_review", args=[action.town.slug, action.pk])
    assert _client(merchant).post(url, {"rating": "4", "comment": "Clair"}).status_code == 302
    assert action.end_review.merchant_rating == 4


def test_an_expert_sees_only_their_own_pairs() -> None:
    mine = CoachingActionFactory.create()
    theirs = CoachingActionFactory.create(programme=mine.programme)
    town, expert = mine.town, mine.expert
    client = _client(expert)
    programme = client.get(reverse("support_manage:coaching_programme", args=[town.slug, mine.programme_id]))
    assert programme.status_code == 200
    assert mine.shop.name in programme.content.decode()
    assert theirs.shop.name not in programme.content.decode()
    assert client.get(reverse("support_manage:coaching_action", args=[town.slug, mine.pk])).status_code == 200
    assert (
        client.get(reverse("support_manage:coaching_action", args=[town.slug, theirs.pk])).status_code == 404
    )
    csv = client.get(reverse("support_manage:coaching_export", args=[town.slug, mine.programme_id]))
    text = csv.content.decode()
    assert mine.shop.name in text
    assert theirs.shop.name not in text
    # Another programme they take no part in is not theirs to see.
    elsewhere = CoachingActionFactory.create(programme__town=town)
    assert (
        client.get(
            reverse("support_manage:coaching_programme", args=[town.slug, elsewhere.programme_id])
        ).status_code
        == 404
    )
    # Creating programmes and pairing is for those who follow merchants up.
    assert (
        client.get(reverse("support_manage:coaching_programme_create", args=[town.slug])).status_code == 403
    )
    adviser = TownRoleFactory.create(town=town, role=Role.ADVISER).user
    everything = _client(adviser).get(
        reverse("support_manage:coaching_programme", args=[town.slug, mine.programme_id])
    )
    assert mine.shop.name in everything.content.decode()
    assert theirs.shop.name in everything.content.decode()


def test_an_adviser_creates_a_programme_and_pairs_an_expert_with_a_shop() -> None:
    shop = ShopFactory.create()
    town = shop.town
    expert = expert_of(town)
    client = _client(TownRoleFactory.create(town=town, role=Role.ADVISER).user)
    response = client.post(
        reverse("support_manage:coaching_programme_create", args=[town.slug]),
        {
            "name": "Printemps numérique",
            "starts_on": "2026-03-02",
            "ends_on": "2026-04-27",
            "experts": [expert.pk],
        },
    )
    assert response.status_code == 302
    programme = CoachingProgramme.objects.get(town=town)
    assert list(programme.experts.all()) == [expert]
    pair = client.post(
        reverse("support_manage:coaching_pair", args=[town.slug, programme.pk]),
        {"expert": expert.pk, "shop": shop.pk, "kind": "maps_listing", "goal": "Fiche Google à jour"},
    )
    assert pair.status_code == 302
    action = CoachingAction.objects.get(programme=programme)
    assert (action.shop, action.expert, action.status) == (shop, expert, ActionStatus.PLANNED)
    bad = client.post(
        reverse("support_manage:coaching_programme_create", args=[town.slug]),
        {"name": "X", "starts_on": "2026-03-02", "ends_on": "2026-03-01"},
    )
    assert bad.status_code == 422
    assert "La fin du programme doit suivre son début." in bad.content.decode()


def test_the_expert_writes_the_note_then_books_the_next_meeting(
    page_clock: Callable[[datetime], None],
) -> None:
    action = CoachingActionFactory.create()
    meeting = CoachingMeetingFactory.create(action=action, starts_at=TUESDAY_9)
    after = TUESDAY_9 + timedelta(minutes=20)
    page_clock(after)
    client = _client(action.expert)
    page = client.get(reverse("support_manage:coaching_action", args=[action.town.slug, action.pk]))
    assert f"note-{meeting.pk}-note" in page.content.decode()
    url = reverse("support_manage:coaching_note", args=[action.town.slug, meeting.pk])
    too_long = client.post(url, {f"note-{meeting.pk}-note": "x" * 501})
    assert too_long.status_code == 422
    assert "500 caractères au plus" in too_long.content.decode()
    written = client.post(
        url, {f"note-{meeting.pk}-note": "Catalogue commencé.", f"note-{meeting.pk}-next_step": "20 photos"}
    )
    assert written.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.note == "Catalogue commencé."
    next_tuesday = TUESDAY_9 + timedelta(days=7)
    booked = client.post(
        reverse("support_manage:coaching_book", args=[action.town.slug, action.pk]),
        {"starts_at": next_tuesday.isoformat()},
    )
    assert booked.status_code == 302
    assert action.meetings.filter(status=MeetingStatus.BOOKED).get().starts_at == next_tuesday
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    shared = _client(merchant).get(
        reverse("support_merchant:coaching_action", args=[action.town.slug, action.pk])
    )
    assert "Catalogue commencé." in shared.content.decode()


def test_the_end_review_on_the_page_closes_the_action() -> None:
    action = CoachingActionFactory.create()
    client = _client(action.expert)
    response = client.post(
        reverse("support_manage:coaching_review", args=[action.town.slug, action.pk]),
        {"outcome": "partly", "what_changed": "Page Facebook ouverte, 3 publications."},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.ended_on == date(2026, 3, 2)
