"""The self-diagnostic under concurrent requests (PostgreSQL): one diagnostic in progress per shop whatever
the number of taps on « Commencer », no answer lost when the merchant and an adviser answer at once, a draft
published once; and the town's follow-up summary of 2,000 shops in well under 50 ms."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from centreville.accounts.tests.factories import UserFactory
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, TradeCategoryFactory
from centreville.support import services_diagnostic
from centreville.support.diagnostic import diagnostics_by_shop, version_areas
from centreville.support.models import Diagnostic, QuestionnaireVersion
from centreville.towns.tests.factories import TownFactory

from .factories_diagnostic import questionnaire_version

AT = datetime(2026, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


@pytest.mark.django_db(transaction=True)
def test_many_taps_on_start_open_one_diagnostic() -> None:
    town = TownFactory.create()
    questionnaire_version({"a": [(False, [0, 2])]}, town=town, at=AT)
    shop, user = ShopFactory.create(town=town), UserFactory.create()
    start = threading.Barrier(8)

    def tap(_n: int) -> int:
        try:
            start.wait()
            return services_diagnostic.diagnostic_start(shop=shop, user=user, with_adviser=False, at=AT).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(tap, range(8)))
    assert len(ids) == 1
    assert Diagnostic.objects.filter(shop=shop).count() == 1


@pytest.mark.django_db(transaction=True)
def test_answers_given_at_once_from_two_phones_are_all_kept() -> None:
    town = TownFactory.create()
    version = questionnaire_version({"a": [(False, [0, 2])] * 10}, town=town, at=AT)
    shop, user = ShopFactory.create(town=town), UserFactory.create()
    taken = services_diagnostic.diagnostic_start(shop=shop, user=user, with_adviser=False, at=AT)
    questions = list(version_areas(version)[0].questions.all())
    start = threading.Barrier(10)

    def answer(index: int) -> None:
        try:
            question = questions[index]
            start.wait()
            services_diagnostic.diagnostic_answer(
                diagnostic=Diagnostic.objects.get(pk=taken.pk),
                answers={question.pk: question.choices.all()[1].pk},
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(answer, range(10)))
    taken.refresh_from_db()
    assert len(taken.answers) == 10


@pytest.mark.django_db(transaction=True)
def test_a_draft_is_published_once() -> None:
    town = TownFactory.create()
    version = questionnaire_version({"a": [(False, [0, 2])]}, town=town, at=AT)
    draft = services_diagnostic.version_draft(questionnaire=version.questionnaire)
    user = UserFactory.create()
    start = threading.Barrier(4)

    def publish(_n: int) -> str:
        try:
            start.wait()
            services_diagnostic.version_publish(version=draft, user=user, at=AT)
        except ValidationError as error:
            return error.messages[0]
        finally:
            connections.close_all()
        return "ok"

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(publish, range(4)))
    assert answers.count("ok") == 1
    numbers = QuestionnaireVersion.objects.filter(questionnaire=version.questionnaire).values_list(
        "number", flat=True
    )
    assert sorted(number or 0 for number in numbers) == [1, 2]


@pytest.mark.django_db
def test_the_summary_of_two_thousand_shops_is_quick() -> None:
    # given 2,000 shops with two completed diagnostics each, and a few thousand elsewhere
    town, elsewhere = TownFactory.create(), TownFactory.create()
    version = questionnaire_version({"a": [(False, [0, 2])]}, town=town, at=AT)
    category = TradeCategoryFactory.create()
    shops = Shop.objects.bulk_create(
        ShopFactory.build(town=place, category=category, slug=f"s-{place.pk}-{n}")
        for place in (town, elsewhere)
        for n in range(2000)
    )
    Diagnostic.objects.bulk_create(
        Diagnostic(
            town_id=shop.town_id,
            shop=shop,
            version=version,
            started_at=AT + timedelta(days=days),
            completed_at=AT + timedelta(days=days),
            score=(shop.pk * 7 + days) % 101,
            area_scores=[{"code": "a", "title": "A", "score": 50}],
        )
        for shop in shops
        for days in (0, 90)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE support_diagnostic")
    # when
    timings = []
    for _ in range(3):
        begin = time.perf_counter()
        summaries = diagnostics_by_shop(town_id=town.pk)
        timings.append(time.perf_counter() - begin)
    # then
    assert len(summaries) == 2000
    assert all(summary.count == 2 for summary in summaries.values())
    assert min(timings) < 0.05, timings
