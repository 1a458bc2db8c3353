"""Shops from an OpenStreetMap export: GeoJSON as overpass turbo writes it (osmtogeojson), or Overpass JSON.

GeoJSON features carry `id` "node/123" (or "way/…", "relation/…") and the OSM tags in `properties`,
either flat (with "@id") or nested under "tags" (older exports). Ways and relations come as polygons: their
centroid places the shop. Overpass JSON (`[out:json]`, with `out center` for ways) is read as well.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import IO, Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from centreville.shops.models import ShopSource
from centreville.towns.models import Town

from .common import (
    Candidate,
    Item,
    Note,
    Skipped,
    SourceReader,
    clean_email,
    clean_opening_hours,
    clean_phone,
    clean_website,
    coordinate,
)

# OSM tag → trade category slug (centreville/shops/taxonomy.py). Keys are read in this order: a feature
# tagged both shop=* and amenity=* is classified by its shop tag. Types absent from the table are skipped
# with their tag in the summary: a garage or a bank is not a town-centre shop for this platform.
TAG_CATEGORIES: dict[str, dict[str, str]] = {
    "shop": {
        "bakery": "boulangerie-patisserie",
        "pastry": "boulangerie-patisserie",
        "butcher": "boucherie-charcuterie",
        "seafood": "poissonnerie",
        "cheese": "fromagerie",
        "dairy": "fromagerie",
        "greengrocer": "primeur",
        "farm": "primeur",
        "wine": "caviste",
        "alcohol": "caviste",
        "beverages": "caviste",
        "deli": "epicerie-fine",
        "convenience": "epicerie-fine",
        "spices": "epicerie-fine",
        "chocolate": "chocolatier-confiseur",
        "confectionery": "chocolatier-confiseur",
        "coffee": "torrefacteur-salon-de-the",
        "tea": "torrefacteur-salon-de-the",
        "caterer": "traiteur",
        "health_food": "herboristerie-bio",
        "herbalist": "herboristerie-bio",
        "organic": "herboristerie-bio",
        "clothes": "pret-a-porter-femme",  # refined by the clothes=* tag below
        "boutique": "pret-a-porter-femme",
        "fashion_accessories": "pret-a-porter-femme",
        "shoes": "chaussures",
        "jewelry": "bijouterie-horlogerie",
        "watches": "bijouterie-horlogerie",
        "fabric": "mercerie",
        "sewing": "mercerie",
        "haberdashery": "mercerie",
        "wool": "mercerie",
        "chemist": "quincaillerie-droguerie",  # a drugstore (droguerie), not a pharmacy
        "optician": "opticien",
        "hairdresser": "coiffure",
        "beauty": "institut-de-beaute",
        "cosmetics": "institut-de-beaute",
        "perfumery": "institut-de-beaute",
        "books": "librairie-papeterie",
        "stationery": "librairie-papeterie",
        "newsagent": "tabac-presse",
        "tobacco": "tabac-presse",
        "music": "disquaire",
        "toys": "jouets",
        "games": "jouets",
        "model": "jouets",
        "sports": "sport",
        "outdoor": "sport",
        "bicycle": "sport",
        "florist": "fleuriste",
        "garden_centre": "fleuriste",
        "gift": "decoration-et-cadeaux",
        "interior_decoration": "decoration-et-cadeaux",
        "houseware": "decoration-et-cadeaux",
        "art": "decoration-et-cadeaux",
        "frame": "decoration-et-cadeaux",
        "craft": "decoration-et-cadeaux",
        "hardware": "quincaillerie-droguerie",
        "doityourself": "quincaillerie-droguerie",
        "paint": "quincaillerie-droguerie",
        "antiques": "antiquites-brocante",
        "second_hand": "antiquites-brocante",
        "charity": "antiquites-brocante",
        "computer": "informatique-et-telephonie",
        "mobile_phone": "informatique-et-telephonie",
        "electronics": "informatique-et-telephonie",
        "shoe_repair": "cordonnerie-cles",
        "key_cutter": "cordonnerie-cles",
        "locksmith": "cordonnerie-cles",
        "dry_cleaning": "retouches-pressing",
        "laundry": "retouches-pressing",
        "tailor": "retouches-pressing",
    },
    "amenity": {
        "cafe": "cafe-bar",
        "bar": "cafe-bar",
        "pub": "cafe-bar",
        "restaurant": "restaurant",
        "fast_food": "restaurant",
        "food_court": "restaurant",
        "ice_cream": "chocolatier-confiseur",
        "pharmacy": "pharmacie",
    },
    "craft": {
        "bakery": "boulangerie-patisserie",
        "confectionery": "chocolatier-confiseur",
        "caterer": "traiteur",
        "winery": "caviste",
        "brewery": "caviste",
        "jeweller": "bijouterie-horlogerie",
        "watchmaker": "bijouterie-horlogerie",
        "optician": "opticien",
        "shoemaker": "cordonnerie-cles",
        "key_cutter": "cordonnerie-cles",
        "locksmith": "cordonnerie-cles",
        "tailor": "retouches-pressing",
        "dressmaker": "retouches-pressing",
    },
}
# Tags saying the place is empty or gone: noted apart, since vacancy matters to the town.
VACANT_SHOP_VALUES = {"vacant", "no", "disused"}
ACCESSIBLE = {"yes", "designated"}


def _tags_and_id(feature: dict[str, Any]) -> tuple[dict[str, Any], str]:
    properties = feature.get("properties") or {}
    if isinstance(properties.get("tags"), dict):  # osmtogeojson without flat properties
        tags = properties["tags"]
        osm_id = f"{properties.get('type', '')}/{properties.get('id', '')}"
    else:
        tags = properties
        osm_id = str(feature.get("id") or properties.get("@id") or properties.get("id") or "")
    return tags, osm_id


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """(lon, lat, area) of a closed ring; planar maths is exact enough at the scale of a building."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-18:  # degenerate: fall back to the mean of the points
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring), 0.0
    return cx / (3 * area), cy / (3 * area), abs(area) / 2


