"""SQLite: an FTS5 table over the stems of each entry (see `text.stem`), accents removed by its tokenizer.

The FTS5 table (migration 0002) indexes the town id and the stemmed title and body of search_entry, and
triggers keep it in step with every insert, update and delete. Ranking is FTS5's BM25, the title
weighing ten times the body.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from ..text import stem, stemmed_text
from .base import Match, SearchBackend, in_towns

FTS_TABLE = "search_entry_fts"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0


def _phrase(token: str) -> str:
    # Tokens are letters and digits only; quoting keeps FTS5 from reading any of them as an operator.
    return '"' + token.replace('"', "") + '"'


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def match(self, town_ids: Sequence[int], words: Sequence[str]) -> Match:
        towns = " OR ".join(_phrase(str(town_id)) for town_id in town_ids)
        terms = " AND ".join(_phrase(stem(word)) for word in words)
        expression = f"town_id : ({towns}) AND {{title_terms body_terms}} : ({terms})"
        town_condition, town_params = in_towns("e.town_id", town_ids)
        return Match(
            # CROSS JOIN keeps the full-text match as the outer loop, whatever the planner thinks.
            source=f"{FTS_TABLE} CROSS JOIN search_entry e ON e.id = {FTS_TABLE}.rowid",
            condition=f"{FTS_TABLE} MATCH %s AND {town_condition}",
            condition_params=[expression, *town_params],
            # bm25() is lower for better matches; the town column weighs nothing.
            score=f"-bm25({FTS_TABLE}, 0.0, {TITLE_WEIGHT}, {BODY_WEIGHT})",
        )

    def entry_terms(self, title: str, body: str) -> dict[str, str]:
        return {"title_terms": stemmed_text(title), "body_terms": stemmed_text(body)}

    def after_rebuild(self) -> None:
        # Merge the FTS5 segments written in small batches into one: faster searches afterwards.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
