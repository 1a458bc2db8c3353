"""What the agenda adds to other pages (the town home, a shop's page), its page cache, its daily task."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client

from centreville.agenda.models import EventKind, Occurrence
from centreville.agenda.recurrence import HORIZON_DAYS
from centreville.agenda.tasks import extend_agenda_horizons
from centreville.agenda.tests.factories import WRITTEN_AT, EventFactory, OfferFactory
from centreville.core.pagecache import town_public_data_changed
from centreville.core.periodic import periodic_tasks
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def text_of(response: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_town_home_says_what_is_on_in_the_next_days(client: Client, page_clock: Any) -> None:
    page_clock(NOW)
    town = TownFactory.create(name="Argentan", slug="argentan")
    market = EventFactory.create(town=town, title="Marché du samedi", rrule="FREQ=WEEKLY;BYDAY=SA")
    EventFactory.create(title="Marché d'ailleurs")

    response = client.get("/argentan/")

    text = text_of(response)
    assert "Ce qui se passe" in text
    assert "Marché du samedi" in text
    assert "Samedi 12 décembre, 08:00" in text
    assert "Marché d'ailleurs" not in text
    assert f'href="/argentan/agenda/marche-du-samedi-{market.pk}/"' in response.content.decode()
    assert 'href="/argentan/agenda/"' in response.content.decode()


def test_a_quiet_town_home_says_so(client: Client, page_clock: Any) -> None:
    page_clock(NOW)
    TownFactory.create(slug="calme")

    assert "Rien n'est annoncé pour les prochains jours." in text_of(client.get("/calme/"))


def test_a_shops_page_lists_its_current_offers(client: Client, page_clock: Any) -> None:
    page_clock(NOW)
    shop = ShopFactory.create()
    offer = OfferFactory.create(
        shop=shop,
        title="Nocturne de Noël",
        kind=EventKind.LATE_OPENING,
        starts_at=datetime(2026, 12, 18, 19, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 18, 22, 0, tzinfo=PARIS),
    )
    OfferFactory.create(
        shop=shop,
        title="Offre finie",
        starts_at=datetime(2026, 12, 1, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 1, 19, 0, tzinfo=PARIS),
    )

    response = client.get(f"/{shop.town.slug}/commerces/{shop.slug}/")

    text = text_of(response)
    assert "Offres en cours" in text
    assert "Nocturne de Noël" in text
    assert "Vendredi 18 décembre, 19:00 – 22:00" in text
    assert "Offre finie" not in text
    assert f"/agenda/nocturne-de-noel-{offer.pk}/" in response.content.decode()


def test_a_shop_without_offers_has_no_offers_section(client: Client, page_clock: Any) -> None:
    page_clock(NOW)
    shop = ShopFactory.create()

    assert "Offres en cours" not in text_of(client.get(f"/{shop.town.slug}/commerces/{shop.slug}/"))


def test_the_agenda_is_served_from_the_page_cache_until_the_town_changes(
    client: Client,
    page_clock: Any,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    page_clock(NOW)
    town = TownFactory.create(slug="argentan")
    event = EventFactory.create(town=town, title="Marché du samedi")
    first = client.get("/argentan/agenda/")

    with django_assert_num_queries(0):
        second = client.get("/argentan/agenda/")
    assert second.content == first.content

    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Marché de Noël"
        event.save()
        town_public_data_changed(town.pk)
    assert "Marché de Noël" in text_of(client.get("/argentan/agenda/"))


def test_the_cached_town_home_lives_no_longer_than_its_first_date_to_end(
    client: Client, page_clock: Any
) -> None:
    # Thursday 11:00 in Paris; the tasting ends at 11:05, the concert tonight.
    page_clock(NOW)
    town = TownFactory.create(slug="argentan")
    EventFactory.create(
        town=town,
        title="Dégustation de cidre",
        kind=EventKind.OTHER,
        starts_at=datetime(2026, 12, 10, 10, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 10, 11, 5, tzinfo=PARIS),
    )
    EventFactory.create(
        town=town,
        title="Concert de la chorale",
        kind=EventKind.CONCERT,
        starts_at=datetime(2026, 12, 10, 20, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 10, 22, 0, tzinfo=PARIS),
    )

    first = client.get("/argentan/")
    assert "Dégustation de cidre" in text_of(first)
    assert first.page_cache_seconds == 5 * 60  # type: ignore[attr-defined]

    # Once that copy has expired, the next one no longer shows what ended, and lives until the concert ends.
    page_clock(NOW + timedelta(minutes=5))
    cache.clear()
    later = client.get("/argentan/")
    assert "Dégustation de cidre" not in text_of(later)
    assert "Concert de la chorale" in text_of(later)
    assert later.page_cache_seconds == 11 * 3600 - 5 * 60  # type: ignore[attr-defined]


def test_the_cached_shop_page_lives_no_longer_than_its_first_offer_date_to_end(
    client: Client, page_clock: Any
) -> None:
    page_clock(NOW)
    shop = ShopFactory.create(opening_hours="24/7")
    OfferFactory.create(
        shop=shop,
        title="Café offert",
        kind=EventKind.TASTING,
        starts_at=datetime(2026, 12, 10, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 10, 11, 10, tzinfo=PARIS),
    )
    OfferFactory.create(
        shop=shop,
        title="Nocturne de Noël",
        kind=EventKind.LATE_OPENING,
        starts_at=datetime(2026, 12, 18, 19, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 18, 22, 0, tzinfo=PARIS),
    )
    url = f"/{shop.town.slug}/commerces/{shop.slug}/"

    first = client.get(url)
    assert "Café offert" in text_of(first)
    assert first.page_cache_seconds == 10 * 60  # type: ignore[attr-defined]

    page_clock(NOW + timedelta(minutes=10))
    cache.clear()
    later = client.get(url)
    assert "Café offert" not in text_of(later)
    assert "Nocturne de Noël" in text_of(later)


def test_the_daily_task_extends_never_ending_rules_once_a_day() -> None:
    market = EventFactory.create(rrule="FREQ=WEEKLY;BYDAY=SA")
    finite = EventFactory.create(rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=3")
    later = WRITTEN_AT + timedelta(days=30)

    assert extend_agenda_horizons.call(at=later.isoformat()) == 1
    assert extend_agenda_horizons.call(at=(later + timedelta(hours=3)).isoformat()) == 0

    last = Occurrence.objects.filter(event=market).order_by("-starts_at").first()
    assert last is not None
    assert later + timedelta(days=HORIZON_DAYS - 7) < last.starts_at <= later + timedelta(days=HORIZON_DAYS)
    assert Occurrence.objects.filter(event=finite).count() == 3
    assert extend_agenda_horizons.call(at=(later + timedelta(days=1)).isoformat()) == 1
    assert "centreville.agenda.tasks.extend_agenda_horizons" in {
        task.task.module_path for task in periodic_tasks()
    }
