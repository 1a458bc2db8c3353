from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from centreville.catalogue import product_import as product_import_module
from centreville.catalogue.models import Product
from centreville.catalogue.product_import import (
    MAX_LINES,
    ImportRefused,
    Outcome,
    product_import,
    template_csv,
)
from centreville.catalogue.tests.factories import ProductCategoryFactory, ProductFactory
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory

pytestmark = pytest.mark.django_db

BOM = "\ufeff"


def csv_bytes(text: str, *, bom: bool = True, encoding: str = "utf-8") -> bytes:
    return ((BOM if bom else "") + text).encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def products_of(shop: Shop) -> dict[str, tuple[Decimal, int | None, bool]]:
    return {
        product.title: (product.price, product.stock, product.is_visible)
        for product in Product.objects.filter(shop=shop)
    }


@pytest.fixture
def shop() -> Shop:
    ProductCategoryFactory.create(name="Épicerie", slug="epicerie")
    ProductCategoryFactory.create(name="Pain et pâtisserie", slug="pain-patisserie")
    shop: Shop = ShopFactory.create()
    return shop


def test_semicolon_csv_with_bom_as_french_spreadsheets_write_it(shop: Shop) -> None:
    content = csv_bytes(
        "référence;titre;description;prix;stock;catégorie;visible\r\n"
        "PAIN-1;Pain au levain;Farine bio;4,20;12;Pain et pâtisserie;oui\r\n"
        "CAFE-1;Café 250 g;;8,90;;epicerie;non\r\n"
    )

    report = product_import(shop=shop, content=content, filename="produits.csv")

    assert [(line.line, line.outcome) for line in report.lines] == [
        (2, Outcome.CREATED),
        (3, Outcome.CREATED),
    ]
    assert products_of(shop) == {
        "Pain au levain": (Decimal("4.20"), 12, True),
        "Café 250 g": (Decimal("8.90"), None, False),
    }
    bread = Product.objects.get(reference="PAIN-1")
    assert bread.description == "Farine bio"
    assert bread.category is not None
    assert bread.category.slug == "pain-patisserie"
    assert bread.town_id == shop.town_id


def test_comma_csv_with_bom_and_quoted_decimal_commas(shop: Shop) -> None:
    content = csv_bytes('titre,prix,stock\r\n"Confiture, fraise","5,50",3\r\nMiel,7.00,0\r\n')

    report = product_import(shop=shop, content=content, filename="export.csv")

    assert report.created == 2
    assert products_of(shop) == {
        "Confiture, fraise": (Decimal("5.50"), 3, True),
        "Miel": (Decimal("7.00"), 0, True),
    }


def test_headers_in_any_case_accents_and_order_and_windows_encoding(shop: Shop) -> None:
    content = csv_bytes(
        "Quantité;PRIX (€);Désignation;Reference;Couleur préférée\r\n2;3,10;Crêpe;CR-1;bleu\r\n",
        bom=False,
        encoding="cp1252",
    )

    report = product_import(shop=shop, content=content, filename="PRODUITS.CSV")

    assert report.created == 1
    assert report.ignored_columns == ["Couleur préférée"]
    assert products_of(shop) == {"Crêpe": (Decimal("3.10"), 2, True)}
    assert Product.objects.get(shop=shop).reference == "CR-1"


def test_xlsx_built_with_openpyxl(shop: Shop) -> None:
    content = xlsx_bytes(
        [
            ["Référence", "Titre", "Prix", "Stock", "Visible"],
            ["V-1", "Vase bleu", 24.5, 3, "oui"],
            [1002, "Vase rouge", "19,90", None, False],
            [None, None, None, None, None],
            ["V-3", "Vase vert", 0.1 + 0.2, 1.0, True],
        ]
    )

    report = product_import(shop=shop, content=content, filename="stock.xlsx")

    assert [(line.line, line.outcome) for line in report.lines] == [
        (2, Outcome.CREATED),
        (3, Outcome.CREATED),
        (5, Outcome.CREATED),
    ]
    assert products_of(shop) == {
        "Vase bleu": (Decimal("24.50"), 3, True),
        "Vase rouge": (Decimal("19.90"), None, False),
        "Vase vert": (Decimal("0.30"), 1, True),
    }
    assert Product.objects.get(title="Vase rouge").reference == "1002"


