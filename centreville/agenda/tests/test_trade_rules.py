"""The rules of trade: 12 Sundays a year at most (under a lock), shops joining a Sunday and their opening in
the agenda; braderie declarations: 15 days' notice at fixed dates, 61 days a year per site across years."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from centreville.agenda import trade_rules
from centreville.agenda.models import (
    BraderieDeclaration,
    DeclarationStatus,
    Event,
    EventKind,
    Occurrence,
    Publication,
    SundayOpeningShop,
)
from centreville.agenda.trade_rules import DeclarationData
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def sundays_of(year: int) -> list[date]:
    day = date(year, 1, 1)
    day += timedelta(days=(6 - day.weekday()) % 7)
    found = []
    while day.year == year:
        found.append(day)
        day += timedelta(days=7)
    return found


def test_only_a_sunday_can_be_listed() -> None:
    with pytest.raises(ValidationError) as error:
        trade_rules.sunday_add(town=TownFactory.create(), day=date(2027, 1, 9))
    assert "n'est pas un dimanche" in error.value.message_dict["date"][0]


def test_at_most_twelve_sundays_a_calendar_year_and_each_once() -> None:
    town = TownFactory.create()
    for day in sundays_of(2027)[:12]:
        trade_rules.sunday_add(town=town, day=day, decree="2026-154")
    with pytest.raises(ValidationError) as error:
        trade_rules.sunday_add(town=town, day=sundays_of(2027)[20])
    assert "au plus 12 dimanches" in error.value.message_dict["date"][0]
    with pytest.raises(ValidationError, match="déjà dans la liste"):
        trade_rules.sunday_add(town=town, day=sundays_of(2027)[0])
    # Another year, another town: counted apart.
    trade_rules.sunday_add(town=town, day=sundays_of(2028)[0])
    trade_rules.sunday_add(town=TownFactory.create(), day=sundays_of(2027)[20])


def test_a_shop_joining_a_sunday_is_in_the_agenda_with_its_hours() -> None:
    shop = ShopFactory.create()
    sunday = trade_rules.sunday_add(town=shop.town, day=date(2027, 1, 10), note="Soldes d'hiver")
    trade_rules.sunday_join(sunday=sunday, shop=shop, hours="10h00-18:00", actor=None, at=AT)
    offer = Event.objects.get(shop=shop)
    assert (offer.kind, offer.publication, offer.all_day) == (
        EventKind.SUNDAY_OPENING,
        Publication.PUBLISHED,
        False,
    )
    assert offer.starts_at == datetime(2027, 1, 10, 10, tzinfo=PARIS)
    assert offer.ends_at == datetime(2027, 1, 10, 18, tzinfo=PARIS)
    assert SundayOpeningShop.objects.get(sunday=sunday, shop=shop).hours == "10:00-18:00"
    # Joining again changes the hours, without a second offer.
    trade_rules.sunday_join(sunday=sunday, shop=shop, hours="", actor=None, at=AT)
    offer = Event.objects.get(shop=shop)
    assert offer.all_day
    assert offer.sequence == 1
    assert Occurrence.objects.filter(event=offer).count() == 1
    trade_rules.sunday_leave(sunday=sunday, shop=shop)
    assert not Event.objects.filter(shop=shop).exists()
    assert not SundayOpeningShop.objects.exists()


def test_removing_a_sunday_removes_the_shops_openings_in_the_agenda() -> None:
    shop = ShopFactory.create()
    sunday = trade_rules.sunday_add(town=shop.town, day=date(2027, 1, 10))
    trade_rules.sunday_join(sunday=sunday, shop=shop, hours="", actor=None, at=AT)
    trade_rules.sunday_remove(sunday=sunday)
    assert not Event.objects.exists()


@pytest.mark.parametrize("hours", ["10-18", "18:00-10:00", "25:00-26:00"])
def test_unreadable_hours_are_refused(hours: str) -> None:
    shop = ShopFactory.create()
    sunday = trade_rules.sunday_add(town=shop.town, day=date(2027, 1, 10))
    with pytest.raises(ValidationError) as error:
        trade_rules.sunday_join(sunday=sunday, shop=shop, hours=hours, actor=None, at=AT)
    assert "hours" in error.value.message_dict


def test_a_past_sunday_cannot_be_joined() -> None:
    shop = ShopFactory.create()
    sunday = trade_rules.sunday_add(town=shop.town, day=date(2026, 11, 29))
    with pytest.raises(ValidationError, match="passé"):
        trade_rules.sunday_join(sunday=sunday, shop=shop, hours="", actor=None, at=AT)


def test_the_site_key_ignores_case_accents_and_spaces() -> None:
    assert trade_rules.site_key("  Place  de l'Hôtel   de Ville ") == "place de l'hotel de ville"
    assert trade_rules.site_key("PLACE DE L'HOTEL DE VILLE") == "place de l'hotel de ville"


def declaration(
    town: Town, first: date, last: date, received: date, site: str = "Rue de la République"
) -> Any:
    return trade_rules.declaration_record(
        town=town,
        data=DeclarationData(
            declarant_name="Union des commerçants",
            site=site,
            starts_on=first,
            ends_on=last,
            goods="Fins de séries",
            received_on=received,
        ),
        actor=None,
    )


def test_fifteen_days_notice_is_enough_and_fourteen_is_late() -> None:
    town = TownFactory.create()
    on_time = declaration(town, date(2027, 6, 16), date(2027, 6, 16), received=date(2027, 6, 1))
    late = declaration(town, date(2027, 6, 16), date(2027, 6, 16), received=date(2027, 6, 2))
    assert on_time.status == DeclarationStatus.RECEIVED
    assert on_time.site_key == "rue de la republique"
    assert late.status == DeclarationStatus.REFUSED
    assert "reçue 14 jours avant le premier jour" in late.decision_note
    assert "15 jours" in late.decision_note
    with pytest.raises(ValidationError, match="déjà été traitée"):
        trade_rules.declaration_decide(declaration=late, accept=True, note="")


def test_sixty_one_days_a_year_per_site_counted_over_accepted_declarations() -> None:
    town = TownFactory.create()
    first = declaration(town, date(2027, 3, 1), date(2027, 4, 30), received=date(2027, 1, 1))  # 61 days
    trade_rules.declaration_decide(declaration=first, accept=True, note="")
    # The same site written otherwise: one more day is refused.
    more = declaration(
        town, date(2027, 9, 1), date(2027, 9, 1), received=date(2027, 8, 1), site="RUE de la  republique"
    )
    check = trade_rules.declaration_check(
        town=town,
        site=more.site,
        starts_on=more.starts_on,
        ends_on=more.ends_on,
        received_on=more.received_on,
    )
    assert [(year.year, year.already, year.asked, year.over) for year in check.years] == [(2027, 61, 1, True)]
    with pytest.raises(ValidationError) as error:
        trade_rules.declaration_decide(declaration=more, accept=True, note="")
    assert "62 jours" in error.value.message_dict["note"][0]
    # Another site is counted apart; a refusal needs a reason.
    other = declaration(
        town, date(2027, 9, 1), date(2027, 9, 1), received=date(2027, 8, 1), site="Place Mahé"
    )
    trade_rules.declaration_decide(declaration=other, accept=True, note="")
    with pytest.raises(ValidationError):
        trade_rules.declaration_decide(declaration=more, accept=False, note="")
    refused = trade_rules.declaration_decide(declaration=more, accept=False, note="Plus de jours en 2027")
    assert refused.status == DeclarationStatus.REFUSED


def test_days_are_counted_in_each_calendar_year_across_new_year() -> None:
    town = TownFactory.create()
    # 40 days in December 2026 and January 2027 on the site… (22 Dec 2026 → 30 Jan 2027: 10 + 30 days)
    winter = declaration(town, date(2026, 12, 22), date(2027, 1, 30), received=date(2026, 11, 1))
    trade_rules.declaration_decide(declaration=winter, accept=True, note="")
    # …so 2027 still has 31 days: 31 more fit, 32 do not; 2026 has 51 left.
    fits = trade_rules.declaration_check(
        town=town,
        site=winter.site,
        starts_on=date(2027, 7, 1),
        ends_on=date(2027, 7, 31),
        received_on=date(2027, 1, 1),
    )
    too_many = trade_rules.declaration_check(
        town=town,
        site=winter.site,
        starts_on=date(2027, 7, 1),
        ends_on=date(2027, 8, 1),
        received_on=date(2027, 1, 1),
    )
    across = trade_rules.declaration_check(
        town=town,
        site=winter.site,
        starts_on=date(2026, 12, 1),
        ends_on=date(2027, 1, 5),
        received_on=date(2026, 10, 1),
    )
    assert fits.acceptable
    assert [y.total for y in fits.years] == [61]
    assert not too_many.acceptable
    assert [y.total for y in too_many.years] == [62]
    # Days already accepted are not counted twice: 1–21 Dec 2026 are new (21 + 10 = 31); Jan 1–5 were taken.
    assert [(y.year, y.already, y.asked) for y in across.years] == [(2026, 10, 21), (2027, 30, 0)]


def test_an_accepted_declaration_puts_its_braderie_in_the_agenda_every_day() -> None:
    town = TownFactory.create()
    found = declaration(town, date(2027, 6, 19), date(2027, 6, 20), received=date(2027, 5, 1))
    with pytest.raises(ValidationError, match="acceptée"):
        trade_rules.declaration_create_event(declaration=found, actor=None, at=AT)
    trade_rules.declaration_decide(declaration=found, accept=True, note="")
    event = trade_rules.declaration_create_event(declaration=found, actor=None, at=AT)
    assert event.kind == EventKind.BRADERIE
    assert event.publication == Publication.PUBLISHED
    days = [
        start.astimezone(PARIS).date()
        for start in Occurrence.objects.filter(event=event).values_list("starts_at", flat=True)
    ]
    assert days == [date(2027, 6, 19), date(2027, 6, 20)]
    assert BraderieDeclaration.objects.get(pk=found.pk).event == event
    with pytest.raises(ValidationError, match="déjà dans l'agenda"):
        trade_rules.declaration_create_event(declaration=found, actor=None, at=AT)
