"""The observatory benchmark on a tiny town: its data, and each page it times answering in full."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from bench import dashboard


def test_arguments_refuse_too_few_days() -> None:
    assert dashboard.parse_args([]).days == 730
    with pytest.raises(SystemExit):
        dashboard.parse_args(["--days", "10"])


@pytest.mark.django_db
def test_a_tiny_town_is_built_and_its_pages_timed() -> None:
    town, elected, rows = dashboard.build(3, 60, today=timezone.localdate(), at=timezone.now())
    imported = dashboard.build_town_centre(
        town, counters=2, footfall_years=1, units=30, unit_years=2, today=timezone.localdate()
    )
    client = Client()
    client.force_login(elected)

    timings = dashboard.timed(client.get, f"/{town.slug}/tableau-de-bord/activite/?periode=annee", 2)
    page = client.get(f"/{town.slug}/tableau-de-bord/?periode=annee").content.decode()

    assert rows > 3 * 30
    assert imported == 2 * 365 * 24
    assert 'id="vacance"' in page
    assert 'id="passages"' in page
    assert len(timings) == 2
    assert all(milliseconds > 0 for milliseconds in timings)
