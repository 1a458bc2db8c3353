"""Import counts from the files counter vendors and open-data portals publish, the format read from the
content (never from the file's name):

- a vendor export in wide form: a date/time column (or a date column and a time column), then one column per
  channel; `;`, tab or `,` between cells; UTF-8 with or without BOM, or Windows-1252; French, ISO or US
  dates; hourly, daily or finer steps, inferred from the dates; an empty cell is a gap, never a zero;
- the national schema « Comptage des mobilités » (etalab/schema-comptage-mobilites 0.2.5 on
  schema.data.gouv.fr): its site, channel and measure files, given together.

Each file is read in full before anything is written (`counts_import`): a file that cannot be read (unknown
format, truncated, garbled) stops the import with a French message and nothing is written; a bad line is
reported with its number and skipped, the rest is imported. The writing is one transaction
(`footfall.storing`): counts are inserted or updated, never doubled, and the daily and monthly totals of the
channel-days they touch are recomputed.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.core.pagecache import town_public_data_changed
from centreville.towns.models import Town

from . import storing
from .models import CountingChannel, CountingSite, MobilityKind
from .stamps import LocalClock, SlashOrder, Stamp, parse_stamp
from .storing import ChannelCounts

# A plausible ceiling: more than this many passages an hour on one channel (over five a second for a whole
# hour, in one direction of a town-centre street) is a sensor fault, not a crowd. Scaled to the time step:
# 5,000 for a quarter of an hour, 480,000 for a day.
MAX_COUNT_PER_HOUR = 20_000
# Rejected lines kept one by one in the report (all are counted); the page shows the first ones and the
# CSV download all of those kept.
MAX_REJECTIONS_KEPT = 5_000
# Time steps a file may have (seconds): any whole number of minutes that divides a day, or a day.
DAY_SECONDS = 86_400
# Lines read before the step and the order of numeric dates are decided.
LOOKAHEAD_ROWS = 500
# A file whose lines are mostly unreadable (and at least this many) is garbled, not a file with bad lines.
GARBLED_MIN_LINES = 20

REASONS = {
    "bad_row": gettext_lazy("Ligne illisible (pas le nombre de colonnes de l'en-tête)"),
    "bad_date": gettext_lazy("Date illisible"),
    "missing_hour": gettext_lazy("Heure inexistante (passage à l'heure d'été)"),
    "duplicate": gettext_lazy("Doublon (même canal, même début), gardé une seule fois"),
    "negative": gettext_lazy("Valeur négative"),
    "not_a_number": gettext_lazy("Valeur non numérique"),
    "too_large": gettext_lazy("Valeur invraisemblable pour ce pas de temps"),
    "no_duration": gettext_lazy("Durée inconnue (ni fin de comptage, ni pas de temps du canal)"),
    "bad_end": gettext_lazy("Fin de comptage avant son début"),
    "other_town": gettext_lazy("Site d'une autre commune"),
    "unknown_site": gettext_lazy("Site inconnu (absent du fichier des sites)"),
    "unknown_channel": gettext_lazy("Canal inconnu (absent du fichier des canaux)"),
    "missing_field": gettext_lazy("Champ obligatoire vide"),
}

FORMATS = {
    "vendor": gettext_lazy("Export de compteur (une colonne par canal)"),
    "schema_site": gettext_lazy("Schéma national Comptage des mobilités : sites"),
    "schema_channel": gettext_lazy("Schéma national Comptage des mobilités : canaux"),
    "schema_measure": gettext_lazy("Schéma national Comptage des mobilités : mesures"),
}

# The national schema's mobility types (channel.mobility_type) and the kinds the town follows.
SCHEMA_KINDS = {
    "PEDESTRIAN": MobilityKind.PEDESTRIAN,
    "BIKE": MobilityKind.BIKE,
    "E-SCOOTER": MobilityKind.BIKE,
    "CAR": MobilityKind.CAR,
    "BUS": MobilityKind.CAR,
    "MINIBUS": MobilityKind.CAR,
    "TRUCK": MobilityKind.CAR,
    "VAN": MobilityKind.CAR,
    "TWO WHEELS MOTORIZED": MobilityKind.CAR,
}
TIME_HEADERS = {"heure", "time", "hour", "horaire", "heure de début"}
_TIME = re.compile(r"^\d{1,2}[:hH]\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ImportFailed(Exception):
    """The files cannot be imported; the message is French and meant for the person who sent them."""


@dataclass(frozen=True)
class SourceFile:
    name: str
    data: bytes


# --- The report ------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import read, wrote and rejected; `rows` counts the values read (non-empty cells)."""

    rows: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    channels: int = 0
    total: int = 0
    first: datetime | None = None
    last: datetime | None = None
    reasons: dict[str, int] = field(default_factory=dict)  # rejected lines per reason
    rejections: list[dict[str, Any]] = field(default_factory=list)  # the first MAX_REJECTIONS_KEPT
    files: list[dict[str, str]] = field(default_factory=list)

    def reject(
        self, *, file: str, line: int, reason: str, channel: str = "", value: str = "", cells: int = 1
    ) -> None:
        """Record a rejected line (or cell) of `file`; `cells` values of it are not imported."""
        self.rejected += cells
        self.rows += cells
        self.reasons[reason] = self.reasons.get(reason, 0) + 1
        if len(self.rejections) < MAX_REJECTIONS_KEPT:
            self.rejections.append(
                {"file": file, "line": line, "reason": reason, "channel": channel, "value": value[:80]}
            )

    @property
    def rejected_lines(self) -> int:
        return sum(self.reasons.values())

    def summary_line(self, clock: LocalClock) -> str:
        """The command's last line, for scripts: first and last in the town's local time, ISO 8601."""
        first = clock.local_iso(int(self.first.timestamp())) if self.first else ""
        last = clock.local_iso(int(self.last.timestamp())) if self.last else ""
        return (
            f"counts rows={self.rows} imported={self.imported} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={self.rejected} channels={self.channels} "
            f"total={self.total} first={first} last={last}"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "reasons": self.reasons,
            "rejections": self.rejections,
            "files": self.files,
            "kept": len(self.rejections),
        }


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))


