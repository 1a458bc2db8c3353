"""The observatory's pages over HTTP: the dashboard, its CSV files, the monthly reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.activity.models import Metric
from centreville.activity.tests.factories import day_count
from centreville.observatory.models import MonthlyReport
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_dashboard_counts_only_its_own_town(client: Client) -> None:
    town, other = TownFactory.create(), TownFactory.create()
    elected = TownRoleFactory.create(town=town, role=Role.ELECTED).user
    ShopFactory.create_batch(3, town=town)
    ShopFactory.create_batch(5, town=other)
    client.force_login(elected)

    figures = client.get(reverse("observatory:dashboard", args=[town.slug])).context["figures"]

    assert figures.published_shops == 3


# --- Charts' CSV and the monthly reports ---------------------------------------------------------------

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 4, 15, 10, 0, tzinfo=PARIS)


@pytest.fixture
def manager(client: Client, page_clock: Callable[[datetime], None]) -> Town:
    """Argentan (on the platform since June 2025), its town manager signed in, on 15 April 2026."""
    page_clock(NOW)
    town = TownFactory.create(name="Argentan", slug="argentan")
    Town.objects.filter(pk=town.pk).update(created_at=datetime(2025, 6, 10, tzinfo=PARIS))
    town.refresh_from_db()
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    return town


def test_each_chart_of_the_dashboard_downloads_as_csv(client: Client, manager: Town) -> None:
    day_count(town=manager, metric=Metric.QR_SCAN, day=date(2026, 4, 14), count=3)

    response = client.get("/argentan/tableau-de-bord/?periode=4-semaines&csv=scans-recherches")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="argentan-tableau-de-bord-4-semaines-scans-recherches.csv"'
    )
    lines = response.content.decode().splitlines()
    assert lines[0] == "\ufeffSemaine du;Scans des QR codes;Recherches;Recherches sans résultat"
    # Four weeks ending on 15 April: from 19 March
    assert lines[1:] == ["2026-03-19;0;0;0", "2026-03-26;0;0;0", "2026-04-02;0;0;0", "2026-04-09;3;0;0"]
    assert client.get("/argentan/tableau-de-bord/?csv=inconnu").status_code == 404


def test_the_dashboard_offers_the_finished_months_reports(client: Client, manager: Town) -> None:
    html = client.get("/argentan/tableau-de-bord/").content.decode()

    assert 'action="/argentan/tableau-de-bord/rapports/nouveau/"' in html
    assert '<option value="2026-03">mars 2026</option>' in html
    assert '<option value="2025-06">juin 2025</option>' in html
    assert "2026-04" not in html.split('name="mois"')[1].split("</select>")[0]  # April is not over
    assert "2025-05" not in html  # before the town joined
    assert 'href="/argentan/tableau-de-bord/activite/"' in html


def test_a_finished_month_is_made_on_demand_in_the_pages_language(client: Client, manager: Town) -> None:
    response = client.get(
        "/argentan/tableau-de-bord/rapports/nouveau/", {"mois": "2026-03"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    client.cookies["django_language"] = "en"
    english = client.get("/argentan/tableau-de-bord/rapports/nouveau/", {"mois": "2026-03"})

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rapport-argentan-2026-03-fr.pdf"'
    assert "Argentan — mars 2026" in pdf_text(response.content)
    assert english["Content-Disposition"] == 'attachment; filename="rapport-argentan-2026-03-en.pdf"'
    assert "Argentan — March 2026" in pdf_text(english.content)
    assert not MonthlyReport.objects.exists()  # made for the asker, not kept


@pytest.mark.parametrize("month", ["2026-04", "2025-05", "avril", ""])
def test_a_month_not_offered_gets_a_french_error(client: Client, manager: Town, month: str) -> None:
    response = client.get("/argentan/tableau-de-bord/rapports/nouveau/", {"mois": month})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez un mois" in html
    assert 'role="alert"' in html


def test_the_kept_reports_are_listed_and_downloaded_by_their_town_only(client: Client, manager: Town) -> None:
    report = MonthlyReport.objects.create(
        town=manager,
        month=date(2026, 3, 1),
        pdf=b"%PDF-1.4 mars",
        pages=4,
        size=13,
        generated_at=datetime(2026, 4, 1, 6, tzinfo=PARIS),
    )
    other = TownFactory.create(slug="alencon")
    MonthlyReport.objects.create(
        town=other, month=date(2026, 2, 1), pdf=b"%PDF-1.4 autre", pages=1, size=14, generated_at=NOW
    )

    html = client.get("/argentan/tableau-de-bord/rapports/").content.decode()
    pdf = client.get("/argentan/tableau-de-bord/rapports/2026-03.pdf")

    assert '<th scope="row">Mars 2026</th>' in html
    assert "1 avril 2026, 08:00" not in html  # generated at 06:00 Paris time
    assert "1 avril 2026, 06:00" in html
    assert 'href="/argentan/tableau-de-bord/rapports/2026-03.pdf"' in html
    assert "février 2026" not in html.split("<tbody>")[1].split("</tbody>")[0]
    assert pdf.content == bytes(report.pdf)
    assert pdf["Content-Disposition"] == 'attachment; filename="rapport-argentan-2026-03.pdf"'
    assert client.get("/argentan/tableau-de-bord/rapports/2026-02.pdf").status_code == 404  # Alençon's
    assert client.get("/argentan/tableau-de-bord/rapports/2026-13.pdf").status_code == 404


def test_a_merchant_cannot_reach_the_reports(client: Client) -> None:
    shop = ShopFactory.create(town=TownFactory.create(slug="argentan"))
    client.force_login(ShopMembershipFactory.create(shop=shop).user)

    assert client.get("/argentan/tableau-de-bord/rapports/").status_code == 403
    assert client.get("/argentan/tableau-de-bord/rapports/nouveau/", {"mois": "2026-03"}).status_code == 403
