"""The agenda's writing pages over HTTP: a merchant adds an offer (valid and invalid forms, French errors),
the town team checks it, writes events with their recurrence and status, keeps its settings, its Sundays
and its braderie declarations; an organiser sees its own events only."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.agenda import trade_rules
from centreville.agenda.models import (
    Accessibility,
    AgendaSettings,
    Audience,
    BraderieDeclaration,
    DeclarationStatus,
    Event,
    EventKind,
    EventStatus,
    Publication,
    SundayOpening,
)
from centreville.core.tests.samples import valid_upload
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .factories import EventFactory, OfferFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _clock(page_clock: Callable[[datetime], None]) -> None:
    page_clock(NOW)


@pytest.fixture
def town() -> Town:
    town: Town = TownFactory.create(slug="argentan")
    return town


@pytest.fixture
def shop(town: Town) -> Shop:
    shop: Shop = ShopFactory.create(town=town, name="La Cave du Marché")
    return shop


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def merchant(shop: Shop) -> Client:
    return signed_in(ShopMembershipFactory.create(shop=shop).user)


@pytest.fixture
def manager(town: Town) -> Client:
    return signed_in(TownRoleFactory.create(town=town, role=Role.MANAGER).user)


def offer_post(**changes: Any) -> dict[str, Any]:
    data = {
        "kind": EventKind.TASTING,
        "title": "Dégustation de cidres",
        "day": "2026-12-12",
        "start_time": "10:00",
        "end_time": "12:00",
        "description": "Trois cidres du pays d'Auge.",
        "is_free": "on",
        "place_kind": "shop",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_offer_form_opens_with_todays_date_the_shop_and_the_current_town_events(
    town: Town, shop: Shop, merchant: Client
) -> None:
    EventFactory.create(town=town, title="Marché de Noël")
    EventFactory.create(town=town, title="Brouillon de fête", publication=Publication.DRAFT)
    response = merchant.get(reverse("agenda_merchant:offer_create", args=[town.slug, shop.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="2026-12-01"' in page
    assert re.search(r'<input[^>]*value="shop"[^>]*checked', page)
    assert re.search(r'<input[^>]*value="promotion"[^>]*checked', page)
    assert "Marché de Noël" in page
    assert "Brouillon de fête" not in page
    assert 'enctype="multipart/form-data"' in page


def test_a_merchant_adds_an_offer_joined_to_a_town_event_and_sees_it_pending(
    town: Town, shop: Shop, merchant: Client
) -> None:
    market = EventFactory.create(town=town, title="Marché de Noël")
    url = reverse("agenda_merchant:offer_create", args=[town.slug, shop.slug])
    response = merchant.post(
        url, offer_post(parent=market.pk, image=valid_upload(), image_alt="Trois bouteilles")
    )
    assert response.status_code == 302
    offer = Event.objects.get(shop=shop)
    assert (offer.parent, offer.publication, offer.starts_at) == (
        market,
        Publication.PENDING,
        datetime(2026, 12, 12, 10, tzinfo=PARIS),
    )
    assert offer.photo.alt_text == "Trois bouteilles"
    page = merchant.get(response["Location"]).content.decode()
    assert "En attente de validation" in page
    assert "Dégustation de cidres" in page
    assert "dès que la ville l&#x27;aura validée" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Donnez un titre à votre offre."),
        ({"day": "31/02/2026"}, "day", "Date illisible"),
        ({"end_time": "09:00"}, "end_time", "La fin doit venir après le début."),
        ({"start_time": None}, "start_time", "Indiquez l&#x27;heure de début"),
        (
            {"day": "2027-03-28", "start_time": "02:30", "end_time": "05:00"},
            "start_time",
            "n&#x27;existe pas",
        ),
        ({"price": "4,50"}, "price", "Une offre gratuite n&#x27;a pas de prix"),
        ({"place_kind": "venue"}, "venue_name", "Indiquez le lieu."),
        ({"registration_url": "pas un lien"}, "registration_url", "Adresse web illisible"),
        ({"parent": "999999"}, "parent", "Cet événement n&#x27;est plus proposé"),
    ],
)
def test_a_wrong_offer_is_explained_in_french_next_to_its_field(
    town: Town, shop: Shop, merchant: Client, changes: dict[str, Any], field: str, message: str
) -> None:
    response = merchant.post(
        reverse("agenda_merchant:offer_create", args=[town.slug, shop.slug]), offer_post(**changes)
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in page
    assert not Event.objects.exists()


def test_an_all_day_offer_on_several_days_needs_no_times(town: Town, shop: Shop, merchant: Client) -> None:
    url = reverse("agenda_merchant:offer_create", args=[town.slug, shop.slug])
    post = offer_post(kind=EventKind.BRADERIE, all_day="on", start_time="", end_time="", end_day="2026-12-13")
    assert merchant.post(url, post).status_code == 302
    offer = Event.objects.get()
    assert offer.all_day
    assert (offer.starts_at, offer.ends_at) == (
        datetime(2026, 12, 12, tzinfo=PARIS),
        datetime(2026, 12, 14, tzinfo=PARIS),
    )


def test_a_merchant_cannot_reach_another_shops_offers(town: Town, shop: Shop, merchant: Client) -> None:
    other_shop = ShopFactory.create(town=town)
    other = OfferFactory.create(shop=other_shop)
    assert (
        merchant.get(reverse("agenda_merchant:offer_create", args=[town.slug, other_shop.slug])).status_code
        == 403
    )
    # Their own shop's address with another shop's offer: not found.
    url = reverse("agenda_merchant:offer_edit", args=[town.slug, shop.slug, other.pk])
    assert merchant.get(url).status_code == 404


def test_the_merchant_reads_the_reason_of_a_refusal_and_a_change_resubmits(
    town: Town, shop: Shop, merchant: Client
) -> None:
    offer = OfferFactory.create(
        shop=shop, publication=Publication.REJECTED, rejection_reason="Le titre est trop vague."
    )
    page = merchant.get(reverse("agenda_merchant:offers", args=[town.slug])).content.decode()
    assert "Le titre est trop vague." in page
    url = reverse("agenda_merchant:offer_edit", args=[town.slug, shop.slug, offer.pk])
    assert merchant.post(url, offer_post(title="-20 % sur les jouets en bois")).status_code == 302
    offer.refresh_from_db()
    assert (offer.publication, offer.rejection_reason) == (Publication.PENDING, "")


def test_past_offers_are_listed_apart(town: Town, shop: Shop, merchant: Client) -> None:
    OfferFactory.create(shop=shop, title="Soldes d'été", starts_at=datetime(2026, 7, 1, 8, tzinfo=PARIS))
    OfferFactory.create(shop=shop, title="Nocturne de Noël")
    page = merchant.get(reverse("agenda_merchant:offers", args=[town.slug])).content.decode()
    current, past = page.split('id="passees"')
    assert "Nocturne de Noël" in current
    assert "Soldes d&#x27;été" in past


def test_the_manager_approves_and_rejects_with_a_reason(town: Town, shop: Shop, manager: Client) -> None:
    first = OfferFactory.create(shop=shop, publication=Publication.PENDING, title="Dégustation")
    second = OfferFactory.create(shop=shop, publication=Publication.PENDING, title="Atelier")
    page = manager.get(reverse("agenda_manage:moderation", args=[town.slug])).content.decode()
    assert "Dégustation" in page
    assert "Atelier" in page
    decide = "agenda_manage:moderation_decide"
    assert manager.post(reverse(decide, args=[town.slug, first.pk]), {"action": "approve"}).status_code == 302
    refused = manager.post(reverse(decide, args=[town.slug, second.pk]), {"action": "reject", "reason": ""})
    assert refused.status_code == 422
    assert "Dites pourquoi : l&#x27;auteur lira ce motif." in refused.content.decode()
    manager.post(reverse(decide, args=[town.slug, second.pk]), {"action": "reject", "reason": "Doublon."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.publication == Publication.PUBLISHED
    assert (second.publication, second.rejection_reason) == (Publication.REJECTED, "Doublon.")


def test_the_manager_chooses_whether_offers_are_checked(town: Town, manager: Client) -> None:
    url = reverse("agenda_manage:settings", args=[town.slug])
    assert "offers_need_approval" in manager.get(url).content.decode()
    assert manager.post(url, {"organiser_events_need_approval": "on"}).status_code == 302
    settings = AgendaSettings.objects.get(town=town)
    assert (settings.offers_need_approval, settings.organiser_events_need_approval) == (False, True)


def event_post(**changes: Any) -> dict[str, Any]:
    data = {
        "kind": EventKind.MARKET,
        "title": "Marché du samedi",
        "day": "2026-12-05",
        "start_time": "08:00",
        "end_time": "13:00",
        "repeat": "weekly",
        "weekdays": ["SA"],
        "until": "2027-06-26",
        "exceptions": "26/12/2026\n2027-01-02",
        "place_kind": "venue",
        "venue_name": "Place du Marché",
    }
    data.update(changes)
    return data


def test_the_manager_writes_a_weekly_market_and_finds_its_recurrence_when_editing(
    town: Town, manager: Client
) -> None:
    response = manager.post(reverse("agenda_manage:event_create", args=[town.slug]), event_post())
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.rrule == "FREQ=WEEKLY;BYDAY=SA;UNTIL=20270626T235959"
    assert event.exdates == ["2026-12-26", "2027-01-02"]
    assert event.publication == Publication.PUBLISHED
    page = manager.get(reverse("agenda_manage:event_edit", args=[town.slug, event.pk])).content.decode()
    assert 'value="weekly"' in page
    assert "26/12/2026" in page
    listing = manager.get(reverse("agenda_manage:events", args=[town.slug])).content.decode()
    assert "Marché du samedi" in listing


def checked_values(page: str, name: str) -> list[str]:
    """The values of the ticked checkboxes named `name`."""
    boxes = re.findall(rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]*?( checked)?>', page)
    return [value for value, checked in boxes if checked]


def test_the_event_form_says_who_it_is_for_and_its_accessibility_and_shows_them_when_editing(
    town: Town, manager: Client
) -> None:
    create = reverse("agenda_manage:event_create", args=[town.slug])
    form = manager.get(create).content.decode()
    assert "<legend>Pour qui</legend>" in form
    assert "<legend>Accessibilité</legend>" in form
    assert "Accessible aux personnes à mobilité réduite" in form

    response = manager.post(
        create,
        event_post(
            audiences=[Audience.CHILDREN, Audience.FAMILY],
            accessibility=[Accessibility.MOBILITY, Accessibility.HEARING],
            accessibility_details="  Rampe côté rue de la Poste  ",
        ),
    )

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.audiences == [Audience.FAMILY, Audience.CHILDREN]
    assert event.accessibility == [Accessibility.HEARING, Accessibility.MOBILITY]
    assert event.accessibility_details == "Rampe côté rue de la Poste"
    edit = reverse("agenda_manage:event_edit", args=[town.slug, event.pk])
    page = manager.get(edit).content.decode()
    assert 'value="Rampe côté rue de la Poste"' in page
    assert checked_values(page, "audiences") == [Audience.FAMILY, Audience.CHILDREN]
    assert checked_values(page, "accessibility") == [Accessibility.HEARING, Accessibility.MOBILITY]

    assert manager.post(edit, event_post(audiences=[Audience.SENIORS])).status_code == 302
    event.refresh_from_db()
    assert (event.audiences, event.accessibility) == ([Audience.SENIORS], [])
    page = manager.get(edit).content.decode()
    assert checked_values(page, "audiences") == [Audience.SENIORS]
    assert checked_values(page, "accessibility") == []


def test_an_organiser_says_who_its_event_is_for_and_a_wrong_choice_is_told_in_french(town: Town) -> None:
    client = signed_in(TownRoleFactory.create(town=town, role=Role.ORGANISER).user)
    create = reverse("agenda_manage:event_create", args=[town.slug])

    wrong = client.post(create, event_post(audiences=["martians"], accessibility=["xx"]))
    right = client.post(
        create, event_post(audiences=[Audience.EVERYONE], accessibility=[Accessibility.VISUAL])
    )

    assert wrong.status_code == 422
    assert "Choisissez un public dans la liste." in wrong.content.decode()
    assert "Choisissez une accessibilité dans la liste." in wrong.content.decode()
    assert right.status_code == 302
    event = Event.objects.get()
    assert (event.audiences, event.accessibility) == ([Audience.EVERYONE], [Accessibility.VISUAL])


def test_the_repeat_choices_read_as_sentences(town: Town, manager: Client) -> None:
    page = manager.get(reverse("agenda_manage:event_create", args=[town.slug])).content.decode()
    assert "Chaque mois, à la même date (par exemple le 12 de chaque mois)" in page
    assert "le 12, le 12" not in page


def test_a_monthly_rule_and_an_advanced_one(town: Town, manager: Client) -> None:
    url = reverse("agenda_manage:event_create", args=[town.slug])
    manager.post(url, event_post(repeat="monthly_weekday", until="", exceptions=""))
    manager.post(url, event_post(advanced_rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", exceptions=""))
    assert sorted(Event.objects.values_list("rrule", flat=True)) == [
        "FREQ=MONTHLY;BYDAY=1SA",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA",
    ]
    bad = manager.post(url, event_post(advanced_rrule="FREQ=SOMETIMES"))
    assert bad.status_code == 422
    assert "Récurrence illisible" in bad.content.decode()


def test_an_event_form_with_errors_answers_in_french(town: Town, manager: Client) -> None:
    url = reverse("agenda_manage:event_create", args=[town.slug])
    response = manager.post(url, event_post(until="2026-11-01", venue_name="", exceptions="Noël"))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Indiquez le nom du lieu ou son adresse." in page
    assert "Date illisible : « Noël »" in page


def test_the_manager_postpones_an_event_and_the_former_date_is_kept(town: Town, manager: Client) -> None:
    event = EventFactory.create(town=town)
    url = reverse("agenda_manage:event_status", args=[town.slug, event.pk])
    response = manager.post(url, {"status": "postponed", "new_day": "2026-12-19"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.POSTPONED
    assert event.starts_at == datetime(2026, 12, 19, 8, tzinfo=PARIS)
    assert event.previous_starts_at == datetime(2026, 12, 12, 8, tzinfo=PARIS)
    assert event.sequence == 1


def test_an_organiser_sees_and_changes_only_its_own_events(town: Town) -> None:
    organiser = TownRoleFactory.create(town=town, role=Role.ORGANISER).user
    client = signed_in(organiser)
    response = client.post(reverse("agenda_manage:event_create", args=[town.slug]), event_post(title="Fête"))
    assert response.status_code == 302
    mine = Event.objects.get(title="Fête")
    assert mine.publication == Publication.PENDING
    assert mine.created_by == organiser
    others = EventFactory.create(town=town, title="Concert de la ville")
    listing = client.get(reverse("agenda_manage:events", args=[town.slug])).content.decode()
    assert "Fête" in listing
    assert "Concert de la ville" not in listing
    assert client.get(reverse("agenda_manage:event_edit", args=[town.slug, others.pk])).status_code == 403
    assert client.get(reverse("agenda_manage:moderation", args=[town.slug])).status_code == 403


def test_the_thirteenth_sunday_is_refused_in_french(town: Town, manager: Client) -> None:
    for week in range(12):
        SundayOpening.objects.create(town=town, date=date(2027, 1, 3) + timedelta(weeks=week))
    url = reverse("agenda_manage:sundays", args=[town.slug])
    response = manager.post(url, {"date": "2027-11-28", "decree": "2026-154"})
    assert response.status_code == 422
    assert "au plus 12 dimanches du maire par année civile" in response.content.decode()
    saturday = manager.post(url, {"date": "2027-11-27"})
    assert "n&#x27;est pas un dimanche" in saturday.content.decode()


def test_a_merchant_opens_on_a_sunday_of_the_mayor(town: Town, shop: Shop, merchant: Client) -> None:
    sunday = trade_rules.sunday_add(town=town, day=date(2027, 1, 10), note="Soldes d'hiver")
    page = merchant.get(reverse("agenda_merchant:sundays", args=[town.slug])).content.decode()
    assert "Soldes d&#x27;hiver" in page
    url = reverse("agenda_merchant:sunday_join", args=[town.slug, sunday.pk, shop.slug])
    assert merchant.post(url, {"hours": "10:00-18:00"}).status_code == 302
    assert Event.objects.get(shop=shop).kind == EventKind.SUNDAY_OPENING
    page = merchant.get(reverse("agenda_merchant:sundays", args=[town.slug])).content.decode()
    assert "(10:00-18:00)" in page


def test_the_manager_records_a_late_declaration_as_refused(town: Town, manager: Client) -> None:
    url = reverse("agenda_manage:declarations", args=[town.slug])
    post = {
        "declarant_name": "Union commerciale",
        "site": "Rue de la République",
        "starts_on": "2027-01-10",
        "ends_on": "2027-01-10",
        "goods": "Fins de séries",
        "received_on": "2027-01-01",
    }
    assert manager.post(url, post).status_code == 302
    found = BraderieDeclaration.objects.get()
    assert found.status == DeclarationStatus.REFUSED
    assert "reçue 9 jours avant le premier jour" in found.decision_note
    missing = manager.post(url, {**post, "goods": ""})
    assert missing.status_code == 422
    assert "Indiquez les marchandises vendues." in missing.content.decode()


def test_the_declarations_page_counts_days_in_good_french(town: Town, manager: Client) -> None:
    def record(site: str, first: date, last: date, received: date) -> BraderieDeclaration:
        return trade_rules.declaration_record(
            town=town,
            data=trade_rules.DeclarationData(
                declarant_name="Union commerciale",
                site=site,
                starts_on=first,
                ends_on=last,
                goods="Vêtements",
                received_on=received,
            ),
            actor=None,
        )

    one_day = record("Place Mahé", date(2027, 3, 6), date(2027, 3, 6), received=date(2027, 2, 1))
    accepted = record("Place Mahé", date(2027, 4, 3), date(2027, 4, 4), received=date(2027, 2, 1))
    trade_rules.declaration_decide(declaration=accepted, accept=True, note="")
    day_before = record("Rue Saint-Martin", date(2027, 3, 6), date(2027, 3, 6), received=date(2027, 3, 5))
    same_day = record("Rue Saint-Martin", date(2027, 5, 8), date(2027, 5, 8), received=date(2027, 5, 8))

    page = " ".join(
        html.unescape(
            re.sub(
                r"<[^>]+>",
                " ",
                manager.get(reverse("agenda_manage:declarations", args=[town.slug])).content.decode(),
            )
        ).split()
    )

    assert "(s)" not in page
    card = page[page.index("6 mars 2027 au 6 mars 2027") :]
    assert "Reçue le 1 février 2027, 33 jours avant." in page
    assert "2027 : 2 jours déjà acceptés sur ce lieu, 1 jour demandé, 3 jours au total." in page
    assert "2027 : aucun jour déjà accepté sur ce lieu, 2 jours demandés, 2 jours au total." in page
    assert "Reçue le 5 mars 2027, 1 jour avant." in card
    assert "Reçue le 8 mai 2027, le jour même." in page
    day_before.refresh_from_db()
    same_day.refresh_from_db()
    assert day_before.decision_note.startswith("Déclaration reçue 1 jour avant le premier jour")
    assert same_day.decision_note.startswith("Déclaration reçue le premier jour même")
    assert one_day.status == DeclarationStatus.RECEIVED


def test_the_manager_accepts_a_declaration_and_puts_it_in_the_agenda(town: Town, manager: Client) -> None:
    found = trade_rules.declaration_record(
        town=town,
        data=trade_rules.DeclarationData(
            declarant_name="Union commerciale",
            site="Place Mahé",
            starts_on=date(2027, 2, 6),
            ends_on=date(2027, 2, 6),
            goods="Vêtements",
            received_on=date(2026, 12, 1),
        ),
        actor=None,
    )
    decide = reverse("agenda_manage:declaration_decide", args=[town.slug, found.pk])
    assert manager.post(decide, {"decision": "accept"}).status_code == 302
    response = manager.post(reverse("agenda_manage:declaration_event", args=[town.slug, found.pk]))
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.status == DeclarationStatus.ACCEPTED
    assert found.event is not None
    assert found.event.kind == EventKind.BRADERIE


def test_on_the_autumn_night_a_repeated_hour_is_its_first_pass(
    town: Town, shop: Shop, merchant: Client
) -> None:
    # 31 October 2027: 3:00 summer time becomes 2:00 winter time, so 2:30 happens twice; the first is kept.
    url = reverse("agenda_merchant:offer_create", args=[town.slug, shop.slug])
    post = offer_post(kind=EventKind.LATE_OPENING, day="2027-10-31", start_time="02:30", end_time="03:30")
    assert merchant.post(url, post).status_code == 302
    offer = Event.objects.get()
    assert offer.starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert offer.ends_at - offer.starts_at == timedelta(hours=2)
