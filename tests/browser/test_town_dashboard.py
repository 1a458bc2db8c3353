"""The elected official's dashboard in a browser: figures at a glance with their trend in words, weekly charts
with their tables, a period to choose; French and English, axe-clean, at 1280 and 360 px."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.activity.models import DailyCount, Metric
from centreville.fulfilment.tests.factories import order_for
from centreville.orders.models import OrderStatus

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, screenshot, signed_in, translated
from .test_merchant_backoffice import VIEWPORTS, assert_fits

pytestmark = pytest.mark.browser


@pytest.fixture
def elected(argentan: Argentan) -> User:
    user: User = TownRoleFactory.create(town=argentan.town, role=Role.ELECTED).user
    return user


@pytest.fixture
def activity(argentan: Argentan) -> None:
    today = timezone.localdate()
    for days_ago, visits in [(1, 140), (9, 95), (16, 80), (40, 60)]:
        DailyCount.objects.create(
            town=argentan.town,
            shop=argentan.bakery,
            metric=Metric.SHOP_VIEW,
            day=today - timedelta(days=days_ago),
            count=visits,
        )
    DailyCount.objects.create(town=argentan.town, metric=Metric.SEARCH, day=today, count=1234)
    DailyCount.objects.create(town=argentan.other_town, metric=Metric.SEARCH, day=today, count=777)
    order_for(argentan.bakery, status=OrderStatus.COLLECTED, items_total=Decimal("2345.60"))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_an_elected_official_reads_the_dashboard_at_a_glance(
    new_context: NewContext,
    live_server: Any,
    argentan: Argentan,
    elected: User,
    activity: None,
    lang: str,
    viewport: str,
) -> None:
    page = signed_in(new_context(viewport=VIEWPORTS[viewport]), live_server, elected, lang)
    page.goto("/argentan/tableau-de-bord/")

    searches = page.get_by_role("region", name=translated(lang, "Recherches"), exact=True)
    expect(searches).to_contain_text("1\u00a0234" if lang == "fr" else "1,234")
    sales = page.get_by_role("region", name=translated(lang, "Ventes Click & Collect"))
    expect(sales).to_contain_text("2\u00a0345,60 €" if lang == "fr" else "€2,345.60")
    visits = page.get_by_role(
        "region", name=translated(lang, "Visites des pages des commerces et des produits")
    )
    expect(visits.get_by_role("img")).to_be_visible()
    # 315 visits these four weeks, 60 the four before.
    up = translated(lang, "en hausse de %(percent)s %(compared)s") % {
        "percent": translated(lang, "%(value)s %%") % {"value": "425"},
        "compared": translated(lang, "par rapport aux %(weeks)s semaines précédentes") % {"weeks": 4},
    }
    expect(visits).to_contain_text(up)
    assert "777" not in page.content()
    assert_accessible(page)
    assert_fits(page, VIEWPORTS[viewport]["width"])
    screenshot(page, f"dashboard-{lang}-{viewport}")

    # The chart's figures, opened from the keyboard.
    summary = visits.locator("summary")
    expect(summary).to_contain_text("Figures by week" if lang == "en" else "Chiffres par semaine")
    summary.focus()
    page.keyboard.press("Enter")
    expect(visits.get_by_role("table")).to_be_visible()
    expect(visits.get_by_role("row")).to_have_count(5)  # the header and four weeks
    assert_accessible(page)

    page.get_by_role("link", name=translated(lang, "12 semaines")).click()
    expect(page.get_by_role("link", name=translated(lang, "12 semaines"))).to_have_attribute(
        "aria-current", "page"
    )
    expect(visits.get_by_role("img")).to_be_visible()
    page.get_by_role("link", name=translated(lang, "Cette année")).click()
    expect(page.get_by_role("link", name=translated(lang, "Cette année"))).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)
    assert_fits(page, VIEWPORTS[viewport]["width"])
    screenshot(page, f"dashboard-year-{lang}-{viewport}")
