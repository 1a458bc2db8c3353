"""Checkouts per second on PostgreSQL with concurrent customers, against the framework floor.

    python -m bench.checkout [--clients 8] [--rounds 3 --duration 15 --warmup 3 --ramp 3] \\
        [--shops 40 --products-per-shop 12] [--postgres-url URL]

On its own PostgreSQL database (BENCH_CHECKOUT_POSTGRES_URL, created if missing): migrate, fill one town
(kept from one run to the next) whose shops take orders at any hour with slots that never fill, and plenty
of stock; start gunicorn with the production settings on 127.0.0.1; then alternate, round after round
(ABBA order), the framework floor (`/ping/` under `--clients` keep-alive clients) and the checkout:
`--clients` customers at once, each in a loop, going through the JSON API as a new guest every time — see
the basket, put 2 articles of each of 3 shops in it, ask for the ways to collect, and check out with
pickup in the shop (a free slot) or at the relay point, paying at pickup.

The last line reads
`bench=checkout db=postgresql clients=… checkouts=… rps=… p50_ms=… p95_ms=… floor_rps=… floor_p95_ms=…
ratio_rps=… ratio_p95=…` where `checkouts` is the number of measured checkouts, `rps` checkouts completed
per second (each is 9 requests), `p50_ms`/`p95_ms` the latency of the checkout request itself (the
POST that places the orders), `ratio_rps` = rps / floor_rps and `ratio_p95` = p95_ms / floor_p95_ms; the
figures are medians of the rounds. The line before it gives the whole customer journey's latency.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

from bench.load import parse_target, run_load
from bench.run import BASE_DIR, base_env, gunicorn, in_ci, prepare_postgres, run_checked

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_checkout"
TOWN_SLUG = "essai-commandes"
SHOPS_PER_BASKET = 3
LINES_PER_SHOP = 2
STOCK = 10_000_000
SLOT_CAPACITY = 30_000  # the field's ceiling is 32767: no slot ever fills during a run
SLOTS_TRIED = 8  # customers pick among the first free slots, as people do
PLAN_PREFIX = "plan="


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.checkout",
        description="Checkouts per second on PostgreSQL with concurrent customers, against the /ping/ floor.",
    )
    parser.add_argument("--clients", type=int, default=8, help="customers checking out at the same time")
    parser.add_argument(
        "--duration", type=float, default=15.0, help="measured seconds per benchmark and round"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds alternating floor and checkout")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds of each, once, first")
    parser.add_argument(
        "--ramp",
        type=float,
        default=3.0,
        help="unmeasured seconds at the start of each round, so that the measure sees customers mid-journey",
    )
    parser.add_argument("--shops", type=int, default=40, help="shops of the bench town")
    parser.add_argument("--products-per-shop", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0, help="seed of the customers' choices")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--worker-class", choices=("gthread", "sync"), default="gthread")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_CHECKOUT_POSTGRES_URL", DEFAULT_URL),
        help="PostgreSQL database for the benchmark (env BENCH_CHECKOUT_POSTGRES_URL); created if missing",
    )
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 64:
        parser.error("clients must be within 1 to 64")
    if args.rounds < 1 or args.duration <= 0 or args.warmup < 0 or args.ramp < 0:
        parser.error("rounds and duration must be positive, warm-up not negative")
    if args.shops < SHOPS_PER_BASKET or args.products_per_shop < LINES_PER_SHOP:
        parser.error(f"at least {SHOPS_PER_BASKET} shops of {LINES_PER_SHOP} products each are needed")
    return args


# --- The bench town (runs inside Django, in a child process with the server's settings) ------------------


@dataclass(frozen=True)
class Plan:
    """What the customers may buy: the town, each shop's products, the relay point."""

    town: str
    shops: list[tuple[int, list[int]]]
    relay_point_id: int

    def dumps(self) -> str:
        return json.dumps({"town": self.town, "shops": self.shops, "relay_point_id": self.relay_point_id})

    @classmethod
    def loads(cls, text: str) -> Plan:
        data = json.loads(text)
        shops = [(int(shop_id), [int(p) for p in products]) for shop_id, products in data["shops"]]
        return cls(town=data["town"], shops=shops, relay_point_id=int(data["relay_point_id"]))


