"""Import a producer's lots from a spreadsheet (CSV or XLSX), with a French report line by line.

Files are read as the showcase's product import reads them (encodings, `;` or `,`, XLSX with its limits);
columns are named in French, in any order, case or accents. A bad line is reported with its number and
skipped; the other lines are written in one transaction (a savepoint per line, so that a line the
database refuses writes nothing). A line is matched to a lot by its référence (sku), else by its title
among the producer's lots without one: importing the same file again creates nothing twice.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.catalogue.models import ProductCategory
from centreville.catalogue.product_import import MAX_LINES, read_rows
from centreville.core.spreadsheets import (
    ImportRefused,
    cell_text,
    header_key,
    normalise,
    read_table,
    spreadsheet_writer,
)
from centreville.enterprises.models import Enterprise, Label

from .models import Lot, Unit, VatRate
from .services import lots_refresh_copies
from .vat import default_vat_rate

__all__ = ["ImportRefused", "LotImportReport", "lot_import", "template_csv"]

COLUMN_NAMES = {
    "sku": gettext_lazy("référence"),
    "title": gettext_lazy("produit"),
    "category": gettext_lazy("catégorie"),
    "unit": gettext_lazy("unité"),
    "case_size": gettext_lazy("unités par colis"),
    "quantity_available": gettext_lazy("quantité disponible"),
    "minimum_quantity": gettext_lazy("minimum"),
    "quantity_step": gettext_lazy("multiple"),
    "unit_price": gettext_lazy("prix HT"),
    "vat_rate": gettext_lazy("TVA"),
    "available_from": gettext_lazy("disponible du"),
    "available_until": gettext_lazy("disponible au"),
    "variable_weight": gettext_lazy("poids variable"),
    "estimated_weight": gettext_lazy("poids estimé"),
    "labels": gettext_lazy("labels"),
    "description": gettext_lazy("description"),
}
# Header names people use, compared by `normalise` (no case, accents or punctuation) once « (…) » is cut.
_HEADERS = {
    "reference": "sku", "ref": "sku", "sku": "sku", "code": "sku", "code article": "sku",
    "produit": "title", "titre": "title", "nom": "title", "libelle": "title", "designation": "title",
    "article": "title",
    "categorie": "category", "rayon": "category", "famille": "category",
    "unite": "unit", "unite de vente": "unit",
    "unites par colis": "case_size", "colis": "case_size", "colisage": "case_size", "par colis": "case_size",
    "quantite disponible": "quantity_available", "quantite": "quantity_available",
    "disponible": "quantity_available",
    "stock": "quantity_available", "qte": "quantity_available",
    "minimum": "minimum_quantity", "minimum de commande": "minimum_quantity", "min": "minimum_quantity",
    "multiple": "quantity_step", "par multiples de": "quantity_step", "pas": "quantity_step",
    "prix ht": "unit_price", "prix": "unit_price", "prix unitaire ht": "unit_price",
    "prix unitaire": "unit_price",
    "tva": "vat_rate", "taux de tva": "vat_rate",
    "disponible du": "available_from", "du": "available_from", "disponible a partir du": "available_from",
    "disponible au": "available_until", "au": "available_until", "disponible jusqu au": "available_until",
    "poids variable": "variable_weight",
    "poids estime": "estimated_weight", "poids estime kg": "estimated_weight", "poids": "estimated_weight",
    "labels": "labels", "label": "labels", "signes de qualite": "labels",
    "description": "description", "descriptif": "description",
}  # fmt: skip
_UNITS = {
    "kg": Unit.KILOGRAM, "kilo": Unit.KILOGRAM, "kilos": Unit.KILOGRAM, "kilogramme": Unit.KILOGRAM,
    "kilogrammes": Unit.KILOGRAM,
    "l": Unit.LITRE, "litre": Unit.LITRE, "litres": Unit.LITRE,
    "piece": Unit.PIECE, "pieces": Unit.PIECE, "pce": Unit.PIECE, "pc": Unit.PIECE, "u": Unit.PIECE,
    "unite": Unit.PIECE,
}  # fmt: skip
_YES = frozenset({"oui", "o", "yes", "1", "vrai", "x"})
_NO = frozenset({"non", "n", "no", "0", "faux", ""})
_LABEL_NAMES = {normalise(code): code for code in Label.values} | {
    normalise(label): code for code, label in Label.choices
} | {"bio": "ab", "agriculture biologique": "ab", "label rouge": "label_rouge", "produit fermier": "fermier",
     "nature et progres": "nature_progres", "bienvenue a la ferme": "bienvenue_ferme"}  # fmt: skip
_CREATE_NEEDS = ("title", "category", "quantity_available", "unit_price")
# Validation of a lot the import writes, a dozen queries cheaper per lot: the producer and the category are
# rows just read; each check constraint has its field validator or `Lot.clean()`, and the sku is matched
# under the lock; the database still enforces all of them on save (a refused line is skipped).
FULL_CLEAN: dict[str, Any] = {"exclude": ["enterprise", "category"], "validate_constraints": False}


class Outcome:
    CREATED, UPDATED, UNCHANGED, SKIPPED = "created", "updated", "unchanged", "skipped"
    LABELS = {
        "created": gettext_lazy("créé"),
        "updated": gettext_lazy("mis à jour"),
        "unchanged": gettext_lazy("inchangé"),
        "skipped": gettext_lazy("ignoré"),
    }


@dataclass
class LineReport:
    line: int
    title: str
    outcome: str
    reasons: list[str] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return str(Outcome.LABELS[self.outcome])

    @property
    def text(self) -> str:
        detail = "; ".join(self.reasons) if self.reasons else self.outcome_label
        return _("ligne %(line)s : %(detail)s") % {"line": self.line, "detail": detail}


@dataclass
class LotImportReport:
    lines: list[LineReport] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(Outcome.CREATED)

    @property
    def updated(self) -> int:
        return self.count(Outcome.UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(Outcome.UNCHANGED)

    @property
    def skipped(self) -> int:
        return self.count(Outcome.SKIPPED)

    @property
    def skipped_lines(self) -> list[LineReport]:
        return [line for line in self.lines if line.outcome == Outcome.SKIPPED]

    @property
    def summary(self) -> str:
        return (
            f"lots created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"skipped={self.skipped}"
        )


# --- Reading cells --------------------------------------------------------------------------------------


def _column_of(header: object) -> str | None:
    return _HEADERS.get(header_key(header))


def _decimal(value: Any, column: str) -> Decimal | None:
    """« 1,20 », « 1 200,50 € », 1.2 from a sheet; None when blank."""
    if isinstance(value, bool):
        raise ValidationError(_("%(column)s : nombre attendu") % {"column": COLUMN_NAMES[column]})
    if isinstance(value, int | float):
        number = Decimal(str(round(value, 6)))
    else:
        text = cell_text(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "")
        if not text:
            return None
        if "," in text:
            text = text.replace(".", "").replace(",", ".") if text.count(",") == 1 else text
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                _("%(column)s « %(value)s » illisible : un nombre comme 1,20")
                % {"column": COLUMN_NAMES[column], "value": cell_text(value)}
            ) from None
    if not number.is_finite() or number.adjusted() > 9:
        raise ValidationError(_("%(column)s : nombre hors limites") % {"column": COLUMN_NAMES[column]})
    if number < 0:
        raise ValidationError(
            _("%(column)s : valeur négative (%(value)s)")
            % {"column": COLUMN_NAMES[column], "value": cell_text(value)}
        )
    return number


def _date(value: Any, column: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    french = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", text)
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    try:
        if french:
            day, month, year = (int(part) for part in french.groups())
            return date(year + 2000 if year < 100 else year, month, day)
        if iso:
            return date(*(int(part) for part in iso.groups()))
    except ValueError:
        pass
    raise ValidationError(
        _("%(column)s « %(value)s » illisible : une date comme 15/06/2027")
        % {"column": COLUMN_NAMES[column], "value": text}
    )


def _yes_no(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    key = normalise(cell_text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValidationError(
        _("%(column)s « %(value)s » illisible : oui ou non")
        % {"column": COLUMN_NAMES[column], "value": cell_text(value)}
    )


def _unit(value: Any) -> str | None:
    key = normalise(cell_text(value))
    if not key:
        return None
    if key not in _UNITS:
        raise ValidationError(
            _("unité « %(value)s » inconnue : kg, l ou pièce") % {"value": cell_text(value)}
        )
    return _UNITS[key]


def _vat(value: Any) -> str | None:
    if isinstance(value, float) and 0 < value < 1:  # a sheet's « 5,5 % » cell holds 0.055
        value = value * 100
    number = _decimal(value.rstrip("% ") if isinstance(value, str) else value, "vat_rate")
    if number is None:
        return None
    for rate in VatRate.values:
        if number == Decimal(rate):
            return rate
    raise ValidationError(_("TVA « %(value)s » inconnue : 5,5, 10 ou 20") % {"value": cell_text(value)})


def _labels(value: Any) -> list[str]:
    codes: list[str] = []
    for part in re.split(r"[,;/+|]", cell_text(value)):
        key = normalise(part)
        if not key:
            continue
        if key not in _LABEL_NAMES:
            raise ValidationError(_("label « %(value)s » inconnu") % {"value": part.strip()})
        if _LABEL_NAMES[key] not in codes:
            codes.append(_LABEL_NAMES[key])
    return codes


def _parse(cells: dict[str, Any], categories: dict[str, ProductCategory]) -> tuple[dict[str, Any], list[str]]:
    """The lot fields a line sets (only its non-blank cells), and what is wrong with it."""
    fields: dict[str, Any] = {}
    errors: list[str] = []
    readers = {
        "case_size": lambda v: _decimal(v, "case_size"),
        "quantity_available": lambda v: _decimal(v, "quantity_available"),
        "minimum_quantity": lambda v: _decimal(v, "minimum_quantity"),
        "quantity_step": lambda v: _decimal(v, "quantity_step"),
        "unit_price": lambda v: _decimal(v, "unit_price"),
        "estimated_weight": lambda v: _decimal(v, "estimated_weight"),
        "available_from": lambda v: _date(v, "available_from"),
        "available_until": lambda v: _date(v, "available_until"),
        "variable_weight": lambda v: _yes_no(v, "variable_weight"),
        "unit": _unit,
        "vat_rate": _vat,
        "labels": _labels,
    }
    for name, value in cells.items():
        if cell_text(value) == "":
            continue  # a blank cell leaves the lot's value as it is (or its default, for a new lot)
        try:
            if name in readers:
                parsed = readers[name](value)
                if parsed is not None:
                    fields[name] = parsed
            elif name == "category":
                text = cell_text(value)
                if normalise(text) not in categories:
                    raise ValidationError(
                        _("catégorie « %(value)s » inconnue (voir la liste sur la page)") % {"value": text}
                    )
                fields["category"] = categories[normalise(text)]
            else:
                fields[name] = cell_text(value)
        except ValidationError as error:
            errors.extend(error.messages)
    if "unit_price" in fields and fields["unit_price"] == 0:
        errors.append(_("prix HT nul"))
    return fields, errors


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        f"{COLUMN_NAMES[name]} : {message}" if name in COLUMN_NAMES else message
        for name, messages in error.message_dict.items()
        for message in messages
    ]


# --- Writing lots ---------------------------------------------------------------------------------------


class _Lots:
    """The producer's lots by sku and, for those without one, by title; kept current as lines import."""

    def __init__(self, enterprise: Enterprise) -> None:
        self.by_sku: dict[str, Lot] = {}
        self.by_title: dict[str, list[Lot]] = {}
        for lot in Lot.objects.select_for_update().filter(enterprise=enterprise).order_by("pk"):
            self.add(lot)

    @staticmethod
    def key(title: str) -> str:
        return " ".join(title.casefold().split())

    def add(self, lot: Lot) -> None:
        if lot.sku:
            self.by_sku[lot.sku] = lot
        else:
            self.by_title.setdefault(self.key(lot.title), []).append(lot)

    def find(self, sku: str, title: str) -> Lot | None:
        if sku:
            return self.by_sku.get(sku)
        same = self.by_title.get(self.key(title), [])
        if len(same) > 1:
            raise ValidationError(
                _("plusieurs lots s'appellent « %(title)s » : ajoutez une référence") % {"title": title}
            )
        return same[0] if same else None


