"""The town's car parks in the national schema « Lieux de stationnement » (etalab/schema-stationnement
v0.1.5, https://schema.data.gouv.fr/etalab/schema-stationnement/0.1.5/documentation.html). The records and
the schema's copy are the parking app's (`parking.export`), which also serves the file at
`/<town>/stationnement/stationnement.csv`; a car park lacking a field the schema requires (the operator's
SIRET) is left out, and the town team's parking page says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import cached_property
from typing import Any

from django.utils.translation import gettext_lazy as _

from centreville.parking import export
from centreville.towns.models import Town

from .base import Dataset, NationalSchema, Record, Summary, point


class ParkingSchema(NationalSchema):
    """The schema copied in the parking app (`parking/schemas/`), where its export is tested against it."""

    @cached_property
    def table_schema(self) -> dict[str, Any]:
        return export.table_schema()

    @property
    def name(self) -> str:
        # Version 0.1.5 of the schema has no `name`: its repository's is the one schema.data.gouv.fr shows.
        return "etalab/schema-stationnement"


STATIONNEMENT = ParkingSchema(file="etalab_schema-stationnement.schema.json", page=export.SCHEMA_PAGE)


def parking_records(town: Town, *, at: datetime) -> Iterator[Record]:
    yield from export.stationnement_records(town_id=town.pk)


def parking_summary(town: Town, *, at: datetime) -> Summary:
    records, updated_at = export.stationnement_summary(town_id=town.pk)
    return Summary(records=records, updated_at=updated_at)


PARKING = Dataset(
    slug="stationnement",
    title=_("Parkings"),
    description=_(
        "Les parkings de la ville : adresse, position, nombre de places (dont PMR, véhicules électriques, "
        "vélos), hauteur maximale, gratuité et tarifs."
    ),
    records=parking_records,
    summary=parking_summary,
    schema=STATIONNEMENT,
    geometry=point("Xlong", "Ylat"),
)
