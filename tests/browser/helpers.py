"""What browser tests share besides fixtures: accessibility checks, translations, pictures, e-mails."""

from __future__ import annotations

import os
import re
import weakref
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.mail import EmailMessage
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise
from playwright.sync_api import BrowserContext, Page

DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}
LANGUAGES = ["fr", "en"]
# WCAG 2.1 levels A and AA, nothing else: no AAA, no "best practices".
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# BROWSER_SCREENSHOTS=<folder> keeps pictures of the pages for people to look at; nothing compares them.
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS", "")

AXE_SCRIPT = Axe().axe_script
# Contexts opened with JavaScript off: axe-core cannot run there (its promise would never settle).
SCRIPTLESS: weakref.WeakSet[BrowserContext] = weakref.WeakSet()


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation.get('impact')}]: {violation['help']}")
        for node in violation["nodes"]:
            lines.append("    at " + " ".join(str(selector) for selector in node["target"]))
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail, listing what is wrong and where, if axe-core finds a WCAG 2.1 A or AA violation."""
    if page.context in SCRIPTLESS:
        raise RuntimeError("axe-core needs JavaScript: check this page in a context where it is on")
    # axe-core is 570 kB of script: sent once per document, not once per check.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate("(options) => axe.run(document, options)", options)["violations"]
    if violations:
        pytest.fail(
            f"axe-core: {len(violations)} WCAG 2.1 A/AA rule(s) broken on {page.url}\n"
            + format_violations(violations),
            pytrace=False,
        )


def assert_fits(page: Page) -> None:
    """Fail if the page is wider than the screen, measured once its stylesheets apply: a check run while
    a new page is still loading would measure it unstyled."""
    page.wait_for_load_state("load")
    viewport = page.viewport_size
    assert viewport is not None, "the page's context has no fixed viewport"
    width, screen = page.evaluate("document.documentElement.scrollWidth"), viewport["width"]
    assert width <= screen, f"{page.url} is {width} px wide on a {screen} px screen"


def translated(lang: str, message: str | Promise) -> str:
    """`message` (a msgid or a lazy string) as the site shows it in `lang`, from the same catalogues."""
    with translation.override(lang):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{name}.png", full_page=True)


def link_in(message: EmailMessage, origin: str) -> str:
    """The one link to the live server in an e-mail's text."""
    links = re.findall(re.escape(origin) + r"/\S+", str(message.body))
    assert len(links) == 1, message.body
    return links[0]


def signed_in(context: BrowserContext, live_server: Any, user: Any, lang: str = "fr") -> Page:
    """A page of `user`'s browser, logged in through a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url},
        ]
    )
    return context.new_page()


def open_chart_tables(page: Page) -> None:
    """Open each chart's « Voir les données », as a reader who wants the figures does, once the charting
    script has drawn the charts and folded their tables."""
    figures = page.locator("figure.chart-block:has(table)")
    for index in range(figures.count()):
        figures.nth(index).locator("canvas").wait_for()
    folded = page.locator("figure.chart-block details.chart-data:not([open]) > summary")
    for _index in range(folded.count()):
        folded.first.click()  # an opened one leaves the list
