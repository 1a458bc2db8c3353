"""French grammar that templates and messages need around names: « de » before a town or shop name."""

from __future__ import annotations

import unicodedata

from django.utils.translation import get_language

# Names whose "h" is aspirated: no elision ("de Hazebrouck"). Every other initial "h" elides ("d'Hérouville").
ASPIRATED_H = frozenset(
    {"halluin", "hayange", "hazebrouck", "hem", "hendaye", "hénin-beaumont", "haguenau", "houilles"}
)
VOWELS = frozenset("aeiouy")


def _first_letter(word: str) -> str:
    """The first letter without its accent, lower case: "É" → "e"."""
    return unicodedata.normalize("NFD", word[:1])[:1].lower()


def de(name: str) -> str:
    """« de » and the name, as French writes it: « d'Argentan », « de Caen », « du Havre », « des Andelys ».

    Only in French: in another language the name comes alone, and that language's sentence puts its own
    words around it (« Le centre-ville %(de_name)s » reads "%(de_name)s town centre" in English).
    """
    name = name.strip()
    if not name or not (get_language() or "fr").startswith("fr"):
        return name
    # « de » + « le »/« les » contract; « la » and « l' » stay as they are.
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if name[: len(article)].lower() == article:
            return contracted + name[len(article) :]
    if name[:2].lower() in ("l'", "l\u2019") or name[:3].lower() == "la ":
        return f"de {name}"
    first = _first_letter(name)
    if first in VOWELS or (first == "h" and name.split(" ")[0].lower() not in ASPIRATED_H):
        return f"d'{name}"
    return f"de {name}"


def colon() -> str:
    """A colon after a label: French puts a space before it (« Motif : »), English does not ("Reason:")."""
    return " :" if (get_language() or "fr").startswith("fr") else ":"
