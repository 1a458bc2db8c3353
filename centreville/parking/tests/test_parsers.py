"""The three feed parsers on real-shaped documents: what they read, what they refuse and why (in French)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from centreville.parking.parsers import FeedUnreadable, datex2, ngsi_v2, opendatasoft, parse_feed
from centreville.parking.states import State

FILES = Path(__file__).parent / "files"


def _read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def _by_ref(result: opendatasoft.ParseResult) -> dict:
    return {reading.ref: reading for reading in result.readings}


def _reasons(result: opendatasoft.ParseResult) -> dict[str, str]:
    return {item.ref: item.reason for item in result.rejected}


def test_ngsi_normalized_entities() -> None:
    result = ngsi_v2.parse(_read("ngsi_normalized.json"))
    readings = _by_ref(result)

    assert set(readings) == {"urn:ngsi-ld:parking:001", "urn:ngsi-ld:parking:002"}
    comedie = readings["urn:ngsi-ld:parking:001"]
    assert (comedie.free, comedie.capacity, comedie.said) == (312, 1000, None)
    assert comedie.observed_at == datetime(2026, 3, 28, 9, 58, tzinfo=UTC)
    assert comedie.name == "Comédie"
    assert (comedie.latitude, comedie.longitude) == (Decimal("43.608177"), Decimal("3.879483"))
    assert readings["urn:ngsi-ld:parking:002"].said == State.CLOSED
    reasons = _reasons(result)
    assert reasons["urn:ngsi-ld:parking:003"] == "plus de places libres (650) que de places (600)"
    assert reasons["urn:ngsi-ld:parking:004"] == "nombre de places libres négatif (-3)"
    assert reasons["urn:ngsi-ld:parking:005"] == "nombre de places libres absent ou illisible"
    assert reasons["urn:ngsi-ld:parking:006"].startswith("heure du relevé absente ou illisible")
    assert (
        reasons["urn:ngsi-ld:OnStreetParking:007"] == "entité de type OnStreetParking, pas OffStreetParking"
    )


def test_ngsi_key_values_and_status_lists() -> None:
    result = ngsi_v2.parse(_read("ngsi_keyvalues.json"))
    readings = _by_ref(result)

    arceaux = readings["urn:ngsi-ld:OffStreetParking:a"]
    assert arceaux.said == State.ALMOST_FULL  # ["open", "almostFull"]: the more telling wins
    assert arceaux.observed_at == datetime(2026, 3, 28, 9, 58, tzinfo=UTC)  # +01:00 read right
    assert readings["urn:ngsi-ld:OffStreetParking:b"].said == State.FULL
    reasons = _reasons(result)
    # A time without its offset could be any hour: refused rather than guessed.
    assert reasons["urn:ngsi-ld:OffStreetParking:c"].startswith("heure du relevé absente ou illisible")
    assert reasons["urn:ngsi-ld:OffStreetParking:d"] == "état inconnu : enTravaux"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[{", "Le flux n'est pas du JSON valide (ligne 1, colonne 3)"),
        (b'{"error": "NotFound"}', "Le flux NGSI-v2 doit être une liste d'entités OffStreetParking."),
        (b"\xff\xfe[]", "Le flux n'est pas en UTF-8"),
    ],
)
def test_ngsi_unreadable_documents_say_why(data: bytes, message: str) -> None:
    with pytest.raises(FeedUnreadable, match=message.replace("(", r"\(").replace(")", r"\)")):
        ngsi_v2.parse(data)


def test_opendatasoft_strasbourg_v21_records_dated_when_fetched() -> None:
    fetched = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)
    result = opendatasoft.parse(_read("ods_strasbourg_v21.json"), {}, fetched_at=fetched)
    readings = _by_ref(result)

    assert readings["2ee-89"].free == 284
    assert readings["2ee-89"].capacity == 660
    assert readings["2ee-89"].said is None
    assert readings["2ee-89"].name == "Austerlitz"
    assert readings["2ee-89"].observed_at == fetched
    assert readings["2ee-90"].said == State.FULL
    assert (readings["2ee-91"].said, readings["2ee-91"].free) == (State.CLOSED, 0)
    # No `idsurfs`: its `ident` names it.
    assert readings["5"].free == 10
    assert _reasons(result) == {"2ee-92": "nombre de places libres absent ou illisible"}


def test_opendatasoft_v1_records_with_a_mapping() -> None:
    mapping = {
        "id": "identifiant",
        "free": "places_dispo",
        "total": "capacite",
        "status": "statut",
        "time": "horodatage",
    }
    result = opendatasoft.parse(_read("ods_v1_mapped.json"), mapping)
    readings = _by_ref(result)

    assert readings["PK-GARE"].observed_at == datetime(2026, 3, 28, 9, 56, tzinfo=UTC)
    # No time field in that record: the v1 record's own timestamp.
    assert readings["PK-HALLES"].observed_at == datetime(2026, 3, 28, 9, 57, tzinfo=UTC)
    assert (readings["PK-HALLES"].free, readings["PK-HALLES"].capacity) == (3, 80)


def test_opendatasoft_without_time_nor_fetch_time_is_refused() -> None:
    result = opendatasoft.parse(b'{"results": [{"idsurfs": "x", "libre": 1, "total": 2}]}', {})
    assert _reasons(result)["x"].startswith("heure du relevé absente")


def test_opendatasoft_bad_mapping_and_shape() -> None:
    with pytest.raises(FeedUnreadable, match="clé inconnue « libre »"):
        opendatasoft.parse(b'{"results": []}', {"libre": "places"})
    with pytest.raises(FeedUnreadable, match="ni « results »"):
        opendatasoft.parse(b'{"nhits": 0}', {})


def test_datex2_v2_publication() -> None:
    result = datex2.parse(_read("datex2_v2.xml"))
    readings = _by_ref(result)

    marche = readings["P-MARCHE"]
    assert (marche.free, marche.capacity, marche.said) == (30, 120, None)
    assert marche.observed_at == datetime(2026, 3, 28, 8, 58, tzinfo=UTC)
    assert readings["P-GERMAIN"].said == State.ALMOST_FULL
    assert (readings["P-GARE"].said, readings["P-GARE"].free, readings["P-GARE"].capacity) == (
        State.CLOSED,
        0,
        None,
    )
    reasons = _reasons(result)
    assert reasons == {
        "P-FAUX": "nombre de places libres négatif (-5)",
        "P-BIZARRE": "parkingSiteStatus inconnu : plein-a-craquer",
    }


def test_datex2_v3_publication() -> None:
    (reading,) = datex2.parse(_read("datex2_v3.xml")).readings
    assert (reading.ref, reading.free, reading.capacity, reading.said) == ("P-MARCHE", 0, 120, State.FULL)
    assert reading.observed_at == datetime(2026, 3, 28, 8, 58, 30, tzinfo=UTC)


def test_datex2_malformed_xml_is_refused_with_a_french_message() -> None:
    with pytest.raises(FeedUnreadable, match="Le flux DATEX II n'est pas du XML valide"):
        datex2.parse(_read("datex2_truncated.xml"))
    with pytest.raises(FeedUnreadable, match="aucun « parkingRecordStatus »"):
        datex2.parse(b"<html><body>Maintenance</body></html>")


def test_datex2_entities_are_never_expanded_nor_fetched() -> None:
    with pytest.raises(FeedUnreadable) as raised:
        datex2.parse(_read("datex2_entities.xml"))
    assert "root:" not in str(raised.value)
    internal_only = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b'<d2LogicalModel xmlns="http://datex2.eu/schema/2/2_0"><parkingRecordStatus>'
        b'<parkingRecordReference id="&b;"/></parkingRecordStatus></d2LogicalModel>'
    )
    with pytest.raises(FeedUnreadable, match="déclare une DTD"):
        datex2.parse(internal_only)


def test_parse_feed_dispatches_by_format() -> None:
    assert len(parse_feed("datex2", _read("datex2_v3.xml")).readings) == 1
    assert len(parse_feed("ngsi-v2", _read("ngsi_keyvalues.json")).readings) == 2
