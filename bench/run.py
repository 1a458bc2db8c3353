"""`make bench`: the framework floor (/ping/), a town home, a shop page and a product page under gunicorn,
on SQLite and PostgreSQL.

    python -m bench.run [--towns 20 --shops-per-town 300 --products-per-shop 15] \\
        [--databases sqlite,postgresql] [--rounds 3 --duration 5 --clients 4]

For each database: migrate and generate the bench data (kept when the same data is already there), start
gunicorn with the production settings on 127.0.0.1, warm up, then alternate the floor, town home, shop page
and product page benchmarks for a few rounds and report the medians (the pages as anonymous visitors get
them: from the page cache, once warm). PostgreSQL (BENCH_POSTGRES_URL, by default
postgres://postgres@127.0.0.1:5432/centreville_bench, created if missing) is skipped when unreachable,
except under CI=true where that is an error. Lines ending each benchmark's output:
`bench=floor db=… p50_ms=… p95_ms=… rps=…` and
`bench=town_home db=… p50_ms=… p95_ms=… p99_ms=… rps=… floor_rps=… ratio_to_floor=…`, then the same
for `bench=shop_page` and `bench=product_page` (see bench.pages).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit, urlunsplit

from bench import pages
from bench.load import Connection, LoadResult, describe, parse_target, run_load

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench"
DATABASES = ("sqlite", "postgresql")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description="Floor, town home, shop and product page benchmarks."
    )
    parser.add_argument("--towns", type=int, default=20)
    parser.add_argument("--shops-per-town", type=int, default=300)
    parser.add_argument("--products-per-shop", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--databases", default=",".join(DATABASES), help="comma-separated: sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database for the benchmark (env BENCH_POSTGRES_URL); created if missing",
    )
    parser.add_argument(
        "--sqlite-path",
        type=Path,
        default=None,
        help="SQLite file for the benchmark (default: <var dir>/bench/centreville_bench.sqlite3)",
    )
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive clients")
    parser.add_argument(
        "--duration", type=float, default=5.0, help="measured seconds per benchmark and round"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds alternating the benchmarks")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per URL")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (gthread)")
    parser.add_argument(
        "--worker-class", choices=("gthread", "sync"), default="gthread", help="gunicorn workers"
    )
    args = parser.parse_args(argv)
    args.databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(args.databases) - set(DATABASES)
    if unknown:
        parser.error(f"unknown databases: {', '.join(sorted(unknown))}")
    if args.rounds < 1 or args.duration <= 0 or args.warmup < 0:
        parser.error("rounds and duration must be positive, warm-up not negative")
    return args


def var_dir() -> Path:
    return Path(os.environ.get("CENTREVILLE_VAR_DIR", BASE_DIR / "var"))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def prepare_postgres(url: str) -> str | None:
    """Create the database when missing; return why PostgreSQL cannot be used, or None."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.hostname not in (None, "", "127.0.0.1", "localhost", "::1"):
        return f"{parts.hostname} is not this machine: benchmarks only run against 127.0.0.1"
    name = parts.path.lstrip("/")
    if not name:
        return f"no database name in {url}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, connect_timeout=3, autocommit=True) as connection:
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"created PostgreSQL database {name}", flush=True)
    except psycopg.Error as error:
        return str(error).strip() or type(error).__name__
    return None


def setup_django(database_url: str) -> None:
    """Set Django up in this process, with the local settings, on `database_url`."""
    import django

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()


def setup_django_on(db: str, postgres_url: str, sqlite_file: Path | None = None) -> bool:
    """Set Django up on PostgreSQL (`db` "postgresql": the database is created when missing) or on a new
    SQLite `sqlite_file`; False, saying why on stderr, when PostgreSQL cannot be used."""
    if db == "postgresql":
        problem = prepare_postgres(postgres_url)
        if problem:
            print(f"PostgreSQL unavailable: {problem}", file=sys.stderr)
            return False
        setup_django(postgres_url)
    else:
        assert sqlite_file is not None
        setup_django(f"sqlite:///{sqlite_file}")
    return True


