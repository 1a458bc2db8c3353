"""The town's follow-up of its merchants (`followup.py` and its pages): which shops it lists, what it joins
from each feature, its filters and counts, its spreadsheet, one shop's page, and who may open them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.support import training
from centreville.support.followup import (
    FollowUpFilter,
    filter_followup,
    followup_counts,
    merchants_followup,
)
from centreville.support.models.coaching import ActionStatus
from centreville.towns.tests.factories import TownFactory

from .factories_coaching import CoachingActionFactory, CoachingMilestoneFactory, CoachingProgrammeFactory
from .factories_diagnostic import completed_diagnostic, questionnaire_version, signals_for
from .factories_training import TrainingSessionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)
SPEC = {"a": [(False, [0, 1, 2, 3, 4])], "b": [(False, [0, 2])]}


def _run(shop: Any) -> Any:
    return ShopMembershipFactory.create(shop=shop).user


def _attended(shop: Any, *, user: Any, starts_at: datetime) -> None:
    session = TrainingSessionFactory.create(town=shop.town, starts_at=starts_at, capacity=10)
    training.registration_create(session=session, user=user, shop=shop, at=starts_at - timedelta(days=3))
    registration = session.registrations.get(user=user)
    training.attendance_record(session=session, attended={registration.pk: True}, at=starts_at)


@pytest.fixture
def town_followed() -> dict[str, Any]:
    """Argentan's four shops someone runs, plus shops the follow-up must leave out:
    - « Épicerie du Marché »: diagnosed twice (25 then 75; each the mean of its two areas: 50 and 0, then 50
      and 100), attended a session, coached on a stalled action, no photo;
    - « Boulangerie Mahé »: nothing yet, its page up to date;
    - « Cordonnerie »: coached on a running action with recent progress, its page never checked;
    - « Fleuriste »: diagnosed once (50: 0 and 100);
    - left out: an imported shop nobody runs, a closed shop, and another town's shop."""
    town, elsewhere = TownFactory.create(slug="argentan"), TownFactory.create()
    questionnaire_version(SPEC, town=town, at=NOW - timedelta(days=200))
    questionnaire_version(SPEC, town=elsewhere, at=NOW - timedelta(days=200))
    grocery = ShopFactory.create(town=town, name="Épicerie du Marché")
    bakery = ShopFactory.create(town=town, name="Boulangerie Mahé")
    cobbler = ShopFactory.create(town=town, name="Cordonnerie")
    florist = ShopFactory.create(town=town, name="Fleuriste")
    grocer, _baker, _cobbler, florist_owner = (_run(shop) for shop in (grocery, bakery, cobbler, florist))
    ShopFactory.create(town=town, name="Sans gérant")
    _run(ShopFactory.create(town=town, name="Fermé", status=ShopStatus.CLOSED))
    other = ShopFactory.create(town=elsewhere, name="Épicerie d'ailleurs")
    other_owner = _run(other)

    first, second = NOW - timedelta(days=120), NOW - timedelta(days=20)
    completed_diagnostic(
        shop=grocery, user=grocer, chosen={"a": [2], "b": [0]}, started=first, completed=first
    )
    completed_diagnostic(
        shop=grocery, user=grocer, chosen={"a": [2], "b": [2]}, started=second, completed=second
    )
    completed_diagnostic(
        shop=florist, user=florist_owner, chosen={"a": [0], "b": [2]}, started=second, completed=second
    )
    completed_diagnostic(shop=other, user=other_owner, started=second, completed=second)
    _attended(grocery, user=grocer, starts_at=NOW - timedelta(days=30))

    programme = CoachingProgrammeFactory.create(town=town, starts_on=date(2026, 5, 4))
    CoachingActionFactory.create(programme=programme, shop=grocery, started_on=date(2026, 5, 4))
    recent = CoachingActionFactory.create(programme=programme, shop=cobbler, started_on=date(2026, 6, 8))
    CoachingMilestoneFactory.create(action=recent, due_on=date(2026, 6, 20), done_on=date(2026, 6, 12))

    signals_for(grocery, at=NOW, has_photo=False)
    signals_for(bakery, at=NOW)
    signals_for(florist, at=NOW, stale_products=4)
    return {"town": town, "grocery": grocery, "bakery": bakery, "cobbler": cobbler, "florist": florist}


