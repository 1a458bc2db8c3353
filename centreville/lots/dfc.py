"""A producer's lots as a Data Food Consortium (DFC) catalogue in JSON-LD, and the import of one.

The export is an Enterprise that supplies one SuppliedProduct and manages one CatalogItem per lot; each
item is offered through one Offer at the lot's price, and one more per buyer category that has its own
price (`offeredTo` a CustomerCategory). Prices are per selling unit (the case when the lot is sold by
the case, as `hasQuantity` says), excluding VAT.

What DFC 2.0 has no term for is written with our own extension terms, under the prefix `cv-lot:`
(`EXTENSION`, declared in each document's context beside DFC's), on the CatalogItem:

- `cv-lot:minimumQuantity`, `cv-lot:quantityStep`: the least a buyer orders, and the multiple they order by,
  in selling units as `dfc-b:stockLimitation` (DFC's `minValue` bounds a characteristic, not an order);
- `cv-lot:availableFrom`, `cv-lot:availableUntil` (xsd:date): the harvest window (DFC's `startDate` and
  `endDate` open and close a SaleSession, its `availabilityDate` belongs to a Stock and has no end);
- `cv-lot:variableWeight` (boolean): sold by the piece and paid by the weight found at handover.

A piece's estimated weight is DFC's own: a `dfc-b:PhysicalCharacteristic` of the SuppliedProduct, of
dimension `dfc-m:Weight`, in kilograms. A file from elsewhere carries none of our terms: its items leave
those fields of an existing lot as they are (a new lot takes the defaults); an item with `cv-lot:` terms
says them all (no date is no date).

The DFC context is shipped here and served to PyLD by a loader that never goes on the network: expanding
a file must not depend on a third party being up, nor let a file make the server fetch addresses.
The import reads the expanded graph by full IRIs, whatever prefixes the file used; it accepts the
business ontology's and taxonomies' IRIs under their published addresses (GitHub releases, w3id).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from pyld import jsonld

from centreville.catalogue.models import ProductCategory
from centreville.enterprises.models import BuyerCategory, Enterprise, Label

from .lot_import import FULL_CLEAN
from .models import Lot, LotPrice, Unit, VatRate
from .services import lots_refresh_copies

CONTEXT_URL = "https://w3id.org/dfc/ontology/context/context_2.0.0.json"
DFC_B = "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#"
DFC_M = "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/measures.rdf#"
DFC_PT = "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#"
DFC_F = "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/facets.rdf#"
EXTENSION = "urn:centreville:lot:"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
MEDIA_TYPE = "application/ld+json"
MAX_BYTES = 5 * 1024 * 1024

# Object properties (their values are IRIs) among the terms this module writes or reads.
_ID_TERMS = (
    "hasAddress", "hasCertification", "hasPhysicalCharacteristic", "hasPhysicalDimension", "hasPrice",
    "hasQuantity", "hasType", "hasUnit", "manages", "managedBy", "offeredThrough", "offeredItem", "offeredTo",
    "offers", "references", "referencedBy", "supplies", "suppliedBy", "listedIn",
)  # fmt: skip
CONTEXT: dict[str, Any] = {
    "@context": {
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "dfc-b": DFC_B,
        "dfc-m": DFC_M,
        "dfc-pt": DFC_PT,
        "dfc-f": DFC_F,
        **{f"dfc-b:{term}": {"@type": "@id"} for term in _ID_TERMS},
    }
}
# Our terms for what DFC lacks (see the module's docstring), declared in each exported document.
EXTENSION_CONTEXT: dict[str, Any] = {
    "cv-lot": EXTENSION,
    "cv-lot:availableFrom": {"@type": XSD_DATE},
    "cv-lot:availableUntil": {"@type": XSD_DATE},
}
# Addresses under which the DFC 2.0 context is published; all are served the copy above.
CONTEXT_URLS = frozenset(
    {
        CONTEXT_URL,
        "http://w3id.org/dfc/ontology/context/context_2.0.0.json",
        "https://www.datafoodconsortium.org/wp-content/plugins/wordpress-context-jsonld/context_2.0.0.jsonld",
        "https://cdn.jsdelivr.net/gh/datafoodconsortium/ontology/context/context_2.0.0.json",
    }
)

UNIT_MEASURES = {Unit.KILOGRAM: "Kilogram", Unit.LITRE: "Litre", Unit.PIECE: "Piece"}
MEASURE_UNITS = {measure: unit for unit, measure in UNIT_MEASURES.items()}

# Our product categories and the DFC product type (productTypes taxonomy) each is exported as.
CATEGORY_TYPES = {
    "pain-patisserie": "bakery",
    "viandes-charcuterie": "meat-product",
    "poissons": "fishery-product",
    "fromages-cremerie": "dairy-product",
    "fruits-legumes": "vegetable",
    "epicerie": "local-grocery-store",
    "boissons": "drink",
    "chocolats-confiseries": "confectionery",
    "plats-prepares": "ready-meal",
    "fleurs-plantes": "plant",
    "beaute-bien-etre": "cosmetic",
}
# Every DFC product type (taxonomy 2.0) read back into the category it falls under; frozen goods and
# « inedible » have none and are left for the producer to place.
_TYPES_OF_CATEGORY = {
    "boissons": (
        "alcoholic-beverage aperitif beer cider digestive drink fruit-juice lemonade smoothie soft-drink wine"
    ),
    "fruits-legumes": (
        "almond apples apricot aromatic artichoke asparagus basil bean beans beetroot berry "
        "blackberry blackcurrant blueberry bluefoot-mushroom broccoli-cabbage brussels-sprouts "
        "butternut cabbage carrot cauliflower celeriac celery-branch chanterelle-mushroom chard "
        "cherry cherry-tomato chervil chestnut chicory chilli-pepper chinese-cabbage chive "
        "clementine cluster-tomato coriander corn-salad coulemelle-mushroom courgette cress "
        "cucumber currant dandelion deaths-trumpet dill dried-vegetable eggplant endive fennel "
        "fifth-range-vegetable fig fourth-range-vegetable fruit garlic girolle-mushroom gooseberry "
        "grape green-garlic hazelnut herb hierloom-squash hierloom-tomato jerusalem-artichoke kale "
        "kale-cabbage kiwi kohlrabi laurel leek lemon lentils lettuce mandarin medlar melon mesclun "
        "milky-mushroom mint morel mousseron mushroom nectarine non-local-fruit non-local-vegetable "
        "nut onion orange oyster-mushroom paris-mushroom parsley parsnip pattypan-squash peach pear "
        "peas pepper plum porcini potato prune pumpkin purslane quince quinoa radish raspberry "
        "red-cabbage rhubarb rocket romanesco rosemary round-tomato rutabaga sage salad salad-mix "
        "salsify savoy-cabbage shallot sheepfoot-mushroom smooth-cabbage spinach squash strawberry "
        "tarragon thyme tomato truffle turnip uchiki-kuri-squash vegetable walnut yam"
    ),
    "pain-patisserie": "bakery bread viennoiserie-",
    "viandes-charcuterie": (
        "beef chicken cooked-meat delicatessen duck festive-poultry fresh-meat goose grilling-meat "
        "guinea-fowl lamb meat-product pigeon pork poultry quail rabbit salting simmering-meat "
        "snails turkey veal venison"
    ),
    "epicerie": (
        "biscuit bottled-fruit bottled-vegetable canned-fruit canned-vegetable cannedGoods "
        "crepe-and-galette dried-fruit dried_goods dried_herb ferment flake flour fruit-in-compote "
        "grain honey jam local-grocery-store oil pasta pastry pie-pastry processed-fruit "
        "processed-vegetable pulse rice salt savory-groceries seed semolina snack soup "
        "sweet-groceries"
    ),
    "fromages-cremerie": (
        "butter cow-dairy-product cream-cheese dairy-dessert dairy-product egg flavored-yogurt "
        "fresh-cheese fresh-cream goat-dairy-dessert goat-dairy-product goat-flavored-yogurt "
        "goat-fresh-cheese goat-mature-cheese goat-milk goat-natural-yogurt goat-sweet-yogurt "
        "goat-yogurt-on-a-bed-of-fruit goat-yogurt-with-fruits mature-cheese milk natural-yogurt "
        "other-cheese other-dairy-product other-milk sheep-dairy-dessert sheep-dairy-product "
        "sheep-flavored-yogurt sheep-fresh-cheese sheep-mature-cheese sheep-milk "
        "sheep-natural-yogurt sheep-sweet-yogurt sheep-yogurt-on-a-bed-of-fruit "
        "sheep-yogurt-with-fruits sweet-yogurt yogurt-on-a-bed-of-fruit yogurt-with-fruits"
    ),
    "chocolats-confiseries": "confectionery",
    "beaute-bien-etre": "cosmetic",
    "poissons": "fish fishery-product seashell shellfish",
    "fleurs-plantes": "flower plant",
    "plats-prepares": "frozen-meal ready-meal",
}
TYPE_CATEGORIES = {kind: slug for slug, kinds in _TYPES_OF_CATEGORY.items() for kind in kinds.split()}

# Our labels and the DFC facet (facets taxonomy) that certifies each; the others get an IRI of their own.
LABEL_FACETS = {
    Label.ORGANIC: "Organic-AB",
    Label.LABEL_ROUGE: "RedLabel_FR",
    Label.AOP: "AOP_EU",
    Label.IGP: "IGP_EU",
    Label.HVE: "HEV",
    Label.NATURE_PROGRES: "NatureEtProgres",
}
FACET_LABELS = {facet: str(label) for label, facet in LABEL_FACETS.items()}
WEIGHT_UNITS = {"Kilogram": Decimal(1), "Gram": Decimal("0.001")}
VAT_RATES = {Decimal(rate): rate for rate in VatRate.values}
CENT = Decimal("0.0001")


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """PyLD's loader: the DFC context from the copy above, and nothing else from anywhere."""
    if url.split("#", 1)[0] in CONTEXT_URLS:
        return {"contentType": MEDIA_TYPE, "contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise jsonld.JsonLdError(
        "Only the DFC context is available offline.",
        "jsonld.LoadDocumentError",
        {"url": url},
        code="loading remote context failed",
    )


