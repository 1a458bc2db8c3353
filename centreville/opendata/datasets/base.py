"""What a published dataset is: a function returning its records, the fields they have, the national schema
they follow (or our own documented format), and how a record is placed on a map.

A record is a plain dict from field name to value (str, int, Decimal, float, bool, date, aware datetime,
list, or None); a field it leaves out is published empty. `writers` turns records into CSV and GeoJSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils.functional import Promise

from .. import tableschema
from ..formats import CSV, GEOJSON, FileFormat

Record = Mapping[str, Any]
Geometry = dict[str, Any]

LICENCE_NAME = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class Field:
    """A column of a dataset, as Table Schema describes one (https://specs.frictionlessdata.io/table-schema/)."""

    name: str
    type: str  # string, integer, number, boolean, date, datetime, year, array, object, geojson
    description: str | Promise = ""
    required: bool = False
    constraints: Mapping[str, Any] = field(default_factory=dict)

    def as_table_schema(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "description": str(self.description),
            "constraints": {"required": self.required, **self.constraints},
        }


@dataclass(frozen=True)
class NationalSchema:
    """A schema published on schema.data.gouv.fr, of which we keep a copy in `opendata/schemas/`: its name,
    title and version are read from that copy, so that the page and the code cite the file they follow."""

    file: str  # e.g. "MTES-MCT_acceslibre-erp-base.schema.json"
    page: str  # its documentation on schema.data.gouv.fr, for that version

    @cached_property
    def table_schema(self) -> dict[str, Any]:
        return tableschema.load(self.file)

    @property
    def name(self) -> str:
        return str(self.table_schema["name"])

    @property
    def title(self) -> str:
        return str(self.table_schema["title"])

    @property
    def version(self) -> str:
        return str(self.table_schema["version"]).removeprefix("v")

    @cached_property
    def fields(self) -> tuple[Field, ...]:
        """The schema's fields in its order: the order of the CSV's columns."""
        return tuple(
            Field(
                name=spec["name"],
                type=spec.get("type", "string"),
                description=spec.get("description", ""),
                required=bool(spec.get("constraints", {}).get("required", False)),
                constraints={k: v for k, v in spec.get("constraints", {}).items() if k != "required"},
            )
            for spec in self.table_schema["fields"]
        )


@dataclass(frozen=True)
class Summary:
    """What the open-data page says of a dataset without reading it all."""

    records: int
    updated_at: datetime | None


# records(town, at=now) -> the records, lazily (a generator, or a queryset's iterator, for large towns).
RecordsFunction = Callable[..., Iterable[Record]]
# summary(town, at=now) -> Summary, in a query or two.
SummaryFunction = Callable[..., Summary]


@dataclass(frozen=True)
class Dataset:
    """One table a town publishes, in CSV and (when its records have a place) GeoJSON.

    `records(town, *, at)` and `summary(town, *, at)` read only that town's data; `at` is the time of the
    request. `schema` is the national schema followed, None for our own format: `fields` then document it.
    """

    slug: str  # in the URL and the file name, in French: "commerces"
    title: str | Promise
    description: str | Promise
    records: RecordsFunction
    summary: SummaryFunction
    schema: NationalSchema | None = None
    own_fields: tuple[Field, ...] = ()
    # The record's GeoJSON geometry (WGS 84 longitude, latitude), or None if it has no place; no geometry
    # function at all: no GeoJSON file.
    geometry: Callable[[Record], Geometry | None] | None = None
    # Counts of few people or premises are suppressed before publication (opendata.suppression).
    suppresses_small_counts: bool = False

    def __post_init__(self) -> None:
        if (self.schema is None) == (not self.own_fields):
            raise ValueError(f"{self.slug}: give either a national schema or our own fields, not both")

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.schema.fields if self.schema is not None else self.own_fields

    @property
    def formats(self) -> tuple[FileFormat, ...]:
        return (CSV, GEOJSON) if self.geometry is not None else (CSV,)

    def table_schema(self) -> dict[str, Any]:
        """The Table Schema of the CSV file: the national one, or ours written from `own_fields`."""
        if self.schema is not None:
            return self.schema.table_schema
        return {
            "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
            "name": self.slug,
            "title": str(self.title),
            "description": str(self.description),
            "fields": [spec.as_table_schema() for spec in self.own_fields],
            "missingValues": [""],
        }


def point(longitude_field: str, latitude_field: str) -> Callable[[Record], Geometry | None]:
    """A geometry function placing a record at the point its two coordinate fields give (WGS 84 degrees)."""

    def geometry(record: Record) -> Geometry | None:
        longitude, latitude = record.get(longitude_field), record.get(latitude_field)
        if longitude is None or latitude is None:
            return None
        return {"type": "Point", "coordinates": [_coordinate(longitude), _coordinate(latitude)]}

    return geometry


def _coordinate(value: Decimal | float | int) -> float:
    # Six decimals are about 10 cm: RFC 7946 (section 11.2) warns against more precision than is meant.
    return round(float(value), 6)
