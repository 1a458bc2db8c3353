"""What the import tests share: Argentan with the taxonomy's trades, and the sample files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from centreville.shops.models import TradeCategory
from centreville.shops.taxonomy import TRADE_CATEGORIES
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

DATA = Path(__file__).parent / "data"
OSM_FILE = DATA / "osm_argentan.geojson"
SIRENE_FILE = DATA / "sirene_etablissements_argentan.csv"


def load_trades() -> None:
    """The taxonomy's trades, as the data migration loads them (a flushed database may have lost them)."""
    for position, spec in enumerate(TRADE_CATEGORIES):
        TradeCategory.objects.get_or_create(
            slug=spec.slug,
            defaults={"name": spec.name, "naf_codes": list(spec.naf_codes), "position": position},
        )


def make_argentan() -> Town:
    load_trades()
    town: Town = TownFactory.create(name="Argentan", slug="argentan", insee_code="61006", postcodes=["61200"])
    return town


def osm_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(OSM_FILE.read_text(encoding="utf-8"))
    return data


def as_stream(data: dict[str, Any]) -> io.BytesIO:
    return io.BytesIO(json.dumps(data).encode())


def feature(data: dict[str, Any], osm_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in data["features"] if f["id"] == osm_id)
    return found


SIRENE_HEADER = SIRENE_FILE.read_text(encoding="utf-8").splitlines()[0].split(",")
# A shop of Argentan in the sample file, imported by both sources in the merge tests.
BAKERY_SIRET = "81234567600017"


def luhn_siret(seed: int) -> str:
    """A valid SIRET (a valid SIREN, then a NIC with the key) made from `seed`, for rows built in a test."""
    from stdnum.fr import siren, siret

    body = f"{seed + 10_000_000:08d}"
    company = next(body + d for d in "0123456789" if siren.is_valid(body + d))
    return next(company + "0001" + d for d in "0123456789" if siret.is_valid(company + "0001" + d))


def sirene_row(**values: str) -> list[str]:
    """A row of the SIRENE establishments file: an active bakery of Argentan unless told otherwise."""
    defaults = {
        "siret": luhn_siret(1),
        "statutDiffusionEtablissement": "O",
        "numeroVoieEtablissement": "5",
        "typeVoieEtablissement": "RUE",
        "libelleVoieEtablissement": "DE LA CHAUSSEE",
        "codePostalEtablissement": "61200",
        "libelleCommuneEtablissement": "ARGENTAN",
        "codeCommuneEtablissement": "61006",
        "etatAdministratifEtablissement": "A",
        "enseigne1Etablissement": "BOULANGERIE TEST",
        "activitePrincipaleEtablissement": "10.71C",
        "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
    }
    defaults.update(values)
    return [defaults.get(name, "") for name in SIRENE_HEADER]


def sirene_bytes(rows: list[list[str]], *, header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header or SIRENE_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def osm_feature(
    osm_id: str, position: tuple[float, float] = (-0.0203, 48.7445), /, **tags: Any
) -> dict[str, Any]:
    """A GeoJSON feature as overpass turbo writes it: a shop of Argentan unless told otherwise."""
    properties = {
        "@id": osm_id,
        "shop": "bakery",
        "name": "Boulangerie Test",
        "addr:housenumber": "5",
        "addr:street": "Rue de la Chaussée",
        "addr:postcode": "61200",
        "addr:city": "Argentan",
    }
    properties.update(tags)
    return {
        "type": "Feature",
        "id": osm_id,
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": list(position)},
    }


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


# An export saved again by a GIS tool (QGIS): every attribute on every feature, null when absent; hours
# in the forms people write them, a house name without street, a shop 100 km away, a SIRET to merge on.
QGIS_FILE = DATA / "osm_qgis_export.geojson"
