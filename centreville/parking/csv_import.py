"""Import of car parks from a file in the national schema « stationnement » (etalab, v0.1.5).

Real files are messy: UTF-8 with or without a BOM, or Windows-1252; `;` or `,` between fields; empty,
`NULL`, `NA`, `-` for missing values; decimal commas; lines of other towns (their `insee`); the same `id`
twice. Every line that cannot be kept is reported with its number and a French reason, and skipped; the
others are written in one transaction, matched by `id`, so importing the same file again changes nothing.
A file that cannot be read at all (no header, no `id` column) raises `ImportFailed` and writes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centreville.core.pagecache import town_public_data_changed
from centreville.towns.models import Town

from .hours import valid_expression
from .models import CarPark, DisabledFare, StructureType, UserType

ID = re.compile(r"^([013-9]\d|2[AB1-9])\d{3}-P-\d{3}$")
INSEE = re.compile(r"^([013-9]\d|2[AB1-9])\d{3}$")
SIRET = re.compile(r"^\d{14}$")
NULLS = {"", "null", "none", "na", "n/a", "nan", "-", "nc", "nr"}
TRUE = {"true", "1", "vrai", "oui", "yes", "o"}
FALSE = {"false", "0", "faux", "non", "no", "n"}
REQUIRED_COLUMNS = ("id", "nom", "nb_places", "Xlong", "Ylat")

# Schema column -> model field, for counts and prices.
COUNTS = {
    "nb_places": "capacity",
    "nb_pr": "park_and_ride_spaces",
    "nb_pmr": "disabled_spaces",
    "nb_voitures_electriques": "ev_spaces",
    "nb_velo": "bike_spaces",
    "nb_2r_el": "electric_two_wheeler_spaces",
    "nb_autopartage": "car_sharing_spaces",
    "nb_2_rm": "motorbike_spaces",
    "nb_covoit": "carpool_spaces",
}
PRICES = {
    "tarif_1h": "price_1h",
    "tarif_2h": "price_2h",
    "tarif_3h": "price_3h",
    "tarif_4h": "price_4h",
    "tarif_24h": "price_24h",
    "abo_resident": "subscription_resident",
    "abo_non_resident": "subscription_non_resident",
}
# The column each field is read from: a file without that column leaves the field as it was.
COLUMN_OF_FIELD = {
    "name": "nom",
    "address": "adresse",
    "url": "url",
    "user_type": "type_usagers",
    "is_free": "gratuit",
    **{name: column for column, name in COUNTS.items()},
    "max_height_cm": "hauteur_max",
    "operator_siret": "num_siret",
    "latitude": "Ylat",
    "longitude": "Xlong",
    "disabled_fare": "tarif_pmr",
    **{name: column for column, name in PRICES.items()},
    "structure_type": "type_ouvrage",
    "info": "info",
    "opening_hours": "horaires",
}
# Fields an import writes (feed_ref and opening hours set on the page are kept unless the file has them).
IMPORTED_FIELDS = (
    "name",
    "address",
    "url",
    "user_type",
    "is_free",
    *COUNTS.values(),
    "max_height_cm",
    "operator_siret",
    "latitude",
    "longitude",
    "disabled_fare",
    *PRICES.values(),
    "structure_type",
    "info",
)


class ImportFailed(ValueError):
    """The file cannot be read at all; the message is French."""


class BadValue(ValueError):
    pass


@dataclass(frozen=True)
class Skipped:
    line: int
    ref: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""

    def line(self) -> str:
        return f"parking_import created={self.created} updated={self.updated} skipped={len(self.skipped)}"


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and its encoding: UTF-8 (a BOM dropped), else Windows-1252, else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFailed(_("Le fichier n'est pas un texte lisible."))  # latin-1 reads anything: never here


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _clean(value: str | None) -> str | None:
    text = (value or "").strip().strip("\ufeff")
    return None if text.lower() in NULLS else text


def _integer(column: str, value: str | None) -> int | None:
    text = _clean(value)
    if text is None:
        return None
    try:
        number = Decimal(text.replace(" ", "").replace("\u202f", "").replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise BadValue(
            _("%(column)s : « %(value)s » n'est pas un nombre entier") % {"column": column, "value": text}
        )
    if number < 0:
        raise BadValue(_("%(column)s : nombre négatif (%(value)s)") % {"column": column, "value": text})
    return int(number)


def _decimal(
    column: str, value: str | None, *, low: Decimal | None = None, high: Decimal | None = None
) -> Decimal | None:
    text = _clean(value)
    if text is None:
        return None
    text = text.replace("€", "").replace(" ", "").replace("\u202f", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadValue(
            _("%(column)s : « %(value)s » n'est pas un nombre") % {"column": column, "value": value}
        ) from None
    if not number.is_finite():
        raise BadValue(
            _("%(column)s : « %(value)s » n'est pas un nombre") % {"column": column, "value": value}
        )
    if (low is not None and number < low) or (high is not None and number > high):
        raise BadValue(
            _("%(column)s : %(value)s hors des limites (%(low)s à %(high)s)")
            % {"column": column, "value": text, "low": low, "high": high}
        )
    return number


def _choice(column: str, value: str | None, choices: Any) -> str:
    text = _clean(value)
    if text is None:
        return ""
    allowed = {choice.value.lower(): choice.value for choice in choices}
    allowed.update({"abonnes": UserType.SUBSCRIBERS.value} if choices is UserType else {})
    found = allowed.get(text.lower())
    if found is None:
        raise BadValue(
            _("%(column)s : « %(value)s » n'est pas une valeur permise (%(allowed)s)")
            % {"column": column, "value": text, "allowed": ", ".join(choice.value for choice in choices)}
        )
    return found


def _boolean(column: str, value: str | None) -> bool:
    text = _clean(value)
    if text is None:
        return False
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise BadValue(_("%(column)s : « %(value)s » n'est ni vrai ni faux") % {"column": column, "value": text})


def _height(value: str | None) -> int | None:
    text = _clean(value)
    if text is None:
        return None
    return _integer("hauteur_max", text.lower().removesuffix("cm").strip())


def _row_values(row: dict[str, str | None], town: Town) -> dict[str, Any]:
    """The car park's fields from one line, or BadValue with the French reason."""
    ref = (_clean(row.get("id")) or "").upper()
    if not ref:
        raise BadValue(_("identifiant (id) absent"))
    if not ID.match(ref):
        raise BadValue(_("identifiant « %(id)s » hors du format INSEE-P-xxx") % {"id": ref})
    insee = _clean(row.get("insee")) or ref[:5]
    if not INSEE.match(insee):
        raise BadValue(_("code INSEE « %(insee)s » invalide") % {"insee": insee})
    if insee != town.insee_code or ref[:5] != town.insee_code:
        raise BadValue(
            _("parking d'une autre commune (INSEE %(insee)s, celle-ci est %(town)s)")
            % {"insee": insee if insee != town.insee_code else ref[:5], "town": town.insee_code}
        )
    name = _clean(row.get("nom"))
    if name is None:
        raise BadValue(_("nom absent"))
    values: dict[str, Any] = {"ref": ref, "name": name[:200]}
    for column, field_name in COUNTS.items():
        values[field_name] = _integer(column, row.get(column))
    if values["capacity"] is None:
        raise BadValue(_("nb_places absent : le nombre de places est obligatoire"))
    longitude = _decimal("Xlong", row.get("Xlong"), low=Decimal(-180), high=Decimal(180))
    latitude = _decimal("Ylat", row.get("Ylat"), low=Decimal(-90), high=Decimal(90))
    if longitude is None or latitude is None:
        raise BadValue(_("coordonnées (Xlong, Ylat) absentes"))
    values["longitude"] = longitude.quantize(Decimal("0.000001"))
    values["latitude"] = latitude.quantize(Decimal("0.000001"))
    for column, field_name in PRICES.items():
        price = _decimal(column, row.get(column), low=Decimal(0), high=Decimal(99999))
        values[field_name] = price.quantize(Decimal("0.01")) if price is not None else None
    siret = (_clean(row.get("num_siret")) or "").replace(" ", "")
    if siret and not SIRET.match(siret):
        raise BadValue(_("num_siret : « %(value)s » n'a pas 14 chiffres") % {"value": siret})
    url = _clean(row.get("url")) or ""
    if url and not url.lower().startswith(("http://", "https://")):
        raise BadValue(_("url : « %(value)s » n'est pas une adresse web") % {"value": url})
    hours = _clean(row.get("horaires")) or ""
    if hours and not valid_expression(hours):
        raise BadValue(_("horaires : « %(value)s » n'est pas au format OpenStreetMap") % {"value": hours})
    if hours:
        values["opening_hours"] = hours
    values.update(
        address=(_clean(row.get("adresse")) or "")[:300],
        url=url[:200],
        user_type=_choice("type_usagers", row.get("type_usagers"), UserType),
        is_free=_boolean("gratuit", row.get("gratuit")),
        max_height_cm=_height(row.get("hauteur_max")),
        operator_siret=siret,
        disabled_fare=_choice("tarif_pmr", row.get("tarif_pmr"), DisabledFare),
        structure_type=_choice("type_ouvrage", row.get("type_ouvrage"), StructureType),
        info=_clean(row.get("info")) or "",
    )
    return values


