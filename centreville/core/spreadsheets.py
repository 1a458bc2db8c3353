"""CSV files as French spreadsheets open them: `;` between cells, decimal commas, a UTF-8 byte order mark
so that accents read right, and no cell someone typed that runs as a formula."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

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
