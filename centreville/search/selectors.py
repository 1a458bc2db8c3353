"""Searching a space's shops and products: French words, accents ignored, one typo forgiven, facets, pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

from django.core.exceptions import ValidationError
from django.db.models import Q, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from centreville.catalogue.models import Product, ProductCategory
from centreville.catalogue.selectors import product_photos_prefetch
from centreville.catalogue.taxonomy import product_category_name
from centreville.shops.models import Shop, ShopStatus, TradeCategory
from centreville.shops.ordering import shops_order_taking
from centreville.shops.selectors import set_opening_states, shop_photos_prefetch, upcoming_closures_prefetch
from centreville.shops.taxonomy import trade_name
from centreville.towns.spaces import Space

from .backends import get_backend
from .backends.base import FacetRow, Filters, PageRow
from .correction import search_correction
from .text import MAX_QUERY_LENGTH, Fragment, query_terms, snippet

KINDS = ("shop", "product")
MAX_PER_PAGE = 100
# What a result shows: the rest of each row stays in the database (a town's outline is large).
HIT_SHOP_FIELDS = (
    "town",
    "category",
    "name",
    "slug",
    "description",
    "street_address",
    "city",
    "opening_hours",
    "status",
    "offers_click_collect",
    "offers_delivery",
)
HIT_PRODUCT_FIELDS = ("town", "shop", "title", "slug", "description", "price", "stock", "is_visible")


@dataclass(frozen=True)
class Hit:
    """One result. `object` and `shop` are loaded with what a result shows (HIT_*_FIELDS) only, with their
    photos (`photo_list`) and the shop's opening state (`shop.opening`)."""

    kind: str  # "shop" or "product"
    object: Shop | Product
    shop: Shop
    title: str
    url: str
    snippet: list[Fragment]
    score: float


@dataclass(frozen=True)
class FacetValue:
    value: str  # "shop"/"product", or the category's slug
    label: str  # in the page's language when translated
    count: int
    active: bool
    lang: str = ""  # "fr" for a category name left in French (RGAA 8.7), "" when in the page's language


@dataclass(frozen=True)
class Facet:
    name: str  # "kind", "trade" or "product_category": the keyword of search() it filters on
    values: list[FacetValue]

    @property
    def active(self) -> FacetValue | None:
        return next((value for value in self.values if value.active), None)


