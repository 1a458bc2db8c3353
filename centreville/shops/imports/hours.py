"""Opening hours as sources write them, read into OpenStreetMap syntax when the intent is unambiguous.

OpenStreetMap and shop owners write hours in many near-miss forms: "Mo-Fr 09:00-12:00 / 14:00-19:00",
"Lu-Ve 9h-12h", "Mo-Sa 9-12", dashes "–", a trailing ";", "24h/24". `read_opening_hours()` repairs the
common mistakes one by one, keeps the result only if the opening-hours library validates it, and says
what it did, so that an import can store the source's text beside the hours and name the shops to check.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from centreville.shops.hours import valid_expression

MAX_LENGTH = 255  # Shop.opening_hours


class HoursStatus(enum.Enum):
    EMPTY = "empty"
    VALID = "valid"  # valid as written
    REPAIRED = "repaired"  # valid once common mistakes are corrected
    EVERY_DAY = "every_day"  # valid, but no day is named: read as every day, worth a look
    INVALID = "invalid"  # not understood: nothing kept but the source's text


@dataclass(frozen=True)
class HoursReading:
    raw: str  # the source's text, surrounding space removed
    value: str  # what the shop's opening_hours should hold ("" when not understood)
    status: HoursStatus

    @property
    def needs_a_look(self) -> bool:
        return self.status in (HoursStatus.REPAIRED, HoursStatus.EVERY_DAY, HoursStatus.INVALID)


def is_valid(text: str) -> bool:
    return bool(text) and len(text) <= MAX_LENGTH and valid_expression(text)


_FRENCH_DAYS = {
    "lundi": "Mo",
    "lun": "Mo",
    "lu": "Mo",
    "mardi": "Tu",
    "ma": "Tu",
    "mercredi": "We",
    "mer": "We",
    "me": "We",
    "jeudi": "Th",
    "jeu": "Th",
    "je": "Th",
    "vendredi": "Fr",
    "ven": "Fr",
    "ve": "Fr",
    "samedi": "Sa",
    "sam": "Sa",
    "dimanche": "Su",
    "dim": "Su",
    "di": "Su",
}
_FRENCH_DAY = re.compile(r"\b(" + "|".join(sorted(_FRENCH_DAYS, key=len, reverse=True)) + r")\b\.?", re.I)
# "mar" is both mardi and March: read as a day only beside other French day names.
_MARDI = re.compile(r"\bmar\b\.?", re.I)
_MONTH_OR_YEAR = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b|\b\d{4}\b", re.I)
_ROUND_THE_CLOCK = re.compile(
    r"^(?:(?:7\s*j?\s*/\s*7|tous les jours)[\s,]*)?(?:24\s*h?\s*/\s*24|24\s*h\s*24|24\s*/\s*7)"
    r"(?:[\s,]*(?:7\s*j?\s*/\s*7|tous les jours))?$",
    re.I,
)
_TIME = r"\d{1,2}:\d{2}"


def _repair(text: str) -> str:
    """The text with every common mistake corrected; the caller validates the result."""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # typographic dashes and minus
    text = re.sub(r"[\u00a0\u202f\s]+", " ", text).strip()
    if _ROUND_THE_CLOCK.match(text):
        return "24/7"
    french = bool(_FRENCH_DAY.search(text))
    text = _FRENCH_DAY.sub(lambda m: _FRENCH_DAYS[m.group(1).lower()], text)
    if french:
        text = _MARDI.sub("Tu", text)
        text = re.sub(r"\b(?:jours? )?f[ée]ri[ée]s?\b", "PH", text, flags=re.I)
        text = re.sub(r"\bferm[ée]e?s?\b", "off", text, flags=re.I)
        text = re.sub(r"(?<=[a-z]) au (?=[A-Z][a-z])", "-", text)  # "Mo au Fr"
        text = re.sub(r"\b[Dd]u (?=(?:Mo|Tu|We|Th|Fr|Sa|Su)\b)", "", text)  # "du Mo-Fr"
    text = re.sub(r"\b(closed|ferm[ée])\b", "off", text, flags=re.I)
    # Day names in any case: "mo-fr" → "Mo-Fr".
    text = re.sub(
        r"\b(mo|tu|we|th|fr|sa|su|ph)\b",
        lambda m: m.group(1).capitalize().replace("Ph", "PH"),
        text,
        flags=re.I,
    )
    # "9h", "9h30", "9 h 30", "09H00" → "09:00".
    text = re.sub(
        r"\b(\d{1,2})\s*[hH]\s*(\d{2})?\b", lambda m: f"{int(m.group(1)):02d}:{m.group(2) or '00'}", text
    )
    # Bare hours "9-12" (never in a text holding dates, where "01-05" would be days of a month).
    if not _MONTH_OR_YEAR.search(text):
        text = re.sub(
            r"(?<![\d:])(\d{1,2})\s*-\s*(\d{1,2})(?![\d:])",
            lambda m: (
                f"{int(m.group(1)):02d}:00-{int(m.group(2)):02d}:00"
                if int(m.group(1)) <= 24 and int(m.group(2)) <= 24
                else m.group(0)
            ),
            text,
        )
    text = re.sub(r"(?<!\d)(\d):(\d{2})", r"0\1:\2", text)  # "9:00" → "09:00"
    text = re.sub(rf"({_TIME})\s*-\s*({_TIME})", r"\1-\2", text)
    # Two time ranges of one day joined by "/", "et", "and", "&", "+" or a space: OSM uses a comma.
    joined = re.compile(rf"({_TIME}-{_TIME})\s*(?:/|\bet\b|\band\b|&|\+|\s)\s*(?={_TIME})", re.I)
    text = joined.sub(r"\1,", text)
    text = re.sub(r"\s*,\s*(?=\d)", ",", text)
    # "Mo-Fr: 09:00-12:00" → "Mo-Fr 09:00-12:00".
    text = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\s*:\s*(?=\d)", r"\1 ", text)
    text = re.sub(r"\s*-\s*(?=(?:Mo|Tu|We|Th|Fr|Sa|Su)\b)", "-", text)
    # Rules: no empty ones, no trailing ";"; a rule of times alone after a rule with days continues it
    # ("Tu-Sa 09:00-12:00 ; 14:00-19:00" would otherwise open every afternoon of the week).
    rules: list[str] = []
    for rule in (part.strip() for part in text.split(";")):
        if not rule:
            continue
        if rules and re.fullmatch(rf"{_TIME}-{_TIME}(?:,{_TIME}-{_TIME})*", rule) and rules[-1][:1].isalpha():
            rules[-1] = f"{rules[-1]},{rule}"
        else:
            rules.append(rule)
    return "; ".join(rules)


def _names_no_day(text: str) -> bool:
    """A rule that starts with a time: it applies to every day of the week (dates start with a year)."""
    return any(re.match(r"\d{1,2}:\d{2}", rule.strip()) for rule in text.split(";"))


def read_opening_hours(raw: str | None) -> HoursReading:
    """The source's hours read into OpenStreetMap syntax, repaired only when the result is valid.

    Valid hours are kept as written, unless a rule names no day: "09:00-19:00" means every day (kept, to
    check), and "Tu-Sa 09:00-12:00; 14:00-19:00" is repaired into one rule, as its author meant.
    """
    text = (raw or "").strip()
    if not text:
        return HoursReading("", "", HoursStatus.EMPTY)
    if is_valid(text):
        if not _names_no_day(text):
            return HoursReading(text, text, HoursStatus.VALID)
        repaired = _repair(text)
        if repaired != text and is_valid(repaired) and not _names_no_day(repaired):
            return HoursReading(text, repaired, HoursStatus.REPAIRED)
        return HoursReading(text, text, HoursStatus.EVERY_DAY)
    repaired = _repair(text)
    if is_valid(repaired):
        return HoursReading(text, repaired, HoursStatus.REPAIRED)
    return HoursReading(text, "", HoursStatus.INVALID)
