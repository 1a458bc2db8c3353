"""What every search backend does, and the SQL they share.

A backend says how entries match a list of normalised words (`match()`), how the index is written
(`entry_terms()`, `rebuild()`) and where typo corrections come from (`corrections()`). The queries
around the match are the same for every backend: they join the live shops and products, so that a
hidden shop or product never shows, however stale the index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from centreville.catalogue.models import Product
from centreville.shops.models import Shop, ShopStatus

from ..models import SearchEntry, SearchTerm
from ..text import one_edit_away, vocabulary_words

ENTRY_BATCH = 2000


@dataclass(frozen=True)
class Match:
    """SQL pieces that find the entries (alias `e`) matching some words in some towns."""

    source: str  # FROM items, defining the alias `e` for search_entry
    condition: str  # the match, the towns included
    score: str  # the higher, the better the entry matches
    source_params: Sequence[Any] = ()
    condition_params: Sequence[Any] = ()
    score_params: Sequence[Any] = ()


@dataclass(frozen=True)
class Filters:
    """Facet filters as ids: the kind ("shop" or "product"), the shop's trade, the product's category."""

    kind: str | None = None
    trade_id: int | None = None
    product_category_id: int | None = None


@dataclass(frozen=True)
class FacetRow:
    """How many matching entries share one kind, trade and product category."""

    is_product: bool
    trade_id: int
    product_category_id: int | None
    count: int


@dataclass(frozen=True)
class PageRow:
    entry_id: int
    shop_id: int
    product_id: int | None
    score: float


@dataclass
class EntrySource:
    """What one index entry is made of."""

    town_id: int
    shop_id: int
    product_id: int | None
    title: str
    category: str | None
    description: str

    @property
    def body(self) -> str:
        return " ".join(part for part in (self.category, self.description) if part)


@dataclass
class RebuildCounts:
    entries: int = 0
    words: int = 0
    vocabulary: Counter[tuple[int, str]] = field(default_factory=Counter, repr=False)


def in_towns(column: str, town_ids: Sequence[int]) -> tuple[str, list[int]]:
    """`column` among these towns, as SQL and its parameters."""
    if len(town_ids) == 1:
        return f"{column} = %s", [town_ids[0]]
    return f"{column} IN ({', '.join(['%s'] * len(town_ids))})", list(town_ids)


class SearchBackend:
    vendor = ""

    # What each backend defines.

    def match(self, town_ids: Sequence[int], words: Sequence[str]) -> Match:
        raise NotImplementedError

    def entry_terms(self, title: str, body: str) -> dict[str, str]:
        """Extra SearchEntry fields this backend computes in Python when an entry is written."""
        return {}

    def corrections(self, town_ids: Sequence[int], word: str) -> list[tuple[str, int]]:
        """Vocabulary words that may be what `word` was meant to be, with their occurrences."""
        return self.words_one_edit_away(town_ids, word)

    def rebuild(self, town_ids: Sequence[int] | None) -> RebuildCounts:
        """Empty and refill the index of these towns (all when None); runs in the caller's transaction."""
        self.clear(town_ids)
        counts = RebuildCounts()
        batch: list[SearchEntry] = []
        for source in iter_sources(town_ids):
            batch.append(self.entry(source))
            for word in vocabulary_words(f"{source.title} {source.body}"):
                counts.vocabulary[(source.town_id, word)] += 1
            if len(batch) >= ENTRY_BATCH:
                SearchEntry.objects.bulk_create(batch)
                counts.entries += len(batch)
                batch = []
        SearchEntry.objects.bulk_create(batch)
        counts.entries += len(batch)
        SearchTerm.objects.bulk_create(
            (
                SearchTerm(town_id=town_id, word=word, occurrences=n)
                for (town_id, word), n in counts.vocabulary.items()
            ),
            batch_size=ENTRY_BATCH,
        )
        counts.words = len(counts.vocabulary)
        return counts

    def after_rebuild(self) -> None:
        """Housekeeping once a rebuild is committed (statistics, merging of index segments)."""

    # Shared.

    def entry(self, source: EntrySource) -> SearchEntry:
        body = source.body
        return SearchEntry(
            town_id=source.town_id,
            shop_id=source.shop_id,
            product_id=source.product_id,
            title=source.title[:200],
            body=body,
            **self.entry_terms(source.title, body),
        )

    def clear(self, town_ids: Sequence[int] | None) -> None:
        """Delete the index of these towns (all when None) in plain SQL: nothing points at it."""
        where, params = ("", []) if town_ids is None else in_towns("town_id", town_ids)
        with connection.cursor() as cursor:
            for model in (SearchEntry, SearchTerm):
                cursor.execute(
                    f"DELETE FROM {model._meta.db_table} {'WHERE ' if where else ''}{where}", params
                )

    def facet_rows(self, town_ids: Sequence[int], words: Sequence[str]) -> list[FacetRow]:
        """Counts of the matching entries by kind, trade and product category."""
        select = "e.product_id IS NOT NULL, s.category_id, p.category_id, COUNT(*)"
        sql, params = self._query(select, (), town_ids, words, Filters())
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} GROUP BY e.product_id IS NOT NULL, s.category_id, p.category_id", params)
            return [FacetRow(bool(row[0]), row[1], row[2], row[3]) for row in cursor.fetchall()]

    def page(
        self, town_ids: Sequence[int], words: Sequence[str], filters: Filters, *, offset: int, limit: int
    ) -> list[PageRow]:
        """The matching entries from `offset`, best first."""
        match = self.match(town_ids, words)
        select = f"e.id, e.shop_id, e.product_id, {match.score} AS score"
        sql, params = self._query(select, match.score_params, town_ids, words, filters, match)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY score DESC, e.id LIMIT %s OFFSET %s", [*params, limit, offset])
            return [PageRow(row[0], row[1], row[2], float(row[3])) for row in cursor.fetchall()]

    def matches_anything(self, town_ids: Sequence[int], words: Sequence[str]) -> bool:
        sql, params = self._query("1", (), town_ids, words, Filters())
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT 1", params)
            return cursor.fetchone() is not None

    def words_one_edit_away(self, town_ids: Sequence[int], word: str) -> list[tuple[str, int]]:
        candidates = sorted(one_edit_away(word))
        towns, town_params = in_towns("town_id", town_ids)
        placeholders = ", ".join(["%s"] * len(candidates))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word, SUM(occurrences) FROM {SearchTerm._meta.db_table} "
                f"WHERE {towns} AND word IN ({placeholders}) GROUP BY word",
                [*town_params, *candidates],
            )
            return [(row[0], int(row[1])) for row in cursor.fetchall()]

    def _query(
        self,
        select: str,
        select_params: Sequence[Any],
        town_ids: Sequence[int],
        words: Sequence[str],
        filters: Filters,
        match: Match | None = None,
    ) -> tuple[str, list[Any]]:
        match = match or self.match(town_ids, words)
        conditions = [
            match.condition,
            "s.status = %s",
            "s.town_id = e.town_id",
            "(e.product_id IS NULL OR (p.is_visible AND p.shop_id = e.shop_id))",
        ]
        params: list[Any] = [*match.condition_params, ShopStatus.PUBLISHED.value]
        if filters.kind == "shop":
            conditions.append("e.product_id IS NULL")
        elif filters.kind == "product":
            conditions.append("e.product_id IS NOT NULL")
        if filters.trade_id is not None:
            conditions.append("s.category_id = %s")
            params.append(filters.trade_id)
        if filters.product_category_id is not None:
            conditions.append("p.category_id = %s")
            params.append(filters.product_category_id)
        sql = (
            f"SELECT {select} FROM {match.source} "
            f"JOIN {Shop._meta.db_table} s ON s.id = e.shop_id "
            f"LEFT JOIN {Product._meta.db_table} p ON p.id = e.product_id "
            f"WHERE {' AND '.join(conditions)}"
        )
        return sql, [*select_params, *match.source_params, *params]