def test_the_followup_lists_the_shops_someone_runs_with_what_each_feature_knows(
    town_followed: dict[str, Any],
) -> None:
    rows = {row.name: row for row in merchants_followup(town_id=town_followed["town"].pk, at=NOW)}

    assert list(rows) == ["Boulangerie Mahé", "Cordonnerie", "Épicerie du Marché", "Fleuriste"]
    grocery = rows["Épicerie du Marché"]
    assert grocery.diagnostic is not None
    assert (grocery.diagnostic.score, grocery.diagnostic.previous_score, grocery.diagnostic.count) == (
        75,
        25,
        2,
    )
    assert grocery.trained
    assert grocery.coached
    assert grocery.stalled
    assert grocery.page_to_refresh
    assert grocery.signal_labels == ["pas de photo"]
    bakery = rows["Boulangerie Mahé"]
    assert not (bakery.diagnosed)
    assert not (bakery.trained)
    assert not (bakery.coached)
    assert not (bakery.page_to_refresh)
    cobbler = rows["Cordonnerie"]
    assert cobbler.coached
    assert not cobbler.stalled
    assert cobbler.signals is None
    assert cobbler.coaching is not None
    assert cobbler.coaching.status == str(ActionStatus.RUNNING.label)
    assert rows["Fleuriste"].signal_labels == ["4 produits non mis à jour"]


def test_each_filter_keeps_its_shops_and_counts_them(town_followed: dict[str, Any]) -> None:
    rows = merchants_followup(town_id=town_followed["town"].pk, at=NOW)

    def names(which: FollowUpFilter, name: str = "") -> list[str]:
        return [row.name for row in filter_followup(rows, which=which, name=name)]

    assert names(FollowUpFilter.NOT_DIAGNOSED) == ["Boulangerie Mahé", "Cordonnerie"]
    assert names(FollowUpFilter.DIAGNOSED) == ["Épicerie du Marché", "Fleuriste"]
    assert names(FollowUpFilter.TRAINED) == ["Épicerie du Marché"]
    assert names(FollowUpFilter.COACHED) == ["Cordonnerie", "Épicerie du Marché"]
    assert names(FollowUpFilter.STALLED) == ["Épicerie du Marché"]
    assert names(FollowUpFilter.PAGE_TO_REFRESH) == ["Épicerie du Marché", "Fleuriste"]
    assert names(FollowUpFilter.OVERDUE_TASKS) == []
    # A name is found whatever its accents and case.
    assert names(FollowUpFilter.ALL, "epicerie") == ["Épicerie du Marché"]
    assert names(FollowUpFilter.NOT_DIAGNOSED, "EPICERIE") == []
    assert followup_counts(rows) == {
        FollowUpFilter.ALL: 4,
        FollowUpFilter.NOT_DIAGNOSED: 2,
        FollowUpFilter.DIAGNOSED: 2,
        FollowUpFilter.TRAINED: 1,
        FollowUpFilter.COACHED: 2,
        FollowUpFilter.STALLED: 1,
        FollowUpFilter.OVERDUE_TASKS: 0,
        FollowUpFilter.PAGE_TO_REFRESH: 2,
    }


