"""The market day's own parts: its arguments, the baskets and their schedule, the merchants' steps, the
oversold count, the figures' lines; and, on PostgreSQL with Redis, a short market on two real servers."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from bench import checkout
from bench.market_day import (
    MarketPlan,
    Stats,
    checkout_schedule,
    count_oversold,
    count_stock_mismatch,
    cpu_line,
    market_basket,
    order_steps,
    parse_args,
    result_line,
    slowest_routes,
)
from bench.run import BASE_DIR

SHOPS = [(shop, [shop * 10 + n for n in range(4)]) for shop in range(1, 9)]
PLAN = MarketPlan(
    checkout=checkout.Plan(town="essai", shops=SHOPS, relay_point_id=1),
    last_units=[10, 30],
    initial_stock={},
    pages={},
    account_pages=[],
    residents=[],
    merchants=[],
    manager="",
    password="",
)


def test_five_minutes_thirty_baskets_a_minute_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BENCH_MARKET_DAY_POSTGRES_URL", raising=False)
    monkeypatch.delenv("BENCH_MARKET_DAY_REDIS_URL", raising=False)

    args = parse_args([])

    assert (args.duration, args.checkouts_per_minute, args.time_limit) == (300, 30, 600)
    assert args.redis_url.endswith("/10")
    assert args.postgres_url.endswith("/centreville_bench_market_day")


@pytest.mark.parametrize(
    "arguments", [["--duration", "0"], ["--merchants", "0"], ["--shops", "3"], ["--last-units", "41"]]
)
def test_a_market_that_cannot_run_is_refused(arguments: list[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(arguments)


def test_baskets_come_every_two_seconds_whatever_the_site_answers() -> None:
    schedule = checkout_schedule(300, 30)

    assert len(schedule) == 150
    assert schedule[:3] == [0, 2, 4]
    assert schedule[-1] == 298
    assert checkout_schedule(20, 30) == [2 * n for n in range(10)]


def test_a_basket_holds_one_to_four_shops_and_sometimes_the_last_units() -> None:
    rng = random.Random(3)
    shop_of = {product: shop for shop, products in SHOPS for product in products}

    baskets = [market_basket(PLAN, rng) for _ in range(400)]

    shop_counts = {len({shop_of[product] for product, _ in basket}) for basket in baskets}
    assert shop_counts == {1, 2, 3, 4}
    assert all(1 <= quantity <= 2 for basket in baskets for _, quantity in basket)
    with_last_units = [basket for basket in baskets if any(p in PLAN.last_units for p, _ in basket)]
    assert 40 < len(with_last_units) < 130  # a fifth of them
    assert all(sum(p in PLAN.last_units for p, _ in basket) == 1 for basket in with_last_units)
    assert all(len({p for p, _ in basket}) == len(basket) for basket in baskets)  # a product once


def test_a_product_is_oversold_below_zero_or_when_more_was_ordered_than_there_was() -> None:
    initial = {1: 3, 2: 10, 3: 5, 4: 0}
    ordered = {1: 3, 2: 11, 4: 0}
    stock: dict[int, int | None] = {1: 0, 2: 0, 3: -1, 4: 0}

    assert count_oversold(initial, ordered, stock) == 2  # 2 (11 of 10) and 3 (stock below zero)
    assert count_stock_mismatch(initial, ordered, stock) == 2  # 2: 10 - 11 is not 0; 3: 5 - 0 is not -1


def test_the_merchant_finds_the_steps_to_accept_and_to_say_ready() -> None:
    page = """
    <form method="post" action="/essai/espace-commercant/commandes/A1/etape/" hx-post="x">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input type="hidden" name="to_status" value="accepted">
      <button type="submit">Accepter</button>
    </form>
    <details class="order-refuse"><summary>Refuser</summary>
      <form method="post" action="/essai/espace-commercant/commandes/A1/etape/" novalidate>
        <input type="hidden" name="to_status" value="refused">
      </form></details>
    <form method="post" action="/essai/espace-commercant/commandes/B2/etape/">
      <input type="hidden" name="to_status" value="ready">
    </form>"""

    assert order_steps(page) == [
        ("/essai/espace-commercant/commandes/A1/etape/", "accepted"),
        ("/essai/espace-commercant/commandes/B2/etape/", "ready"),
    ]


def test_the_last_line_gives_the_figures_in_the_issues_order() -> None:
    stats = Stats()
    for ms in (10, 20, 30):
        stats.record("browse", ms / 1000, True)
        stats.record("signed_in", 2 * ms / 1000, True)
    stats.record("checkout", 0.2, True)
    stats.record("merchant", 0, False, "500 /essai/espace-commercant/commandes/")
    stats.refuse("checkout: 409 {'detail': 'stock'}")

    line = result_line(stats, oversold=0, stock_mismatch=0, client_cpu_pct=3.14)

    assert line == (
        "bench=market_day errors=1 p95_ms_browse=30.0 p95_ms_signed_in=60.0 p95_ms_checkout=200.0 "
        "checkouts=1 oversold=0 refused=1 requests=8 p95_ms_merchant=nan p95_ms_dashboard=nan "
        "stock_mismatch=0 client_cpu_pct=3.1"
    )


def test_the_slowest_routes_are_read_from_the_servers_json_request_log(tmp_path: Path) -> None:
    log = tmp_path / "server-1.log"
    entries = [{"route": "catalogue:shop", "duration_ms": ms, "queries": 9} for ms in (5, 6, 7, 8, 90)]
    entries += [{"route": "ping", "duration_ms": 1, "queries": 0}] * 5
    log.write_text("[gunicorn] booting\n" + "\n".join(json.dumps(entry) for entry in entries) + "\n")

    lines = slowest_routes([log])

    assert lines[0].startswith("catalogue:shop")
    assert "p95    90.0 ms" in lines[0]
    assert "max 9" in lines[0]
    assert lines[1].startswith("ping")


def test_the_cpu_line_leaves_to_the_rest_what_no_process_started_used() -> None:
    before = {"server-1": 10.0, "worker-1": 1.0, "client": 2.0, "imports": 0.0, "machine": 100.0}
    after = {"server-1": 70.0, "worker-1": 21.0, "client": 5.0, "imports": 4.0, "machine": 250.0}

    line = cpu_line(before, after, seconds=100)

    assert line.startswith("cpu seconds during the market: server-1 60, worker-1 20, client 3, imports 4, ")
    assert "PostgreSQL, Redis and the rest 63; machine 150 of " in line


def services_answer() -> bool:
    status = subprocess.run(
        [sys.executable, "scripts/check_services.py"], cwd=BASE_DIR, check=False
    ).returncode
    if status == 2:
        pytest.fail("PostgreSQL and Redis are required under CI")
    return status == 0


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs with the PostgreSQL and Redis pass")
def test_a_short_market_on_two_servers_answers_everyone_and_oversells_nothing() -> None:
    if not services_answer():
        pytest.skip("PostgreSQL or Redis unreachable")
    # Its own databases (BENCH_MARKET_DAY_POSTGRES_URL, BENCH_MARKET_DAY_REDIS_URL), emptied first.
    command = [sys.executable, "-m", "bench.market_day", "--duration", "20", "--import-every", "8"]
    command += ["--browsers", "3", "--residents", "2", "--merchants", "2", "--time-limit", "240"]
    done = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, timeout=300, check=False)

    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert last.startswith("bench=market_day "), done.stdout[-3000:] + done.stderr[-3000:]
    figures = dict(pair.split("=", 1) for pair in last.split())
    assert (figures["errors"], figures["oversold"], figures["stock_mismatch"]) == ("0", "0", "0"), done.stdout
    assert int(figures["checkouts"]) > 0
    assert done.returncode == 0