def expand(document: Any) -> list[dict[str, Any]]:
    return jsonld.expand(document, {"documentLoader": document_loader})


# --- Export ---------------------------------------------------------------------------------------------


def catalogue_lots(enterprise: Enterprise) -> QuerySet[Lot]:
    return (
        Lot.objects.filter(enterprise=enterprise)
        .select_related("category")
        .prefetch_related("prices")
        .order_by("pk")
    )


def _number(value: Decimal) -> int | float:
    """A JSON number that reads back as the same decimal (floats print their shortest exact form)."""
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def catalogue_document(*, enterprise: Enterprise, document_url: str) -> dict[str, Any]:
    """The producer's catalogue as a DFC JSON-LD document whose nodes are named under `document_url`."""
    base = document_url.split("#", 1)[0]
    enterprise_id = f"{base}#enterprise"
    lots = list(catalogue_lots(enterprise))
    graph: list[dict[str, Any]] = []
    enterprise_node: dict[str, Any] = {
        "@id": enterprise_id,
        "@type": "dfc-b:Enterprise",
        "dfc-b:name": enterprise.name,
        "dfc-b:hasAddress": f"{base}#address",
        "dfc-b:supplies": [f"{base}#product-{lot.pk}" for lot in lots],
        "dfc-b:manages": [f"{base}#item-{lot.pk}" for lot in lots],
    }
    if enterprise.description:
        enterprise_node["dfc-b:hasDescription"] = enterprise.description
    if enterprise.vat_number:
        enterprise_node["dfc-b:VATnumber"] = enterprise.vat_number
    graph.append(enterprise_node)
    graph.append(
        {
            "@id": f"{base}#address",
            "@type": "dfc-b:Address",
            "dfc-b:hasStreet": enterprise.street_address,
            "dfc-b:hasPostalCode": enterprise.postcode,
            "dfc-b:hasCity": enterprise.city,
            "dfc-b:latitude": _number(enterprise.latitude),
            "dfc-b:longitude": _number(enterprise.longitude),
        }
    )
    categories_used: set[str] = set()
    for lot in lots:
        graph.extend(_lot_nodes(lot, base, enterprise_id, categories_used))
    for code in sorted(categories_used):
        graph.append(
            {
                "@id": f"{base}#customers-{code}",
                "@type": "dfc-b:CustomerCategory",
                "dfc-b:description": str(BuyerCategory(code).label),
            }
        )
    return {"@context": [CONTEXT_URL, EXTENSION_CONTEXT], "@graph": graph}


