"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Rate limits and cached reads must not leak from one test into the next.
    cache.clear()
