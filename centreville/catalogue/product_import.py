"""Import a shop's products from a spreadsheet (CSV or XLSX), with a French report line by line.

Columns are named in French (référence, titre, description, prix, stock, catégorie, visible), in any order,
case or accents. Each line is created, updated or left alone on its own: a line in error writes nothing
and the other lines still import. A file that cannot be read at all is refused whole (`ImportRefused`).
"""

from __future__ import annotations

import csv
import enum
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.core.spreadsheets import (
    ImportRefused,
    cell_text,
    header_key,
    normalise,
    read_table,
    spreadsheet_writer,
)
from centreville.shops.models import Shop

from . import services
from .models import Product, ProductCategory

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000
MAX_COLUMNS = 50
LINES_PER_COMMIT = 200
# Formatted but empty rows at the bottom of a sheet are skipped; past this many, reading stops.
MAX_SCANNED_ROWS = 100_000
# Cells read from a sheet, empty ones included: 5,000 lines of 50 columns, with room for blank rows.
MAX_CELLS = 400_000
# An .xlsx is a zip archive: 2 MB of it can expand to gigabytes (a huge table of shared strings). Its size
# once expanded is checked, from the archive's directory, before anything is parsed.
MAX_EXPANDED_BYTES = 20 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 200

COLUMNS = ("reference", "title", "description", "price", "stock", "category", "visible")
COLUMN_NAMES = {
    "reference": gettext_lazy("référence"),
    "title": gettext_lazy("titre"),
    "description": gettext_lazy("description"),
    "price": gettext_lazy("prix"),
    "stock": gettext_lazy("stock"),
    "category": gettext_lazy("catégorie"),
    "visible": gettext_lazy("visible"),
    "is_visible": gettext_lazy("visible"),
}
# Header names people use, compared without case, accents, punctuation or a trailing "(€)".
_HEADERS = {
    "reference": "reference",
    "ref": "reference",
    "code": "reference",
    "code article": "reference",
    "reference article": "reference",
    "sku": "reference",
    "titre": "title",
    "title": "title",
    "nom": "title",
    "nom du produit": "title",
    "produit": "title",
    "article": "title",
    "libelle": "title",
    "designation": "title",
    "intitule": "title",
    "description": "description",
    "descriptif": "description",
    "detail": "description",
    "details": "description",
    "prix": "price",
    "prix ttc": "price",
    "prix de vente": "price",
    "prix unitaire": "price",
    "prix eur": "price",
    "prix euros": "price",
    "prix en euros": "price",
    "tarif": "price",
    "price": "price",
    "stock": "stock",
    "quantite": "stock",
    "quantite en stock": "stock",
    "qte": "stock",
    "qty": "stock",
    "categorie": "category",
    "category": "category",
    "rayon": "category",
    "famille": "category",
    "visible": "visible",
    "visibilite": "visible",
    "en ligne": "visible",
    "publie": "visible",
    "affiche": "visible",
}
_YES = frozenset({"oui", "o", "yes", "y", "1", "vrai", "true", "x", "visible", "affiche", "en ligne"})
_NO = frozenset({"non", "n", "no", "0", "faux", "false", "masque", "cache", "hidden", "hors ligne"})


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    SKIPPED = "skipped"
    ERROR = "error"

    @property
    def label(self) -> str:
        return {
            Outcome.CREATED: _("créé"),
            Outcome.UPDATED: _("mis à jour"),
            Outcome.SKIPPED: _("ignoré"),
            Outcome.ERROR: _("erreur"),
        }[self]


@dataclass
class LineReport:
    line: int
    title: str
    outcome: Outcome
    messages: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """« ligne 7 : prix « douze » illisible… » or « ligne 3 : créé »."""
        detail = "; ".join(self.messages) if self.messages else self.outcome.label
        return _("ligne %(line)s : %(detail)s") % {"line": self.line, "detail": detail}


@dataclass
class ImportReport:
    lines: list[LineReport] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for line in self.lines if line.outcome is outcome)

    @property
    def created(self) -> int:
        return self.count(Outcome.CREATED)

    @property
    def updated(self) -> int:
        return self.count(Outcome.UPDATED)

    @property
    def skipped(self) -> int:
        return self.count(Outcome.SKIPPED)

    @property
    def errors(self) -> list[LineReport]:
        return [line for line in self.lines if line.outcome is Outcome.ERROR]


# --- Reading the file -----------------------------------------------------------------------------------


