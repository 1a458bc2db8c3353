"""Shops from an OpenStreetMap export: GeoJSON as overpass turbo writes it (osmtogeojson), or Overpass JSON.

GeoJSON features carry `id` "node/123" (or "way/…", "relation/…") and the OSM tags in `properties`,
either flat (with "@id") or nested under "tags" (older exports). Ways and relations come as polygons: their
centroid places the shop. Overpass JSON (`[out:json]`, with `out center` for ways) is read as well.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
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
    clean_siret,
    clean_text,
    clean_website,
    coordinate,
    far_note,
)
from .files import TextDecoder, ended_early, open_binary, text_sample_and_rest
from .matching import MAX_DISTANCE_KM, km_from_town

logger = logging.getLogger(__name__)
# An export of one town is a few megabytes; this is far above, and keeps a wrong file from filling memory.
MAX_BYTES = 200 * 1024 * 1024

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
    if not isinstance(properties, dict):
        return {}, ""
    if isinstance(properties.get("tags"), dict):  # osmtogeojson without flat properties
        tags = properties["tags"]
        osm_id = f"{clean_text(properties.get('type'))}/{clean_text(properties.get('id'))}"
    else:
        tags = properties
        osm_id = (
            clean_text(feature.get("id"))
            or clean_text(properties.get("@id"))
            or clean_text(properties.get("id"))
        )
    return tags, osm_id


def _points(coords: Any) -> list[tuple[float, float]]:
    """The (lon, lat) pairs of a list of positions, leaving out whatever is not a finite number pair."""
    points = []
    for position in coords if isinstance(coords, list) else []:
        if isinstance(position, list | tuple) and len(position) >= 2:
            try:
                x, y = float(position[0]), float(position[1])
            except (TypeError, ValueError):
                continue
            if math.isfinite(x) and math.isfinite(y):
                points.append((x, y))
    return points


def _ring_centroid(ring: Any) -> tuple[float, float, float]:
    """(lon, lat, area) of a closed ring; planar maths is exact enough at the scale of a building.

    Computed from the ring's first point, so that a sliver of a building does not lose all precision; a
    degenerate ring (a line, a point) stands at the middle of its points.
    """
    points = _points(ring)
    if not points:
        raise ValueError("empty ring")
    x0, y0 = points[0]
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        x1, y1, x2, y2 = x1 - x0, y1 - y0, x2 - x0, y2 - y0
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    if span == 0 or abs(area) <= span * span * 1e-9:
        distinct = set(points)
        return sum(p[0] for p in distinct) / len(distinct), sum(p[1] for p in distinct) / len(distinct), 0.0
    lon, lat = x0 + cx / (3 * area), y0 + cy / (3 * area)
    if not (min(xs) <= lon <= max(xs) and min(ys) <= lat <= max(ys)):
        lon, lat = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return lon, lat, abs(area) / 2


def centroid(geometry: Any) -> tuple[float, float] | None:
    """(lon, lat) standing for a geometry: the point, or the centroid of the (largest) polygon's outline.

    None when there is no usable position (nothing, a malformed geometry, "Null Island" at 0,0).
    """
    if not isinstance(geometry, dict):
        return None
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    try:
        if kind == "Point":
            points = _points([coords])
            lon, lat = points[0]
        elif kind == "Polygon":
            lon, lat, _area = _ring_centroid(coords[0])
        elif kind == "MultiPolygon":
            lon, lat, _area = max((_ring_centroid(polygon[0]) for polygon in coords), key=lambda c: c[2])
        elif kind in ("LineString", "MultiPoint"):
            points = _points(coords)
            lon, lat = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
        else:
            return None
    except (TypeError, IndexError, ValueError, ZeroDivisionError, KeyError):
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90) or (abs(lon) < 1e-9 and abs(lat) < 1e-9):
        return None
    return lon, lat


def _open_depth(text: str) -> int:
    """How many brackets are still open at the end of a JSON text (strings skipped): > 0 when cut short."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return depth


