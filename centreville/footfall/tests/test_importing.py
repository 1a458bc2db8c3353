"""Counts from every format the importer reads, the lines it rejects, and what it never does: count twice,
import half a file, or touch another town's counters."""

from __future__ import annotations

import codecs
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.core.pagecache import town_versions
from centreville.footfall.importing import ImportFailed, _number, detect
from centreville.footfall.models import (
    CountingChannel,
    CountingSite,
    DailyCount,
    Measure,
    MobilityKind,
    MonthlyCount,
)
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .factories import FILES, CountingChannelFactory, CountingSiteFactory, import_files, source

pytestmark = pytest.mark.django_db


def daily(town: Town, name: str) -> dict[date, tuple[int, int, int]]:
    """A channel's days: total, hours with counts, hours in the day."""
    return {
        row.day: (row.total, row.hours_with_data, row.hours_expected)
        for row in DailyCount.objects.filter(channel__site__town=town, channel__name=name)
    }


def counts(town: Town, name: str) -> dict[datetime, int]:
    channel = CountingChannel.objects.get(site__town=town, name=name)
    return dict(Measure.objects.filter(channel=channel).values_list("start", "count"))


# --- Formats and encodings ---


def test_us_dates_with_words_and_am_pm() -> None:
    town = TownFactory.create()

    report = import_files(town, source("us_wordy.csv"))

    # 12:00 AM is midnight, 12:00 PM noon; Paris is UTC+1 in January.
    assert counts(town, "Counter A") == {
        datetime(2021, 12, 31, 23, tzinfo=UTC): 5,
        datetime(2022, 1, 1, 0, tzinfo=UTC): 7,
        datetime(2022, 1, 1, 11, tzinfo=UTC): 11,
        datetime(2022, 1, 1, 12, tzinfo=UTC): 13,
    }
    assert daily(town, "Counter A") == {date(2022, 1, 1): (36, 4, 24)}
    assert (report.rows, report.imported, report.files[0]["step"]) == (4, 4, "1 h")


def test_us_numeric_dates_month_first_tab_separated_and_an_empty_cell_is_a_gap() -> None:
    town = TownFactory.create()

    report = import_files(town, source("us_numeric_tab.csv"))

    assert daily(town, "North") == {date(2022, 1, 31): (11, 4, 24)}
    assert daily(town, "South") == {date(2022, 1, 31): (8, 3, 24)}  # 13:00 is empty: not a zero
    assert datetime(2022, 1, 31, 12, tzinfo=UTC) not in counts(town, "South")
    assert (report.rows, report.imported, report.rejected) == (7, 7, 0)


def test_daily_french_dates_last_a_day_of_23_hours_in_march() -> None:
    town = TownFactory.create()

    report = import_files(town, source("daily_fr.csv"))

    assert daily(town, "Piétons") == {
        date(2023, 3, 25): (1000, 24, 24),
        date(2023, 3, 26): (900, 23, 23),
        date(2023, 3, 28): (1100, 24, 24),
    }  # the 27th is empty: no day at all, a gap
    channel = CountingChannel.objects.get(site__town=town, name="Piétons")
    assert channel.time_step == 86_400
    assert dict(Measure.objects.filter(channel=channel).values_list("start", "duration")) == {
        datetime(2023, 3, 24, 23, tzinfo=UTC): 86_400,
        datetime(2023, 3, 25, 23, tzinfo=UTC): 82_800,
        datetime(2023, 3, 27, 22, tzinfo=UTC): 86_400,
    }
    assert report.files[0]["step"] == "1 jour"


def test_quarter_hours_with_iso_offsets_add_up_to_the_day() -> None:
    town = TownFactory.create()

    report = import_files(town, source("quarter_hours_iso.csv"))

    # 95 quarters of 2 passages (one empty): 190 passages over 23 h 45 min, 23 whole hours counted.
    assert daily(town, "Capteur 1") == {date(2022, 6, 1): (190, 23, 24)}
    assert DailyCount.objects.get(channel__site__town=town).is_complete
    assert CountingChannel.objects.get(site__town=town).time_step == 900
    assert (report.rows, report.files[0]["step"]) == (95, "15 min")


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [("utf-8", False, ";"), ("utf-8", True, ","), ("cp1252", False, ";"), ("cp1252", False, "\t")],
)
def test_each_encoding_and_separator_reads_the_same(encoding: str, bom: bool, delimiter: str) -> None:
    town = TownFactory.create()
    text = delimiter.join(["Date", "Entrée", "Sortie"]) + "\n"
    text += delimiter.join(["2023-01-02 10:00", "4", "5"]) + "\n"
    text += delimiter.join(["2023-01-02 11:00", "6", "7"]) + "\n"
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode(encoding)

    report = import_files(town, source("export.csv", data))

    assert daily(town, "Entrée") == {date(2023, 1, 2): (10, 2, 24)}
    assert daily(town, "Sortie") == {date(2023, 1, 2): (12, 2, 24)}
    assert (
        report.files[0]["encoding"]
        == {
            ("utf-8", False): "UTF-8",
            ("utf-8", True): "UTF-8 (BOM)",
            ("cp1252", False): "Windows-1252",
        }[(encoding, bom)]
    )