def iter_sources(town_ids: Sequence[int] | None, *, chunk: int = 5000) -> Iterator[EntrySource]:
    """Every published shop, and every visible product of a published shop, of these towns."""
    shops = Shop.objects.filter(status=ShopStatus.PUBLISHED)
    products = Product.objects.filter(is_visible=True, shop__status=ShopStatus.PUBLISHED)
    if town_ids is not None:
        shops, products = shops.filter(town_id__in=town_ids), products.filter(town_id__in=town_ids)
    for town_id, shop_id, name, category, description in (
        shops.order_by("pk")
        .values_list("town_id", "pk", "name", "category__name", "description")
        .iterator(chunk_size=chunk)
    ):
        yield EntrySource(town_id, shop_id, None, name, category, description)
    for town_id, shop_id, product_id, title, category, description in (
        products.order_by("pk")
        .values_list("town_id", "shop_id", "pk", "title", "category__name", "description")
        .iterator(chunk_size=chunk)
    ):
        yield EntrySource(town_id, shop_id, product_id, title, category, description)


def sources_for(shops: Iterable[Shop] = (), products: Iterable[Product] = ()) -> Iterator[EntrySource]:
    """Entry sources of shops (with their category loaded) and products (with theirs)."""
    for shop in shops:
        yield EntrySource(shop.town_id, shop.pk, None, shop.name, shop.category.name, shop.description)
    for product in products:
        category = product.category.name if product.category is not None else None
        yield EntrySource(
            product.town_id, product.shop_id, product.pk, product.title, category, product.description
        )