def _import_line(enterprise: Enterprise, number: int, fields: dict[str, Any], lots: _Lots) -> LineReport:
    title = fields.get("title", "")
    lot = lots.find(fields.get("sku", ""), title)
    if lot is None:
        missing = [str(COLUMN_NAMES[name]) for name in _CREATE_NEEDS if name not in fields]
        if missing:
            return LineReport(
                number,
                title,
                Outcome.SKIPPED,
                [_("manquant : %(columns)s") % {"columns": ", ".join(missing)}],
            )
        if "vat_rate" not in fields:
            fields["vat_rate"] = default_vat_rate(category_slug=fields["category"].slug, title=title)
        # Where the lots app's lot_create will be called once both parts are merged.
        lot = Lot(
            enterprise=enterprise, latitude=enterprise.latitude, longitude=enterprise.longitude, **fields
        )
        lot.full_clean(**FULL_CLEAN)
        lot.save()
        lots.add(lot)
        return LineReport(number, title, Outcome.CREATED)
    changes = {name: value for name, value in fields.items() if getattr(lot, name) != value}
    if not changes:
        return LineReport(number, title or lot.title, Outcome.UNCHANGED)
    # Where the lots app's lot_update will be called once both parts are merged.
    for name, value in changes.items():
        setattr(lot, name, value)
    lot.full_clean(**FULL_CLEAN)
    lot.save()
    return LineReport(number, title or lot.title, Outcome.UPDATED)


