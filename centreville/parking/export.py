"""The town's car parks in the national schema « stationnement » (etalab/schema-stationnement v0.1.5,
https://schema.data.gouv.fr/etalab/schema-stationnement/0.1.5/documentation.html), whose Table Schema is
copied in `schemas/`. Published at `/<town>/stationnement/stationnement.csv` and as a dataset of the
town's open data (which calls `stationnement_records`).

The schema requires fields our car parks may lack (the operator's SIRET, the users admitted): a car park
without them is left out of the file, and the town team's page says what it lacks.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from .csv_import import COUNTS, PRICES
from .models import CarPark

SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "etalab_schema-stationnement.schema.json"
SCHEMA_PAGE = "https://schema.data.gouv.fr/etalab/schema-stationnement/0.1.5/documentation.html"


@cache
def table_schema() -> dict[str, Any]:
    with SCHEMA_FILE.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def columns() -> list[str]:
    return [spec["name"] for spec in table_schema()["fields"]]


def missing_for_export(car_park: CarPark) -> list[str]:
    """What the schema requires and this car park lacks, in French; empty when it is published."""
    missing = []
    if not car_park.operator_siret:
        missing.append(_("SIRET du gestionnaire"))
    if not car_park.user_type:
        missing.append(_("usagers admis"))
    return missing


def record(car_park: CarPark, insee: str) -> dict[str, Any]:
    """One car park as the schema's fields: int, Decimal, bool, text, or None for an empty cell."""
    values: dict[str, Any] = {
        "id": car_park.ref,
        "nom": car_park.name,
        "insee": insee,
        "adresse": car_park.address or None,
        "url": car_park.url or None,
        "type_usagers": car_park.user_type,
        "gratuit": car_park.is_free,
        "hauteur_max": "N/A" if car_park.max_height_cm is None else str(car_park.max_height_cm),
        "num_siret": car_park.operator_siret,
        "Xlong": car_park.longitude,
        "Ylat": car_park.latitude,
        "tarif_pmr": car_park.disabled_fare or None,
        "type_ouvrage": car_park.structure_type or None,
        "info": car_park.info or None,
    }
    for column, name in COUNTS.items():
        values[column] = getattr(car_park, name)
    for column, name in PRICES.items():
        values[column] = getattr(car_park, name)
    return values


def cell(value: Any) -> str:
    """A value as the file writes it (Table Schema reads it back the same)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def stationnement_records(*, town_id: int) -> list[dict[str, Any]]:
    """The town's publishable car parks, one record (field -> value) in the schema's order each, by id."""
    records = []
    car_parks = CarPark.objects.filter(town_id=town_id).select_related("town").order_by("ref")
    for car_park in car_parks:
        if not missing_for_export(car_park):
            records.append(record(car_park, car_park.town.insee_code))
    return records


def stationnement_summary(*, town_id: int) -> tuple[int, Any]:
    """How many car parks the file has, and when the town's car parks last changed."""
    records = len(stationnement_records(town_id=town_id))
    updated = CarPark.objects.filter(town_id=town_id).aggregate(last=Max("updated_at"))["last"]
    return records, updated


def stationnement_csv(*, town_id: int) -> str:
    """The file: comma-separated, UTF-8, the schema's columns in its order."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(), lineterminator="\r\n")
    writer.writeheader()
    for values in stationnement_records(town_id=town_id):
        writer.writerow({name: cell(value) for name, value in values.items()})
    return out.getvalue()
