"""The DFC catalogue: export, expansion with PyLD, import back, malformed files."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from centreville.catalogue.tests.factories import ProductCategoryFactory
from centreville.enterprises.models import BuyerCategory, Label
from centreville.enterprises.tests.factories import EnterpriseFactory, EnterpriseMemberFactory
from centreville.lots import dfc
from centreville.lots.models import Lot, Unit, VatRate
from centreville.lots.tests.factories import LotFactory, LotPriceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("platform_categories")]

DOCUMENT_URL = "https://exemple.fr/pro/ferme/lots/dfc.jsonld"
B = dfc.DFC_B


def a_catalogue():
    """A farm selling carrots by 10 kg cases (at least 2, by 2, from October to March), apple juice by
    the litre and cheese by the piece, paid by its weight."""
    farm = EnterpriseFactory.create(name="GAEC du Pré", description="Maraîchage et fromages")
    dairy = ProductCategoryFactory.create(slug="fromages-cremerie", name="Fromages et crèmerie")
    drinks = ProductCategoryFactory.create(slug="boissons", name="Vins, bières et boissons")
    carrots = LotFactory.create(
        enterprise=farm, sku="CAR-10", title="Carottes de sable", description="Lavées",
        case_size=Decimal("10"), quantity_available=Decimal("35"), unit_price=Decimal("1.2345"),
        labels=["ab", "fermier"], minimum_quantity=Decimal("2"), quantity_step=Decimal("2"),
        available_from=date(2027, 10, 1), available_until=date(2028, 3, 31),
    )  # fmt: skip
    LotPriceFactory.create(lot=carrots, buyer_category="canteen", unit_price=Decimal("1.1"))
    LotPriceFactory.create(lot=carrots, buyer_category="restaurant", unit_price=Decimal("1.15"))
    LotFactory.create(
        enterprise=farm, sku="JUS-1", title="Jus de pomme", category=drinks, unit=Unit.LITRE,
        quantity_available=Decimal("12.5"), unit_price=Decimal("2.1"), vat_rate=VatRate.REDUCED,
    )  # fmt: skip
    LotFactory.create(
        enterprise=farm, sku="CAM-1", title="Camembert fermier", category=dairy, unit=Unit.PIECE,
        quantity_available=Decimal("0"), unit_price=Decimal("6.4"), vat_rate=VatRate.STANDARD,
        labels=["aop", "label_rouge"], minimum_quantity=Decimal("1"), quantity_step=Decimal("1"),
        variable_weight=True, estimated_weight=Decimal("0.25"),
    )  # fmt: skip
    return farm


def shape(enterprise):
    """What a catalogue is made of, lot by lot, sorted by sku (then title: lots may have no sku)."""
    return [
        (
            lot.sku, lot.title, lot.description, lot.category.slug, lot.unit, lot.case_size,
            lot.quantity_available, lot.unit_price, lot.vat_rate, lot.labels,
            lot.minimum_quantity, lot.quantity_step, lot.available_from, lot.available_until,
            lot.variable_weight, lot.estimated_weight,
            sorted((price.buyer_category, price.unit_price) for price in lot.prices.all()),
        )
        for lot in Lot.objects.filter(enterprise=enterprise).order_by("sku", "title")
    ]  # fmt: skip


def export_bytes(farm) -> bytes:
    return dfc.catalogue_json(enterprise=farm, document_url=DOCUMENT_URL).encode()


def test_export_then_import_into_an_empty_producer_gives_the_same_catalogue() -> None:
    # Given a farm's catalogue exported as DFC
    farm = a_catalogue()
    content = export_bytes(farm)

    # When another, empty, producer imports it
    other = EnterpriseFactory.create()
    report = dfc.dfc_import(enterprise=other, content=content)

    # Then it has the same lots, quantities, prices, VAT, units, case sizes, labels and category prices
    assert report.summary == "lots created=3 updated=0 unchanged=0 skipped=0"
    assert shape(other) == shape(farm)
    assert all(lot.latitude == other.latitude for lot in Lot.objects.filter(enterprise=other))


def test_importing_its_own_export_changes_nothing_and_an_older_one_updates_by_sku() -> None:
    # Given a farm's export, then a change to one lot and one category price dropped
    farm = a_catalogue()
    content = export_bytes(farm)
    before = shape(farm)
    assert dfc.dfc_import(enterprise=farm, content=content).summary == (
        "lots created=0 updated=0 unchanged=3 skipped=0"
    )
    carrots = Lot.objects.get(enterprise=farm, sku="CAR-10")
    carrots.quantity_available = Decimal("3")
    carrots.minimum_quantity = Decimal("4")
    carrots.available_until = None
    carrots.save()
    carrots.prices.filter(buyer_category="canteen").delete()

    # When the earlier export is imported again
    report = dfc.dfc_import(enterprise=farm, content=content)

    # Then only that lot is updated, back to what the file says, and nothing is created
    assert report.summary == "lots created=0 updated=1 unchanged=2 skipped=0"
    assert shape(farm) == before


def test_lots_without_sku_are_exported_with_a_stable_reference_and_round_trip() -> None:
    # Given a farm whose lots were created without a reference, beside one with a reference
    farm = a_catalogue()
    leeks = LotFactory.create(enterprise=farm, sku="", title="Poireaux", quantity_available=Decimal("20"))
    onions = LotFactory.create(enterprise=farm, sku="", title="Oignons", quantity_available=Decimal("8"))
    content = export_bytes(farm)
    before = shape(farm)

    # When the farm imports its own export, then an older export after a change, and another producer
    # imports it twice
    own = dfc.dfc_import(enterprise=farm, content=content)
    leeks.quantity_available = Decimal("2")
    leeks.save()
    older = dfc.dfc_import(enterprise=farm, content=content)
    other = EnterpriseFactory.create()
    first = dfc.dfc_import(enterprise=other, content=content)
    second = dfc.dfc_import(enterprise=other, content=content)

    # Then each lot is found again by its reference (sku, or lot-<pk>), nothing is created or duplicated,
    # and the lots keep having no sku of their own
    assert {item[f"{B}sku"][0]["@value"] for item in _expanded_items(content)} == {
        "CAR-10", "JUS-1", "CAM-1", f"lot-{leeks.pk}", f"lot-{onions.pk}",
    }  # fmt: skip
    assert own.summary == "lots created=0 updated=0 unchanged=5 skipped=0"
    assert older.summary == "lots created=0 updated=1 unchanged=4 skipped=0"
    assert shape(farm) == before
    assert Lot.objects.get(pk=leeks.pk).sku == ""
    assert first.summary == "lots created=5 updated=0 unchanged=0 skipped=0"
    assert second.summary == "lots created=0 updated=0 unchanged=5 skipped=0"
    assert sorted(Lot.objects.filter(enterprise=other).values_list("sku", flat=True)) == sorted(
        ["CAR-10", "JUS-1", "CAM-1", f"lot-{leeks.pk}", f"lot-{onions.pk}"]
    )


def _expanded_items(content: bytes) -> list[dict]:
    expanded = dfc.expand(json.loads(content))
    flat = jsonld.flatten(expanded, None, {"documentLoader": dfc.document_loader})
    return [node for node in flat if f"{B}CatalogItem" in node.get("@type", [])]


def test_import_errors_name_items_by_product_title_and_reference_never_by_iri() -> None:
    # Given a farm's export where one item has no reference and another has a negative stock
    farm = a_catalogue()
    export = json.loads(export_bytes(farm))
    items = [node for node in export["@graph"] if node["@type"] == "dfc-b:CatalogItem"]
    items[0]["dfc-b:sku"] = ""
    items[1]["dfc-b:stockLimitation"] = -4

    # When it is imported
    with pytest.raises(dfc.DfcRefused) as refused:
        dfc.dfc_import(enterprise=EnterpriseFactory.create(), content=json.dumps(export).encode())

    # Then the producer reads which product is wrong
    messages = refused.value.messages
    assert any(m.startswith("article « Carottes de sable » : article sans référence") for m in messages), (
        messages
    )
    assert any(m.startswith("article « Jus de pomme, réf. JUS-1 » : stock") for m in messages), messages
    assert not any("https://" in m for m in messages)


def test_the_export_expands_to_the_dfc_iris() -> None:
    # Given a farm's export
    farm = a_catalogue()
    document = json.loads(export_bytes(farm))

    # When PyLD expands it with the shipped context (no network)
    expanded = jsonld.expand(document, {"documentLoader": dfc.document_loader})
    nodes = {
        node["@id"]: node for node in jsonld.flatten(expanded, None, {"documentLoader": dfc.document_loader})
    }

    # Then every node and property is in the DFC business ontology, units in the measures taxonomy
    enterprise = nodes[f"{DOCUMENT_URL}#enterprise"]
    assert enterprise["@type"] == [f"{B}Enterprise"]
    assert enterprise[f"{B}name"] == [{"@value": "GAEC du Pré"}]
    assert enterprise[f"{B}VATnumber"] == [{"@value": farm.vat_number}]
    carrots = Lot.objects.get(sku="CAR-10")
    product = nodes[f"{DOCUMENT_URL}#product-{carrots.pk}"]
    assert product["@type"] == [f"{B}SuppliedProduct"]
    assert product[f"{B}hasType"] == [{"@id": f"{dfc.DFC_PT}vegetable"}]
    assert {"@id": f"{dfc.DFC_F}Organic-AB"} in product[f"{B}hasCertification"]
    quantity = nodes[product[f"{B}hasQuantity"][0]["@id"]]
    assert quantity["@type"] == [f"{B}QuantitativeValue"]
    assert quantity[f"{B}hasUnit"] == [{"@id": f"{dfc.DFC_M}Kilogram"}]
    assert quantity[f"{B}value"] == [{"@value": 10}]
    item = nodes[f"{DOCUMENT_URL}#item-{carrots.pk}"]
    assert item["@type"] == [f"{B}CatalogItem"]
    assert item[f"{B}sku"] == [{"@value": "CAR-10"}]
    assert item[f"{B}stockLimitation"] == [{"@value": 35}]
    assert item[f"{B}references"] == [{"@id": product["@id"]}]
    assert len(item[f"{B}offeredThrough"]) == 3
    offer = nodes[f"{DOCUMENT_URL}#offer-{carrots.pk}"]
    assert offer["@type"] == [f"{B}Offer"]
    price = nodes[offer[f"{B}hasPrice"][0]["@id"]]
    assert price["@type"] == [f"{B}Price"]
    assert price[f"{B}value"] == [{"@value": 12.345}]  # a case of 10 kg at 1.2345 € the kg
    assert price[f"{B}VATrate"] == [{"@value": 5.5}]
    assert price[f"{B}hasUnit"] == [{"@id": f"{dfc.DFC_M}Euro"}]
    canteen_offer = nodes[f"{DOCUMENT_URL}#offer-{carrots.pk}-canteen"]
    assert canteen_offer[f"{B}offeredTo"] == [{"@id": f"{DOCUMENT_URL}#customers-canteen"}]
    assert nodes[f"{DOCUMENT_URL}#customers-canteen"]["@type"] == [f"{B}CustomerCategory"]


def test_what_dfc_lacks_expands_to_our_extension_iris_and_the_weight_to_dfc_terms() -> None:
    # Given a farm's export
    farm = a_catalogue()
    document = json.loads(export_bytes(farm))

    # When PyLD expands it
    expanded = jsonld.expand(document, {"documentLoader": dfc.document_loader})
    nodes = {
        node["@id"]: node for node in jsonld.flatten(expanded, None, {"documentLoader": dfc.document_loader})
    }

    # Then minimum, step, harvest window and variable weight are under our prefix, dates typed xsd:date
    X = dfc.EXTENSION
    carrots = Lot.objects.get(sku="CAR-10")
    item = nodes[f"{DOCUMENT_URL}#item-{carrots.pk}"]
    assert item[f"{X}minimumQuantity"] == [{"@value": 2}]
    assert item[f"{X}quantityStep"] == [{"@value": 2}]
    assert item[f"{X}availableFrom"] == [{"@value": "2027-10-01", "@type": dfc.XSD_DATE}]
    assert item[f"{X}availableUntil"] == [{"@value": "2028-03-31", "@type": dfc.XSD_DATE}]
    assert item[f"{X}variableWeight"] == [{"@value": False}]
    assert f"{B}hasPhysicalCharacteristic" not in nodes[f"{DOCUMENT_URL}#product-{carrots.pk}"]
    # And the cheese's weight is DFC's own physical characteristic, in kilograms
    cheese = Lot.objects.get(sku="CAM-1")
    assert nodes[f"{DOCUMENT_URL}#item-{cheese.pk}"][f"{X}variableWeight"] == [{"@value": True}]
    assert f"{X}availableFrom" not in nodes[f"{DOCUMENT_URL}#item-{cheese.pk}"]
    product = nodes[f"{DOCUMENT_URL}#product-{cheese.pk}"]
    weight = nodes[product[f"{B}hasPhysicalCharacteristic"][0]["@id"]]
    assert weight["@type"] == [f"{B}PhysicalCharacteristic"]
    assert weight[f"{B}hasPhysicalDimension"] == [{"@id": f"{dfc.DFC_M}Weight"}]
    assert weight[f"{B}hasUnit"] == [{"@id": f"{dfc.DFC_M}Kilogram"}]
    assert weight[f"{B}value"] == [{"@value": 0.25}]


def test_a_file_without_our_terms_leaves_what_dfc_lacks_as_it_is() -> None:
    # Given a producer's carrots with a minimum, a step and a window, and their export stripped of our terms
    farm = a_catalogue()
    document = json.loads(export_bytes(farm))
    document["@context"] = dfc.CONTEXT_URL
    for node in document["@graph"]:
        for key in [key for key in node if key.startswith("cv-lot:")]:
            del node[key]
    before = shape(farm)

    # When it is imported, and into an empty producer
    report = dfc.dfc_import(enterprise=farm, content=json.dumps(document).encode())
    other = EnterpriseFactory.create()
    dfc.dfc_import(enterprise=other, content=json.dumps(document).encode())

    # Then the farm's lots keep them; new lots take the defaults, and the weight DFC carries
    assert report.summary == "lots created=0 updated=0 unchanged=3 skipped=0"
    assert shape(farm) == before
    carrots = Lot.objects.get(enterprise=other, sku="CAR-10")
    assert (carrots.minimum_quantity, carrots.quantity_step, carrots.available_from) == (1, 1, None)
    cheese = Lot.objects.get(enterprise=other, sku="CAM-1")
    assert (cheese.variable_weight, cheese.estimated_weight) == (False, Decimal("0.25"))


def test_a_catalogue_written_with_other_prefixes_and_iris_is_read_by_its_iris() -> None:
    # Given a file from another platform: an inline context, the w3id namespace, a carrot product type
    farm = EnterpriseFactory.create()
    document = {
        "@context": {
            "b": "http://w3id.org/dfc/ontology/v2.0.0/src/DFC_BusinessOntology.owl#",
            "m": "http://w3id.org/dfc/taxonomies/v2.0.0/measures.rdf#",
            "pt": "http://w3id.org/dfc/taxonomies/v2.0.0/productTypes.rdf#",
        },
        "@graph": [
            {"@id": "https://x.fr/sp/42", "@type": "b:SuppliedProduct", "b:name": "Carottes vrac",
             "b:hasType": {"@id": "pt:carrot"},
             "b:hasQuantity": {"@type": "b:QuantitativeValue", "b:hasUnit": {"@id": "m:Kilogram"},
                               "b:value": 5}},
            {"@id": "https://x.fr/ci/42", "@type": "b:CatalogItem", "b:references": {"@id": "https://x.fr/sp/42"},
             "b:sku": "CAR-5", "b:stockLimitation": 35, "b:offeredThrough": {"@id": "https://x.fr/of/42"}},
            {"@id": "https://x.fr/of/42", "@type": "b:Offer", "b:stockLimitation": 35,
             "b:hasPrice": {"@type": "b:Price", "b:value": 7.5, "b:VATrate": 5.5,
                            "b:hasUnit": {"@id": "m:Euro"}}},
        ],
    }  # fmt: skip

    # When it is imported
    report = dfc.dfc_import(enterprise=farm, content=json.dumps(document).encode())

    # Then the carrots are a lot of 5 kg cases in fruits and vegetables, priced by the kg
    assert report.summary == "lots created=1 updated=0 unchanged=0 skipped=0"
    lot = Lot.objects.get(enterprise=farm, sku="CAR-5")
    assert (lot.category.slug, lot.unit, lot.case_size) == ("fruits-legumes", Unit.KILOGRAM, Decimal("5"))
    assert (lot.unit_price, lot.vat_rate, lot.quantity_available) == (Decimal("1.5"), "5.5", Decimal("35"))


def malformed(export: dict, mutate) -> bytes:
    document = json.loads(json.dumps(export))
    mutate(document["@graph"])
    return json.dumps(document).encode()


def _node(graph, kind, index=0):
    return [node for node in graph if node["@type"] == f"dfc-b:{kind}"][index]


def _set(kind, key, value):
    def mutate(graph):
        _node(graph, kind)[key] = value

    return mutate


def _drop(kind, key):
    def mutate(graph):
        del _node(graph, kind)[key]

    return mutate


def _without_catalog_items(graph):
    graph[:] = [node for node in graph if node["@type"] != "dfc-b:CatalogItem"]


def _without_offers(graph):
    graph[:] = [node for node in graph if node["@type"] != "dfc-b:Offer"]
    for node in graph:
        node.pop("dfc-b:offeredThrough", None)


def _item_references_an_offer(graph):
    _node(graph, "CatalogItem")["dfc-b:references"] = _node(graph, "Offer")["@id"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_without_catalog_items, "Aucun article de catalogue"),
        (_item_references_an_offer, "d'un autre type que dfc-b:SuppliedProduct"),
        (_set("CatalogItem", "dfc-b:stockLimitation", -4), "stock (dfc-b:stockLimitation) : valeur négative"),
        (_set("CatalogItem", "dfc-b:stockLimitation", 1e300), "nombre hors limites"),
        (_drop("Offer", "dfc-b:hasPrice"), "offre sans prix"),
        (_without_offers, "aucune offre avec un prix"),
        (_set("CatalogItem", "dfc-b:sku", ""), "sans référence"),
        (
            _set("CatalogItem", "cv-lot:minimumQuantity", 0),
            "minimum de commande (cv-lot:minimumQuantity) : valeur",
        ),
        (_set("CatalogItem", "cv-lot:minimumQuantity", "beaucoup"), "« beaucoup » n'est pas un nombre"),
        (
            _set("CatalogItem", "cv-lot:quantityStep", -1),
            "multiple de commande (cv-lot:quantityStep) : valeur",
        ),
        (_set("CatalogItem", "cv-lot:quantityStep", 0.0001), "3 chiffres après la virgule"),
        (_set("CatalogItem", "cv-lot:availableFrom", "2027-13-45"), "« 2027-13-45 » illisible"),
        (_set("CatalogItem", "cv-lot:availableFrom", "2029-01-01"), "La fin de disponibilité précède"),
        (_set("CatalogItem", "cv-lot:variableWeight", "peut-être"), "true ou false attendu"),
        (_set("CatalogItem", "cv-lot:variableWeight", True), "Indiquez le poids estimé"),
    ],
)
def test_a_malformed_catalogue_is_refused_whole_and_changes_nothing(mutate, message) -> None:
    # Given a farm's export, spoiled, and a producer with one lot
    farm = a_catalogue()
    export = json.loads(export_bytes(farm))
    other = EnterpriseFactory.create()
    LotFactory.create(enterprise=other, sku="CAR-10", quantity_available=Decimal("1"))
    before = shape(other)

    # When the spoiled file is imported
    with pytest.raises(dfc.DfcRefused) as refused:
        dfc.dfc_import(enterprise=other, content=malformed(export, mutate))

    # Then it says why in French and nothing changed
    assert any(message in text for text in refused.value.messages), refused.value.messages
    assert shape(other) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG not json", "n'est pas du JSON"),
        (b'{"@context": "https://exemple.fr/ailleurs.jsonld", "@id": "x"}', "JSON-LD lisible"),
        (b'{"@context": 12}', "JSON-LD lisible"),
        (b'"une phrase"', "pas un document JSON-LD"),
        (b"[" * 100_000 + b"]" * 100_000, "n'est pas du JSON"),
        (b'{"name": "pas de contexte"}', "Aucun article de catalogue"),
    ],
)
def test_a_file_that_is_not_a_dfc_catalogue_is_refused_in_french(content, message) -> None:
    farm = EnterpriseFactory.create()

    with pytest.raises(dfc.DfcRefused) as refused:
        dfc.dfc_import(enterprise=farm, content=content)

    assert message in refused.value.messages[0]
    assert not Lot.objects.filter(enterprise=farm).exists()


def test_the_loader_serves_only_the_shipped_context() -> None:
    assert dfc.document_loader(dfc.CONTEXT_URL)["document"] == dfc.CONTEXT
    with pytest.raises(jsonld.JsonLdError):
        dfc.document_loader("http://169.254.169.254/latest/meta-data/")


def test_a_new_item_without_a_known_product_type_is_skipped_with_a_reason() -> None:
    farm = a_catalogue()
    export = json.loads(export_bytes(farm))
    other = EnterpriseFactory.create()

    report = dfc.dfc_import(
        enterprise=other,
        content=malformed(export, lambda graph: _node(graph, "SuppliedProduct").pop("dfc-b:hasType")),
    )

    assert report.summary == "lots created=2 updated=0 unchanged=0 skipped=1"
    assert "type de produit" in next(item for item in report.items if item.outcome == "skipped").reason


def test_the_command_imports_a_dfc_file_and_prints_one_summary_line(tmp_path) -> None:
    farm = a_catalogue()
    path = tmp_path / "catalogue.jsonld"
    path.write_bytes(export_bytes(farm))
    other = EnterpriseFactory.create()
    out = StringIO()

    call_command("import_lots", other.slug, str(path), stdout=out)

    assert out.getvalue().strip().splitlines()[-1] == "lots created=3 updated=0 unchanged=0 skipped=0"


# --- The pages ------------------------------------------------------------------------------------------


def test_a_member_downloads_the_catalogue(client, django_assert_max_num_queries) -> None:
    farm = a_catalogue()
    member = EnterpriseMemberFactory.create(enterprise=farm)
    client.force_login(member.user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("lots_import:dfc_export", args=[farm.slug]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    assert document["@context"] == [dfc.CONTEXT_URL, dfc.EXTENSION_CONTEXT]
    assert len([node for node in document["@graph"] if node["@type"] == "dfc-b:CatalogItem"]) == 3


def test_a_member_imports_a_catalogue_from_the_page(client) -> None:
    farm = a_catalogue()
    member = EnterpriseMemberFactory.create()
    client.force_login(member.user)
    upload = io.BytesIO(export_bytes(farm))
    upload.name = "catalogue.jsonld"

    response = client.post(reverse("lots_import:dfc_import", args=[member.enterprise.slug]), {"file": upload})

    assert response.status_code == 200
    assert "3 lots créés" in response.content.decode()
    assert Lot.objects.filter(enterprise=member.enterprise).count() == 3


def test_a_malformed_upload_is_a_french_error_on_the_form(client, django_assert_max_num_queries) -> None:
    member = EnterpriseMemberFactory.create()
    client.force_login(member.user)
    upload = io.BytesIO(b"{pas du json")
    upload.name = "catalogue.jsonld"

    with django_assert_max_num_queries(8):
        response = client.post(
            reverse("lots_import:dfc_import", args=[member.enterprise.slug]), {"file": upload}
        )

    assert response.status_code == 422
    assert "pas du JSON" in response.content.decode()


def test_the_dfc_pages_are_for_members_only(client) -> None:
    farm = EnterpriseFactory.create()
    outsider = EnterpriseMemberFactory.create()
    client.force_login(outsider.user)

    export = client.get(reverse("lots_import:dfc_export", args=[farm.slug]))
    page = client.get(reverse("lots_import:dfc_import", args=[farm.slug]))

    assert (export.status_code, page.status_code) == (403, 403)


# --- Any catalogue survives the round trip ----------------------------------------------------------------

money = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999.9999"), places=4)
amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999.999"), places=3)
steps = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("9999999.999"), places=3)
lot_values = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(Unit.values),
        "case_size": st.none()
        | st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999.999"), places=3),
        "quantity_available": amounts,
        "unit_price": money,
        "vat_rate": st.sampled_from(VatRate.values),
        "labels": st.lists(st.sampled_from(Label.values), unique=True, max_size=4),
        "prices": st.dictionaries(st.sampled_from(BuyerCategory.values), money, max_size=3),
        "category": st.sampled_from(sorted(dfc.CATEGORY_TYPES)),
        "minimum_quantity": steps,
        "quantity_step": steps,
        "available_from": st.none() | st.dates(date(2020, 1, 1), date(2040, 12, 31)),
        "available_until": st.none() | st.dates(date(2020, 1, 1), date(2040, 12, 31)),
        "variable_weight": st.booleans(),
        "estimated_weight": st.none()
        | st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999.999"), places=3),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(catalogue=st.lists(lot_values, min_size=1, max_size=4))
def test_any_catalogue_exported_then_imported_is_the_same(catalogue) -> None:
    # Given a producer with any lots (any unit, case size, price to the 1/100 cent, VAT, labels, prices,
    # minimum, step, harvest window, variable weight)
    farm = EnterpriseFactory.create()
    for index, values in enumerate(catalogue):
        values = dict(values)
        prices = values.pop("prices")
        category = ProductCategoryFactory.create(slug=values.pop("category"))
        if values["case_size"] == 1:
            values["case_size"] = None  # a case of one unit is the unit
        if values["available_from"] and values["available_until"]:
            values["available_from"], values["available_until"] = sorted(
                (values["available_from"], values["available_until"])
            )
        if values["variable_weight"]:  # by the piece, never by the case, with a weight
            values.update(unit=Unit.PIECE, case_size=None, estimated_weight=values["estimated_weight"] or 1)
        lot = LotFactory.create(enterprise=farm, sku=f"L-{index}", category=category, **values)
        for buyer_category, unit_price in prices.items():
            LotPriceFactory.create(lot=lot, buyer_category=buyer_category, unit_price=unit_price)

    # When its export is imported into an empty producer
    other = EnterpriseFactory.create()
    report = dfc.dfc_import(enterprise=other, content=export_bytes(farm))

    # Then both catalogues are the same
    assert report.created == len(catalogue)
    assert shape(other) == shape(farm)


def test_the_export_command_writes_a_catalogue_the_import_reads(tmp_path) -> None:
    farm = a_catalogue()
    path = tmp_path / "catalogue.jsonld"

    call_command("export_dfc", farm.slug, "--base-url", "https://exemple.fr/", "--output", str(path))

    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["@graph"][0]["@id"] == f"https://exemple.fr/pro/{farm.slug}/lots/dfc.jsonld#enterprise"
    other = EnterpriseFactory.create()
    assert dfc.dfc_import(enterprise=other, content=path.read_bytes()).created == 3


def test_a_member_opens_the_dfc_import_page(client, django_assert_max_num_queries) -> None:
    member = EnterpriseMemberFactory.create()
    client.force_login(member.user)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("lots_import:dfc_import", args=[member.enterprise.slug]))

    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_an_offer_to_a_customer_category_we_do_not_know_is_left_out_and_said() -> None:
    farm = a_catalogue()
    export = json.loads(export_bytes(farm))
    other = EnterpriseFactory.create()

    def unknown_customers(graph):
        for node in graph:
            if node["@type"] == "dfc-b:CustomerCategory" and node["@id"].endswith("canteen"):
                node["@id"] = "https://ailleurs.fr/customer_categories/7"
                node["dfc-b:description"] = "Retail"
            if node.get("dfc-b:offeredTo", "").endswith("canteen"):
                node["dfc-b:offeredTo"] = "https://ailleurs.fr/customer_categories/7"

    report = dfc.dfc_import(enterprise=other, content=malformed(export, unknown_customers))

    carrots = next(item for item in report.items if item.sku == "CAR-10")
    assert "type d'acheteur inconnu" in carrots.reason
    lot = Lot.objects.get(enterprise=other, sku="CAR-10")
    assert [price.buyer_category for price in lot.prices.all()] == ["restaurant"]
