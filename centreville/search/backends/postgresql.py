"""PostgreSQL: a generated `tsvector` per entry in the `centreville_french` configuration (accents removed
by unaccent, then the French Snowball stemmer), weighted A for the title and B for the body. Its words are
indexed under the entry's town (`search_town_keys`, GIN): a search reads its town's postings only, however
many towns share the platform. Everything is created by migrations 0002 and 0003.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from centreville.catalogue.models import Product, ProductCategory
from centreville.shops.models import Shop, ShopStatus, TradeCategory

from ..models import SearchEntry, SearchTerm
from ..text import MAX_VOCABULARY_LENGTH, MIN_VOCABULARY_LENGTH, STOP_WORDS
from .base import Match, RebuildCounts, SearchBackend, in_towns

CONFIG = "centreville_french"
# ts_rank weights for D, C, B, A: a word in the title always outranks words in the body.
RANK_WEIGHTS = "{0, 0, 0.05, 1}"


class PostgreSQLBackend(SearchBackend):
    vendor = "postgresql"

    def match(self, town_ids: Sequence[int], words: Sequence[str]) -> Match:
        """Entries holding every word's key in one of the towns (the keys carry the town), then the
        `tsvector` match itself, which defines a match and ranks it."""
        query = f"plainto_tsquery('{CONFIG}', %s)"
        text = " ".join(words)
        town_keys = " OR ".join(
            [f"search_town_keys(e.town_id, e.document) @> search_town_keys(%s, to_tsvector('{CONFIG}', %s))"]
            * len(town_ids)
        )
        return Match(
            source="search_entry e",
            condition=f"({town_keys}) AND e.document @@ {query}",
            condition_params=[*(param for town_id in town_ids for param in (town_id, text)), text],
            score=f"ts_rank('{RANK_WEIGHTS}', e.document, {query})",
            score_params=[text],
        )

    def rebuild(self, town_ids: Sequence[int] | None) -> RebuildCounts:
        """In SQL, from the live tables to the index: the tsvectors are computed by the database."""
        self.clear(town_ids)
        counts = RebuildCounts()
        published = ShopStatus.PUBLISHED.value
        shop_towns, shop_params = ("TRUE", []) if town_ids is None else in_towns("s.town_id", town_ids)
        product_towns, product_params = ("TRUE", []) if town_ids is None else in_towns("p.town_id", town_ids)
        entry_towns, entry_params = ("TRUE", []) if town_ids is None else in_towns("e.town_id", town_ids)
        entries, terms = SearchEntry._meta.db_table, SearchTerm._meta.db_table
        columns = "town_id, shop_id, product_id, title, body, title_terms, body_terms"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {entries} ({columns}) "
                f"SELECT s.town_id, s.id, NULL, left(s.name, 200), "
                f"concat_ws(' ', NULLIF(c.name, ''), NULLIF(s.description, '')), '', '' "
                f"FROM {Shop._meta.db_table} s JOIN {TradeCategory._meta.db_table} c ON c.id = s.category_id "
                f"WHERE s.status = %s AND {shop_towns} ORDER BY s.id",
                [published, *shop_params],
            )
            counts.entries += cursor.rowcount
            cursor.execute(
                f"INSERT INTO {entries} ({columns}) "
                f"SELECT p.town_id, p.shop_id, p.id, left(p.title, 200), "
                f"concat_ws(' ', NULLIF(pc.name, ''), NULLIF(p.description, '')), '', '' "
                f"FROM {Product._meta.db_table} p JOIN {Shop._meta.db_table} s ON s.id = p.shop_id "
                f"LEFT JOIN {ProductCategory._meta.db_table} pc ON pc.id = p.category_id "
                f"WHERE p.is_visible AND s.status = %s AND {product_towns} ORDER BY p.id",
                [published, *product_params],
            )
            counts.entries += cursor.rowcount
            # The same words as text.vocabulary_words(), split by the database.
            split = "regexp_split_to_table(lower(unaccent(e.title || ' ' || e.body)), '[^[:alnum:]]+')"
            cursor.execute(
                f"INSERT INTO {terms} (town_id, word, occurrences) "
                f"SELECT e.town_id, w.word, COUNT(*) FROM {entries} e CROSS JOIN LATERAL "
                f"{split} AS w(word) "
                f"WHERE {entry_towns} AND length(w.word) BETWEEN %s AND %s AND w.word !~ '^[0-9]+$' "
                f"AND w.word <> ALL(%s) GROUP BY e.town_id, w.word",
                [*entry_params, MIN_VOCABULARY_LENGTH, MAX_VOCABULARY_LENGTH, sorted(STOP_WORDS)],
            )
            counts.words = cursor.rowcount
        return counts

    def after_rebuild(self) -> None:
        # New entries wait in the GIN index's pending list, which every search would scan: merge them now.
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('search_entry_town_keys'::regclass)")
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}, {SearchTerm._meta.db_table}")
