"""What both importers share: the records readers produce, field clean-up, and applying them to a town.

A reader turns a file into `Candidate`s (a shop as the source describes it) and `Skipped`s (a row left
out, with the reason). `import_shops()` creates the shops it has never seen, matched by OpenStreetMap id
or SIRET, merges a shop the other source brought already (same SIRET, or same name and address), and on
later runs changes only the fields that still hold what an import wrote. Each row is written whole or not
at all; rows are committed by batches, which keeps a 10,000-shop export to seconds.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.fr import siret as siret_number

from centreville.accounts.models import User
from centreville.core.pagecache import town_public_data_changed
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
from centreville.shops.services import shop_update
from centreville.shops.signals import shops_changed
from centreville.towns.models import Town

from .hours import HoursStatus, read_opening_hours
from .matching import MAX_DISTANCE_KM, match_key

logger = logging.getLogger(__name__)

# Every skipped or corrected row is named (up to this many per reason, far more than a town's file holds;
# the national register's rows of other communes are only counted).
EXAMPLES_KEPT = 10_000
# Rows are committed together by this many, or after this long, whichever comes first.
BATCH_ROWS = 200
BATCH_SECONDS = 1.0

SKIP_REASONS: dict[str, Any] = {
    "no_name": gettext_lazy("Sans nom"),
    "unmapped": gettext_lazy("Activité hors de la nomenclature des commerces"),
    "vacant": gettext_lazy("Local vacant ou commerce disparu"),
    "chain": gettext_lazy("Chaîne ou franchise (la ville n'accepte que les commerces indépendants)"),
    "no_address": gettext_lazy("Adresse incomplète (ni rue, ni lieu, ni nom de bâtiment)"),
    "other_commune": gettext_lazy("Situé dans une autre commune"),
    "far_away": gettext_lazy("Loin de la ville, sans commune ni code postal pour le confirmer"),
    "closed": gettext_lazy("Établissement fermé"),
    "not_retail": gettext_lazy("Activité (code NAF) hors commerce et services de proximité"),
    "not_public": gettext_lazy("Diffusion restreinte au répertoire SIRENE (données protégées)"),
    "duplicate": gettext_lazy("En double dans le fichier"),
    "short_row": gettext_lazy("Ligne incomplète (colonnes manquantes)"),
    "bad_row": gettext_lazy("Ligne ou élément illisible"),
    "invalid": gettext_lazy("Refusé à l'enregistrement"),
}

WARNINGS: dict[str, Any] = {
    "opening_hours": gettext_lazy(
        "Horaires illisibles : importé sans horaires, texte d'origine gardé pour vérification"
    ),
    "opening_hours_repaired": gettext_lazy("Horaires corrigés automatiquement : à vérifier"),
    "opening_hours_every_day": gettext_lazy(
        "Horaires sans jour précisé, lus comme « tous les jours » : à vérifier"
    ),
    "phone": gettext_lazy("Numéro de téléphone invalide, ignoré"),
    "website": gettext_lazy("Adresse de site web invalide, ignorée"),
    "email": gettext_lazy("Adresse e-mail invalide, ignorée"),
    "category_guess": gettext_lazy("Métier déduit par défaut, à vérifier"),
    "no_street": gettext_lazy("Adresse sans rue (nom de bâtiment ou lieu seulement) : à compléter"),
    "coordinates_far": gettext_lazy("Position sur la carte loin de la ville, ignorée : à placer"),
    "siret_taken": gettext_lazy("SIRET déjà porté par un autre commerce de la ville, ignoré"),
    "kept_edited": gettext_lazy("Modifié sur la plateforme depuis le dernier import : conservé"),
    "closed_in_source": gettext_lazy("Commerce fermé selon la source : à vérifier"),
    "chain_in_source": gettext_lazy("Marqué comme chaîne ou franchise dans la source : à vérifier"),
}
# The warnings that mean "this shop's opening hours need a look".
HOURS_WARNINGS = ("opening_hours", "opening_hours_repaired", "opening_hours_every_day")

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
    "opening_hours_raw",
    "phone",
    "email",
    "website",
    "accessible_entrance",
    "is_independent",
    "network_name",
)
# Where two sources disagree on a field neither person touched, the richer one wins: OpenStreetMap's
# names keep their accents, and it knows hours and contacts the register does not.
SOURCE_PRIORITY: dict[str, int] = {ShopSource.OSM: 2, ShopSource.SIRENE: 1}


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
    siret: str = ""  # the SIRET an OpenStreetMap feature names (ref:FR:SIRET), to merge with SIRENE


@dataclass
class Skipped:
    """Rows left out for one reason (`count` of them: readers group the many rows of other communes)."""

    reason: str
    example: str = ""
    key: str = ""
    count: int = 1


Item = Candidate | Skipped


class SourceReader:
    """Reads one file lazily into `Item`s, and says how far it is, in which encoding, and whether it
    ended early."""

    source: str = ""
    key_field: str = ""  # the Shop field that holds the source's identifier

    def __init__(self) -> None:
        self.rows_read = 0
        self.encoding = ""
        self.truncated = ""  # why the file stopped early, in French; "" when read to its end

    def __iter__(self) -> Iterator[Item]:
        raise NotImplementedError

    @property
    def fraction(self) -> float | None:
        """How much of the file is read (0 to 1), or None when unknown."""
        return None


@dataclass
class ImportReport:
    """The outcome of an import: counts, and skip reasons and warnings grouped by code, each row named."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    rows: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_examples: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    warning_examples: dict[str, list[str]] = field(default_factory=dict)
    merged_examples: list[str] = field(default_factory=list)
    encoding: str = ""
    truncated: str = ""
    dry_run: bool = False

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
            "merged_examples": self.merged_examples,
            "encoding": self.encoding,
            "truncated": self.truncated,
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