# --- Sites and channels: the town's, and those the files bring ----------------------------------------


@dataclass
class SitePlan:
    key: str
    pk: int | None
    name: str
    external_id: str = ""
    kind: str = MobilityKind.PEDESTRIAN
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    from_schema: bool = False  # its fields come from a site file: they replace the stored ones


@dataclass
class ChannelPlan:
    key: str
    pk: int | None
    site_key: str
    name: str
    external_id: str = ""
    direction: str = ""
    kind: str = MobilityKind.PEDESTRIAN
    time_step: int | None = None
    ended_at: datetime | None = None
    from_schema: bool = False
    counts: ChannelCounts = field(default_factory=ChannelCounts)


FOREIGN = "foreign"  # a site or channel of another commune, named in the files


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class Directory:
    """The town's sites and channels, and the plan of those the files add or change: resolved while the
    files are read (so that duplicates are found across files), created when the counts are written."""

    def __init__(self, town: Town) -> None:
        self.town = town
        self.sites = {site.pk: site for site in CountingSite.objects.for_town(town)}
        self.channels = {
            channel.pk: channel for channel in CountingChannel.objects.filter(site__town=town).order_by("pk")
        }
        self.site_plans: dict[str, SitePlan] = {}
        self.channel_plans: dict[str, ChannelPlan] = {}
        self._channels_by_ext: dict[str, list[CountingChannel]] = {}
        self._channels_by_name: dict[str, list[CountingChannel]] = {}
        for channel in self.channels.values():
            if channel.external_id:
                self._channels_by_ext.setdefault(channel.external_id, []).append(channel)
            self._channels_by_name.setdefault(_fold(channel.name), []).append(channel)

    # Sites

    def existing_site(self, site: CountingSite) -> SitePlan:
        key = f"pk:{site.pk}"
        plan = self.site_plans.get(key)
        if plan is None:
            plan = SitePlan(
                key=key,
                pk=site.pk,
                name=site.name,
                external_id=site.external_id,
                kind=site.kind,
                latitude=site.latitude,
                longitude=site.longitude,
            )
            self.site_plans[key] = plan
        return plan

    def site_by_external_id(self, external_id: str) -> SitePlan | None:
        for plan in self.site_plans.values():
            if plan.external_id == external_id:
                return plan
        for site in self.sites.values():
            if site.external_id == external_id:
                return self.existing_site(site)
        return None

    def site_named(self, name: str, kind: str) -> SitePlan:
        """The town's site of that name, or a new one."""
        folded = _fold(name)
        for site in self.sites.values():
            if _fold(site.name) == folded:
                return self.existing_site(site)
        key = f"name:{folded}"
        plan = self.site_plans.get(key)
        if plan is None:
            plan = SitePlan(key=key, pk=None, name=name[:200], kind=kind)
            self.site_plans[key] = plan
        return plan

    # Channels

    def existing_channel(self, channel: CountingChannel) -> ChannelPlan:
        key = f"pk:{channel.pk}"
        plan = self.channel_plans.get(key)
        if plan is None:
            site_plan = self.existing_site(self.sites[channel.site_id])
            plan = ChannelPlan(
                key=key,
                pk=channel.pk,
                site_key=site_plan.key,
                name=channel.name,
                external_id=channel.external_id,
                direction=channel.direction,
                kind=channel.kind,
                time_step=channel.time_step,
                ended_at=channel.ended_at,
            )
            self.channel_plans[key] = plan
        return plan

    def channel_by_external_id(self, external_id: str) -> ChannelPlan | None:
        plan = self.channel_plans.get(f"ext:{external_id}")
        if plan is not None:
            return plan
        matches = self._channels_by_ext.get(external_id, [])
        return self.existing_channel(matches[0]) if len(matches) == 1 else None

    def vendor_channel(self, header: str, site: SitePlan, kind: str) -> ChannelPlan:
        """The channel a vendor file's column header names: in the file's site by identifier or name, else
        in the town when only one channel has that identifier or name, else a new channel of the site."""
        folded = _fold(header)
        if site.pk is not None:
            in_site = [channel for channel in self.channels.values() if channel.site_id == site.pk]
            for channel in in_site:
                if channel.external_id == header:
                    return self.existing_channel(channel)
            for channel in in_site:
                if _fold(channel.name) == folded:
                    return self.existing_channel(channel)
        for candidates in (self._channels_by_ext.get(header, []), self._channels_by_name.get(folded, [])):
            if len(candidates) == 1:
                return self.existing_channel(candidates[0])
        key = f"new:{site.key}|{folded}"
        plan = self.channel_plans.get(key)
        if plan is None:
            plan = ChannelPlan(key=key, pk=None, site_key=site.key, name=header[:200], kind=kind)
            self.channel_plans[key] = plan
        return plan