def read_rows(data: bytes, town: Town) -> tuple[list[dict[str, Any]], ImportReport]:
    """The lines of the file that can be kept (fields of a car park each), and the report of the others."""
    text, encoding = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [(name or "").strip().strip("\ufeff") for name in reader.fieldnames or []]
    if not columns or not any(columns):
        raise ImportFailed(_("Le fichier est vide : il n'a pas de ligne d'en-tête."))
    reader.fieldnames = columns
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportFailed(
            _(
                "Colonnes obligatoires absentes de l'en-tête : %(columns)s. "
                "Est-ce un fichier au schéma stationnement ?"
            )
            % {"columns": ", ".join(missing)}
        )
    report = ImportReport(encoding=encoding, delimiter=delimiter)
    kept: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue  # a blank line
        ref = (_clean(row.get("id")) or "").upper()
        try:
            values = _row_values(row, town)
        except BadValue as error:
            report.skipped.append(Skipped(line, ref, str(error)))
            continue
        if values["ref"] in seen:
            report.skipped.append(
                Skipped(
                    line,
                    ref,
                    _("identifiant en double (déjà ligne %(line)s)") % {"line": seen[values["ref"]]},
                )
            )
            continue
        seen[values["ref"]] = line
        kept.append(
            {name: value for name, value in values.items() if COLUMN_OF_FIELD.get(name, "id") in columns}
        )
    return kept, report


