"""A Saturday morning on the market: one town, two app servers, everyone at once, for five minutes.

    python -m bench.market_day [--duration 300] [--checkouts-per-minute 30] [--browsers 8] [--residents 6] \\
        [--merchants 4] [--shops 40] [--products-per-shop 8] [--last-units 6] [--import-every 60] \\
        [--postgres-url URL] [--redis-url URL] [--log-dir DIR] [--time-limit 600]

Its own PostgreSQL database (BENCH_MARKET_DAY_POSTGRES_URL) is dropped and created at each run, its own Redis
database (BENCH_MARKET_DAY_REDIS_URL) emptied; then migrate, and one town is made in this process with the
project's own code: the town of `bench.checkout` (shops taking Click & Collect orders at any hour, slots that
never fill, a relay point) with French product names, a stock a shop keeps (20 to 120) and a few "last
units" products (2 to 4 left) that many baskets ask for, so that overselling is tried; merchants holding
the shops, the town's manager, residents with accounts; the search index built. Then, with the production
settings of the scale-out rehearsal (`bench.scaleout_settings`), two gunicorns, two task workers and the
scheduler (a round a minute) run on 127.0.0.1, and these people come, each request to either server:

- anonymous residents browse (town home, directory, shop and product pages, searches in French): the page
  cache answers most of it; `p95_ms_browse`;
- signed-in residents browse the same pages, never cached for them, and their account and orders pages;
  `p95_ms_signed_in`;
- baskets are checked out on an open-loop schedule (`--checkouts-per-minute`, 30 by default: one every
  2 s, whatever the site's speed), each across 1 to 4 shops, by a new guest who hesitates 2 to 12 s
  between the basket and the checkout (long enough for someone else to take the last units), through
  the JSON API as `bench.checkout` does (the same checkout service the web form calls, whose answers say
  plainly what was placed or refused, and whose latency compares with that benchmark's); `p95_ms_checkout`
  is the latency of the request that places the orders. A 409 (an article or a slot gone meanwhile) is
  the site refusing properly: counted as `refused`, not as an error;
- merchants, signed in, each holding a share of the shops, open one shop's orders of the day after the
  other (`?commerce=`, as someone running several shops does) and move the new ones through accept, then
  ready, with the back office's own forms (CSRF included) as its script posts them (htmx: the day's
  sections come back in the answer);
- the manager refreshes the town's dashboard every 10 to 20 s;
- footfall counts are imported (`manage.py import_counts`, vendor files of `bench.footfall_import`) every
  `--import-every` seconds in a separate process, on the same database.

Any answer other than the one expected, a timeout or a failed connection is an error. At the end, the
database says how many products were oversold: stock below zero, or more ordered (in orders not cancelled,
refused or expired) than there was.

The load comes from the project's own client (`bench.load`'s keep-alive connections and minimal parser,
`bench.checkout`'s guests, `bench.scaleout`'s signed-in browser), one thread per simulated person, not from
Locust: on a 2-core machine the servers, PostgreSQL, Redis and the workers share the CPU with the client,
and a gevent-based tool with its own statistics machinery would take a share billed to the servers; this
client is already used and tested by the other benchmarks, and its CPU use is printed (`client_cpu_pct`).

Per-kind lines (p50, p95, count, errors) come first, then the server side's slowest routes (from the JSON
request log: duration and SQL queries), and the last line reads
`bench=market_day errors=… p95_ms_browse=… p95_ms_signed_in=… p95_ms_checkout=… checkouts=… oversold=…
refused=… requests=… p95_ms_merchant=… p95_ms_dashboard=… stock_mismatch=… client_cpu_pct=…`.
Every process started is killed on the way out, and the whole run is bounded by --time-limit.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from urllib.parse import quote

from bench import checkout
from bench.footfall_import import vendor_files
from bench.load import Connection, ProtocolError, Target, parse_target
from bench.run import BASE_DIR
from bench.scaleout import (
    Merchant,
    Processes,
    get,
    manage,
    own_databases_ready,
    platform_env,
    start_servers,
    time_limit,
)

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_market_day"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
KINDS = ("browse", "signed_in", "checkout", "merchant", "dashboard", "import")
TIMEOUT = 30.0
SCHEDULER_MINUTES = "1"
CHECKOUT_THREADS = 16  # baskets in flight at once before the schedule waits: far more than it needs
SHOPS_PER_BASKET_WEIGHTS = (35, 30, 20, 15)  # 1, 2, 3 or 4 shops
LAST_UNITS_SHARE = 0.2  # baskets asking for one of the "last units" products
HESITATION_SECONDS = (2.0, 12.0)  # between the basket filled and the checkout
STEPS_PER_VISIT = 6  # orders a merchant moves on at each look at the day's orders
HTMX = {"HX-Request": "true"}  # what the back office's script adds to its requests
# What people browse, and how often.
PAGE_WEIGHTS = {"home": 10, "directory": 10, "shop": 30, "product": 35, "search": 15}
ACCOUNT_SHARE = 0.1  # signed-in residents: their account and orders pages
PRODUCT_NAMES = (
    "Pain de campagne", "Baguette tradition", "Croissant au beurre", "Camembert de Normandie",
    "Pont-l'Évêque fermier", "Livarot AOP", "Cidre brut fermier", "Pommeau de Normandie",
    "Calvados hors d'âge", "Confiture de fraises", "Miel de fleurs", "Caramel au beurre salé",
    "Tomates anciennes", "Pommes de terre nouvelles", "Poireaux du jardin", "Carottes des sables",
    "Œufs fermiers", "Beurre demi-sel", "Crème fraîche d'Isigny", "Andouille de Vire",
    "Terrine de campagne", "Jambon cuit à l'os", "Savon au lait d'ânesse", "Bougie parfumée",
    "Roman policier", "Carnet de notes", "Bouquet de saison", "Plant de tomate cerise",
    "Sablés normands", "Teurgoule maison", "Café moulu", "Thé vert au jasmin",
    "Chocolat noir 70 %", "Écharpe en laine", "Bonnet tricoté", "Tasse en grès",
    "Jeu de cartes", "Piles rechargeables", "Ampoule LED", "Croquettes pour chat",
)  # fmt: skip
SEARCHES = (
    "pain", "camembert", "cidre", "confiture fraise", "beurre salé", "pomme", "chocolat", "écharpe",
    "fromage normand", "miel", "teurgoule", "calvados",
)  # fmt: skip
# Orders whose articles went back on the shelf (or were never taken): not counted as sold.
RETURNED_STATUSES = ("refused", "cancelled", "shop_cancelled", "not_collected", "expired")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.market_day", description="A Saturday morning on the market, on two app servers."
    )
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_MARKET_DAY_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_MARKET_DAY_REDIS_URL", DEFAULT_REDIS_URL)
    )
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of the market")
    parser.add_argument("--checkouts-per-minute", type=float, default=30.0, help="baskets checked out")
    parser.add_argument("--browsers", type=int, default=8, help="anonymous residents browsing at once")
    parser.add_argument("--residents", type=int, default=6, help="signed-in residents browsing at once")
    parser.add_argument(
        "--merchants", type=int, default=4, help="merchants, each holding a share of the shops"
    )
    parser.add_argument("--shops", type=int, default=40)
    parser.add_argument("--products-per-shop", type=int, default=8)
    parser.add_argument("--last-units", type=int, default=6, help="products with 2 to 4 units left")
    parser.add_argument("--import-every", type=float, default=60.0, help="seconds between footfall imports")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--log-dir", type=Path, default=None, help="keep the processes' logs there")
    parser.add_argument("--time-limit", type=float, default=None, help="seconds (default: duration + 300)")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.checkouts_per_minute <= 0 or args.import_every <= 0:
        parser.error("duration, checkouts per minute and the import interval must be positive")
    if min(args.browsers, args.residents, args.merchants) < 1:
        parser.error("at least one browser, one resident and one merchant")
    if args.shops < len(SHOPS_PER_BASKET_WEIGHTS) or args.products_per_shop < 3:
        parser.error(f"at least {len(SHOPS_PER_BASKET_WEIGHTS)} shops of 3 products each are needed")
    if not 0 <= args.last_units <= args.shops:
        parser.error("last-units products: at most one per shop")
    if args.time_limit is None:
        args.time_limit = args.duration + 300
    return args


# --- The town --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketPlan:
    checkout: checkout.Plan  # the town, each shop's products, the relay point
    last_units: list[int]  # products with a few units left
    initial_stock: dict[int, int]  # product id: stock when the market opens
    pages: dict[str, list[str]]  # what people browse, by kind of page (PAGE_WEIGHTS)
    account_pages: list[str]
    residents: list[str]
    merchants: list[tuple[str, list[str]]]  # e-mail, and the slugs of the shops they hold
    manager: str
    password: str


def prepare(args: argparse.Namespace) -> MarketPlan:
    """Migrate, collect the static files, and make the market's town (in Django, this process)."""
    from django.core.management import call_command

    from centreville.accounts.tests.factories import DEFAULT_PASSWORD, TownRoleFactory, UserFactory
    from centreville.catalogue.models import Product
    from centreville.shops.models import Shop
    from centreville.shops.tests.factories import ShopMembershipFactory
    from centreville.towns.models import Town

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    plan = checkout.prepare(args.shops, args.products_per_shop)
    town = Town.objects.get(slug=plan.town)
    rng = random.Random(args.seed)
    shops = list(Shop.objects.filter(pk__in=[shop_id for shop_id, _ in plan.shops]).order_by("pk"))
    # One product of every few shops has its last units; the others a stock a shop keeps.
    step = max(1, len(plan.shops) // max(1, args.last_units))
    last_units = [products[0] for _shop_id, products in plan.shops[::step][: args.last_units]]
    products = list(Product.objects.filter(pk__in=[p for _, ids in plan.shops for p in ids]).order_by("pk"))
    for number, product in enumerate(products):
        product.title = PRODUCT_NAMES[number % len(PRODUCT_NAMES)]
        product.stock = rng.randint(2, 4) if product.pk in last_units else rng.randint(20, 120)
    Product.objects.bulk_update(products, ["title", "stock"])
    merchants = [UserFactory.create(email=f"commercant{n + 1}@example.fr") for n in range(args.merchants)]
    for number, shop in enumerate(shops):
        ShopMembershipFactory.create(shop=shop, user=merchants[number % len(merchants)])
    manager = TownRoleFactory.create(town=town, user__email="gestion@example.fr").user
    residents = [UserFactory.create(email=f"habitant{n + 1}@example.fr") for n in range(args.residents)]
    call_command("search_rebuild", "--town", town.slug, verbosity=0)
    town_path = f"/{town.slug}/"
    slugs = {shop.pk: shop.slug for shop in shops}
    pages = {
        "home": [town_path],
        "directory": [f"{town_path}commerces/"],
        "shop": [f"{town_path}commerces/{slug}/" for slug in slugs.values()],
        "product": [
            f"{town_path}commerces/{slugs[product.shop_id]}/produits/{product.slug}/" for product in products
        ],
        "search": [f"{town_path}recherche/?q={quote(words)}" for words in SEARCHES],
    }
    return MarketPlan(
        checkout=plan,
        last_units=last_units,
        initial_stock={product.pk: int(product.stock or 0) for product in products},
        pages=pages,
        account_pages=["/compte/espace/", f"{town_path}commande/"],
        residents=[user.email for user in residents],
        merchants=[
            (user.email, [shop.slug for shop in shops[number :: len(merchants)]])
            for number, user in enumerate(merchants)
        ],
        manager=manager.email,
        password=DEFAULT_PASSWORD,
    )


def market_basket(plan: MarketPlan, rng: random.Random) -> list[tuple[int, int]]:
    """(product id, quantity): 1 or 2 articles of each of 1 to 4 shops, sometimes one of the last units."""
    count = rng.choices(range(1, len(SHOPS_PER_BASKET_WEIGHTS) + 1), weights=SHOPS_PER_BASKET_WEIGHTS)[0]
    shops = rng.sample(plan.checkout.shops, count)
    lines = []
    if plan.last_units and rng.random() < LAST_UNITS_SHARE:
        wanted = rng.choice(plan.last_units)
        home = next(shop for shop in plan.checkout.shops if wanted in shop[1])
        if home not in shops:
            shops[0] = home
        lines.append((wanted, rng.randint(1, 2)))
    for _shop_id, products in shops:
        everyday = [product for product in products if product not in plan.last_units]
        for product in rng.sample(everyday, rng.randint(1, min(2, len(everyday)))):
            lines.append((product, rng.randint(1, 2)))
    return lines


def checkout_schedule(duration: float, per_minute: float) -> list[float]:
    """Seconds from the start at which each basket is checked out: evenly spaced, within `duration`."""
    interval = 60.0 / per_minute
    return [number * interval for number in range(math.ceil(duration / interval - 1e-9))]


def count_oversold(initial: dict[int, int], ordered: dict[int, int], stock: dict[int, int | None]) -> int:
    """Products whose stock went below zero, or of which more was ordered than there was."""
    return sum(
        1
        for product, before in initial.items()
        if (stock.get(product) or 0) < 0 or ordered.get(product, 0) > before
    )


def count_stock_mismatch(
    initial: dict[int, int], ordered: dict[int, int], stock: dict[int, int | None]
) -> int:
    """Products whose stock now is not what was there less what was ordered (a lost or doubled update)."""
    return sum(
        1 for product, before in initial.items() if stock.get(product) != before - ordered.get(product, 0)
    )


def stock_figures(plan: MarketPlan) -> tuple[int, int]:
    """(oversold, stock_mismatch) read from the database after the market."""
    from django.db.models import Sum

    from centreville.catalogue.models import Product
    from centreville.orders.models import OrderLine

    lines = OrderLine.objects.filter(product_id__in=plan.initial_stock, variant__isnull=True).exclude(
        order__status__in=RETURNED_STATUSES
    )
    ordered = {
        product: int(quantity)
        for product, quantity in lines.values("product_id")
        .annotate(sold=Sum("quantity"))
        .values_list("product_id", "sold")
    }
    stock = dict(Product.objects.filter(pk__in=plan.initial_stock).values_list("pk", "stock"))
    return (
        count_oversold(plan.initial_stock, ordered, stock),
        count_stock_mismatch(plan.initial_stock, ordered, stock),
    )


# --- What happened ---------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    return checkout.percentile(sorted_values, p)


@dataclass
class Kind:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    failures: Counter[str] = field(default_factory=Counter)


@dataclass
class Stats:
    kinds: dict[str, Kind] = field(default_factory=lambda: {name: Kind() for name in KINDS})
    refused: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, ok: bool, failure: str = "") -> None:
        with self.lock:
            record = self.kinds[kind]
            if ok:
                record.latencies_ms.append(seconds * 1000)
            else:
                record.errors += 1
                record.failures[failure[:160]] += 1

    def refuse(self, why: str) -> None:
        with self.lock:
            self.refused[why.split(" {")[0][:80]] += 1

    @property
    def errors(self) -> int:
        return sum(kind.errors for kind in self.kinds.values())

    @property
    def requests(self) -> int:
        """Answers counted, the checkouts' other requests and the imports aside."""
        return sum(
            len(kind.latencies_ms) + kind.errors for name, kind in self.kinds.items() if name != "import"
        )

    def p95(self, kind: str) -> float:
        return percentile(sorted(self.kinds[kind].latencies_ms), 95)


