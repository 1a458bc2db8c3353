"""French vocabulary for plausible town centres: shop names, streets, people, products per trade.

Shared by the demo town and the benchmark data generator, so both look like real French towns.
Trades refer to the taxonomy in `centreville.shops.taxonomy` by slug.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ProductIdea:
    title: str
    price: Decimal
    description: str = ""


@dataclass(frozen=True)
class Trade:
    category_slug: str  # a slug of centreville.shops.taxonomy.TRADE_CATEGORIES
    shop_name_patterns: tuple[str, ...]  # "{surname}" / "{first_name}" / "{street}" placeholders
    products: tuple[ProductIdea, ...]
    opening_hours: tuple[str, ...]  # typical OSM opening_hours strings for this trade


TRADES: tuple[Trade, ...] = (
    Trade(
        category_slug="boulangerie-patisserie",
        shop_name_patterns=("Boulangerie {surname}", "Au Fournil de {first_name}", "La Mie Dorée"),
        products=(
            ProductIdea("Baguette de tradition", Decimal("1.30"), "Pétrie lentement, cuite sur sole."),
            ProductIdea("Croissant pur beurre", Decimal("1.20")),
        ),
        opening_hours=("Tu-Sa 06:30-13:30,15:00-19:30; Su 07:00-12:30; PH off",),
    ),
)

SURNAMES: tuple[str, ...] = ("Martin", "Bernard", "Lefèvre", "Moreau")
FIRST_NAMES: tuple[str, ...] = ("Camille", "Louis", "Chloé", "Hugo")
STREET_NAMES: tuple[str, ...] = ("rue de la République", "place du Marché", "rue Saint-Martin", "rue du Beigle")
TOWN_NAME_PARTS: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("Saint-Aubin", "Beaumont", "Villeneuve"),
    ("sur-Orne", "le-Château", "en-Bocage"),
)
