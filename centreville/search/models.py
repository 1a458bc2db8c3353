"""The search index: one denormalised row per published shop and per visible product, and its vocabulary.

Each backend adds its own structures beside these tables (see the migrations and `backends/`): a
generated `tsvector` column on PostgreSQL, an FTS5 table kept in step by triggers on SQLite. The index
may lag behind the shops and products; searches join the live tables, so nothing hidden ever shows.
"""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    """A shop (product is null) or a product, with the text it is found by."""

    town = models.ForeignKey("towns.Town", on_delete=models.CASCADE, related_name="+")
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    # Stems of the title and body (centreville.search.text.stemmed_text), for SQLite's FTS5 table only.
    title_terms = models.TextField(blank=True, default="")
    body_terms = models.TextField(blank=True, default="")

    class Meta:
        db_table = "search_entry"
        constraints = [
            models.UniqueConstraint(
                fields=["shop"], condition=models.Q(product__isnull=True), name="search_entry_one_per_shop"
            ),
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(product__isnull=False),
                name="search_entry_one_per_product",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SearchTerm(models.Model):
    """A word found in a town's index, that typo corrections may propose, and how often it occurs there."""

    town = models.ForeignKey("towns.Town", on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=40)
    occurrences = models.PositiveIntegerField(default=1)

    class Meta:
        db_table = "search_term"
        constraints = [models.UniqueConstraint(fields=["town", "word"], name="search_term_once_per_town")]

    def __str__(self) -> str:
        return self.word