def kind_lines(stats: Stats) -> list[str]:
    lines = []
    for name, kind in stats.kinds.items():
        values = sorted(kind.latencies_ms)
        unit = "s" if name == "import" else "ms"
        scale = 1000 if name == "import" else 1
        p50, p95 = (percentile(values, p) / scale for p in (50, 95))
        lines.append(
            f"{name:<10} p50 {p50:8.1f} {unit}  p95 {p95:8.1f} {unit}  "
            f"count {len(values):6d}  errors {kind.errors}"
        )
        lines += [f"    {count} x {failure}" for failure, count in kind.failures.most_common(5)]
    return lines


def result_line(stats: Stats, *, oversold: int, stock_mismatch: int, client_cpu_pct: float) -> str:
    def ms(value: float) -> str:
        return "nan" if math.isnan(value) else f"{value:.1f}"

    return (
        f"bench=market_day errors={stats.errors} p95_ms_browse={ms(stats.p95('browse'))} "
        f"p95_ms_signed_in={ms(stats.p95('signed_in'))} p95_ms_checkout={ms(stats.p95('checkout'))} "
        f"checkouts={len(stats.kinds['checkout'].latencies_ms)} oversold={oversold} "
        f"refused={sum(stats.refused.values())} requests={stats.requests} "
        f"p95_ms_merchant={ms(stats.p95('merchant'))} p95_ms_dashboard={ms(stats.p95('dashboard'))} "
        f"stock_mismatch={stock_mismatch} client_cpu_pct={client_cpu_pct:.1f}"
    )


