"""The elected official's dashboard in a browser: figures at a glance with their trend in words, charts drawn
from their tables by the charting script (Chart.js from our own static files, under our CSP), each table one
keyboard press away and shown as is without JavaScript, CSV files and the monthly report downloaded; French
and English, axe-clean, at 1280 and 360 px."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.activity.models import Metric
from centreville.activity.tests.factories import day_count
from centreville.agenda.models import EventKind
from centreville.agenda.tests.factories import EventFactory, OfferFactory
from centreville.core.charts import Category, Chart, Series
from centreville.fulfilment.tests.factories import order_for
from centreville.orders.models import OrderStatus
from centreville.towns.models import Town

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated
from .test_merchant_backoffice import VIEWPORTS

pytestmark = pytest.mark.browser

# Listens before any page script runs (an init script is not subject to the page's CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


# The site's policy without 'unsafe-inline' for styles: what the charts must draw under.
STRICTEST = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"
# The canvas's name (includes/_chart.html): what it shows, and where its figures are.
LABEL = "Graphique : %(title)s. Ses chiffres sont dans le tableau qui suit, sous « Voir les données »."


@pytest.fixture
def elected(argentan: Argentan) -> User:
    user: User = TownRoleFactory.create(town=argentan.town, role=Role.ELECTED).user
    return user


@pytest.fixture
def activity(argentan: Argentan) -> None:
    today = timezone.localdate()
    for days_ago, visits in [(1, 140), (9, 95), (16, 80), (40, 60)]:
        day_count(
            town=argentan.town,
            shop=argentan.bakery,
            metric=Metric.SHOP_VIEW,
            day=today - timedelta(days=days_ago),
            count=visits,
        )
    day_count(town=argentan.town, metric=Metric.SEARCH, day=today, count=1234)
    day_count(town=argentan.other_town, metric=Metric.SEARCH, day=today, count=777)
    order_for(argentan.bakery, status=OrderStatus.COLLECTED, items_total=Decimal("2345.60"))


def watch(page: Page) -> list[str]:
    """Script errors and CSP violations of the page, as they happen."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.add_init_script(CSP_LISTENER)
    return problems


def drawn(page: Page, slug: str) -> dict[str, Any]:
    """What Chart.js drew for the chart `slug`: its type, labels, data and options, and how many pixels."""
    page.locator(f"#graphique-{slug} canvas").wait_for()  # the deferred scripts have run and drawn it
    result: dict[str, Any] = page.evaluate(
        """(slug) => {
            const canvas = document.querySelector(`#graphique-${slug} canvas`);
            const chart = window.Chart.getChart(canvas);
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
            return {
                type: chart.config.type,
                labels: chart.data.labels,
                data: chart.data.datasets.map((set) => set.data),
                spanGaps: chart.data.datasets.map((set) => set.spanGaps),
                dashes: chart.data.datasets.map((set) => set.borderDash || []),
                stacked: !!chart.options.scales.y.stacked,
                indexAxis: chart.options.indexAxis,
                animation: chart.options.animation,
                locale: chart.options.locale,
                legend: chart.options.plugins.legend.display,
                painted: painted,
            };
        }""",
        slug,
    )
    return result


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
    problems = watch(page)
    page.goto("/argentan/tableau-de-bord/")

    searches = page.get_by_role("region", name=translated(lang, "Recherches"), exact=True)
    expect(searches).to_contain_text("1\u00a0234" if lang == "fr" else "1,234")
    sales = page.get_by_role("region", name=translated(lang, "Ventes Click & Collect"))
    expect(sales).to_contain_text("2\u00a0345,60 €" if lang == "fr" else "€2,345.60")
    visits = page.get_by_role(
        "region", name=translated(lang, "Visites des pages des commerces et des produits")
    )
    # 315 visits these four weeks, 60 the four before.
    up = translated(lang, "en hausse de %(percent)s %(compared)s") % {
        "percent": translated(lang, "%(value)s %%") % {"value": "425"},
        "compared": translated(lang, "par rapport aux %(weeks)s semaines précédentes") % {"weeks": 4},
    }
    expect(visits).to_contain_text(up)
    assert "777" not in page.content()

    # The weekly chart is drawn from its table, in the page's language, and its table is folded under it.
    weekly = page.locator("#graphique-visites")
    canvas = weekly.get_by_role("img")
    expect(canvas).to_be_visible()
    label = translated(lang, LABEL) % {"title": translated(lang, "Visites des pages par semaine")}
    expect(canvas).to_have_attribute("aria-label", label)
    chart = drawn(page, "visites")
    assert (chart["type"], chart["stacked"], chart["locale"]) == ("bar", True, lang)
    assert chart["data"] == [[0, 80, 95, 140], [0, 0, 0, 0]]
    assert chart["painted"] > 1000
    table = weekly.get_by_role("table")
    expect(table).to_be_hidden()
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"dashboard-{lang}-{viewport}")

    # The chart's figures, opened from the keyboard.
    summary = weekly.locator("summary")
    expect(summary).to_contain_text("Voir les données" if lang == "fr" else "See the data")
    summary.focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(5)  # the header and four weeks
    expect(table.get_by_role("row").nth(4)).to_contain_text("140")
    assert_accessible(page)

    page.get_by_role("link", name=translated(lang, "12 semaines")).click()
    expect(page.get_by_role("link", name=translated(lang, "12 semaines"))).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("#graphique-visites canvas")).to_be_visible()
    assert len(drawn(page, "visites")["labels"]) == 12
    page.get_by_role("link", name=translated(lang, "Cette année")).click()
    expect(page.get_by_role("link", name=translated(lang, "Cette année"))).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"dashboard-year-{lang}-{viewport}")
    assert problems == []
    assert page.evaluate("window.__cspViolations") == []


