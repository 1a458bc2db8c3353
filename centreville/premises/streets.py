"""Street names as people type them, and the key that groups them: « R. de la République », « rue de la
republique » and « Rue de la  République » are one street for the vacancy by street."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

# French street-type abbreviations (those of the Base Adresse Nationale and of everyday writing), expanded so
# that « bd Carnot » and « boulevard Carnot » fall together.
ABBREVIATIONS = {
    "r": "rue",
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "boul": "boulevard",
    "bvd": "boulevard",
    "pl": "place",
    "imp": "impasse",
    "all": "allee",
    "ch": "chemin",
    "che": "chemin",
    "chem": "chemin",
    "rte": "route",
    "fbg": "faubourg",
    "faub": "faubourg",
    "sq": "square",
    "crs": "cours",
    "qu": "quai",
    "pass": "passage",
    "prom": "promenade",
    "res": "residence",
    "st": "saint",
    "ste": "sainte",
    "gd": "grand",
    "gde": "grande",
}
_NOT_A_LETTER = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def tidy_street(name: str) -> str:
    """The name as it will be shown: outer spaces removed, inner runs of spaces made one."""
    return _SPACES.sub(" ", name).strip()


def street_key(name: str) -> str:
    """The key streets are grouped by: lower case, no accents, no punctuation, abbreviations expanded."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).replace("œ", "oe")
    words = _NOT_A_LETTER.sub(" ", plain.replace("æ", "ae")).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def street_label(spellings: Iterable[str]) -> str:
    """The name a group of spellings of one street is shown under: the most frequent, then the first in
    alphabetical order (so that the same data always gives the same label)."""
    counts = Counter(spellings)
    if len(counts) > 1:  # units keep their street tidied (models.CommercialUnit.save): rarely needed
        counts = Counter(tidy_street(spelling) for spelling in counts.elements())
    return min(counts, key=lambda spelling: (-counts[spelling], spelling))