def slowest_routes(logs: Iterable[Path], top: int = 8) -> list[str]:
    """The routes of the servers' JSON request log with the highest p95, with their SQL queries."""
    durations: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, list[int]] = defaultdict(list)
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            if not line.startswith("{"):
                continue
            try:
                entry = json.loads(line)
                route, duration = str(entry["route"]), float(entry["duration_ms"])
            except (ValueError, KeyError, TypeError):
                continue
            durations[route].append(duration)
            queries[route].append(int(entry.get("queries") or 0))
    rows = sorted(
        ((percentile(sorted(values), 95), route) for route, values in durations.items() if len(values) >= 5),
        reverse=True,
    )
    return [
        f"{route:<40} server p95 {p95:7.1f} ms  p50 {percentile(sorted(durations[route]), 50):6.1f} ms  "
        f"queries max {max(queries[route])}  count {len(durations[route])}"
        for p95, route in rows[:top]
    ]


# --- The people ------------------------------------------------------------------------------------------


def browse(
    servers: list[str],
    pages: dict[str, list[str]],
    *,
    kind: str,
    stats: Stats,
    stop: threading.Event,
    rng: random.Random,
    think: tuple[float, float],
    cookies: str = "",
    extra_pages: list[str] | None = None,
) -> None:
    """One person browsing until `stop`, each page from either server on keep-alive connections."""
    connections = [Connection(parse_target(f"{server}/ping/"), TIMEOUT) for server in servers]
    targets: dict[tuple[int, str], Target] = {}
    groups, weights = list(PAGE_WEIGHTS), list(PAGE_WEIGHTS.values())
    try:
        while not stop.is_set():
            if extra_pages and rng.random() < ACCOUNT_SHARE:
                path = rng.choice(extra_pages)
            else:
                path = rng.choice(pages[rng.choices(groups, weights=weights)[0]])
            number = rng.randrange(len(servers))
            target = targets.get((number, path))
            if target is None:
                target = targets[number, path] = parse_target(servers[number] + path, cookies)
            began = time.perf_counter()
            try:
                status, _body = connections[number].get(target)
                failure = f"{status} {path}"
            except (OSError, ProtocolError, ValueError) as error:
                connections[number].close()
                status, failure = 0, f"{type(error).__name__} {path}"
            stats.record(kind, time.perf_counter() - began, status == 200, failure)
            stop.wait(rng.uniform(*think))
    finally:
        for connection in connections:
            connection.close()


