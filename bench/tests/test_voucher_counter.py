"""The counter benchmark's parts on a tiny programme: its writing (kept when already there), a measured GET
and spend of the counter, and the last line."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from bench import voucher_counter
from centreville.vouchers.models import Movement, MovementKind, Voucher


@pytest.mark.django_db
def test_a_tiny_programme_is_generated_once_and_its_counter_timed(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]  # the client asks as the local host
    monkeypatch.setattr(timezone, "now", lambda: voucher_counter.REFERENCE)

    shop, programme, rebuilt = voucher_counter.generate(vouchers=12, history=4)
    again, _programme, rebuilt_again = voucher_counter.generate(vouchers=12, history=4)

    assert (rebuilt, rebuilt_again) == (True, False)
    assert again.pk == shop.pk
    assert Voucher.objects.filter(programme=programme).count() == 12
    assert Movement.objects.filter(shop=shop, kind=MovementKind.SPEND).count() == 4
    codes = voucher_counter.spare_codes(programme, 3)
    client = voucher_counter.signed_in_merchant()
    path = reverse("vouchers_merchant:counter", args=[voucher_counter.TOWN_SLUG, shop.slug])
    timings = [voucher_counter.counter_round(client, path, code) for code in codes]
    assert len(timings) == 3
    assert Movement.objects.filter(shop=shop, kind=MovementKind.SPEND).count() == 7
    line = voucher_counter.last_line(requests=6, get_p95=1.0, post_p95=2.0, p95_ms=2.0)
    assert line.startswith("bench=voucher_counter db=postgresql requests=6 get_p95_ms=1.0 post_p95_ms=2.0 ")
    assert line.endswith(" p95_ms=2.0 target_ms=100")
