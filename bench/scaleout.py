"""Several servers, one truth: a rehearsal of the platform run as two app servers, two task workers and two
schedulers (one too many, on purpose) on one PostgreSQL and one Redis, all on 127.0.0.1.

    python -m bench.scaleout [--postgres-url URL] [--redis-url URL] [--edits 10] [--messages 120] \\
        [--requests 300] [--time-limit 300]

Its own PostgreSQL database (BENCH_SCALEOUT_POSTGRES_URL) is dropped and created at each run, its own Redis
database (BENCH_SCALEOUT_REDIS_URL) emptied. Then, with the production settings (`bench.scaleout_settings`):

- stale pages: a merchant signed in through one server changes a product's price with the real form; the
  other server's public page of the product, cached beforehand, is read right after the answer and must
  show the new price. Edits alternate between the two servers.
- messages: a batch of e-mails goes through the send task; once a quarter is sent, one worker is killed in
  the middle of a send (SIGKILL to the worker and to the child running the job, as when its machine dies)
  and another started, as a supervisor would. Every message must be written once by the e-mail backend
  (files in a directory).
- schedulers: both enqueue rounds every SCHEDULER_SECONDS; no period may be enqueued by both.
- load: a few hundred GETs on one server, then as many on each of the two at once; none may fail.

The last line reads `bench=scaleout servers=2 workers=2 stale_pages=… duplicate_messages=… lost_messages=…
scheduler_runs_doubled=… errors=… requests=…`; every process started is killed on the way out, whatever
happens, and the whole run is bounded by --time-limit.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import IO, Any

from bench.run import BASE_DIR, base_env, free_port, in_ci, tail

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_scaleout"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
TOWN_SLUG = "essai-serveurs"
SCHEDULER_SECONDS = 15
LOST_AFTER_SECONDS = 20  # a queued message untouched this long is sent again by the catch-up
LOOPBACK = ("127.0.0.1", "localhost")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scaleout",
        description="Two app servers, two workers, two schedulers: one truth.",
    )
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_SCALEOUT_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_SCALEOUT_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--edits", type=int, default=10, help="price changes, alternating servers")
    parser.add_argument("--messages", type=int, default=120, help="e-mails in the batch a worker dies in")
    parser.add_argument("--requests", type=int, default=300, help="GETs per server in the load check")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of the load check")
    parser.add_argument("--time-limit", type=float, default=300, help="seconds before everything is stopped")
    return parser.parse_args(argv)


# --- Processes -----


class Processes:
    """Every process the rehearsal starts, each in its own process group, all killed by `stop_all()`."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.logs: list[IO[bytes]] = []

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("wb")
        self.logs.append(log)
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append((name, process))
        return process

    def log(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        """SIGKILL to the process's group: it and its children (a worker's job, gunicorn's workers)."""
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for _name, process in self.started:
            if process.poll() is None:
                with suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for _name, process in self.started:
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for _name, process in self.started:  # and whatever a group left behind
            self.kill(process)
        for log in self.logs:
            log.close()


def manage(*arguments: str) -> list[str]:
    return [sys.executable, "manage.py", *arguments]


def gunicorn_command(port: int) -> list[str]:
    return [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi",
        "--no-control-socket",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--worker-class",
        "gthread",
        "--threads",
        "2",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]


def wait_until_answering(
    base_url: str, process: subprocess.Popen[bytes], log: Path, limit: float = 90
) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server {base_url} stopped:\n{tail(log)}")
        with suppress(OSError):
            if get(f"{base_url}/ping/")[0] == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server {base_url} did not answer within {limit:.0f} s:\n{tail(log)}")


# --- Databases -----


def check_loopback(*urls: str) -> None:
    for url in urls:
        if urllib.parse.urlsplit(url).hostname not in LOOPBACK:
            raise SystemExit(f"error: {url} is not on this machine; the rehearsal runs on 127.0.0.1 only")


def reset_postgres(url: str) -> None:
    """Drop the rehearsal's own database and create it empty."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in ("postgres", "template0", "template1"):
        raise SystemExit(f"error: {url} names no database of its own")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, connect_timeout=3, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def reset_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=3).flushdb()


@dataclass(frozen=True)
class Plan:
    shop_path: str
    product_path: str
    price_path: str
    email: str
    password: str


def prepare() -> Plan:
    """Migrate, collect the static files, and make one town, one shop, one product and its merchant."""
    from django.core.management import call_command

    from centreville.accounts.tests.factories import DEFAULT_PASSWORD
    from centreville.catalogue.tests.factories import ProductFactory
    from centreville.shops.models import ShopStatus
    from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
    from centreville.towns.tests.factories import TownFactory

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    town = TownFactory.create(slug=TOWN_SLUG, name="Essai-les-Serveurs", is_published=True)
    shop = ShopFactory.create(
        town=town, name="Épicerie du Marché", slug="epicerie", status=ShopStatus.PUBLISHED
    )
    member = ShopMembershipFactory.create(shop=shop, user__email="commercante@example.fr")
    product = ProductFactory.create(
        shop=shop, title="Confiture de fraises", slug="confiture", price=Decimal("4.20"), is_visible=True
    )
    shop_path = f"/{TOWN_SLUG}/commerces/{shop.slug}/"
    return Plan(
        shop_path=shop_path,
        product_path=f"{shop_path}produits/{product.slug}/",
        price_path=f"/{TOWN_SLUG}/espace-commercant/commerces/{shop.slug}/produits/{product.slug}/prix/",
        email=member.user.email,
        password=DEFAULT_PASSWORD,
    )


# --- HTTP -----


def get(url: str, timeout: float = 30) -> tuple[int, str]:
    """An anonymous GET (no cookie: the page cache may answer), its status and body."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        connection.request("GET", parts.path or "/", headers={"Accept-Language": "fr"})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Merchant:
    """A signed-in person's browser: cookies (session, CSRF) kept across both servers."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def cookie(self, name: str) -> str:
        return next((cookie.value or "" for cookie in self.jar if cookie.name == name), "")

    def open(self, url: str, data: dict[str, str] | None = None) -> int:
        return self.fetch(url, data)[0]

    def fetch(
        self, url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """A GET, or a POST of the form `data` with the CSRF token; the status and the page."""
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.cookie("csrftoken")}).encode()
        request = urllib.request.Request(url, data=body, headers={"Accept-Language": "fr", **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as response:
                return int(response.status), response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:  # 3xx (not followed) and errors
            return int(error.code), error.read().decode("utf-8", errors="replace")

    def sign_in(self, base_url: str, email: str, password: str) -> None:
        self.open(f"{base_url}/compte/login/")
        status = self.open(f"{base_url}/compte/login/", {"login": email, "password": password})
        if status != 302 or not self.cookie("sessionid"):
            raise RuntimeError(f"signing in through {base_url} answered {status}")


# --- The checks -----


@dataclass
class Tally:
    requests: int = 0
    errors: int = 0
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  {text}", flush=True)

    def answer(self, status: int, expected: int = 200) -> bool:
        self.requests += 1
        if status != expected:
            self.errors += 1
            return False
        return True


def french_price(price: Decimal) -> str:
    return f"{price:.2f}".replace(".", ",")


def check_changes(servers: list[str], plan: Plan, edits: int, redis_url: str, tally: Tally) -> int:
    """Stale pages: after each change saved through one server, the other's cached page must show it."""
    import redis

    merchant = Merchant()
    merchant.sign_in(servers[0], plan.email, plan.password)
    stale = 0
    price = Decimal("4.20")
    for edit in range(edits):
        writer, reader = servers[edit % 2], servers[(edit + 1) % 2]
        for server in servers:  # both servers cache the page as it is now
            status, body = get(server + plan.product_path)
            if tally.answer(status) and french_price(price) not in body:
                stale += 1
                tally.note(f"edit {edit}: {server} showed an old price before the change")
        if edit == 0:
            cached = len(redis.Redis.from_url(redis_url).keys("*:page:*"))
            tally.note(f"pages in the shared cache before the first change: {cached}")
            if not cached:
                raise RuntimeError("no page was cached: the check of stale pages would prove nothing")
        price = Decimal(11 + edit) + Decimal(37 + edit) / 100
        # The quick price form; a signed-in session made on the first server serves on both.
        tally.answer(merchant.open(writer + plan.price_path, {"price": french_price(price)}), expected=302)
        status, body = get(reader + plan.product_path)  # right after the writer's answer
        if tally.answer(status) and french_price(price) not in body:
            stale += 1
            tally.note(f"edit {edit}: {reader} served {plan.product_path} without the new price")
    return stale


@dataclass(frozen=True)
class Mailbox:
    sent: int
    unique: int
    duplicates: int


def read_mailbox(mail_dir: Path) -> Mailbox:
    """The messages the backend wrote (several may share a file), counted by their Message-ID."""
    ids: Counter[str] = Counter()
    for path in mail_dir.glob("*.log"):
        ids.update(re.findall(r"^Message-ID: (\S+)$", path.read_text(errors="replace"), flags=re.MULTILINE))
    return Mailbox(sent=sum(ids.values()), unique=len(ids), duplicates=sum(ids.values()) - len(ids))


def current_message_of(process: subprocess.Popen[bytes], redis_url: str) -> int | None:
    """The message whose send task the RQ worker of this process was running (killed, it is still
    registered), None when it was idle."""
    import redis
    from rq import Worker
    from rq.job import Job

    connection = redis.Redis.from_url(redis_url)
    for worker in Worker.all(connection=connection):
        if worker.pid == process.pid and (job_id := worker.get_current_job_id()):
            return int(Job.fetch(job_id, connection=connection).args[0])
    return None


def check_messages(
    processes: Processes, workers: list[subprocess.Popen[bytes]], count: int, mail_dir: Path, redis_url: str,
    tally: Tally,
) -> tuple[int, int]:  # fmt: skip
    """A worker killed mid-batch: returns (duplicate messages, lost messages)."""
    from centreville.notifications.models import Audience, Channel, Notification, NotificationStatus
    from centreville.notifications.tasks import send_notification

    rows = Notification.objects.bulk_create(
        Notification(
            key=f"bench-scaleout:{number}",
            kind="bench",
            audience=Audience.CUSTOMER,
            channel=Channel.EMAIL,
            recipient=f"client{number}@example.fr",
            subject=f"Message d'essai {number}",
            body="Bonjour, ceci est un essai.",
        )
        for number in range(count)
    )
    for row in rows:  # the path every message takes: one send task each, run by the workers
        send_notification.enqueue(row.pk)
    sent = Notification.objects.filter(status=NotificationStatus.SENT)
    deadline = time.monotonic() + 120
    while sent.count() < count // 4:
        if time.monotonic() > deadline:
            raise RuntimeError("the workers sent too little to kill one mid-batch")
        time.sleep(0.02)
    victim = workers[0]
    sending = mail_dir / "sending"
    while not (sending / str(victim.pid)).exists():  # the victim in the middle of a send
        if time.monotonic() > deadline:
            raise RuntimeError("the worker to kill was never seen sending")
        time.sleep(0.001)
    Processes.kill(victim)
    interrupted = current_message_of(victim, redis_url)
    before = sent.count()
    killed_at = time.monotonic()
    workers[0] = processes.start("worker-3", manage("run_worker"))  # its supervisor starts another
    if interrupted is None:
        tally.note(f"worker killed after {before}/{count} messages sent, between two jobs")
    else:
        left = Notification.objects.get(pk=interrupted)
        tally.note(
            f"worker killed after {before}/{count} messages sent, in the middle of sending message "
            f"{interrupted}, left {left.status} after {left.attempts} attempt(s)"
        )
    while sent.count() < count and time.monotonic() < killed_at + 150:
        time.sleep(0.25)
    recovered = time.monotonic() - killed_at
    time.sleep(1)  # a duplicate would be written by now
    mailbox = read_mailbox(mail_dir)
    if interrupted is not None:
        tally.note(f"message {interrupted}: {Notification.objects.get(pk=interrupted).status} in the end")
    tally.note(
        f"messages: {count} queued, {sent.count()} marked sent, {mailbox.sent} written "
        f"({mailbox.unique} different), {recovered:.1f} s after the kill"
    )
    return mailbox.duplicates, count - mailbox.unique


def check_schedulers(logs: list[Path], tally: Tally) -> tuple[int, int]:
    """(periods enqueued by more than one scheduler, periods enqueued)."""
    enqueued: Counter[str] = Counter()
    skipped = 0
    for log in logs:
        text = log.read_text(errors="replace")
        enqueued.update(re.findall(r"^Round of (\S+): enqueued ", text, flags=re.MULTILINE))
        skipped += len(re.findall(r"already enqueued by another scheduler", text))
    doubled = sum(1 for runs in enqueued.values() if runs > 1)
    tally.note(f"scheduler rounds: {len(enqueued)} periods enqueued, {skipped} skipped by the other")
    return doubled, len(enqueued)


def spread_load(servers: list[str], paths: list[str], per_server: int, clients: int, tally: Tally) -> int:
    """`per_server` GETs on each server at once, anonymous, cycling through `paths`; the errors."""
    urls = [server + paths[n % len(paths)] for server in servers for n in range(per_server)]

    def fetch(url: str) -> int:
        try:
            return get(url, timeout=30)[0]
        except OSError:
            return 0

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        statuses = list(pool.map(fetch, urls))
    errors = sum(1 for status in statuses if status != 200)
    tally.requests += len(statuses)
    tally.errors += errors
    tally.note(
        f"load on {len(servers)} server(s): {len(statuses)} GETs in {time.monotonic() - started:.1f} s, "
        f"{errors} errors"
    )
    return errors


# --- The rehearsal -----


def platform_env(postgres_url: str, redis_url: str, runtime: Path) -> dict[str, str]:
    """The production settings of the rehearsal (`bench.scaleout_settings`) on these databases, e-mails
    written in `runtime`/mail."""
    mail_dir = runtime / "mail"
    mail_dir.mkdir(exist_ok=True)
    env = base_env(postgres_url, runtime)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.scaleout_settings",
        REDIS_URL=redis_url,
        BENCH_MAIL_DIR=str(mail_dir),
        NOTIFICATIONS_LOST_AFTER_SECONDS=str(LOST_AFTER_SECONDS),
        TRUSTED_PROXY_COUNT="0",
        LOG_LEVEL="ERROR",
    )
    return env


