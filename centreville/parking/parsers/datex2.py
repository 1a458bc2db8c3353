"""DATEX II `ParkingStatusPublication` (XML): version 2 (namespace http://datex2.eu/schema/2/2_0, the
Parking Publications extension of 2.3) and version 3 (http://datex2.eu/schema/3/parking), read by local
names so that both, and their usual prefixes, are understood.

Read in each `parkingRecordStatus`: `parkingRecordReference@id`, `parkingStatusOriginTime` (else the
publication's `publicationTime`), `parkingOccupancy/parkingNumberOfVacantSpaces` and
`parkingNumberOfOccupiedSpaces` (their sum is the capacity; else `parkingNumberOfSpacesOverride`),
`parkingSiteStatus` (spacesAvailable, almostFull, fullAtEntrance, full, unknown, other) and
`parkingSiteOpeningStatus` (open, closed…).

The XML is read with lxml's parser set safe: no entities expanded, no DTD loaded, nothing fetched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from ..states import State, feed_state
from .base import FeedReading, FeedUnreadable, ParseResult, check_numbers, parse_time, whole_number

KNOWN_SITE_STATUS = {"spacesavailable", "almostfull", "fullatentrance", "full", "unknown", "other"}
KNOWN_OPENING_STATUS = {"open", "closed", "closedabnormal", "openingtimesinforce", "unknown", "other"}


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element: Any, name: str) -> Any:
    for child in element.iter():
        if child is not element and _local(child) == name:
            return child
    return None


def _text(element: Any, name: str) -> str | None:
    found = _child(element, name)
    if found is None:
        return None
    # v3 wraps some values (<parkingSiteStatus><value>…</value>) or extends them with an enum element.
    text = (found.text or "").strip()
    if not text:
        inner = [(node.text or "").strip() for node in found.iter() if node is not found]
        text = next((value for value in inner if value), "")
    return text or None


def parse(data: bytes, mapping: Mapping[str, Any] | None = None) -> ParseResult:
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as error:
        raise FeedUnreadable(
            _("Le flux DATEX II n'est pas du XML valide : %(error)s.") % {"error": error}
        ) from error
    if root is None:
        raise FeedUnreadable(_("Le flux DATEX II est vide."))
    if root.getroottree().docinfo.internalDTD is not None:
        raise FeedUnreadable(_("Le flux DATEX II déclare une DTD (des entités) : refusé par sécurité."))
    statuses = [element for element in root.iter() if _local(element) == "parkingRecordStatus"]
    if not statuses:
        raise FeedUnreadable(
            _(
                "Le flux DATEX II n'a aucun « parkingRecordStatus » : "
                "est-ce bien une ParkingStatusPublication ?"
            )
        )
    published = _text(root, "publicationTime")
    result = ParseResult()
    for position, status in enumerate(statuses, start=1):
        reference = _child(status, "parkingRecordReference")
        ref = (reference.get("id") or "").strip() if reference is not None else ""
        if not ref:
            result.reject(f"#{position}", _("statut sans parkingRecordReference@id"))
            continue
        site_status = _text(status, "parkingSiteStatus")
        opening = _text(status, "parkingSiteOpeningStatus")
        if site_status is not None and site_status.lower() not in KNOWN_SITE_STATUS:
            result.reject(ref, _("parkingSiteStatus inconnu : %(value)s") % {"value": site_status})
            continue
        if opening is not None and opening.lower() not in KNOWN_OPENING_STATUS:
            result.reject(ref, _("parkingSiteOpeningStatus inconnu : %(value)s") % {"value": opening})
            continue
        said = (
            feed_state(opening)
            if opening and opening.lower().startswith("closed")
            else feed_state(site_status)
        )
        vacant_text = _text(status, "parkingNumberOfVacantSpaces")
        occupied_text = _text(status, "parkingNumberOfOccupiedSpaces")
        vacant, occupied = whole_number(vacant_text), whole_number(occupied_text)
        if occupied_text is not None and occupied is None:
            result.reject(
                ref, _("nombre de places occupées illisible : %(value)s") % {"value": occupied_text}
            )
            continue
        if occupied is not None and occupied < 0:
            result.reject(ref, _("nombre de places occupées négatif (%(value)s)") % {"value": occupied})
            continue
        capacity = whole_number(_text(status, "parkingNumberOfSpacesOverride"))
        if vacant is not None and occupied is not None and vacant >= 0:
            capacity = vacant + occupied
        if vacant is None and vacant_text is None and said in (State.CLOSED, State.NO_DATA):
            vacant = 0
        if not check_numbers(result, ref, vacant, capacity):
            continue
        stamp = _text(status, "parkingStatusOriginTime") or published
        observed_at = parse_time(stamp)
        if observed_at is None:
            result.reject(ref, _("heure du relevé absente ou illisible : %(value)s") % {"value": stamp})
            continue
        assert vacant is not None
        result.readings.append(
            FeedReading(ref=ref, free=vacant, capacity=capacity, said=said, observed_at=observed_at)
        )
    return result