def lot_import(*, enterprise: Enterprise, content: bytes, filename: str) -> LotImportReport:
    """Create or update `enterprise`'s lots from a CSV or XLSX file; only its own lots are touched.

    Raises ImportRefused when the file as a whole cannot be read. Locks: the enterprise row, then its lots
    in primary-key order, so that two imports for one producer run one after the other.
    """
    table = read_table(
        read_rows(content, filename),
        column_of=_column_of,
        column_names=COLUMN_NAMES,
        needs_one_of=("sku", "title"),
        missing_message=_(
            "Il manque les colonnes « référence » et « produit » sur la première ligne. "
            "Colonnes trouvées : %(found)s. Partez du modèle à télécharger."
        ),
        max_lines=MAX_LINES,
    )
    report = LotImportReport(ignored_columns=table.ignored_columns)
    categories: dict[str, ProductCategory] = {}
    for category in ProductCategory.objects.all():
        categories[normalise(category.name)] = category
        categories[normalise(category.slug)] = category
    first_line: dict[str, int] = {}
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        lots = _Lots(enterprise)
        for number, cells in table.lines:
            fields, errors = _parse(cells, categories)
            title = fields.get("title", "")
            key = fields.get("sku") or _Lots.key(title)
            if not errors and key in first_line:
                errors.append(
                    _("même référence que la ligne %(line)s : ligne ignorée") % {"line": first_line[key]}
                    if fields.get("sku")
                    else _("même produit que la ligne %(line)s : ligne ignorée") % {"line": first_line[key]}
                )
            if not errors and not key:
                errors.append(_("ni référence ni produit"))
            if errors:
                report.lines.append(LineReport(number, title, Outcome.SKIPPED, errors))
                continue
            first_line[key] = number
            try:
                with transaction.atomic():
                    report.lines.append(_import_line(enterprise, number, fields, lots))
            except ValidationError as error:
                report.lines.append(LineReport(number, title, Outcome.SKIPPED, _messages(error)))
            except IntegrityError:
                report.lines.append(
                    LineReport(number, title, Outcome.SKIPPED, [_("refusée par la base de données")])
                )
        # The copies the search reads (position, pickup days, words), for the lots just written.
        lots_refresh_copies(enterprise=enterprise)
    return report


