"""Fill the database named by DATABASE_URL with fictional French towns for benchmarks.

    python -m bench.generate --towns 20 --shops-per-town 300 --products-per-shop 15 [--seed 0]

Runs `migrate` first when migrations are pending. Idempotent: bench towns (slugs starting `bench-`) already
generated with the same size, seed and vocabulary are kept; otherwise every bench town, with its shops and
products, is deleted and generated again. `--force` regenerates anyway; `--delete` only deletes.
Other towns are never touched. The last line reads
`bench=generate db=<sqlite|postgresql> towns=… shops=… products=… seconds=…`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import django


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="Fill the database with fictional French towns for benchmarks.",
    )
    parser.add_argument("--towns", type=int, default=20)
    parser.add_argument("--shops-per-town", type=int, default=300)
    parser.add_argument("--products-per-shop", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--method",
        choices=("auto", "bulk", "copy"),
        default="auto",
        help="how products are written: bulk_create, or COPY (PostgreSQL only); auto picks COPY when it can",
    )
    parser.add_argument("--force", action="store_true", help="regenerate even if the same data is there")
    parser.add_argument("--delete", action="store_true", help="only delete the bench towns, then stop")
    return parser.parse_args(argv)


def migrate_if_needed() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("applying migrations…", flush=True)
        call_command("migrate", interactive=False, verbosity=0)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.core.exceptions import ValidationError
    from django.db import connection

    from bench import dataset

    started = time.perf_counter()
    migrate_if_needed()
    db = connection.vendor
    if args.delete:
        print(f"deleted {dataset.delete_bench_data()} bench towns from {db}", flush=True)
        return 0

    size = dataset.Size(args.towns, args.shops_per_town, args.products_per_shop)
    step = max(1, size.towns // 10)

    def progress(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            print(f"  {done}/{total} towns, {time.perf_counter() - started:.1f} s", flush=True)

    print(
        f"generating {size.towns} towns x {size.shops_per_town} shops x {size.products_per_shop} products "
        f"on {db} (seed {args.seed})…",
        flush=True,
    )
    try:
        result = dataset.generate(
            size, seed=args.seed, method=args.method, force=args.force, progress=progress
        )
    except (ValueError, ValidationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    if result.reused:
        print("the same bench data is already there: nothing to do", flush=True)
    else:
        print(f"written with {result.method} in {result.seconds:.1f} s", flush=True)
    print(f"first_town={result.first_town_slug}")
    counts = result.counts
    print(
        f"bench=generate db={db} towns={counts.towns} shops={counts.shops} products={counts.products} "
        f"seconds={seconds:.1f}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