def start_servers(processes: Processes, count: int = 2) -> list[str]:
    """`count` gunicorns on free ports of 127.0.0.1, answering; their base URLs."""
    ports = [free_port() for _ in range(count)]
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    gunicorns = [processes.start(f"server-{n + 1}", gunicorn_command(port)) for n, port in enumerate(ports)]
    for n, (server, process) in enumerate(zip(servers, gunicorns, strict=True)):
        wait_until_answering(server, process, processes.log(f"server-{n + 1}"))
    return servers


def rehearse(args: argparse.Namespace, runtime: Path) -> tuple[dict[str, int], Tally]:
    mail_dir = runtime / "mail"
    env = platform_env(args.postgres_url, args.redis_url, runtime)
    os.environ.update(env)
    import django

    django.setup()
    plan = prepare()
    tally = Tally()
    processes = Processes(env, runtime)
    try:
        workers = [processes.start(f"worker-{n + 1}", manage("run_worker")) for n in range(2)]
        interval = str(SCHEDULER_SECONDS / 60)
        for n in range(2):  # one too many, on purpose
            processes.start(f"scheduler-{n + 1}", manage("run_scheduler", "--interval", interval))
        scheduler_started = time.monotonic()
        servers = start_servers(processes)
        print(f"servers on {', '.join(servers)}; two workers, two schedulers", flush=True)

        stale = check_changes(servers, plan, args.edits, args.redis_url, tally)
        duplicates, lost = check_messages(processes, workers, args.messages, mail_dir, args.redis_url, tally)
        paths = [f"/{TOWN_SLUG}/", plan.shop_path, plan.product_path]
        spread_load(servers[:1], paths, args.requests, args.clients, tally)  # one server, as before
        spread_load(servers, paths, args.requests, args.clients, tally)
        # At least four periods seen by both schedulers.
        time.sleep(max(0.0, scheduler_started + 4 * SCHEDULER_SECONDS + 2 - time.monotonic()))
        logs = [processes.log(f"scheduler-{n}") for n in (1, 2)]
        doubled, periods = check_schedulers(logs, tally)
        if periods < 3:
            raise RuntimeError(f"the schedulers enqueued {periods} periods only:\n{tail(logs[0])}")
    finally:
        processes.stop_all()
    figures = {"stale_pages": stale, "duplicate_messages": duplicates, "lost_messages": lost}
    figures["scheduler_runs_doubled"] = doubled
    return figures, tally


