"""The browser reaches the live server and nothing else: not a host name, not another address."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Error, Page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "url", ["http://example.org/", "https://fonts.example.com/a.css", "http://192.0.2.1/"]
)
def test_chromium_reaches_the_live_server_and_nothing_else(page: Page, live_server: Any, url: str) -> None:
    response = page.goto("/")
    assert response is not None
    assert response.ok
    with pytest.raises(Error, match="net::ERR_PROXY_CONNECTION_FAILED"):
        page.goto(url)