def test_a_date_column_and_a_time_column_and_a_title_line_above_the_header() -> None:
    town = TownFactory.create()
    data = (
        "Export Eco-Compteur du 03/01/2023\n"
        "Date;Heure;Vers le marché\n02/01/2023;10:00;4\n02/01/2023;11:00;6\n"
    )

    import_files(town, source("export.csv", data))

    assert daily(town, "Vers le marché") == {date(2023, 1, 2): (10, 2, 24)}


def test_the_format_is_read_from_the_content_not_the_name() -> None:
    assert detect(source("comptages.xlsx", (FILES / "spring_fr_bom.csv").read_bytes())).format == "vendor"
    assert (
        detect(source("mesures.txt", (FILES / "schema_measure.csv").read_bytes())).format == "schema_measure"
    )
    assert detect(source("a.csv", (FILES / "schema_site.csv").read_bytes())).format == "schema_site"
    assert detect(source("b.csv", (FILES / "schema_channel.csv").read_bytes())).format == "schema_channel"


# --- The national schema ---


def test_the_national_schema_files_together_and_another_towns_rows_are_reported() -> None:
    town = TownFactory.create(insee_code="61006")

    report = import_files(
        town, source("schema_measure.csv"), source("schema_channel.csv"), source("schema_site.csv")
    )

    site = CountingSite.objects.get(town=town)
    assert (site.external_id, site.name, site.kind) == ("S1", "Rue Principale", MobilityKind.PEDESTRIAN)
    assert (site.latitude, site.longitude) == (Decimal("48.744500"), Decimal("-0.020300"))
    channels = {
        channel.external_id: (channel.name, channel.direction, channel.kind, channel.time_step)
        for channel in CountingChannel.objects.filter(site=site)
    }
    assert channels == {
        "C1": ("Vers la mairie", "N", MobilityKind.PEDESTRIAN, 3600),
        "C2": ("Vers la gare", "S", MobilityKind.BIKE, 3600),
    }
    assert not CountingSite.objects.filter(external_id="S2").exists()
    # C1: 10 + 12 + 14 on the 27th (three hours of a 23-hour day); C2: 5 and 2.6 rounded to 3.
    assert daily(town, "Vers la mairie") == {date(2022, 3, 27): (36, 3, 23)}
    assert daily(town, "Vers la gare") == {date(2022, 3, 27): (8, 2, 23)}
    assert report.reasons == {"other_town": 3, "duplicate": 1, "negative": 1, "unknown_channel": 1}
    lines = {(line["file"], line["line"], line["reason"]) for line in report.rejections}
    assert lines == {
        ("schema_site.csv", 3, "other_town"),
        ("schema_channel.csv", 4, "other_town"),
        ("schema_measure.csv", 6, "duplicate"),
        ("schema_measure.csv", 7, "negative"),
        ("schema_measure.csv", 9, "other_town"),
        ("schema_measure.csv", 10, "unknown_channel"),
    }
    assert (report.rows, report.imported, report.rejected, report.channels) == (9, 5, 4, 2)


def test_measures_alone_are_refused_when_the_town_has_none_of_their_channels() -> None:
    town = TownFactory.create(insee_code="61006")

    with pytest.raises(ImportFailed, match="avec les fichiers des sites et des canaux"):
        import_files(town, source("schema_measure.csv"))

    assert not Measure.objects.exists()