def _salvage(text: str) -> list[Any]:
    """The complete features (or elements) at the start of a JSON text that was cut short."""
    start = re.search(r'"(?:features|elements)"\s*:\s*\[', text)
    if start is None:
        return []
    decoder = json.JSONDecoder()
    found: list[Any] = []
    position = start.end()
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return found
        try:
            item, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return found
        found.append(item)


class OsmReader(SourceReader):
    """Reads an OpenStreetMap export for one town. The file is parsed at once: a town's export is small."""

    source = ShopSource.OSM
    key_field = "osm_id"

    def __init__(self, stream: IO[Any], *, town: Town, file_name: str = "") -> None:
        super().__init__()
        self.town = town
        binary, _counter, _total = open_binary(stream, file_name=file_name, extensions=(".geojson", ".json"))
        sample, rest, broken = text_sample_and_rest(
            binary,
            not_text=_(
                "Ce fichier n'est pas du texte : attendu un export GeoJSON d'OpenStreetMap (.geojson)."
            ),
        )
        content = rest.read(MAX_BYTES + 1)
        broken = broken or ended_early(rest)
        if len(content) > MAX_BYTES:
            raise ValueError(_("Fichier trop lourd pour l'export d'une ville (200 Mo au plus)."))
        decoder = TextDecoder(sample)
        text = decoder.decode_all(content)
        self.encoding = decoder.label
        data = self._parse(text, broken)
        if isinstance(data, list) and self.truncated:
            elements = [item for item in data if isinstance(item, dict)]
            if elements and elements[0].get("type") in ("node", "way", "relation"):
                self.features = [_element_as_feature(e) for e in elements]
            else:
                self.features = elements
        elif isinstance(data, dict) and data.get("type") == "FeatureCollection":
            features = data.get("features")
            if not isinstance(features, list):
                raise ValueError(
                    _("Ce GeoJSON n'a pas de liste « features » : ce n'est pas un export d'overpass turbo.")
                )
            self.features = features
        elif isinstance(data, dict) and isinstance(data.get("elements"), list):
            self.features = [_element_as_feature(e) if isinstance(e, dict) else e for e in data["elements"]]
        else:
            raise ValueError(
                _(
                    "Ce fichier n'est pas un export OpenStreetMap : attendu un GeoJSON « FeatureCollection » "
                    "(export d'overpass turbo) ou un JSON Overpass avec « elements »."
                )
            )
        self.total = len(self.features)

    def _parse(self, text: str, broken: bool) -> Any:
        """The JSON document; a text cut short gives the list of its complete features instead."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            # Cut short: brackets left open, and the parser stopped at the very end (or in a string that
            # runs to it). Anything else is a file damaged or edited by hand.
            at_end = error.pos >= len(text.rstrip()) - 1 or error.msg.startswith("Unterminated string")
            if not broken and not (at_end and _open_depth(text) > 0):
                raise ValueError(
                    _(
                        "Ce fichier n'est pas du JSON lisible (erreur ligne %(line)s, colonne %(column)s) : "
                        "exportez-le à nouveau depuis overpass turbo."
                    )
                    % {"line": error.lineno, "column": error.colno}
                ) from error
            salvaged = _salvage(text)
            if not salvaged:
                raise ValueError(
                    _("Ce fichier JSON est incomplet : il s'arrête avant le premier commerce.")
                ) from error
            self.truncated = _(
                "le fichier s'arrête au milieu de l'élément n°%(n)s (téléchargement interrompu ?) : "
                "les %(count)s éléments complets qui précèdent sont importés"
            ) % {"n": len(salvaged) + 1, "count": len(salvaged)}
            return salvaged
        if broken:
            self.truncated = _("le fichier compressé s'arrête avant sa fin (téléchargement interrompu ?)")
        return data

    @property
    def fraction(self) -> float | None:
        return self.rows_read / self.total if self.total else 1.0

    def __iter__(self) -> Iterator[Item]:
        for feature in self.features:
            self.rows_read += 1
            try:
                item = self.read(feature)
            except Exception:  # one odd element never stops the import
                logger.exception("OpenStreetMap import: element %s unreadable", self.rows_read)
                item = Skipped("bad_row", _("élément n°%(n)s") % {"n": self.rows_read})
            yield item

    def read(self, feature: Any) -> Item:
        if not isinstance(feature, dict):
            return Skipped("bad_row", _("élément n°%(n)s") % {"n": self.rows_read})
        tags, osm_id = _tags_and_id(feature)
        if not osm_id or "/" not in osm_id or osm_id.endswith("/") or not isinstance(tags, dict):
            return Skipped("bad_row", _("élément n°%(n)s") % {"n": self.rows_read})
        tags = {
            clean_text(k): value
            for k, v in tags.items()
            if not str(k).startswith("@") and (value := clean_text(v))
        }
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
        street_address = self._street_address(tags, name, notes)
        if not street_address:
            return Skipped("no_address", label, key=osm_id)
        postcode = tags.get("addr:postcode", "")
        city = tags.get("addr:city", "")
        if (postcode and self.town.postcodes and postcode not in self.town.postcodes) or (
            city and slugify(city) != slugify(self.town.name)
        ):
            return Skipped("other_commune", f"{label} — {postcode} {city}".strip(), key=osm_id)
        point = centroid(feature.get("geometry"))
        if point is not None:
            km = km_from_town(self.town, latitude=point[1], longitude=point[0])
            if km > MAX_DISTANCE_KM:
                if not postcode and not city:
                    # Nothing says it is in the town, and its position says it is not.
                    return Skipped(
                        "far_away",
                        _("%(label)s — à %(km)s km du centre") % {"label": label, "km": round(km)},
                        key=osm_id,
                    )
                notes.append(far_note(name, km))
                point = None
        fields: dict[str, Any] = {
            "name": name[:120],
            "category": category,
            "street_address": street_address,
            "postcode": postcode or (self.town.postcodes[0] if self.town.postcodes else ""),
            "city": self.town.name,
            **clean_opening_hours(tags.get("opening_hours", ""), name, notes),
            "phone": clean_phone(tags.get("phone") or tags.get("contact:phone", ""), name, notes),
            "email": clean_email(tags.get("email") or tags.get("contact:email", ""), name, notes),
            "website": clean_website(
                tags.get("website") or tags.get("contact:website") or tags.get("url", ""), name, notes
            ),
            "accessible_entrance": tags.get("wheelchair", "") in ACCESSIBLE,
        }
        if point is not None:
            fields["longitude"], fields["latitude"] = coordinate(point[0]), coordinate(point[1])
        brand = tags.get("brand", "") or (name if tags.get("brand:wikidata") else "")
        siret = clean_siret(tags.get("ref:FR:SIRET", ""))
        return Candidate(key=osm_id, label=label, fields=fields, brand=brand, notes=notes, siret=siret)

    @staticmethod
    def _street_address(tags: dict[str, str], name: str, notes: list[Note]) -> str:
        """Number and street; else the place or the building's name, with what else is known."""
        street = tags.get("addr:street", "")
        number = tags.get("addr:housenumber", "")
        if street:
            return " ".join(filter(None, [number, street]))[:200]
        place = tags.get("addr:place", "")
        housename = tags.get("addr:housename", "")
        if place:
            return ", ".join(filter(None, [housename, " ".join(filter(None, [number, place]))]))[:200]
        if housename:
            notes.append(Note("no_street", name, housename))
            return housename[:200]
        full = tags.get("addr:full", "")
        if full:
            notes.append(Note("no_street", name, full))
        return full[:200]

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
        if isinstance(point, dict) and "lat" in point and "lon" in point
        else None
    )
    return {
        "id": f"{element.get('type', '')}/{element.get('id', '')}",
        "properties": element.get("tags") or {},
        "geometry": geometry,
    }