def session_cookies(person: Merchant) -> str:
    return "; ".join(
        f"{name}={person.cookie(name)}" for name in ("sessionid", "csrftoken") if person.cookie(name)
    )


STEP_FORM = re.compile(r'action="([^"]*/etape/)"(?:(?!</form>).){0,800}?name="to_status" value="(\w+)"', re.S)


def order_steps(page: str) -> list[tuple[str, str]]:
    """(form action, step) of the day's page's one-tap steps to accept or to say ready."""
    return [(action, move) for action, move in STEP_FORM.findall(page) if move in ("accepted", "ready")]


def timed(
    stats: Stats, kind: str, call: Callable[[], tuple[int, str]], expected: int, what: str
) -> str | None:
    """Run one request of a signed-in person; its page, or None when it failed (recorded)."""
    began = time.perf_counter()
    try:
        status, page = call()
    except (OSError, http.client.HTTPException) as error:
        stats.record(kind, 0, False, f"{type(error).__name__} {what}")
        return None
    ok = status == expected
    stats.record(kind, time.perf_counter() - began, ok, f"{status} {what}")
    return page if ok else None


def merchant_at_work(
    person: Merchant,
    shops: list[str],
    servers: list[str],
    town: str,
    *,
    stats: Stats,
    stop: threading.Event,
    rng: random.Random,
) -> None:
    """Every few seconds, the next shop's orders of the day: accept the new ones, say ready the accepted
    ones, each with a tap (an htmx POST answered with the day's sections)."""
    day = f"/{town}/espace-commercant/commandes/"
    visit = 0
    while not stop.is_set():
        shop = shops[visit % len(shops)]
        visit += 1
        page = timed(
            stats, "merchant", partial(person.fetch, f"{rng.choice(servers)}{day}?commerce={shop}"), 200, day
        )
        for action, move in order_steps(page or "")[:STEPS_PER_VISIT]:
            if stop.is_set():
                break
            form = {"to_status": move, "commerce": shop}
            step = partial(person.fetch, rng.choice(servers) + action, form, HTMX)
            timed(stats, "merchant", step, 200, move)
        stop.wait(rng.uniform(3, 8))


