"""`manage.py import_counts`: a progress bar on stderr, a summary whose last line scripts read, an import kept
in the town's history, and a non-zero exit on a file that cannot be read."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from centreville.footfall.models import CountImport, CountingSite, ImportStatus, Measure
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .factories import FILES, CountingSiteFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def town() -> Town:
    return TownFactory.create(slug="argentan", insee_code="61006")


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_counts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_summary_whose_last_line_is_machine_readable(town: Town) -> None:
    out, err = run("argentan", str(FILES / "spring_fr_bom.csv"), str(FILES / "autumn_iso_cp1252.csv"))

    assert "[##############################] 100 % · enregistrement… · 100 valeurs lues · 2 rejetées" in err
    lines = out.splitlines()
    assert "spring_fr_bom.csv : Export de compteur (une colonne par canal), UTF-8 (BOM), 1 h" in lines
    assert "autumn_iso_cp1252.csv : Export de compteur (une colonne par canal), Windows-1252, 1 h" in lines
    assert "100 valeurs lues : 98 nouvelles, 0 mises à jour, 0 inchangées, 2 rejetées ; 4 canaux." in lines
    assert "      · autumn_iso_cp1252.csv ligne 7 : 2023-10-29 02:00" in lines
    # New channels go to a site named after their file: « Entrée » and « Sortie » of each file, 4 channels.
    total = (230 + 274 + 10 + 5) + (250 + 300)
    assert lines[-1] == (
        f"counts rows=100 imported=98 updated=0 unchanged=0 rejected=2 channels=4 total={total} "
        "first=2023-03-26T00:00:00+01:00 last=2023-10-29T23:00:00+01:00"
    )
    run_row = CountImport.objects.get(town=town)
    assert (run_row.status, run_row.imported, run_row.rejected, run_row.total, run_row.started_by) == (
        ImportStatus.DONE,
        98,
        2,
        total,
        None,
    )
    assert run_row.file_names == ["spring_fr_bom.csv", "autumn_iso_cp1252.csv"]


def test_again_the_same_file_is_unchanged(town: Town) -> None:
    run("argentan", str(FILES / "spring_fr_bom.csv"))

    out, _err = run("argentan", str(FILES / "spring_fr_bom.csv"))

    assert out.splitlines()[-1] == (
        "counts rows=48 imported=0 updated=0 unchanged=48 rejected=0 channels=2 total=519 "
        "first=2023-03-26T00:00:00+01:00 last=2023-03-27T00:00:00+02:00"
    )


def test_site_and_kind_options(town: Town) -> None:
    site = CountingSiteFactory.create(town=town, name="Pont Neuf", external_id="PN")

    run("argentan", str(FILES / "daily_fr.csv"), "--site", "PN", "--kind", "bike")

    assert list(site.channels.values_list("name", "kind")) == [("Piétons", "bike")]
    with pytest.raises(CommandError, match="Aucun site de comptage « Ailleurs »"):
        run("argentan", str(FILES / "daily_fr.csv"), "--site", "Ailleurs")


def test_errors_in_french_and_nothing_written(town: Town, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Aucune ville à l'adresse « nulle-part »"):
        run("nulle-part", str(FILES / "daily_fr.csv"))
    with pytest.raises(CommandError, match="Fichier illisible"):
        run("argentan", str(tmp_path / "absent.csv"))
    garbled = tmp_path / "image.csv"
    garbled.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CommandError, match="n'est pas un fichier texte lisible"):
        run("argentan", str(FILES / "daily_fr.csv"), str(garbled))
    assert not Measure.objects.exists()
    assert not CountingSite.objects.exists()
    failed = CountImport.objects.get(town=town)
    assert failed.status == ImportStatus.FAILED
    assert "image.csv" in failed.error


def test_the_exit_status_is_not_zero_on_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "manage.py", "import_counts", "nulle-part", str(tmp_path / "absent.csv")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
        },
    )

    assert completed.returncode != 0
    assert "Fichier illisible" in completed.stderr