TEMPLATE_ROWS = (
    ("référence", "produit", "catégorie", "unité", "unités par colis", "quantité disponible", "minimum",
     "multiple", "prix HT", "TVA", "disponible du", "disponible au", "poids variable", "poids estimé",
     "labels", "description"),
    ("CAR-10", "Carottes de sable", "Fruits et légumes", "kg", "10", "35", "1", "1", "1,20", "5,5",
     "01/10/2027", "31/03/2028", "non", "", "AB", "Colis de 10 kg, lavées"),
    ("POU-1", "Poulet fermier", "Viandes et charcuterie", "pièce", "", "12", "1", "1", "9,80", "",
     "", "", "oui", "1,8", "Label Rouge, fermier", "Prix au kilo, pesé au retrait"),
    ("JUS-1", "Jus de pomme", "Vins, bières et boissons", "l", "6", "40", "1", "1", "2,10", "5,5",
     "", "", "non", "", "", "Carton de 6 bouteilles d'un litre"),
)  # fmt: skip


def template_csv() -> bytes:
    """A sample file to start from: UTF-8 with BOM and `;`, as a French spreadsheet opens it."""
    out = io.StringIO()
    spreadsheet_writer(out).writerows(TEMPLATE_ROWS)
    return out.getvalue().encode("utf-8")