# --- Reading a file: bytes to text, text to its format ---------------------------------------------------


@dataclass
class Detected:
    format: str  # a key of FORMATS
    encoding: str
    text: str
    delimiter: str
    header_index: int  # records before the header (a vendor's title lines)
    header: list[str]


def decode(source: SourceFile) -> tuple[str, str]:
    """The file's text and the name of its encoding; ImportFailed when it is no text."""
    data = source.data
    if not data.strip():
        raise ImportFailed(_("Le fichier « %(name)s » est vide.") % {"name": source.name})
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    elif data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data[:65_536]:
        try:
            return data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                pass
            else:
                if len(_CONTROL.findall(text[:65_536])) <= 2:
                    return text, "Windows-1252"
    raise ImportFailed(
        _(
            "Le fichier « %(name)s » n'est pas un fichier texte lisible (CSV) : il est peut-être abîmé, "
            "compressé ou d'un tableur (enregistrez-le au format CSV)."
        )
        % {"name": source.name}
    )


def _schema_format(header: list[str]) -> str | None:
    names = {name.strip().lower() for name in header}
    if {"channel_id", "start_datetime"} <= names:
        return "schema_measure"
    if {"channel_id", "site_id"} <= names:
        return "schema_channel"
    if {"site_id", "site_name"} <= names:
        return "schema_site"
    return None


def _is_stamp(row: list[str], *, time_column: bool) -> bool:
    if not row:
        return False
    text = f"{row[0]} {row[1]}" if time_column and len(row) > 1 else row[0]
    return parse_stamp(text) is not None or parse_stamp(text, month_first=True) is not None


def _has_time_column(header: list[str], row: list[str]) -> bool:
    return (
        len(header) >= 3
        and len(row) >= 2
        and _fold(header[1]) in TIME_HEADERS
        and bool(_TIME.match(row[1].strip()))
    )


def detect(source: SourceFile) -> Detected:
    """What the file is, from its first lines; ImportFailed, in French, when it is none of the formats."""
    text, encoding = decode(source)
    head = text[:200_000]
    for delimiter in (";", "\t", ","):
        records = list(itertools.islice(csv.reader(io.StringIO(head), delimiter=delimiter), 40))
        records = [record for record in records if any(cell.strip() for cell in record)]
        if not records:
            continue
        if len(records[0]) >= 2 and records[0][0].strip().lower().startswith("sep="):
            records = records[1:]
        for index, header in enumerate(records[:20]):
            if len(header) < 2:
                continue
            schema = _schema_format(header)
            if schema is not None and index == 0:
                return Detected(schema, encoding, text, delimiter, 0, [cell.strip() for cell in header])
            following = records[index + 1] if index + 1 < len(records) else None
            if following is None or len(following) < 2:
                continue
            time_column = _has_time_column(header, following)
            if _is_stamp(following, time_column=time_column) and not _is_stamp(header, time_column=False):
                return Detected("vendor", encoding, text, delimiter, index, [cell.strip() for cell in header])
    raise ImportFailed(
        _(
            "Le fichier « %(name)s » n'est pas d'un format reconnu : ni un export de compteur (une colonne "
            "de dates puis une colonne par canal), ni un fichier du schéma national Comptage des mobilités "
            "(sites, canaux ou mesures)."
        )
        % {"name": source.name}
    )


