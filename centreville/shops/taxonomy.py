"""The trade taxonomy: trades as people name them, each mapped to the INSEE NAF rév. 2 codes it covers.

Reference data of every installation (merchants pick their trade from it); loaded by a data migration.
The database keeps the French names; `trade_name()` shows a taxonomy trade in the current language.
Order matters: it is the order in which trades are listed to people (`TradeCategory.position`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop


@dataclass(frozen=True)
class TradeCategorySpec:
    name: str  # as people say it, e.g. "Boulangerie-pâtisserie"
    slug: str
    naf_codes: tuple[str, ...]  # e.g. ("10.71C", "47.24Z")


TRADE_CATEGORIES: tuple[TradeCategorySpec, ...] = (
    # Food
    TradeCategorySpec(
        gettext_noop("Boulangerie-pâtisserie"), "boulangerie-patisserie", ("10.71C", "10.71D", "47.24Z")
    ),
    TradeCategorySpec(gettext_noop("Boucherie-charcuterie"), "boucherie-charcuterie", ("47.22Z", "10.13B")),
    TradeCategorySpec(gettext_noop("Poissonnerie"), "poissonnerie", ("47.23Z",)),
    TradeCategorySpec(gettext_noop("Fromagerie"), "fromagerie", ("47.29Z",)),
    TradeCategorySpec(gettext_noop("Primeur"), "primeur", ("47.21Z",)),
    TradeCategorySpec(gettext_noop("Caviste"), "caviste", ("47.25Z",)),
    TradeCategorySpec(gettext_noop("Épicerie fine"), "epicerie-fine", ("47.29Z", "47.11B")),
    TradeCategorySpec(gettext_noop("Chocolatier-confiseur"), "chocolatier-confiseur", ("10.82Z", "47.24Z")),
    TradeCategorySpec(
        gettext_noop("Torréfacteur-salon de thé"),
        "torrefacteur-salon-de-the",
        ("10.83Z", "47.29Z", "56.10A", "56.30Z"),
    ),
    TradeCategorySpec(gettext_noop("Traiteur"), "traiteur", ("56.21Z", "10.85Z")),
    TradeCategorySpec(gettext_noop("Herboristerie-bio"), "herboristerie-bio", ("47.29Z", "47.11B")),
    # Cafés and restaurants
    TradeCategorySpec(gettext_noop("Café-bar"), "cafe-bar", ("56.30Z",)),
    TradeCategorySpec(gettext_noop("Restaurant"), "restaurant", ("56.10A", "56.10C")),
    # Clothing and accessories
    TradeCategorySpec(gettext_noop("Prêt-à-porter femme"), "pret-a-porter-femme", ("47.71Z",)),
    TradeCategorySpec(gettext_noop("Prêt-à-porter homme"), "pret-a-porter-homme", ("47.71Z",)),
    TradeCategorySpec(gettext_noop("Chaussures"), "chaussures", ("47.72A", "47.72B")),
    TradeCategorySpec(gettext_noop("Bijouterie-horlogerie"), "bijouterie-horlogerie", ("47.77Z", "95.25Z")),
    TradeCategorySpec(gettext_noop("Mercerie"), "mercerie", ("47.51Z",)),
    # Health and beauty
    TradeCategorySpec(gettext_noop("Pharmacie"), "pharmacie", ("47.73Z",)),
    TradeCategorySpec(gettext_noop("Opticien"), "opticien", ("47.78A",)),
    TradeCategorySpec(gettext_noop("Coiffure"), "coiffure", ("96.02A",)),
    TradeCategorySpec(gettext_noop("Institut de beauté"), "institut-de-beaute", ("96.02B", "47.75Z")),
    # Culture and leisure
    TradeCategorySpec(gettext_noop("Librairie-papeterie"), "librairie-papeterie", ("47.61Z", "47.62Z")),
    TradeCategorySpec(gettext_noop("Tabac-presse"), "tabac-presse", ("47.26Z", "47.62Z")),
    TradeCategorySpec(gettext_noop("Disquaire"), "disquaire", ("47.63Z",)),
    TradeCategorySpec(gettext_noop("Jouets"), "jouets", ("47.65Z",)),
    TradeCategorySpec(gettext_noop("Sport"), "sport", ("47.64Z",)),
    # Home
    TradeCategorySpec(gettext_noop("Fleuriste"), "fleuriste", ("47.76Z",)),
    TradeCategorySpec(gettext_noop("Décoration et cadeaux"), "decoration-et-cadeaux", ("47.59B", "47.78C")),
    TradeCategorySpec(
        gettext_noop("Quincaillerie-droguerie"), "quincaillerie-droguerie", ("47.52A", "47.59B")
    ),
    TradeCategorySpec(gettext_noop("Antiquités-brocante"), "antiquites-brocante", ("47.79Z",)),
    TradeCategorySpec(
        gettext_noop("Informatique et téléphonie"),
        "informatique-et-telephonie",
        ("47.41Z", "47.42Z", "95.11Z", "95.12Z"),
    ),
    # Services
    TradeCategorySpec(gettext_noop("Cordonnerie-clés"), "cordonnerie-cles", ("95.23Z", "95.29Z")),
    TradeCategorySpec(gettext_noop("Retouches-pressing"), "retouches-pressing", ("96.01B", "95.29Z")),
)


TRADE_NAMES = frozenset(spec.name for spec in TRADE_CATEGORIES)


def trade_name(name: str) -> str:
    """A trade's name in the current language: the taxonomy's are translated, any other stays as written."""
    return gettext(name) if name in TRADE_NAMES else name
