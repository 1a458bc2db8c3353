"""An export saved again by a GIS tool, imported after the SIRENE register, from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from centreville.shops.models import Shop
from centreville.towns.models import Town

from .import_fixtures import QGIS_FILE, SIRENE_FILE, make_argentan

pytestmark = pytest.mark.django_db


@pytest.fixture
def argentan() -> Town:
    return make_argentan()


def test_a_gis_export_after_the_register(argentan: Town) -> None:
    call_command("import_sirene", "argentan", str(SIRENE_FILE), stdout=StringIO(), stderr=StringIO())
    out = StringIO()

    call_command("import_osm", "argentan", str(QGIS_FILE), stdout=out, stderr=StringIO())

    summary = out.getvalue()
    assert summary.splitlines()[-1] == (
        "import_osm rows=8 created=6 updated=0 unchanged=0 skipped=1 warnings=8 merged=1 status=done"
    )
    addresses = Shop.objects.for_town(argentan).values_list("street_address", "postcode", "city")
    assert not [address for address in addresses if "None" in " ".join(address)]
    bakery = Shop.objects.get(town=argentan, siret="81234567600017")
    assert (bakery.osm_id, bakery.name) == ("node/501", "Boulangerie du Marché")
    assert (bakery.opening_hours, bakery.opening_hours_raw) == (
        "Mo-Fr 07:00-13:00,15:00-19:30",
        "Mo-Fr 07:00-13:00 / 15:00-19:30",
    )
    assert Shop.objects.get(town=argentan, osm_id="node/503").street_address == "Les Halles"
    assert "Boulangerie de Rouen (node/508) — à 113 km du centre" in summary
    for name in ("Boulangerie du Marché", "Épicerie de Pierre", "Les Halles Bio", "Fleurs Sauvages"):
        assert f"      · {name} : " in summary
    for name in ("Café des Sports", "Tabac Presse du Centre", "Le Salon"):
        assert f"      · {name} : " in summary