def test_each_bad_line_is_reported_in_french_and_the_others_import(shop: Shop) -> None:
    content = csv_bytes(
        "titre;prix;stock;catégorie;visible\n"
        "Savon;3,50;4;;oui\n"
        "Bougie;douze;1;;oui\n"
        ";2,00;1;;\n"
        "Bol;12;-3;;\n"
        "Tasse;6;2;Vaisselle;\n"
        "Assiette;;2;;\n"
        "Plat;9;2;;peut-être\n"
        "Verre;2,5;6;;non\n"
    )

    report = product_import(shop=shop, content=content, filename="p.csv")

    assert [line.text for line in report.errors] == [
        "ligne 3 : prix « douze » illisible (exemple : 12,50).",
        "ligne 4 : titre manquant",
        "ligne 5 : le stock ne peut pas être négatif.",
        "ligne 6 : catégorie « Vaisselle » inconnue (voir la liste des catégories)",
        "ligne 7 : prix manquant",
        "ligne 8 : visible « peut-être » illisible : oui ou non.",
    ]
    assert sorted(products_of(shop)) == ["Savon", "Verre"]
    assert report.created == 2


def test_upsert_by_reference_then_by_title_and_skip_what_did_not_change(shop: Shop) -> None:
    by_reference = ProductFactory.create(shop=shop, title="Ancien nom", reference="R-1", price=Decimal("1"))
    by_title = ProductFactory.create(shop=shop, title="Pain de mie", price=Decimal("2.00"), stock=5)
    unchanged = ProductFactory.create(
        shop=shop, title="Brioche", reference="R-3", price=Decimal("3.00"), stock=1
    )
    untouched_since = Product.objects.get(pk=unchanged.pk).updated_at
    content = csv_bytes(
        "référence;titre;prix;stock\n"
        "R-1;Nouveau nom;1,50;7\n"
        "R-2;pain  de MIE;2,00;5\n"
        "R-3;Brioche;3;1\n"
        "R-4;Chouquettes;0,40;\n"
    )

    report = product_import(shop=shop, content=content, filename="p.csv")

    assert [line.outcome for line in report.lines] == [
        Outcome.UPDATED,
        Outcome.UPDATED,
        Outcome.SKIPPED,
        Outcome.CREATED,
    ]
    by_reference.refresh_from_db()
    assert (by_reference.title, by_reference.price, by_reference.stock) == ("Nouveau nom", Decimal("1.50"), 7)
    by_title.refresh_from_db()
    assert by_title.reference == "R-2"  # found by its title, it takes the line's reference
    assert by_title.title == "Pain de mie"
    assert Product.objects.get(pk=unchanged.pk).updated_at == untouched_since
    assert Product.objects.filter(shop=shop).count() == 4


def test_importing_the_same_file_twice_changes_nothing_the_second_time(shop: Shop) -> None:
    content = template_csv()

    first = product_import(shop=shop, content=content, filename="modele-produits.csv")
    second = product_import(shop=shop, content=content, filename="modele-produits.csv")

    assert (first.created, first.errors) == (3, [])
    assert (second.created, second.updated, second.skipped) == (0, 0, 3)
    assert Product.objects.filter(shop=shop).count() == 3


def test_a_bad_line_changes_nothing_of_the_product_it_names(shop: Shop) -> None:
    product = ProductFactory.create(shop=shop, title="Thé vert", reference="T-1", price=Decimal("6"), stock=2)
    content = csv_bytes("référence;titre;prix;stock\nT-1;Thé vert bio;6,50;beaucoup\n")

    report = product_import(shop=shop, content=content, filename="p.csv")

    assert report.lines[0].outcome is Outcome.ERROR
    assert "stock « beaucoup » illisible" in report.lines[0].text
    product.refresh_from_db()
    assert (product.title, product.price, product.stock) == ("Thé vert", Decimal("6.00"), 2)


def test_a_line_refused_by_the_model_is_reported_with_its_column(shop: Shop) -> None:
    content = csv_bytes(f"titre;prix\n{'x' * 200};3\nCourt;3\n")

    report = product_import(shop=shop, content=content, filename="p.csv")

    assert report.lines[0].outcome is Outcome.ERROR
    assert report.lines[0].text.startswith("ligne 2 : titre : ")
    assert report.lines[1].outcome is Outcome.CREATED


def test_two_products_with_the_same_title_need_a_reference(shop: Shop) -> None:
    ProductFactory.create(shop=shop, title="Carte postale")
    ProductFactory.create(shop=shop, title="Carte postale")

    report = product_import(shop=shop, content=csv_bytes("titre;prix\nCarte postale;1\n"), filename="p.csv")

    assert report.lines[0].outcome is Outcome.ERROR
    assert "plusieurs produits s'appellent « Carte postale »" in report.lines[0].text