def import_car_parks(*, town: Town, data: bytes) -> ImportReport:
    """Read the file and write its good lines in one transaction (created or updated by `id`)."""
    rows, report = read_rows(data, town)
    with transaction.atomic():
        existing = {
            car_park.ref: car_park
            for car_park in CarPark.objects.select_for_update().filter(ref__in=[row["ref"] for row in rows])
        }
        new, changed, changed_fields = [], [], set()
        for values in rows:
            car_park = existing.get(values["ref"])
            if car_park is not None and car_park.town_id != town.pk:
                report.skipped.append(
                    Skipped(0, values["ref"], _("identifiant déjà pris par une autre commune"))
                )
                continue
            if car_park is None:
                new.append(CarPark(town=town, **values))
                continue
            differs = [name for name, value in values.items() if getattr(car_park, name) != value]
            if differs:
                car_park.updated_at = timezone.now()
                for name in differs:
                    setattr(car_park, name, values[name])
                changed_fields.update(differs)
                changed.append(car_park)
            else:
                report.unchanged += 1
        CarPark.objects.bulk_create(new, batch_size=500)
        if changed:
            CarPark.objects.bulk_update(changed, sorted(changed_fields | {"updated_at"}), batch_size=500)
        report.created, report.updated = len(new), len(changed)
        if new or changed:
            town_public_data_changed(town.pk)
    return report
