"""What every import format reads into, and the report of an import.

A reader turns a file into `ReadItem`s: an `EventData` (the event as the agenda stores it) or the French
reason it cannot be imported. `storing.store_events()` writes them and fills the `ImportReport`: each item
created, updated or skipped, with why, in French.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from ..models import TOWN_KINDS, EventKind, EventStatus

# A calendar file larger than this is refused before being read (a town's agenda is well below).
MAX_FILE_BYTES = 10 * 1024 * 1024
ICAL = "ical"
OPENAGENDA = "openagenda"
AUTO = "auto"
FORMATS = {ICAL: "iCalendar (.ics)", OPENAGENDA: "OpenAgenda (JSON)"}

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"  # already imported as the source has it: nothing written
SKIPPED = "skipped"  # not imported: the reason says why


class ImportFailed(Exception):
    """The file cannot be imported at all; the message is French, for the person who sent it."""


@dataclass(frozen=True)
class SourceFile:
    name: str
    data: bytes


@dataclass
class EventData:
    """An event read from a file, with the fields of `Event` it sets (dates aware, on `timezone`)."""

    source_uid: str
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    description: str = ""
    all_day: bool = False
    rrule: str = ""
    exdates: list[str] = field(default_factory=list)
    timings: list[list[str]] = field(default_factory=list)
    status: str = EventStatus.SCHEDULED
    venue_name: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    registration_url: str = ""
    accessibility: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    is_free: bool = True
    price_details: str = ""
    organiser_name: str = ""
    source_updated_at: datetime | None = None
    # What the reader could not keep (an override of one date…), told in the report.
    notes: list[str] = field(default_factory=list)

    def fields(self) -> dict[str, Any]:
        """The values of the event's columns, as they are compared and written."""
        return {
            "title": self.title,
            "kind": self.kind,
            "description": self.description,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "timezone": self.timezone,
            "all_day": self.all_day,
            "rrule": self.rrule,
            "exdates": self.exdates,
            "timings": self.timings,
            "status": self.status,
            "venue_name": self.venue_name,
            "address": self.address,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "registration_url": self.registration_url,
            "accessibility": self.accessibility,
            "audiences": self.audiences,
            "is_free": self.is_free,
            "price_details": self.price_details,
            "organiser_name": self.organiser_name,
        }


@dataclass
class ReadItem:
    """One item of the file: its event, or why it cannot be imported (`skip`)."""

    uid: str
    title: str
    data: EventData | None = None
    skip: str = ""


@dataclass
class ItemOutcome:
    uid: str
    title: str
    outcome: str  # CREATED, UPDATED, UNCHANGED or SKIPPED
    reason: str
    notes: list[str] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return {
            CREATED: _("Créé"),
            UPDATED: _("Mis à jour"),
            UNCHANGED: _("Inchangé"),
            SKIPPED: _("Laissé de côté"),
        }[self.outcome]


@dataclass
class ImportReport:
    """What an import did, item by item."""

    file_name: str = ""
    format: str = ""
    items: list[ItemOutcome] = field(default_factory=list)

    def add(self, item: ItemOutcome) -> None:
        self.items.append(item)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def skipped(self) -> int:
        return self.count(SKIPPED)

    @property
    def format_label(self) -> str:
        return FORMATS.get(self.format, self.format)

    def lines(self) -> list[str]:
        """The report in French, one line per item."""
        lines = []
        for item in self.items:
            label = item.title or item.uid or _("(sans titre)")
            lines.append(f"{item.outcome_label} — {label} : {item.reason}")
            lines.extend(f"    {note}" for note in item.notes)
        return lines

    def summary_line(self) -> str:
        """The command's last line, for scripts."""
        return (
            f"events created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"skipped={self.skipped}"
        )


# --- Reading text ------------------------------------------------------------------------------------------


def decode_text(source: SourceFile) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 or Latin-1.

    Line ends are made CRLF-free (LF), which both formats' parsers read. ImportFailed when it is no text.
    """
    data = source.data
    if not data.strip():
        raise ImportFailed(_("Le fichier « %(name)s » est vide.") % {"name": source.name})
    text: str | None = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    elif b"\x00" not in data[:65_536]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if text is None:
        raise ImportFailed(
            _(
                "Le fichier « %(name)s » n'est pas un fichier texte lisible : il est peut-être abîmé ou "
                "compressé."
            )
            % {"name": source.name}
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(text: str) -> str:
    """ICAL or OPENAGENDA from the content; ImportFailed when it is neither."""
    start = text.lstrip()[:200].upper()
    if start.startswith("BEGIN:VCALENDAR"):
        return ICAL
    if start.startswith(("{", "[")):
        return OPENAGENDA
    raise ImportFailed(
        _(
            "Format de fichier inconnu : ni un calendrier iCalendar (.ics, commençant par BEGIN:VCALENDAR), "
            "ni un export OpenAgenda (JSON)."
        )
    )


# --- Shared mapping ----------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"\s+", " ", "".join(c for c in decomposed if not unicodedata.combining(c))).strip()


# Words of categories and keywords (folded), and the kind they mean; the kinds' own labels are added below.
_KIND_WORDS: dict[str, str] = {
    "marche": EventKind.MARKET,
    "marches": EventKind.MARKET,
    "market": EventKind.MARKET,
    "brocante": EventKind.MARKET,
    "vide-grenier": EventKind.MARKET,
    "marche de noel": EventKind.CHRISTMAS_MARKET,
    "noel": EventKind.CHRISTMAS_MARKET,
    "christmas": EventKind.CHRISTMAS_MARKET,
    "christmas market": EventKind.CHRISTMAS_MARKET,
    "concert": EventKind.CONCERT,
    "concerts": EventKind.CONCERT,
    "musique": EventKind.CONCERT,
    "music": EventKind.CONCERT,
    "exposition": EventKind.EXHIBITION,
    "expositions": EventKind.EXHIBITION,
    "expo": EventKind.EXHIBITION,
    "exhibition": EventKind.EXHIBITION,
    "festival": EventKind.FESTIVAL,
    "fete": EventKind.FESTIVAL,
    "fetes": EventKind.FESTIVAL,
    "festivites": EventKind.FESTIVAL,
    "carnaval": EventKind.FESTIVAL,
}


def kind_from_words(words: list[str], *, default: str) -> str:
    """The town event kind the first known category or keyword names, else `default`."""
    known = dict(_KIND_WORDS)
    for kind in TOWN_KINDS:
        known.setdefault(_fold(str(EventKind(kind).label)), kind)
        known.setdefault(_fold(kind), kind)
    for word in words:
        found = known.get(_fold(word))
        if found is not None:
            return found
    return default


def clip(text: str, length: int) -> str:
    """`text` on one line if it must be, cut at `length` characters with an ellipsis."""
    text = text.strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def coordinate(value: Any, limit: int) -> Decimal | None:
    """A latitude (limit 90) or longitude (180) with 6 decimals, or None when absent or impossible."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None
    return number if abs(number) <= limit and number.is_finite() else None


def is_web_address(value: str) -> bool:
    """Whether `value` is an address the event's link may hold (http or https, at most 200 characters)."""
    if not value.startswith(("http://", "https://")) or len(value) > 200:
        return False
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True
