"""CSV and GeoJSON files written from records, piece by piece."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from centreville.opendata import writers
from centreville.opendata.datasets.base import Field, Record, point

PARIS = ZoneInfo("Europe/Paris")
FIELDS = (
    Field("id", "string", required=True),
    Field("name", "string"),
    Field("count", "integer"),
    Field("open", "boolean"),
    Field("longitude", "number"),
    Field("latitude", "number"),
    Field("day", "date"),
    Field("start", "datetime"),
    Field("tags", "array"),
)


def csv_text(records: list[dict[str, Any]]) -> str:
    return "".join(writers.csv_chunks(FIELDS, records))


def test_csv_has_the_fields_in_order_and_values_as_table_schema_reads_them() -> None:
    records = [
        {
            "id": "1",
            "name": 'Le "Bon" Pain, Argentan',
            "count": 12,
            "open": True,
            "longitude": Decimal("-0.020300"),
            "latitude": Decimal("48.744500"),
            "day": date(2026, 3, 29),
            "start": datetime(2026, 3, 29, 3, 0, tzinfo=PARIS),
            "tags": ["pain", "bio"],
        },
        # Left out, None and "" are all empty cells; False is "false".
        {"id": "2", "open": False, "name": None, "count": 0},
    ]

    text = csv_text(records)

    assert text == (
        "id,name,count,open,longitude,latitude,day,start,tags\r\n"
        '1,"Le ""Bon"" Pain, Argentan",12,true,-0.020300,48.744500,2026-03-29,2026-03-29T01:00:00Z,'
        '"[""pain"",""bio""]"\r\n'
        "2,,0,false,,,,,\r\n"
    )
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][1] == 'Le "Bon" Pain, Argentan'


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        # Spring forward: 03:00 summer time is 01:00 UTC.
        (datetime(2026, 3, 29, 3, 0, tzinfo=PARIS), "2026-03-29T01:00:00Z"),
        (datetime(2026, 3, 29, 1, 59, tzinfo=PARIS), "2026-03-29T00:59:00Z"),
        # Fall back: 02:30 happens twice, at 00:30 then 01:30 UTC.
        (datetime(2026, 10, 25, 2, 30, tzinfo=PARIS), "2026-10-25T00:30:00Z"),
        (datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS), "2026-10-25T01:30:00Z"),
    ],
)
def test_datetimes_are_written_in_utc_across_the_clock_changes(local: datetime, utc: str) -> None:
    assert writers.csv_value(local) == utc
    assert writers.json_value(local) == utc


def test_a_naive_datetime_or_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        csv_text([{"id": "1", "start": datetime(2026, 1, 1, 12, 0)}])
    with pytest.raises(ValueError, match="nmae"):
        csv_text([{"id": "1", "nmae": "typo"}])


def test_numbers_are_never_written_with_an_exponent() -> None:
    assert writers.csv_value(Decimal("1E+1")) == "10"
    assert writers.csv_value(1e-05) == "0.00001"
    assert writers.csv_value(Decimal("0.50")) == "0.50"


def test_csv_leaves_in_pieces_before_the_last_record_is_read() -> None:
    read = []

    def records() -> Iterator[Record]:
        for n in range(5000):
            read.append(n)
            yield {"id": str(n), "name": "Boutique du centre-ville " * 3}

    chunks = writers.csv_chunks(FIELDS, records())
    first = next(chunks)

    assert len(first) >= writers.CHUNK_CHARACTERS
    assert len(read) < 5000
    rest = "".join(chunks)
    assert len((first + rest).splitlines()) == 5001


def geojson(records: list[dict[str, Any]]) -> dict[str, Any]:
    text = "".join(writers.geojson_chunks(FIELDS, records, point("longitude", "latitude")))
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def test_geojson_is_a_feature_collection_in_longitude_latitude_order() -> None:
    collection = geojson(
        [
            {
                "id": "1",
                "name": "Boulangerie",
                "longitude": Decimal("-0.020300"),
                "latitude": Decimal("48.744500"),
                "count": 3,
                "start": datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
            },
            {"id": "2", "name": "Sans adresse"},
        ]
    )

    assert set(collection) == {"type", "features"}  # RFC 7946: no "crs"
    assert collection["type"] == "FeatureCollection"
    placed, unplaced = collection["features"]
    assert placed["type"] == "Feature"
    assert placed["geometry"] == {"type": "Point", "coordinates": [-0.0203, 48.7445]}
    assert list(placed["properties"]) == [spec.name for spec in FIELDS]
    assert placed["properties"]["longitude"] == -0.0203
    assert placed["properties"]["count"] == 3
    assert placed["properties"]["start"] == "2026-01-05T09:00:00Z"
    assert placed["properties"]["open"] is None
    assert unplaced["geometry"] is None


def test_geojson_of_no_record_and_of_many_is_valid_json() -> None:
    assert geojson([]) == {"type": "FeatureCollection", "features": []}
    many = [{"id": str(n), "name": "x" * 100, "longitude": 1, "latitude": 2} for n in range(2000)]

    chunks = list(writers.geojson_chunks(FIELDS, many, point("longitude", "latitude")))

    assert len(chunks) > 1
    assert len(json.loads("".join(chunks))["features"]) == 2000
