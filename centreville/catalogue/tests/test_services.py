from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from centreville.catalogue import selectors, services
from centreville.catalogue.models import Product, ProductPhoto, ProductVariant
from centreville.catalogue.photos import product_photo_add
from centreville.catalogue.services import VariantInput
from centreville.catalogue.tests.factories import (
    ProductCategoryFactory,
    ProductFactory,
    ProductVariantFactory,
)
from centreville.core import images
from centreville.core.pagecache import town_versions
from centreville.core.tests.samples import valid_upload
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


# --- Reading prices and stocks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12,50", "12.50"),
        ("12.50", "12.50"),
        ("12,5", "12.50"),
        (" 12 ", "12.00"),
        ("12,50 €", "12.50"),
        ("€12.50", "12.50"),
        ("1 234,50", "1234.50"),
        ("1\u202f234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("0", "0.00"),
        (12.5, "12.50"),
        (7, "7.00"),
    ],
)
def test_parse_price_reads_what_french_people_type(typed: str, expected: str) -> None:
    assert services.parse_price(typed) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("douze", "Prix « douze » illisible"),
        ("12,505", "deux chiffres après la virgule"),
        ("-3", "négatif"),
        ("", "Indiquez un prix"),
        ("12,50,3", "illisible"),
        ("1000000000", "trop élevé"),
    ],
)
def test_parse_price_refuses_in_french(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.parse_price(typed)

    assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("5", 5), (" 12 ", 12), ("", None), ("sur demande", None), ("Sur Demande", None), ("3,0", 3), (4.0, 4)],
)
def test_parse_stock_reads_quantities_and_on_request(typed: str | float, expected: int | None) -> None:
    assert services.parse_stock(typed) == expected


@pytest.mark.parametrize("typed", ["beaucoup", "-1", "2,5", 2.5])
def test_parse_stock_refuses_anything_else(typed: str | float) -> None:
    with pytest.raises(ValidationError):
        services.parse_stock(typed)


# --- Products ---------------------------------------------------------------------------------------------


