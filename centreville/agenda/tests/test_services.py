"""The agenda's writes: dates checked on the town's clock (clock changes included), place, parent, status and
its sequence, the way to publication as the town chose, the image, and the public pages expired."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from centreville.accounts.tests.factories import UserFactory
from centreville.agenda import services
from centreville.agenda.models import (
    Accessibility,
    AgendaSettings,
    Audience,
    Event,
    EventKind,
    EventPhoto,
    EventStatus,
    Occurrence,
    PlaceKind,
    Publication,
)
from centreville.agenda.services import EventData
from centreville.core.tests.samples import upload, valid_upload
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def offer_data(**changes: Any) -> EventData:
    data = EventData(
        kind=EventKind.TASTING,
        title="Dégustation de cidres",
        starts_at=datetime(2026, 12, 12, 10, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 12, 12, 0, tzinfo=PARIS),
        place_kind=PlaceKind.SHOP,
    )
    return replace(data, **changes)


def town_data(**changes: Any) -> EventData:
    data = EventData(
        kind=EventKind.CONCERT,
        title="Concert de Noël",
        starts_at=datetime(2026, 12, 19, 18, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 19, 20, 0, tzinfo=PARIS),
        venue_name="Église Saint-Germain",
    )
    return replace(data, **changes)


@pytest.fixture
def expired(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(services, "town_public_data_changed", calls.append)
    return calls


def test_an_offer_waits_for_the_check_when_the_town_asks_for_it(expired: list[int]) -> None:
    shop = ShopFactory.create()
    offer = services.offer_create(shop=shop, data=offer_data(), actor=None, reviewer=False, at=AT)
    assert offer.publication == Publication.PENDING
    assert offer.place_kind == PlaceKind.SHOP
    assert offer.shop == shop
    assert offer.town == shop.town
    assert Occurrence.objects.filter(event=offer).count() == 1
    assert offer.last_ends_at == datetime(2026, 12, 12, 11, 0, tzinfo=UTC)
    assert expired == [shop.town_id]


def test_an_offer_is_published_at_once_when_the_town_does_not_check_them() -> None:
    shop = ShopFactory.create()
    AgendaSettings.objects.create(town=shop.town, offers_need_approval=False)
    offer = services.offer_create(shop=shop, data=offer_data(), actor=None, reviewer=False, at=AT)
    assert offer.publication == Publication.PUBLISHED


def test_the_town_team_publishes_its_own_offers_and_events_directly() -> None:
    shop = ShopFactory.create()
    offer = services.offer_create(shop=shop, data=offer_data(), actor=None, reviewer=True, at=AT)
    event = services.event_create(town=shop.town, data=town_data(), actor=None, reviewer=True, at=AT)
    draft = services.event_create(
        town=shop.town, data=town_data(), actor=None, reviewer=True, draft=True, at=AT
    )
    assert (offer.publication, event.publication, draft.publication) == (
        Publication.PUBLISHED,
        Publication.PUBLISHED,
        Publication.DRAFT,
    )


def test_an_organiser_publishes_directly_only_when_the_town_lets_it() -> None:
    town = TownFactory.create()
    checked = services.event_create(town=town, data=town_data(), actor=None, reviewer=False, at=AT)
    services.agenda_settings_update(
        town=town, offers_need_approval=True, organiser_events_need_approval=False
    )
    direct = services.event_create(town=town, data=town_data(), actor=None, reviewer=False, at=AT)
    assert (checked.publication, direct.publication) == (Publication.PENDING, Publication.PUBLISHED)


def test_the_end_must_come_after_the_start() -> None:
    shop = ShopFactory.create()
    start = datetime(2026, 12, 12, 10, 0, tzinfo=PARIS)
    with pytest.raises(ValidationError) as error:
        services.offer_create(shop=shop, data=offer_data(ends_at=start), actor=None, reviewer=False, at=AT)
    assert "La fin doit venir après le début." in error.value.message_dict["ends_at"]
    assert not Event.objects.exists()


def test_dates_are_read_on_the_towns_own_clock() -> None:
    shop = ShopFactory.create(town=TownFactory.create(timezone="Indian/Reunion"))
    reunion = ZoneInfo("Indian/Reunion")
    data = offer_data(
        starts_at=datetime(2026, 12, 12, 10, 0, tzinfo=reunion),
        ends_at=datetime(2026, 12, 12, 12, tzinfo=reunion),
    )
    offer = services.offer_create(shop=shop, data=data, actor=None, reviewer=False, at=AT)
    assert offer.timezone == "Indian/Reunion"
    assert offer.starts_at == datetime(2026, 12, 12, 6, 0, tzinfo=UTC)


def test_an_unreadable_rule_is_refused_in_french_and_a_good_one_is_expanded() -> None:
    town = TownFactory.create()
    with pytest.raises(ValidationError) as error:
        services.event_create(
            town=town, data=town_data(rrule="FREQ=SOMETIMES"), actor=None, reviewer=True, at=AT
        )
    assert "Récurrence illisible" in str(error.value)
    event = services.event_create(
        town=town,
        data=town_data(rrule="FREQ=WEEKLY;COUNT=4", exdates=("2026-12-26",)),
        actor=None,
        reviewer=True,
        at=AT,
    )
    starts = list(Occurrence.objects.filter(event=event).values_list("starts_at", flat=True))
    assert [start.astimezone(PARIS).day for start in starts] == [19, 2, 9]


def test_an_unreadable_exception_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        services.event_create(
            town=TownFactory.create(),
            data=town_data(rrule="FREQ=WEEKLY;COUNT=4", exdates=("26 décembre",)),
            actor=None,
            reviewer=True,
            at=AT,
        )
    assert "exdates" in error.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"place_kind": PlaceKind.SHOP}, "place_kind"),
        ({"venue_name": "", "address": ""}, "venue_name"),
        ({"latitude": Decimal("48.74")}, "latitude"),
        ({"latitude": Decimal("95"), "longitude": Decimal("0")}, "latitude"),
        ({"is_free": True, "price": Decimal("5")}, "price"),
    ],
)
def test_the_place_and_the_price_are_checked(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        services.event_create(
            town=TownFactory.create(), data=town_data(**changes), actor=None, reviewer=True, at=AT
        )
    assert field in error.value.message_dict


def test_a_venue_keeps_its_coordinates_and_the_centre_needs_no_address() -> None:
    town = TownFactory.create()
    event = services.event_create(
        town=town,
        data=town_data(address="Place du Marché", latitude=Decimal("48.744"), longitude=Decimal("-0.0197")),
        actor=None,
        reviewer=True,
        at=AT,
    )
    centre = services.event_create(
        town=town,
        data=town_data(place_kind=PlaceKind.CENTRE, venue_name="x"),
        actor=None,
        reviewer=True,
        at=AT,
    )
    assert event.latitude == Decimal("48.744")
    assert (centre.venue_name, centre.address, centre.latitude) == ("", "", None)


def test_an_offer_may_join_only_a_published_current_town_event_of_its_town() -> None:
    shop = ShopFactory.create()
    town = shop.town
    good = EventFactory.create(town=town)
    draft = EventFactory.create(town=town, publication=Publication.DRAFT)
    over = EventFactory.create(
        town=town,
        starts_at=datetime(2026, 11, 1, 9, tzinfo=UTC),
        ends_at=datetime(2026, 11, 1, 12, tzinfo=UTC),
    )
    cancelled = EventFactory.create(town=town, status=EventStatus.CANCELLED)
    elsewhere = EventFactory.create()
    another_offer = services.offer_create(shop=shop, data=offer_data(), actor=None, reviewer=True, at=AT)
    offer = services.offer_create(shop=shop, data=offer_data(parent=good), actor=None, reviewer=False, at=AT)
    assert offer.parent == good
    for parent in (draft, over, cancelled, elsewhere, another_offer):
        with pytest.raises(ValidationError) as error:
            services.offer_create(
                shop=shop, data=offer_data(parent=parent), actor=None, reviewer=False, at=AT
            )
        assert "parent" in error.value.message_dict


def test_an_offer_is_one_of_the_shops_kinds() -> None:
    with pytest.raises(ValidationError) as error:
        services.offer_create(
            shop=ShopFactory.create(),
            data=offer_data(kind=EventKind.CONCERT),
            actor=None,
            reviewer=False,
            at=AT,
        )
    assert "kind" in error.value.message_dict


def test_changing_the_dates_raises_the_sequence_and_the_title_alone_does_not() -> None:
    event = services.event_create(
        town=TownFactory.create(), data=town_data(), actor=None, reviewer=True, at=AT
    )
    services.event_update(
        event=event, data=town_data(title="Grand concert de Noël"), actor=None, reviewer=True, at=AT
    )
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("Grand concert de Noël", 0)
    later = town_data(
        title="Grand concert de Noël",
        starts_at=datetime(2026, 12, 20, 18, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 20, 20, tzinfo=PARIS),
    )
    services.event_update(event=event, data=later, actor=None, reviewer=True, at=AT)
    event.refresh_from_db()
    assert event.sequence == 1
    assert Occurrence.objects.get(event=event).starts_at == datetime(2026, 12, 20, 17, tzinfo=UTC)


def test_a_postponed_event_keeps_its_former_date_and_moves_its_occurrences() -> None:
    event = services.event_create(
        town=TownFactory.create(), data=town_data(), actor=None, reviewer=True, at=AT
    )
    services.event_set_status(
        event=event,
        status=EventStatus.POSTPONED,
        new_starts_at=datetime(2027, 1, 9, 18, tzinfo=PARIS),
        new_ends_at=datetime(2027, 1, 9, 20, tzinfo=PARIS),
        at=AT,
    )
    event.refresh_from_db()
    assert event.status == EventStatus.POSTPONED
    assert event.previous_starts_at == datetime(2026, 12, 19, 17, tzinfo=UTC)
    assert event.sequence == 1
    assert Occurrence.objects.get(event=event).starts_at == datetime(2027, 1, 9, 17, tzinfo=UTC)


def test_status_moves_raise_the_sequence_and_illegal_ones_are_refused() -> None:
    event = services.event_create(
        town=TownFactory.create(), data=town_data(), actor=None, reviewer=True, at=AT
    )
    services.event_set_status(event=event, status=EventStatus.FULL, at=AT)
    services.event_set_status(event=event, status=EventStatus.CANCELLED, at=AT)
    event.refresh_from_db()
    assert (event.status, event.sequence, event.previous_starts_at) == (EventStatus.CANCELLED, 2, None)
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        services.event_set_status(event=event, status=EventStatus.FULL, at=AT)
    with pytest.raises(ValidationError, match="Seul un report"):
        services.event_set_status(
            event=event,
            status=EventStatus.SCHEDULED,
            new_starts_at=AT,
            new_ends_at=AT + timedelta(hours=1),
            at=AT,
        )


def test_a_refusal_says_why_and_the_authors_change_sends_it_back_to_the_queue() -> None:
    shop = ShopFactory.create()
    offer = services.offer_create(shop=shop, data=offer_data(), actor=None, reviewer=False, at=AT)
    with pytest.raises(ValidationError) as error:
        services.event_reject(event=offer, reason="   ", at=AT)
    assert "reason" in error.value.message_dict
    services.event_reject(event=offer, reason="Photo floue, merci d'en mettre une autre.", at=AT)
    offer.refresh_from_db()
    assert (offer.publication, offer.rejection_reason) == (
        Publication.REJECTED,
        "Photo floue, merci d'en mettre une autre.",
    )
    services.event_update(
        event=offer, data=offer_data(title="Dégustation"), actor=None, reviewer=False, at=AT
    )
    offer.refresh_from_db()
    assert (offer.publication, offer.rejection_reason) == (Publication.PENDING, "")
    services.event_approve(event=offer, at=AT)
    offer.refresh_from_db()
    assert offer.publication == Publication.PUBLISHED
    with pytest.raises(ValidationError, match="Impossible"):
        services.event_reject(event=offer, reason="Trop tard", at=AT)


def test_a_merchant_changing_a_published_offer_sends_it_back_when_the_town_checks_offers() -> None:
    shop = ShopFactory.create()
    offer = services.offer_create(shop=shop, data=offer_data(), actor=None, reviewer=True, at=AT)
    services.event_update(event=offer, data=offer_data(title="Autre"), actor=None, reviewer=False, at=AT)
    offer.refresh_from_db()
    assert offer.publication == Publication.PENDING


def test_submit_and_unpublish_follow_the_transitions() -> None:
    town = TownFactory.create()
    draft = services.event_create(town=town, data=town_data(), actor=None, reviewer=True, draft=True, at=AT)
    services.event_submit(event=draft, at=AT)
    draft.refresh_from_db()
    assert draft.publication == Publication.PENDING
    with pytest.raises(ValidationError):
        services.event_submit(event=draft, at=AT)
    services.event_publish(event=draft, at=AT)
    services.event_unpublish(event=draft, at=AT)
    draft.refresh_from_db()
    assert draft.publication == Publication.DRAFT


def test_deleting_an_event_removes_its_dates_and_leaves_its_offers_alone(expired: list[int]) -> None:
    shop = ShopFactory.create()
    event = EventFactory.create(town=shop.town)
    offer = services.offer_create(shop=shop, data=offer_data(parent=event), actor=None, reviewer=True, at=AT)
    services.event_delete(event=event)
    offer.refresh_from_db()
    assert offer.parent is None
    assert not Occurrence.objects.filter(event_id=event.pk).exists()
    assert expired[-1] == shop.town_id


def test_the_image_is_re_encoded_replaced_and_a_bad_file_refused() -> None:
    offer = services.offer_create(
        shop=ShopFactory.create(), data=offer_data(), actor=UserFactory.create(), reviewer=False, at=AT
    )
    first = services.event_photo_set(event=offer, upload=valid_upload(), alt_text="Des bouteilles de cidre")
    assert first.large.name.endswith(".webp")
    second = services.event_photo_set(event=offer, upload=valid_upload(), alt_text="Le comptoir")
    assert list(EventPhoto.objects.filter(event=offer)) == [second]
    with pytest.raises(ValidationError) as error:
        services.event_photo_set(event=offer, upload=upload(b"not a picture"), alt_text="Rien")
    assert "image" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.event_photo_set(event=offer, upload=valid_upload(), alt_text=" ")
    assert "image_alt" in error.value.message_dict


# The nights of the clock change in Europe/Paris: 28 March 2027 (2:00 → 3:00), 31 October 2027 (3:00 → 2:00).


def test_an_offer_across_the_spring_change_lasts_one_hour_less_on_the_time_line() -> None:
    data = offer_data(
        kind=EventKind.LATE_OPENING,
        starts_at=datetime(2027, 3, 28, 1, 0, tzinfo=PARIS),
        ends_at=datetime(2027, 3, 28, 4, 0, tzinfo=PARIS),
    )
    offer = services.offer_create(shop=ShopFactory.create(), data=data, actor=None, reviewer=True, at=AT)
    occurrence = Occurrence.objects.get(event=offer)
    assert occurrence.starts_at == datetime(2027, 3, 28, 0, 0, tzinfo=UTC)
    assert occurrence.ends_at - occurrence.starts_at == timedelta(hours=2)


def test_an_offer_across_the_autumn_change_lasts_one_hour_more_on_the_time_line() -> None:
    data = offer_data(
        kind=EventKind.LATE_OPENING,
        starts_at=datetime(2027, 10, 31, 1, 0, tzinfo=PARIS),
        ends_at=datetime(2027, 10, 31, 4, 0, tzinfo=PARIS),
    )
    offer = services.offer_create(shop=ShopFactory.create(), data=data, actor=None, reviewer=True, at=AT)
    occurrence = Occurrence.objects.get(event=offer)
    assert occurrence.ends_at - occurrence.starts_at == timedelta(hours=4)


def test_a_weekly_offer_stays_at_ten_on_the_wall_clock_across_the_spring_change() -> None:
    data = offer_data(
        kind=EventKind.WORKSHOP,
        starts_at=datetime(2027, 3, 20, 10, 0, tzinfo=PARIS),
        ends_at=datetime(2027, 3, 20, 11, 0, tzinfo=PARIS),
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    offer = services.offer_create(shop=ShopFactory.create(), data=data, actor=None, reviewer=True, at=AT)
    starts = list(Occurrence.objects.filter(event=offer).values_list("starts_at", flat=True))
    assert [start.hour for start in starts] == [9, 9, 8]  # UTC: 20 and 27 March in winter, 3 April in summer
    assert {start.astimezone(PARIS).hour for start in starts} == {10}


def test_audiences_and_accessibility_are_kept_in_order_and_left_alone_when_not_given() -> None:
    town = TownFactory.create()
    event = services.event_create(
        town=town,
        data=town_data(
            audiences=(Audience.CHILDREN, Audience.FAMILY, Audience.CHILDREN),
            accessibility=(Accessibility.MOBILITY, Accessibility.HEARING),
        ),
        actor=None,
        reviewer=True,
        at=AT,
    )
    assert event.audiences == [Audience.FAMILY, Audience.CHILDREN]
    assert event.accessibility == [Accessibility.HEARING, Accessibility.MOBILITY]

    # A form that does not ask (the merchant's offer form) leaves them as they are.
    kept = services.event_update(
        event=event, data=town_data(title="Concert de l'Avent"), actor=None, reviewer=True, at=AT
    )
    assert (kept.audiences, kept.accessibility) == (
        [Audience.FAMILY, Audience.CHILDREN],
        [Accessibility.HEARING, Accessibility.MOBILITY],
    )
    cleared = services.event_update(
        event=event, data=town_data(audiences=(), accessibility=()), actor=None, reviewer=True, at=AT
    )
    assert (cleared.audiences, cleared.accessibility) == ([], [])
    assert cleared.sequence == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"audiences": ("martians",)}, "audiences"), ({"accessibility": ("xx",)}, "accessibility")],
)
def test_an_unknown_audience_or_accessibility_is_refused_in_french(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.event_create(
            town=TownFactory.create(), data=town_data(**changes), actor=None, reviewer=True, at=AT
        )
    assert field in error.value.message_dict
    assert "Choix inconnu" in error.value.message_dict[field][0]
