"""Closed-loop HTTP load on a server of this machine: C keep-alive clients, for a bounded time.

    python -m bench.load --url http://127.0.0.1:8000/ping/ --clients 4 --duration 10 --name floor \\
        [--warmup 2] [--db sqlite] [--max-requests 500000]

Each client is a thread with one persistent HTTP/1.1 connection and a minimal response parser, which keeps
the client's share of the CPU small. Only loopback addresses are accepted. Time and request count are both
capped. Non-2xx answers, timeouts and connection failures count as errors; latencies are those of the 2xx
answers completed during the measured window. The last line reads
`bench=NAME db=DB p50_ms=… p95_ms=… p99_ms=… rps=… requests=… errors=…`.
"""

from __future__ import annotations

import argparse
import ipaddress
import itertools
import math
import socket
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_REQUESTS = 500_000
MAX_DURATION = 3600.0
MAX_CLIENTS = 256
MAX_HEADER_LINES = 200
USER_AGENT = "centreville-bench/1"


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.x as this client understands it."""


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str
    request: bytes  # the whole request, encoded once


def refuse_remote(url: str) -> bool:
    """True, saying so on stderr, when `url` is not a server on this machine: only those are measured."""
    if urlsplit(url).hostname in LOOPBACK_HOSTS:
        return False
    print("error: only a server on this machine (127.0.0.1) is measured", file=sys.stderr)
    return True


def parse_target(url: str, cookies: str = "") -> Target:
    """Check that `url` is plain HTTP to a loopback address; refuse anything else with ValueError.

    `cookies` ("name=value; other=value") are sent with the request: a signed-in person's pages."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        raise ValueError(f"only http:// URLs are supported, not {url!r}")
    host = parts.hostname or ""
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"refusing to load {host or url!r}: only 127.0.0.1, localhost and ::1 are allowed")
    port = parts.port or 80
    for *_, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise ValueError(f"{host!r} resolves to {address[0]}, which is not a loopback address")
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    authority = f"[{host}]" if ":" in host else host
    if parts.port:
        authority += f":{port}"
    cookie_line = f"Cookie: {cookies}\r\n" if cookies else ""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: {USER_AGENT}\r\n"
        f"Accept: text/html,*/*\r\nAccept-Language: fr\r\n{cookie_line}Connection: keep-alive\r\n\r\n"
    ).encode("ascii")
    return Target(host, port, path, request)