def test_product_create_puts_the_product_in_its_shop_and_town_and_stales_the_town_pages(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    shop = ShopFactory.create()
    category = ProductCategoryFactory.create(name="Épicerie", slug="epicerie")
    before = town_versions((shop.town_id,))

    with django_capture_on_commit_callbacks(execute=True):
        product = services.product_create(
            shop=shop, title="  Miel de châtaignier ", price=services.parse_price("8,90"), category=category
        )

    product.refresh_from_db()
    assert product.title == "Miel de châtaignier"
    assert product.slug == "miel-de-chataignier"
    assert product.town_id == shop.town_id
    assert product.price == Decimal("8.90")
    assert product.stock is None
    assert product.is_visible
    assert product.category == category
    assert town_versions((shop.town_id,)) != before


def test_product_create_refuses_an_empty_title_and_saves_nothing() -> None:
    shop = ShopFactory.create()

    with pytest.raises(ValidationError) as refused:
        services.product_create(shop=shop, title="   ", price=Decimal("1"))

    assert "title" in refused.value.message_dict
    assert not Product.objects.filter(shop=shop).exists()


def test_product_slugs_stay_unique_in_the_shop_and_avoid_the_back_office_words() -> None:
    shop = ShopFactory.create()

    first = services.product_create(shop=shop, title="Pot", price=Decimal("2"))
    second = services.product_create(shop=shop, title="Pot", price=Decimal("3"))
    reserved = services.product_create(shop=shop, title="Nouveau", price=Decimal("3"))
    elsewhere = services.product_create(
        shop=ShopFactory.create(town=shop.town), title="Pot", price=Decimal("1")
    )

    assert [first.slug, second.slug, reserved.slug, elsewhere.slug] == ["pot", "pot-2", "nouveau-2", "pot"]


def test_product_create_refuses_a_reference_already_used_in_the_shop_in_french() -> None:
    shop = ShopFactory.create()
    ProductFactory.create(shop=shop, title="Confiture", reference="CONF-1")
    ProductFactory.create(title="Ailleurs", reference="AUTRE")

    with pytest.raises(ValidationError) as refused:
        services.product_create(shop=shop, title="Autre confiture", price=Decimal("4"), reference="CONF-1")
    other_shop_reference = services.product_create(
        shop=shop, title="Même référence qu'une autre boutique", price=Decimal("4"), reference="AUTRE"
    )

    assert refused.value.message_dict["reference"] == [
        "La référence « CONF-1 » est déjà celle de « Confiture »."
    ]
    assert Product.objects.filter(shop=shop).count() == 2
    assert other_shop_reference.reference == "AUTRE"


def test_product_update_writes_only_the_given_fields() -> None:
    product = ProductFactory.create(title="Savon", price=Decimal("5.00"), stock=3)
    stale = Product.objects.get(pk=product.pk)
    Product.objects.filter(pk=product.pk).update(stock=9)  # someone else sold or restocked meanwhile

    services.product_update(product=stale, price=Decimal("5.50"), title="Savon au lait d'ânesse")

    product.refresh_from_db()
    assert product.price == Decimal("5.50")
    assert product.title == "Savon au lait d'ânesse"
    assert product.stock == 9


def test_product_update_refuses_bad_values_and_leaves_the_product_as_it_was() -> None:
    product = ProductFactory.create(price=Decimal("5.00"), stock=3)

    with pytest.raises(ValidationError) as refused:
        services.product_update(product=product, price=Decimal("-1"), stock=-2)

    assert set(refused.value.message_dict) == {"price", "stock"}
    assert product.price == Decimal("5.00")
    assert product.stock == 3
    product.refresh_from_db()
    assert (product.price, product.stock) == (Decimal("5.00"), 3)


def test_product_update_refuses_fields_that_are_not_the_merchants() -> None:
    product = ProductFactory.create()

    with pytest.raises(TypeError):
        services.product_update(product=product, shop_id=ShopFactory.create().pk)


def test_product_set_stock_price_and_visibility(django_capture_on_commit_callbacks: Capture) -> None:
    product = ProductFactory.create(stock=5, price=Decimal("3.00"), is_visible=True)
    before = town_versions((product.town_id,))

    with django_capture_on_commit_callbacks(execute=True):
        services.product_set_stock(product=product, stock=None)
        services.product_set_price(product=product, price=services.parse_price("3,20"))
        services.product_set_visibility(product=product, is_visible=False)

    product.refresh_from_db()
    assert product.stock is None
    assert product.price == Decimal("3.20")
    assert not product.is_visible
    assert town_versions((product.town_id,)) != before


def test_product_adjust_stock_adds_to_what_the_database_holds_not_to_a_stale_copy() -> None:
    product = ProductFactory.create(stock=5)
    stale = Product.objects.get(pk=product.pk)
    Product.objects.filter(pk=product.pk).update(stock=2)  # two sold at the counter meanwhile

    services.product_adjust_stock(product=stale, delta=-1)

    assert stale.stock == 1
    product.refresh_from_db()
    assert product.stock == 1


def test_product_adjust_stock_refuses_to_go_below_zero_in_french() -> None:
    product = ProductFactory.create(stock=1)
    services.product_adjust_stock(product=product, delta=-1)

    with pytest.raises(ValidationError) as refused:
        services.product_adjust_stock(product=product, delta=-1)

    assert refused.value.message_dict["stock"] == ["Le stock ne peut pas descendre sous 0 : il en reste 0."]
    product.refresh_from_db()
    assert product.stock == 0


def test_product_adjust_stock_refuses_a_product_on_request() -> None:
    product = ProductFactory.create(stock=None)

    with pytest.raises(ValidationError) as refused:
        services.product_adjust_stock(product=product, delta=1)

    assert "sur demande" in refused.value.messages[0]
    product.refresh_from_db()
    assert product.stock is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions")
def test_concurrent_stock_decrements_never_sell_the_last_unit_twice() -> None:
    product = ProductFactory.create(stock=3)
    barrier = threading.Barrier(6)
    outcomes: list[str] = []
    lock = threading.Lock()

    def take_one() -> None:
        try:
            stale = Product.objects.get(pk=product.pk)
            barrier.wait()
            try:
                services.product_adjust_stock(product=stale, delta=-1)
                result = "sold"
            except ValidationError:
                result = "refused"
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take_one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    product.refresh_from_db()
    assert sorted(outcomes) == ["refused"] * 3 + ["sold"] * 3
    assert product.stock == 0


def test_product_delete_removes_it_its_variants_and_its_photo_files(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    product = ProductFactory.create()
    ProductVariant.objects.create(product=product, label="M")
    photo = product_photo_add(product=product, upload=valid_upload(), alt_text="Le pot")
    files = images.photo_file_names(photo)
    before = town_versions((product.town_id,))

    with django_capture_on_commit_callbacks(execute=True):
        services.product_delete(product=product)

    assert not Product.objects.filter(pk=product.pk).exists()
    assert not ProductVariant.objects.exists()
    assert not ProductPhoto.objects.exists()
    assert files
    assert not any(default_storage.exists(name) for name in files)
    assert town_versions((product.town_id,)) != before


def test_changes_made_together_are_followed_up_once(django_capture_on_commit_callbacks: Capture) -> None:
    shop = ShopFactory.create()
    before = town_versions((shop.town_id,))

    with django_capture_on_commit_callbacks() as alone:
        services.product_create(shop=shop, title="Seul", price=Decimal("1"))
    with django_capture_on_commit_callbacks(execute=True) as together, services.products_changed_together():
        for n in range(5):
            services.product_create(shop=shop, title=f"Lot {n}", price=Decimal("1"))

    assert len(together) == len(alone)  # one page-cache bump and one index update for the five
    assert town_versions((shop.town_id,)) != before


# --- Variants ---------------------------------------------------------------------------------------------


def test_product_save_creates_a_product_with_its_variants_in_order() -> None:
    shop = ShopFactory.create()

    product = services.product_save(
        shop=shop,
        product=None,
        fields={"title": "T-shirt", "price": Decimal("20"), "stock": None},
        variants=[
            VariantInput(id=None, label="Taille S", size="S", stock=2),
            VariantInput(id=None, label="Taille M", size="M", price=Decimal("22"), stock=0),
        ],
    )

    variants = list(product.variants.values_list("label", "size", "price", "stock", "position"))
    assert variants == [("Taille S", "S", None, 2, 0), ("Taille M", "M", Decimal("22.00"), 0, 1)]


def test_product_save_updates_deletes_and_adds_variants() -> None:
    product = ProductFactory.create()
    small = ProductVariant.objects.create(product=product, label="S", position=0)
    large = ProductVariant.objects.create(product=product, label="L", position=1)

    services.product_save(
        shop=product.shop,
        product=product,
        fields={"title": "Pull"},
        variants=[
            VariantInput(id=small.pk, label="S", delete=True),
            VariantInput(id=large.pk, label="XL", stock=4),
            VariantInput(id=None, label="S"),
        ],
    )

    assert list(product.variants.values_list("label", "stock", "position")) == [("XL", 4, 0), ("S", None, 1)]
    assert Product.objects.get(pk=product.pk).title == "Pull"


def test_product_save_is_all_or_nothing_and_refuses_another_products_variant() -> None:
    product = ProductFactory.create(title="Bol")
    foreign = ProductVariant.objects.create(product=ProductFactory.create(), label="Bleu")

    with pytest.raises(ValidationError) as refused:
        services.product_save(
            shop=product.shop,
            product=product,
            fields={"title": "Bol à café"},
            variants=[VariantInput(id=foreign.pk, label="Volé", stock=1)],
        )
    with pytest.raises(ValidationError) as duplicate:
        services.product_save(
            shop=product.shop,
            product=product,
            fields={"title": "Bol à thé"},
            variants=[VariantInput(id=None, label="Rouge"), VariantInput(id=None, label="rouge")],
        )

    assert "introuvable" in refused.value.messages[0]
    assert duplicate.value.messages == ["Variante « rouge » : Ce produit a déjà une variante « rouge »."]
    assert Product.objects.get(pk=product.pk).title == "Bol"
    assert not product.variants.exists()
    foreign.refresh_from_db()
    assert foreign.label == "Bleu"


def test_product_save_refuses_a_product_of_another_shop() -> None:
    product = ProductFactory.create(title="Vase")

    with pytest.raises(ValidationError):
        services.product_save(shop=ShopFactory.create(), product=product, fields={"title": "Pris"})

    assert Product.objects.get(pk=product.pk).title == "Vase"


# --- Selectors --------------------------------------------------------------------------------------------


def test_shop_products_searches_and_filters_within_the_shop_only() -> None:
    town, other_town = TownFactory.create(), TownFactory.create()
    shop = ShopFactory.create(town=town)
    ProductFactory.create(shop=shop, title="Miel de lavande", reference="M-1")
    ProductFactory.create(shop=shop, title="Miel de sapin", is_visible=False)
    ProductFactory.create(shop=shop, title="Bougie")
    ProductFactory.create(shop=ShopFactory.create(town=town), title="Miel du voisin")
    ProductFactory.create(shop=ShopFactory.create(town=other_town), title="Miel d'ailleurs")

    def titles(**filters: str) -> list[str]:
        return [product.title for product in selectors.shop_products(shop, **filters)]

    assert titles() == ["Bougie", "Miel de lavande", "Miel de sapin"]
    assert titles(query="miel") == ["Miel de lavande", "Miel de sapin"]
    assert titles(query="m-1") == ["Miel de lavande"]
    assert titles(visibility="visible") == ["Bougie", "Miel de lavande"]
    assert titles(visibility="hidden") == ["Miel de sapin"]


def test_shop_product_never_returns_another_shops_product() -> None:
    town, other_town = TownFactory.create(), TownFactory.create()
    shop = ShopFactory.create(town=town)
    mine = ProductFactory.create(shop=shop)
    neighbour = ProductFactory.create(shop=ShopFactory.create(town=town))
    ProductFactory.create(shop=ShopFactory.create(town=other_town), slug=mine.slug)

    assert selectors.shop_product_by_slug(shop, mine.slug) == mine
    assert selectors.shop_product_by_slug(shop, neighbour.slug) is None


def test_a_product_saved_unchanged_writes_nothing_and_refreshes_nothing(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    product = ProductFactory.create(title="Savon", price=Decimal("5.00"))
    written = product.updated_at

    with django_capture_on_commit_callbacks() as follow_ups:
        services.product_update(product=product, title=" Savon ", price=Decimal("5"))

    assert not follow_ups
    assert Product.objects.get(pk=product.pk).updated_at == written


def test_variant_update_refuses_another_products_field_and_keeps_a_stock_changed_meanwhile() -> None:
    variant = ProductVariantFactory.create(label="S", price=Decimal("10.00"), stock=3)
    stale = ProductVariant.objects.get(pk=variant.pk)
    ProductVariant.objects.filter(pk=variant.pk).update(stock=1)  # sold meanwhile

    with pytest.raises(TypeError, match="variant_update\\(\\) cannot change product_id"):
        services.variant_update(variant=stale, product_id=ProductFactory.create().pk)
    services.variant_update(variant=stale, price=Decimal("12.00"))

    variant.refresh_from_db()
    assert (variant.price, variant.stock) == (Decimal("12.00"), 1)


def test_a_stock_change_costs_no_read_for_the_audit_trail() -> None:
    product = ProductFactory.create(price=Decimal("5.00"), stock=3)
    ContentType.objects.get_for_model(Product)  # the trail's content type, cached once per process

    with CaptureQueriesContext(connection) as stock_only:
        services.product_update(product=product, stock=4)
    with CaptureQueriesContext(connection) as with_price:
        services.product_update(product=product, stock=5, price=Decimal("5.50"))

    # The trail reads the row back to compare its price only when the price is saved.
    assert len(with_price) == len(stock_only) + 2  # that read, and the entry written