def manager_at_work(
    person: Merchant,
    servers: list[str],
    town: str,
    *,
    stats: Stats,
    stop: threading.Event,
    rng: random.Random,
) -> None:
    dashboard = f"/{town}/tableau-de-bord/"
    while not stop.is_set():
        timed(stats, "dashboard", partial(person.fetch, rng.choice(servers) + dashboard), 200, dashboard)
        stop.wait(rng.uniform(10, 20))


def imports(
    town: str, env: dict[str, str], folder: Path, every: float, *, stats: Stats, stop: threading.Event
) -> None:
    """A footfall import in its own process every `every` seconds: the last two weeks' counts, revised."""
    first_day = date.today() - timedelta(days=14)
    number = 0
    while not stop.wait(5 if number == 0 else every):
        number += 1
        paths = vendor_files(folder, counters=3, days=14, per_file=3, seed=number, first_day=first_day)
        began = time.perf_counter()
        try:
            done = subprocess.run(
                manage("import_counts", town, *map(str, paths)),
                cwd=BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            ok, failure = done.returncode == 0, f"exit {done.returncode}: {done.stderr.strip()[-150:]}"
        except subprocess.TimeoutExpired:
            ok, failure = False, "import_counts ran over 120 s"
        stats.record("import", time.perf_counter() - began, ok, failure)


def one_checkout(
    number: int, servers: list[str], plan: MarketPlan, seed: int, stats: Stats, stop: threading.Event
) -> None:
    """One new guest fills a basket, hesitates a few seconds (someone else may take the last units
    meanwhile: the checkout must then be refused) and checks out."""
    target = parse_target(f"{servers[number % len(servers)]}/ping/")
    guest = checkout.Guest(target.host, target.port, timeout=TIMEOUT)
    rng = random.Random(seed * 100_000 + number)
    try:
        lines, pause = market_basket(plan, rng), rng.uniform(*HESITATION_SECONDS)
        _journey, request = checkout.checkout_once(
            guest, plan.checkout, rng, lines, partial(stop.wait, pause)
        )
    except checkout.CheckoutRefused as refusal:
        stats.refuse(str(refusal))
    except (checkout.CheckoutFailed, OSError, http.client.HTTPException, LookupError, TypeError) as error:
        stats.record("checkout", 0, False, str(error) or type(error).__name__)
    else:
        stats.record("checkout", request, True)
    finally:
        guest.close()


def signed_in(server: str, email: str, password: str) -> Merchant:
    person = Merchant()
    person.sign_in(server, email, password)
    return person


def market(
    servers: list[str], plan: MarketPlan, args: argparse.Namespace, env: dict[str, str], runtime: Path
) -> Stats:
    """Everyone at once for `args.duration` seconds; what they saw."""
    stats = Stats()
    stop = threading.Event()
    town = plan.checkout.town
    rng = random.Random(args.seed)
    people = [signed_in(servers[n % 2], email, plan.password) for n, email in enumerate(plan.residents)]
    merchants = [
        (signed_in(servers[n % 2], email, plan.password), shops)
        for n, (email, shops) in enumerate(plan.merchants)
    ]
    manager = signed_in(servers[0], plan.manager, plan.password)

    def seeded() -> random.Random:
        return random.Random(rng.random())

    folder = runtime / "footfall"
    folder.mkdir(exist_ok=True)
    browser = partial(browse, servers, plan.pages, stats=stats, stop=stop)
    jobs: list[Callable[[], None]] = [
        partial(browser, kind="browse", rng=seeded(), think=(0.5, 1.5)) for _ in range(args.browsers)
    ]
    jobs += [
        partial(
            browser,
            kind="signed_in",
            rng=seeded(),
            think=(1.0, 3.0),
            cookies=session_cookies(person),
            extra_pages=plan.account_pages,
        )
        for person in people
    ]
    jobs += [
        partial(merchant_at_work, person, shops, servers, town, stats=stats, stop=stop, rng=seeded())
        for person, shops in merchants
    ]
    jobs.append(partial(manager_at_work, manager, servers, town, stats=stats, stop=stop, rng=seeded()))
    jobs.append(partial(imports, town, env, folder, args.import_every, stats=stats, stop=stop))
    threads = [threading.Thread(target=job, daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CHECKOUT_THREADS, thread_name_prefix="basket") as pool:
        for number, offset in enumerate(checkout_schedule(args.duration, args.checkouts_per_minute)):
            if stop.wait(max(0.0, started + offset - time.monotonic())):
                break
            pool.submit(one_checkout, number, servers, plan, args.seed, stats, stop)
        stop.wait(max(0.0, started + args.duration - time.monotonic()))
        stop.set()
    for thread in threads:
        thread.join(TIMEOUT + 5)
    return stats


def open_market(servers: list[str], plan: MarketPlan) -> None:
    """Every page people will browse answers (and the page cache holds it, as it would by mid-morning)."""
    for group in plan.pages.values():
        for path in group:
            status, _body = get(servers[0] + path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} before the market opened")


def run(args: argparse.Namespace, runtime: Path, log_dir: Path) -> tuple[Stats, int, int, float]:
    env = platform_env(args.postgres_url, args.redis_url, runtime)
    os.environ.update(env)
    import django

    django.setup()
    began = time.perf_counter()
    plan = prepare(args)
    print(
        f"town {plan.checkout.town}: {len(plan.checkout.shops)} shops, {len(plan.initial_stock)} products "
        f"({len(plan.last_units)} with their last units), {len(plan.merchants)} merchants, "
        f"{len(plan.residents)} residents; prepared in {time.perf_counter() - began:.0f} s",
        flush=True,
    )
    processes = Processes(env, log_dir)
    try:
        for n in range(2):
            processes.start(f"worker-{n + 1}", manage("run_worker"))
        processes.start("scheduler", manage("run_scheduler", "--interval", SCHEDULER_MINUTES))
        servers = start_servers(processes)
        print(f"servers on {', '.join(servers)}; two workers, one scheduler", flush=True)
        open_market(servers, plan)
        print(
            f"market open for {args.duration:g} s: {args.browsers} browsing, {args.residents} signed in, "
            f"{args.checkouts_per_minute:g} baskets a minute, {args.merchants} merchants, the manager, "
            f"an import every {args.import_every:g} s",
            flush=True,
        )
        cpu, wall = group_cpu_seconds(processes), time.monotonic()
        stats = market(servers, plan, args, env, runtime)
        seconds, spent = time.monotonic() - wall, group_cpu_seconds(processes)
        client_cpu_pct = 100 * (spent["client"] - cpu["client"]) / max(seconds, 1e-9)
        print(cpu_line(cpu, spent, seconds), flush=True)
    finally:
        processes.stop_all()
    oversold, mismatch = stock_figures(plan)
    for line in slowest_routes(processes.log(f"server-{n}") for n in (1, 2)):
        print(f"  {line}", flush=True)
    return stats, oversold, mismatch, client_cpu_pct


def group_cpu_seconds(processes: Processes) -> dict[str, float]:
    """CPU seconds used so far by each process group started (its processes, and the children they have
    waited for: a worker's jobs), by name; "client" is this process, "imports" the commands it ran, and
    "machine" every CPU of the machine (PostgreSQL, Redis and anything else included)."""
    ticks = os.sysconf("SC_CLK_TCK")
    groups = {process.pid: name for name, process in processes.started}
    used = dict.fromkeys(groups.values(), 0.0)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # from the state on: pgrp is the 3rd
        except (OSError, IndexError):
            continue
        if (name := groups.get(int(fields[2]))) is not None:
            used[name] += sum(int(value) for value in fields[11:15]) / ticks  # utime, stime, cutime, cstime
    mine = os.times()
    used["client"] = mine.user + mine.system
    used["imports"] = mine.children_user + mine.children_system
    with suppress(OSError):
        busy = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        used["machine"] = (sum(int(value) for value in busy) - int(busy[3]) - int(busy[4])) / ticks
    return used


def cpu_line(before: dict[str, float], after: dict[str, float], seconds: float) -> str:
    spent = {name: after[name] - before.get(name, 0.0) for name in after}
    machine = spent.pop("machine", math.nan)
    others = machine - sum(spent.values())
    parts = [f"{name} {value:.0f}" for name, value in spent.items()]
    return (
        f"cpu seconds during the market: {', '.join(parts)}, PostgreSQL, Redis and the rest {others:.0f}; "
        f"machine {machine:.0f} of {seconds * (os.cpu_count() or 1):.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    skipped = own_databases_ready(args.postgres_url, args.redis_url, "the market day")
    if skipped is not None:
        return skipped
    started = time.monotonic()
    with (
        time_limit(args.time_limit, "the market day"),
        tempfile.TemporaryDirectory(prefix="centreville-market-day-") as runtime,
    ):
        log_dir = args.log_dir or Path(runtime)
        log_dir.mkdir(parents=True, exist_ok=True)
        stats, oversold, mismatch, client_cpu_pct = run(args, Path(runtime), log_dir)
    print(f"market day took {time.monotonic() - started:.0f} s", flush=True)
    for line in kind_lines(stats):
        print(line, flush=True)
    if stats.refused:
        print(
            "refused (409): " + ", ".join(f"{count} x {why}" for why, count in stats.refused.most_common(5))
        )
    print(
        result_line(stats, oversold=oversold, stock_mismatch=mismatch, client_cpu_pct=client_cpu_pct),
        flush=True,
    )
    placed = len(stats.kinds["checkout"].latencies_ms)
    return 0 if not stats.errors and not oversold and not mismatch and placed else 1


if __name__ == "__main__":
    sys.exit(main())
