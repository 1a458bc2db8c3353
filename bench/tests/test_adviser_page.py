"""The adviser page benchmark's parts on a tiny town: its bulk writing (kept when already there), the
signed-in page requests and the last line."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pytest_django.fixtures import Settings

from bench import adviser_page
from centreville.shops.models import Shop
from centreville.support.followup import FollowUpFilter, followup_counts, merchants_followup


@pytest.mark.django_db
def test_a_tiny_town_is_generated_once_and_its_followup_page_timed(settings: Settings) -> None:
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]  # the client asks as the local host

    town, rebuilt = adviser_page.generate(merchants=30, seed=1)
    again, rebuilt_again = adviser_page.generate(merchants=30, seed=1)

    assert (rebuilt, rebuilt_again) == (True, False)
    assert again.pk == town.pk
    assert Shop.objects.filter(town=town).count() == 30
    counts = followup_counts(merchants_followup(town_id=town.pk, at=adviser_page.REFERENCE))
    assert counts[FollowUpFilter.ALL] == 30
    assert 0 < counts[FollowUpFilter.DIAGNOSED] < 30
    assert 0 < counts[FollowUpFilter.TRAINED] < 30
    assert 0 < counts[FollowUpFilter.COACHED] <= 30
    client = adviser_page.signed_in_adviser(town)
    timings = adviser_page.measure(
        client, reverse("support_manage:followup", args=[town.slug]), warmup=1, requests=3
    )
    assert len(timings) == 3
    line = adviser_page.last_line(merchants=30, p95_ms=adviser_page.percentile(timings, 0.95))
    assert line.startswith("bench=adviser_page db=postgresql merchants=30 p95_ms=")
    assert line.endswith(" target_ms=200")
