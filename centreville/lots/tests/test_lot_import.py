"""Lots imported from a spreadsheet: messy files, a per-line report, idempotent by référence."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from centreville.enterprises.tests.factories import EnterpriseFactory, EnterpriseMemberFactory
from centreville.lots.lot_import import ImportRefused, lot_import, template_csv
from centreville.lots.models import Lot, Unit, VatRate
from centreville.lots.tests.factories import LotFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("platform_categories")]

HEADER = (
    "référence;produit;catégorie;unité;unités par colis;quantité disponible;minimum;multiple;prix HT;TVA;"
    "disponible du;disponible au;poids variable;poids estimé;labels;description"
)


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join((HEADER, *lines)) + "\r\n").encode(encoding)


def test_a_messy_cp1252_file_imports_its_good_lines_and_reports_the_bad_ones_by_line() -> None:
    # Given a producer and a file written by a French Excel: cp1252, `;`, decimal commas, a blank line,
    # a duplicate référence, an unknown category, a negative quantity and a missing price
    farm = EnterpriseFactory.create()
    content = csv_bytes(
        "CAR-10;Carottes de sable;Fruits et légumes;kg;10;35;1;1;1,20;5,5;01/10/2027;31/03/2028;non;;AB;",
        "",
        "POU-1;Poulet fermier;viandes-charcuterie;pièce;;12;1;1;9,80;;;;oui;1,8;Label Rouge, fermier;",
        "CAR-10;Carottes encore;Fruits et légumes;kg;;5;1;1;1,00;;;;;;;",
        "XX-1;Chose;Voitures;kg;;5;1;1;1,00;;;;;;;",
        "NEG-1;Pommes;Fruits et légumes;kg;;-3;1;1;1,00;;;;;;;",
        "PRI-1;Poires;Fruits et légumes;kg;;3;1;1;;;;;;;;",
        encoding="cp1252",
    )

    # When it is imported
    report = lot_import(enterprise=farm, content=content, filename="lots.csv")

    # Then the two good lines are lots, and each bad line is skipped with its line number and reason
    assert (report.created, report.updated, report.unchanged, report.skipped) == (2, 0, 0, 4)
    carrots = Lot.objects.get(enterprise=farm, sku="CAR-10")
    assert carrots.title == "Carottes de sable"
    assert carrots.case_size == Decimal("10")
    assert carrots.unit_price == Decimal("1.2")
    assert carrots.vat_rate == VatRate.REDUCED
    assert (carrots.available_from, carrots.available_until) == (date(2027, 10, 1), date(2028, 3, 31))
    assert carrots.labels == ["ab"]
    assert (carrots.latitude, carrots.longitude) == (farm.latitude, farm.longitude)
    chicken = Lot.objects.get(enterprise=farm, sku="POU-1")
    assert chicken.unit == Unit.PIECE
    assert chicken.variable_weight
    assert chicken.estimated_weight == Decimal("1.8")
    assert chicken.vat_rate == VatRate.REDUCED  # blank: the rule's rate for meat
    assert chicken.labels == ["label_rouge", "fermier"]
    texts = {line.line: line.text for line in report.skipped_lines}
    assert "ligne 5" in texts[5]
    assert "ligne 2" in texts[5]
    assert "catégorie « Voitures » inconnue" in texts[6]
    assert "quantité disponible : valeur négative (-3)" in texts[7]
    assert "prix HT" in texts[8]


def test_importing_the_same_file_again_creates_nothing_twice_and_updates_by_reference() -> None:
    # Given a file already imported
    farm = EnterpriseFactory.create()
    first = csv_bytes("CAR-10;Carottes;Fruits et légumes;kg;;35;1;1;1,20;;;;;;;")
    lot_import(enterprise=farm, content=first, filename="lots.csv")

    # When the same file is imported again, then once more with a new quantity
    again = lot_import(enterprise=farm, content=first, filename="lots.csv")
    changed = csv_bytes("CAR-10;Carottes;Fruits et légumes;kg;;20;1;1;1,20;;;;;;;")
    updated = lot_import(enterprise=farm, content=changed, filename="lots.csv")

    # Then it is unchanged, then updated, and there is still one lot
    assert again.summary == "lots created=0 updated=0 unchanged=1 skipped=0"
    assert updated.summary == "lots created=0 updated=1 unchanged=0 skipped=0"
    assert Lot.objects.get(enterprise=farm).quantity_available == Decimal("20")


def test_another_producers_lot_with_the_same_reference_is_left_alone() -> None:
    # Given another producer's lot with the référence the file uses
    other = LotFactory.create(sku="CAR-10", quantity_available=Decimal("7"))
    farm = EnterpriseFactory.create()

    # When the farm imports it
    report = lot_import(
        enterprise=farm,
        content=csv_bytes("CAR-10;Carottes;Fruits et légumes;kg;;35;1;1;1,20;;;;;;;"),
        filename="lots.csv",
    )

    # Then the farm has its own lot and the other one is untouched
    assert report.created == 1
    other.refresh_from_db()
    assert other.quantity_available == Decimal("7")


def test_an_xlsx_with_numbers_and_dates_imports() -> None:
    # Given a workbook whose cells are numbers and dates, with BOM-less headers in another order
    farm = EnterpriseFactory.create()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        ["Prix HT (€)", "Produit", "Catégorie", "Quantité disponible", "Référence", "TVA", "Disponible du"]
    )
    sheet.append([2.5, "Jus de pomme", "boissons", 40, "JUS-1", 0.055, date(2027, 9, 1)])
    out = io.BytesIO()
    workbook.save(out)

    # When it is imported
    report = lot_import(enterprise=farm, content=out.getvalue(), filename="lots.xlsx")

    # Then the lot has the sheet's values
    assert report.created == 1, report.lines
    juice = Lot.objects.get(sku="JUS-1")
    assert (juice.unit_price, juice.quantity_available) == (Decimal("2.5"), Decimal("40"))
    assert juice.vat_rate == VatRate.REDUCED
    assert juice.available_from == date(2027, 9, 1)


def test_a_truncated_xlsx_is_refused_whole_with_a_french_message() -> None:
    farm = EnterpriseFactory.create()
    workbook = openpyxl.Workbook()
    workbook.active.append(["Produit"])
    out = io.BytesIO()
    workbook.save(out)

    with pytest.raises(ImportRefused) as refused:
        lot_import(enterprise=farm, content=out.getvalue()[:300], filename="lots.xlsx")

    assert "illisible" in refused.value.message
    assert not Lot.objects.exists()


def test_a_comma_separated_utf8_file_with_a_bom_imports() -> None:
    farm = EnterpriseFactory.create()
    content = (
        "\ufeffréférence,produit,catégorie,quantité disponible,prix HT\r\n"
        'ŒUF-1,Œufs,"Fromages et crèmerie",30,"0,35"\r\n'
    )

    report = lot_import(enterprise=farm, content=content.encode("utf-8"), filename="lots.csv")

    assert report.created == 1, report.lines
    assert Lot.objects.get(sku="ŒUF-1").unit_price == Decimal("0.35")


def test_the_sample_file_imports_as_it_is() -> None:
    farm = EnterpriseFactory.create()

    report = lot_import(enterprise=farm, content=template_csv(), filename="modele-lots.csv")

    assert (report.created, report.skipped) == (3, 0), report.lines


def test_the_command_prints_the_skipped_lines_then_one_summary_line(tmp_path) -> None:
    farm = EnterpriseFactory.create(slug="ferme-du-pre")
    path = tmp_path / "lots.csv"
    path.write_bytes(
        csv_bytes("CAR-10;Carottes;Fruits et légumes;kg;;35;1;1;1,20;;;;;;;", "X;Y;Voitures;;;1;;;1;;;;;;;")
    )
    out = StringIO()

    call_command("import_lots", farm.slug, str(path), stdout=out)

    lines = out.getvalue().strip().splitlines()
    assert lines[-1] == "lots created=1 updated=0 unchanged=0 skipped=1"
    assert "ligne 3" in lines[0]


def test_the_command_stops_on_an_unreadable_file(tmp_path) -> None:
    farm = EnterpriseFactory.create()
    path = tmp_path / "lots.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)

    with pytest.raises(CommandError, match="xls"):
        call_command("import_lots", farm.slug, str(path))


# --- The page -------------------------------------------------------------------------------------------


def test_a_member_uploads_a_file_and_reads_the_report(client, django_assert_max_num_queries) -> None:
    member = EnterpriseMemberFactory.create()
    client.force_login(member.user)
    url = reverse("lots_import:lots_import", args=[member.enterprise.slug])
    upload = io.BytesIO(
        csv_bytes("CAR-10;Carottes;Fruits et légumes;kg;;35;1;1;1,20;;;;;;;", "X;Y;;;;-1;;;;;;;;;;")
    )
    upload.name = "lots.csv"

    # The lines, then the copies the search reads (pickup days, the lots, one update).
    with django_assert_max_num_queries(19):
        response = client.post(url, {"file": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 lot créé" in page
    assert "1 ligne ignorée" in page
    assert Lot.objects.filter(enterprise=member.enterprise).count() == 1


def test_a_file_that_cannot_be_read_is_an_error_on_the_form_not_a_500(client) -> None:
    member = EnterpriseMemberFactory.create()
    client.force_login(member.user)
    upload = io.BytesIO(b"PK\x03\x04 not really a workbook")
    upload.name = "lots.xlsx"

    response = client.post(
        reverse("lots_import:lots_import", args=[member.enterprise.slug]), {"file": upload}
    )

    assert response.status_code == 422
    assert "illisible" in response.content.decode()


def test_the_page_and_the_sample_file_are_for_members_only(client) -> None:
    farm = EnterpriseFactory.create()
    outsider = EnterpriseMemberFactory.create()  # a member of another enterprise
    client.force_login(outsider.user)

    page = client.get(reverse("lots_import:lots_import", args=[farm.slug]))
    sample = client.get(reverse("lots_import:import_template", args=[farm.slug]))

    assert (page.status_code, sample.status_code) == (403, 403)


def test_a_member_gets_the_page_and_the_sample_file(client, django_assert_max_num_queries) -> None:
    member = EnterpriseMemberFactory.create()
    client.force_login(member.user)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("lots_import:lots_import", args=[member.enterprise.slug]))
    sample = client.get(reverse("lots_import:import_template", args=[member.enterprise.slug]))

    assert page.status_code == 200
    assert "quantité disponible" in page.content.decode()
    assert sample["Content-Type"].startswith("text/csv")
    assert sample.content.decode("utf-8").startswith("\ufeffréférence;produit;catégorie")


def test_an_anonymous_visitor_is_sent_to_log_in(client) -> None:
    farm = EnterpriseFactory.create()

    response = client.get(reverse("lots_import:lots_import", args=[farm.slug]))

    assert response.status_code == 302
