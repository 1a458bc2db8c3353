"""Writes to the search index: after a shop or product changes, or all at once.

The index holds published shops and the visible products of published shops. It may lag behind them
(searches filter on the live tables anyway); `rebuild_index()` makes it exact again. Typo corrections
propose words of the vocabulary, to which indexing adds words and which only a rebuild trims.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from django.db import transaction

from centreville.catalogue.models import Product
from centreville.shops.models import Shop, ShopStatus

from .backends import get_backend
from .backends.base import EntrySource, RebuildCounts, sources_for
from .models import SearchEntry, SearchTerm
from .text import vocabulary_words

logger = logging.getLogger(__name__)
CHUNK = 1000


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    iterator = iter(sorted(set(ids)))
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _write(sources: Iterable[EntrySource]) -> int:
    backend = get_backend()
    entries: list[SearchEntry] = []
    vocabulary: dict[tuple[int, str], int] = {}
    for source in sources:
        entries.append(backend.entry(source))
        for word in vocabulary_words(f"{source.title} {source.body}"):
            vocabulary[(source.town_id, word)] = vocabulary.get((source.town_id, word), 0) + 1
    SearchEntry.objects.bulk_create(entries, batch_size=CHUNK)
    SearchTerm.objects.bulk_create(
        [SearchTerm(town_id=town_id, word=word, occurrences=n) for (town_id, word), n in vocabulary.items()],
        batch_size=CHUNK,
        ignore_conflicts=True,
    )
    return len(entries)


@transaction.atomic
def index_shops(shop_ids: Iterable[int]) -> None:
    """Bring these shops' entries up to date; a shop that became public brings its visible products along,
    one that is no longer public takes them away."""
    for ids in _chunks(shop_ids):
        shops = list(Shop.objects.filter(pk__in=ids).select_related("category"))
        public = [shop for shop in shops if shop.status == ShopStatus.PUBLISHED]
        public_ids = {shop.pk for shop in public}
        SearchEntry.objects.filter(shop_id__in=set(ids) - public_ids).delete()
        shop_entries = SearchEntry.objects.filter(shop_id__in=public_ids, product__isnull=True)
        newly_public = public_ids - set(shop_entries.values_list("shop_id", flat=True))
        shop_entries.delete()
        products = (
            Product.objects.filter(shop_id__in=newly_public, is_visible=True).select_related("category")
            if newly_public
            else Product.objects.none()
        )
        SearchEntry.objects.filter(shop_id__in=newly_public).delete()
        _write(sources_for(shops=public, products=products))


@transaction.atomic
def index_products(product_ids: Iterable[int]) -> None:
    """Bring these products' entries up to date: indexed if visible in a published shop, removed otherwise."""
    for ids in _chunks(product_ids):
        SearchEntry.objects.filter(product_id__in=ids).delete()
        products = Product.objects.filter(
            pk__in=ids, is_visible=True, shop__status=ShopStatus.PUBLISHED
        ).select_related("category")
        _write(sources_for(products=products))


@transaction.atomic
def remove_products(product_ids: Iterable[int]) -> None:
    """Take these products out of the index (deleted products leave it by themselves)."""
    for ids in _chunks(product_ids):
        SearchEntry.objects.filter(product_id__in=ids).delete()


def rebuild_index(town_ids: Sequence[int] | None = None) -> RebuildCounts:
    """Make the index of these towns (every town when None) exactly match their public shops and products.

    Bulk SQL where the backend can; searches keep using the previous index until it commits.
    """
    backend = get_backend()
    with transaction.atomic():
        counts = backend.rebuild(None if town_ids is None else sorted(set(town_ids)))
    backend.after_rebuild()
    return counts


def _after_commit(function: Callable[[list[int]], None], ids: Iterable[int]) -> None:
    ids = list(ids)

    def run() -> None:
        # The change itself is saved: a failure here only leaves the index stale until the next rebuild.
        try:
            function(ids)
        except Exception:
            logger.exception("search index update failed: %s(%s)", function.__name__, ids[:20])

    transaction.on_commit(run)


def index_shops_on_commit(shop_ids: Iterable[int]) -> None:
    """`index_shops(shop_ids)` once the current transaction commits."""
    _after_commit(index_shops, shop_ids)


def index_products_on_commit(product_ids: Iterable[int]) -> None:
    """`index_products(product_ids)` once the current transaction commits."""
    _after_commit(index_products, product_ids)


def remove_products_on_commit(product_ids: Iterable[int]) -> None:
    """`remove_products(product_ids)` once the current transaction commits."""
    _after_commit(remove_products, product_ids)