def _lot_nodes(lot: Lot, base: str, enterprise_id: str, categories_used: set[str]) -> list[dict[str, Any]]:
    product_id, item_id = f"{base}#product-{lot.pk}", f"{base}#item-{lot.pk}"
    case = lot.case_size or Decimal(1)
    product: dict[str, Any] = {
        "@id": product_id,
        "@type": "dfc-b:SuppliedProduct",
        "dfc-b:name": lot.title,
        "dfc-b:description": lot.description,
        "dfc-b:hasQuantity": {
            "@type": "dfc-b:QuantitativeValue",
            "dfc-b:hasUnit": f"dfc-m:{UNIT_MEASURES[Unit(lot.unit)]}",
            "dfc-b:value": _number(case),
        },
        "dfc-b:hasCertification": [
            f"dfc-f:{LABEL_FACETS[Label(code)]}" if code in LABEL_FACETS else f"{base}#label-{code}"
            for code in lot.labels
        ],
        "dfc-b:suppliedBy": enterprise_id,
        "dfc-b:referencedBy": item_id,
    }
    if lot.category.slug in CATEGORY_TYPES:
        product["dfc-b:hasType"] = f"dfc-pt:{CATEGORY_TYPES[lot.category.slug]}"
    if lot.estimated_weight is not None:
        product["dfc-b:hasPhysicalCharacteristic"] = {
            "@type": "dfc-b:PhysicalCharacteristic",
            "dfc-b:hasPhysicalDimension": "dfc-m:Weight",
            "dfc-b:hasUnit": "dfc-m:Kilogram",
            "dfc-b:value": _number(lot.estimated_weight),
        }
    prices = sorted(lot.prices.all(), key=lambda price: price.buyer_category)
    offers = [(f"{base}#offer-{lot.pk}", lot.unit_price, None)] + [
        (f"{base}#offer-{lot.pk}-{price.buyer_category}", price.unit_price, price.buyer_category)
        for price in prices
    ]
    item: dict[str, Any] = {
        "@id": item_id,
        "@type": "dfc-b:CatalogItem",
        "dfc-b:sku": lot.sku,
        "dfc-b:stockLimitation": _number(lot.quantity_available),
        "dfc-b:references": product_id,
        "dfc-b:managedBy": enterprise_id,
        "dfc-b:offeredThrough": [offer_id for offer_id, _price, _category in offers],
        "cv-lot:minimumQuantity": _number(lot.minimum_quantity),
        "cv-lot:quantityStep": _number(lot.quantity_step),
        "cv-lot:variableWeight": lot.variable_weight,
    }
    if lot.available_from:
        item["cv-lot:availableFrom"] = lot.available_from.isoformat()
    if lot.available_until:
        item["cv-lot:availableUntil"] = lot.available_until.isoformat()
    nodes = [product, item]
    for offer_id, unit_price, buyer_category in offers:
        offer: dict[str, Any] = {
            "@id": offer_id,
            "@type": "dfc-b:Offer",
            "dfc-b:offeredItem": item_id,
            "dfc-b:stockLimitation": _number(lot.quantity_available),
            "dfc-b:hasPrice": {
                "@type": "dfc-b:Price",
                "dfc-b:value": _number(unit_price * case),
                "dfc-b:VATrate": _number(Decimal(lot.vat_rate)),
                "dfc-b:hasUnit": "dfc-m:Euro",
            },
        }
        if buyer_category:
            offer["dfc-b:offeredTo"] = f"{base}#customers-{buyer_category}"
            categories_used.add(buyer_category)
        nodes.append(offer)
    return nodes


