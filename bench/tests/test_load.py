"""The load runner against a tiny threaded HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import load


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    served = 0
    lock = threading.Lock()

    def do_GET(self) -> None:
        with Handler.lock:
            Handler.served += 1
        status = 500 if self.path.startswith("/broken") else 200
        if self.path.startswith("/chunked"):
            self.send_response(status)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"5\r\nhello\r\n0\r\n\r\n")
            return
        body = b"pong"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def server_bind(self) -> None:
        super().server_bind()
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


@pytest.fixture
def server() -> Iterator[str]:
    Handler.wbufsize = -1  # one write per answer: no Nagle stall between headers and body
    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.served = 0
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_request_cap_is_exact_and_all_answers_count(server: str) -> None:
    result = load.run_load(f"{server}/ping/", clients=3, duration=30, max_requests=150)

    assert result.requests == 150 == Handler.served
    assert result.errors == 0
    assert result.statuses == {200: 150}
    assert result.capped
    assert result.seconds < 30
    p50, p95, p99 = (result.percentile(p) for p in (50, 95, 99))
    assert 0 < p50 <= p95 <= p99 < 1000
    assert result.rps > 0
    line = result.line("floor", "sqlite")
    assert line.startswith("bench=floor db=sqlite p50_ms=")
    assert line.endswith("requests=150 errors=0")


def test_duration_bounds_the_run_and_warmup_is_not_measured(server: str) -> None:
    result = load.run_load(f"{server}/ping/", clients=2, duration=0.5, warmup=0.3)

    assert not result.capped
    assert result.errors == 0
    assert result.requests > 0
    assert Handler.served > result.requests
    assert result.seconds == pytest.approx(0.5)


def test_non_2xx_answers_are_errors(server: str) -> None:
    result = load.run_load(f"{server}/broken/", clients=2, duration=5, max_requests=20)

    assert result.requests == result.errors == 20
    assert result.statuses == {500: 20}
    assert result.latencies_ms == []


def test_chunked_answers_are_read(server: str) -> None:
    result = load.run_load(f"{server}/chunked/", clients=1, duration=5, max_requests=10)

    assert result.requests == 10
    assert result.errors == 0


def test_connection_failures_are_errors() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nobody listens there once closed
    result = load.run_load(f"http://127.0.0.1:{port}/", clients=1, duration=5, max_requests=5)

    assert result.errors == 5
    assert result.failures == {"ConnectionRefusedError": 5}


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "http://10.0.0.1:8000/",
        "http://192.168.1.2/",
        "https://127.0.0.1/",
        "ftp://localhost/",
    ],
)
def test_non_loopback_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"refusing|only http"):
        load.parse_target(url)
    assert load.main(["--url", url, "--duration", "1", "--name", "x"]) == 2


def test_loopback_names_are_accepted() -> None:
    for url in ("http://127.0.0.1:8000/ping/", "http://localhost:8000/", "http://[::1]:8000/x?y=1"):
        target = load.parse_target(url)
        assert target.request.startswith(b"GET /")
    assert b"Host: [::1]:8000\r\n" in load.parse_target("http://[::1]:8000/").request


def test_cli_prints_the_figures_last(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = load.main(
        [
            "--url",
            f"{server}/ping/",
            "--clients",
            "2",
            "--duration",
            "0.3",
            "--warmup",
            "0",
            "--name",
            "floor",
            "--db",
            "sqlite",
        ]
    )

    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert code == 0
    assert last.startswith("bench=floor db=sqlite p50_ms=")
    assert " errors=0" in last
