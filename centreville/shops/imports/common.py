"""What both importers share: the records readers produce, field clean-up, and applying them to a town.

A reader turns a file into `Candidate`s (a shop as the source describes it) and `Skipped`s (a row left
out, with the reason). `import_shops()` creates the shops it has never seen, matched by OpenStreetMap id
or SIRET, and on later runs changes only the fields that still hold what the previous import wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import opening_hours
import phonenumbers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.accounts.models import User
from centreville.shops.models import (
    ImportRun,
    Shop,
    ShopImportRecord,
    ShopMembership,
    ShopSource,
    ShopStatus,
    ShopStatusChange,
    TradeCategory,
)
from centreville.shops.services import shop_create, shop_update
from centreville.towns.models import Town

# How many examples each group of the summary keeps: enough to act on, small enough to read.
EXAMPLES_KEPT = 5

SKIP_REASONS: dict[str, Any] = {
    "no_name": gettext_lazy("Sans nom"),
    "unmapped": gettext_lazy("Activité hors de la nomenclature des commerces"),
    "vacant": gettext_lazy("Local vacant ou commerce disparu"),
    "chain": gettext_lazy("Chaîne ou franchise (la ville n'accepte que les commerces indépendants)"),
    "no_address": gettext_lazy("Adresse incomplète (ni rue ni lieu)"),
    "other_commune": gettext_lazy("Situé dans une autre commune"),
    "closed": gettext_lazy("Établissement fermé"),
    "not_retail": gettext_lazy("Activité (code NAF) hors commerce et services de proximité"),
    "not_public": gettext_lazy("Diffusion restreinte au répertoire SIRENE (données protégées)"),
    "duplicate": gettext_lazy("En double dans le fichier"),
    "bad_row": gettext_lazy("Ligne ou élément illisible"),
    "invalid": gettext_lazy("Refusé à l'enregistrement"),
}

WARNINGS: dict[str, Any] = {
    "opening_hours": gettext_lazy("Horaires illisibles, mis de côté : le commerce est importé sans horaires"),
    "phone": gettext_lazy("Numéro de téléphone invalide, ignoré"),
    "website": gettext_lazy("Adresse de site web invalide, ignorée"),
    "email": gettext_lazy("Adresse e-mail invalide, ignorée"),
    "category_guess": gettext_lazy("Métier déduit par défaut, à vérifier"),
    "kept_edited": gettext_lazy("Modifié sur la plateforme depuis le dernier import : conservé"),
    "closed_in_source": gettext_lazy("Commerce fermé selon la source : à vérifier"),
    "chain_in_source": gettext_lazy("Marqué comme chaîne ou franchise dans la source : à vérifier"),
}

# The fields an import may set, in the order a summary lists them.
IMPORTED_FIELDS = (
    "name",
    "category",
    "street_address",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "opening_hours",
    "phone",
    "email",
    "website",
    "accessible_entrance",
    "is_independent",
    "network_name",
)


@dataclass
class Note:
    """A warning about one shop: what was wrong, and for whom."""

    code: str
    subject: str
    detail: str = ""

    @property
    def example(self) -> str:
        return f"{self.subject} : {self.detail}" if self.detail else self.subject


@dataclass
class Candidate:
    """A shop as the source describes it, its fields already cleaned to what `Shop` accepts."""

    key: str  # OpenStreetMap id ("node/123") or SIRET
    label: str  # how the summary names it
    fields: dict[str, Any]  # Shop fields; "category" is a TradeCategory slug
    brand: str = ""  # a chain's or franchise's name, when the source says so
    notes: list[Note] = field(default_factory=list)


@dataclass
class Skipped:
    """Rows left out for one reason (`count` of them: readers group the many rows of other communes)."""

    reason: str
    example: str = ""
    key: str = ""
    count: int = 1


Item = Candidate | Skipped


class SourceReader:
    """Reads one file lazily into `Item`s, and says how far it is."""

    source: str = ""
    key_field: str = ""  # the Shop field that holds the source's identifier

    def __init__(self) -> None:
        self.rows_read = 0

    def __iter__(self) -> Iterator[Item]:
        raise NotImplementedError

    @property
    def fraction(self) -> float | None:
        """How much of the file is read (0 to 1), or None when unknown."""
        return None


@dataclass
class ImportReport:
    """The outcome of an import: counts, and skip reasons and warnings grouped by code with examples."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_examples: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    warning_examples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def warnings_total(self) -> int:
        return sum(self.warnings.values())

    def skip(self, reason: str, example: str = "", count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count
        _keep_example(self.skipped_examples, reason, example)

    def warn(self, note: Note) -> None:
        self.warnings[note.code] = self.warnings.get(note.code, 0) + 1
        _keep_example(self.warning_examples, note.code, note.example)

    def as_json(self) -> dict[str, Any]:
        return {
            "skipped": self.skipped,
            "skipped_examples": self.skipped_examples,
            "warnings": self.warnings,
            "warning_examples": self.warning_examples,
        }


def _keep_example(examples: dict[str, list[str]], code: str, example: str) -> None:
    kept = examples.setdefault(code, [])
    if example and len(kept) < EXAMPLES_KEPT:
        kept.append(example)


@dataclass(frozen=True)
class ReportGroup:
    code: str
    label: str
    count: int
    examples: list[str]


def report_groups(
    counts: dict[str, int], examples: dict[str, list[str]], labels: dict[str, Any]
) -> list[ReportGroup]:
    """Groups of a stored report, largest first, with their French label (for pages and the command)."""
    return [
        ReportGroup(code, str(labels.get(code, code)), count, examples.get(code, []))
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


# --- Cleaning values from the sources -------------------------------------------------------------------


def clean_phone(raw: str, subject: str, notes: list[Note]) -> str:
    """The first valid French (or international) number of `raw`, in E.164; "" with a warning if none."""
    raw = raw.strip()
    if not raw:
        return ""
    for part in re.split(r"[;,/]", raw):
        try:
            number = phonenumbers.parse(part.strip(), "FR")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    notes.append(Note("phone", subject, raw))
    return ""


def clean_website(raw: str, subject: str, notes: list[Note]) -> str:
    raw = raw.split(";")[0].strip()
    if not raw:
        return ""
    url = raw if re.match(r"^https?://", raw, re.IGNORECASE) else f"https://{raw}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        notes.append(Note("website", subject, raw))
        return ""
    if len(url) > Shop._meta.get_field("website").max_length:  # type: ignore[operator]
        notes.append(Note("website", subject, raw))
        return ""
    return url


def clean_email(raw: str, subject: str, notes: list[Note]) -> str:
    raw = raw.split(";")[0].strip()
    if not raw:
        return ""
    try:
        validate_email(raw)
    except ValidationError:
        notes.append(Note("email", subject, raw))
        return ""
    return raw


def clean_opening_hours(raw: str, subject: str, notes: list[Note]) -> str:
    """Hours in OpenStreetMap syntax; unreadable ones are set aside (kept in the warning, not imported)."""
    raw = raw.strip()
    if not raw:
        return ""
    if len(raw) > Shop._meta.get_field("opening_hours").max_length or not opening_hours.validate(raw):  # type: ignore[operator]
        notes.append(Note("opening_hours", subject, raw))
        return ""
    return raw


def coordinate(value: float) -> Decimal:
    """A latitude or longitude as `Shop` stores it (6 decimals, about 10 cm)."""
    return Decimal(str(round(value, 6))).quantize(Decimal("0.000001"))


# --- Applying records to a town ------------------------------------------------------------------------


ProgressCallback = Callable[[ImportReport, SourceReader], None]


def _serial(value: Any) -> Any:
    """A field value as the import record stores it and compares it."""
    if isinstance(value, TradeCategory):
        return value.slug
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.000001")))
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "as_e164"):  # a PhoneNumber
        return value.as_e164 if value.is_valid() else str(value)
    return str(value)


def _is_empty(value: Any) -> bool:
    return value in ("", None, False)


def import_shops(
    *,
    town: Town,
    reader: SourceReader,
    actor: User | None = None,
    run: ImportRun | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Create or update the town's shops from `reader`; each shop is saved in its own transaction.

    New shops are published without any member, waiting for their merchant to claim them. Chains are
    skipped unless the town accepts them. Running it again with the same file changes nothing.
    """
    report = ImportReport()
    categories = TradeCategory.objects.in_bulk(field_name="slug")
    key_field = reader.key_field
    members = ShopMembership.objects.filter(shop=OuterRef("pk"))
    existing: dict[str, Shop] = {
        getattr(shop, key_field): shop
        for shop in Shop.objects.for_town(town)
        .exclude(**{key_field: ""})
        .select_related("town", "category", "import_record")
        .annotate(has_members=Exists(members))
    }
    seen: set[str] = set()
    for item in reader:
        if item.key and item.key in seen:
            report.skip("duplicate", item.label if isinstance(item, Candidate) else item.example)
        elif isinstance(item, Skipped):
            seen.add(item.key)
            report.skip(item.reason, item.example, item.count)
            if item.key in existing and item.reason in ("closed", "vacant"):
                report.warn(Note("closed_in_source", existing[item.key].name, item.key))
        else:
            seen.add(item.key)
            _apply(item, town=town, reader=reader, report=report, categories=categories,
                   existing=existing, actor=actor, run=run)  # fmt: skip
        if on_progress is not None:
            on_progress(report, reader)
    return report


def _apply(
    candidate: Candidate,
    *,
    town: Town,
    reader: SourceReader,
    report: ImportReport,
    categories: dict[str, TradeCategory],
    existing: dict[str, Shop],
    actor: User | None,
    run: ImportRun | None,
) -> None:
    shop = existing.get(candidate.key)
    if candidate.brand and not town.allow_chains:
        report.skip("chain", f"{candidate.label} ({candidate.brand})")
        if shop is not None:  # imported as independent earlier: the manager decides what to do
            report.warn(Note("chain_in_source", shop.name, candidate.brand))
        return
    category = categories.get(candidate.fields["category"])
    if category is None:
        report.skip("unmapped", f"{candidate.label} ({candidate.fields['category']})")
        return
    fields = {**candidate.fields, "category": category}
    if candidate.brand:
        fields.update(is_independent=False, network_name=candidate.brand[:120])
    for note in candidate.notes:
        report.warn(note)
    try:
        if shop is None:
            existing[candidate.key] = _create(
                town=town, reader=reader, key=candidate.key, fields=fields, actor=actor, run=run
            )
            report.created += 1
        elif _update(shop, fields=fields, report=report, run=run):
            report.updated += 1
        else:
            report.unchanged += 1
    except ValidationError as error:
        report.skip("invalid", f"{candidate.label} — {' '.join(error.messages)}")


@transaction.atomic
def _create(
    *,
    town: Town,
    reader: SourceReader,
    key: str,
    fields: dict[str, Any],
    actor: User | None,
    run: ImportRun | None,
) -> Shop:
    source_label = str(ShopSource(reader.source).label)
    shop = shop_create(
        town=town,
        creator=None,
        source=reader.source,
        status=ShopStatus.PUBLISHED,
        **{reader.key_field: key},
        **fields,
    )
    # The town manager ran the import, which is their validation: recorded as such.
    ShopStatusChange.objects.create(
        shop=shop,
        from_status=ShopStatus.DRAFT,
        to_status=ShopStatus.PUBLISHED,
        actor=actor,
        reason=source_label,
    )
    ShopImportRecord.objects.create(
        shop=shop, data={name: _serial(value) for name, value in fields.items()}, last_run=run
    )
    shop.has_members = False  # type: ignore[attr-defined]
    return shop


def _update(shop: Shop, *, fields: dict[str, Any], report: ImportReport, run: ImportRun | None) -> bool:
    """Bring a shop up to date with its source; True if anything changed.

    A field changes only if it still holds what the last import wrote; once the shop has members, only
    empty fields are filled: what people typed on the platform always wins.
    """
    try:
        record: ShopImportRecord | None = shop.import_record
    except ObjectDoesNotExist:
        record = None
    previous = record.data if record is not None else None
    has_members = getattr(shop, "has_members", True)
    changes: dict[str, Any] = {}
    for name, new in fields.items():
        current = getattr(shop, name)
        if _serial(current) == _serial(new):
            continue
        if has_members or previous is None or name not in previous:
            if _is_empty(current):
                changes[name] = new
        elif previous[name] == _serial(current):
            changes[name] = new
        else:
            label = getattr(Shop._meta.get_field(name), "verbose_name", name)
            report.warn(Note("kept_edited", shop.name, str(label)))
    snapshot = {name: _serial(value) for name, value in fields.items()}
    with transaction.atomic():
        if changes:
            shop_update(shop=shop, **changes)
        if record is None:
            ShopImportRecord.objects.create(shop=shop, data=snapshot, last_run=run)
        elif record.data != snapshot:
            record.data, record.last_run = snapshot, run
            record.save(update_fields=["data", "last_run", "updated_at"])
    return bool(changes)


def summary_lines(report: ImportReport) -> list[str]:
    """The report as lines of French text, for the command's output."""
    lines = [
        _("%(created)s créé(s), %(updated)s mis à jour, %(unchanged)s inchangé(s), %(skipped)s ignoré(s).")
        % {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": report.skipped_total,
        }
    ]
    for title, groups in (
        (_("Ignorés :"), report_groups(report.skipped, report.skipped_examples, SKIP_REASONS)),
        (_("Avertissements :"), report_groups(report.warnings, report.warning_examples, WARNINGS)),
    ):
        if groups:
            lines.append(title)
        for group in groups:
            lines.append(f"  - {group.label} : {group.count}")
            lines.extend(f"      · {example}" for example in group.examples)
    return lines
