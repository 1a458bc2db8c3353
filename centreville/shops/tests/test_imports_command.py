"""The import_osm and import_sirene commands: progress bar on stderr, summary on stdout, an ImportRun kept."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from centreville.shops.models import ImportRun, ImportStatus, Shop, ShopSource
from centreville.towns.models import Town

from .import_fixtures import OSM_FILE, SIRENE_FILE, make_argentan

pytestmark = pytest.mark.django_db


@pytest.fixture
def argentan() -> Town:
    return make_argentan()


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_osm_shows_a_progress_bar_and_a_summary(argentan: Town) -> None:
    out, err = run("import_osm", "argentan", str(OSM_FILE))

    assert (
        "[##############################] 100 % · 15 lus · 7 créés · 0 mis à jour · 0 inchangés · 8 ignorés"
        in err
    )
    assert "7 créé(s), 0 mis à jour, 0 inchangé(s), 0 fusionné(s), 8 ignoré(s)." in out
    assert "  - Chaîne ou franchise (la ville n'accepte que les commerces indépendants) : 2" in out
    assert "      · Jules (node/1234567803) (Jules)" in out
    assert "  - Horaires corrigés automatiquement : à vérifier : 1" in out
    assert (
        "      · Librairie des Halles : « Tu-Fr 09:00-12:15 / 14:15-19:00 » → "
        "« Tu-Fr 09:00-12:15,14:15-19:00 »" in out
    )
    assert out.splitlines()[-1] == (
        "import_osm rows=15 created=7 updated=0 unchanged=0 skipped=8 warnings=3 merged=0 status=done"
    )
    run_row = ImportRun.objects.get(town=argentan)
    assert (run_row.source, run_row.status, run_row.created, run_row.progress) == (
        ShopSource.OSM,
        ImportStatus.DONE,
        7,
        100,
    )


def test_import_sirene_twice_creates_nothing_the_second_time(argentan: Town) -> None:
    run("import_sirene", "argentan", str(SIRENE_FILE))

    out, _err = run("import_sirene", "argentan", str(SIRENE_FILE))

    assert "0 créé(s), 0 mis à jour, 5 inchangé(s), 0 fusionné(s), 8 ignoré(s)." in out
    assert out.splitlines()[-1] == (
        "import_sirene rows=13 created=0 updated=0 unchanged=5 skipped=8 warnings=0 merged=0 status=done"
    )
    assert Shop.objects.for_town(argentan).count() == 5


def test_errors_are_told_in_french(argentan: Town, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Aucune ville à l'adresse « nulle-part »"):
        run("import_osm", "nulle-part", str(OSM_FILE))
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run("import_osm", "argentan", str(tmp_path / "absent.geojson"))
    with pytest.raises(CommandError, match=r"n'est pas du JSON lisible"):
        run("import_osm", "argentan", str(SIRENE_FILE))
    assert ImportRun.objects.get(town=argentan).status == ImportStatus.FAILED
