"""Which shop a source's row is: far from the town or not, and the same shop seen by another source.

The same bakery comes from OpenStreetMap as "Boulangerie du Marché, 5 Place du Marché" and from SIRENE as
"BOULANGERIE DU MARCHE, 5 PL DU MARCHE": `match_key()` makes both the same text (no accents, case,
punctuation, legal form or street-type abbreviation), with the postcode, so that an import merges them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

from centreville.towns.models import Town

# How far from the town's centre a shop may be. Communes of the towns this platform serves span a few
# kilometres; the largest (Arles) reach about 20 km from their centre, so 20 km keeps every real shop
# and still drops what an export or a register extract holds of other towns.
MAX_DISTANCE_KM = 20.0
EARTH_RADIUS_KM = 6371.0

_STREET_WORDS = {
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "boul": "boulevard",
    "pl": "place",
    "r": "rue",
    "fg": "faubourg",
    "fbg": "faubourg",
    "imp": "impasse",
    "ch": "chemin",
    "che": "chemin",
    "rte": "route",
    "all": "allee",
    "sq": "square",
    "crs": "cours",
    "pas": "passage",
    "st": "saint",
    "ste": "sainte",
    "gde": "grande",
    "gd": "grand",
    "b": "bis",
    "t": "ter",
}
_NAME_NOISE = {"sarl", "sas", "sasu", "eurl", "sa", "snc", "ets", "etablissements", "ei", "eirl", "sci"}
_ARTICLES = {"le", "la", "les", "l"}


def plain(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _name_key(name: str) -> str:
    words = [word for word in plain(name).split() if word not in _NAME_NOISE]
    while words and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def _address_key(address: str) -> str:
    return " ".join(_STREET_WORDS.get(word, word) for word in plain(address).split())


def match_key(*, name: str, street_address: str, postcode: str) -> str:
    """The same text for the same shop written by two sources; "" when there is too little to match on."""
    name_key, address_key = _name_key(name), _address_key(street_address)
    if not name_key or not address_key or not postcode:
        return ""
    return f"{postcode}|{address_key}|{name_key}"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def km_from_town(town: Town, *, latitude: Decimal | float, longitude: Decimal | float) -> float:
    return distance_km(float(town.latitude), float(town.longitude), float(latitude), float(longitude))


def is_far_from(town: Town, *, latitude: Decimal | float, longitude: Decimal | float) -> bool:
    return km_from_town(town, latitude=latitude, longitude=longitude) > MAX_DISTANCE_KM
