"""The footfall datasets in the national schema « Comptage des mobilités » 0.2.5: sites, channels and daily
totals, the spring clock change's 23-hour day as one measure, incomplete days as gaps, small totals blanked,
only the town's own sites; figures computed by hand from a small hourly file."""

from __future__ import annotations

import csv
import inspect
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from centreville.footfall.models import CountImport, CountingChannel, CountingSite, ImportStatus, MobilityKind
from centreville.footfall.tests.factories import CountingSiteFactory, import_files, source
from centreville.opendata.datasets import footfall
from centreville.opendata.datasets.footfall import (
    COMPTAGE_CHANNEL,
    COMPTAGE_MEASURE,
    COMPTAGE_SITE,
    FOOTFALL_CHANNELS,
    FOOTFALL_MEASURES,
    FOOTFALL_SITES,
    channel_records,
    day_bounds,
    measure_records,
    site_records,
)
from centreville.opendata.tableschema import validate_csv
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 4, 2, 8, 0, tzinfo=UTC)  # every day of the file is over
CHANGED = datetime(2026, 3, 31, 6, 0, tzinfo=UTC)


def hourly_file(header: str = "Date;Entrée;Sortie") -> str:
    """Entrée counts 10 an hour, Sortie 0 (three passers-by on the 29th): all of the 28th (24 hours), all of
    the 29th (23 hours: 02:00 does not exist), and the 30th until 09:00 only (10 hours of 24)."""
    lines = [header]
    lines += [f"28/03/2026 {hour:02d}:00;10;0" for hour in range(24)]
    lines += [f"29/03/2026 {hour:02d}:00;10;{int(hour in (0, 12, 18))}" for hour in range(24) if hour != 2]
    lines += [f"30/03/2026 {hour:02d}:00;10;0" for hour in range(10)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def argentan() -> Town:
    town: Town = TownFactory.create(name="Argentan", slug="argentan", insee_code="61006")
    return town


@pytest.fixture
def grande_rue(argentan: Town) -> CountingSite:
    """A site with a position and the file's counts, its channels' `updated_at` fixed; beside it, what is
    never published: a site without a position (its counts too), one without counts, another town's."""
    site: CountingSite = CountingSiteFactory.create(
        town=argentan,
        name="Grande Rue",
        external_id="GR-01",
        latitude=Decimal("48.744500"),
        longitude=Decimal("-0.020300"),
    )
    import_files(argentan, source("grande-rue.csv", hourly_file()), site=site)
    # A new site named after the file, without a position.
    import_files(argentan, source("sans_position.csv", hourly_file("Date;Nord;Sud")))
    CountingSiteFactory.create(town=argentan, name="Place sans compteur", latitude=48, longitude=0)
    alencon = TownFactory.create(name="Alençon", slug="alencon", insee_code="61001")
    elsewhere = CountingSiteFactory.create(town=alencon, name="Rue aux Sieurs", latitude=48, longitude=0)
    import_files(alencon, source("alencon.csv", hourly_file()), site=elsewhere)
    CountingSite.objects.update(updated_at=CHANGED)
    CountingChannel.objects.update(updated_at=CHANGED)
    return site


def channel(site: CountingSite, name: str) -> CountingChannel:
    found: CountingChannel = site.channels.get(name=name)
    return found


def test_the_schemas_are_our_copies_of_comptage_mobilites_0_2_5() -> None:
    for dataset, schema, part in (
        (FOOTFALL_SITES, COMPTAGE_SITE, "site"),
        (FOOTFALL_CHANNELS, COMPTAGE_CHANNEL, "channel"),
        (FOOTFALL_MEASURES, COMPTAGE_MEASURE, "measure"),
    ):
        assert dataset.schema is schema
        assert (schema.name, schema.version) == (f"schema-comptage-mobilites-{part}", "0.2.5")
        assert schema.page == (
            f"https://schema.data.gouv.fr/etalab/schema-comptage-mobilites-{part}/0.2.5/documentation.html"
        )
    assert [spec.name for spec in FOOTFALL_MEASURES.fields] == [
        "channel_id",
        "counter_id",
        "start_datetime",
        "end_datetime",
        "count",
    ]
    assert (FOOTFALL_SITES.geometry is not None, FOOTFALL_CHANNELS.geometry, FOOTFALL_MEASURES.geometry) == (
        True,
        None,
        None,
    )
    assert FOOTFALL_MEASURES.suppresses_small_counts


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2026, 3, 28), "2026-03-28T00:00:00+01:00", "2026-03-29T00:00:00+01:00"),
        (date(2026, 3, 29), "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"),  # 23 hours
        (date(2026, 7, 14), "2026-07-14T00:00:00+02:00", "2026-07-15T00:00:00+02:00"),
        (date(2026, 10, 25), "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"),  # 25 hours
    ],
)
def test_a_day_runs_from_local_midnight_to_midnight_with_its_offsets(day: date, start: str, end: str) -> None:
    assert day_bounds(day, PARIS) == (start, end)


