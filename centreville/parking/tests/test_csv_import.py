"""The import of car parks from the national « stationnement » file, messy as real files are."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from centreville.parking.csv_import import ImportFailed, import_car_parks
from centreville.parking.models import CarPark
from centreville.towns.models import Town

FILES = Path(__file__).parent / "files"


def test_a_messy_file_imports_its_good_lines_and_says_why_it_skips_the_others(argentan: Town) -> None:
    report = import_car_parks(town=argentan, data=(FILES / "stationnement_messy.csv").read_bytes())

    assert report.encoding == "cp1252"
    assert report.delimiter == ";"
    assert (report.created, report.updated) == (3, 0)
    assert [(line.line, line.reason) for line in report.skipped] == [
        (4, "nb_places : « douze » n'est pas un nombre entier"),
        (5, "identifiant en double (déjà ligne 2)"),
        (6, "parking d'une autre commune (INSEE 14118, celle-ci est 61006)"),
        (7, "nb_pmr : nombre négatif (-2)"),
        (8, "identifiant (id) absent"),
        (11, "Ylat : 95.0 hors des limites (-90 à 90)"),
    ]
    market = CarPark.objects.get(ref="61006-P-001")
    assert market.name == "Parking de la Place du Marché"  # accents read from Windows-1252
    assert str(market.longitude) == "-0.020950"
    assert str(market.price_1h) == "0.80"
    assert market.park_and_ride_spaces is None  # NULL
    assert market.is_free is False
    assert market.max_height_cm is None  # N/A
    germain = CarPark.objects.get(ref="61006-P-002")
    assert (germain.is_free, germain.max_height_cm, germain.disabled_spaces) == (True, 210, 3)
    fairground = CarPark.objects.get(ref="61006-P-005")
    assert (fairground.user_type, fairground.operator_siret, fairground.structure_type) == ("", "", "ouvrage")


def test_importing_again_changes_nothing_and_a_changed_line_updates(argentan: Town) -> None:
    import_car_parks(town=argentan, data=(FILES / "stationnement_messy.csv").read_bytes())
    again = import_car_parks(town=argentan, data=(FILES / "stationnement_messy.csv").read_bytes())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    # The same car parks in UTF-8 with a BOM and commas, fewer columns, one figure changed: the columns
    # the file lacks leave their fields as they were.
    other = import_car_parks(town=argentan, data=(FILES / "stationnement_bom_comma.csv").read_bytes())
    assert (other.encoding, other.delimiter) == ("utf-8", ",")
    assert (other.created, other.updated, other.unchanged) == (0, 1, 1)
    market = CarPark.objects.get(ref="61006-P-001")
    assert (market.capacity, market.bike_spaces, market.info) == (125, 10, "Gratuit le samedi après-midi")
    assert CarPark.objects.count() == 3


def test_a_file_without_the_schemas_columns_writes_nothing(argentan: Town) -> None:
    with pytest.raises(
        ImportFailed, match="Colonnes obligatoires absentes de l'en-tête : nb_places, Xlong, Ylat"
    ):
        import_car_parks(town=argentan, data=b"id;nom\n61006-P-001;Parking\n")
    with pytest.raises(ImportFailed, match="vide"):
        import_car_parks(town=argentan, data=b"")
    assert not CarPark.objects.exists()


def test_the_command_ends_with_its_summary_line(argentan: Town) -> None:
    out, err = StringIO(), StringIO()
    call_command("parking_import", "argentan", str(FILES / "stationnement_messy.csv"), stdout=out, stderr=err)

    assert out.getvalue().splitlines()[-1] == "parking_import created=3 updated=0 skipped=6"
    assert "ligne 6 (14118-P-001) écartée : parking d'une autre commune" in err.getvalue()
    with pytest.raises(CommandError, match="Commune inconnue"):
        call_command("parking_import", "nulle-part", str(FILES / "stationnement_messy.csv"), stdout=out)
