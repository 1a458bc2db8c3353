"""The `make bench` driver's pure parts: arguments, PostgreSQL guard, medians."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import run
from bench.load import LoadResult


def result(latencies: list[float], seconds: float = 1.0) -> LoadResult:
    return LoadResult(
        requests=len(latencies), errors=0, seconds=seconds, latencies_ms=sorted(latencies),
        statuses={200: len(latencies)}, failures={}, capped=False,
    )  # fmt: skip


def test_defaults_cover_both_databases() -> None:
    args = run.parse_args([])

    assert args.databases == ["sqlite", "postgresql"]
    assert (args.towns, args.shops_per_town, args.products_per_shop) == (20, 300, 15)


def test_unknown_database_is_refused() -> None:
    with pytest.raises(SystemExit):
        run.parse_args(["--databases", "sqlite,mysql"])


def test_remote_postgresql_is_refused_without_connecting() -> None:
    problem = run.prepare_postgres("postgres://postgres@db.example.com:5432/centreville_bench")

    assert problem is not None
    assert "127.0.0.1" in problem


def test_figures_are_medians_of_the_rounds() -> None:
    figures = run.medians([result([1.0] * 10), result([3.0] * 30), result([2.0] * 20)])

    assert figures.p50 == 2.0
    assert figures.rps == 20.0
    assert figures.errors == 0


def test_production_environment_serves_plain_http_on_loopback(tmp_path: Path) -> None:
    env = run.base_env("sqlite:///x.sqlite3", tmp_path)

    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert env["SECURE_SSL_REDIRECT"] == "false"
    assert env["ALLOWED_HOSTS"].split(",")[0] == "127.0.0.1"
