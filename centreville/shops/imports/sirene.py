"""Shops from the SIRENE register of establishments (INSEE's "StockEtablissement" CSV, or an extract of it).

The national file has tens of millions of rows: it is read row by row (csv module over a stream, plain,
gzip or zip), and only the active establishments of the town's commune whose NAF code belongs to the
trade taxonomy become candidates. Columns are found by name, as documented by INSEE ("Description du
fichier StockEtablissement"), so extracts with fewer columns or another order are read as well.
"""

from __future__ import annotations

import csv
import logging
import math
import re
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _
from stdnum.fr import siret as siret_number

from centreville.shops.models import ShopSource, TradeCategory
from centreville.towns.models import Town

from .common import Candidate, Item, Note, Skipped, SourceReader, clean_text, coordinate, far_note
from .files import (
    ENDED_EARLY,
    STREAM_ERRORS,
    TextDecoder,
    ended_early,
    fallback_count,
    last_byte,
    open_binary,
    text_sample_and_rest,
    text_stream,
)
from .lambert import lambert93_to_wgs84
from .matching import MAX_DISTANCE_KM, km_from_town

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = (
    "siret",
    "codeCommuneEtablissement",
    "activitePrincipaleEtablissement",
    "etatAdministratifEtablissement",
)
# Rows of other communes are counted, and reported in batches of this size (which also paces progress).
BATCH = 10_000

# INSEE's street type codes (typeVoieEtablissement), spelled out as French addresses write them.
STREET_TYPES = {
    "ALL": "allée",
    "AV": "avenue",
    "BD": "boulevard",
    "CAR": "carrefour",
    "CHE": "chemin",
    "CHS": "chaussée",
    "CITE": "cité",
    "COR": "corniche",
    "CRS": "cours",
    "DOM": "domaine",
    "DSC": "descente",
    "ECA": "écart",
    "ESP": "esplanade",
    "FG": "faubourg",
    "GR": "grande rue",
    "HAM": "hameau",
    "HLE": "halle",
    "IMP": "impasse",
    "LD": "lieu-dit",
    "LOT": "lotissement",
    "MAR": "marché",
    "MTE": "montée",
    "PAS": "passage",
    "PL": "place",
    "PLN": "plaine",
    "PLT": "plateau",
    "PRO": "promenade",
    "PRV": "parvis",
    "QUA": "quartier",
    "QUAI": "quai",
    "RES": "résidence",
    "RLE": "ruelle",
    "ROC": "rocade",
    "RPT": "rond-point",
    "RTE": "route",
    "RUE": "rue",
    "SEN": "sentier",
    "SQ": "square",
    "TPL": "terre-plein",
    "TRA": "traverse",
    "VLA": "villa",
    "VLGE": "village",
}
# indiceRepetitionEtablissement: B → bis, T → ter…
REPETITION = {"B": "bis", "T": "ter", "Q": "quater", "C": "quinquies"}
# A NAF code listed under several trades goes to the broadest one; the others follow the taxonomy's order.
PREFERRED = {
    "47.29Z": "epicerie-fine",
    "47.11B": "epicerie-fine",
    "56.30Z": "cafe-bar",
    "56.10A": "restaurant",
    "47.62Z": "librairie-papeterie",
    "95.29Z": "retouches-pressing",
}
SMALL_WORDS = {
    "a",
    "à",
    "au",
    "aux",
    "d",
    "de",
    "des",
    "du",
    "en",
    "et",
    "l",
    "la",
    "le",
    "les",
    "sur",
    "sous",
}
NOT_DISCLOSED = "[ND]"
ROMAN = re.compile(r"^(?=[ivx]{2,})x{0,3}(ix|iv|v?i{0,3})$")


def naf_categories() -> dict[str, str]:
    """NAF code ("47.24Z") → trade category slug, from the trades as the platform holds them."""
    mapping: dict[str, str] = {}
    trades = list(TradeCategory.objects.order_by("position", "name").values_list("slug", "naf_codes"))
    for slug, codes in trades:
        for code in codes or []:
            mapping.setdefault(code, slug)
    slugs = {slug for slug, _codes in trades}
    mapping.update({code: slug for code, slug in PREFERRED.items() if code in mapping and slug in slugs})
    return mapping


def french_case(text: str, *, capitalise_first: bool = True) -> str:
    """ "BOULANGERIE DU MARCHE" → "Boulangerie du Marche"; text already in mixed case is kept as it is."""
    text = " ".join(text.split())
    if text != text.upper():
        return text
    parts = re.split(r"([\s'\u2019-])", text.lower())  # apostrophes, typographic ones too
    words = []
    for index, part in enumerate(parts):
        small = part in SMALL_WORDS and (index > 0 or not capitalise_first)
        if ROMAN.match(part):
            words.append(part.upper())  # Henri IV, Louis XIV
        else:
            words.append(part if small or not part else part[0].upper() + part[1:])
    return "".join(words)


