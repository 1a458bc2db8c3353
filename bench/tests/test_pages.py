"""The page benchmarks' pure parts: finding a shop and a product in the pages, the figures' last line."""

from __future__ import annotations

from bench import pages
from bench.run import Figures


def test_shop_and_product_links_are_found_once_each_in_order() -> None:
    directory = (
        '<a href="/argentan/commerces/fournil/">Fournil</a> <a href="/argentan/commerces/">Tous</a>'
        '<a href="/argentan/commerces/librairie/">Librairie</a> <a href="/argentan/commerces/fournil/">x</a>'
        '<a href="/alencon/commerces/ailleurs/">Ailleurs</a>'
    )
    shop = (
        '<a href="/argentan/commerces/fournil/produits/baguette/">Baguette</a>'
        '<a href="/argentan/commerces/autre/produits/pas-ici/">Autre</a>'
    )

    assert pages.shop_paths(directory, "argentan") == [
        "/argentan/commerces/fournil/",
        "/argentan/commerces/librairie/",
    ]
    assert pages.product_paths(shop, "/argentan/commerces/fournil/") == [
        "/argentan/commerces/fournil/produits/baguette/"
    ]


def test_ratio_line_compares_with_the_floor_of_the_same_run() -> None:
    floor = Figures(p50=1.0, p95=2.0, p99=3.0, rps=2000.0, errors=0)
    shop = Figures(p50=2.0, p95=4.0, p99=6.0, rps=1100.0, errors=0)

    line = pages.ratio_line("shop_page", "sqlite", shop, floor)

    assert line == (
        "bench=shop_page db=sqlite p50_ms=2.00 p95_ms=4.00 p99_ms=6.00 rps=1100.0 "
        "floor_rps=2000.0 ratio_to_floor=0.550"
    )
