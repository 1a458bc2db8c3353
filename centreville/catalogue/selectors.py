"""Reads about products; every function is given the shop, town or space explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)

from centreville.shops.models import Shop, ShopStatus
from centreville.shops.ordering import OrderTaking, handled_by_someone, order_taking
from centreville.shops.selectors import (
    SelectionCandidate,
    attach_towns,
    earliest,
    home_day,
    set_opening_states,
    upcoming_closures_prefetch,
    varied_selection,
)
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from .models import Product, ProductCategory, ProductPhoto, ProductVariant

VISIBILITY_FILTERS = {"visible": Q(is_visible=True), "hidden": Q(is_visible=False)}
FEATURED_PRODUCTS = 8
PRODUCTS_PAGE_SIZE = 24
RELATED_PRODUCTS = 4
# How many recent products with a photo the home chooses its own selection from.
PRODUCT_CANDIDATES = 200


def shop_products(shop: Shop, *, query: str = "", visibility: str = "") -> QuerySet[Product]:
    """A shop's products for its merchants, by title; `query` matches the title or the reference,
    `visibility` is "visible", "hidden" or anything else for all."""
    products = (
        Product.objects.for_town(shop.town)
        .filter(shop=shop)
        .select_related("category")
        .order_by("title", "pk")
    )
    query = query.strip()
    if query:
        products = products.filter(Q(title__icontains=query) | Q(reference__iexact=query))
    if visibility in VISIBILITY_FILTERS:
        products = products.filter(VISIBILITY_FILTERS[visibility])
    return products


def shop_product_by_slug(shop: Shop, slug: str) -> Product | None:
    """One product of this shop by its address (never another shop's of the same name)."""
    return (
        Product.objects.for_town(shop.town)
        .filter(shop=shop, slug=slug)
        .select_related("category", "shop", "town")
        .first()
    )


def town_product(town: Town, product_id: int) -> Product | None:
    """A product of `town` by id, with its shop; None for another town's."""
    return Product.objects.for_town(town).filter(pk=product_id).select_related("shop").first()


def product_categories() -> list[ProductCategory]:
    return list(ProductCategory.objects.order_by("position", "name"))


def article_title(product: Product, variant: ProductVariant | None) -> str:
    """How an article reads in a basket or an order: the product, and its variant if any."""
    return f"{product.title} ({variant.label})" if variant is not None else product.title


def unit_price(product: Product, variant: ProductVariant | None) -> Decimal:
    """What one unit costs: the variant's own price if it has one, else the product's."""
    return variant.price if variant is not None and variant.price is not None else product.price


# --- Public showcase pages: town home, shop and product pages, sitemaps ------------------------------------


def product_photos_prefetch() -> Prefetch:
    """A product's photos in their order, as `product.photo_list` (what the cards show)."""
    return Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "pk"), to_attr="photo_list")


def home_products(space: Space, *, at: datetime) -> list[Product]:
    """The products a space's home leads with, each with its photos: the town team's chosen products still
    public first, then a varied selection of recent ones with a photo, taking turns day by day like the
    shops (`shops.selectors.space_home_content`)."""
    from centreville.towns.models import FeaturedProduct

    public = Product.objects.in_space(space).filter(is_visible=True, shop__status=ShopStatus.PUBLISHED)
    chosen = list(
        FeaturedProduct.objects.in_space(space)
        .filter(product__in=public)
        .order_by("position", "town_id", "pk")
        .values_list("product_id", flat=True)[:FEATURED_PRODUCTS]
    )
    wanted = FEATURED_PRODUCTS - len(chosen)
    picked: list[int] = []
    if wanted:
        # Recent products with a photo: the index on (town, visible, updated) finds them without a sort.
        rows = list(
            public.exclude(pk__in=chosen)
            .filter(Exists(ProductPhoto.objects.filter(product=OuterRef("pk"))))
            .order_by("-updated_at")
            .values_list("pk", "shop__category_id", "shop_id", "category_id")[:PRODUCT_CANDIDATES]
        )
        with_photo = len(rows)
        if with_photo < wanted:  # too few with a photo: the most recent others complete the list
            rows += list(
                public.exclude(pk__in=[*chosen, *(row[0] for row in rows)])
                .order_by("-updated_at")
                .values_list("pk", "shop__category_id", "shop_id", "category_id")[: wanted * 4]
            )
        candidates = [
            SelectionCandidate(pk, trade, n < with_photo, int(category is not None), owner=shop)
            for n, (pk, trade, shop, category) in enumerate(rows)
        ]
        picked = varied_selection(candidates, limit=wanted, day=home_day(space, at=at))
    order = [*chosen, *picked]
    products = {
        product.pk: product
        for product in Product.objects.in_space(space)
        .filter(pk__in=order)
        .select_related("shop")
        .prefetch_related(product_photos_prefetch())
    }
    shown = [products[pk] for pk in order if pk in products]
    attach_towns([product.shop for product in shown], space)
    return shown


