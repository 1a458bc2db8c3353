"""Parsers of live availability feeds, one module a format, each a pure function from the feed's bytes to
readings and rejected items (`ParseResult`). They never touch the database: `live.store_snapshot` matches
the readings with the town's car parks and keeps them.

    ngsi_v2.parse(data)                     FIWARE NGSI-v2 OffStreetParking entities
    opendatasoft.parse(data, mapping)       Opendatasoft records (Explore v2.1 `results`, v1 `records`)
    datex2.parse(data)                      DATEX II ParkingStatusPublication (2.x and 3)

A whole document that cannot be read raises `FeedUnreadable`, whose message is French and says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .base import FeedReading, FeedUnreadable, ParseResult, Rejection

Parser = Callable[..., ParseResult]  # (data, mapping, *, fetched_at=None)


def parser_for(format_name: str) -> Parser:
    """The parser of a feed format (`FeedFormat` values)."""
    from . import datex2, ngsi_v2, opendatasoft

    parsers: dict[str, Parser] = {
        "ngsi-v2": ngsi_v2.parse,
        "opendatasoft": opendatasoft.parse,
        "datex2": datex2.parse,
    }
    return parsers[format_name]


def parse_feed(
    format_name: str,
    data: bytes,
    mapping: Mapping[str, Any] | None = None,
    *,
    fetched_at: datetime | None = None,
) -> ParseResult:
    """Parse a feed of that format; `fetched_at` dates the records of an Opendatasoft feed without a
    time."""
    parse = parser_for(format_name)
    if format_name == "opendatasoft":
        return parse(data, mapping or {}, fetched_at=fetched_at)
    return parse(data, mapping or {})


__all__ = ["FeedReading", "FeedUnreadable", "ParseResult", "Parser", "Rejection", "parse_feed", "parser_for"]