def test_measures_alone_update_the_channels_the_town_has() -> None:
    town = TownFactory.create(insee_code="61006")
    import_files(town, source("schema_site.csv"), source("schema_channel.csv"), source("schema_measure.csv"))
    data = "channel_id,start_datetime,end_datetime,count\nC1,2022-03-27T00:00:00+01:00,,11\n"

    report = import_files(town, source("correction.csv", data))

    assert (report.imported, report.updated, report.unchanged) == (0, 1, 0)
    assert daily(town, "Vers la mairie") == {date(2022, 3, 27): (37, 3, 23)}


# --- Validation, line by line ---


def test_bad_lines_are_reported_with_their_numbers_and_the_rest_imported() -> None:
    town = TownFactory.create()

    report = import_files(town, source("bad_values.csv"))

    assert report.reasons == {
        "negative": 1,
        "not_a_number": 1,
        "too_large": 1,
        "duplicate": 1,
        "bad_date": 1,
        "bad_row": 1,
    }
    assert [(line["line"], line["reason"], line["channel"], line["value"]) for line in report.rejections] == [
        (3, "negative", "A", "-5"),
        (4, "not_a_number", "A", "abc"),
        (5, "too_large", "A", "20001"),
        (6, "duplicate", "", "01/06/2022 03:00"),
        (8, "bad_date", "", "32/06/2022 05:00"),
        (9, "bad_row", "", "01/06/2022 06:00;1"),
    ]
    # A: 10 (00:00) + 12 (04:00, « 12,0 ») + 5 (08:00); B: 20 × 4 + 1 234 (« 1 234 ») + 5.
    assert daily(town, "A") == {date(2022, 6, 1): (27, 3, 24)}
    assert daily(town, "B") == {date(2022, 6, 1): (1319, 6, 24)}
    assert (report.rows, report.imported, report.rejected) == (17, 9, 8)


def test_the_ceiling_follows_the_time_step() -> None:
    town = TownFactory.create()
    data = "Date,A\n2022-06-01T10:00,5000\n2022-06-01T10:15,5001\n2022-06-01T10:30,1\n"

    report = import_files(town, source("quarts.csv", data))

    assert [(line["line"], line["reason"]) for line in report.rejections] == [(3, "too_large")]


def test_a_value_in_the_hour_skipped_in_march_is_reported() -> None:
    town = TownFactory.create()
    data = "Date;A\n26/03/2023 01:00;4\n26/03/2023 02:00;7\n26/03/2023 03:00;5\n"

    report = import_files(town, source("printemps.csv", data))

    assert [(line["line"], line["reason"]) for line in report.rejections] == [(3, "missing_hour")]
    assert daily(town, "A") == {date(2023, 3, 26): (9, 2, 23)}


# --- Never twice, never half ---


def test_importing_again_updates_what_changed_and_never_doubles() -> None:
    town = TownFactory.create()
    import_files(town, source("spring_fr_bom.csv"))
    changed = (FILES / "spring_fr_bom.csv").read_text("utf-8-sig")
    changed = changed.replace("26/03/2023 00:00;10;0", "26/03/2023 00:00;11;0")
    changed = changed.replace("26/03/2023 01:00;10;1", "26/03/2023 01:00;10;100")
    changed += "27/03/2023 01:00;7;8\r\n"

    report = import_files(town, source("spring_fr_bom.csv", changed))

    assert (report.rows, report.imported, report.updated, report.unchanged) == (50, 2, 2, 46)
    assert daily(town, "Entrée")[date(2023, 3, 26)] == (231, 23, 23)
    assert daily(town, "Sortie")[date(2023, 3, 26)] == (373, 23, 23)  # 274 - 1 + 100
    assert daily(town, "Sortie")[date(2023, 3, 27)] == (13, 2, 24)
    assert report.total == 231 + 373 + 17 + 13
    assert Measure.objects.count() == 50
    assert CountingChannel.objects.count() == 2

    again = import_files(town, source("spring_fr_bom.csv", changed))

    assert (again.imported, again.updated, again.unchanged, again.total) == (0, 0, 50, report.total)
    assert MonthlyCount.objects.get(channel__name="Sortie").total == 373 + 13