def prepare(shops: int, products_per_shop: int) -> Plan:
    """The bench town with at least `shops` shops taking orders, stock topped up; idempotent."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from centreville.catalogue.models import Product
    from centreville.catalogue.tests.factories import ProductFactory
    from centreville.fulfilment.models import RelayPoint, ShopFulfilment, TownFulfilment
    from centreville.fulfilment.selectors import pickup_slots
    from centreville.shops.models import Shop, ShopStatus
    from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
    from centreville.towns.models import Town

    always_open = "24/7"
    with transaction.atomic():
        town, _created = Town.objects.update_or_create(
            slug=TOWN_SLUG,
            defaults={
                "name": "Essai-les-Commandes",
                "insee_code": "99999",
                "postcodes": ["99999"],
                "latitude": Decimal("48.744500"),
                "longitude": Decimal("-0.020300"),
                "is_published": True,
            },
        )
        TownFulfilment.objects.update_or_create(
            town=town, defaults={"pickup_enabled": True, "relay_enabled": True}
        )
        relay, _created = RelayPoint.objects.update_or_create(
            town=town,
            name="Maison de la presse",
            defaults={
                "street_address": "1 place de la Mairie",
                "opening_hours": always_open,
                "is_active": True,
            },
        )
        existing = list(Shop.objects.filter(town=town).order_by("pk"))
        for number in range(len(existing), shops):
            existing.append(
                ShopFactory.create(
                    town=town,
                    name=f"Commerce d'essai {number + 1}",
                    slug=f"commerce-essai-{number + 1}",
                    postcode="99999",
                    opening_hours=always_open,
                    offers_click_collect=True,
                    status=ShopStatus.PUBLISHED,
                )
            )
        chosen = existing[:shops]
        plan_shops = []
        for shop in chosen:
            if not shop.memberships.exists():  # someone must be there to handle the orders
                ShopMembershipFactory.create(shop=shop)
            ShopFulfilment.objects.update_or_create(
                shop=shop,
                defaults={
                    "pickup_enabled": True,
                    "relay_enabled": True,
                    "preparation_minutes": 0,
                    "slot_minutes": 30,
                    "slot_capacity": SLOT_CAPACITY,
                },
            )
            products = list(
                Product.objects.filter(shop=shop, is_visible=True).order_by("pk").values_list("pk", flat=True)
            )
            for number in range(len(products), products_per_shop):
                product = ProductFactory.create(
                    shop=shop,
                    title=f"Article {number + 1} de {shop.name}",
                    slug=f"article-{shop.pk}-{number + 1}",
                    price=Decimal(f"{2 + number % 9}.50"),
                    stock=STOCK,
                )
                products.append(product.pk)
            plan_shops.append((shop.pk, products[:products_per_shop]))
        Product.objects.filter(shop__town=town).update(stock=STOCK)
    if not pickup_slots(chosen[0], now=timezone.now()):
        raise RuntimeError("the bench shops offer no pickup slot: check their opening hours")
    return Plan(town=town.slug, shops=plan_shops, relay_point_id=relay.pk)


def prepare_in_django(args: argparse.Namespace) -> int:
    """Child process: migrate when needed, prepare the town, print the plan for the parent."""
    import django

    django.setup()
    from bench.generate import migrate_if_needed

    migrate_if_needed()
    plan = prepare(args.shops, args.products_per_shop)
    print(f"{PLAN_PREFIX}{plan.dumps()}", flush=True)
    return 0


# --- The customers -------------------------------------------------------------------------------------


class CheckoutFailed(Exception):
    """A step of the customer's journey did not answer what a real customer needs."""


class CheckoutRefused(CheckoutFailed):
    """The site said no with a 409, as it must when the stock (or a slot) ran out meanwhile."""


class ApiClient(Protocol):
    """What a checkout journey needs of its customer's connection (a Guest, or a script in tests)."""

    def forget_session(self) -> None: ...

    def call(self, method: str, path: str, payload: Any = None) -> tuple[int, Any]: ...


