"""Search benchmark: the search() selector over a realistic mix of French queries, in the first bench town.

    python -m bench.search --db sqlite|postgresql --products N [--shops-per-town 300 --products-per-shop 15]
        [--rounds 5] [--http] [--postgres-url URL] [--sqlite-path PATH] [--seed 0]

Generates the bench towns (bench.dataset, kept when the same data is there) in a database of its own,
indexes them in bulk when the index does not match them, then times each query of the mix (common and
rare words, accented words, one-typo words, two-word queries, a word found nowhere) `--rounds` times
after one warm-up round. `--http` also times the same queries as GET /<town>/recherche/?q=… through
gunicorn on 127.0.0.1. The last line reads
`bench=search db=<db> products=<N> p50_ms=… p95_ms=… queries=… db_mb=…` (the database's size).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from math import ceil
from pathlib import Path

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_search_bench"
PER_KIND = 8


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description="Search benchmark.")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--products", type=int, default=100_000, help="about how many products in all")
    parser.add_argument("--shops-per-town", type=int, default=300)
    parser.add_argument("--products-per-shop", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds over the query mix")
    parser.add_argument("--http", action="store_true", help="also time the search page through gunicorn")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_SEARCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database of this benchmark (env BENCH_SEARCH_POSTGRES_URL); created if missing",
    )
    parser.add_argument(
        "--sqlite-path", type=Path, default=None, help="default: <var dir>/bench/search_bench.sqlite3"
    )
    args = parser.parse_args(argv)
    if args.products < 1 or args.shops_per_town < 1 or args.products_per_shop < 1 or args.rounds < 1:
        parser.error("products, shops per town, products per shop and rounds must be positive")
    return args


def database_url(args: argparse.Namespace) -> str:
    from bench.run import prepare_postgres, var_dir

    if args.db == "postgresql":
        problem = prepare_postgres(args.postgres_url)
        if problem is not None:
            raise SystemExit(f"error: PostgreSQL unusable: {problem}")
        return str(args.postgres_url)
    path = (args.sqlite_path or var_dir() / "bench" / "search_bench.sqlite3").resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def ensure_index(town_ids: list[int]) -> None:
    """Index the bench towns in bulk unless their index already holds exactly their public things."""
    from centreville.catalogue.models import Product
    from centreville.search.models import SearchEntry
    from centreville.search.services import rebuild_index
    from centreville.shops.models import Shop, ShopStatus

    expected = (
        Shop.objects.filter(town_id__in=town_ids, status=ShopStatus.PUBLISHED).count()
        + Product.objects.filter(
            town_id__in=town_ids, is_visible=True, shop__status=ShopStatus.PUBLISHED
        ).count()
    )
    indexed = SearchEntry.objects.filter(town_id__in=town_ids).count()
    if indexed == expected:
        print(f"search index up to date: {indexed} entries", flush=True)
        return
    started = time.perf_counter()
    counts = rebuild_index(town_ids)
    print(
        f"search index rebuilt: {counts.entries} entries, {counts.words} words "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def database_megabytes() -> float:
    """The size of the whole benchmark database, its indexes included."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0]) / 1e6
    return Path(connection.settings_dict["NAME"]).stat().st_size / 1e6


def query_mix(town_id: int, seed: int) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from the town's own words, as people would type them."""
    from centreville.catalogue.models import Product
    from centreville.search.models import SearchTerm
    from centreville.search.text import STOP_WORDS, normalise, words

    rng = random.Random(seed)
    vocabulary = dict(SearchTerm.objects.filter(town_id=town_id).values_list("word", "occurrences"))
    by_frequency = sorted(vocabulary, key=lambda word: (-vocabulary[word], word))
    titles = sorted(set(Product.objects.filter(town_id=town_id).values_list("title", flat=True)))
    accented = sorted(
        {
            word
            for title in titles
            for word in title.replace("'", " ").split()
            if word.isalpha() and len(word) >= 4 and normalise(word) != word.lower()
        }
    )
    pairs = sorted(
        {
            f"{first} {second}"
            for title in titles
            for first, second in zip(
                [w for w in words(title) if w not in STOP_WORDS and not w.isdigit()],
                [w for w in words(title) if w not in STOP_WORDS and not w.isdigit()][1:],
                strict=False,
            )
        }
    )
    typos = []
    for word in [w for w in by_frequency[:200] if len(w) >= 6]:
        middle = len(word) // 2
        typo = word[:middle] + word[middle + 1 :]  # one letter forgotten
        if typo not in vocabulary:
            typos.append(typo)
    mix = [("common", word) for word in by_frequency[:PER_KIND]]
    mix += [("rare", word) for word in rng.sample(by_frequency[-200:], min(PER_KIND, len(by_frequency)))]
    mix += [("accented", word) for word in rng.sample(accented, min(PER_KIND, len(accented)))]
    mix += [("typo", word) for word in rng.sample(typos, min(PER_KIND, len(typos)))]
    mix += [("two_words", pair) for pair in rng.sample(pairs, min(PER_KIND, len(pairs)))]
    mix += [("nothing", "xylophone"), ("nothing", "trottinette électrique")]
    return mix


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, ceil(fraction * len(ordered)) - 1)]


