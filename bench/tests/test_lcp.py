"""The LCP benchmark's pure parts: one line per page with the median of its runs, and the last line."""

from __future__ import annotations

import pytest

from bench import lcp


def test_each_page_reports_the_median_of_its_runs() -> None:
    measure = lcp.Measure("directory", (1800.4, 1500.0, 2100.0))

    assert measure.line() == "bench=lcp page=directory lcp_ms=1800 runs_ms=1800,1500,2100"


def test_the_last_line_names_the_worst_page_and_the_directory() -> None:
    measures = [
        lcp.Measure("home", (2100.0,)),
        lcp.Measure("directory", (1650.0,)),
        lcp.Measure("shop", (1900.0,)),
        lcp.Measure("search", (1500.0,)),
    ]

    assert lcp.summary(measures) == "bench=lcp pages=4 worst_ms=2100 directory_ms=1650 target_ms=2500"


def test_only_a_server_on_this_machine_is_measured(capsys: pytest.CaptureFixture[str]) -> None:
    assert lcp.main(["--base-url", "http://example.org:8000"]) == 2
    assert "127.0.0.1" in capsys.readouterr().err
