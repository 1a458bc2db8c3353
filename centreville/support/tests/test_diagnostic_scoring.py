"""Scores of the self-diagnostic against answers computed by hand: areas, « not concerned », the platform's
signals, the overall mean, rounding half up, weak areas, the town's average and its suppression."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from centreville.accounts.tests.factories import UserFactory
from centreville.shops.tests.factories import ShopFactory
from centreville.support import diagnostic, services_diagnostic
from centreville.support.diagnostic import mean_half_up, percent
from centreville.towns.tests.factories import TownFactory

from .factories_diagnostic import completed_diagnostic, questionnaire_version, signals_for

pytestmark = pytest.mark.django_db

AT = datetime(2026, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
SPEC = {
    "a": [(False, [0, 1, 2]), (False, [0, 3]), (True, [0, 1, 2])],
    "b": [(False, [0, 1, 2, 3]), (False, [0, 2])],
    "c": [(True, [0, 2])],
}


def test_percent_and_mean_round_half_up() -> None:
    assert percent(1, 8) == 13  # 12.5
    assert percent(3, 8) == 38  # 37.5
    assert percent(1, 3) == 33
    assert percent(2, 3) == 67
    assert percent(0, 5) == 0
    assert percent(5, 5) == 100
    assert mean_half_up([50, 51]) == 51  # 50.5
    assert mean_half_up([67, 50, 50]) == 56  # 55.67


def test_scores_match_the_hand_computed_ones() -> None:
    # given a town's questionnaire and a shop's answers
    town = TownFactory.create()
    version = questionnaire_version(SPEC, town=town, at=AT)
    shop = ShopFactory.create(town=town)
    # when it is completed: a = (1 + 3) / (2 + 3), q3 not concerned; b = (1 + 0) / (3 + 2);
    # c all not concerned
    done = completed_diagnostic(
        shop=shop,
        user=UserFactory.create(),
        chosen={"a": [1, 3, None], "b": [1, 0], "c": [None]},
        started=AT,
        completed=AT + timedelta(minutes=8),
    )
    # then
    areas = {area["code"]: area for area in done.area_scores}
    assert areas["a"]["score"] == 80
    assert (areas["a"]["points"], areas["a"]["max_points"]) == (4, 5)
    assert areas["a"]["not_concerned"] == 1
    assert areas["b"]["score"] == 20
    assert areas["c"]["score"] is None  # nothing answered: no score, and out of the mean
    assert done.score == 50  # (80 + 20) / 2
    assert done.version == version
    assert done.signals == {}  # the platform saw nothing of this shop yet


def test_platform_signals_are_scored_in_their_areas() -> None:
    # given a shop without photo, with a stale product and unanswered reservations, answering the best
    town = TownFactory.create()
    spec = {code: [(False, [0, 2])] for code in ("visibilite", "stocks", "relation-client")}
    questionnaire_version(spec, town=town, at=AT)
    shop = ShopFactory.create(town=town)
    signals_for(shop, at=AT, has_photo=False, products=4, stale_products=1, unanswered_orders=2)
    # when
    done = completed_diagnostic(
        shop=shop, user=UserFactory.create(), started=AT, completed=AT + timedelta(minutes=5)
    )
    # then: visibility (2 + 0 + 2) / 6, stock (2 + 0) / 4, relation (2 + 0) / 4
    areas = {area["code"]: area for area in done.area_scores}
    assert areas["visibilite"]["score"] == 67
    assert [item["key"] for item in areas["visibilite"]["observed"]] == ["photo", "hours"]
    assert areas["stocks"]["score"] == 50
    assert areas["relation-client"]["score"] == 50
    assert done.score == 56
    assert done.signals["stale_products"] == 1
    rows = diagnostic.result_rows(done, previous=None, average=None)
    assert [row.code for row in rows if row.weak] == []  # 50 is not under 50
    labels = [item["label"] for row in rows for item in row.observed]
    assert "Votre page n'a pas de photo." in labels


def test_an_area_under_fifty_is_weak_and_its_sheets_show() -> None:
    town = TownFactory.create()
    questionnaire_version({"a": [(False, [0, 1, 2])], "b": [(False, [0, 2])]}, town=town, at=AT)
    done = completed_diagnostic(
        shop=ShopFactory.create(town=town),
        user=UserFactory.create(),
        chosen={"a": [0], "b": [2]},
        started=AT,
        completed=AT,
    )
    rows = diagnostic.result_rows(done, previous=None, average=None)
    assert [(row.code, row.weak) for row in rows] == [("a", True), ("b", False)]


def test_a_diagnostic_is_completed_only_once_every_question_is_answered() -> None:
    town = TownFactory.create()
    questionnaire_version(SPEC, town=town, at=AT)
    started = services_diagnostic.diagnostic_start(
        shop=ShopFactory.create(town=town), user=UserFactory.create(), with_adviser=False, at=AT
    )
    with pytest.raises(ValidationError, match="sans réponse"):
        services_diagnostic.diagnostic_complete(diagnostic=started, at=AT)


def test_not_concerned_is_refused_where_the_question_does_not_allow_it() -> None:
    town = TownFactory.create()
    version = questionnaire_version(SPEC, town=town, at=AT)
    started = services_diagnostic.diagnostic_start(
        shop=ShopFactory.create(town=town), user=UserFactory.create(), with_adviser=False, at=AT
    )
    first = diagnostic.version_areas(version)[0].questions.all()[0]
    with pytest.raises(ValidationError, match="Choisissez une réponse"):
        services_diagnostic.diagnostic_answer(diagnostic=started, answers={first.pk: None})


def test_the_town_average_needs_five_shops_and_counts_each_shops_latest() -> None:
    # given four shops of the town with a diagnostic, one of them twice, and a shop of another town
    town, elsewhere = TownFactory.create(), TownFactory.create()
    spec = {"a": [(False, [0, 1, 2, 3, 4])]}
    questionnaire_version(spec, town=town, at=AT)
    questionnaire_version(spec, town=elsewhere, at=AT)
    user = UserFactory.create()
    shops = [ShopFactory.create(town=town) for _ in range(5)]
    first = shops[0]
    completed_diagnostic(shop=first, user=user, chosen={"a": [0]}, started=AT, completed=AT)
    later = AT + timedelta(days=90)
    for shop, points in zip(shops[:4], [4, 2, 2, 1], strict=True):
        completed_diagnostic(shop=shop, user=user, chosen={"a": [points]}, started=later, completed=later)
    completed_diagnostic(
        shop=ShopFactory.create(town=elsewhere), user=user, chosen={"a": [0]}, started=AT, completed=AT
    )
    # then: four shops, not enough
    average = diagnostic.town_average(town_id=town.pk)
    assert (average.shops, average.overall, average.areas) == (4, None, {})
    # when a fifth completes: (100 + 50 + 50 + 25 + 75) / 5 = 60, the first shop's older 0 left out
    completed_diagnostic(shop=shops[4], user=user, chosen={"a": [3]}, started=later, completed=later)
    average = diagnostic.town_average(town_id=town.pk)
    assert (average.shops, average.overall, average.areas) == (5, 60, {"a": 60})


def test_the_town_questionnaire_replaces_the_platforms_once_published() -> None:
    town = TownFactory.create()
    platform = services_diagnostic.platform_questionnaire_ensure(at=AT)
    assert diagnostic.current_version(town) == platform
    draft = services_diagnostic.questionnaire_adapt(town=town)
    assert diagnostic.current_version(town) == platform  # a draft applies to no one
    published = services_diagnostic.version_publish(version=draft, user=UserFactory.create(), at=AT)
    assert diagnostic.current_version(town) == published
    assert diagnostic.current_version(TownFactory.create()) == platform


def test_the_platform_questionnaire_has_seven_areas_of_four_questions_and_fourteen_sheets() -> None:
    version = services_diagnostic.platform_questionnaire_ensure(at=AT)
    areas = diagnostic.version_areas(version)
    assert len(areas) == 7
    assert [len(area.questions.all()) for area in areas] == [4] * 7
    assert sum(len(area.sheets.all()) for area in areas) == 14
    for area in areas:
        for sheet in area.sheets.all():
            assert sheet.feature == "" or sheet.feature in diagnostic.FEATURES


def test_a_diagnostic_with_nothing_scored_has_no_score_and_stays_out_of_the_towns_figures() -> None:
    town = TownFactory.create()
    questionnaire_version({"c": [(True, [0, 2])]}, town=town, at=AT)
    shop = ShopFactory.create(town=town)
    done = completed_diagnostic(
        shop=shop, user=UserFactory.create(), chosen={"c": [None]}, started=AT, completed=AT
    )
    assert done.score is None
    assert done.completed_at is not None
    assert diagnostic.diagnostics_by_shop(town_id=town.pk) == {}
    assert diagnostic.town_average(town_id=town.pk).overall is None
