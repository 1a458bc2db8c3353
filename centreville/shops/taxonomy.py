"""The trade taxonomy: trades as people name them, each mapped to the INSEE NAF rév. 2 codes it covers.

Reference data of every installation (merchants pick their trade from it); loaded by a data migration.
Order matters: it is the order in which trades are listed to people (`TradeCategory.position`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TradeCategorySpec:
    name: str  # as people say it, e.g. "Boulangerie-pâtisserie"
    slug: str
    naf_codes: tuple[str, ...]  # e.g. ("10.71C", "47.24Z")


TRADE_CATEGORIES: tuple[TradeCategorySpec, ...] = (
    # Food
    TradeCategorySpec("Boulangerie-pâtisserie", "boulangerie-patisserie", ("10.71C", "10.71D", "47.24Z")),
    TradeCategorySpec("Boucherie-charcuterie", "boucherie-charcuterie", ("47.22Z", "10.13B")),
    TradeCategorySpec("Poissonnerie", "poissonnerie", ("47.23Z",)),
    TradeCategorySpec("Fromagerie", "fromagerie", ("47.29Z",)),
    TradeCategorySpec("Primeur", "primeur", ("47.21Z",)),
    TradeCategorySpec("Caviste", "caviste", ("47.25Z",)),
    TradeCategorySpec("Épicerie fine", "epicerie-fine", ("47.29Z", "47.11B")),
    TradeCategorySpec("Chocolatier-confiseur", "chocolatier-confiseur", ("10.82Z", "47.24Z")),
    TradeCategorySpec(
        "Torréfacteur-salon de thé", "torrefacteur-salon-de-the", ("10.83Z", "47.29Z", "56.10A", "56.30Z")
    ),
    TradeCategorySpec("Traiteur", "traiteur", ("56.21Z", "10.85Z")),
    TradeCategorySpec("Herboristerie-bio", "herboristerie-bio", ("47.29Z", "47.11B")),
    # Cafés and restaurants
    TradeCategorySpec("Café-bar", "cafe-bar", ("56.30Z",)),
    TradeCategorySpec("Restaurant", "restaurant", ("56.10A", "56.10C")),
    # Clothing and accessories
    TradeCategorySpec("Prêt-à-porter femme", "pret-a-porter-femme", ("47.71Z",)),
    TradeCategorySpec("Prêt-à-porter homme", "pret-a-porter-homme", ("47.71Z",)),
    TradeCategorySpec("Chaussures", "chaussures", ("47.72A", "47.72B")),
    TradeCategorySpec("Bijouterie-horlogerie", "bijouterie-horlogerie", ("47.77Z", "95.25Z")),
    TradeCategorySpec("Mercerie", "mercerie", ("47.51Z",)),
    # Health and beauty
    TradeCategorySpec("Pharmacie", "pharmacie", ("47.73Z",)),
    TradeCategorySpec("Opticien", "opticien", ("47.78A",)),
    TradeCategorySpec("Coiffure", "coiffure", ("96.02A",)),
    TradeCategorySpec("Institut de beauté", "institut-de-beaute", ("96.02B", "47.75Z")),
    # Culture and leisure
    TradeCategorySpec("Librairie-papeterie", "librairie-papeterie", ("47.61Z", "47.62Z")),
    TradeCategorySpec("Tabac-presse", "tabac-presse", ("47.26Z", "47.62Z")),
    TradeCategorySpec("Disquaire", "disquaire", ("47.63Z",)),
    TradeCategorySpec("Jouets", "jouets", ("47.65Z",)),
    TradeCategorySpec("Sport", "sport", ("47.64Z",)),
    # Home
    TradeCategorySpec("Fleuriste", "fleuriste", ("47.76Z",)),
    TradeCategorySpec("Décoration et cadeaux", "decoration-et-cadeaux", ("47.59B", "47.78C")),
    TradeCategorySpec("Quincaillerie-droguerie", "quincaillerie-droguerie", ("47.52A", "47.59B")),
    TradeCategorySpec("Antiquités-brocante", "antiquites-brocante", ("47.79Z",)),
    TradeCategorySpec(
        "Informatique et téléphonie", "informatique-et-telephonie", ("47.41Z", "47.42Z", "95.11Z", "95.12Z")
    ),
    # Services
    TradeCategorySpec("Cordonnerie-clés", "cordonnerie-cles", ("95.23Z", "95.29Z")),
    TradeCategorySpec("Retouches-pressing", "retouches-pressing", ("96.01B", "95.29Z")),
)