@dataclass(frozen=True)
class SearchResults:
    query: str
    words: list[str] = field(default_factory=list)  # the normalised words searched for
    corrected_query: str | None = None  # the query as searched, when a typo was corrected
    hits: list[Hit] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20

    @property
    def searched(self) -> bool:
        """Whether there was something to search for (not only stop words or punctuation)."""
        return bool(self.words)

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.hits) - 1 if self.hits else 0

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link to: the first, the last and those around the current one; None for a gap."""
        shown = {1, self.num_pages, *range(self.page - around, self.page + around + 1)}
        numbers: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.num_pages):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def search(
    space: Space,
    query: str,
    *,
    kind: str | None = None,
    trade: str | None = None,
    product_category: str | None = None,
    page: int = 1,
    per_page: int = 20,
    at: datetime,
) -> SearchResults:
    """The space's published shops and visible products that match every word of `query`, best first.

    `kind` ("shop" or "product"), `trade` (a trade category's slug) and `product_category` (a product
    category's slug) narrow the results; each facet counts the matches under the other two filters.
    A word that matches nothing is replaced by the nearest word of the space's vocabulary, one typo away
    (`correction.search_correction`).
    Raises ValidationError for a query longer than MAX_QUERY_LENGTH.
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError(
            _("Votre recherche est trop longue : %(max)d caractères au plus.") % {"max": MAX_QUERY_LENGTH}
        )
    terms = query_terms(query)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    if not terms:
        return SearchResults(query=query, per_page=per_page)
    backend = get_backend()
    town_ids = space.town_ids
    words = [term.word for term in terms]
    rows = backend.facet_rows(town_ids, words)
    corrected_query = None
    if not rows:
        correction = search_correction(backend, town_ids, query, terms)
        corrected_rows = backend.facet_rows(town_ids, correction.words) if correction else []
        if correction and corrected_rows:
            words, rows, corrected_query = correction.words, corrected_rows, correction.query

    # Only the categories that have matches, or that a filter names: (id, slug, name).
    trades = _categories(TradeCategory, {row.trade_id for row in rows}, trade)
    product_categories = _categories(
        ProductCategory, {row.product_category_id for row in rows} - {None}, product_category
    )
    filters = Filters(
        kind=kind if kind in KINDS else None,
        trade_id=next((pk for pk, slug, _name in trades if slug == trade), None),
        product_category_id=next(
            (pk for pk, slug, _name in product_categories if slug == product_category), None
        ),
    )
    facets = _facets(rows, filters, trades, product_categories)
    total = sum(row.count for row in rows if _passes(row, filters))
    page = min(max(page, 1), max(1, ceil(total / per_page)))
    page_rows = (
        backend.page(town_ids, words, filters, offset=(page - 1) * per_page, limit=per_page) if total else []
    )
    return SearchResults(
        query=query,
        words=words,
        corrected_query=corrected_query,
        hits=_hits(page_rows, words, at=at),
        facets=facets,
        total=total,
        page=page,
        per_page=per_page,
    )


def _passes(row: FacetRow, filters: Filters, *, ignore: str = "") -> bool:
    if ignore != "kind" and filters.kind is not None and row.is_product != (filters.kind == "product"):
        return False
    if ignore != "trade" and filters.trade_id is not None and row.trade_id != filters.trade_id:
        return False
    return not (
        ignore != "product_category"
        and filters.product_category_id is not None
        and row.product_category_id != filters.product_category_id
    )


def _facet(
    name: str,
    rows: list[FacetRow],
    filters: Filters,
    key: Callable[[FacetRow], int | str | None],
    labels: dict[int | str, tuple[str, str, str]],  # key → (value, label, lang)
    active: int | str | None,
) -> Facet:
    counts: Counter[int | str] = Counter()
    for row in rows:
        row_key = key(row)
        if row_key is not None and _passes(row, filters, ignore=name):
            counts[row_key] += row.count
    values = [
        FacetValue(
            value=labels[k][0], label=labels[k][1], count=counts[k], active=k == active, lang=labels[k][2]
        )
        for k in labels
        if counts[k] or k == active
    ]
    values.sort(key=lambda value: (not value.active, -value.count, value.label))
    return Facet(name=name, values=values)


def _categories(
    model: type[TradeCategory] | type[ProductCategory], ids: set[int | None], slug: str | None
) -> list[tuple[int, str, str]]:
    if not ids and not slug:
        return []
    return list(model.objects.filter(Q(pk__in=ids) | Q(slug=slug or "")).values_list("pk", "slug", "name"))


def _named(slug: str, name: str, shown: str) -> tuple[str, str, str]:
    """A category's facet label in the page's language, marked French when it has no translation."""
    return (slug, shown, "fr" if shown == name and not (get_language() or "fr").startswith("fr") else "")


def _facets(
    rows: list[FacetRow],
    filters: Filters,
    trades: list[tuple[int, str, str]],
    product_categories: list[tuple[int, str, str]],
) -> list[Facet]:
    kind_labels: dict[int | str, tuple[str, str, str]] = {
        "shop": ("shop", _("Commerces"), ""),
        "product": ("product", _("Produits"), ""),
    }
    trade_labels: dict[int | str, tuple[str, str, str]] = {
        pk: _named(slug, name, trade_name(name)) for pk, slug, name in trades
    }
    category_labels: dict[int | str, tuple[str, str, str]] = {
        pk: _named(slug, name, product_category_name(name)) for pk, slug, name in product_categories
    }
    return [
        _facet(
            "kind",
            rows,
            filters,
            lambda row: "product" if row.is_product else "shop",
            kind_labels,
            filters.kind,
        ),
        _facet("trade", rows, filters, lambda row: row.trade_id, trade_labels, filters.trade_id),
        _facet(
            "product_category",
            rows,
            filters,
            lambda row: row.product_category_id if row.is_product else None,
            category_labels,
            filters.product_category_id,
        ),
    ]


def shop_url(shop: Shop) -> str:
    return reverse("catalogue:shop", args=[shop.town.slug, shop.slug])


def product_url(product: Product) -> str:
    # The product page's address, /<town>/commerces/<shop>/produits/<product>/, built from the shop's.
    return f"{shop_url(product.shop)}produits/{product.slug}/"


def _hits(rows: list[PageRow], words: list[str], *, at: datetime) -> list[Hit]:
    """The page's shops and products in the order of `rows`, with their photos, the shops' opening
    states and whether they take orders: a handful of queries whatever the page's size."""
    shop_ids = [row.shop_id for row in rows if row.product_id is None]
    product_ids = [row.product_id for row in rows if row.product_id is not None]
    shops = (
        Shop.objects.filter(pk__in=shop_ids, status=ShopStatus.PUBLISHED)
        .select_related("town", "category")
        .only(*HIT_SHOP_FIELDS, "town__slug", "town__name", "town__timezone", "category__name")
    )
    products = (
        Product.objects.filter(pk__in=product_ids, is_visible=True, shop__status=ShopStatus.PUBLISHED)
        .select_related("shop__town", "shop__category")
        .only(
            *HIT_PRODUCT_FIELDS,
            *(f"shop__{name}" for name in HIT_SHOP_FIELDS),
            "shop__town__slug",
            "shop__town__name",
            "shop__town__timezone",
            "shop__category__name",
        )
    )
    shops_by_id = {shop.pk: shop for shop in shops} if shop_ids else {}
    products_by_id = {product.pk: product for product in products} if product_ids else {}
    every_shop = [*shops_by_id.values(), *(product.shop for product in products_by_id.values())]
    prefetch_related_objects(every_shop, upcoming_closures_prefetch(at=at), shop_photos_prefetch())
    prefetch_related_objects(list(products_by_id.values()), product_photos_prefetch())
    set_opening_states(every_shop, at=at)
    taking = shops_order_taking(every_shop, at=at)
    for each in every_shop:
        each.order_taking = taking[each.pk]  # type: ignore[attr-defined]
    hits = []
    for row in rows:
        if row.product_id is None:
            shop = shops_by_id.get(row.shop_id)
            if shop is not None:
                text = shop.description or shop.category.name
                hits.append(
                    Hit("shop", shop, shop, shop.name, shop_url(shop), snippet(text, words), row.score)
                )
        else:
            product = products_by_id.get(row.product_id)
            if product is not None:
                hits.append(
                    Hit(
                        "product",
                        product,
                        product.shop,
                        product.title,
                        product_url(product),
                        snippet(product.description, words),
                        row.score,
                    )
                )
    return hits