def test_another_shops_products_are_never_touched(shop: Shop) -> None:
    neighbour = ShopFactory.create(town=shop.town)
    theirs = ProductFactory.create(shop=neighbour, title="Gâteau", reference="G-1", price=Decimal("20"))
    content = csv_bytes("référence;titre;prix\nG-1;Gâteau;1\n")

    report = product_import(shop=shop, content=content, filename="p.csv")

    assert report.created == 1
    theirs.refresh_from_db()
    assert theirs.price == Decimal("20.00")
    assert theirs.shop_id == neighbour.pk
    mine = Product.objects.get(shop=shop)
    assert (mine.reference, mine.price) == ("G-1", Decimal("1.00"))


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "photo.png", "Seuls les fichiers CSV (.csv) et Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "vieux.xls", "Ancien format Excel (.xls)"),
        (b"PK\x03\x04 pas vraiment un zip", "faux.xlsx", "classeur Excel est illisible"),
        (b"PK\x03\x04 pas vraiment un zip", "tableur.ods", "OpenDocument"),
        (b"titre;prix\x00\x00binaire", "binaire.csv", "pas un tableau CSV lisible"),
        (b"", "vide.csv", "vide"),
        (b"nom du rayon;prix\nA;1\n", "p.csv", "Il manque la colonne « titre »"),
        (b"titre;prix;titre\nA;1;B\n", "p.csv", "La colonne « titre » apparaît deux fois"),
        (b"x" * (2 * 1024 * 1024 + 1), "gros.csv", "Fichier trop lourd"),
    ],
)
def test_files_that_cannot_be_imported_are_refused_whole(
    shop: Shop, content: bytes, filename: str, message: str
) -> None:
    with pytest.raises(ImportRefused) as refused:
        product_import(shop=shop, content=content, filename=filename)

    assert message in refused.value.message
    assert not Product.objects.filter(shop=shop).exists()


def test_too_many_lines_refuses_the_file_before_importing_any(shop: Shop) -> None:
    lines = "".join(f"P{n};1\n" for n in range(MAX_LINES + 1))

    with pytest.raises(ImportRefused) as refused:
        product_import(shop=shop, content=csv_bytes("titre;prix\n" + lines), filename="p.csv")

    assert "Plus de 5 000 lignes" in refused.value.message
    assert not Product.objects.filter(shop=shop).exists()


def test_the_template_is_utf8_with_bom_semicolons_and_french_headers() -> None:
    content = template_csv()

    assert content.startswith(BOM.encode())
    assert content.decode("utf-8-sig").splitlines()[0] == (
        "référence;titre;description;prix;stock;catégorie;visible"
    )


# --- Duplicates, and spreadsheets too big once expanded -------------------------------------------------


def test_a_reference_met_twice_keeps_the_first_line_and_names_the_others(shop: Shop) -> None:
    content = csv_bytes(
        "référence;titre;prix\nPAIN-1;Pain au levain;4,20\nCAFE-1;Café;8,90\nPAIN-1;Croissant;1,10\n"
        ";Brioche;6\n;brioche;7\n"
    )

    report = product_import(shop=shop, content=content, filename="p.csv")

    assert products_of(shop) == {
        "Pain au levain": (Decimal("4.20"), None, True),
        "Café": (Decimal("8.90"), None, True),
        "Brioche": (Decimal("6.00"), None, True),
    }
    assert [line.line for line in report.lines] == [2, 3, 4, 5, 6]
    assert [line.text for line in report.errors] == [
        "ligne 4 : référence « PAIN-1 » déjà utilisée ligne 2 : ligne ignorée",
        "ligne 6 : produit « brioche » déjà présent ligne 5 (sans référence) : ligne ignorée",
    ]


def zip_with(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_workbook_that_expands_to_a_huge_shared_strings_table_is_refused_before_parsing(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([["titre", "prix"], ["Pain", 4]]))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    strings = b"<si><t>x</t></si>" * (2_000_000)  # 34 MB of XML, well under 1 MB compressed
    members["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>"
    )
    content = zip_with(members)
    assert len(content) < 2 * 1024 * 1024

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook must not be parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(ImportRefused, match="trop volumineux une fois décompressé"):
        product_import(shop=shop, content=content, filename="p.xlsx")
    assert not Product.objects.filter(shop=shop).exists()


def test_a_sheet_with_too_many_cells_is_refused(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(product_import_module, "MAX_CELLS", 100)
    rows: list[list[object]] = [["titre", "prix"], *[[f"Produit {n}", n] for n in range(80)]]

    with pytest.raises(ImportRefused, match="trop de cellules"):
        product_import(shop=shop, content=xlsx_bytes(rows), filename="p.xlsx")
    assert not Product.objects.filter(shop=shop).exists()


def test_a_workbook_is_read_in_streaming_mode(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, object]] = []
    original = openpyxl.load_workbook

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    product_import(shop=shop, content=xlsx_bytes([["titre", "prix"], ["Pain", 4]]), filename="p.xlsx")

    assert seen[0]["read_only"] is True
