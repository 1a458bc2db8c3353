"""The demo's platform activity: two years up to yesterday, the same figures whenever it runs, nothing added
by a second run, and its last months' reports kept."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from centreville.activity.models import DailyCount, Metric, SearchWithoutResult
from centreville.catalogue.tests.factories import ProductFactory
from centreville.demo.activity import DAYS, demo_activity_load
from centreville.observatory.dashboard import town_dashboard
from centreville.observatory.models import MonthlyReport
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 30)  # the day after the clocks went forward
AT = datetime(2026, 3, 30, 9, tzinfo=ZoneInfo("Europe/Paris"))


def test_two_years_of_activity_once_whatever_the_number_of_runs() -> None:
    town = TownFactory.create(slug="demo-activite")
    shops = ShopFactory.create_batch(2, town=town)
    ProductFactory.create(shop=shops[0])

    added = demo_activity_load([town], today=TODAY, at=AT)
    again = demo_activity_load([town], today=TODAY, at=AT)

    assert added > 0
    assert again == 0
    days = DailyCount.objects.filter(town=town, shop=None, metric=Metric.SEARCH).values_list("day", flat=True)
    assert (min(days), max(days), len(days)) == (
        TODAY - timedelta(days=DAYS),
        TODAY - timedelta(days=1),
        DAYS,
    )
    unfound = sum(SearchWithoutResult.objects.filter(town=town).values_list("count", flat=True))
    counted = sum(
        DailyCount.objects.filter(town=town, metric=Metric.SEARCH_NO_RESULT).values_list("count", flat=True)
    )
    assert unfound == counted > 0
    assert DailyCount.objects.filter(town=town, product__isnull=False).exists()
    assert sorted(MonthlyReport.objects.filter(town=town).values_list("month", flat=True)) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    board = town_dashboard(town, at=AT, period="annee")
    assert board.figure("visits").value > 0
    assert board.figure("unfound").value > 0
