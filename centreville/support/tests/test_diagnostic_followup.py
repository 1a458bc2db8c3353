"""What the town's follow-up page reads of the self-diagnostic: `diagnostics_by_shop` (latest, previous,
count, in a constant number of queries) and `shop_diagnostic_followup` with its template."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from centreville.accounts.tests.factories import UserFactory
from centreville.shops.tests.factories import ShopFactory
from centreville.support import services_diagnostic
from centreville.support.diagnostic import DiagnosticSummary, diagnostics_by_shop, shop_diagnostic_followup
from centreville.towns.tests.factories import TownFactory

from .factories_diagnostic import completed_diagnostic, questionnaire_version

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 6, 1, 23, 30, tzinfo=PARIS)  # late evening: the day is Paris's, not UTC's
LATER = datetime(2026, 9, 1, 10, 0, tzinfo=PARIS)
SPEC = {"a": [(False, [0, 1, 2, 3, 4])], "b": [(False, [0, 2])]}


@pytest.fixture
def town_with_diagnostics() -> dict[str, Any]:
    town, elsewhere = TownFactory.create(), TownFactory.create()
    questionnaire_version(SPEC, town=town, at=AT)
    questionnaire_version(SPEC, town=elsewhere, at=AT)
    user = UserFactory.create()
    twice, once, never, started = (ShopFactory.create(town=town) for _ in range(4))
    completed_diagnostic(shop=twice, user=user, chosen={"a": [1], "b": [0]}, started=AT, completed=AT)
    completed_diagnostic(shop=twice, user=user, chosen={"a": [4], "b": [0]}, started=LATER, completed=LATER)
    completed_diagnostic(shop=once, user=user, chosen={"a": [2], "b": [2]}, started=AT, completed=AT)
    services_diagnostic.diagnostic_start(shop=started, user=user, with_adviser=True, at=LATER)
    completed_diagnostic(shop=ShopFactory.create(town=elsewhere), user=user, started=AT, completed=AT)
    return {"town": town, "twice": twice, "once": once, "never": never, "started": started}


def test_diagnostics_by_shop_gives_each_shops_latest_previous_and_count(
    town_with_diagnostics: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    world = town_with_diagnostics
    with django_assert_max_num_queries(1):
        summaries = diagnostics_by_shop(town_id=world["town"].pk)
    # twice: a 4/4 = 100, b 0 → 50; before: a 25, b 0 → 13 (12.5 rounded half up); once: a 50, b 100 → 75
    assert summaries == {
        world["twice"].pk: DiagnosticSummary(taken_on=date(2026, 9, 1), score=50, previous_score=13, count=2),
        world["once"].pk: DiagnosticSummary(
            taken_on=date(2026, 6, 1), score=75, previous_score=None, count=1
        ),
    }


def test_diagnostics_by_shop_takes_the_same_queries_for_many_shops(
    django_assert_max_num_queries: Any,
) -> None:
    town = TownFactory.create()
    questionnaire_version(SPEC, town=town, at=AT)
    user = UserFactory.create()
    for _ in range(30):
        completed_diagnostic(shop=ShopFactory.create(town=town), user=user, started=AT, completed=AT)
    with django_assert_max_num_queries(1):
        assert len(diagnostics_by_shop(town_id=town.pk)) == 30


def test_shop_followup_shows_the_latest_result_its_progress_and_the_one_in_progress(
    town_with_diagnostics: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    world = town_with_diagnostics
    with django_assert_max_num_queries(4):
        context = shop_diagnostic_followup(shop=world["twice"], at=LATER + timedelta(days=10))
    assert context["diagnostic_latest"].score == 50
    assert context["diagnostic_previous"].score == 13
    assert [(row.code, row.score, row.delta, row.weak) for row in context["diagnostic_rows"]] == [
        ("a", 100, 75, False),
        ("b", 0, 0, True),
    ]
    assert context["diagnostic_days_since"] == 10
    assert context["diagnostic_average"].overall is None  # two shops: suppressed
    request = RequestFactory().get("/")
    html = render_to_string(
        "support/diagnostic/_shop_followup.html", {**context, "space": world["town"]}, request=request
    )
    assert "<h2" in html
    assert "Autodiagnostic numérique" in html
    assert "50/100" in html
    assert "+75" in html
    assert "pas encore assez de diagnostics" in html
    started = shop_diagnostic_followup(shop=world["started"], at=LATER)
    assert started["diagnostic_latest"] is None
    assert started["diagnostic_open"].with_adviser
    html = render_to_string(
        "support/diagnostic/_shop_followup.html", {**started, "space": world["town"]}, request=request
    )
    assert "Pas encore de diagnostic terminé." in html
    assert "en cours" in html
