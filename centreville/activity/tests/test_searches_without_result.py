"""Searches that found nothing: counted and their words kept per town and day, and nothing about anyone."""

from __future__ import annotations

from datetime import date

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from centreville.activity import services
from centreville.activity.models import DailyCount, Metric, SearchWithoutResult
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("words", "kept"),
    [
        ("  reparation   velo ", "reparation velo"),
        ("jean.dupont@example.fr", ""),
        ("06 12 34 56 78", ""),
        ("0612345678", ""),
        ("boucherie 61200", "boucherie 61200"),
        ("cordonnier " * 12, ("cordonnier " * 9).strip()),  # 108 characters: cut between words
        ("x" * 150, "x" * 100),
    ],
)
def test_the_words_kept_are_short_and_never_look_personal(words: str, kept: str) -> None:
    assert services.search_words_kept(words) == kept


def test_searches_without_result_wait_in_the_buffer_then_add_up(settings: SettingsWrapper) -> None:
    settings.ACTIVITY_FLUSH_EVENTS = 100
    settings.ACTIVITY_FLUSH_SECONDS = 3600
    town, other = TownFactory.create(), TownFactory.create()
    services.flush()

    for words in ["cordonnerie", "cordonnerie", "  ", "", "marie 06 12 34 56 78"]:
        services.record_search_without_result(town_id=town.pk, words=words)
    services.record_search_without_result(town_id=other.pk, words="cordonnerie")
    assert not SearchWithoutResult.objects.exists()
    services.flush()

    # Three searches found nothing in the town (the empty ones are not searches); two sets of words kept
    assert DailyCount.objects.get(town=town, metric=Metric.SEARCH_NO_RESULT).count == 3
    assert list(SearchWithoutResult.objects.filter(town=town).values_list("query", "count")) == [
        ("cordonnerie", 2)
    ]
    assert SearchWithoutResult.objects.get(town=other).count == 1


def test_the_rows_hold_only_a_town_a_day_the_words_and_a_count() -> None:
    fields = {field.name for field in SearchWithoutResult._meta.get_fields()}
    assert fields == {"id", "town", "day", "query", "count"}


def test_writing_twice_the_same_day_adds_to_the_same_row() -> None:
    town = TownFactory.create()
    day = date(2026, 3, 29)  # the day the clocks go forward in Paris

    services.write_searches_without_result({(town.pk, "fleuriste"): 2}, day=day)
    services.write_searches_without_result({(town.pk, "fleuriste"): 1, (town.pk, "primeur"): 1}, day=day)

    assert dict(SearchWithoutResult.objects.values_list("query", "count")) == {"fleuriste": 3, "primeur": 1}
