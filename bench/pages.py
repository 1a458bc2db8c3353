"""Shop and product page benchmarks: what anonymous visitors get from the page cache, against the floor.

    python -m bench.pages --base-url http://127.0.0.1:PORT --town SLUG [--db sqlite] \\
        [--clients 4 --duration 5 --rounds 3 --warmup 3]

Against a server already running on this machine: finds a shop of the town in its directory and a product
on that shop's page, then alternates the framework floor (/ping/), the shop page and the product page
(ABBA order) and prints the medians. `make bench` (bench.run) measures the same pages beside the town
home on each database, on the same server run as the floor. Lines ending the output:
`bench=shop_page db=… p50_ms=… p95_ms=… p99_ms=… rps=… floor_rps=… ratio_to_floor=…`, and the same for
`bench=product_page`. The target is ratio_to_floor >= 0.5.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING

from bench.load import Connection, parse_target

if TYPE_CHECKING:
    from bench.run import Figures

PAGES = ("shop_page", "product_page")
# How many shops of the directory to try before giving up on finding one that shows a product.
SHOPS_TRIED = 10


def get_ok(url: str) -> bytes:
    """One GET that must answer 200 (RuntimeError otherwise, with the start of the answer): its body."""
    connection = Connection(parse_target(url), timeout=30)
    try:
        status, body = connection.get()
    finally:
        connection.close()
    if status != 200:
        raise RuntimeError(f"{url} answered {status}: {body[:300]!r}")
    return body


def _get(url: str) -> str:
    return get_ok(url).decode("utf-8", errors="replace")


def shop_paths(directory_page: str, town_slug: str) -> list[str]:
    """The shop pages linked from a directory page, in order, each once."""
    pattern = rf'href="(/{re.escape(town_slug)}/commerces/[a-z0-9-]+/)"'
    return list(dict.fromkeys(re.findall(pattern, directory_page)))


def product_paths(shop_page: str, shop_path: str) -> list[str]:
    """The product pages of this shop linked from its page, in order, each once."""
    pattern = rf'href="({re.escape(shop_path)}produits/[a-z0-9-]+/)"'
    return list(dict.fromkeys(re.findall(pattern, shop_page)))


def page_urls(base_url: str, town_slug: str) -> dict[str, str]:
    """{"shop_page": …, "product_page": …}: the first shop of the town's directory that shows a product."""
    shops = shop_paths(_get(f"{base_url}/{town_slug}/commerces/"), town_slug)
    for shop_path in shops[:SHOPS_TRIED]:
        products = product_paths(_get(f"{base_url}{shop_path}"), shop_path)
        if products:
            return {"shop_page": f"{base_url}{shop_path}", "product_page": f"{base_url}{products[0]}"}
    raise RuntimeError(f"no shop with a product among the first {SHOPS_TRIED} of /{town_slug}/commerces/")


def ratio_line(name: str, db: str, figures: Figures, floor: Figures) -> str:
    """The last line of a page benchmark, comparing it with the floor of the same server run."""
    ratio = figures.rps / floor.rps if floor.rps else 0.0
    return (
        f"bench={name} db={db} p50_ms={figures.p50:.2f} p95_ms={figures.p95:.2f} p99_ms={figures.p99:.2f} "
        f"rps={figures.rps:.1f} floor_rps={floor.rps:.1f} ratio_to_floor={ratio:.3f}"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pages", description="Shop and product page benchmarks."
    )
    parser.add_argument("--base-url", required=True, help="http://127.0.0.1:PORT of a running server")
    parser.add_argument("--town", required=True, help="slug of a town with published shops and products")
    parser.add_argument("--db", default="unknown", help="database label for the last lines")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per URL")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.duration <= 0 or args.warmup < 0:
        parser.error("rounds and duration must be positive, warm-up not negative")
    return args


def main(argv: list[str] | None = None) -> int:
    from bench.run import measure

    args = parse_args(argv)
    base_url = args.base_url.rstrip("/")
    try:
        parse_target(base_url + "/ping/")
        urls = {"floor": f"{base_url}/ping/", **page_urls(base_url, args.town)}
    except (ValueError, RuntimeError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    figures = measure(urls, args)
    floor = figures["floor"]
    print(f"bench=floor db={args.db} p50_ms={floor.p50:.2f} p95_ms={floor.p95:.2f} rps={floor.rps:.1f}")
    for name in PAGES:
        print(ratio_line(name, args.db, figures[name], floor), flush=True)
    return 1 if any(f.errors for f in figures.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
