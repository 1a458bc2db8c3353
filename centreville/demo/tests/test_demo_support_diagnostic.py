"""The demo town's self-diagnostics: several shops at two dates, progress, the town's average."""

from __future__ import annotations

from centreville.demo.services import DemoSummary
from centreville.support.diagnostic import diagnostics_by_shop, town_average
from centreville.support.models import Diagnostic
from centreville.towns.models import Town


def test_the_demo_town_has_diagnostics_at_two_dates_and_an_average(demo: DemoSummary) -> None:
    town = Town.objects.get(slug="argentan")
    summaries = diagnostics_by_shop(town_id=town.pk)
    assert len(summaries) >= 6
    twice = [s for s in summaries.values() if s.count == 2]
    assert len(twice) >= 5
    assert sum(s.score > (s.previous_score or 0) for s in twice) >= 4  # most progress
    assert all(s.previous_score is not None for s in twice)
    assert town_average(town_id=town.pk).overall is not None
    assert Diagnostic.objects.filter(town=town, with_adviser=True).exists()
    assert not Diagnostic.objects.filter(completed_at__isnull=True).exists()
    assert Diagnostic.objects.filter(town=town).exclude(signals={}).exists()  # what the platform saw
