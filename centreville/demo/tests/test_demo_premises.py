"""The demo town's units and projects: about forty units, about a tenth vacant, every state and project
stage present, histories of several years."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max, Min
from django.utils import timezone

from centreville.demo.services import DemoSummary
from centreville.premises import vacancy
from centreville.premises.models import BusinessProject, CommercialUnit, Occupancy, ProjectStatus
from centreville.premises.selectors import state_counts
from centreville.towns.models import Town

from .conftest import DEMO_AT


def test_the_demo_town_has_units_with_history_and_projects_at_every_stage(demo: DemoSummary) -> None:
    town = Town.objects.get(slug="argentan")
    today = timezone.localdate(DEMO_AT)
    units = CommercialUnit.objects.filter(town=town)
    assert 38 <= units.count() <= 45
    states = state_counts(town)
    assert set(states) == {"occupied", "vacant", "works", "reserved"}
    assert 0.08 <= states["vacant"] / units.count() <= 0.13
    assert Occupancy.objects.filter(town=town, shop__isnull=False, end__isnull=True).count() >= 30
    spans = Occupancy.objects.filter(town=town).values("unit").annotate(first=Min("start"), last=Max("start"))
    assert all(span["first"] <= today - timedelta(days=3 * 365) for span in spans)
    assert set(BusinessProject.objects.filter(town=town).values_list("status", flat=True)) == set(
        ProjectStatus.values
    )
    summary = vacancy.vacancy_summary(town, on=today)
    assert summary.centre.units > 30
    assert summary.centre.rate is not None
    assert summary.centre.without_surface == 1