# Control characters (a NUL byte, a stray escape) never belong in a name or an address; line breaks and
# tabs become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What GIS tools and spreadsheets write for an absent value, once turned into text.
_ABSENT = {"null", "none", "nan", "n/a", "#n/a"}


def clean_text(value: Any) -> str:
    """A source's value as text: null, "", whitespace and the words tools write for nothing are "";
    control characters are removed and runs of space collapsed."""
    if value is None or isinstance(value, dict | list):
        return ""
    text = value if isinstance(value, str) else str(value)
    text = " ".join(_CONTROL.sub("", text).split())
    return "" if text.lower() in _ABSENT else text


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


def clean_opening_hours(raw: str, subject: str, notes: list[Note]) -> dict[str, str]:
    """The `opening_hours` and `opening_hours_raw` fields for the source's hours.

    Valid hours are kept; common mistakes are repaired when the result is valid; either way, hours that
    need a look keep the source's text in `opening_hours_raw` and name the shop in a warning.
    """
    reading = read_opening_hours(raw)
    raw_limit: int = Shop._meta.get_field("opening_hours_raw").max_length  # type: ignore[assignment]
    if reading.status is HoursStatus.REPAIRED:
        notes.append(Note("opening_hours_repaired", subject, f"« {reading.raw} » → « {reading.value} »"))
    elif reading.status is HoursStatus.EVERY_DAY:
        notes.append(Note("opening_hours_every_day", subject, reading.raw))
    elif reading.status is HoursStatus.INVALID:
        notes.append(Note("opening_hours", subject, reading.raw))
    return {
        "opening_hours": reading.value,
        "opening_hours_raw": reading.raw[:raw_limit] if reading.needs_a_look else "",
    }


def clean_siret(raw: str) -> str:
    digits = re.sub(r"[\s.]", "", raw.split(";")[0])
    return digits if siret_number.is_valid(digits) else ""


def coordinate(value: float) -> Decimal:
    """A latitude or longitude as `Shop` stores it (6 decimals, about 10 cm)."""
    return Decimal(str(round(value, 6))).quantize(Decimal("0.000001"))


def far_note(subject: str, km: float) -> Note:
    return Note(
        "coordinates_far",
        subject,
        _("à %(km)s km du centre (plus de %(max)s km)") % {"km": round(km), "max": int(MAX_DISTANCE_KM)},
    )


# --- Applying records to a town ------------------------------------------------------------------------


ProgressCallback = Callable[[ImportReport, SourceReader], None]


def _serial(value: Any) -> Any:
    """A field value as the import record stores it and compares it."""
    if isinstance(value, TradeCategory):
        return value.slug
    if isinstance(value, Decimal):
        try:
            return str(value.quantize(Decimal("0.000001")))
        except InvalidOperation:
            return str(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "as_e164"):  # a PhoneNumber
        return value.as_e164 if value.is_valid() else str(value)
    return str(value)