def _records(text: str, delimiter: str) -> tuple[Any, Iterator[list[str]]]:
    """A CSV reader over `text` (its `line_num` is the line being read) and its non-blank records,
    after a `sep=` line if the file opens with one."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)

    def records() -> Iterator[list[str]]:
        first = True
        for record in reader:
            if not record or not any(cell.strip() for cell in record):
                continue
            if first and len(record) >= 1 and record[0].strip().lower().startswith("sep="):
                first = False
                continue
            first = False
            yield record

    return reader, records()


def _check_not_truncated(source: SourceFile, detected: Detected) -> None:
    """A file cut in the middle of its last line (no line end, fewer cells than its header) is truncated."""
    text = detected.text
    if text.endswith(("\n", "\r")):
        return
    last_line = text.rsplit("\n", 1)[-1]
    cells = next(csv.reader([last_line], delimiter=detected.delimiter), [])
    if len(cells) < len(detected.header):
        raise ImportFailed(
            _(
                "Le fichier « %(name)s » est tronqué : sa dernière ligne (n° %(line)s) est incomplète. Rien "
                "n'a été importé ; envoyez le fichier entier."
            )
            % {"name": source.name, "line": text.count("\n") + 1}
        )


def check_file(source: SourceFile) -> Detected:
    """The file's format, or ImportFailed when it is of none or truncated: what a form checks at once."""
    found = detect(source)
    _check_not_truncated(source, found)
    return found


def _number(cell: str) -> int | None:
    """The count a cell holds, rounded to a whole number; None when blank; ValueError when it is none."""
    text = cell.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        head, _comma, tail = text.rpartition(",")
        whole = head.lstrip("-")
        thousands = (
            len(tail) == 3 and whole.isdigit() and not whole.startswith("0")
        )  # « 1,234 », not « 0,125 »
        text = f"{head}{tail}" if thousands else f"{head}.{tail}"
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not value.is_finite():
        raise ValueError(text)
    return math.floor(value + Decimal("0.5"))