def catalogue_json(*, enterprise: Enterprise, document_url: str) -> str:
    document = catalogue_document(enterprise=enterprise, document_url=document_url)
    return json.dumps(document, ensure_ascii=False, indent=1)


# --- Import ---------------------------------------------------------------------------------------------


class DfcRefused(Exception):
    """The file is refused whole and nothing changed; `messages` say why, in French."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class ItemReport:
    sku: str
    title: str
    outcome: str  # created, updated, unchanged, skipped
    reason: str = ""

    @property
    def outcome_label(self) -> str:
        return {
            "created": _("créé"),
            "updated": _("mis à jour"),
            "unchanged": _("inchangé"),
            "skipped": _("ignoré"),
        }[self.outcome]


@dataclass
class DfcReport:
    items: list[ItemReport] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def summary(self) -> str:
        counts = " ".join(f"{o}={self.count(o)}" for o in ("created", "updated", "unchanged", "skipped"))
        return f"lots {counts}"


def _local(iri: str, document: str) -> str | None:
    """The name `iri` gives in one of DFC's documents (« Kilogram » in measures.rdf), whatever its host."""
    head, hash_, name = iri.partition("#")
    return name if hash_ and head.endswith("/" + document) else None


def _business(iri: str) -> str | None:
    return _local(iri, "DFC_BusinessOntology.owl")