def _is_empty(value: Any) -> bool:
    return value in ("", None, False)


def _snapshots(shop: Shop) -> dict[str, dict[str, Any]]:
    """What each source's last import said about the shop, field by field."""
    record: ShopImportRecord | None = getattr(shop, "_import_record", None)
    if record is None:
        return {}
    data = record.data or {}
    if "sources" in data:
        return dict(data["sources"])
    return {shop.source: data} if data else {}  # records written before shops had two sources


def _shop_match_key(shop: Shop) -> str:
    return match_key(name=shop.name, street_address=shop.street_address, postcode=shop.postcode)


class _Importer:
    """One import into one town: what the town holds, indexed, and the rows of the file applied to it."""

    def __init__(
        self, *, town: Town, reader: SourceReader, actor: User | None, run: ImportRun | None
    ) -> None:
        self.town, self.reader, self.actor, self.run = town, reader, actor, run
        self.source = reader.source
        self.key_field = reader.key_field
        self.report = ImportReport()
        self.categories = TradeCategory.objects.in_bulk(field_name="slug")
        members = ShopMembership.objects.filter(shop=OuterRef("pk"))
        shops = list(
            Shop.objects.for_town(town)
            .select_related("town", "category")
            .annotate(has_members=Exists(members))
            .order_by("pk")
        )
        records = {record.shop_id: record for record in ShopImportRecord.objects.filter(shop__town=town)}
        self.by_key: dict[str, Shop] = {}
        self.by_siret: dict[str, Shop] = {}
        self.by_match: dict[str, list[Shop]] = {}
        self.slugs: set[str] = set()
        for shop in shops:
            shop._import_record = records.get(shop.pk)  # type: ignore[attr-defined]
            self._index(shop)
        self.seen: set[str] = set()
        self.changed_ids: list[int] = []

    def _index(self, shop: Shop) -> None:
        key = getattr(shop, self.key_field)
        if key:
            self.by_key[key] = shop
        if shop.siret:
            self.by_siret[shop.siret] = shop
        self.slugs.add(shop.slug)
        matching = _shop_match_key(shop)
        if matching:
            self.by_match.setdefault(matching, []).append(shop)

    # -- one row --

    def handle(self, item: Item) -> None:
        if item.key and item.key in self.seen:
            self.report.skip("duplicate", item.label if isinstance(item, Candidate) else item.example)
            return
        if isinstance(item, Skipped):
            if item.key:
                self.seen.add(item.key)
            self.report.skip(item.reason, item.example, item.count)
            known = self.by_key.get(item.key) if item.key else None
            if known is not None and item.reason in ("closed", "vacant"):
                self.report.warn(Note("closed_in_source", known.name, item.key))
            return
        self.seen.add(item.key)
        try:
            with transaction.atomic():  # a savepoint: the row is written whole or not at all
                self._apply(item)
        except ValidationError as error:
            self.report.skip("invalid", f"{item.label} — {' '.join(error.messages)}")
        except DatabaseError:
            logger.exception("Shop import: row %s refused by the database", item.key)
            self.report.skip("invalid", f"{item.label} — {_('refusé par la base de données')}")

    def _apply(self, candidate: Candidate) -> None:
        shop = self.by_key.get(candidate.key)
        if candidate.brand and not self.town.allow_chains:
            self.report.skip("chain", f"{candidate.label} ({candidate.brand})")
            if shop is not None:  # imported as independent earlier: the manager decides what to do
                self.report.warn(Note("chain_in_source", shop.name, candidate.brand))
            return
        category = self.categories.get(candidate.fields["category"])
        if category is None:
            self.report.skip("unmapped", f"{candidate.label} ({candidate.fields['category']})")
            return
        fields = {**candidate.fields, "category": category}
        if candidate.brand:
            fields.update(is_independent=False, network_name=candidate.brand[:120])
        merged = False
        if shop is None:
            shop = self._same_shop_from_other_source(candidate)
            merged = shop is not None
        elif self.source not in _snapshots(shop) and shop.source != self.source:
            merged = True  # found by the SIRET an OpenStreetMap import recorded
        ids = self._ids_to_record(candidate, shop)
        if shop is None:
            created = self._create(candidate, fields, ids)
            for note in candidate.notes:
                self.report.warn(note)
            self._index(created)
            self.report.created += 1
            return
        try:
            changed = self._update(shop, fields=fields, ids=ids, notes=candidate.notes)
        except (ValidationError, DatabaseError):
            shop.refresh_from_db()
            raise
        if merged:
            self.report.merged += 1
            _keep_example_list(
                self.report.merged_examples,
                _("%(shop)s : %(label)s") % {"shop": shop.name, "label": candidate.label},
            )
        elif changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        self._index(shop)

    def _same_shop_from_other_source(self, candidate: Candidate) -> Shop | None:
        """The shop another source brought: by the SIRET the row names, else by name and address."""
        if candidate.siret:
            shop = self.by_siret.get(candidate.siret)
            if shop is not None and not getattr(shop, self.key_field):
                return shop
        matching = match_key(
            name=candidate.fields.get("name", ""),
            street_address=candidate.fields.get("street_address", ""),
            postcode=candidate.fields.get("postcode", ""),
        )
        found = [shop for shop in self.by_match.get(matching, []) if not getattr(shop, self.key_field)]
        return found[0] if matching and len(found) == 1 else None

    def _ids_to_record(self, candidate: Candidate, shop: Shop | None) -> dict[str, str]:
        """The source identifiers to set on the shop: its key, and a SIRET an OpenStreetMap row names."""
        ids = {self.key_field: candidate.key}
        if candidate.siret and self.key_field != "siret":
            holder = self.by_siret.get(candidate.siret)
            if holder is None or holder is shop:
                if shop is None or not shop.siret:
                    ids["siret"] = candidate.siret
            else:
                candidate.notes.append(
                    Note("siret_taken", candidate.label, f"{candidate.siret} ({holder.name})")
                )
        return ids

    def _create(self, candidate: Candidate, fields: dict[str, Any], ids: dict[str, str]) -> Shop:
        shop = Shop(town=self.town, source=self.source, status=ShopStatus.PUBLISHED, **ids, **fields)
        shop.slug = self._slug(shop.name)
        # Uniqueness is known from the indexes, the town and trade were read from the database; its
        # constraints still guard against a race. (Checking them again costs three queries a shop.)
        shop.full_clean(exclude=["town", "category"], validate_unique=False, validate_constraints=False)
        shop.save()
        # The town manager ran the import, which is their validation: recorded as such.
        ShopStatusChange.objects.create(
            shop=shop,
            from_status=ShopStatus.DRAFT,
            to_status=ShopStatus.PUBLISHED,
            actor=self.actor,
            reason=str(ShopSource(self.source).label),
        )
        shop._import_record = ShopImportRecord.objects.create(  # type: ignore[attr-defined]
            shop=shop, data={"sources": {self.source: _snapshot(fields)}}, last_run=self.run
        )
        shop.has_members = False  # type: ignore[attr-defined]
        self.changed_ids.append(shop.pk)
        return shop

    def _slug(self, name: str) -> str:
        base = slugify(name)[:130] or "commerce"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _update(self, shop: Shop, *, fields: dict[str, Any], ids: dict[str, str], notes: list[Note]) -> bool:
        """Bring a shop up to date with its source; True if any field changed.

        A field changes if it still holds what this source's last import wrote, or what a source of lower
        priority wrote; once the shop has members, only empty fields are filled: what people typed on the
        platform always wins.
        """
        snapshots = _snapshots(shop)
        own = snapshots.get(self.source)
        has_members = getattr(shop, "has_members", True)
        changes: dict[str, Any] = {name: value for name, value in ids.items() if getattr(shop, name) != value}
        for name, new in fields.items():
            current = getattr(shop, name)
            if name == "opening_hours_raw" or _serial(current) == _serial(new):
                continue
            written_by = [
                source
                for source, snap in snapshots.items()
                if name in snap and snap[name] == _serial(current)
            ]
            if has_members or not any(name in snap for snap in snapshots.values()):
                if _is_empty(current):
                    changes[name] = new
            elif self.source in written_by:
                changes[name] = new
            elif written_by:
                outranked = all(
                    SOURCE_PRIORITY.get(s, 0) < SOURCE_PRIORITY.get(self.source, 0) for s in written_by
                )
                if outranked or _is_empty(current):
                    changes[name] = new
            elif own is not None and name in own:
                label = getattr(Shop._meta.get_field(name), "verbose_name", name)
                notes = [*notes, Note("kept_edited", shop.name, str(label))]
            elif _is_empty(current):
                changes[name] = new
        # The source's text of the hours follows the hours; once someone marked it checked, it stays
        # cleared while the hours stay the same.
        new_raw = fields.get("opening_hours_raw")
        if new_raw is not None and new_raw != shop.opening_hours_raw:
            same_hours = _serial(shop.opening_hours) == _serial(fields.get("opening_hours"))
            if "opening_hours" in changes or (same_hours and shop.opening_hours_raw):
                changes["opening_hours_raw"] = new_raw
        if not shop.opening_hours_raw and "opening_hours_raw" not in changes:
            notes = [note for note in notes if note.code not in HOURS_WARNINGS]  # checked by a person
        for note in notes:
            self.report.warn(note)
        snapshots[self.source] = _snapshot(fields)
        record: ShopImportRecord | None = getattr(shop, "_import_record", None)
        if changes:
            shop_update(shop=shop, **changes)
        data = {"sources": snapshots}
        if record is None:
            shop._import_record = ShopImportRecord.objects.create(  # type: ignore[attr-defined]
                shop=shop, data=data, last_run=self.run
            )
        elif record.data != data:
            record.data, record.last_run = data, self.run
            record.save(update_fields=["data", "last_run", "updated_at"])
        return bool(changes)

    # -- the whole file --

    def run_all(self, on_progress: ProgressCallback | None) -> ImportReport:
        items = iter(self.reader)
        failure: BaseException | None = None
        finished = False
        while not finished and failure is None:
            started = time.monotonic()
            with transaction.atomic():
                self.changed_ids = []
                for _n in range(BATCH_ROWS):
                    try:
                        item = next(items, None)
                    except Exception as error:  # the file itself: what came before stays imported
                        failure = error
                        break
                    if item is None:
                        finished = True
                        break
                    try:
                        self.handle(item)
                    except Exception:
                        logger.exception("Shop import: unexpected error on a row")
                        label = item.label if isinstance(item, Candidate) else item.example
                        self.report.skip("bad_row", label)
                    if time.monotonic() - started > BATCH_SECONDS:
                        break
                if self.changed_ids:
                    town_public_data_changed(self.town.pk)
                    shops_changed.send(sender=Shop, shop_ids=self.changed_ids)
            if on_progress is not None:
                on_progress(self.report, self.reader)
        self.report.rows = self.reader.rows_read
        self.report.encoding = self.reader.encoding
        self.report.truncated = self.reader.truncated
        if failure is not None:
            raise failure
        return self.report