def _site_name_from_file(name: str) -> str:
    stem = PurePath(name).stem or name
    words = re.sub(r"[_\s]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else _("Site importé")


def ceiling(duration: int) -> int:
    """The largest count accepted over `duration` seconds."""
    return MAX_COUNT_PER_HOUR * duration // 3600


Progress = Callable[[float], None]


class Reading:
    """One import's files being read into the channels' counts (nothing is written here)."""

    def __init__(
        self,
        *,
        town: Town,
        clock: LocalClock,
        site: CountingSite | None = None,
        kind: str = MobilityKind.PEDESTRIAN,
        on_progress: Progress | None = None,
    ) -> None:
        self.town = town
        self.clock = clock
        self.site = site
        self.kind = kind
        self.on_progress = on_progress
        self.report = ImportReport()
        self.directory = Directory(town)
        self.used: dict[str, ChannelPlan] = {}  # the channels the files name, by plan key
        self._foreign_sites: set[str] = set()
        self._foreign_channels: set[str] = set()
        self._done_bytes = 0
        self._total_bytes = 1

    def read(self, sources: Sequence[SourceFile]) -> None:
        """Detect every file first (a wrong one stops everything before any reading), then read the site
        files, the channel files, the measure files and the vendor exports, in that order."""
        detected = [(source, check_file(source)) for source in sources]
        self._total_bytes = max(1, sum(len(found.text) for _source, found in detected))
        order = {"schema_site": 0, "schema_channel": 1, "schema_measure": 2, "vendor": 3}
        if any(found.format == "schema_measure" for _source, found in detected) and not any(
            found.format == "schema_channel" for _source, found in detected
        ):
            self._require_known_channels([pair for pair in detected if pair[1].format == "schema_measure"])
        for source, found in sorted(detected, key=lambda pair: order[pair[1].format]):
            info = {"name": source.name, "format": found.format, "encoding": found.encoding, "step": ""}
            self.report.files.append(info)
            if found.format == "vendor":
                info["step"] = self._read_vendor(source, found)
            elif found.format == "schema_site":
                self._read_sites(source, found)
            elif found.format == "schema_channel":
                self._read_channels(source, found)
            else:
                self._read_measures(source, found)
            self._done_bytes += len(found.text)
            self._progress(0.0)
        self.report.channels = len(self.used)

    def _progress(self, fraction_of_file: float, size: int = 0) -> None:
        if self.on_progress is not None:
            self.on_progress(min(1.0, (self._done_bytes + fraction_of_file * size) / self._total_bytes))

    def _use(self, plan: ChannelPlan) -> ChannelPlan:
        self.used.setdefault(plan.key, plan)
        return plan

    def _garbled_check(self, source: SourceFile, bad_lines: int, lines: int) -> None:
        if bad_lines >= GARBLED_MIN_LINES and bad_lines * 2 > lines:
            raise ImportFailed(
                _(
                    "Le fichier « %(name)s » semble abîmé : %(bad)s lignes sur %(lines)s sont illisibles. "
                    "Rien n'a été importé."
                )
                % {"name": source.name, "bad": bad_lines, "lines": lines}
            )

    # --- Vendor exports ---

    def _read_vendor(self, source: SourceFile, found: Detected) -> str:
        """Read a wide export; returns its time step as the report says it."""
        reader, records = _records(found.text, found.delimiter)
        for _skipped in range(found.header_index + 1):
            next(records)
        header = found.header
        lookahead = list(itertools.islice(((reader.line_num, row) for row in records), LOOKAHEAD_ROWS))
        time_column = bool(lookahead) and _has_time_column(header, lookahead[0][1])
        first_value = 2 if time_column else 1
        width = len(header)
        # Columns: an empty header over empty cells is a trailing separator, not a channel.
        names = header[first_value:]
        while names and not names[-1]:
            names.pop()
        if not names:
            raise ImportFailed(
                _("Le fichier « %(name)s » n'a aucune colonne de comptage après celle des dates.")
                % {"name": source.name}
            )
        duplicates = [name for name, times in Counter(_fold(name) for name in names).items() if times > 1]
        if duplicates:
            raise ImportFailed(
                _("Le fichier « %(name)s » a deux colonnes du même nom : « %(column)s ».")
                % {"name": source.name, "column": duplicates[0]}
            )
        site = (
            self.directory.existing_site(self.site)
            if self.site is not None
            else self.directory.site_named(_site_name_from_file(source.name), self.kind)
        )
        targets = [
            self._use(
                self.directory.vendor_channel(name or _("Colonne %(n)s") % {"n": index}, site, self.kind)
            )
            for index, name in enumerate(names, start=first_value + 1)
        ]

        def stamp_text(row: list[str]) -> str:
            return f"{row[0]} {row[1]}" if time_column else row[0]

        order = SlashOrder()
        for _line, row in lookahead:
            order.observe(stamp_text(row))
        month_first = bool(order.month_first)
        step = self._infer_step([stamp_text(row) for _line, row in lookahead], month_first, targets)
        for plan in targets:
            if plan.pk is None or plan.time_step is None:
                plan.time_step = step or DAY_SECONDS

        cache: dict[str, Stamp | None] = {}
        occurrences: dict[str, int] = {}
        report, clock, name = self.report, self.clock, source.name
        ceilings: dict[int, int] = {}
        total_lines = found.text.count("\n") + 1
        rows_read = 0
        bad_lines = 0
        lines = 0
        value_count = len(targets)

        def filled(values: list[str]) -> int:
            return sum(1 for value in values[:value_count] if value.strip())

        for line, row in itertools.chain(lookahead, ((reader.line_num, row) for row in records)):
            lines += 1
            if lines % 2000 == 0:
                self._progress(line / total_lines, len(found.text))
            if len(row) != width and (len(row) < width or any(cell.strip() for cell in row[width:])):
                bad_lines += 1
                report.reject(
                    file=name,
                    line=line,
                    reason="bad_row",
                    value=found.delimiter.join(row),
                    cells=filled(row[first_value:]),
                )
                continue
            text = stamp_text(row)
            if text in cache:
                stamp = cache[text]
            else:
                stamp = cache[text] = parse_stamp(text, month_first=month_first)
            values = row[first_value:]
            if stamp is None:
                bad_lines += 1
                report.reject(file=name, line=line, reason="bad_date", value=text, cells=filled(values))
                continue
            occurrence = occurrences.get(text, 0) + 1
            occurrences[text] = occurrence
            start = clock.instant(stamp, occurrence)
            if start is None:
                cells = filled(values)
                if cells:
                    skipped = stamp.offset is None and not clock.local_time(stamp.when).exists
                    reason = "missing_hour" if skipped else "duplicate"
                    report.reject(file=name, line=line, reason=reason, value=text, cells=cells)
                continue
            duration = step or clock.day_seconds(clock.day_of(start))
            most = ceilings.get(duration)
            if most is None:
                most = ceilings[duration] = ceiling(duration)
            for plan, cell in zip(targets, values, strict=False):
                if not cell:
                    continue
                try:
                    value: int | None = int(cell)
                except ValueError:
                    try:
                        value = _number(cell)
                    except ValueError:
                        report.reject(
                            file=name, line=line, reason="not_a_number", channel=plan.name, value=cell
                        )
                        continue
                    if value is None:
                        continue
                assert value is not None
                if value < 0:
                    report.reject(file=name, line=line, reason="negative", channel=plan.name, value=cell)
                elif value > most:
                    report.reject(file=name, line=line, reason="too_large", channel=plan.name, value=cell)
                elif plan.counts.add(start, duration, value):
                    rows_read += 1
                else:
                    report.reject(file=name, line=line, reason="duplicate", channel=plan.name, value=text)
        report.rows += rows_read
        self._garbled_check(source, bad_lines, lines)
        if step is None:
            return _("1 jour")
        if step < 3600:
            return _("%(minutes)s min") % {"minutes": step // 60}
        return _("%(hours)s h") % {"hours": step // 3600}

    def _infer_step(self, texts: list[str], month_first: bool, targets: list[ChannelPlan]) -> int | None:
        """The file's time step in seconds, None for daily counts: the most common gap between its first
        times. A file of dates without times is daily."""
        stamps = [stamp for stamp in (parse_stamp(text, month_first=month_first) for text in texts) if stamp]
        if not stamps or all(stamp.date_only for stamp in stamps):
            return None
        instants = sorted(
            {
                self.clock.instant(stamp, 1) or 0
                for stamp in stamps
                if stamp.offset is not None or self.clock.local_time(stamp.when).exists
            }
        )
        gaps = Counter(later - earlier for earlier, later in itertools.pairwise(instants) if later > earlier)
        if not gaps:
            known = {plan.time_step for plan in targets if plan.time_step}
            return known.pop() if len(known) == 1 and DAY_SECONDS not in known else 3600
        step = gaps.most_common(1)[0][0]
        at_midnight = all(stamp.when.hour == 0 and stamp.when.minute == 0 for stamp in stamps)
        if step in (DAY_SECONDS - 3600, DAY_SECONDS, DAY_SECONDS + 3600) and at_midnight:
            return None
        if step < 60 or step > DAY_SECONDS or DAY_SECONDS % step or step % 60:
            raise ImportFailed(
                _(
                    "Le pas de temps des comptages (%(seconds)s secondes entre deux lignes) n'est pas "
                    "reconnu : les fichiers doivent compter par minutes, quarts d'heure, heures ou jours."
                )
                % {"seconds": step}
            )
        return step

    # --- The national schema ---

    def _require_known_channels(self, measure_files: list[tuple[SourceFile, Detected]]) -> None:
        """Measures without their channel file: only for channels the town already has."""
        for source, found in measure_files:
            _reader, records = _records(found.text, found.delimiter)
            header = [cell.strip().lower() for cell in next(records)]
            index = header.index("channel_id")
            ids = {row[index].strip() for row in itertools.islice(records, 1000) if len(row) > index}
            if not any(self.directory.channel_by_external_id(channel_id) for channel_id in ids):
                raise ImportFailed(
                    _(
                        "Le fichier des mesures « %(name)s » parle de canaux que la ville n'a pas encore : "
                        "envoyez-le avec les fichiers des sites et des canaux du schéma Comptage des "
                        "mobilités."
                    )
                    % {"name": source.name}
                )

    def _schema_rows(self, found: Detected) -> Iterator[tuple[int, dict[str, str]]]:
        reader, records = _records(found.text, found.delimiter)
        header = [cell.strip().lower() for cell in next(records)]
        for row in records:
            cells = {
                name: (row[index].strip() if index < len(row) else "") for index, name in enumerate(header)
            }
            yield reader.line_num, cells

    def _read_sites(self, source: SourceFile, found: Detected) -> None:
        for line, row in self._schema_rows(found):
            site_id, name = row.get("site_id", ""), row.get("site_name", "")
            if not site_id or not name:
                self.report.reject(
                    file=source.name, line=line, reason="missing_field", value=site_id, cells=0
                )
                continue
            insee = row.get("fr_insee_code", "")
            if insee and insee != self.town.insee_code:
                self._foreign_sites.add(site_id)
                self.report.reject(
                    file=source.name, line=line, reason="other_town", value=f"{site_id} ({insee})", cells=0
                )
                continue
            plan = self.directory.site_by_external_id(site_id)
            if plan is None:
                plan = SitePlan(key=f"ext:{site_id}", pk=None, name=name, external_id=site_id)
                self.directory.site_plans[plan.key] = plan
            plan.name, plan.from_schema = name[:200], True
            plan.latitude = _coordinate(row.get("ylat", ""), 90)
            plan.longitude = _coordinate(row.get("xlong", ""), 180)

    def _read_channels(self, source: SourceFile, found: Detected) -> None:
        kinds_of_new_sites: dict[str, str] = {}
        for line, row in self._schema_rows(found):
            channel_id, site_id = row.get("channel_id", ""), row.get("site_id", "")
            if not channel_id or not site_id:
                self.report.reject(
                    file=source.name, line=line, reason="missing_field", value=channel_id, cells=0
                )
                continue
            if site_id in self._foreign_sites:
                self._foreign_channels.add(channel_id)
                self.report.reject(
                    file=source.name,
                    line=line,
                    reason="other_town",
                    channel=channel_id,
                    value=site_id,
                    cells=0,
                )
                continue
            site = self.directory.site_by_external_id(site_id)
            if site is None:
                self.report.reject(
                    file=source.name,
                    line=line,
                    reason="unknown_site",
                    channel=channel_id,
                    value=site_id,
                    cells=0,
                )
                continue
            types = [part.strip().upper() for part in row.get("mobility_type", "").split(",") if part.strip()]
            kind = str(SCHEMA_KINDS.get(types[0], MobilityKind.OTHER) if types else MobilityKind.OTHER)
            plan = self.directory.channel_by_external_id(channel_id)
            if plan is None:
                plan = ChannelPlan(key=f"ext:{channel_id}", pk=None, site_key=site.key, name=channel_id)
                self.directory.channel_plans[plan.key] = plan
            plan.from_schema = True
            plan.external_id = channel_id
            plan.name = (row.get("provider_direction_name") or row.get("comment") or channel_id)[:200]
            plan.direction = (row.get("direction") or row.get("provider_direction_code") or "")[:100]
            plan.kind = kind
            step = _positive_int(row.get("time_step", ""))
            plan.time_step = step or plan.time_step
            ended = parse_stamp(row.get("ended_at", ""))
            plan.ended_at = self._as_datetime(ended) if ended else None
            if site.pk is None:
                kinds_of_new_sites.setdefault(site.key, kind)
            self._use(plan)
        for key, kind in kinds_of_new_sites.items():
            self.directory.site_plans[key].kind = kind

    def _as_datetime(self, stamp: Stamp) -> datetime | None:
        instant = self.clock.instant(stamp, 1)
        return datetime.fromtimestamp(instant, self.clock.zone) if instant is not None else None

    def _read_measures(self, source: SourceFile, found: Detected) -> None:
        reader, records = _records(found.text, found.delimiter)
        header = [cell.strip().lower() for cell in next(records)]
        at = {name: index for index, name in enumerate(header)}
        channel_at, start_at = at["channel_id"], at["start_datetime"]
        end_at, count_at = at.get("end_datetime"), at.get("count")
        width = len(header)
        report, clock, name = self.report, self.clock, source.name
        plans: dict[str, ChannelPlan | str | None] = {}
        cache: dict[str, Stamp | None] = {}
        occurrences: dict[tuple[str, str], int] = {}
        total_lines = found.text.count("\n") + 1
        bad_lines = lines = 0

        for row in records:
            line = reader.line_num
            lines += 1
            if lines % 5000 == 0:
                self._progress(line / total_lines, len(found.text))
            if len(row) < width:
                bad_lines += 1
                report.reject(
                    file=name, line=line, reason="bad_row", value=found.delimiter.join(row), cells=0
                )
                continue
            channel_id = row[channel_at].strip()
            count_text = row[count_at].strip() if count_at is not None else ""
            cells = 1 if count_text else 0
            if channel_id in plans:
                plan = plans[channel_id]
            else:
                plan = plans[channel_id] = self._measured(channel_id)
            if plan == FOREIGN:
                report.reject(file=name, line=line, reason="other_town", channel=channel_id, cells=cells)
                continue
            if not isinstance(plan, ChannelPlan):
                report.reject(file=name, line=line, reason="unknown_channel", channel=channel_id, cells=cells)
                continue
            if not cells:
                continue  # no count over this step: a gap
            start_text = row[start_at].strip()
            if start_text in cache:
                stamp = cache[start_text]
            else:
                stamp = cache[start_text] = parse_stamp(start_text)
            if stamp is None:
                bad_lines += 1
                report.reject(file=name, line=line, reason="bad_date", channel=plan.name, value=start_text)
                continue
            occurrence = 1
            if stamp.offset is None:
                occurrence = occurrences.get((channel_id, start_text), 0) + 1
                occurrences[(channel_id, start_text)] = occurrence
            start = clock.instant(stamp, occurrence)
            if start is None:
                skipped = stamp.offset is None and not clock.local_time(stamp.when).exists
                reason = "missing_hour" if skipped else "duplicate"
                report.reject(file=name, line=line, reason=reason, channel=plan.name, value=start_text)
                continue
            duration = self._measure_duration(
                stamp, start, row[end_at].strip() if end_at is not None else "", plan
            )
            if duration is None or duration <= 0:
                reason = "no_duration" if duration is None else "bad_end"
                report.reject(file=name, line=line, reason=reason, channel=plan.name, value=start_text)
                continue
            try:
                value = _number(count_text)
            except ValueError:
                report.reject(
                    file=name, line=line, reason="not_a_number", channel=plan.name, value=count_text
                )
                continue
            assert value is not None
            if value < 0:
                report.reject(file=name, line=line, reason="negative", channel=plan.name, value=count_text)
            elif value > ceiling(duration):
                report.reject(file=name, line=line, reason="too_large", channel=plan.name, value=count_text)
            elif plan.counts.add(start, duration, value):
                report.rows += 1
            else:
                report.reject(file=name, line=line, reason="duplicate", channel=plan.name, value=start_text)
        self._garbled_check(source, bad_lines, lines)

    def _measured(self, channel_id: str) -> ChannelPlan | str | None:
        if channel_id in self._foreign_channels:
            return FOREIGN
        plan = self.directory.channel_by_external_id(channel_id)
        return self._use(plan) if plan is not None else None

    def _measure_duration(self, stamp: Stamp, start: int, end_text: str, plan: ChannelPlan) -> int | None:
        end = parse_stamp(end_text) if end_text else None
        if end is not None and (end.offset is not None or plan.time_step is None):
            end_instant = self.clock.instant(end, 1)
            if end_instant is not None:
                return end_instant - start
        return plan.time_step


def _coordinate(text: str, limit: int) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value.quantize(Decimal("0.000001")) if value.is_finite() and abs(value) <= limit else None


def _positive_int(text: str) -> int | None:
    try:
        value = int(float(text))
    except ValueError:
        return None
    return value if value > 0 else None


# --- Writing: sites and channels, then the counts -------------------------------------------------------

_SITE_FIELDS = ("name", "external_id", "kind", "latitude", "longitude")
_CHANNEL_FIELDS = ("name", "external_id", "direction", "kind", "time_step", "ended_at")


def plans_apply(*, town: Town, directory: Directory, used: Iterable[ChannelPlan]) -> dict[str, int]:
    """Create the sites and channels the files bring, update those a schema file or a first import
    describes anew; returns the id of each used channel, by plan key."""
    channel_plans = [plan for plan in directory.channel_plans.values() if plan.pk is None or plan.from_schema]
    wanted = list(used) + channel_plans
    site_keys = {plan.site_key for plan in wanted}
    site_ids: dict[str, int] = {}
    for site_plan in directory.site_plans.values():
        if site_plan.pk is None and site_plan.key not in site_keys and not site_plan.from_schema:
            continue
        site_ids[site_plan.key] = _site_save(town, directory, site_plan)
    ids: dict[str, int] = {}
    for plan in {plan.key: plan for plan in wanted}.values():
        ids[plan.key] = _channel_save(directory, plan, site_ids[plan.site_key])
    return ids


def _site_save(town: Town, directory: Directory, plan: SitePlan) -> int:
    values = {name: getattr(plan, name) for name in _SITE_FIELDS}
    if plan.pk is None:
        site = CountingSite(town=town, **values)
        site.full_clean()
        site.save()
        plan.pk = site.pk
        return site.pk
    site = directory.sites[plan.pk]
    changed = [name for name, value in values.items() if getattr(site, name) != value]
    if changed:
        for name in changed:
            setattr(site, name, values[name])
        site.full_clean()
        site.save(update_fields=[*changed, "updated_at"])
    return plan.pk


def _channel_save(directory: Directory, plan: ChannelPlan, site_id: int) -> int:
    values = {name: getattr(plan, name) for name in _CHANNEL_FIELDS}
    if plan.pk is None:
        channel = CountingChannel(site_id=site_id, **values)
        channel.full_clean()
        channel.save()
        plan.pk = channel.pk
        return channel.pk
    channel = directory.channels[plan.pk]
    changed = [name for name, value in values.items() if getattr(channel, name) != value]
    if changed:
        for name in changed:
            setattr(channel, name, values[name])
        channel.full_clean()
        channel.save(update_fields=[*changed, "updated_at"])
    return plan.pk


# --- One import, from files to totals ----------------------------------------------------------------

Stage = Callable[[str, float, ImportReport], None]  # "reading" or "writing", fraction of it done, so far


def counts_import(
    *,
    town: Town,
    sources: Sequence[SourceFile],
    site: CountingSite | None = None,
    kind: str = MobilityKind.PEDESTRIAN,
    on_progress: Stage | None = None,
) -> ImportReport:
    """Import the files' counts into the town: every file read first (ImportFailed, nothing written, when one
    cannot be), then everything written in one transaction. New channels of vendor exports go to `site`,
    or to a site named after the file, with `kind`. The report holds what was new, changed, unchanged and
    rejected, and the total, first and last count now stored for the files' channels."""
    clock = LocalClock(town.timezone)
    reading = Reading(town=town, clock=clock, site=site, kind=kind)
    report = reading.report
    if on_progress is not None:
        reading.on_progress = lambda fraction: on_progress("reading", fraction, report)
    reading.read(sources)
    if on_progress is not None:
        on_progress("writing", 0.0, report)
    with transaction.atomic():
        storing.town_lock(town)
        ids = plans_apply(town=town, directory=reading.directory, used=reading.used.values())
        channels = [(ids[key], plan.counts) for key, plan in reading.used.items()]
        stored = storing.measures_store(channels, clock=clock)
        holdings = storing.channels_holdings(ids[key] for key in reading.used)
        # The town's public pages (its open data among them) show the counts: stale once this commits.
        town_public_data_changed(town.pk)
    accepted = sum(len(counts) for _channel_id, counts in channels)
    report.imported, report.updated = stored.imported, stored.updated
    report.unchanged = accepted - stored.imported - stored.updated
    report.total, report.first, report.last = holdings.total, holdings.first, holdings.last
    if on_progress is not None:
        on_progress("writing", 1.0, report)
    return report
