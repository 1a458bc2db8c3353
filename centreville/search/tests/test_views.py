"""The search page: a plain GET form, results, facets and pages as links, French errors."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client

from centreville.activity.models import DailyCount, Metric, SearchWithoutResult
from centreville.catalogue.tests.factories import ProductFactory
from centreville.search.services import rebuild_index
from centreville.towns.models import Town
from centreville.towns.tests.factories import TerritoryFactory

from .conftest import Centre

pytestmark = pytest.mark.django_db


def searches_counted(centre: Centre) -> int:
    return sum(
        DailyCount.objects.filter(town=centre.town, metric=Metric.SEARCH, shop=None).values_list(
            "count", flat=True
        )
    )


def test_without_a_query_the_page_shows_the_form_only(client: Client, centre: Centre) -> None:
    response = client.get("/argentan/recherche/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_q">Rechercher un commerce ou un produit' in html
    assert 'role="search"' in html
    assert "résultat" not in html
    assert searches_counted(centre) == 0


def test_results_link_to_shops_and_products(client: Client, centre: Centre) -> None:
    response = client.get("/argentan/recherche/", {"q": "levain"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 résultats" in html
    assert f'href="/argentan/commerces/{centre.bakery.slug}/produits/{centre.loaf.slug}/"' in html
    assert f'href="/argentan/commerces/{centre.bakery.slug}/"' in html
    assert "<mark>levain</mark>" in html
    assert 'value="levain"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert searches_counted(centre) == 1


def test_facets_are_links_with_counts_and_the_active_one_is_marked(client: Client, centre: Centre) -> None:
    html = client.get("/argentan/recherche/", {"q": "fromage", "type": "produit"}).content.decode()
    assert "2 résultats" in html
    assert re.search(r'<a href="\?q=fromage&amp;type=produit" aria-current="true"><span>Produits', html)
    assert re.search(r'<a href="\?q=fromage&amp;type=commerce"><span>Commerces</span> ', html)
    assert '<a href="?q=fromage">' in html  # every type
    assert 'Fromagerie (essai)</span> <span class="search-count">(2)</span>' in html
    # following the trade facet keeps the type
    response = client.get(
        "/argentan/recherche/", {"q": "fromage", "type": "produit", "metier": "essai-fromagerie"}
    )
    assert "2 résultats" in response.content.decode()


def test_a_corrected_query_is_said(client: Client, centre: Centre) -> None:
    html = client.get("/argentan/recherche/", {"q": "boulangrie"}).content.decode()
    assert "Aucun résultat pour « boulangrie ». Résultats pour « <strong>boulangerie</strong> »." in html
    assert "Boulangerie du Marché" in html


def test_nothing_found_says_so(client: Client, centre: Centre) -> None:
    html = client.get("/argentan/recherche/", {"q": "tournevis"}).content.decode()
    assert "Aucun résultat" in html
    assert "Essayez un autre mot" in html


def test_stop_words_only_ask_for_more(client: Client, centre: Centre) -> None:
    html = client.get("/argentan/recherche/", {"q": "le la les"}).content.decode()
    assert "Précisez votre recherche" in html
    assert searches_counted(centre) == 0


def test_a_too_long_query_gets_a_french_error(client: Client, centre: Centre) -> None:
    response = client.get("/argentan/recherche/", {"q": "pain " * 50})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Votre recherche est trop longue : 200 caractères au plus." in html
    assert 'aria-invalid="true"' in html
    assert searches_counted(centre) == 0


def test_pages_are_links(client: Client, centre: Centre) -> None:
    for number in range(45):
        ProductFactory.create(shop=centre.bakery, title=f"Confiture n° {number}")
    rebuild_index([centre.town.pk])
    html = client.get("/argentan/recherche/", {"q": "confiture", "page": "2"}).content.decode()
    assert "Résultats 21 à 40 sur 45" in html
    assert '<a href="?q=confiture&amp;page=2" aria-current="page">' in html
    assert '<a href="?q=confiture&amp;page=1" rel="prev">Page précédente</a>' in html
    assert '<a href="?q=confiture&amp;page=3" rel="next">Page suivante</a>' in html
    # a broken page number shows the first page
    html = client.get("/argentan/recherche/", {"q": "confiture", "page": "abc"}).content.decode()
    assert "Résultats 1 à 20 sur 45" in html


def test_each_town_searches_its_own_shops(client: Client, centre: Centre) -> None:
    html = client.get("/alencon/recherche/", {"q": "camembert"}).content.decode()
    assert "Camembert d&#x27;Alençon" in html
    assert "Camembert fermier" not in html
    assert client.get("/nulle-part/recherche/", {"q": "pain"}).status_code == 404


def test_a_search_page_costs_a_few_queries(
    client: Client, centre: Centre, django_assert_max_num_queries: object
) -> None:
    for number in range(30):
        ProductFactory.create(shop=centre.cheese_shop, title=f"Fromage n° {number}")
    rebuild_index([centre.town.pk])
    # 2 for the basket buttons, and counting the search (its row and the town total): written at once in tests
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        response = client.get("/argentan/recherche/", {"q": "fromage"})
    assert response.status_code == 200


def test_only_get_is_allowed(client: Client, centre: Centre) -> None:
    assert client.post("/argentan/recherche/", {"q": "pain"}).status_code == 405


def test_the_header_search_box_sends_to_the_search_page(centre: Centre) -> None:
    html = render_to_string("search/_header_form.html", {"space": centre.space})
    assert 'action="/argentan/recherche/"' in html
    assert '<label for="recherche-entete">' in html
    assert 'id="recherche-entete" name="q" maxlength="200"' in html


def test_what_people_type_is_shown_as_text(client: Client, centre: Centre) -> None:
    html = client.get("/argentan/recherche/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<title>Recherche « &lt;script&gt;alert(1)&lt;/script&gt; »" in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_results_show_photo_stock_opening_state_and_an_add_button(client: Client, centre: Centre) -> None:
    from centreville.catalogue.photos import product_photo_add
    from centreville.core.tests.samples import valid_upload
    from centreville.shops.models import Shop
    from centreville.shops.tests.factories import ShopMembershipFactory

    Shop.objects.filter(pk=centre.cheese_shop.pk).update(offers_click_collect=True, opening_hours="24/7")
    ShopMembershipFactory.create(shop=centre.cheese_shop)  # someone to handle the orders
    product_photo_add(
        product=centre.camembert, upload=valid_upload((600, 600)), alt_text="Un camembert entier"
    )
    search = "/argentan/recherche/?q=camembert"

    html = client.get(search).content.decode()
    response = client.post(
        "/argentan/panier/ajouter/",
        {"product": centre.camembert.pk, "next": "/argentan/recherche/?q=camembert"},
    )
    back = client.get(response["Location"]).content.decode()

    result = html[html.index('class="search-result"') :]
    assert 'alt="Un camembert entier"' in result
    assert " 320w" in result
    assert "En stock" in result
    assert "Ouvert" in result
    assert f'<input type="hidden" name="product" value="{centre.camembert.pk}">' in result
    assert response["Location"] == search
    assert "« Camembert fermier » est dans votre panier" in back.replace("&#x27;", "'")


def test_a_shop_result_says_whether_it_is_open_and_shows_a_placeholder_without_photo(
    client: Client, centre: Centre
) -> None:
    html = client.get("/argentan/recherche/", {"q": "librairie"}).content.decode()

    result = html[html.index('class="search-result"') :]
    assert 'class="opening opening-' in result
    assert "card-photo-none card-photo-shop" in result
    assert "Ajouter au panier" not in result


def test_a_search_that_finds_nothing_keeps_its_words_and_nothing_about_who_searched(
    client: Client, centre: Centre
) -> None:
    # Given a visitor with a session cookie and an address, searching for what no shop sells
    client.cookies["sessionid"] = "abc"
    client.get("/argentan/recherche/", {"q": "  Réparation   de VÉLOS "}, REMOTE_ADDR="203.0.113.7")
    client.get("/argentan/recherche/", {"q": "réparation de vélos"})
    client.get("/argentan/recherche/", {"q": "levain"})  # found
    client.get("/argentan/recherche/", {"q": "tournevis", "type": "commerce"})  # narrowed by a filter
    client.get("/argentan/recherche/", {"q": "le la les"})  # nothing to search for

    # Then the town keeps the normalised words and how many times, and nothing else
    rows = list(SearchWithoutResult.objects.values("town_id", "query", "count"))
    assert rows == [{"town_id": centre.town.pk, "query": "reparation de velos", "count": 2}]
    assert DailyCount.objects.get(town=centre.town, metric=Metric.SEARCH_NO_RESULT).count == 2
    stored = str(list(SearchWithoutResult.objects.values()))
    assert "203.0.113.7" not in stored
    assert "abc" not in stored
    assert searches_counted(centre) == 4


def test_a_search_that_finds_nothing_in_a_territory_counts_for_each_town(
    client: Client, centre: Centre
) -> None:
    territory = TerritoryFactory.create(slug="pays-argentan")
    Town.objects.filter(pk__in=[centre.town.pk, centre.other_town.pk]).update(territory=territory)

    client.get("/pays-argentan/recherche/", {"q": "horloger"})

    assert sorted(SearchWithoutResult.objects.values_list("town_id", "query")) == sorted(
        [(centre.town.pk, "horloger"), (centre.other_town.pk, "horloger")]
    )