def test_the_only_site_published_is_the_towns_one_with_counts_and_a_position(
    argentan: Town, grande_rue: CountingSite
) -> None:
    assert list(site_records(argentan, at=AT)) == [
        {
            "site_id": f"61006-site-{grande_rue.pk}",
            "site_name": "Grande Rue",
            "fr_insee_code": "61006",
            "xlong": Decimal("-0.020300"),
            "ylat": Decimal("48.744500"),
        }
    ]


def test_each_channel_of_the_site_from_its_first_day(argentan: Town, grande_rue: CountingSite) -> None:
    entree, sortie = channel(grande_rue, "Entrée"), channel(grande_rue, "Sortie")
    CountingChannel.objects.filter(pk=entree.pk).update(direction="IN", external_id="GR-01-IN")
    CountingChannel.objects.filter(pk=sortie.pk).update(
        direction="sw", kind=MobilityKind.BIKE, ended_at=datetime(2026, 3, 30, 22, 0, tzinfo=UTC)
    )

    first, second = channel_records(argentan, at=AT)

    assert first == {
        "channel_id": f"61006-canal-{entree.pk}",
        "channel_provider_id": "GR-01-IN",
        "site_provider_id": "GR-01",
        "site_id": f"61006-site-{grande_rue.pk}",
        "mobility_type": "PEDESTRIAN",
        "provider_direction_code": "IN",
        "provider_direction_name": "Entrée",
        "data_provider_name": "Argentan",
        "started_at": datetime(2026, 3, 28, tzinfo=PARIS),  # written 2026-03-27T23:00:00Z
        "ended_at": None,
        "last_updated_at": CHANGED,
        "time_step": 86_400,
        "provider_portal_url": "http://testserver/argentan/donnees-ouvertes/",
    }
    assert (
        second["channel_id"],
        second["channel_provider_id"],
        second["mobility_type"],
        second["direction"],
        second["ended_at"],
    ) == (
        f"61006-canal-{sortie.pk}",
        None,
        "BIKE",
        "SW",
        datetime(2026, 3, 30, 22, 0, tzinfo=UTC),
    )
    assert "provider_direction_code" not in second


