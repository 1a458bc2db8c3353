"""Keeping the index up to date: shops and products one by one, whole towns, and after a commit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from centreville.baskets.tests.factories import NOW
from centreville.catalogue import services as catalogue_services
from centreville.catalogue.models import Product
from centreville.catalogue.tests.factories import ProductFactory
from centreville.search.models import SearchEntry, SearchTerm
from centreville.search.selectors import SearchResults, search
from centreville.search.services import (
    index_products,
    index_products_on_commit,
    index_shops,
    index_shops_on_commit,
    rebuild_index,
    remove_products,
)
from centreville.shops import services as shop_services
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.tests.factories import ShopFactory

from .conftest import Centre

pytestmark = pytest.mark.django_db


def titles(results: SearchResults) -> list[str]:
    return [hit.title for hit in results.hits]


def test_a_new_product_is_found_once_indexed(centre: Centre) -> None:
    product = ProductFactory.create(shop=centre.bakery, title="Kouign-amann")
    assert titles(search(centre.space, "kouign", at=NOW)) == []

    index_products([product.pk])

    assert titles(search(centre.space, "kouign amann", at=NOW)) == ["Kouign-amann"]
    assert SearchTerm.objects.filter(town=centre.town, word="kouign").exists()
    # and a typo of its new word is corrected
    assert search(centre.space, "kouing", at=NOW).corrected_query == "kouign"


def test_a_changed_product_is_found_by_its_new_words(centre: Centre) -> None:
    Product.objects.filter(pk=centre.loaf.pk).update(title="Pain de seigle")
    index_products([centre.loaf.pk])
    assert titles(search(centre.space, "seigle", at=NOW)) == ["Pain de seigle"]
    assert SearchEntry.objects.filter(product=centre.loaf).count() == 1


def test_a_hidden_product_leaves_the_index(centre: Centre) -> None:
    Product.objects.filter(pk=centre.camembert.pk).update(is_visible=False)
    index_products([centre.camembert.pk])
    assert not SearchEntry.objects.filter(product=centre.camembert).exists()

    Product.objects.filter(pk=centre.camembert.pk).update(is_visible=True)
    index_products([centre.camembert.pk])
    assert titles(search(centre.space, "camembert", at=NOW)) == ["Camembert fermier"]


def test_removed_and_deleted_products_leave_the_index(centre: Centre) -> None:
    remove_products([centre.camembert.pk])
    assert not SearchEntry.objects.filter(product=centre.camembert).exists()

    loaf_id = centre.loaf.pk
    centre.loaf.delete()
    assert not SearchEntry.objects.filter(product_id=loaf_id).exists()
    assert titles(search(centre.space, "levain", at=NOW)) == ["Boulangerie du Marché"]


def test_a_shop_that_goes_offline_takes_its_products_along_and_back(centre: Centre) -> None:
    Shop.objects.filter(pk=centre.cheese_shop.pk).update(status=ShopStatus.HIDDEN)
    index_shops([centre.cheese_shop.pk])
    assert not SearchEntry.objects.filter(shop=centre.cheese_shop).exists()

    Shop.objects.filter(pk=centre.cheese_shop.pk).update(status=ShopStatus.PUBLISHED)
    index_shops([centre.cheese_shop.pk])
    assert SearchEntry.objects.filter(shop=centre.cheese_shop).count() == 1 + 2  # not the hidden product
    assert set(titles(search(centre.space, "fromage", at=NOW))) == {
        "Fromagerie Lemoine",
        "Camembert fermier",
        "Plateau de fromages",
    }


def test_a_renamed_shop_is_found_by_its_new_name(centre: Centre) -> None:
    Shop.objects.filter(pk=centre.bookshop.pk).update(name="Le Bouquiniste")
    index_shops([centre.bookshop.pk])
    assert titles(search(centre.space, "bouquiniste", at=NOW)) == ["Le Bouquiniste"]
    assert titles(search(centre.space, "halles", at=NOW)) == []
    assert SearchEntry.objects.filter(shop=centre.bookshop).count() == 2  # the shop and its notebook


def test_rebuilding_one_town_leaves_the_others_alone(centre: Centre) -> None:
    other_entries = SearchEntry.objects.filter(town=centre.other_town).count()
    Product.objects.filter(pk=centre.loaf.pk).update(title="Baguette")
    rebuild_index([centre.town.pk])
    assert SearchEntry.objects.filter(town=centre.other_town).count() == other_entries
    assert titles(search(centre.space, "baguette", at=NOW)) == ["Baguette"]
    assert titles(search(centre.other_space, "camembert", at=NOW)) == ["Camembert d'Alençon"]


def test_index_updates_wait_for_the_commit(
    centre: Centre, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    product = ProductFactory.create(shop=centre.bakery, title="Fougasse aux olives")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        index_products_on_commit([product.pk])
        index_shops_on_commit([centre.bakery.pk])
    assert titles(search(centre.space, "fougasse", at=NOW)) == []
    for callback in callbacks:
        callback()
    assert titles(search(centre.space, "fougasse", at=NOW)) == ["Fougasse aux olives"]


def test_a_failed_index_update_does_not_undo_the_change(
    centre: Centre, django_capture_on_commit_callbacks: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        index_products_on_commit(["not a number"])  # type: ignore[list-item]
    assert "search index update failed" in caplog.text


def test_shop_services_keep_the_index_in_step(
    centre: Centre, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        shop = shop_services.shop_create(
            town=centre.town,
            creator=None,
            name="Poissonnerie de la Halle",
            category=centre.cheese_shop.category,
            street_address="2 place du Marché",
            postcode="61200",
            city="Argentan",
        )
    assert not SearchEntry.objects.filter(shop=shop).exists()  # a draft is not public

    Shop.objects.filter(pk=shop.pk).update(status=ShopStatus.SUBMITTED)
    shop.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        shop_services.shop_transition(shop=shop, to_status=ShopStatus.PUBLISHED, actor=None)
    assert titles(search(centre.space, "poissonnerie", at=NOW)) == ["Poissonnerie de la Halle"]

    with django_capture_on_commit_callbacks(execute=True):
        shop_services.shop_update(shop=shop, description="Poissons de la criée de Granville.")
    assert titles(search(centre.space, "criee", at=NOW)) == ["Poissonnerie de la Halle"]

    with django_capture_on_commit_callbacks(execute=True):
        shop_services.shop_transition(shop=shop, to_status=ShopStatus.HIDDEN, actor=None)
    assert not SearchEntry.objects.filter(shop=shop).exists()


def test_catalogue_services_keep_the_index_in_step(
    centre: Centre, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        product = catalogue_services.product_create(
            shop=centre.bakery, title="Brioche tressée", price=Decimal("6.50"), description="Pur beurre."
        )
    assert titles(search(centre.space, "brioche tressee", at=NOW)) == ["Brioche tressée"]

    with django_capture_on_commit_callbacks(execute=True):
        catalogue_services.product_update(product=product, title="Brioche vendéenne")
    assert titles(search(centre.space, "vendeenne", at=NOW)) == ["Brioche vendéenne"]
    assert titles(search(centre.space, "tressee", at=NOW)) == []

    with django_capture_on_commit_callbacks(execute=True):
        catalogue_services.product_set_visibility(product=product, is_visible=False)
    assert not SearchEntry.objects.filter(product=product).exists()

    with django_capture_on_commit_callbacks(execute=True):
        catalogue_services.product_set_visibility(product=product, is_visible=True)
        catalogue_services.product_delete(product=product)
    assert not SearchEntry.objects.filter(product_id__isnull=False, title__startswith="Brioche").exists()


def test_the_rebuild_command(centre: Centre, capsys: pytest.CaptureFixture[str]) -> None:
    SearchEntry.objects.all().delete()
    call_command("search_rebuild", "--town", "argentan")
    assert "search index rebuilt: 8 entries" in capsys.readouterr().out
    assert not SearchEntry.objects.filter(town=centre.other_town).exists()

    call_command("search_rebuild")
    assert SearchEntry.objects.filter(town=centre.other_town).count() == 2

    with pytest.raises(CommandError, match="nulle-part"):
        call_command("search_rebuild", "--town", "nulle-part")


def test_a_shop_from_another_town_cannot_be_indexed_into_this_one(centre: Centre) -> None:
    stranger = ShopFactory.create(town=centre.other_town, name="Boulangerie voisine")
    index_shops([stranger.pk])
    assert titles(search(centre.space, "voisine", at=NOW)) == []
    assert titles(search(centre.other_space, "voisine", at=NOW)) == ["Boulangerie voisine"]