class Connection:
    """One persistent HTTP/1.1 connection, reopened when the server closes it."""

    def __init__(self, target: Target, timeout: float) -> None:
        self.target = target
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.served = 0  # requests answered on the current socket

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None
        self.served = 0

    def get(self, target: Target | None = None) -> tuple[int, bytes]:
        """Send the target's GET (or that of `target`, another page of the same server); return the status
        and the body.

        A request on a kept-alive socket that the server has meanwhile closed is retried once on a new one.
        """
        request = (target or self.target).request
        reused = self.sock is not None and self.served > 0
        try:
            return self._exchange(request)
        except (ConnectionError, ProtocolError):
            self.close()
            if not reused:
                raise
        return self._exchange(request)

    def _exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = socket.create_connection((self.target.host, self.target.port), timeout=self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer = b""
        self.sock.sendall(request)
        status_line = self._line()
        if not status_line:
            raise ConnectionResetError("the server closed the connection")
        try:
            version, code, *_ = status_line.split(b" ", 2)
            status = int(code)
        except ValueError as error:
            raise ProtocolError(f"bad status line {status_line!r}") from error
        length: int | None = None
        chunked = False
        keep_alive = version == b"HTTP/1.1"
        for _ in range(MAX_HEADER_LINES):
            line = self._line()
            if not line:
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                keep_alive = b"close" not in value.lower()
        else:
            raise ProtocolError("too many header lines")
        if chunked:
            body = self._chunked()
        elif length is not None:
            body = self._exactly(length)
        else:
            body = self._until_closed()
            keep_alive = False
        self.served += 1
        if not keep_alive:
            self.close()
        return status, body

    def _fill(self) -> None:
        assert self.sock is not None
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionResetError("the server closed the connection mid-answer")
        self.buffer += data

    def _line(self) -> bytes:
        """The next line without its CRLF; b"" at a blank line or when the server has closed cleanly."""
        while True:
            end = self.buffer.find(b"\r\n")
            if end >= 0:
                line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
                return line
            if len(self.buffer) > 65536:
                raise ProtocolError("header line too long")
            try:
                self._fill()
            except ConnectionResetError:
                if self.buffer:
                    raise
                return b""

    def _exactly(self, length: int) -> bytes:
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return body

    def _chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int(self._line().split(b";")[0], 16)
            if size == 0:
                while self._line():  # trailers, up to the blank line
                    pass
                return b"".join(parts)
            parts.append(self._exactly(size))
            self._exactly(2)

    def _until_closed(self) -> bytes:
        assert self.sock is not None
        while data := self.sock.recv(65536):
            self.buffer += data
        body, self.buffer = self.buffer, b""
        return body


@dataclass
class ClientRecord:
    latencies_ns: list[int] = field(default_factory=list)
    errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    last_done_ns: int = 0


@dataclass(frozen=True)
class LoadResult:
    requests: int  # answers completed in the measured window, errors included
    errors: int
    seconds: float  # length of the measured window
    latencies_ms: list[float]  # sorted, 2xx answers only
    statuses: dict[int, int]
    failures: dict[str, int]
    capped: bool  # the request cap ended the run before its time

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the 2xx latencies, in ms (nan when there were none)."""
        if not self.latencies_ms:
            return math.nan
        rank = max(1, math.ceil(p / 100 * len(self.latencies_ms)))
        return self.latencies_ms[rank - 1]

    def line(self, name: str, db: str) -> str:
        p50, p95, p99 = (self.percentile(p) for p in (50, 95, 99))
        return (
            f"bench={name} db={db} p50_ms={p50:.2f} p95_ms={p95:.2f} p99_ms={p99:.2f} rps={self.rps:.1f} "
            f"requests={self.requests} errors={self.errors}"
        )


def run_load(
    url: str,
    *,
    clients: int,
    duration: float,
    warmup: float = 0.0,
    max_requests: int = MAX_REQUESTS,
    timeout: float = 10.0,
) -> LoadResult:
    """Hit `url` with `clients` concurrent connections: `warmup` seconds unmeasured, then `duration` measured.

    Never sends more than `max_requests` requests (warm-up included) nor runs longer than the two periods
    plus one request timeout.
    """
    target = parse_target(url)
    if not 1 <= clients <= MAX_CLIENTS:
        raise ValueError(f"clients must be within 1 to {MAX_CLIENTS}")
    if not (0 < duration <= MAX_DURATION and 0 <= warmup <= MAX_DURATION):
        raise ValueError(f"duration must be within 0 to {MAX_DURATION:.0f} s, warm-up too")
    if max_requests < 1:
        raise ValueError("max_requests must be positive")

    tickets = itertools.count()  # next() on it is atomic under the GIL: the cap is exact
    stop = threading.Event()
    started = time.perf_counter_ns()
    measure_from = started + int(warmup * 1e9)
    measure_until = measure_from + int(duration * 1e9)
    records = [ClientRecord() for _ in range(clients)]

    def client(record: ClientRecord) -> None:
        connection = Connection(target, timeout)
        clock = time.perf_counter_ns
        try:
            while not stop.is_set() and next(tickets) < max_requests:
                began = clock()
                try:
                    status, _ = connection.get()
                except (OSError, ProtocolError, ValueError) as error:
                    connection.close()
                    status, failure = 0, type(error).__name__
                else:
                    failure = ""
                done = clock()
                if done > measure_until:
                    break
                if done < measure_from:
                    continue
                record.last_done_ns = done
                if 200 <= status < 300:
                    record.latencies_ns.append(done - began)
                else:
                    record.errors += 1
                    if failure:
                        record.failures[failure] += 1
                record.statuses[status] += 1
        finally:
            connection.close()

    threads = [
        threading.Thread(target=client, args=(record,), name=f"bench-client-{n}", daemon=True)
        for n, record in enumerate(records)
    ]
    for thread in threads:
        thread.start()
    deadline = (measure_until - time.perf_counter_ns()) / 1e9
    end = time.monotonic() + max(deadline, 0)
    while time.monotonic() < end and any(thread.is_alive() for thread in threads):
        time.sleep(min(0.05, max(end - time.monotonic(), 0)))
    capped = any(thread.is_alive() for thread in threads) is False and time.monotonic() < end
    stop.set()
    for thread in threads:
        thread.join(timeout + 1)

    window_end = measure_until
    if capped:
        window_end = min(measure_until, max((r.last_done_ns for r in records), default=measure_from))
    latencies = sorted(ns / 1e6 for record in records for ns in record.latencies_ns)
    errors = sum(record.errors for record in records)
    statuses: Counter[int] = Counter()
    failures: Counter[str] = Counter()
    for record in records:
        statuses.update(record.statuses)
        failures.update(record.failures)
    return LoadResult(
        requests=len(latencies) + errors,
        errors=errors,
        seconds=max(window_end - measure_from, 0) / 1e9,
        latencies_ms=latencies,
        statuses=dict(statuses),
        failures=dict(failures),
        capped=capped,
    )


def describe(result: LoadResult) -> str:
    """A human summary of a run, for the lines before the figures."""
    statuses = ", ".join(
        f"{status or 'no answer'}: {count}" for status, count in sorted(result.statuses.items())
    )
    text = f"{result.requests} requests in {result.seconds:.1f} s ({statuses or 'none'})"
    if result.failures:
        text += "; failures: " + ", ".join(f"{name}: {count}" for name, count in result.failures.items())
    if result.capped:
        text += "; stopped by the request cap"
    return text


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description="Closed-loop HTTP load, loopback only."
    )
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT/path/ (loopback only)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive connections")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before")
    parser.add_argument("--name", required=True, help="benchmark name for the last line")
    parser.add_argument("--db", default="unknown", help="database label for the last line")
    parser.add_argument("--max-requests", type=int, default=MAX_REQUESTS, help="hard cap, warm-up included")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a request fails")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        result = run_load(
            args.url,
            clients=args.clients,
            duration=args.duration,
            warmup=args.warmup,
            max_requests=args.max_requests,
            timeout=args.timeout,
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.name}: {describe(result)}")
    print(result.line(args.name, args.db), flush=True)
    return 0 if result.requests and not result.errors else 1


if __name__ == "__main__":
    sys.exit(main())
