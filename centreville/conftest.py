"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Rate limits and cached reads must not leak from one test into the next.
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request in English leaves English active in the thread: every test starts, and ends, in French.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def page_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Set the clock a view reads (views take the time at the edge, then pass it in): a page test about
    dated figures then shows the same page whatever the day it runs."""

    def set_clock(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_clock
