"""A dataset's records as a CSV or a GeoJSON file, written piece by piece as the records are read: a large
town's file is never whole in memory, and the first bytes leave before the last record is read.

CSV: UTF-8 without byte order mark, comma-separated, CRLF line ends, quotes only where needed (RFC 4180, the
default dialect of Table Schema that the schemas of schema.data.gouv.fr assume), one header line of the field
names in the schema's order. Values as Table Schema reads them: "true"/"false", a decimal point, ISO dates,
datetimes in UTC ("2026-03-29T01:00:00Z"), arrays as JSON. Not core.spreadsheets' French-spreadsheet CSV:
these files are for programs, and a value is published as it is (no quote added before a leading "=").

GeoJSON: RFC 7946, a FeatureCollection in WGS 84 longitude/latitude (no "crs" member), each feature's
properties being the same fields as the CSV's columns, a record without a place having a null geometry.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from .datasets.base import Field, Geometry, Record

# Pieces of about this many characters are handed to the web server.
CHUNK_CHARACTERS = 64 * 1024


def csv_chunks(fields: Sequence[Field], records: Iterable[Record]) -> Iterator[str]:
    """The CSV file of these records, in pieces."""
    names = [spec.name for spec in fields]
    column = {name: index for index, name in enumerate(names)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for record in records:
        # Only the values a record has are converted: most columns of a national schema stay empty.
        row = [""] * len(names)
        for name, value in record.items():
            row[_column(column, name)] = csv_value(value)
        writer.writerow(row)
        if buffer.tell() >= CHUNK_CHARACTERS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def geojson_chunks(
    fields: Sequence[Field], records: Iterable[Record], geometry: Callable[[Record], Geometry | None]
) -> Iterator[str]:
    """The GeoJSON FeatureCollection of these records, in pieces."""
    empty: dict[str, Any] = dict.fromkeys(spec.name for spec in fields)
    pieces = ['{"type":"FeatureCollection","features":[']
    size = 0
    separator = ""
    for record in records:
        properties = empty.copy()
        for name, value in record.items():
            _column(empty, name)
            properties[name] = json_value(value)
        feature = {"type": "Feature", "geometry": geometry(record), "properties": properties}
        piece = separator + json.dumps(feature, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        separator = ","
        pieces.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARACTERS:
            yield "".join(pieces)
            pieces, size = [], 0
    pieces.append("]}")
    yield "".join(pieces)


def _column(columns: Mapping[str, Any], name: str) -> Any:
    try:
        return columns[name]
    except KeyError:
        # A misspelt field would silently publish an empty column.
        raise ValueError(f"not a field of the dataset: {name}") from None


def csv_value(value: Any) -> str:
    """One value as a CSV cell that Table Schema reads back as the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")  # never "1E+1"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime | date):
        return temporal_value(value)
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str | Promise):
        return str(value)
    raise TypeError(f"cannot publish a {type(value).__name__}")


def json_value(value: Any) -> Any:
    """One value as a GeoJSON property: numbers as numbers, dates as the CSV writes them."""
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and value.as_tuple().exponent == 0
            else float(value)
        )
    if isinstance(value, datetime | date):
        return temporal_value(value)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def temporal_value(value: date | datetime) -> str:
    """A date as ISO 8601; a datetime in UTC, as Table Schema's default datetime format has it."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a published datetime must be aware of its time zone")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()
