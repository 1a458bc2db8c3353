"""Weight of a demo shop page as a first-time visitor's browser downloads it, images left out.

    python -m bench.page_weight [--url http://127.0.0.1:PORT/argentan/commerces/SHOP/]

Without --url: loads the demo (manage.py demo_load) into a throw-away SQLite database, collects the static
files (compressed, as deployed) and serves them with gunicorn on 127.0.0.1 (the `make run` profile), then
opens the first demo shop showing products. Chromium (/usr/bin/chromium, or CENTREVILLE_CHROMIUM) reaches
nothing but 127.0.0.1, as in the browser tests. Every response but images is summed as transferred
(headers and encoded body). The last line reads `bench=shop_page_weight kb=… requests=…`; the target is
under 60 KB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench import pages
from bench.load import refuse_remote
from bench.run import gunicorn, run_checked

CHROMIUM = os.environ.get("CENTREVILLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
DEMO_TOWN = "argentan"
TARGET_KB = 60


@dataclass(frozen=True)
class Transfer:
    url: str
    kind: str  # Playwright's resource type: document, stylesheet, script, image…
    status: int
    size: int  # bytes as transferred: headers and (compressed) body


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.page_weight", description="Weight of a shop page.")
    parser.add_argument("--url", help="a shop page on a server already running on 127.0.0.1")
    return parser.parse_args(argv)


def demo_env(runtime: Path) -> dict[str, str]:
    """The demo's profile (`make run`), everything kept under `runtime`: database, static files, cache."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{runtime / 'weight.sqlite3'}",
        CENTREVILLE_VAR_DIR=str(runtime),
        SECRET_KEY="page-weight-only-secret-key-not-for-production-0123456789abcdef",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_DEBUG="false",
        SERVE_MEDIA="true",
        PYTHONUNBUFFERED="1",
    )
    return env


@contextmanager
def demo_server(runtime: Path) -> Iterator[str]:
    env = demo_env(runtime)
    for command in (
        ["manage.py", "migrate", "--noinput", "--verbosity", "0"],
        ["manage.py", "demo_load"],
        ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
    ):
        run_checked([sys.executable, *command], env)
    options = argparse.Namespace(workers=1, threads=2, worker_class="gthread")
    with gunicorn(options, env, runtime / "gunicorn.log") as base_url:
        yield base_url


def transfers(url: str) -> list[Transfer]:
    """Everything a fresh Chromium downloads to show `url`, once the network is idle."""
    from playwright.sync_api import Request, Route, sync_playwright

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    finished: list[Request] = []

    def only_this_server(route: Route) -> None:
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
            context.route("**/*", only_this_server)
            page = context.new_page()
            page.on("requestfinished", lambda request: finished.append(request))
            response = page.goto(url, wait_until="networkidle")
            if response is None or response.status != 200:
                raise RuntimeError(f"{url} answered {response.status if response else 'nothing'}")
            result = []
            for request in finished:
                sizes = request.sizes()
                answer = request.response()
                result.append(
                    Transfer(
                        url=request.url,
                        kind=request.resource_type,
                        status=answer.status if answer else 0,
                        size=sizes["responseHeadersSize"] + sizes["responseBodySize"],
                    )
                )
            return result
        finally:
            browser.close()


def report(url: str, items: list[Transfer]) -> int:
    counted = [item for item in items if item.kind != "image"]
    for item in items:
        mark = " " if item.kind != "image" else "-"
        print(f"  {mark} {item.size / 1024:7.1f} KB  {item.kind:<10} {item.status}  {item.url}", flush=True)
    total = sum(item.size for item in counted) / 1024
    images = sum(item.size for item in items if item.kind == "image") / 1024
    print(f"  {url}: {total:.1f} KB in {len(counted)} requests, images left out ({images:.1f} KB)")
    print(f"bench=shop_page_weight kb={total:.1f} requests={len(counted)} target_kb={TARGET_KB}", flush=True)
    return 0 if counted else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.url:
            if refuse_remote(args.url):
                return 2
            return report(args.url, transfers(args.url))
        with (
            tempfile.TemporaryDirectory(prefix="centreville-weight-") as runtime,
            demo_server(Path(runtime)) as base,
        ):
            url = pages.page_urls(base, DEMO_TOWN)["shop_page"]
            return report(url, transfers(url))
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
