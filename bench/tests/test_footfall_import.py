"""The footfall import benchmark's parts on a tiny scale: the vendor files it writes, read back in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.footfall_import import parse_args, run_import, vendor_files
from centreville.footfall.models import CountingChannel, DailyCount
from centreville.towns.tests.factories import TownFactory


@pytest.mark.django_db
def test_the_vendor_files_import_whole(tmp_path: Path) -> None:
    town = TownFactory.create(slug="banc-essai")
    paths = vendor_files(tmp_path, counters=8, days=3, per_file=2, seed=1)

    summary, seconds = run_import(town.slug, paths)

    # 8 counters × 3 days × 24 hours, in the four styles of vendor files.
    assert summary.startswith("counts rows=576 imported=576 updated=0 unchanged=0 rejected=0 channels=8 ")
    assert "first=2019-01-01T00:00:00+01:00 last=2019-01-03T23:00:00+01:00" in summary
    assert seconds > 0
    assert CountingChannel.objects.filter(site__town=town).count() == 8
    assert DailyCount.objects.filter(channel__site__town=town, hours_with_data=24).count() == 24
    assert [path.name for path in paths] == [f"compteurs-0{n}.csv" for n in range(1, 5)]
    assert paths[0].read_bytes().startswith(b"\xef\xbb\xbfDate;Compteur 01;Compteur 02\r\n01/01/2019 00:00;")
    assert paths[1].read_text().splitlines()[1].startswith("2019-01-01 00:00:00,")
    assert paths[3].read_text().splitlines()[2].startswith('"Jan 1, 2019 1:00 AM",')


def test_the_defaults_are_876000_counts() -> None:
    args = parse_args([])

    assert args.counters * args.years * 365 * 24 == 876_000
    assert args.db == "postgresql"