def centroid(geometry: dict[str, Any] | None) -> tuple[float, float] | None:
    """(lon, lat) standing for a geometry: the point, or the centroid of the (largest) polygon's outline."""
    if not geometry:
        return None
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    try:
        if kind == "Point":
            return float(coords[0]), float(coords[1])
        if kind == "Polygon":
            lon, lat, _area = _ring_centroid(coords[0])
            return lon, lat
        if kind == "MultiPolygon":
            lon, lat, _area = max((_ring_centroid(polygon[0]) for polygon in coords), key=lambda c: c[2])
            return lon, lat
        if kind in ("LineString", "MultiPoint"):
            return sum(p[0] for p in coords) / len(coords), sum(p[1] for p in coords) / len(coords)
    except (TypeError, IndexError, ValueError, ZeroDivisionError):
        return None
    return None


class OsmReader(SourceReader):
    """Reads an OpenStreetMap export for one town. The file is parsed at once: a town's export is small."""

    source = ShopSource.OSM
    key_field = "osm_id"

    def __init__(self, stream: IO[Any], *, town: Town) -> None:
        super().__init__()
        self.town = town
        try:
            data = json.load(stream)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ValueError(
                _("Ce fichier n'est pas du JSON lisible : %(error)s") % {"error": error}
            ) from error
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            self.features = [f for f in data.get("features") or [] if isinstance(f, dict)]
        elif isinstance(data, dict) and isinstance(data.get("elements"), list):
            self.features = [_element_as_feature(e) for e in data["elements"] if isinstance(e, dict)]
        else:
            raise ValueError(
                _(
                    "Ce fichier n'est pas un export OpenStreetMap : attendu un GeoJSON « FeatureCollection » "
                    "(export d'overpass turbo) ou un JSON Overpass avec « elements »."
                )
            )
        self.total = len(self.features)

    @property
    def fraction(self) -> float | None:
        return self.rows_read / self.total if self.total else 1.0

    def __iter__(self) -> Iterator[Item]:
        for feature in self.features:
            self.rows_read += 1
            yield self.read(feature)

    def read(self, feature: dict[str, Any]) -> Item:
        tags, osm_id = _tags_and_id(feature)
        if not osm_id or "/" not in osm_id or not isinstance(tags, dict):
            return Skipped("bad_row", _("élément n°%(n)s") % {"n": self.rows_read})
        tags = {str(k): str(v).strip() for k, v in tags.items() if not str(k).startswith("@")}
        name = tags.get("name", "") or tags.get("brand", "")
        label = f"{name or _('sans nom')} ({osm_id})"
        if tags.get("shop") in VACANT_SHOP_VALUES or (not tags.get("shop") and "disused:shop" in tags):
            return Skipped("vacant", label, key=osm_id)
        category, main_tag = self._category(tags)
        if category is None:
            return Skipped("unmapped", f"{label} — {main_tag}" if main_tag else label, key=osm_id)
        if not name:
            return Skipped("no_name", f"{osm_id} — {main_tag}", key=osm_id)
        notes: list[Note] = []
        if tags.get("shop") == "clothes":
            category = self._clothes_category(tags, name, notes)
        street = tags.get("addr:street") or tags.get("addr:place", "")
        if not street:
            return Skipped("no_address", label, key=osm_id)
        postcode = tags.get("addr:postcode", "")
        city = tags.get("addr:city", "")
        if (postcode and self.town.postcodes and postcode not in self.town.postcodes) or (
            city and slugify(city) != slugify(self.town.name)
        ):
            return Skipped("other_commune", f"{label} — {postcode} {city}".strip(), key=osm_id)
        fields: dict[str, Any] = {
            "name": name[:120],
            "category": category,
            "street_address": " ".join(filter(None, [tags.get("addr:housenumber", ""), street]))[:200],
            "postcode": postcode or (self.town.postcodes[0] if self.town.postcodes else ""),
            "city": self.town.name,
            "opening_hours": clean_opening_hours(tags.get("opening_hours", ""), name, notes),
            "phone": clean_phone(tags.get("phone") or tags.get("contact:phone", ""), name, notes),
            "email": clean_email(tags.get("email") or tags.get("contact:email", ""), name, notes),
            "website": clean_website(
                tags.get("website") or tags.get("contact:website") or tags.get("url", ""), name, notes
            ),
            "accessible_entrance": tags.get("wheelchair", "") in ACCESSIBLE,
        }
        point = centroid(feature.get("geometry"))
        if point is not None:
            fields["longitude"], fields["latitude"] = coordinate(point[0]), coordinate(point[1])
        brand = tags.get("brand", "") or (name if tags.get("brand:wikidata") else "")
        return Candidate(key=osm_id, label=label, fields=fields, brand=brand, notes=notes)

    @staticmethod
    def _category(tags: dict[str, str]) -> tuple[str | None, str]:
        main_tag = ""
        for key, table in TAG_CATEGORIES.items():
            value = tags.get(key)
            if value:
                main_tag = main_tag or f"{key}={value}"
                if value in table:
                    return table[value], f"{key}={value}"
        return None, main_tag

    @staticmethod
    def _clothes_category(tags: dict[str, str], name: str, notes: list[Note]) -> str:
        kinds = set(tags.get("clothes", "").split(";"))
        if "men" in kinds and "women" not in kinds:
            return "pret-a-porter-homme"
        if "women" not in kinds:
            # The taxonomy has no mixed clothing trade; most town-centre boutiques dress women.
            notes.append(Note("category_guess", name, "shop=clothes"))
        return "pret-a-porter-femme"


def _element_as_feature(element: dict[str, Any]) -> dict[str, Any]:
    """An Overpass JSON element as a GeoJSON-like feature (nodes have lat/lon; ways a `center`)."""
    point = element if "lat" in element else element.get("center") or {}
    geometry = (
        {"type": "Point", "coordinates": [point["lon"], point["lat"]]}
        if "lat" in point and "lon" in point
        else None
    )
    return {
        "id": f"{element.get('type', '')}/{element.get('id', '')}",
        "properties": element.get("tags") or {},
        "geometry": geometry,
    }
