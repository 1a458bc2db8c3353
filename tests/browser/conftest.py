"""Browser test harness: one Chromium per session, one fresh context per test.

The live server runs in a thread of this process, so the test shares its database, cache and mail
outbox. Chromium reaches nothing but that server: other host names do not resolve, and any other
address goes to a proxy that is not there. Both are launch flags, so no request waits on the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from centreville.accounts.models import User
from centreville.accounts.tests.factories import UserFactory
from centreville.catalogue.models import Product
from centreville.catalogue.tests.factories import ProductFactory
from centreville.fulfilment.models import TownOrderSettings
from centreville.fulfilment.tests.factories import (
    DeliveryZoneFactory,
    LockerFactory,
    ShopFulfilmentFactory,
    TownFulfilmentFactory,
)
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory, TradeCategoryFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .helpers import DESKTOP, LANGUAGES, SCRIPTLESS

# A numeric address: nothing to resolve, and the one host Chromium is allowed to reach.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = os.environ.get("CENTREVILLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    # Port 9 (discard) is closed here; Chromium never sends loopback addresses to a proxy.
    "--proxy-server=http://127.0.0.1:9",
]
TIMEOUT_MS = 5_000

NewContext = Callable[..., BrowserContext]


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        message = f"no Chromium at {CHROMIUM}; `make test` installs it (or set CENTREVILLE_CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an asyncio loop in this thread, and Django refuses ORM calls from a
    # thread with a running loop unless told otherwise. The allowance lasts as long as the loop does:
    # one test module, so the unit tests that a worker runs afterwards keep Django's guard.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as instance:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield instance


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    # Login and confirmation rate limits live in the cache: no test may inherit another's attempts.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _public_address(settings: Any, live_server: Any) -> None:
    # Absolute links (payment returns, messages, canonical URLs) lead to the server the browser reaches.
    settings.PUBLIC_BASE_URL = live_server.url


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[NewContext]:
    """Open fresh browser contexts, French and 1280 px wide unless told otherwise, closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(
            **{"base_url": live_server.url, "locale": "fr-FR", "viewport": DESKTOP, **options}
        )
        context.set_default_timeout(TIMEOUT_MS)
        if options.get("java_script_enabled") is False:
            SCRIPTLESS.add(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context: NewContext) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def lang_page(context: BrowserContext, live_server: Any, lang: str) -> Page:
    """A page for a visitor who chose `lang` earlier: the cookie the footer's language links set."""
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    return context.new_page()


@dataclass(frozen=True)
class Argentan:
    town: Town
    other_town: Town
    bakery: Shop
    bookshop: Shop
    draft: Shop
    elsewhere: Shop
    shown: tuple[str, ...]
    hidden: tuple[str, ...]


@pytest.fixture
def argentan() -> Argentan:
    """Argentan with two published shops and a draft one, and Alençon next door with its own shop."""
    town = TownFactory.create(
        name="Argentan", slug="argentan", postcodes=["61200"], welcome_text="Bienvenue !"
    )
    other_town = TownFactory.create(name="Alençon", slug="alencon", postcodes=["61000"])
    bread = TradeCategoryFactory.create(name="Boulangerie", slug="boulangerie")
    books = TradeCategoryFactory.create(name="Librairie", slug="librairie")
    bakery = ShopFactory.create(town=town, name="Boulangerie du Marché", category=bread)
    bookshop = ShopFactory.create(town=town, name="Librairie des Halles", category=books)
    draft = ShopFactory.create(
        town=town, name="Atelier en préparation", category=books, status=ShopStatus.DRAFT
    )
    elsewhere = ShopFactory.create(town=other_town, name="Fromagerie d'Alençon", category=bread)
    ProductFactory.create(shop=bakery, title="Pain au levain", price=Decimal("4.20"))
    ProductFactory.create(shop=bookshop, title="Carnet de croquis")
    ProductFactory.create(shop=bookshop, title="Agenda retiré", is_visible=False)
    ProductFactory.create(shop=draft, title="Vase pas encore en vente")
    ProductFactory.create(shop=elsewhere, title="Camembert fermier")
    return Argentan(
        town=town,
        other_town=other_town,
        bakery=bakery,
        bookshop=bookshop,
        draft=draft,
        elsewhere=elsewhere,
        shown=("Boulangerie du Marché", "Librairie des Halles", "Pain au levain", "Carnet de croquis"),
        hidden=(
            "Atelier en préparation",
            "Vase pas encore en vente",
            "Agenda retiré",
            "Fromagerie d'Alençon",
            "Camembert fermier",
        ),
    )


@pytest.fixture
def marie() -> User:
    """Someone with a confirmed account (password: factories.DEFAULT_PASSWORD)."""
    user: User = UserFactory.create(email="marie@example.fr")
    return user


@dataclass(frozen=True)
class Stall:
    shop: Shop
    product: Product
    merchant: User
    way: str


@pytest.fixture
def stalls(argentan: Argentan) -> list[Stall]:
    """Three shops of Argentan taking orders, open round the clock; the town offers every way."""
    town = argentan.town
    TownFulfilmentFactory.create(
        town=town,
        relay_enabled=True,
        locker_enabled=True,
        delivery_enabled=True,
        delivery_base_fee=Decimal("5.00"),
        subsidy_percent=100,
        subsidy_cap=Decimal("5.00"),
    )
    TownOrderSettings.objects.create(town=town, online_payment_enabled=True)  # lockers and delivery need it
    LockerFactory.create(town=town, name="Consigne de la place Mahé")
    DeliveryZoneFactory.create(town=town, name="Argentan", postcodes=["61200"])
    made = []
    for name, title, way in [
        ("Fromagerie Lepetit", "Camembert au lait cru", "pickup"),
        ("Épicerie Vallée", "Confiture de cassis", "locker"),
        ("Cave du Marché", "Cidre fermier", "delivery"),
    ]:
        shop = ShopFactory.create(
            town=town,
            name=name,
            opening_hours="24/7",
            offers_click_collect=True,
            offers_delivery=way == "delivery",
        )
        ShopFulfilmentFactory.create(
            shop=shop,
            locker_enabled=way == "locker",
            delivery_enabled=way == "delivery",
            slot_capacity=5,
        )
        product = ProductFactory.create(shop=shop, title=title, price=Decimal("6.50"), stock=4)
        merchant = ShopMembershipFactory.create(shop=shop).user
        made.append(Stall(shop, product, merchant, way))
    return made