def _column_of(header: object) -> str | None:
    key = header_key(header)
    if key in _HEADERS:
        return _HEADERS[key]
    first = key.split(" ", 1)[0] if key else ""
    return _HEADERS.get(first) if first in ("prix", "stock", "titre", "reference", "categorie") else None


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    if b"\x00" in content[:8192]:
        raise ImportRefused(_("Ce fichier n'est pas un tableau CSV lisible."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # What a French Excel writes when told « CSV (séparateur : point-virgule) ».
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRefused(_("Encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 ».")) from None


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(content)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {separator: first_line.count(separator) for separator in (";", ",", "\t")}
    separator = max(counts, key=lambda s: (counts[s], s == ";"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, row[:MAX_COLUMNS]
    except csv.Error as error:
        raise ImportRefused(
            _("Fichier CSV illisible vers la ligne %(line)s.") % {"line": reader.line_num}
        ) from error


def _check_archive(content: bytes) -> None:
    """Refuse a workbook whose archive expands beyond what a product list needs (a "zip bomb")."""
    too_big = _(
        "Ce classeur est trop volumineux une fois décompressé (%(size)s Mo, %(max)s Mo au plus) : "
        "enregistrez-le en CSV, ou découpez-le en plusieurs fichiers."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise ImportRefused(_("Ce classeur Excel est illisible (fichier abîmé ?).")) from error
    expanded = sum(member.file_size for member in members)
    shared = sum(
        member.file_size for member in members if member.filename.lower().endswith("sharedstrings.xml")
    )
    if len(members) > MAX_MEMBERS or expanded > MAX_EXPANDED_BYTES or shared > MAX_SHARED_STRINGS_BYTES:
        raise ImportRefused(
            too_big % {"size": f"{expanded / 1024 / 1024:.0f}", "max": MAX_EXPANDED_BYTES // 1024 // 1024}
        )


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    """The rows of the first sheet, streamed (openpyxl's read-only mode), within the limits above."""
    import openpyxl

    _check_archive(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError) as error:
        raise ImportRefused(_("Ce classeur Excel est illisible (fichier abîmé ?).")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        cells = 0
        for number, row in enumerate(rows, start=1):
            cells += len(row)
            if number > MAX_SCANNED_ROWS:
                break
            if cells > MAX_CELLS:
                raise ImportRefused(
                    _(
                        "Ce classeur a trop de cellules (plus de %(max)s) : gardez une feuille "
                        "d'au plus %(lines)s lignes."
                    )
                    % {"max": f"{MAX_CELLS:,}".replace(",", " "), "lines": f"{MAX_LINES:,}".replace(",", " ")}
                )
            yield number, list(row)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError) as error:
        raise ImportRefused(_("Ce classeur Excel est illisible (fichier abîmé ?).")) from error
    finally:
        workbook.close()


def read_rows(content: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    """(row number as the spreadsheet shows it, cells) for each row of a CSV or XLSX file."""
    name = filename.lower()
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            _("Fichier trop lourd (%(size)s Mo) : 2 Mo au plus. Découpez-le en plusieurs fichiers.")
            % {"size": f"{len(content) / 1024 / 1024:.1f}".replace(".", ",")}
        )
    if not content.strip():
        raise ImportRefused(_("Ce fichier est vide."))
    if content.startswith(b"PK\x03\x04"):
        if name.endswith(".ods"):
            raise ImportRefused(
                _(
                    "Format OpenDocument (.ods) non pris en charge : enregistrez le tableau en .xlsx "
                    "ou en CSV."
                )
            )
        return _xlsx_rows(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            _("Ancien format Excel (.xls) non pris en charge : enregistrez le tableau en .xlsx ou en CSV.")
        )
    if name.endswith((".csv", ".txt", ".tsv")):
        return _csv_rows(content)
    raise ImportRefused(_("Seuls les fichiers CSV (.csv) et Excel (.xlsx) sont acceptés."))


# --- Reading the cells ----------------------------------------------------------------------------------


def _price(value: Any) -> Decimal:
    if isinstance(value, float) and abs(value - round(value, 2)) < 1e-9:
        value = round(value, 2)  # 12.499999999999998 after a spreadsheet formula is 12.50
    return services.parse_price(value if isinstance(value, int | float) else cell_text(value))


def _visible(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    key = normalise(cell_text(value))
    if not key:
        return None
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValidationError(_("visible « %(value)s » illisible : oui ou non.") % {"value": cell_text(value)})


def _lcfirst(message: str) -> str:
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return [_lcfirst(message) for message in error.messages]
    found = []
    for name, errors in error.message_dict.items():
        for message in errors:
            column = COLUMN_NAMES.get(name)
            found.append(f"{column} : {_lcfirst(message)}" if column else _lcfirst(message))
    return found


class _Catalogue:
    """The shop's products by reference and by title, kept current as lines are imported."""

    def __init__(self, shop: Shop) -> None:
        self.by_reference: dict[str, Product] = {}
        self.by_title: dict[str, list[Product]] = {}
        self.keys: dict[int, tuple[str, str]] = {}
        for product in (
            Product.objects.for_town(shop.town).filter(shop=shop).select_related("category").order_by("pk")
        ):
            self.add(product)
        self.categories: dict[str, ProductCategory] = {}
        for category in ProductCategory.objects.all():
            self.categories[normalise(category.name)] = category
            self.categories[normalise(category.slug)] = category

    @staticmethod
    def title_key(title: str) -> str:
        return " ".join(title.casefold().split())

    def add(self, product: Product) -> None:
        key = self.title_key(product.title)
        self.keys[product.pk] = (product.reference, key)
        if product.reference:
            self.by_reference[product.reference] = product
        self.by_title.setdefault(key, []).append(product)

    def forget(self, product: Product) -> None:
        """Drop the product under the reference and title it had when added."""
        reference, key = self.keys.pop(product.pk)
        if reference and self.by_reference.get(reference) is product:
            del self.by_reference[reference]
        self.by_title[key] = [p for p in self.by_title.get(key, []) if p.pk != product.pk]

    def find(self, reference: str, title: str) -> tuple[Product | None, bool]:
        """The product a line names, and whether it was found by its title.

        By reference when given; else (or when no product has it yet) by title among those without one.
        """
        if reference and reference in self.by_reference:
            return self.by_reference[reference], False
        same_title = self.by_title.get(self.title_key(title), [])
        if reference:
            same_title = [product for product in same_title if not product.reference]
        if len(same_title) > 1:
            raise ValidationError(
                _(
                    "plusieurs produits s'appellent « %(title)s » : ajoutez une colonne « référence » "
                    "pour les distinguer"
                )
                % {"title": title}
            )
        return (same_title[0], True) if same_title else (None, False)


def _parse_line(cells: dict[str, Any], catalogue: _Catalogue) -> tuple[dict[str, Any], list[str]]:
    """The product fields a line sets, and what is wrong with it."""
    fields: dict[str, Any] = {}
    errors: list[str] = []
    title = cell_text(cells.get("title"))
    if not title:
        errors.append(_("titre manquant"))
    fields["title"] = title
    if "reference" in cells:
        fields["reference"] = cell_text(cells["reference"])
    if "description" in cells:
        fields["description"] = cell_text(cells["description"])
    if "price" in cells:
        if cell_text(cells["price"]) == "":
            errors.append(_("prix manquant"))
        else:
            try:
                fields["price"] = _price(cells["price"])
            except ValidationError as error:
                errors.extend(_messages(error))
    if "stock" in cells:
        try:
            value = cells["stock"]
            stock = value if isinstance(value, int | float) else cell_text(value)
            fields["stock"] = services.parse_stock(stock)
        except ValidationError as error:
            errors.extend(_messages(error))
    if "category" in cells:
        name = cell_text(cells["category"])
        if not name:
            fields["category"] = None
        elif normalise(name) in catalogue.categories:
            fields["category"] = catalogue.categories[normalise(name)]
        else:
            errors.append(
                _("catégorie « %(name)s » inconnue (voir la liste des catégories)") % {"name": name}
            )
    if "visible" in cells:
        try:
            visible = _visible(cells["visible"])
        except ValidationError as error:
            errors.extend(_messages(error))
        else:
            if visible is not None:
                fields["is_visible"] = visible
    return fields, errors


def _import_line(shop: Shop, number: int, cells: dict[str, Any], catalogue: _Catalogue) -> LineReport:
    fields, errors = _parse_line(cells, catalogue)
    title = fields["title"]
    if errors:
        return LineReport(number, title, Outcome.ERROR, errors)
    try:
        product, by_title = catalogue.find(fields.get("reference", ""), title)
        if product is None:
            if "price" not in fields:
                return LineReport(number, title, Outcome.ERROR, [_("prix manquant")])
            product = services.product_create(shop=shop, **fields)  # atomic: a refused line writes nothing
            catalogue.add(product)
            return LineReport(number, title, Outcome.CREATED)
        if by_title:
            del fields["title"]  # « pain de MIE » found « Pain de mie »: the spelling on the site stays
        changes = {name: value for name, value in fields.items() if getattr(product, name) != value}
        if not changes:
            return LineReport(number, title, Outcome.SKIPPED, [_("identique, rien à changer")])
        services.product_update(product=product, **changes)
        catalogue.forget(product)
        catalogue.add(product)
        return LineReport(number, title, Outcome.UPDATED)
    except ValidationError as error:
        return LineReport(number, title, Outcome.ERROR, _messages(error))
    except IntegrityError:
        return LineReport(
            number, title, Outcome.ERROR, [_("modifié au même moment par quelqu'un d'autre : réessayez")]
        )


def _without_duplicates(
    data: list[tuple[int, dict[str, Any]]], report: ImportReport
) -> list[tuple[int, dict[str, Any]]]:
    """The lines to import, each product once: a reference (or, without one, a title) met again further
    down is reported and skipped, the first line wins.

    A merchant reads a file from the top: the first line is the one they see and expect on the site, and
    the rest of the file still imports (refusing it whole would hold back hundreds of good lines for one
    pasted twice); the later line is named so that they can fix it.
    """
    kept: list[tuple[int, dict[str, Any]]] = []
    by_reference: dict[str, int] = {}
    by_title: dict[str, int] = {}
    for number, cells in data:
        reference = cell_text(cells.get("reference"))
        title = cell_text(cells.get("title"))
        if reference:
            first = by_reference.setdefault(reference, number)
            message = _("référence « %(reference)s » déjà utilisée ligne %(first)s : ligne ignorée") % {
                "reference": reference,
                "first": first,
            }
        elif title:
            first = by_title.setdefault(_Catalogue.title_key(title), number)
            message = _(
                "produit « %(title)s » déjà présent ligne %(first)s (sans référence) : ligne ignorée"
            ) % {
                "title": title,
                "first": first,
            }
        else:
            first = number
        if first != number:
            report.lines.append(LineReport(number, title, Outcome.ERROR, [message]))
        else:
            kept.append((number, cells))
    return kept


def product_import(*, shop: Shop, content: bytes, filename: str) -> ImportReport:
    """Create or update `shop`'s products from a CSV or XLSX file; only this shop's products are touched.

    Raises ImportRefused when the file as a whole cannot be imported.
    """
    report = ImportReport()
    table = read_table(
        read_rows(content, filename),
        column_of=_column_of,
        column_names=COLUMN_NAMES,
        needs_one_of=("title",),
        missing_message=_(
            "Il manque la colonne « titre » sur la première ligne. Colonnes trouvées : "
            "%(found)s. Partez du modèle à télécharger."
        ),
        max_lines=MAX_LINES,
    )
    report.ignored_columns = table.ignored_columns
    data = _without_duplicates(table.lines, report)
    catalogue = _Catalogue(shop)
    # Lines are committed by batches (one savepoint each, so a bad line still writes nothing): one commit
    # per line would be slow, and one for the whole file would hold SQLite's write lock too long.
    for start in range(0, len(data), LINES_PER_COMMIT):
        with transaction.atomic(), services.products_changed_together():
            for number, cells in data[start : start + LINES_PER_COMMIT]:
                report.lines.append(_import_line(shop, number, cells, catalogue))
    report.lines.sort(key=lambda line: line.line)
    return report


TEMPLATE_ROWS = (
    ("référence", "titre", "description", "prix", "stock", "catégorie", "visible"),
    ("PAIN-001", "Pain au levain", "Farine bio du Perche, 800 g", "4,20", "12", "Pain et pâtisserie", "oui"),
    ("CAFE-250", "Café d'Éthiopie 250 g", "Torréfié chaque semaine", "8,90", "", "Épicerie", "oui"),
    ("", "Panier garni", "Composé à la demande", "35,00", "", "Épicerie", "non"),
)


def template_csv() -> bytes:
    """A sample file to start from: UTF-8 with BOM and `;`, as a French spreadsheet opens it."""
    out = io.StringIO()
    spreadsheet_writer(out).writerows(TEMPLATE_ROWS)
    return out.getvalue().encode("utf-8")