def test_daily_totals_the_23_hour_day_one_measure_an_incomplete_day_a_gap_a_small_total_blanked(
    argentan: Town, grande_rue: CountingSite
) -> None:
    entree, sortie = channel(grande_rue, "Entrée"), channel(grande_rue, "Sortie")
    e, s = f"61006-canal-{entree.pk}", f"61006-canal-{sortie.pk}"

    records = list(measure_records(argentan, at=AT))

    assert [list(record) for record in records] == [
        ["channel_id", "start_datetime", "end_datetime", "count"]
    ] * 6
    assert [tuple(record.values()) for record in records] == [
        (e, "2026-03-28T00:00:00+01:00", "2026-03-29T00:00:00+01:00", 240),
        (e, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 230),  # 23 hours, one measure
        (e, "2026-03-30T00:00:00+02:00", "2026-03-31T00:00:00+02:00", None),  # 10 hours of 24: a gap, not 100
        (s, "2026-03-28T00:00:00+01:00", "2026-03-29T00:00:00+01:00", 0),
        (s, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", None),  # three passers-by: blanked
        (s, "2026-03-30T00:00:00+02:00", "2026-03-31T00:00:00+02:00", None),
    ]


def test_a_day_is_published_once_it_is_over(argentan: Town, grande_rue: CountingSite) -> None:
    during_the_30th = datetime(2026, 3, 30, 20, 0, tzinfo=UTC)  # 22:00 in Paris

    starts = {record["start_datetime"] for record in measure_records(argentan, at=during_the_30th)}

    assert starts == {"2026-03-28T00:00:00+01:00", "2026-03-29T00:00:00+01:00"}
    assert FOOTFALL_MEASURES.summary(argentan, at=during_the_30th).records == 4


def test_measures_are_read_lazily_and_blanked_batch_by_batch_alike(
    argentan: Town, grande_rue: CountingSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = list(measure_records(argentan, at=AT))
    monkeypatch.setattr(footfall, "BATCH", 4)

    assert inspect.isgenerator(measure_records(argentan, at=AT))
    assert list(measure_records(argentan, at=AT)) == whole


def test_summaries_in_two_queries_each_dated_by_the_last_import(
    argentan: Town, grande_rue: CountingSite, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for dataset, records in ((FOOTFALL_SITES, 1), (FOOTFALL_CHANNELS, 2), (FOOTFALL_MEASURES, 6)):
        with django_assert_num_queries(2):
            summary = dataset.summary(argentan, at=AT)
        assert (summary.records, summary.updated_at) == (records, CHANGED)

    imported = datetime(2026, 4, 1, 5, 0, tzinfo=UTC)
    CountImport.objects.create(town=argentan, status=ImportStatus.DONE, finished_at=imported)
    CountImport.objects.create(
        town=argentan, status=ImportStatus.FAILED, finished_at=datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    )
    for dataset in (FOOTFALL_SITES, FOOTFALL_CHANNELS, FOOTFALL_MEASURES):
        assert dataset.summary(argentan, at=AT).updated_at == imported


def test_a_town_without_counts_publishes_empty_files(argentan: Town) -> None:
    CountingSiteFactory.create(town=argentan, latitude=48, longitude=0)

    for dataset in (FOOTFALL_SITES, FOOTFALL_CHANNELS, FOOTFALL_MEASURES):
        assert list(dataset.records(argentan, at=AT)) == []
        assert dataset.summary(argentan, at=AT).records == 0


def download(client: Client, slug: str, file_format: str = "csv") -> str:
    response = client.get(reverse("opendata:download", args=["argentan", slug, file_format]))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_three_files_follow_their_schemas_and_link_up(client: Client, grande_rue: CountingSite) -> None:
    files: dict[str, str] = {}
    for dataset in (FOOTFALL_SITES, FOOTFALL_CHANNELS, FOOTFALL_MEASURES):
        schema: dict[str, Any] = json.loads(
            client.get(reverse("opendata:table_schema", args=["argentan", dataset.slug])).content
        )
        assert dataset.schema is not None
        assert schema["name"] == dataset.schema.name
        files[dataset.slug] = download(client, dataset.slug)
        assert validate_csv(files[dataset.slug], schema) == []

    sites, channels, measures = (rows(files[slug]) for slug in files)
    assert {row["site_id"] for row in channels} == {row["site_id"] for row in sites}
    assert {row["channel_id"] for row in measures} == {row["channel_id"] for row in channels}
    entree = channel(grande_rue, "Entrée")
    assert (
        f"61006-canal-{entree.pk},,2026-03-29T00:00:00+01:00,2026-03-30T00:00:00+02:00,230\r\n"
        in (files["comptage-totaux-par-jour"])
    )
    assert (
        f"61006-canal-{entree.pk},,2026-03-30T00:00:00+02:00,2026-03-31T00:00:00+02:00,\r\n"
        in (files["comptage-totaux-par-jour"])
    )
    assert [row["started_at"] for row in channels] == ["2026-03-27T23:00:00Z"] * 2
    assert [row["time_step"] for row in channels] == ["86400"] * 2
    assert sites[0]["xlong"] == "-0.020300"
    unplaced = CountingSite.objects.get(name="Sans position")
    assert unplaced.latitude is None
    assert unplaced.channels.filter(days__isnull=False).exists()
    for left_out in ("Alençon", "Sans position", "Place sans compteur", f"-site-{unplaced.pk},"):
        assert left_out not in "".join(files.values())


def test_the_sites_on_a_map(client: Client, grande_rue: CountingSite) -> None:
    collection = json.loads(download(client, FOOTFALL_SITES.slug, "geojson"))

    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-0.0203, 48.7445]}
    assert feature["properties"]["site_id"] == f"61006-site-{grande_rue.pk}"
    assert feature["properties"]["site_name"] == "Grande Rue"
    for dataset in (FOOTFALL_CHANNELS, FOOTFALL_MEASURES):
        url = reverse("opendata:download", args=["argentan", dataset.slug, "geojson"])
        assert client.get(url).status_code == 404


def test_the_page_describes_the_daily_totals_and_their_gaps(client: Client, grande_rue: CountingSite) -> None:
    page = client.get(reverse("opendata:datasets", args=["argentan"])).content.decode()

    assert '<h2 id="jeu-comptage-totaux-par-jour">Fréquentation jour par jour</h2>' in page
    assert "plus de 4 heures sans comptage" in page
    assert (
        'href="https://schema.data.gouv.fr/etalab/schema-comptage-mobilites-measure/0.2.5/documentation.html"'
        in page
    )
