"""Test factories of counting sites and channels, and a helper that imports files from `files/`."""

from __future__ import annotations

from pathlib import Path

import factory
from factory.django import DjangoModelFactory

from centreville.footfall.importing import ImportReport, SourceFile, counts_import
from centreville.footfall.models import CountingChannel, CountingSite, MobilityKind
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

FILES = Path(__file__).parent / "files"


class CountingSiteFactory(DjangoModelFactory[CountingSite]):
    class Meta:
        model = CountingSite

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"Rue du Compteur {n}")
    kind = MobilityKind.PEDESTRIAN


class CountingChannelFactory(DjangoModelFactory[CountingChannel]):
    class Meta:
        model = CountingChannel

    site = factory.SubFactory(CountingSiteFactory)
    name = factory.Sequence(lambda n: f"Sens {n}")
    kind = MobilityKind.PEDESTRIAN
    time_step = 3600


def source(name: str, data: bytes | str | None = None) -> SourceFile:
    """A file of `files/` (or the given content under that name)."""
    if data is None:
        return SourceFile(name, (FILES / name).read_bytes())
    return SourceFile(name, data.encode("utf-8") if isinstance(data, str) else data)


def import_files(
    town: Town, *sources: SourceFile, site: CountingSite | None = None, kind: str = MobilityKind.PEDESTRIAN
) -> ImportReport:
    return counts_import(town=town, sources=list(sources), site=site, kind=kind)