def test_a_truncated_file_writes_nothing_not_even_the_other_files() -> None:
    town = TownFactory.create()
    whole = (FILES / "spring_fr_bom.csv").read_bytes()
    cut = whole[: whole.rindex(b"27/03/2023") + 14]  # « 27/03/2023 00: », and no line end

    with pytest.raises(ImportFailed, match="tronqué : sa dernière ligne \\(n° 26\\) est incomplète"):
        import_files(town, source("autumn_iso_cp1252.csv"), source("coupé.csv", cut))

    assert not CountingSite.objects.exists()
    assert not Measure.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "n'est pas un fichier texte lisible"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U0#\xf4\x00\x00", "n'est pas un fichier texte"),
        (b"nom;prix\npomme;3\n", "n'est pas d'un format reconnu"),
        (b"   \n", "est vide"),
        (b"Date;A;A\n01/01/2023 00:00;1;2\n", "deux colonnes du même nom"),
        (b"Date;A\n01/01/2023 00:00;1\n01/01/2023 00:07;1\n01/01/2023 00:14;1\n", "pas de temps"),
    ],
)
def test_files_that_cannot_be_read_get_a_french_error_and_write_nothing(data: bytes, message: str) -> None:
    town = TownFactory.create()

    with pytest.raises(ImportFailed, match=message):
        import_files(town, source("fichier.csv", data))

    assert not Measure.objects.exists()
    assert not CountingSite.objects.exists()


def test_a_file_of_mostly_garbage_lines_is_refused_whole() -> None:
    town = TownFactory.create()
    data = "Date;A\n01/01/2023 00:00;1\n" + "".join(f"@@{n};x;y;z\n" for n in range(30))

    with pytest.raises(ImportFailed, match="semble abîmé"):
        import_files(town, source("abime.csv", data))

    assert not Measure.objects.exists()


# --- Channels found again, in the right town ---


def test_columns_find_the_towns_channels_by_name_or_identifier_and_never_another_towns() -> None:
    town = TownFactory.create()
    elsewhere = CountingChannelFactory.create(name="Entrée", site__name="Spring fr bom")
    known = CountingChannelFactory.create(site__town=town, name="Porte Nord", external_id="Entrée")

    import_files(town, source("spring_fr_bom.csv"))

    assert daily(town, "Porte Nord")[date(2023, 3, 26)] == (230, 23, 23)
    assert not DailyCount.objects.filter(channel=elsewhere).exists()
    sortie = CountingChannel.objects.get(site__town=town, name="Sortie")
    assert sortie.site.name == "Spring fr bom"  # a new channel, in a site named after the file
    assert known.site != sortie.site


def test_new_columns_go_to_the_site_and_kind_asked_for() -> None:
    town = TownFactory.create()
    site = CountingSiteFactory.create(town=town, name="Pont Neuf", kind=MobilityKind.BIKE)

    import_files(town, source("spring_fr_bom.csv"), site=site, kind=MobilityKind.BIKE)

    assert set(site.channels.values_list("name", "kind")) == {
        ("Entrée", MobilityKind.BIKE),
        ("Sortie", MobilityKind.BIKE),
    }
    assert CountingSite.objects.filter(town=town).count() == 1


def test_the_same_new_channel_in_two_files_is_one_channel_and_a_repeated_hour_a_duplicate() -> None:
    town = TownFactory.create()
    january = "Date;A\n02/01/2023 10:00;4\n02/01/2023 11:00;6\n"
    overlap = "Date;A\n02/01/2023 11:00;9\n02/01/2023 12:00;1\n"

    report = import_files(town, source("compteur.csv", january), source("compteur.csv", overlap))

    assert daily(town, "A") == {date(2023, 1, 2): (11, 3, 24)}  # the first file's 11:00 is kept
    assert [(line["line"], line["reason"]) for line in report.rejections] == [(2, "duplicate")]


@pytest.mark.parametrize(
    ("cell", "count"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("12,0", 12),
        ("12.5", 13),
        ("0,125", 0),
        ("1,234", 1234),
        ("1 234", 1234),
        ("", None),
    ],
)
def test_numbers_as_spreadsheets_write_them(cell: str, count: int | None) -> None:
    assert _number(cell) == count


def test_an_import_makes_the_towns_public_pages_stale_once_committed(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    town, other = TownFactory.create(), TownFactory.create()
    assert town_versions((town.pk, other.pk)) == "0.0"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_files(town, source("daily_fr.csv"))

    assert len(callbacks) == 1
    assert town_versions((town.pk, other.pk)) == "1.0"  # its open data and pages show the new counts


def test_a_failed_import_leaves_the_towns_pages_cached(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    town = TownFactory.create()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ImportFailed):
        import_files(town, source("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"))

    assert town_versions((town.pk,)) == "0"