def own_databases_ready(postgres_url: str, redis_url: str, what: str) -> int | None:
    """Drop and create the run's own PostgreSQL database and empty its Redis database; None when done,
    otherwise the exit status of a skipped run (an error under CI)."""
    check_loopback(postgres_url, redis_url)
    try:
        reset_postgres(postgres_url)
        reset_redis(redis_url)
    except Exception as error:
        print(f"PostgreSQL or Redis unusable ({error}): {what} is skipped.", flush=True)
        return 2 if in_ci() else 0
    return None


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise TimeoutError in this (main) thread once `seconds` have passed, so that every `finally` runs."""

    def on_time_limit(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"{what} ran out of time")

    signal.signal(signal.SIGALRM, on_time_limit)
    signal.alarm(math.ceil(seconds))
    try:
        yield
    finally:
        signal.alarm(0)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    skipped = own_databases_ready(args.postgres_url, args.redis_url, "the rehearsal")
    if skipped is not None:
        return skipped
    started = time.monotonic()
    with (
        time_limit(args.time_limit, "the rehearsal"),
        tempfile.TemporaryDirectory(prefix="centreville-scaleout-") as runtime,
    ):
        figures, tally = rehearse(args, Path(runtime))
    print(f"rehearsal took {time.monotonic() - started:.0f} s", flush=True)
    print(
        "bench=scaleout servers=2 workers=2 "
        + " ".join(f"{name}={value}" for name, value in figures.items())
        + f" errors={tally.errors} requests={tally.requests}",
        flush=True,
    )
    return 0 if not any(figures.values()) and not tally.errors else 1


if __name__ == "__main__":
    sys.exit(main())
