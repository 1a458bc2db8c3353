"""Reads behind the public pages: open now, directory filters, hours in words, shop and product pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from centreville.catalogue import selectors as catalogue_selectors
from centreville.catalogue.tests.factories import ProductCategoryFactory, ProductFactory
from centreville.shops import hours, selectors
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopClosureFactory, ShopFactory, TradeCategoryFactory
from centreville.towns.models import Town
from centreville.towns.selectors import space_by_slug
from centreville.towns.spaces import Space
from centreville.towns.tests.factories import TerritoryFactory, TownFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
HOURS = "Tu-Sa 09:00-12:30,14:00-19:00; PH off"
# Monday 9 November 2026, 10:00 in Paris; Wednesday 11 November is a public holiday.
MONDAY = datetime(2026, 11, 9, 10, 0, tzinfo=PARIS)
TUESDAY_MORNING = datetime(2026, 11, 10, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _french() -> None:
    translation.activate("fr")


def space_of(town: Town) -> Space:
    space = space_by_slug(town.slug)
    assert space is not None
    return space


def test_home_lists_the_shops_open_now_of_its_own_town_only() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    bakery = ShopFactory.create(town=town, name="Boulangerie", opening_hours="Mo-Su 07:00-13:00")
    books = ShopFactory.create(town=town, name="Librairie", opening_hours=HOURS)
    ShopFactory.create(town=town, name="Fermé le mardi", opening_hours="We-Sa 09:00-19:00")
    ShopFactory.create(town=town, name="Sans horaires", opening_hours="")
    ShopFactory.create(town=town, name="Brouillon", opening_hours="24/7", status=ShopStatus.DRAFT)
    ShopFactory.create(town=other, name="Ailleurs", opening_hours="24/7")

    home = selectors.space_home_content(space_of(town), at=TUESDAY_MORNING)

    assert {shop.name for shop in home.open_now} == {bakery.name, books.name}
    assert home.open_now_count == 2
    assert home.shop_count == 4
    assert all(shop.opening.label for shop in home.featured_shops)  # type: ignore[attr-defined]
    # The first change among the shops shown: the library closes for lunch at 12:30.
    assert home.valid_until == datetime(2026, 11, 10, 12, 30, tzinfo=PARIS)


def test_home_counts_trades_of_the_space_only() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    bread = TradeCategoryFactory.create(name="Boulangerie", slug="boulangerie")
    ShopFactory.create_batch(2, town=town, category=bread)
    ShopFactory.create(town=other, category=bread)

    home = selectors.space_home_content(space_of(town), at=MONDAY)

    assert [(c.name, c.shop_count) for c in home.categories] == [("Boulangerie", 2)]  # type: ignore[attr-defined]


def test_a_closure_prefetched_as_empty_needs_no_query(django_assert_num_queries: object) -> None:
    shop = ShopFactory.create(opening_hours=HOURS)
    shop.upcoming_closures = []  # type: ignore[attr-defined]

    with django_assert_num_queries(0):  # type: ignore[operator]
        state = selectors.shop_opening_state(shop, at=TUESDAY_MORNING)

    assert state.is_open


def test_directory_filters_combine_and_never_show_another_town() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    bread = TradeCategoryFactory.create(name="Boulangerie", slug="boulangerie")
    books = TradeCategoryFactory.create(name="Librairie", slug="librairie")
    collect = ShopFactory.create(town=town, name="A Collect", category=bread, offers_click_collect=True)
    ramp = ShopFactory.create(town=town, name="B Rampe", category=bread, accessible_entrance=True)
    both = ShopFactory.create(
        town=town, name="C Les deux", category=books, offers_click_collect=True, accessible_entrance=True
    )
    closed = ShopFactory.create(
        town=town, name="D Fermé mardi", category=books, opening_hours="We 09:00-12:00"
    )
    ShopFactory.create(town=other, name="Ailleurs", category=bread, offers_click_collect=True)
    space = space_of(town)

    def names(**filters: object) -> list[str]:
        page = selectors.shop_directory(space, selectors.DirectoryFilters(**filters), at=TUESDAY_MORNING).page  # type: ignore[arg-type]
        return [shop.name for shop in page.object_list]

    assert names() == [collect.name, ramp.name, both.name, closed.name]
    assert names(trade="boulangerie") == [collect.name, ramp.name]
    assert names(click_collect=True) == [collect.name, both.name]
    assert names(accessible=True) == [ramp.name, both.name]
    assert names(click_collect=True, accessible=True, trade="librairie") == [both.name]
    assert names(open_now=True) == [collect.name, ramp.name, both.name]
    assert names(trade="inconnu") == []


def test_directory_pages_and_gives_each_shop_its_state() -> None:
    town = TownFactory.create()
    ShopFactory.create_batch(selectors.DIRECTORY_PAGE_SIZE + 3, town=town)

    first = selectors.shop_directory(space_of(town), selectors.DirectoryFilters(), at=MONDAY)
    last = selectors.shop_directory(space_of(town), selectors.DirectoryFilters(), page_number=2, at=MONDAY)
    beyond = selectors.shop_directory(
        space_of(town), selectors.DirectoryFilters(), page_number="abc", at=MONDAY
    )

    assert len(first.page.object_list) == selectors.DIRECTORY_PAGE_SIZE
    assert len(last.page.object_list) == 3
    assert beyond.page.number == 1
    assert all(shop.opening.label.startswith("Fermé") for shop in last.page.object_list)


def test_a_territory_directory_gathers_its_towns() -> None:
    territory = TerritoryFactory.create()
    first, second = TownFactory.create(territory=territory), TownFactory.create(territory=territory)
    ShopFactory.create(town=first, name="Un")
    ShopFactory.create(town=second, name="Deux")
    ShopFactory.create(town=TownFactory.create(), name="Dehors")
    space = space_by_slug(territory.slug)
    assert space is not None

    page = selectors.shop_directory(space, selectors.DirectoryFilters(), at=MONDAY).page

    assert [(shop.name, shop.town) for shop in page.object_list] == [("Deux", second), ("Un", first)]


def test_hours_in_words_for_the_coming_week() -> None:
    shop = ShopFactory.create(opening_hours=HOURS)
    ShopClosureFactory.create(
        shop=shop, start_date=date(2026, 11, 13), end_date=date(2026, 11, 13), label="Inventaire"
    )

    week = selectors.week_hours(shop, at=MONDAY)

    assert [(day.label, day.hours, day.note) for day in week] == [
        ("lundi 9 novembre", "fermé", ""),
        ("mardi 10 novembre", "de 09:00 à 12:30 et de 14:00 à 19:00", ""),
        ("mercredi 11 novembre", "fermé", "jour férié"),
        ("jeudi 12 novembre", "de 09:00 à 12:30 et de 14:00 à 19:00", ""),
        ("vendredi 13 novembre", "fermé", "Inventaire"),
        ("samedi 14 novembre", "de 09:00 à 12:30 et de 14:00 à 19:00", ""),
        ("dimanche 15 novembre", "fermé", ""),
    ]
    assert week[0].is_today
    assert not any(day.is_today for day in week[1:])


@pytest.mark.parametrize(
    ("hours", "monday", "sunday"),
    [
        ("Mo-Sa 18:00-02:00", "de 18:00 à 02:00", "fermé"),
        ("24/7", "ouvert 24 h sur 24", "ouvert 24 h sur 24"),
        ("Mo-Su 20:00-24:00", "de 20:00 à minuit", "de 20:00 à minuit"),
        ("Mo 10:00-12:00; Su 09:00-12:00,15:00-18:00,20:00-22:00", "de 10:00 à 12:00", None),
    ],
)
def test_hours_in_words_across_midnight_and_all_day(hours: str, monday: str, sunday: str | None) -> None:
    shop = ShopFactory.create(opening_hours=hours)

    week = selectors.week_hours(shop, at=MONDAY)

    assert week[0].hours == monday
    assert week[6].hours == (sunday or "de 09:00 à 12:00, de 15:00 à 18:00 et de 20:00 à 22:00")


def test_hours_in_words_follow_the_towns_time_zone() -> None:
    shop = ShopFactory.create(
        town=TownFactory.create(timezone="Indian/Reunion"), opening_hours="Mo 08:00-12:00"
    )

    # 22:30 on Sunday in Paris is already Monday 01:30 in Réunion.
    week = selectors.week_hours(shop, at=datetime(2026, 11, 8, 22, 30, tzinfo=PARIS))

    assert week[0].label == "lundi 9 novembre"
    assert week[0].hours == "de 08:00 à 12:00"


def test_no_hours_or_unreadable_hours_give_no_week() -> None:
    assert selectors.week_hours(ShopFactory.create(opening_hours=""), at=MONDAY) == []
    unreadable = ShopFactory.build(town=TownFactory.create(), opening_hours="lundi 9h-12h")
    unreadable.upcoming_closures = []  # type: ignore[attr-defined]
    assert selectors.week_hours(unreadable, at=MONDAY) == []


def test_regular_week_leaves_holidays_and_closures_out() -> None:
    week = hours.regular_week(HOURS, "Europe/Paris", at=MONDAY)

    assert [day.weekday for day in week] == [0, 1, 2, 3, 4, 5, 6]
    wednesday = week[2].openings  # 11 November, a holiday, is still a regular Wednesday
    assert [(start.strftime("%H:%M"), end.strftime("%H:%M")) for start, end in wednesday] == [
        ("09:00", "12:30"),
        ("14:00", "19:00"),
    ]
    assert week[0].openings == []


def test_shop_page_is_none_unless_published_in_this_town() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    shop = ShopFactory.create(town=town)
    hidden = ShopFactory.create(town=town, status=ShopStatus.HIDDEN)

    assert selectors.shop_page(space_of(town), shop.slug, at=MONDAY) is not None
    assert selectors.shop_page(space_of(other), shop.slug, at=MONDAY) is None
    assert selectors.shop_page(space_of(town), hidden.slug, at=MONDAY) is None


def test_shop_page_shows_visible_products_a_page_at_a_time_and_coming_closures() -> None:
    shop = ShopFactory.create(opening_hours=HOURS)
    ProductFactory.create_batch(catalogue_selectors.PRODUCTS_PAGE_SIZE + 1, shop=shop)
    ProductFactory.create(shop=shop, title="Masqué", is_visible=False)
    past = ShopClosureFactory.create(shop=shop, start_date=date(2026, 11, 1), end_date=date(2026, 11, 5))
    coming = ShopClosureFactory.create(shop=shop, start_date=date(2026, 12, 24), end_date=date(2026, 12, 31))

    first = selectors.shop_page(space_of(shop.town), shop.slug, at=MONDAY)
    first_products = catalogue_selectors.shop_page_products(shop)
    second_products = catalogue_selectors.shop_page_products(shop, page_number=2)

    assert first is not None
    assert len(first_products.object_list) == catalogue_selectors.PRODUCTS_PAGE_SIZE
    assert len(second_products.object_list) == 1
    assert "Masqué" not in [p.title for p in first_products.object_list] + [p.title for p in second_products]
    assert first.closures == [coming]
    assert past not in first.closures
    assert first.valid_until == datetime(
        2026, 11, 10, 0, 0, tzinfo=PARIS
    )  # labels say "demain" until midnight


def test_product_page_is_none_unless_visible_in_a_published_shop_of_this_town() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    shop = ShopFactory.create(town=town)
    product = ProductFactory.create(shop=shop, slug="pain")
    hidden = ProductFactory.create(shop=shop, slug="cache", is_visible=False)
    draft = ShopFactory.create(town=town, status=ShopStatus.DRAFT)
    in_draft = ProductFactory.create(shop=draft, slug="pain")
    neighbour = ShopFactory.create(town=town)

    assert catalogue_selectors.product_page(space_of(town), shop.slug, product.slug, at=MONDAY) is not None
    assert catalogue_selectors.product_page(space_of(town), shop.slug, hidden.slug, at=MONDAY) is None
    assert catalogue_selectors.product_page(space_of(town), draft.slug, in_draft.slug, at=MONDAY) is None
    assert catalogue_selectors.product_page(space_of(town), neighbour.slug, product.slug, at=MONDAY) is None
    assert catalogue_selectors.product_page(space_of(other), shop.slug, product.slug, at=MONDAY) is None


def test_related_products_are_of_the_same_shop_same_category_first() -> None:
    shop = ShopFactory.create()
    bread, cakes = ProductCategoryFactory.create(), ProductCategoryFactory.create()
    product = ProductFactory.create(shop=shop, title="Baguette", category=bread)
    ProductFactory.create(shop=shop, title="A Tarte", category=cakes)
    ProductFactory.create(shop=shop, title="B Pain de seigle", category=bread)
    ProductFactory.create(shop=shop, title="C Flan", category=cakes)
    ProductFactory.create(shop=shop, title="D Éclair", category=cakes)
    ProductFactory.create(shop=shop, title="E Fougasse", category=bread, is_visible=False)
    ProductFactory.create(title="F Ailleurs", category=bread)

    content = catalogue_selectors.product_page(space_of(shop.town), shop.slug, product.slug, at=MONDAY)

    assert content is not None
    assert [p.title for p in content.related] == ["B Pain de seigle", "A Tarte", "C Flan", "D Éclair"]


def test_the_lowest_price_of_a_product_with_variants() -> None:
    product = ProductFactory.create(price=Decimal("20.00"))
    product.variants.create(label="Petit", price=Decimal("15.00"))
    product.variants.create(label="Grand")

    space = space_of(product.town)
    content = catalogue_selectors.product_page(space, product.shop.slug, product.slug, at=MONDAY)

    assert content is not None
    assert [v.label for v in content.variants] == ["Petit", "Grand"]
    assert content.lowest_price == Decimal("15.00")


def test_sitemaps_list_only_public_things_of_the_town() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    shop = ShopFactory.create(town=town)
    draft = ShopFactory.create(town=town, status=ShopStatus.DRAFT)
    product = ProductFactory.create(shop=shop)
    ProductFactory.create(shop=shop, is_visible=False)
    ProductFactory.create(shop=draft)
    ProductFactory.create(shop=ShopFactory.create(town=other))

    assert list(selectors.sitemap_shops(town)) == [shop]
    assert list(catalogue_selectors.sitemap_products(town)) == [product]