class _Graph:
    def __init__(self, nodes: list[dict[str, Any]]) -> None:
        self.nodes = {node["@id"]: node for node in nodes if "@id" in node}

    @staticmethod
    def types(node: dict[str, Any]) -> set[str]:
        return {name for iri in node.get("@type", []) if (name := _business(iri))}

    @staticmethod
    def values(node: dict[str, Any], term: str) -> list[Any]:
        found: list[Any] = []
        for key, values in node.items():
            if not key.startswith("@") and _business(key) == term:
                found.extend(values)
        return found

    def literal(self, node: dict[str, Any], term: str) -> Any:
        values = [value["@value"] for value in self.values(node, term) if "@value" in value]
        return values[0] if values else None

    @staticmethod
    def extension(node: dict[str, Any], term: str) -> Any:
        """The value of our `cv-lot:` term on `node`, None when absent."""
        values = [value["@value"] for value in node.get(EXTENSION + term, []) if "@value" in value]
        return values[0] if values else None

    @staticmethod
    def has_extension(node: dict[str, Any]) -> bool:
        return any(key.startswith(EXTENSION) for key in node)

    def links(self, node: dict[str, Any], term: str) -> list[str]:
        return [value["@id"] for value in self.values(node, term) if "@id" in value]

    def linked(self, node: dict[str, Any], term: str, kind: str, what: str) -> list[dict[str, Any]]:
        """The nodes `node` links to by `term`; each must be described in the file and typed `kind`."""
        found = []
        for iri in self.links(node, term):
            target = self.nodes.get(iri)
            if target is None or kind not in self.types(target):
                raise ValidationError(
                    _("%(what)s « %(iri)s » absent du fichier ou d'un autre type que dfc-b:%(kind)s")
                    % {"what": what, "iri": iri, "kind": kind}
                )
            found.append(target)
        return found


def _decimal(value: Any, what: str, *, positive: bool = False) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValidationError(_("%(what)s manquant") % {"what": what})
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(
            _("%(what)s « %(value)s » n'est pas un nombre") % {"what": what, "value": value}
        ) from None
    if not number.is_finite() or number.adjusted() > 9:
        raise ValidationError(_("%(what)s : nombre hors limites") % {"what": what})
    if number < 0 or (positive and number == 0):
        message = _("%(what)s : valeur négative ou nulle") if positive else _("%(what)s : valeur négative")
        raise ValidationError(message % {"what": what})
    return number


@dataclass
class _Item:
    sku: str
    title: str
    description: str
    unit: str
    case_size: Decimal | None
    quantity: Decimal
    unit_price: Decimal
    vat_rate: str
    category_slug: str | None
    labels: list[str]
    prices: dict[str, Decimal]
    # Fields DFC has no term for (None: the file does not say, the lot keeps its value), and the weight.
    ordering: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _customer_category(graph: _Graph, iri: str) -> str | None:
    """The buyer category an Offer's `offeredTo` names: by our IRI's fragment, else by its description."""
    fragment = iri.rpartition("#")[2].removeprefix("customers-")
    if fragment in BuyerCategory.values:
        return fragment
    node = graph.nodes.get(iri, {})
    description = str(graph.literal(node, "description") or "").strip().casefold()
    for code, label in BuyerCategory.choices:
        if description and description in (code, str(label).casefold()):
            return code
    return None