def measure(mix: list[tuple[str, str]], rounds: int, run: Callable[[str], object]) -> dict[str, list[float]]:
    """Milliseconds per call of `run` for each query, by kind of query, after one warm-up round."""
    for _, query in mix:
        run(query)
    timings: dict[str, list[float]] = {}
    for _ in range(rounds):
        for kind, query in mix:
            started = time.perf_counter()
            run(query)
            timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    return timings


def report(name: str, timings: dict[str, list[float]]) -> tuple[float, float, int]:
    every = [ms for values in timings.values() for ms in values]
    for kind, values in timings.items():
        print(
            f"  {name:<6} {kind:<10} p50 {statistics.median(values):7.2f} ms  "
            f"p95 {percentile(values, 0.95):7.2f} ms  max {max(values):7.2f} ms  ({len(values)} calls)",
            flush=True,
        )
    return statistics.median(every), percentile(every, 0.95), len(every)


def http_timings(
    args: argparse.Namespace, url: str, town_slug: str, mix: list[tuple[str, str]]
) -> dict[str, list[float]]:
    """The same queries as GET requests to gunicorn (production settings) on 127.0.0.1."""
    from urllib.parse import urlencode

    from bench.load import Connection, parse_target
    from bench.run import base_env, gunicorn, run_checked

    with tempfile.TemporaryDirectory(prefix="centreville-search-bench-") as runtime:
        env = base_env(url, Path(runtime))
        run_checked([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
        server = argparse.Namespace(workers=1, threads=1, worker_class="gthread")
        with gunicorn(server, env, Path(runtime) / "gunicorn-search.log") as base_url:
            connection: Connection | None = None

            def get(query: str) -> None:
                nonlocal connection
                target = parse_target(f"{base_url}/{town_slug}/recherche/?{urlencode({'q': query})}")
                connection = connection or Connection(target, timeout=30)
                connection.target = target
                status, body = connection.get()
                if status != 200:
                    raise RuntimeError(f"{target.path} answered {status}: {body[:200]!r}")

            try:
                return measure(mix, args.rounds, get)
            finally:
                if connection is not None:
                    connection.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = database_url(args)
    os.environ["DJANGO_DEBUG"] = "false"
    from bench.run import setup_django

    setup_django(url)
    from django.db import connection
    from django.utils import timezone

    from bench import dataset
    from bench.generate import migrate_if_needed
    from centreville.search.selectors import search
    from centreville.towns.selectors import space_by_slug

    migrate_if_needed()
    per_town = args.shops_per_town * args.products_per_shop
    size = dataset.Size(max(1, round(args.products / per_town)), args.shops_per_town, args.products_per_shop)
    print(
        f"bench data: {size.towns} towns x {size.shops_per_town} shops x {size.products_per_shop} products "
        f"= {size.products} products on {connection.vendor}",
        flush=True,
    )
    started = time.perf_counter()
    result = dataset.generate(size, seed=args.seed)
    how = "kept" if result.reused else f"generated with {result.method}"
    print(f"  {how} in {time.perf_counter() - started:.1f} s", flush=True)
    town_ids = list(dataset.bench_towns().values_list("pk", flat=True))
    ensure_index(town_ids)

    space = space_by_slug(result.first_town_slug)
    assert space is not None, result.first_town_slug
    mix = query_mix(space.town_ids[0], args.seed)
    for kind in dict(mix):
        print(f"  {kind}: {', '.join(query for k, query in mix if k == kind)}", flush=True)
    now = timezone.now()  # a benchmark measures the site as it runs: today's opening states
    timings = measure(mix, args.rounds, lambda query: search(space, query, at=now).total)
    p50, p95, calls = report("search", timings)
    if args.http:
        connection.close()
        http_p50, http_p95, _ = report("http", http_timings(args, url, space.slug, mix))
        print(f"bench=search_http db={args.db} p50_ms={http_p50:.2f} p95_ms={http_p95:.2f}", flush=True)
    print(
        f"bench=search db={args.db} products={result.counts.products} p50_ms={p50:.2f} p95_ms={p95:.2f} "
        f"queries={calls} db_mb={database_megabytes():.0f}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
