"""Largest contentful paint of the public pages on a slow phone: Chromium at 360 px, slow 3G, CPU × 4.

    python -m bench.lcp [--base-url http://127.0.0.1:PORT] [--runs 3]

Without --base-url: loads the demo (manage.py demo_load) into a throw-away SQLite database, collects the
static files (compressed, as deployed) and serves them with gunicorn on 127.0.0.1 (the `make run`
profile), as `bench.page_weight` does. Then for the town home, the directory, a shop page and a search,
each opened cold (fresh browser context, empty cache) `--runs` times, Chromium reports the largest
contentful paint under CDP throttling: 400 ms round trip, 360 kbit/s down and up, CPU four times slower.
Each page was visited once beforehand, unthrottled, as the shared page cache of a live site would have.
Chromium reaches nothing but 127.0.0.1.

One line per page, `bench=lcp page=… lcp_ms=… runs_ms=…` (the median of the runs), and a last line
`bench=lcp pages=4 worst_ms=… directory_ms=… target_ms=2500`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bench import pages
from bench.load import refuse_remote
from bench.page_weight import CHROMIUM, CHROMIUM_ARGS, DEMO_TOWN, demo_server

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

TARGET_MS = 2500
PHONE: ViewportSize = {"width": 360, "height": 640}
# Slow 3G as the issue measures it; throughputs in bytes per second.
LATENCY_MS = 400
THROUGHPUT = 360_000 // 8
CPU_SLOWDOWN = 4
SEARCH_QUERY = "pain"
# Records every largest-contentful-paint candidate from the first paint on (runs before the page's scripts).
LCP_OBSERVER = """
window.__lcp = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { window.__lcp = entry.startTime; }
}).observe({ type: "largest-contentful-paint", buffered: true });
"""


@dataclass(frozen=True)
class Measure:
    page: str
    runs_ms: tuple[float, ...]

    @property
    def lcp_ms(self) -> float:
        return statistics.median(self.runs_ms)

    def line(self) -> str:
        runs = ",".join(f"{run:.0f}" for run in self.runs_ms)
        return f"bench=lcp page={self.page} lcp_ms={self.lcp_ms:.0f} runs_ms={runs}"


def summary(measures: list[Measure]) -> str:
    """The last line: how many pages, the worst of them and the directory's, against the target."""
    worst = max(measure.lcp_ms for measure in measures)
    directory = next(measure.lcp_ms for measure in measures if measure.page == "directory")
    return (
        f"bench=lcp pages={len(measures)} worst_ms={worst:.0f} directory_ms={directory:.0f} "
        f"target_ms={TARGET_MS}"
    )


def page_urls(base_url: str, town: str) -> dict[str, str]:
    """The four pages measured: the town home, the directory, a shop showing products, a search."""
    return {
        "home": f"{base_url}/{town}/",
        "directory": f"{base_url}/{town}/commerces/",
        "shop": pages.page_urls(base_url, town)["shop_page"],
        "search": f"{base_url}/{town}/recherche/?q={SEARCH_QUERY}",
    }


def measure(urls: dict[str, str], runs: int) -> list[Measure]:
    from playwright.sync_api import Route, sync_playwright

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(next(iter(urls.values()))))

    def only_this_server(route: Route) -> None:
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            warm = browser.new_page()
            for url in urls.values():  # fills the page cache, as earlier visitors would have
                warm.goto(url)
            warm.close()
            for name, url in urls.items():
                times = []
                for _ in range(runs):
                    context = browser.new_context(
                        locale="fr-FR", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
                    )
                    context.route("**/*", only_this_server)
                    context.add_init_script(LCP_OBSERVER)
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send(
                        "Network.emulateNetworkConditions",
                        {
                            "offline": False,
                            "latency": LATENCY_MS,
                            "downloadThroughput": THROUGHPUT,
                            "uploadThroughput": THROUGHPUT,
                        },
                    )
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
                    response = page.goto(url, wait_until="load", timeout=60_000)
                    if response is None or response.status != 200:
                        raise RuntimeError(f"{url} answered {response.status if response else 'nothing'}")
                    page.wait_for_load_state("networkidle", timeout=60_000)
                    lcp = float(page.evaluate("window.__lcp"))
                    context.close()
                    if not lcp:
                        raise RuntimeError(f"{url}: Chromium reported no largest contentful paint")
                    times.append(lcp)
                result = Measure(name, tuple(times))
                print(result.line(), flush=True)
                results.append(result)
        finally:
            browser.close()
    return results


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.lcp", description="LCP on a slow 3G phone.")
    parser.add_argument("--base-url", help="a server already running on 127.0.0.1, with the demo town")
    parser.add_argument("--town", default=DEMO_TOWN)
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.base_url:
            if refuse_remote(args.base_url):
                return 2
            measures = measure(page_urls(args.base_url.rstrip("/"), args.town), args.runs)
        else:
            with (
                tempfile.TemporaryDirectory(prefix="centreville-lcp-") as runtime,
                demo_server(Path(runtime)) as base,
            ):
                measures = measure(page_urls(base, args.town), args.runs)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(summary(measures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