def _read_item(graph: _Graph, node: dict[str, Any], offers_of: dict[str, list[dict[str, Any]]]) -> _Item:
    sku = str(graph.literal(node, "sku") or "").strip()
    if not sku:
        raise ValidationError(_("article sans référence (dfc-b:sku)"))
    products = graph.linked(node, "references", "SuppliedProduct", _("produit"))
    if len(products) != 1:
        raise ValidationError(_("l'article doit désigner un produit (dfc-b:references)"))
    product = products[0]
    title = str(graph.literal(product, "name") or "").strip()
    if not title:
        raise ValidationError(_("produit sans nom (dfc-b:name)"))
    quantities = [graph.nodes.get(iri, {}) for iri in graph.links(product, "hasQuantity")]
    unit, case = Unit.PIECE, Decimal(1)
    if quantities:
        measure = next((_local(i, "measures.rdf") for i in graph.links(quantities[0], "hasUnit")), None)
        if measure not in MEASURE_UNITS:
            raise ValidationError(
                _("unité « %(unit)s » non prise en charge : kilogramme, litre ou pièce") % {"unit": measure}
            )
        unit = MEASURE_UNITS[measure]
        case = _decimal(graph.literal(quantities[0], "value"), _("quantité du produit"), positive=True)
    stock = graph.literal(node, "stockLimitation")
    offers = graph.linked(node, "offeredThrough", "Offer", _("offre"))
    known = {offer["@id"] for offer in offers}
    offers += [offer for offer in offers_of.get(node["@id"], []) if offer["@id"] not in known]
    base_price: tuple[Decimal, str] | None = None
    prices: dict[str, Decimal] = {}
    notes: list[str] = []
    for offer in offers:
        price_nodes = graph.linked(offer, "hasPrice", "Price", _("prix"))
        if not price_nodes:
            raise ValidationError(_("offre sans prix (dfc-b:hasPrice)"))
        value = _decimal(graph.literal(price_nodes[0], "value"), _("prix"), positive=True)
        unit_price = (value / case).quantize(CENT, rounding=ROUND_HALF_UP)
        audiences = graph.links(offer, "offeredTo")
        if audiences:
            for iri in audiences:
                code = _customer_category(graph, iri)
                if code is None:
                    notes.append(_("offre à « %(iri)s » ignorée : type d'acheteur inconnu") % {"iri": iri})
                else:
                    prices[code] = unit_price
            continue
        rate = graph.literal(price_nodes[0], "VATrate")
        vat = _decimal(rate, _("taux de TVA"))
        if vat not in VAT_RATES:
            raise ValidationError(_("taux de TVA %(rate)s %% inconnu : 5,5, 10 ou 20") % {"rate": rate})
        base_price = (unit_price, VAT_RATES[vat])
        if stock is None:
            stock = graph.literal(offer, "stockLimitation")
    if base_price is None:
        raise ValidationError(_("aucune offre avec un prix pour tous les clients"))
    kinds = [_local(iri, "productTypes.rdf") for iri in graph.links(product, "hasType")]
    category = next((TYPE_CATEGORIES[kind] for kind in kinds if kind in TYPE_CATEGORIES), None)
    labels = []
    for iri in graph.links(product, "hasCertification"):
        facet = _local(iri, "facets.rdf")
        code = FACET_LABELS.get(facet or "") or iri.rpartition("#label-")[2]
        if code in Label.values and code not in labels:
            labels.append(code)
    return _Item(
        ordering=_ordering(graph, node, product),
        sku=sku,
        title=title[:160],
        description=str(graph.literal(product, "description") or ""),
        unit=unit,
        case_size=None if case == 1 else case,
        quantity=_decimal(stock, _("stock (dfc-b:stockLimitation)")),
        unit_price=base_price[0],
        vat_rate=base_price[1],
        category_slug=category,
        labels=labels,
        prices=prices,
        notes=notes,
    )


def _date(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            _("%(what)s « %(value)s » illisible : une date comme 2027-06-15") % {"what": what, "value": value}
        ) from None