class SireneReader(SourceReader):
    """Reads a SIRENE establishments file for one town, lazily: memory stays flat whatever the file size."""

    source = ShopSource.SIRENE
    key_field = "siret"

    def __init__(
        self,
        stream: IO[bytes],
        *,
        town: Town,
        categories: dict[str, str] | None = None,
        file_name: str = "",
    ) -> None:
        super().__init__()
        self.town = town
        self.categories = naf_categories() if categories is None else categories
        binary, self._counter, self._total = open_binary(stream, file_name=file_name, extensions=(".csv",))
        sample, binary, broken = text_sample_and_rest(
            binary,
            not_text=_("Ce fichier n'est pas du texte : attendu le fichier CSV des établissements SIRENE."),
        )
        decoder = TextDecoder(sample)
        self._decoder = decoder
        if broken:
            self.truncated = str(ENDED_EARLY)
        self.encoding = decoder.label
        self._binary = binary
        self._fallbacks_before = fallback_count()
        try:
            self._text = text_stream(binary, decoder)
            first_line = self._text.readline()
        except STREAM_ERRORS as error:
            raise ValueError(_("Ce fichier compressé est abîmé : rien n'a pu en être lu.")) from error
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        self._rows = csv.reader(self._text, delimiter=delimiter)
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        self.columns = {clean_text(name): index for index, name in enumerate(header)}
        self.width = len(header)
        missing = [name for name in REQUIRED_COLUMNS if name not in self.columns]
        if missing:
            raise ValueError(
                _(
                    "Ce fichier n'a pas les colonnes du fichier SIRENE des établissements "
                    "(StockEtablissement) : il manque %(columns)s."
                )
                % {"columns": ", ".join(missing)}
            )
        # Geolocated extracts (« géo-SIRENE ») carry longitude and latitude beside, or instead of,
        # Lambert-93 coordinates.
        lowered = {name.lower(): index for name, index in self.columns.items()}
        self._lon_column, self._lat_column = lowered.get("longitude"), lowered.get("latitude")

    @property
    def fraction(self) -> float | None:
        return min(1.0, self._counter.count / self._total) if self._total else None

    def _cell(self, row: list[str], column: str) -> str:
        index = self.columns.get(column)
        return clean_text(row[index]) if index is not None and index < len(row) else ""

    def _is_here(self, row: list[str], commune: int) -> bool:
        """Whether a row is in the town: by its INSEE code (a spreadsheet may have dropped its leading
        zero), or by its postcode when the code is missing."""
        cell = row[commune].strip()
        code = self.town.insee_code
        if cell == code:
            return True
        if len(cell) == 4 and cell.isdigit():
            return f"0{cell}" == code
        if not cell or cell == NOT_DISCLOSED:
            postcode = self._cell(row, "codePostalEtablissement")
            return bool(postcode) and postcode.zfill(5) in self.town.postcodes
        return False

    def __iter__(self) -> Iterator[Item]:
        commune = self.columns["codeCommuneEtablissement"]
        code = self.town.insee_code
        width = self.width
        elsewhere = 0
        # A short row is told once the next one is read: the file's last line, cut short, is a truncated
        # file rather than a bad row.
        short: Skipped | None = None
        row: list[str] = []
        try:
            for row in self._rows:
                self.rows_read += 1
                if short is not None:
                    yield short
                    short = None
                if not row:
                    continue
                # The one test most of the national file fails: kept as cheap as it can be.
                if commune < len(row) and row[commune] == code:
                    pass
                elif commune >= len(row) or not self._is_here(row, commune):
                    elsewhere += 1
                    if elsewhere >= BATCH:
                        yield Skipped("other_commune", count=elsewhere)
                        elsewhere = 0
                    continue
                if elsewhere:
                    yield Skipped("other_commune", count=elsewhere)
                    elsewhere = 0
                if len(row) < width:
                    short = Skipped(
                        "short_row",
                        _("ligne %(line)s (%(found)s colonnes sur %(expected)s)")
                        % {"line": self.rows_read + 1, "found": len(row), "expected": width},
                    )
                    continue
                try:
                    item = self.read(row)
                except Exception:  # one odd row never stops the import
                    logger.exception("SIRENE import: row %s unreadable", self.rows_read + 1)
                    item = Skipped("bad_row", _("ligne %(line)s") % {"line": self.rows_read + 1})
                yield item
        except csv.Error as error:
            self.truncated = _(
                "ligne %(line)s illisible (guillemet non fermé ?) : la lecture s'est arrêtée là"
            ) % {"line": self.rows_read + 1}
            logger.info("SIRENE import stopped on a CSV error: %s", error)
        except STREAM_ERRORS:
            self.truncated = str(ENDED_EARLY)
        if elsewhere:
            yield Skipped("other_commune", count=elsewhere)
        last_cut = bool(row) and len(row) < width and last_byte(self._binary) not in (b"\n", b"\r")
        if short is not None and not last_cut:
            yield short
        if last_cut:
            self.truncated = self.truncated or _(
                "la dernière ligne (%(line)s) est coupée : le fichier semble tronqué"
            ) % {"line": self.rows_read + 1}
        if ended_early(self._binary):
            self.truncated = str(ENDED_EARLY)
        self.encoding = self._decoder.label
        if fallback_count() > self._fallbacks_before and self._decoder.utf8:
            self.encoding += " " + _("(quelques caractères en Windows-1252)")

    def read(self, row: list[str]) -> Item:
        siret = self._cell(row, "siret")
        naf = self._cell(row, "activitePrincipaleEtablissement")
        diffusion = self._cell(row, "statutDiffusionEtablissement")
        if diffusion and diffusion != "O":
            # Partially disclosed: a person asked INSEE not to publish them; we do not either.
            return Skipped("not_public", f"SIRET {siret}")
        name = french_case(
            self._cell(row, "enseigne1Etablissement") or self._cell(row, "denominationUsuelleEtablissement")
        )
        label = f"{name or _('sans enseigne')} (SIRET {siret})"
        if not siret_number.is_valid(siret):
            return Skipped("bad_row", label)
        if self._cell(row, "etatAdministratifEtablissement") != "A":
            return Skipped("closed", label, key=siret)
        nomenclature = self._cell(row, "nomenclatureActivitePrincipaleEtablissement")
        category = self.categories.get(naf) if nomenclature in ("", "NAFRev2") else None
        if category is None:
            return Skipped("not_retail", f"{label} — NAF {naf or '?'} {nomenclature}".strip(), key=siret)
        if not name:
            # Without a shop sign the register only knows the owner's legal name: not a shop's name.
            return Skipped("no_name", label, key=siret)
        street = self._street(row)
        if not street:
            return Skipped("no_address", label, key=siret)
        fields: dict[str, Any] = {
            "name": name[:120],
            "category": category,
            "street_address": street[:200],
            "postcode": self._cell(row, "codePostalEtablissement").zfill(5)[:5]
            if self._cell(row, "codePostalEtablissement")
            else (self.town.postcodes[0] if self.town.postcodes else ""),
            "city": self.town.name,
        }
        notes: list[Note] = []
        point = self._point(row)
        if point is not None:
            km = km_from_town(self.town, latitude=point[1], longitude=point[0])
            if km > MAX_DISTANCE_KM:
                notes.append(far_note(name, km))
            else:
                fields["longitude"], fields["latitude"] = coordinate(point[0]), coordinate(point[1])
        return Candidate(key=siret, label=label, fields=fields, notes=notes)

    def _street(self, row: list[str]) -> str:
        street_name = self._cell(row, "libelleVoieEtablissement")
        if not street_name or street_name == NOT_DISCLOSED:
            # A shopping centre, a building or a place without street: what the register knows of it.
            complement = self._cell(row, "complementAdresseEtablissement")
            return "" if complement == NOT_DISCLOSED else french_case(complement, capitalise_first=True)
        number = self._cell(row, "numeroVoieEtablissement")
        repetition = self._cell(row, "indiceRepetitionEtablissement").upper()
        street_type = self._cell(row, "typeVoieEtablissement").upper()
        return " ".join(
            part
            for part in (
                number,
                REPETITION.get(repetition, repetition.lower()) if number else "",
                STREET_TYPES.get(street_type, street_type.lower()),
                french_case(street_name, capitalise_first=False),
            )
            if part
        )

    def _point(self, row: list[str]) -> tuple[float, float] | None:
        if self._lon_column is not None and self._lat_column is not None:
            try:
                lon = float(clean_text(row[self._lon_column]).replace(",", "."))
                lat = float(clean_text(row[self._lat_column]).replace(",", "."))
            except (ValueError, IndexError):
                lon = lat = math.nan
            if math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90:
                return lon, lat
        if self.town.insee_code.startswith("97"):
            return None  # overseas establishments use other projections (UTM), not Lambert-93
        try:
            x = float(self._cell(row, "coordonneeLambertAbscisseEtablissement"))
            y = float(self._cell(row, "coordonneeLambertOrdonneeEtablissement"))
        except ValueError:
            return None
        lon, lat = lambert93_to_wgs84(x, y)
        # Metropolitan France and Corsica, with a margin: anything else is a wrong value in the register.
        return (lon, lat) if -5.5 <= lon <= 10 and 41 <= lat <= 51.5 else None