def _keep_example_list(examples: list[str], example: str) -> None:
    if len(examples) < EXAMPLES_KEPT:
        examples.append(example)


def _snapshot(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: _serial(value) for name, value in fields.items()}


def import_shops(
    *,
    town: Town,
    reader: SourceReader,
    actor: User | None = None,
    run: ImportRun | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Create, update or merge the town's shops from `reader`; each row is written whole or not at all.

    New shops are published without any member, waiting for their merchant to claim them. Chains are
    skipped unless the town accepts them. Running it again with the same file changes nothing. A row that
    cannot be read or saved is reported and skipped; the others are imported.
    """
    return _Importer(town=town, reader=reader, actor=actor, run=run).run_all(on_progress)


def summary_lines(report: ImportReport) -> list[str]:
    """The report as lines of French text, for the command's output: every skipped or corrected row."""
    lines = []
    if report.dry_run:
        lines.append(_("Essai à blanc : rien n'a été enregistré."))
    lines.append(
        _(
            "%(created)s créé(s), %(updated)s mis à jour, %(unchanged)s inchangé(s), %(merged)s fusionné(s), "
            "%(skipped)s ignoré(s)."
        )
        % {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "merged": report.merged,
            "skipped": report.skipped_total,
        }
    )
    if report.encoding:
        lines.append(_("Encodage du fichier : %(encoding)s") % {"encoding": report.encoding})
    if report.truncated:
        lines.append(_("Fichier incomplet : %(reason)s.") % {"reason": report.truncated})
    if report.merged_examples:
        lines.append(_("Fusionnés avec un commerce de l'autre source :"))
        lines.extend(f"  · {example}" for example in report.merged_examples)
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
