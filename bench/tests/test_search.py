"""The search benchmark's parts: bulk indexing of the bench towns, the query mix, the percentiles."""

from __future__ import annotations

import pytest

from bench import dataset
from bench.search import ensure_index, measure, percentile, query_mix
from centreville.baskets.tests.factories import NOW
from centreville.search.models import SearchEntry
from centreville.search.selectors import search
from centreville.towns.selectors import space_by_slug


@pytest.mark.django_db
def test_the_query_mix_searches_an_indexed_bench_town(capsys: pytest.CaptureFixture[str]) -> None:
    result = dataset.generate(dataset.Size(towns=2, shops_per_town=30, products_per_shop=12), seed=1)
    town_ids = list(dataset.bench_towns().values_list("pk", flat=True))

    ensure_index(town_ids)
    ensure_index(town_ids)

    assert "search index rebuilt" in capsys.readouterr().out.split("\n")[0]
    assert SearchEntry.objects.filter(town_id__in=town_ids).count() > 2 * 30
    space = space_by_slug(result.first_town_slug)
    assert space is not None
    mix = query_mix(space.town_ids[0], seed=1)
    assert {kind for kind, _ in mix} == {"common", "rare", "accented", "typo", "two_words", "nothing"}
    assert all(
        search(space, query, at=NOW).total for kind, query in mix if kind in ("common", "rare", "accented")
    )
    corrected = [search(space, query, at=NOW).corrected_query for kind, query in mix if kind == "typo"]
    assert any(corrected)
    timings = measure(mix, 2, lambda query: search(space, query, at=NOW))
    assert sum(len(values) for values in timings.values()) == 2 * len(mix)


def test_percentile_takes_the_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.5) == 50.0
    assert percentile([3.0], 0.95) == 3.0
