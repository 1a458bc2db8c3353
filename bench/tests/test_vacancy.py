"""The vacancy benchmark's parts on a tiny town: the plan, its bulk writing (kept when already there), the
signed-in page requests and the last line."""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings
from django.urls import reverse
from pytest_django.fixtures import Settings

from bench import vacancy
from centreville.premises.models import CommercialUnit, Occupancy


def test_the_plan_is_a_whole_history_ending_open() -> None:
    planned = vacancy.plan(units=20, years=3, seed=1)

    assert planned == vacancy.plan(units=20, years=3, seed=1)
    for unit in planned:
        periods = unit.periods
        assert periods[-1][2] is None
        assert all(a[2] is not None and (a[2] - b[1]).days == -1 for a, b in itertools.pairwise(periods))
        assert all(start <= vacancy.REFERENCE for _state, start, _end in periods)


@pytest.mark.django_db
def test_a_tiny_town_is_generated_once_and_its_vacancy_page_timed(settings_overrides: None) -> None:
    town, periods, rebuilt = vacancy.generate(units=12, years=2, seed=1)
    again, same_periods, rebuilt_again = vacancy.generate(units=12, years=2, seed=1)

    assert (rebuilt, rebuilt_again) == (True, False)
    assert again.pk == town.pk
    assert periods == same_periods == Occupancy.objects.filter(town=town).count()
    assert CommercialUnit.objects.filter(town=town).count() == 12
    client = vacancy.signed_in_manager(town)
    path = reverse("premises:vacancy", args=[town.slug]) + f"?date={vacancy.REFERENCE.isoformat()}"
    timings = vacancy.measure(client, path, warmup=1, requests=3)
    assert len(timings) == 3
    line = vacancy.last_line(db="sqlite", units=12, years=2, p95_ms=vacancy.percentile(timings, 0.95))
    assert line.startswith("bench=vacancy db=sqlite units=12 years=2 p95_ms=")
    assert line.endswith(" target_ms=200")


@pytest.fixture
def settings_overrides(settings: Settings) -> None:
    # The client asks as 127.0.0.1, as the benchmark does under the local settings.
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]


def test_percentile_takes_the_nearest_rank() -> None:
    assert vacancy.percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
    assert settings.ROOT_URLCONF