class Guest:
    """One customer's keep-alive connection and cookies, speaking JSON to the API on 127.0.0.1."""

    def __init__(self, host: str, port: int, timeout: float = 30) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.connection: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def forget_session(self) -> None:
        """A new guest: no session, hence no basket (the CSRF cookie is not tied to a session)."""
        self.cookies.pop("sessionid", None)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None

    def call(self, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        headers = {"Accept": "application/json", "Accept-Language": "fr", "User-Agent": "centreville-bench/1"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if method != "GET" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # The server closed a kept-alive connection: once more on a new one.
                self.close()
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            decoded = json.loads(data) if data else None
        except ValueError:
            decoded = data[:300]
        return response.status, decoded


def expect(status: int, wanted: int, step: str, body: Any) -> None:
    if status == 409:
        raise CheckoutRefused(f"{step}: {status} {str(body)[:300]}")
    if status != wanted:
        raise CheckoutFailed(f"{step}: {status} {str(body)[:300]}")


def random_basket(plan: Plan, rng: random.Random) -> list[tuple[int, int]]:
    """(product id, quantity) of 2 articles of each of 3 shops, 1 to 3 of each."""
    return [
        (product_id, rng.randint(1, 3))
        for _shop_id, products in rng.sample(plan.shops, SHOPS_PER_BASKET)
        for product_id in rng.sample(products, LINES_PER_SHOP)
    ]


def checkout_once(
    guest: ApiClient,
    plan: Plan,
    rng: random.Random,
    lines: list[tuple[int, int]] | None = None,
    hesitate: Callable[[], object] | None = None,
) -> tuple[float, float]:
    """One new guest's whole journey, with the basket `lines` (product id, quantity), by default
    `random_basket()`, calling `hesitate()` (if given) between the basket and the checkout; returns (journey
    seconds, checkout request seconds). Raises CheckoutRefused when the site refuses an article or the
    checkout with a 409, CheckoutFailed on any other unexpected answer."""
    api = f"/api/villes/{plan.town}"
    if lines is None:
        lines = random_basket(plan, rng)
    shops = {shop_id for shop_id, products in plan.shops for product_id, _ in lines if product_id in products}
    guest.forget_session()
    began = time.perf_counter()
    status, body = guest.call("GET", f"{api}/panier")
    expect(status, 200, "basket", body)
    for product_id, quantity in lines:
        line = {"product_id": product_id, "quantity": quantity}
        status, body = guest.call("POST", f"{api}/panier/lignes", line)
        expect(status, 201, "add to basket", body)
    if hesitate is not None:
        hesitate()
    status, options = guest.call("GET", f"{api}/panier/options")
    expect(status, 200, "options", options)
    choices: dict[str, dict[str, Any]] = {}
    for shop in options["shops"]:
        methods = {method["method"] for method in shop["methods"]}
        if "relay" in methods and (rng.random() < 0.5 or not shop["pickup_slots"]):
            choices[str(shop["shop"]["id"])] = {"method": "relay", "relay_point_id": plan.relay_point_id}
        elif shop["pickup_slots"]:
            slot = rng.choice(shop["pickup_slots"][:SLOTS_TRIED])
            choices[str(shop["shop"]["id"])] = {"method": "pickup", "slot_start": slot["start"]}
        else:
            raise CheckoutFailed(f"options: no way to collect from shop {shop['shop']['id']}")
    payload = {
        "name": f"Client d'essai {rng.randint(1, 10**6)}",
        "contact": f"client{rng.randint(1, 10**6)}@example.org",
        "choices": choices,
        "pay_online": False,
    }
    posted = time.perf_counter()
    status, body = guest.call("POST", f"{api}/commande", payload)
    done = time.perf_counter()
    expect(status, 201, "checkout", body)
    if len(body.get("orders", [])) != len(shops):
        raise CheckoutFailed(f"checkout: {len(body.get('orders', []))} orders instead of {len(shops)}")
    return done - began, done - posted


@dataclass
class CustomerRecord:
    journeys_ms: list[float] = field(default_factory=list)
    checkouts_ms: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class CheckoutResult:
    checkouts: int
    failures: dict[str, int]
    seconds: float
    journeys_ms: list[float]  # sorted
    checkouts_ms: list[float]  # sorted

    @property
    def rps(self) -> float:
        return self.checkouts / self.seconds if self.seconds > 0 else 0.0

    @property
    def errors(self) -> int:
        return sum(self.failures.values())


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile (nan when there is nothing)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def run_checkouts(
    base_url: str, plan: Plan, *, clients: int, duration: float, warmup: float, seed: int
) -> CheckoutResult:
    """`clients` guests checking out in a loop; those finishing within the measured window count."""
    target = parse_target(f"{base_url}/ping/")  # refuses anything but this machine
    stop = threading.Event()
    started = time.perf_counter()
    measure_from, measure_until = started + warmup, started + warmup + duration
    records = [CustomerRecord() for _ in range(clients)]

    def customer(number: int, record: CustomerRecord) -> None:
        guest = Guest(target.host, target.port)
        rng = random.Random(seed * 1000 + number)
        try:
            while not stop.is_set():
                try:
                    journey, checkout = checkout_once(guest, plan, rng)
                    failure = ""
                except (
                    CheckoutFailed,
                    OSError,
                    http.client.HTTPException,
                    LookupError,
                    TypeError,
                    AttributeError,
                ) as error:
                    guest.close()
                    journey = checkout = 0.0
                    failure = str(error)[:200] or type(error).__name__
                now = time.perf_counter()
                if now > measure_until:
                    break
                if now < measure_from:
                    continue
                if failure:
                    record.failures[failure] += 1
                else:
                    record.journeys_ms.append(journey * 1000)
                    record.checkouts_ms.append(checkout * 1000)
        finally:
            guest.close()

    threads = [
        threading.Thread(target=customer, args=(n, record), name=f"bench-customer-{n}", daemon=True)
        for n, record in enumerate(records)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure_until - time.perf_counter()))
    stop.set()
    for thread in threads:
        thread.join(60)
    failures: Counter[str] = Counter()
    for record in records:
        failures.update(record.failures)
    return CheckoutResult(
        checkouts=sum(len(record.checkouts_ms) for record in records),
        failures=dict(failures),
        seconds=duration,
        journeys_ms=sorted(ms for record in records for ms in record.journeys_ms),
        checkouts_ms=sorted(ms for record in records for ms in record.checkouts_ms),
    )


# --- The benchmark -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    checkouts: int
    rps: float
    p50_ms: float
    p95_ms: float
    journey_p50_ms: float
    journey_p95_ms: float
    floor_rps: float
    floor_p95_ms: float
    errors: int


def summarise(checkout_runs: list[CheckoutResult], floor_runs: list[Any]) -> Figures:
    """Medians of the rounds (the floor's runs are bench.load results)."""
    return Figures(
        checkouts=sum(run.checkouts for run in checkout_runs),
        rps=statistics.median(run.rps for run in checkout_runs),
        p50_ms=statistics.median(percentile(run.checkouts_ms, 50) for run in checkout_runs),
        p95_ms=statistics.median(percentile(run.checkouts_ms, 95) for run in checkout_runs),
        journey_p50_ms=statistics.median(percentile(run.journeys_ms, 50) for run in checkout_runs),
        journey_p95_ms=statistics.median(percentile(run.journeys_ms, 95) for run in checkout_runs),
        floor_rps=statistics.median(run.rps for run in floor_runs),
        floor_p95_ms=statistics.median(run.percentile(95) for run in floor_runs),
        errors=sum(run.errors for run in checkout_runs) + sum(run.errors for run in floor_runs),
    )


def result_line(figures: Figures, clients: int) -> str:
    ratio_rps = figures.rps / figures.floor_rps if figures.floor_rps else 0.0
    ratio_p95 = figures.p95_ms / figures.floor_p95_ms if figures.floor_p95_ms else 0.0
    return (
        f"bench=checkout db=postgresql clients={clients} checkouts={figures.checkouts} rps={figures.rps:.2f} "
        f"p50_ms={figures.p50_ms:.2f} p95_ms={figures.p95_ms:.2f} floor_rps={figures.floor_rps:.1f} "
        f"floor_p95_ms={figures.floor_p95_ms:.2f} ratio_rps={ratio_rps:.4f} ratio_p95={ratio_p95:.2f}"
    )


def benchmark(base_url: str, plan: Plan, args: argparse.Namespace) -> Figures:
    ping = f"{base_url}/ping/"
    if args.warmup:
        run_load(ping, clients=args.clients, duration=args.warmup)
        run_checkouts(base_url, plan, clients=args.clients, duration=args.warmup, warmup=0, seed=args.seed)
    checkout_runs: list[CheckoutResult] = []
    floor_runs = []
    for round_number in range(args.rounds):
        order = ("floor", "checkout") if round_number % 2 == 0 else ("checkout", "floor")
        for name in order:
            if name == "floor":
                floor = run_load(ping, clients=args.clients, duration=args.duration, warmup=args.ramp)
                floor_runs.append(floor)
                print(
                    f"  round {round_number + 1}/{args.rounds} floor    p50 {floor.percentile(50):7.2f} ms  "
                    f"p95 {floor.percentile(95):7.2f} ms  {floor.rps:8.1f} req/s  errors {floor.errors}",
                    flush=True,
                )
            else:
                run = run_checkouts(
                    base_url,
                    plan,
                    clients=args.clients,
                    duration=args.duration,
                    warmup=args.ramp,
                    seed=args.seed + round_number + 1,
                )
                checkout_runs.append(run)
                print(
                    f"  round {round_number + 1}/{args.rounds} checkout "
                    f"p50 {percentile(run.checkouts_ms, 50):7.2f} ms  "
                    f"p95 {percentile(run.checkouts_ms, 95):7.2f} ms  {run.rps:8.2f} checkouts/s  "
                    f"({run.checkouts} checkouts, journey p95 {percentile(run.journeys_ms, 95):.1f} ms, "
                    f"errors {run.errors})",
                    flush=True,
                )
                for failure, count in list(run.failures.items())[:5]:
                    print(f"    {count} x {failure}", flush=True)
    return summarise(checkout_runs, floor_runs)


def prepare_town(command: list[str], env: dict[str, str]) -> list[str]:
    """Run the preparing child, echoing its output but the plan; return the plans it printed."""
    completed = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False)
    plans = []
    for line in (completed.stdout + completed.stderr).splitlines():
        if line.startswith(PLAN_PREFIX):
            plans.append(line.removeprefix(PLAN_PREFIX))
        else:
            print(f"  {line}", flush=True)
    if completed.returncode:
        raise RuntimeError(f"preparing the bench town failed with exit code {completed.returncode}")
    return plans


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.prepare_only:
        return prepare_in_django(args)
    problem = prepare_postgres(args.postgres_url)
    if problem is not None:
        print(f"error: PostgreSQL unusable: {problem}", file=sys.stderr)
        return 1 if in_ci() else 2

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)  # unwinds through the `finally` that stops gunicorn

    signal.signal(signal.SIGTERM, terminate)
    try:
        with tempfile.TemporaryDirectory(prefix="centreville-bench-checkout-") as runtime:
            runtime_dir = Path(runtime)
            env = base_env(args.postgres_url, runtime_dir)
            print("collecting static files…", flush=True)
            run_checked([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
            print(f"preparing the bench town on {args.postgres_url}…", flush=True)
            command = [sys.executable, "-m", "bench.checkout", "--prepare-only"]
            command += ["--shops", str(args.shops), "--products-per-shop", str(args.products_per_shop)]
            plans = prepare_town(command, env)
            if not plans:
                raise RuntimeError("the bench town could not be prepared")
            plan = Plan.loads(plans[-1])
            with gunicorn(args, env, runtime_dir / "gunicorn-checkout.log") as base_url:
                print(
                    f"  gunicorn at {base_url}: {args.workers} {args.worker_class} workers x {args.threads} "
                    f"threads; {args.clients} customers, {args.rounds} rounds of {args.duration:g} s; "
                    f"{len(plan.shops)} shops",
                    flush=True,
                )
                figures = benchmark(base_url, plan, args)
    except (RuntimeError, subprocess.SubprocessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    print(
        f"journey (basket, 6 additions, options, checkout: 9 requests) p50_ms={figures.journey_p50_ms:.2f} "
        f"p95_ms={figures.journey_p95_ms:.2f}; errors={figures.errors}",
        flush=True,
    )
    print(result_line(figures, args.clients), flush=True)
    if figures.errors or not figures.checkouts:
        print(f"error: {figures.errors} failures, {figures.checkouts} checkouts", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