def test_lines_differ_by_dashes_and_motion_stops_when_asked(
    new_context: NewContext, live_server: Any, argentan: Argentan, elected: User, activity: None
) -> None:
    page = signed_in(new_context(reduced_motion="reduce"), live_server, elected)
    page.goto("/argentan/tableau-de-bord/")

    lines = drawn(page, "scans-recherches")

    assert lines["type"] == "line"
    assert lines["legend"] is True
    assert lines["spanGaps"] == [False, False, False]
    assert len({json.dumps(dash) for dash in lines["dashes"]}) == 3
    assert lines["animation"] is False
    assert drawn(page, "commandes")["legend"] is False  # one series: no legend to read


def test_each_chart_downloads_its_csv(
    new_context: NewContext,
    live_server: Any,
    argentan: Argentan,
    elected: User,
    activity: None,
    tmp_path: Path,
) -> None:
    page = signed_in(new_context(accept_downloads=True), live_server, elected)
    page.goto("/argentan/tableau-de-bord/?periode=4-semaines")

    link = page.locator("#graphique-visites").get_by_role("link", name="Télécharger les données (CSV)")
    with page.expect_download() as download:
        link.click()

    assert download.value.suggested_filename == "argentan-tableau-de-bord-4-semaines-visites.csv"
    saved = tmp_path / "visites.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Semaine du;Pages de commerces;Pages de produits"
    assert [line.split(";")[1] for line in lines[1:]] == ["0", "80", "95", "140"]


def test_without_javascript_every_table_shows(
    new_context: NewContext, live_server: Any, argentan: Argentan, elected: User, activity: None
) -> None:
    page = signed_in(new_context(java_script_enabled=False), live_server, elected)
    page.goto("/argentan/tableau-de-bord/")

    weekly = page.locator("#graphique-visites")
    expect(weekly.get_by_role("table")).to_be_visible()
    expect(weekly.get_by_role("row")).to_have_count(5)
    expect(page.locator("canvas")).to_have_count(0)
    expect(page.locator("details.chart-data:not([open])")).to_have_count(0)
    expect(weekly.get_by_role("link", name="Télécharger les données (CSV)")).to_be_visible()


def test_pages_without_charts_do_not_load_the_charting_script(
    new_context: NewContext, live_server: Any, argentan: Argentan
) -> None:
    page = new_context().new_page()
    scripts: list[str] = []
    page.on(
        "request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None
    )

    page.goto("/argentan/")

    assert scripts
    assert not [url for url in scripts if "chart" in url]