def test_the_followup_reads_a_town_in_the_same_queries_whatever_its_size() -> None:
    def town_of(shops: int) -> Any:
        town = TownFactory.create()
        questionnaire_version(SPEC, town=town, at=NOW - timedelta(days=10))
        programme = CoachingProgrammeFactory.create(town=town)
        for _ in range(shops):
            shop = ShopFactory.create(town=town)
            user = _run(shop)
            completed_diagnostic(shop=shop, user=user, started=NOW - timedelta(days=5), completed=NOW)
            _attended(shop, user=user, starts_at=NOW - timedelta(days=1))
            CoachingActionFactory.create(programme=programme, shop=shop)
            signals_for(shop, at=NOW)
        return town

    small, large = town_of(1), town_of(5)
    with CaptureQueriesContext(connection) as for_small:
        assert len(merchants_followup(town_id=small.pk, at=NOW)) == 1
    with CaptureQueriesContext(connection) as for_large:
        assert len(merchants_followup(town_id=large.pk, at=NOW)) == 5
    assert len(for_large.captured_queries) == len(for_small.captured_queries) <= 10


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def adviser(town_followed: dict[str, Any]) -> Client:
    return _client(TownRoleFactory.create(town=town_followed["town"], role=Role.ADVISER).user)


@pytest.fixture(autouse=True)
def _clock(page_clock: Callable[[datetime], None]) -> None:
    page_clock(NOW)


def test_the_page_shows_the_key_figures_and_pages_through_a_filter(
    adviser: Client, town_followed: dict[str, Any]
) -> None:
    url = reverse("support_manage:followup", args=["argentan"])

    page = adviser.get(url).content.decode()
    assert "Actions en panne <strong>1</strong>" in page
    assert "Épicerie du Marché" in page
    assert "75 / 100" in page
    assert "avant : 25" in page
    filtered = adviser.get(url, {"voir": "actions-en-panne"}).content.decode()
    assert "Épicerie du Marché" in filtered
    assert "Boulangerie Mahé" not in filtered
    # An unknown filter shows everyone rather than failing.
    assert "Boulangerie Mahé" in adviser.get(url, {"voir": "n-importe-quoi"}).content.decode()
    empty = adviser.get(url, {"nom": "introuvable"}).content.decode()
    assert "Aucun commerce ne répond à ces critères." in empty


def test_the_spreadsheet_has_a_row_per_shop_of_the_filter(
    adviser: Client, town_followed: dict[str, Any]
) -> None:
    url = reverse("support_manage:followup", args=["argentan"])

    response = adviser.get(url, {"voir": "diagnostiques", "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Commerce", "Dernier diagnostic", "Score"]
    assert [(row[0], row[2], row[3], row[14]) for row in rows[1:]] == [
        ("Épicerie du Marché", "75", "25", "oui"),
        ("Fleuriste", "50", "", ""),
    ]


def test_a_shops_page_has_a_section_per_feature(adviser: Client, town_followed: dict[str, Any]) -> None:
    url = reverse("support_manage:followup_shop", args=["argentan", town_followed["grocery"].slug])

    page = adviser.get(url).content.decode()

    assert "Suivi de Épicerie du Marché" in page
    assert "Pas de photo" in page
    assert page.count("<h2") >= 4  # signals, diagnostic, training, coaching


def test_only_advisers_and_the_town_team_follow_merchants_up(town_followed: dict[str, Any]) -> None:
    town = town_followed["town"]
    url = reverse("support_manage:followup", args=["argentan"])
    shop_url = reverse("support_manage:followup_shop", args=["argentan", town_followed["grocery"].slug])
    merchant = town_followed["grocery"].memberships.get().user

    assert _client(merchant).get(url).status_code == 403
    assert _client(UserFactory.create()).get(shop_url).status_code == 403
    assert _client(TownRoleFactory.create(town=town, role=Role.MANAGER).user).get(url).status_code == 200
    elsewhere = TownRoleFactory.create(town=TownFactory.create(), role=Role.ADVISER).user
    assert _client(elsewhere).get(url).status_code == 403
    other_shop = ShopFactory.create(town=TownFactory.create())
    wrong_town = reverse("support_manage:followup_shop", args=["argentan", other_shop.slug])
    assert (
        _client(TownRoleFactory.create(town=town, role=Role.ADVISER).user).get(wrong_town).status_code == 404
    )
