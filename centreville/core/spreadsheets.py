"""CSV files as French spreadsheets open them: `;` between cells, decimal commas, a UTF-8 byte order mark
so that accents read right, and no cell someone typed that runs as a formula; and the header of a sheet
someone uploads, read the same way by every import (columns named in any order, case or accents)."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from _csv import _writer

BYTE_ORDER_MARK = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def spreadsheet_writer(out: _Writable) -> _writer:
    """A CSV writer into `out` (an HTTP response, a StringIO), the byte order mark written first."""
    out.write(BYTE_ORDER_MARK)
    return csv.writer(out, delimiter=";", lineterminator="\r\n")


def spreadsheet_text(value: str) -> str:
    """Text someone typed, as a cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def spreadsheet_amount(amount: Decimal) -> str:
    """« 12,50 »: French spreadsheets read a decimal comma as a number, a point as text."""
    return f"{amount:.2f}".replace(".", ",")


# --- Reading a spreadsheet someone uploads ---------------------------------------------------------------


class ImportRefused(Exception):
    """The whole file is refused; the message says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise(text: object) -> str:
    """Lower case, no accents, no punctuation, single spaces: how headers and categories are compared."""
    plain = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def header_key(header: object) -> str:
    """A column's header as compared with the names an import knows: « Prix HT (€) » is « prix ht »."""
    return normalise(re.sub(r"\(.*?\)", " ", str(header or "")))


def cell_text(value: Any) -> str:
    """A cell as text: « 12 » for a sheet's 12.0, a date in ISO form, blank for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class SheetTable:
    """The lines under a sheet's header, each as {column: cell} for the columns the import knows."""

    columns: dict[int, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    lines: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def read_table(
    rows: Iterable[tuple[int, list[Any]]],
    *,
    column_of: Callable[[object], str | None],
    column_names: Mapping[str, object],
    needs_one_of: tuple[str, ...],
    missing_message: str,
    max_lines: int,
) -> SheetTable:
    """The first non-blank row is the header; the non-blank rows below it are the lines.

    `column_of` names a header's column (None: the column is ignored and reported). Raises ImportRefused
    when the file is empty, a column comes twice, none of `needs_one_of` is there (`missing_message`, with
    the headers found as %(found)s) or there are more than `max_lines` lines.
    """
    table = SheetTable()
    header_seen = False
    for number, row in rows:
        if not any(cell_text(cell) for cell in row):
            continue
        if not header_seen:
            header_seen = True
            for index, name in enumerate(row):
                column = column_of(name)
                if column is None:
                    if cell_text(name):
                        table.ignored_columns.append(cell_text(name))
                elif column in table.columns.values():
                    raise ImportRefused(
                        _("La colonne « %(column)s » apparaît deux fois.") % {"column": column_names[column]}
                    )
                else:
                    table.columns[index] = column
            if not any(column in table.columns.values() for column in needs_one_of):
                raise ImportRefused(
                    missing_message
                    % {"found": ", ".join(f"« {cell_text(name)} »" for name in row if cell_text(name)) or "—"}
                )
            continue
        if len(table.lines) >= max_lines:
            raise ImportRefused(
                _("Plus de %(max)s lignes : découpez le fichier en plusieurs.")
                % {"max": f"{max_lines:,}".replace(",", " ")}
            )
        cells = {column: row[index] if index < len(row) else None for index, column in table.columns.items()}
        table.lines.append((number, cells))
    if not header_seen:
        raise ImportRefused(_("Ce fichier est vide."))
    return table
