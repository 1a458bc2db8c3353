"""search(): the same behaviour on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from centreville.baskets.tests.factories import NOW
from centreville.catalogue.models import Product
from centreville.catalogue.tests.factories import ProductFactory
from centreville.search.models import SearchEntry, SearchTerm
from centreville.search.selectors import SearchResults, search
from centreville.search.services import rebuild_index
from centreville.shops.models import Shop, ShopStatus
from centreville.towns.selectors import space_by_slug
from centreville.towns.tests.factories import TerritoryFactory

from .conftest import Centre

pytestmark = pytest.mark.django_db


def titles(results: SearchResults) -> list[str]:
    return [hit.title for hit in results.hits]


def test_accents_do_not_matter(centre: Centre) -> None:
    # Given "pâtisseries" in the bakery's description and "Éclair" in a product title
    # When searching without accents, or with accents the text does not have
    plain = search(centre.space, "patisseries", at=NOW)
    accented = search(centre.space, "pâtisseriés", at=NOW)
    eclair = search(centre.space, "ECLAIR", at=NOW)
    # Then the same things are found
    assert "Boulangerie du Marché" in titles(plain)
    assert titles(plain) == titles(accented)
    assert titles(eclair) == ["Éclair au chocolat"]


def test_plurals_and_singulars_find_each_other(centre: Centre) -> None:
    # Given "fromage" in the camembert's description and "Fromages" in the cheese shop's
    # When searching the plural, then the singular
    plural = titles(search(centre.space, "fromages", at=NOW))
    singular = titles(search(centre.space, "fromage", at=NOW))
    # Then both find both, and the plate of cheeses
    for found in (plural, singular):
        assert {"Camembert fermier", "Fromagerie Lemoine", "Plateau de fromages"} <= set(found)
    assert "Boulangerie du Marché" in titles(
        search(centre.space, "pain", at=NOW)
    )  # « pains » in its description


def test_one_typo_is_corrected_and_said(centre: Centre) -> None:
    # When a word is misspelt by one letter (missing, wrong or swapped)
    missing = search(centre.space, "boulangrie", at=NOW)
    wrong = search(centre.space, "camenbert", at=NOW)
    swapped = search(centre.space, "Fromagreie Lemoine", at=NOW)
    # Then the nearest word of the town is searched instead, and the results say so
    assert missing.corrected_query == "boulangerie"
    assert titles(missing) == ["Boulangerie du Marché"]
    assert wrong.corrected_query == "camembert"
    assert titles(wrong) == ["Camembert fermier"]
    assert swapped.corrected_query == "fromagerie Lemoine"
    assert titles(swapped) == ["Fromagerie Lemoine"]
    # and a correct query is left alone
    assert search(centre.space, "boulangerie", at=NOW).corrected_query is None


def test_words_two_typos_away_are_not_guessed(centre: Centre) -> None:
    results = search(centre.space, "bulangrie", at=NOW)
    assert results.corrected_query is None
    assert results.total == 0
    assert results.searched


def test_a_title_match_ranks_before_a_description_match(centre: Centre) -> None:
    # Given "levain" in the loaf's title and in the bakery's description only
    results = search(centre.space, "levain", at=NOW)
    # Then the loaf comes first
    assert titles(results) == ["Pain de campagne au levain", "Boulangerie du Marché"]
    assert results.hits[0].score > results.hits[1].score
    assert results.hits[0].kind == "product"
    assert results.hits[0].object == centre.loaf
    assert results.hits[1].kind == "shop"


def test_every_word_must_match(centre: Centre) -> None:
    assert titles(search(centre.space, "camembert fermier", at=NOW)) == ["Camembert fermier"]
    assert titles(search(centre.space, "camembert levain", at=NOW)) == []


def test_facets_count_the_matching_set(centre: Centre) -> None:
    # When searching "fromage": the cheese shop, its camembert and its plate
    results = search(centre.space, "fromage", at=NOW)
    facets = {facet.name: {value.value: value.count for value in facet.values} for facet in results.facets}
    # Then each facet counts them
    assert results.total == 3
    assert facets["kind"] == {"product": 2, "shop": 1}
    assert facets["trade"] == {"essai-fromagerie": 3}
    assert facets["product_category"] == {"essai-cremerie": 2}


def test_a_facet_filter_narrows_the_results_and_the_other_facets(centre: Centre) -> None:
    # When keeping only products, only shops, or only one product category
    products = search(centre.space, "fromage", kind="product", at=NOW)
    shops = search(centre.space, "fromage", kind="shop", at=NOW)
    dairy = search(centre.space, "fromage", product_category="essai-cremerie", at=NOW)
    # Then the results are filtered, each facet counting under the other filters
    assert products.total == 2
    assert {hit.kind for hit in products.hits} == {"product"}
    kind = next(facet for facet in products.facets if facet.name == "kind")
    assert {value.value: (value.count, value.active) for value in kind.values} == {
        "product": (2, True),
        "shop": (1, False),
    }
    assert titles(shops) == ["Fromagerie Lemoine"]
    assert dairy.total == 2
    # An unknown filter value (a stale link) is ignored
    assert search(centre.space, "fromage", trade="plus-de-metier", at=NOW).total == 3


def test_results_come_in_pages(centre: Centre) -> None:
    # Given 25 jams in the bakery
    for number in range(25):
        ProductFactory.create(shop=centre.bakery, title=f"Confiture maison n° {number}")
    rebuild_index([centre.town.pk])
    # When reading them ten at a time
    pages = [search(centre.space, "confitures", page=page, per_page=10, at=NOW) for page in (1, 2, 3)]
    # Then every jam shows exactly once
    assert [len(page.hits) for page in pages] == [10, 10, 5]
    assert len({hit.object.pk for page in pages for hit in page.hits}) == 25
    assert pages[0].num_pages == 3
    assert pages[0].has_next
    assert not pages[0].has_previous
    assert (pages[2].start_index, pages[2].end_index) == (21, 25)
    # and a page past the end shows the last one
    assert search(centre.space, "confiture", page=99, per_page=10, at=NOW).page == 3
    assert pages[0].page_numbers() == [1, 2, 3]


def test_page_numbers_leave_gaps() -> None:
    results = SearchResults(query="x", words=["x"], total=200, page=6, per_page=10)
    assert results.page_numbers() == [1, None, 4, 5, 6, 7, 8, None, 20]


def test_towns_do_not_see_each_other(centre: Centre) -> None:
    # Given a camembert in each town
    here = titles(search(centre.space, "camembert", at=NOW))
    there = titles(search(centre.other_space, "camembert", at=NOW))
    # Then each town finds its own
    assert here == ["Camembert fermier"]
    assert there == ["Camembert d'Alençon"]
    # and no town proposes another town's words as corrections
    assert search(centre.space, "alencn", at=NOW).corrected_query is None
    assert search(centre.other_space, "alencn", at=NOW).corrected_query == "alencon"


def test_a_territory_searches_all_its_towns(centre: Centre) -> None:
    territory = TerritoryFactory.create(name="Pays d'Argentan", slug="pays-argentan")
    for town in (centre.town, centre.other_town):
        town.territory = territory
        town.save()
    space = space_by_slug("pays-argentan")
    assert space is not None
    assert sorted(titles(search(space, "camembert", at=NOW))) == ["Camembert d'Alençon", "Camembert fermier"]


def test_hidden_and_unpublished_things_never_show_even_from_a_stale_index(centre: Centre) -> None:
    # The draft shop and the hidden product are not found
    assert titles(search(centre.space, "brie", at=NOW)) == []
    assert titles(search(centre.space, "livarot", at=NOW)) == []
    assert titles(search(centre.space, "crèmerie préparation", at=NOW)) == []
    # Given changes the index has not heard of yet
    Product.objects.filter(pk=centre.camembert.pk).update(is_visible=False)
    Shop.objects.filter(pk=centre.bakery.pk).update(status=ShopStatus.HIDDEN)
    assert SearchEntry.objects.filter(shop=centre.bakery).exists()
    # Then they show at once
    assert titles(search(centre.space, "camembert", at=NOW)) == []
    assert titles(search(centre.space, "levain", at=NOW)) == []
    results = search(centre.space, "fromage", at=NOW)
    assert titles(results) == ["Fromagerie Lemoine", "Plateau de fromages"] or titles(results) == [
        "Plateau de fromages",
        "Fromagerie Lemoine",
    ]
    assert results.total == 2
    assert {v.value: v.count for v in results.facets[0].values} == {"product": 1, "shop": 1}


@pytest.mark.parametrize("query", ["le la les", "?!… ;-)", "   ", "l' d' à", "x"])
def test_queries_of_stop_words_or_punctuation_search_nothing(centre: Centre, query: str) -> None:
    results = search(centre.space, query, at=NOW)
    assert not results.searched
    assert results.total == 0
    assert results.hits == []
    assert results.facets == []


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE shops_shop; --",
        'fromage" OR "1"="1',
        "fromage' OR '1'='1",
        "camembert* NEAR(fromage) town_id:1 {title_terms}: -x",
        "%_%",
        "fromage\x00",
        "SELECT * FROM search_entry",
    ],
)
def test_sql_or_fts_syntax_in_a_query_is_only_text(centre: Centre, query: str) -> None:
    results = search(centre.space, query, at=NOW)
    assert all(hit.object.town_id == centre.town.pk for hit in results.hits)
    assert Shop.objects.filter(pk=centre.bakery.pk).exists()
    assert SearchEntry.objects.exists()


def test_fts_operators_are_words(centre: Centre) -> None:
    # "camembert*" is the word camembert, not a prefix query; the town column cannot be reached
    assert titles(search(centre.space, "camembert*", at=NOW)) == ["Camembert fermier"]
    assert titles(search(centre.space, f"town_id {centre.other_town.pk}", at=NOW)) == []


def test_an_empty_query_searches_nothing(centre: Centre) -> None:
    results = search(centre.space, "", at=NOW)
    assert not results.searched
    assert results.total == 0


def test_a_query_longer_than_200_characters_is_refused(centre: Centre) -> None:
    with pytest.raises(ValidationError, match="trop longue"):
        search(centre.space, "pain " * 41, at=NOW)
    assert search(centre.space, ("pain " * 40)[:200], at=NOW).searched


def test_rebuilding_the_index_twice_changes_nothing(centre: Centre) -> None:
    entries = set(SearchEntry.objects.values_list("town_id", "shop_id", "product_id", "title", "body"))
    words = set(SearchTerm.objects.values_list("town_id", "word", "occurrences"))
    before = [titles(search(centre.space, query, at=NOW)) for query in ("fromage", "levain", "boulangrie")]

    rebuild_index()
    rebuild_index([centre.town.pk])

    assert (
        set(SearchEntry.objects.values_list("town_id", "shop_id", "product_id", "title", "body")) == entries
    )
    assert set(SearchTerm.objects.values_list("town_id", "word", "occurrences")) == words
    assert [
        titles(search(centre.space, query, at=NOW)) for query in ("fromage", "levain", "boulangrie")
    ] == before
    # 4 published shops (one elsewhere) and 6 visible products of published shops
    assert len(entries) == 4 + 6


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index of town keys")
def test_on_postgresql_words_are_indexed_under_their_town_and_read_through_that_index(centre: Centre) -> None:
    from centreville.search.backends import get_backend

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_town_keys(%s, to_tsvector('centreville_french', %s))",
            [centre.town.pk, "Pains de campagne"],
        )
        assert sorted(cursor.fetchone()[0]) == [f"{centre.town.pk}:campagn", f"{centre.town.pk}:pain"]
        match = get_backend().match([centre.town.pk], ["pain"])
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT e.id FROM {match.source} WHERE {match.condition}", match.condition_params
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "search_entry_town_keys" in plan


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's French stop words")
def test_a_word_only_postgresql_takes_for_a_stop_word_finds_nothing(centre: Centre) -> None:
    # « serait » is not one of our stop words: searched, but it has no key, and nothing matches
    results = search(centre.space, "serait", at=NOW)

    assert results.searched
    assert results.total == 0


def test_hits_link_to_shop_and_product_pages(centre: Centre) -> None:
    results = search(centre.space, "levain", at=NOW)
    assert results.hits[0].url == f"/argentan/commerces/{centre.bakery.slug}/produits/{centre.loaf.slug}/"
    assert results.hits[1].url == f"/argentan/commerces/{centre.bakery.slug}/"


def test_snippets_mark_the_words_found(centre: Centre) -> None:
    hit = search(centre.space, "fromages", at=NOW).hits
    camembert = next(h for h in hit if h.title == "Camembert fermier")
    assert [fragment.text for fragment in camembert.snippet if fragment.matched] == ["fromage"]


def test_a_page_costs_a_few_queries(centre: Centre, django_assert_max_num_queries: object) -> None:
    for number in range(30):
        ProductFactory.create(shop=centre.cheese_shop, title=f"Fromage de chèvre n° {number}")
    rebuild_index([centre.town.pk])
    # Facets, the page, its shops and products, then the shops' closures and photos and the products' photos.
    # Two more than the page itself: who handles the shops and their closures, for the basket buttons.
    with django_assert_max_num_queries(11):  # type: ignore[operator]
        results = search(centre.space, "fromage", at=NOW)
        assert len(results.hits) == 20
