"""The trade taxonomy: trades as people name them, each mapped to the INSEE NAF rév. 2 codes it covers.

Reference data of every installation (merchants pick their trade from it); loaded by a data migration.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TradeCategorySpec:
    name: str  # as people say it, e.g. "Boulangerie-pâtisserie"
    slug: str
    naf_codes: tuple[str, ...]  # e.g. ("10.71C", "47.24Z")


TRADE_CATEGORIES: tuple[TradeCategorySpec, ...] = (
    TradeCategorySpec("Boulangerie-pâtisserie", "boulangerie-patisserie", ("10.71C", "10.71D", "47.24Z")),
)