def _estimated_weight(graph: _Graph, product: dict[str, Any]) -> Decimal | None:
    """A piece's weight in kilograms, from the product's physical characteristic of dimension Weight."""
    for iri in graph.links(product, "hasPhysicalCharacteristic"):
        characteristic = graph.nodes.get(iri, {})
        dimensions = [_local(i, "measures.rdf") for i in graph.links(characteristic, "hasPhysicalDimension")]
        if "Weight" not in dimensions:
            continue
        measure = next((_local(i, "measures.rdf") for i in graph.links(characteristic, "hasUnit")), None)
        if measure not in WEIGHT_UNITS:
            raise ValidationError(
                _("poids estimé : unité « %(unit)s » non prise en charge : kilogramme ou gramme")
                % {"unit": measure}
            )
        weight = _decimal(graph.literal(characteristic, "value"), _("poids estimé"), positive=True)
        return weight * WEIGHT_UNITS[measure]
    return None


def _ordering(graph: _Graph, node: dict[str, Any], product: dict[str, Any]) -> dict[str, Any]:
    """The lot fields DFC has no term for, as our `cv-lot:` terms give them, and the estimated weight.

    From a file without our terms, only the estimated weight when DFC's characteristic gives it.
    """
    fields: dict[str, Any] = {}
    weight = _estimated_weight(graph, product)
    if not graph.has_extension(node):
        if weight is not None:
            fields["estimated_weight"] = weight
        return fields
    fields["estimated_weight"] = weight
    for name, term, what in (
        ("minimum_quantity", "minimumQuantity", _("minimum de commande (cv-lot:minimumQuantity)")),
        ("quantity_step", "quantityStep", _("multiple de commande (cv-lot:quantityStep)")),
    ):
        value = graph.extension(node, term)
        fields[name] = Decimal(1) if value is None else _decimal(value, what, positive=True)
    for name, term, what in (
        ("available_from", "availableFrom", _("début de disponibilité (cv-lot:availableFrom)")),
        ("available_until", "availableUntil", _("fin de disponibilité (cv-lot:availableUntil)")),
    ):
        value = graph.extension(node, term)
        fields[name] = None if value is None else _date(value, what)
    variable = graph.extension(node, "variableWeight")
    if variable not in (None, True, False):
        raise ValidationError(
            _("poids variable (cv-lot:variableWeight) « %(value)s » : true ou false attendu")
            % {"value": variable}
        )
    fields["variable_weight"] = bool(variable)
    return fields


def read_catalogue(content: bytes) -> list[_Item]:
    """The catalogue items of a DFC file; DfcRefused when it is not one, or when any item is wrong."""
    if len(content) > MAX_BYTES:
        raise DfcRefused([_("Fichier trop lourd : 5 Mo au plus.")])
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        message = _("Ce fichier n'est pas du JSON : exportez le catalogue au format DFC (JSON-LD).")
        raise DfcRefused([message]) from None
    if not isinstance(document, dict | list):
        raise DfcRefused([_("Ce fichier n'est pas un document JSON-LD.")])
    try:
        flat = jsonld.flatten(expand(document), None, {"documentLoader": document_loader})
    except (jsonld.JsonLdError, TypeError, ValueError, KeyError, RecursionError):
        raise DfcRefused(
            [
                _(
                    "Ce fichier n'est pas un JSON-LD lisible : son « @context » doit être celui du DFC "
                    "(%(url)s) ou écrit dans le fichier."
                )
                % {"url": CONTEXT_URL}
            ]
        ) from None
    graph = _Graph(flat if isinstance(flat, list) else [])
    item_nodes = [node for node in graph.nodes.values() if "CatalogItem" in graph.types(node)]
    if not item_nodes:
        raise DfcRefused([_("Aucun article de catalogue (dfc-b:CatalogItem) dans ce fichier.")])
    offers_of: dict[str, list[dict[str, Any]]] = {}
    for node in graph.nodes.values():
        if "Offer" in graph.types(node):
            for iri in graph.links(node, "offeredItem") + graph.links(node, "offers"):
                offers_of.setdefault(iri, []).append(node)
    items: list[_Item] = []
    errors: list[str] = []
    seen: set[str] = set()
    for node in item_nodes:
        try:
            item = _read_item(graph, node, offers_of)
        except ValidationError as error:
            name = str(graph.literal(node, "sku") or node["@id"])
            errors.extend(
                _("article « %(name)s » : %(error)s") % {"name": name, "error": m} for m in error.messages
            )
            continue
        if item.sku in seen:
            errors.append(_("référence « %(sku)s » présente deux fois") % {"sku": item.sku})
        seen.add(item.sku)
        items.append(item)
    if errors:
        raise DfcRefused(errors)
    return items


