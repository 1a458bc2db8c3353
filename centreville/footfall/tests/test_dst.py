"""The days the clocks change in Europe/Paris: 23 hours in March, 25 in October, each counted once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from centreville.footfall.models import CountingChannel, DailyCount, Measure, MonthlyCount
from centreville.towns.tests.factories import TownFactory

from .factories import import_files, source

pytestmark = pytest.mark.django_db


def test_the_spring_day_has_23_hours_and_an_empty_0200_row_is_no_error() -> None:
    town = TownFactory.create()

    report = import_files(town, source("spring_fr_bom.csv"))

    entree = CountingChannel.objects.get(site__town=town, name="Entrée")
    sortie = CountingChannel.objects.get(site__town=town, name="Sortie")
    assert entree.site.name == "Spring fr bom"
    day = DailyCount.objects.get(channel=entree, day=date(2023, 3, 26))
    assert (day.total, day.hours_with_data, day.hours_expected, day.is_complete) == (230, 23, 23, True)
    day = DailyCount.objects.get(channel=sortie, day=date(2023, 3, 26))
    assert (day.total, day.hours_with_data, day.hours_expected) == (274, 23, 23)  # 0+1+3+4+…+23
    next_day = DailyCount.objects.get(channel=sortie, day=date(2023, 3, 27))
    assert (next_day.total, next_day.hours_with_data, next_day.hours_expected, next_day.is_complete) == (
        5,
        1,
        24,
        False,
    )
    # 01:00 is 00:00 UTC (winter), 03:00 is 01:00 UTC (summer): no hour between them.
    starts = list(
        Measure.objects.filter(channel=entree).order_by("start").values_list("start", flat=True)[:3]
    )
    assert starts == [
        datetime(2023, 3, 25, 23, tzinfo=UTC),
        datetime(2023, 3, 26, 0, tzinfo=UTC),
        datetime(2023, 3, 26, 1, tzinfo=UTC),
    ]
    assert report.rejected == 0
    assert (report.rows, report.imported, report.channels, report.total) == (48, 48, 2, 230 + 274 + 10 + 5)
    month = MonthlyCount.objects.get(channel=sortie, month=date(2023, 3, 1))
    assert (month.total, month.days_with_data, month.days_complete) == (279, 2, 1)


def test_the_autumn_day_has_25_hours_the_repeated_hour_summer_then_winter() -> None:
    town = TownFactory.create()

    report = import_files(town, source("autumn_iso_cp1252.csv"))

    entree = CountingChannel.objects.get(site__town=town, name="Entrée")
    sortie = CountingChannel.objects.get(site__town=town, name="Sortie")
    day = DailyCount.objects.get(channel=entree, day=date(2023, 10, 29))
    assert (day.total, day.hours_with_data, day.hours_expected, day.is_complete) == (250, 25, 25, True)
    day = DailyCount.objects.get(channel=sortie, day=date(2023, 10, 29))
    assert (day.total, day.hours_with_data, day.hours_expected) == (300, 25, 25)  # 0+1+…+24
    # The first 02:00 is summer time (00:00 UTC), the second winter time (01:00 UTC).
    repeated = dict(
        Measure.objects.filter(
            channel=sortie,
            start__in=[datetime(2023, 10, 29, 0, tzinfo=UTC), datetime(2023, 10, 29, 1, tzinfo=UTC)],
        ).values_list("start", "count")
    )
    assert repeated == {datetime(2023, 10, 29, 0, tzinfo=UTC): 2, datetime(2023, 10, 29, 1, tzinfo=UTC): 3}
    # A third 02:00 is a duplicate, reported with its line number and not imported.
    assert report.reasons == {"duplicate": 1}
    assert report.rejections == [
        {
            "file": "autumn_iso_cp1252.csv",
            "line": 7,
            "reason": "duplicate",
            "channel": "",
            "value": "2023-10-29 02:00",
        }
    ]
    assert (report.rows, report.imported, report.rejected) == (52, 50, 2)
    assert report.files[0]["encoding"] == "Windows-1252"
