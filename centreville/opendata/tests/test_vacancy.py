"""The vacancy datasets: per street with small streets grouped and small counts blanked, month by month;
figures computed by hand; no owner ever published."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from centreville.opendata import tableschema
from centreville.opendata.datasets.vacancy import (
    VACANCY_BY_MONTH,
    VACANCY_BY_STREET,
    month_records,
    street_records,
)
from centreville.premises.models import UnitState
from centreville.premises.tests.factories import unit_with_history
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 29, 10, 0, tzinfo=UTC)  # the spring clock change, in Paris: Sunday 29 March
SINCE = date(2025, 1, 1)
VACANT, WORKS, OCCUPIED = UnitState.VACANT, UnitState.WORKS, UnitState.OCCUPIED


@pytest.fixture
def argentan() -> Town:
    town: Town = TownFactory.create(name="Argentan", slug="argentan", insee_code="61006")
    return town


def _units(town: Town, street: str, states: list[str], **fields: object) -> None:
    for state in states:
        unit_with_history(
            town,
            [(state, SINCE, None)],
            street=street,
            latitude=Decimal("48.744000"),
            longitude=Decimal("-0.020000"),
            owner_name="Propriétaire Privé",
            **fields,
        )


def _streets(town: Town) -> list[dict]:
    return [dict(record) for record in street_records(town, at=AT)]


def test_each_street_then_the_small_ones_grouped_then_the_whole_town(argentan: Town) -> None:
    _units(argentan, "rue de la République", [VACANT, VACANT, WORKS, OCCUPIED, OCCUPIED, OCCUPIED])
    _units(argentan, "Grande Rue", [VACANT, OCCUPIED, OCCUPIED, OCCUPIED, OCCUPIED])
    _units(argentan, "rue du Pont", [VACANT, OCCUPIED])
    _units(argentan, "place du Marché", [VACANT, OCCUPIED, OCCUPIED])
    unit_with_history(argentan, [(VACANT, date(2026, 3, 30), None)], street="Grande Rue")  # not yet

    rows = [
        (
            row["street"],
            row["units"],
            row["vacant"],
            row["in_transition"],
            row["occupied"],
            row["vacancy_rate"],
        )
        for row in _streets(argentan)
    ]

    assert rows == [
        ("Grande Rue", 5, 1, 0, 4, Decimal("20.0")),
        ("rue de la République", 6, 2, 1, 3, Decimal("33.3")),
        ("Autres rues", 5, 2, 0, 3, Decimal("40.0")),
        ("*", 16, 5, 1, 10, Decimal("31.3")),  # 5 / 16 = 31.25 %
    ]


def test_a_group_still_too_small_is_blanked_with_a_cell_the_total_would_give_it_away_by(
    argentan: Town,
) -> None:
    _units(argentan, "rue de la République", [VACANT, VACANT, WORKS, OCCUPIED, OCCUPIED, OCCUPIED])
    _units(argentan, "Grande Rue", [VACANT, OCCUPIED, OCCUPIED, OCCUPIED, OCCUPIED])
    _units(argentan, "rue du Pont", [VACANT, OCCUPIED])

    rows = {row["street"]: row for row in _streets(argentan)}

    assert rows["Autres rues"]["units"] is None
    assert rows["Autres rues"]["vacant"] is None
    assert rows["Autres rues"]["vacancy_rate"] is None
    # 13 units in all: without a second blank, the group's 2 would be 13 - 6 - 5.
    assert rows["Grande Rue"]["units"] is None
    assert rows["Grande Rue"]["vacant"] is None
    assert (rows["rue de la République"]["units"], rows["*"]["units"], rows["*"]["vacant"]) == (6, 13, 4)


def test_a_street_is_placed_in_the_middle_of_its_units_and_no_owner_is_published(argentan: Town) -> None:
    for latitude in ("48.744000", "48.746000", "48.745000", "48.745000", "48.745000"):
        unit_with_history(
            argentan,
            [(OCCUPIED, SINCE, None)],
            street="Grande Rue",
            latitude=Decimal(latitude),
            longitude=Decimal("-0.021000"),
            owner_name="Propriétaire Privé",
            owner_email="proprietaire@example.fr",
        )

    grande_rue, town_row = _streets(argentan)

    assert (grande_rue["latitude"], grande_rue["longitude"]) == (Decimal("48.745000"), Decimal("-0.021000"))
    assert (town_row["latitude"], town_row["longitude"]) == (None, None)
    assert "Propriétaire" not in repr(_streets(argentan))
    assert [spec.name for spec in VACANCY_BY_STREET.fields if "owner" in spec.name] == []


def test_month_by_month_for_the_centre_and_the_whole_town(argentan: Town) -> None:
    for state in (VACANT, OCCUPIED, OCCUPIED, OCCUPIED, OCCUPIED):
        unit_with_history(argentan, [(state, date(2026, 1, 15), None)], in_centre=True)
    unit_with_history(
        argentan,
        [(OCCUPIED, date(2026, 1, 15), date(2026, 2, 28)), (VACANT, date(2026, 3, 1), None)],
        in_centre=True,
    )
    unit_with_history(argentan, [(VACANT, date(2026, 1, 15), None)], in_centre=False, street="route de Paris")

    rows = [
        (row["month"], row["on"], row["scope"], row["units"], row["vacant"], row["vacancy_rate"])
        for row in month_records(argentan, at=AT)
    ]

    assert rows == [
        ("2026-01", date(2026, 1, 31), "centre", 6, 1, Decimal("16.7")),
        ("2026-01", date(2026, 1, 31), "commune", 7, 2, Decimal("28.6")),
        ("2026-02", date(2026, 2, 28), "centre", 6, 1, Decimal("16.7")),
        ("2026-02", date(2026, 2, 28), "commune", 7, 2, Decimal("28.6")),
        ("2026-03", date(2026, 3, 29), "centre", 6, 2, Decimal("33.3")),
        ("2026-03", date(2026, 3, 29), "commune", 7, 3, Decimal("42.9")),
    ]
    assert VACANCY_BY_MONTH.summary(argentan, at=AT).records == 6


def test_a_town_without_units_publishes_empty_files(argentan: Town) -> None:
    assert _streets(argentan) == []
    assert list(month_records(argentan, at=AT)) == []
    assert VACANCY_BY_STREET.summary(argentan, at=AT).records == 0


def test_the_files_follow_their_published_schemas(client: Client, argentan: Town) -> None:
    _units(argentan, "Grande Rue", [VACANT, OCCUPIED, OCCUPIED, OCCUPIED, OCCUPIED])
    for dataset in (VACANCY_BY_STREET, VACANCY_BY_MONTH):
        schema = json.loads(
            client.get(reverse("opendata:table_schema", args=["argentan", dataset.slug])).content
        )
        response = client.get(reverse("opendata:download", args=["argentan", dataset.slug, "csv"]))
        assert isinstance(response, StreamingHttpResponse)
        text = b"".join(response.streaming_content).decode()
        assert tableschema.validate_csv(text, schema) == []
        assert text.count("\r\n") > 1
    geojson = client.get(reverse("opendata:download", args=["argentan", VACANCY_BY_STREET.slug, "geojson"]))
    assert isinstance(geojson, StreamingHttpResponse)
    features = json.loads(b"".join(geojson.streaming_content))["features"]
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [-0.02, 48.744]}
