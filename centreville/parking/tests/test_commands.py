"""manage.py parking_feed_load: one snapshot from a file, its summary as the last line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from centreville.parking.models import Reading
from centreville.towns.models import Town

from .factories import CarParkFactory

FILES = Path(__file__).parent / "files"


def test_loading_a_datex2_snapshot(argentan: Town) -> None:
    CarParkFactory.create(town=argentan, ref="61006-P-001", capacity=120, feed_ref="P-MARCHE")
    CarParkFactory.create(town=argentan, ref="61006-P-002", capacity=65, feed_ref="P-GERMAIN")
    out, err = StringIO(), StringIO()

    call_command(
        "parking_feed_load",
        "argentan",
        str(FILES / "datex2_v2.xml"),
        "--format",
        "datex2",
        "--at",
        "2026-03-28T10:10:00+01:00",
        stdout=out,
        stderr=err,
    )

    assert out.getvalue().splitlines()[-1] == (
        "parking car_parks=2 readings=2 rejected=3 stale=0 free_total=34 capacity_total=185"
    )
    assert "P-GARE refusé : aucun parking de la commune n'a cet identifiant" in err.getvalue()
    assert "P-FAUX refusé : nombre de places libres négatif (-5)" in err.getvalue()

    # Loaded again half an hour later: the same readings are duplicates, and would be stale.
    out = StringIO()
    call_command(
        "parking_feed_load",
        "argentan",
        str(FILES / "datex2_v2.xml"),
        "--format",
        "datex2",
        "--at",
        "2026-03-28T10:40:00+01:00",
        stdout=out,
        stderr=StringIO(),
    )
    assert out.getvalue().splitlines()[-1].startswith("parking car_parks=0 readings=0 rejected=5 stale=0")
    assert Reading.objects.count() == 2


def test_stale_readings_are_counted(argentan: Town) -> None:
    CarParkFactory.create(town=argentan, ref="61006-P-001", capacity=120, feed_ref="P-MARCHE")
    out = StringIO()
    call_command(
        "parking_feed_load",
        "argentan",
        str(FILES / "datex2_v3.xml"),
        "--format",
        "datex2",
        "--at",
        "2026-03-28T09:30:00Z",
        stdout=out,
        stderr=StringIO(),
    )
    assert out.getvalue().splitlines()[-1] == (
        "parking car_parks=1 readings=1 rejected=0 stale=1 free_total=0 capacity_total=120"
    )


def test_a_malformed_file_changes_nothing(argentan: Town) -> None:
    CarParkFactory.create(town=argentan, ref="61006-P-001", feed_ref="P-MARCHE")
    with pytest.raises(CommandError, match="Le flux DATEX II n'est pas du XML valide"):
        call_command(
            "parking_feed_load",
            "argentan",
            str(FILES / "datex2_truncated.xml"),
            "--format",
            "datex2",
            stdout=StringIO(),
        )
    assert not Reading.objects.exists()