def dfc_import(*, enterprise: Enterprise, content: bytes) -> DfcReport:
    """Create or update `enterprise`'s lots from a DFC catalogue file, matched by sku, in one transaction.

    A file that is not a DFC catalogue, or any item that cannot be read or saved, changes nothing
    (DfcRefused). An item whose product type falls under none of our categories is skipped when it
    would create a lot. Locks: the enterprise row, then its lots (by primary key).
    """
    items = read_catalogue(content)
    categories = {category.slug: category for category in ProductCategory.objects.all()}
    errors: list[str] = []
    try:
        report = _write(enterprise, items, categories, errors)
    except IntegrityError:
        raise DfcRefused(
            [_("Le catalogue a été refusé par la base de données : rien n'a été modifié.")]
        ) from None
    if errors:
        raise DfcRefused(errors)
    return report


def _write(
    enterprise: Enterprise, items: list[_Item], categories: dict[str, ProductCategory], errors: list[str]
) -> DfcReport:
    report = DfcReport()
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        lots = {
            lot.sku: lot
            for lot in Lot.objects.select_for_update()
            .filter(enterprise=enterprise)
            .exclude(sku="")
            .prefetch_related("prices")
            .order_by("pk")
        }
        for item in sorted(items, key=lambda item: item.sku):
            try:
                report.items.append(_save_item(enterprise, item, lots.get(item.sku), categories))
            except ValidationError as error:
                errors.extend(
                    _("article « %(name)s » : %(error)s") % {"name": item.sku, "error": m}
                    for m in error.messages
                )
        if errors:
            transaction.set_rollback(True)
        else:  # the copies the search reads (position, pickup days, words), for the lots just written
            lots_refresh_copies(enterprise=enterprise)
    return report


def _save_item(
    enterprise: Enterprise, item: _Item, lot: Lot | None, categories: dict[str, ProductCategory]
) -> ItemReport:
    # Where the lots app's lot_create / lot_update will be called once both parts are merged.
    category = categories.get(item.category_slug or "")
    if lot is None and category is None:
        return ItemReport(
            item.sku, item.title, "skipped", _("type de produit absent ou sans catégorie correspondante")
        )
    fields: dict[str, Any] = {
        "title": item.title,
        "description": item.description,
        "unit": item.unit,
        "case_size": item.case_size,
        "quantity_available": item.quantity,
        "unit_price": item.unit_price,
        "vat_rate": item.vat_rate,
        "labels": item.labels,
        **item.ordering,
    }
    if category is not None:
        fields["category"] = category
    created = lot is None
    if lot is None:
        lot = Lot(
            enterprise=enterprise, sku=item.sku, latitude=enterprise.latitude, longitude=enterprise.longitude
        )
    changed = created or any(_differs(getattr(lot, name), value) for name, value in fields.items())
    old_prices = {} if created else {price.buyer_category: price for price in lot.prices.all()}
    prices_changed = {code: price.unit_price for code, price in old_prices.items()} != item.prices
    if changed:
        for name, value in fields.items():
            setattr(lot, name, value)
        lot.full_clean(**FULL_CLEAN)
        lot.save()
    if prices_changed:
        for code, price in old_prices.items():
            if code not in item.prices:
                price.delete()
        for code, unit_price in item.prices.items():
            row = old_prices.get(code) or LotPrice(lot=lot, buyer_category=code)
            row.unit_price = unit_price
            row.full_clean(exclude=["lot"], validate_constraints=False)
            row.save()
    note = "; ".join(item.notes)
    if created:
        return ItemReport(item.sku, item.title, "created", note)
    return ItemReport(item.sku, item.title, "updated" if changed or prices_changed else "unchanged", note)


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is None or new is None or Decimal(old) != Decimal(new)
    if hasattr(old, "pk") and hasattr(new, "pk"):
        return bool(old.pk != new.pk)
    return bool(old != new)