def shop_visible_products(shop: Shop) -> QuerySet[Product]:
    return Product.objects.for_town(shop.town).filter(shop=shop, is_visible=True).order_by("title")


def shop_page_products(shop: Shop, *, page_number: str | int = 1) -> Page[Product]:
    """One page of the products a shop's public page lists, each with its photos: two queries whatever
    their number (a page out of range is the nearest one)."""
    products = Paginator(shop_visible_products(shop), PRODUCTS_PAGE_SIZE).get_page(page_number)
    page_products = list(products.object_list)
    prefetch_related_objects(page_products, product_photos_prefetch())
    for product in page_products:
        product.shop = shop
    products.object_list = page_products
    return products


@dataclass(frozen=True)
class ProductPage:
    product: Product
    shop: Shop
    variants: list[ProductVariant]
    photos: list[ProductPhoto]
    related: list[Product]
    ordering: OrderTaking
    valid_until: datetime | None

    @property
    def prices(self) -> set[Decimal]:
        """Every price it sells at: each variant's (its own, or the product's), else the product's."""
        return {v.price if v.price is not None else self.product.price for v in self.variants} or {
            self.product.price
        }

    @property
    def lowest_price(self) -> Decimal:
        """The price to show first: the cheapest variant's when there are variants."""
        return min(self.prices)

    @property
    def has_price_range(self) -> bool:
        """Whether prices differ between variants: « à partir de » only then."""
        return len(self.prices) > 1


def product_page(space: Space, shop_slug: str, product_slug: str, *, at: datetime) -> ProductPage | None:
    """A visible product of a published shop of the space, with its variants, photos and a few other
    products of the same shop (same category first); None when it is not public."""
    product = (
        Product.objects.in_space(space)
        .filter(slug=product_slug, is_visible=True, shop__slug=shop_slug, shop__status=ShopStatus.PUBLISHED)
        .select_related("shop__category", "category")
        .annotate(shop_handled=handled_by_someone("shop"))
        .prefetch_related(
            Prefetch(
                "variants", queryset=ProductVariant.objects.order_by("position", "pk"), to_attr="variant_list"
            ),
            product_photos_prefetch(),
            upcoming_closures_prefetch(at=at, lookup="shop__closures"),
        )
        .first()
    )
    if product is None:
        return None
    shop = product.shop
    attach_towns([shop], space)
    ordering = order_taking(shop, handled=product.shop_handled, closures=shop.upcoming_closures, at=at)  # type: ignore[attr-defined]
    shop.order_taking = ordering  # type: ignore[attr-defined]
    related_order: list[Any] = ["title", "pk"]
    if product.category_id is not None:
        same_category_first = Case(
            When(category_id=product.category_id, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        related_order.insert(0, same_category_first)
    related_products = list(
        Product.objects.for_town(shop.town)
        .filter(shop=shop, is_visible=True)
        .exclude(pk=product.pk)
        .order_by(*related_order)[:RELATED_PRODUCTS]
    )
    prefetch_related_objects(related_products, product_photos_prefetch())
    for other in related_products:
        other.shop = shop
    return ProductPage(
        product=product,
        shop=shop,
        variants=product.variant_list,
        photos=product.photo_list,  # type: ignore[attr-defined]
        related=related_products,
        ordering=ordering,
        valid_until=earliest(set_opening_states([shop], at=at), ordering.valid_until),
    )


def sitemap_products(town: Town) -> QuerySet[Product]:
    """The town's visible products of published shops, with only what a sitemap needs."""
    return (
        Product.objects.for_town(town)
        .filter(is_visible=True, shop__status=ShopStatus.PUBLISHED)
        .select_related("shop")
        .only("slug", "updated_at", "shop__slug")
        .order_by("pk")
    )