def base_env(database_url: str, runtime_dir: Path) -> dict[str, str]:
    """Environment of the production profile, served over plain HTTP on 127.0.0.1."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=database_url,
        CENTREVILLE_VAR_DIR=str(runtime_dir),  # STATIC_ROOT and the file cache go there
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # What the production checks ask for before the server starts. No worker runs: nothing is sent.
        PUBLIC_BASE_URL="https://localhost",
        EMAIL_URL="smtp://127.0.0.1:25",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        DJANGO_DEBUG="false",
        PYTHONUNBUFFERED="1",
        METRICS_TOKEN="bench-only-metrics-token-0123456789abcdef",
        PROMETHEUS_MULTIPROC_DIR=str(runtime_dir / "metrics"),  # each server worker's counters
    )
    return env


def run_checked(command: list[str], env: dict[str, str]) -> list[str]:
    """Run a command, echoing its output as it comes; return the lines, or raise on failure."""
    lines = []
    with subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(f"  {line}", end="", flush=True)
            lines.append(line.rstrip("\n"))
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed with exit code {process.returncode}")
    return lines


def generate(args: argparse.Namespace, env: dict[str, str]) -> str:
    """Migrate and generate the bench data; return the first bench town's slug."""
    lines = run_checked(
        [
            sys.executable,
            "-m",
            "bench.generate",
            "--towns",
            str(args.towns),
            "--shops-per-town",
            str(args.shops_per_town),
            "--products-per-shop",
            str(args.products_per_shop),
            "--seed",
            str(args.seed),
        ],
        env,
    )
    slugs = [line.removeprefix("first_town=") for line in lines if line.startswith("first_town=")]
    if not slugs:
        raise RuntimeError("bench.generate did not name the first bench town")
    return slugs[-1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def gunicorn(args: argparse.Namespace, env: dict[str, str], log_path: Path) -> Iterator[str]:
    """A gunicorn serving config.wsgi on 127.0.0.1; yields its base URL; always stopped on exit."""
    port = free_port()
    options = {
        "--bind": f"127.0.0.1:{port}",
        "--workers": str(args.workers),
        "--worker-class": args.worker_class,
        "--threads": str(args.threads),
        "--keep-alive": "5",
        "--graceful-timeout": "5",
        "--log-level": "warning",
        "--error-logfile": "-",
    }
    command = [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "--no-control-socket"]
    for option, value in options.items():
        command += [option, value]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_ready(process, f"{base_url}/ping/", log_path)
        yield base_url
    finally:
        stop_server(process)


def wait_until_ready(
    process: subprocess.Popen[bytes], ping_url: str, log_path: Path, limit: float = 60
) -> None:
    deadline = time.monotonic() + limit
    target = parse_target(ping_url)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}:\n{tail(log_path)}")
        connection = Connection(target, timeout=2)
        try:
            status, _ = connection.get()
        except OSError:
            time.sleep(0.1)
            continue
        finally:
            connection.close()
        if status == 200:
            return
        raise RuntimeError(f"/ping/ answered {status}:\n{tail(log_path)}")
    raise RuntimeError(f"gunicorn did not answer /ping/ within {limit:.0f} s:\n{tail(log_path)}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the gunicorn master, then SIGKILL to its process group (only our gunicorn) if need be."""
    if process.poll() is None:
        process.terminate()
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # workers left behind, if any: the group is gunicorn's own
    if process.poll() is None:
        process.wait(timeout=10)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def check_page(url: str) -> None:
    """One GET that must answer 200, so that a broken page fails loudly rather than as fast errors."""
    body = pages.get_ok(url)
    print(f"  {url} → 200, {len(body) / 1024:.1f} KiB", flush=True)


@dataclass(frozen=True)
class Figures:
    p50: float
    p95: float
    p99: float
    rps: float
    errors: int


def medians(results: list[LoadResult]) -> Figures:
    return Figures(
        p50=statistics.median(r.percentile(50) for r in results),
        p95=statistics.median(r.percentile(95) for r in results),
        p99=statistics.median(r.percentile(99) for r in results),
        rps=statistics.median(r.rps for r in results),
        errors=sum(r.errors for r in results),
    )


def measure(urls: dict[str, str], args: argparse.Namespace) -> dict[str, Figures]:
    """Check, warm up, then run every URL once per round (ABBA order across rounds); medians per URL."""
    for url in urls.values():
        check_page(url)
    if args.warmup:
        for url in urls.values():
            run_load(url, clients=args.clients, duration=args.warmup)
    results: dict[str, list[LoadResult]] = {name: [] for name in urls}
    width = max(len(name) for name in urls)
    for round_number in range(args.rounds):
        order = list(urls) if round_number % 2 == 0 else list(reversed(urls))
        for name in order:
            result = run_load(urls[name], clients=args.clients, duration=args.duration)
            results[name].append(result)
            label = name.ljust(width)
            print(
                f"  round {round_number + 1}/{args.rounds} {label} p50 {result.percentile(50):7.2f} ms  "
                f"p95 {result.percentile(95):7.2f} ms  {result.rps:8.1f} req/s  ({describe(result)})",
                flush=True,
            )
    return {name: medians(runs) for name, runs in results.items()}


def benchmark(db: str, base_url: str, town_slug: str, args: argparse.Namespace) -> int:
    """Alternate the benchmarks (ABBA order) and print their medians; return the error count."""
    urls = {
        "floor": f"{base_url}/ping/",
        "town_home": f"{base_url}/{town_slug}/",
        **pages.page_urls(base_url, town_slug),
    }
    figures = measure(urls, args)
    floor, home = figures["floor"], figures["town_home"]
    print(
        f"bench=floor db={db} p50_ms={floor.p50:.2f} p95_ms={floor.p95:.2f} rps={floor.rps:.1f}", flush=True
    )
    ratio = home.rps / floor.rps if floor.rps else 0.0
    print(
        f"bench=town_home db={db} p50_ms={home.p50:.2f} p95_ms={home.p95:.2f} p99_ms={home.p99:.2f} "
        f"rps={home.rps:.1f} floor_rps={floor.rps:.1f} ratio_to_floor={ratio:.3f}",
        flush=True,
    )
    for name in pages.PAGES:
        print(pages.ratio_line(name, db, figures[name], floor), flush=True)
    return sum(f.errors for f in figures.values())


def run_database(db: str, database_url: str, runtime_dir: Path, args: argparse.Namespace) -> int:
    print(f"== {db}: {database_url}", flush=True)
    env = base_env(database_url, runtime_dir)
    town_slug = generate(args, env)
    with gunicorn(args, env, runtime_dir / f"gunicorn-{db}.log") as base_url:
        print(
            f"  gunicorn at {base_url}: {args.workers} {args.worker_class} workers x {args.threads} threads; "
            f"{args.clients} clients, {args.rounds} rounds of {args.duration:g} s",
            flush=True,
        )
        return benchmark(db, base_url, town_slug, args)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    targets: list[tuple[str, str]] = []
    if "sqlite" in args.databases:
        sqlite_path = (args.sqlite_path or var_dir() / "bench" / "centreville_bench.sqlite3").resolve()
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        targets.append(("sqlite", f"sqlite:///{sqlite_path}"))
    if "postgresql" in args.databases:
        problem = prepare_postgres(args.postgres_url)
        if problem is None:
            targets.append(("postgresql", args.postgres_url))
        elif in_ci():
            print(f"error: PostgreSQL is required under CI but unusable: {problem}", file=sys.stderr)
            return 1
        else:
            print(f"PostgreSQL skipped: {problem}", flush=True)
    if not targets:
        print("no database to benchmark", file=sys.stderr)
        return 1

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)  # unwinds through the `finally` that stops gunicorn

    signal.signal(signal.SIGTERM, terminate)
    errors = 0
    try:
        with tempfile.TemporaryDirectory(prefix="centreville-bench-") as runtime:
            runtime_dir = Path(runtime)
            print("collecting static files…", flush=True)
            run_checked(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                base_env(targets[0][1], runtime_dir),
            )
            for db, database_url in targets:
                errors += run_database(db, database_url, runtime_dir, args)
    except (RuntimeError, subprocess.SubprocessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if errors:
        print(f"error: {errors} requests failed during the benchmarks", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
