"""The privacy page: found from any page's footer, it states the periods the operator set; axe-clean."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from centreville.accounts.retention import retention_rules

from .helpers import assert_accessible, translated

pytestmark = pytest.mark.browser


def test_the_privacy_page_from_the_footer_states_the_operators_periods(
    lang_page: Page, lang: str, settings: Any
) -> None:
    settings.PERSONAL_DATA_RETENTION_MONTHS = 18
    settings.ABANDONED_BASKET_RETENTION_DAYS = 21
    page = lang_page
    page.goto("/")

    page.get_by_role("contentinfo").get_by_role("link", name=translated(lang, "Données personnelles")).click()

    expect(page).to_have_url(re.compile(r"/confidentialite/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Données personnelles"))
    table = page.get_by_role("table", name=translated(lang, "Durées de conservation"))
    with translation.override(lang):
        expected = [rule.period() for rule in retention_rules()]
    expect(table.locator("tbody td")).to_have_text([str(period) for period in expected])
    expect(table.locator("tbody td").first).to_contain_text("18")
    baskets = [rule.key for rule in retention_rules()].index("baskets")
    expect(table.locator("tbody td").nth(baskets)).to_contain_text("21")
    assert_accessible(page)
