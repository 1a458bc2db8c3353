"""What the import tests share: Argentan with the taxonomy's trades, and the sample files."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from centreville.core.factories import TownFactory
from centreville.shops.models import TradeCategory
from centreville.shops.taxonomy import TRADE_CATEGORIES
from centreville.towns.models import Town

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