def test_gaps_stay_gaps_and_an_empty_table_draws_nothing(
    new_context: NewContext, live_server: Any, argentan: Argentan
) -> None:
    # Given a line chart with a gap, and an empty one, in a page of our origin loading the scripts
    months = [Category("2026-01", "janvier"), Category("2026-02", "février"), Category("2026-03", "mars")]
    gaps = Chart(
        "vacance",
        "Taux de vacance",
        "line",
        "Mois",
        months,
        [Series("Centre", [Decimal("12.5"), None, 10], 1)],
        unit="%",
    )
    empty = Chart("vide", "Rien encore", "bar", "Mois", months, [Series("Centre", [None, None, None])])
    with translation.override("fr"):
        request = RequestFactory().get("/")
        body = "".join(
            render_to_string("includes/_chart.html", {"chart": chart}, request=request)
            for chart in (gaps, empty)
        )
        head = render_to_string("includes/_chart_assets.html")
    html = f"<title>Graphiques</title>{head}</head><body><main>{body}</main></body></html>"
    page = new_context().new_page()
    problems = watch(page)
    # served by our origin under a stricter policy than the site's: no inline style at all
    page.route(
        f"{live_server.url}/essai-graphiques/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": STRICTEST},
            body=f'<!DOCTYPE html><html lang="fr"><head>{html}',
        ),
    )
    page.goto("/essai-graphiques/")
    page.wait_for_function("document.querySelector('#graphique-vacance canvas') !== null")

    # Then the gap is drawn as a gap (null, lines not joined over it), never as a zero
    chart = drawn(page, "vacance")
    assert chart["painted"] > 1000
    assert chart["data"] == [[12.5, None, 10]]
    assert chart["spanGaps"] == [False]
    # and the empty chart is its table and its sentence, open, with no canvas
    expect(page.locator("#graphique-vide canvas")).to_have_count(0)
    expect(page.locator("#graphique-vide details")).to_have_attribute("open", "")
    expect(page.locator("#graphique-vide")).to_contain_text("Pas encore de données pour cette période.")
    # and Chart.js sized its canvas through the CSS object model, which even that policy allows
    assert problems == []
    assert page.evaluate("window.__cspViolations") == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_monthly_report_downloads_as_pdf(
    new_context: NewContext, live_server: Any, argentan: Argentan, elected: User, lang: str, tmp_path: Path
) -> None:
    Town.objects.filter(pk=argentan.town.pk).update(created_at=timezone.now() - timedelta(days=100))
    page = signed_in(new_context(accept_downloads=True), live_server, elected, lang)
    page.goto("/argentan/tableau-de-bord/")

    month = page.get_by_label(translated(lang, "Mois"), exact=True)
    value = month.evaluate("(select) => select.options[0].value")  # the last finished month
    with page.expect_download() as download:
        page.get_by_role("button", name=translated(lang, "Télécharger le rapport (PDF)")).click()

    assert download.value.suggested_filename == f"rapport-argentan-{value}-{lang}.pdf"
    saved = tmp_path / "rapport.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name=translated(lang, "Rapports mensuels archivés")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Rapports mensuels"))
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_towns_events_are_marked_and_compared_with_comparable_days(
    new_context: NewContext,
    live_server: Any,
    argentan: Argentan,
    elected: User,
    activity: None,
    lang: str,
) -> None:
    # Given a town event nine days ago (95 visits that day), a shop's offer, and visits a week either side
    Town.objects.filter(pk=argentan.town.pk).update(created_at=timezone.now() - timedelta(days=100))
    today = timezone.localdate()
    event_day = today - timedelta(days=9)
    paris = ZoneInfo("Europe/Paris")
    EventFactory.create(
        town=argentan.town,
        kind=EventKind.FESTIVAL,
        title="Fête de la ville",
        starts_at=datetime.combine(event_day, time(10), tzinfo=paris),
        ends_at=datetime.combine(event_day, time(18), tzinfo=paris),
    )
    OfferFactory.create(
        shop=argentan.bakery,
        title="Dégustation de fromages",
        starts_at=datetime.combine(today - timedelta(days=2), time(10), tzinfo=paris),
    )
    day_count(
        town=argentan.town,
        shop=argentan.bakery,
        metric=Metric.SHOP_VIEW,
        day=today - timedelta(days=2),
        count=20,
    )
    page = signed_in(new_context(), live_server, elected, lang)
    problems = watch(page)

    # When the official reads the dashboard
    page.goto("/argentan/tableau-de-bord/")

    # Then the crossed view draws the differences only; the values and means stay in its table
    view = page.locator("#graphique-jours-evenement")
    expect(view.get_by_role("img")).to_be_visible()
    chart = drawn(page, "jours-evenement")
    assert len(chart["data"]) == 3  # visits, orders, sales (no street counter here)
    assert chart["painted"] > 1000
    summary = view.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    table = view.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name=translated(lang, "Événement"))).to_be_visible()
    expect(table.get_by_role("row").nth(1)).to_contain_text("Fête de la ville")
    expect(view).to_contain_text(translated(lang, "Jours d'événement et jours comparables"))
    # and the weekly visits name the event in their table, never the shop's offer
    visits = page.locator("#graphique-visites")
    visits.locator("summary").click()
    expect(visits.get_by_role("table")).to_contain_text("Fête de la ville")
    assert "Dégustation de fromages" not in page.content()
    assert_accessible(page)
    assert problems == []
    assert page.evaluate("window.__cspViolations") == []
