"""What every parser returns, and the checks they share (numbers, times)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..states import State


class FeedUnreadable(ValueError):
    """The whole feed cannot be read (not JSON, not XML, not the expected shape); the message is French."""


@dataclass(frozen=True)
class FeedReading:
    """One car park's free spaces as a feed gives them. `ref` is the feed's identifier of the car park;
    `capacity` None when the feed does not say it (the car park's own is then used); `said` what the feed
    says of its state (None: open, the numbers decide)."""

    ref: str
    free: int
    capacity: int | None
    said: State | None
    observed_at: datetime
    name: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class Rejection:
    ref: str
    reason: str  # French, for the town team


@dataclass
class ParseResult:
    readings: list[FeedReading] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    def reject(self, ref: str, reason: str) -> None:
        self.rejected.append(Rejection(ref=ref, reason=reason))


def load_json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise FeedUnreadable(_("Le flux n'est pas en UTF-8 : %(error)s.") % {"error": error}) from error
    except json.JSONDecodeError as error:
        raise FeedUnreadable(
            _("Le flux n'est pas du JSON valide (ligne %(line)s, colonne %(column)s) : %(message)s.")
            % {"line": error.lineno, "column": error.colno, "message": error.msg}
        ) from error


def whole_number(value: Any) -> int | None:
    """An integer from a number or a text ("12", "12.0", 12.0); None if it is none (or not whole)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    text = str(value).strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if math.isfinite(number) and number.is_integer() else None


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from an ISO 8601 text; None when missing, unreadable or without its offset (a feed
    time with no offset could be any hour)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def check_numbers(result: ParseResult, ref: str, free: int | None, capacity: int | None) -> bool:
    """Whether free and capacity can be kept; if not, the item is rejected with the French reason."""
    if free is None:
        result.reject(ref, _("nombre de places libres absent ou illisible"))
        return False
    if free < 0:
        result.reject(ref, _("nombre de places libres négatif (%(free)s)") % {"free": free})
        return False
    if capacity is not None and capacity < 0:
        result.reject(ref, _("capacité négative (%(capacity)s)") % {"capacity": capacity})
        return False
    if capacity is not None and free > capacity:
        result.reject(
            ref,
            _("plus de places libres (%(free)s) que de places (%(capacity)s)")
            % {"free": free, "capacity": capacity},
        )
        return False
    return True
