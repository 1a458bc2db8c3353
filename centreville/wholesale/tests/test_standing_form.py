"""A standing order made from an empty form: the service's checks, the choices offered, the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from centreville.accounts.tests.factories import UserFactory
from centreville.enterprises.models import BuyerCategory
from centreville.enterprises.tests.factories import EnterpriseFactory
from centreville.lots.tests.factories import LotFactory
from centreville.wholesale.models import HandOver, StandingOrder, StandingOrderLine, StandingOrderRun
from centreville.wholesale.standing import (
    Upcoming,
    hand_over_places,
    standing_order_change_lines,
    standing_order_create,
    standing_order_end,
    standing_order_producers,
    standing_orders_generate,
    upcoming,
)

from .factories import DrivePointFactory
from .scenario import AT, Scenario, scenario

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)  # AT's day, a Monday
TUESDAY, WEDNESDAY, THURSDAY = 2, 3, 4


def _create(given: Scenario, **changes: Any) -> StandingOrder:
    """The farm's carrots collected at its place every Tuesday from tomorrow, with `changes`."""
    values: dict[str, Any] = {
        "buyer": given.buyer,
        "producer": given.farm,
        "weekday": TUESDAY,
        "hand_over": HandOver.FARM,
        "place_id": given.place.pk,
        "lines": [(given.carrots.pk, Decimal("12"))],
        "starts_on": date(2026, 12, 8),
        "created_by": given.buyer_user,
        "today": TODAY,
    }
    values.update(changes)
    return standing_order_create(**values)


def test_a_standing_order_from_the_form_is_saved_and_its_next_weeks_are_known_ahead() -> None:
    given = scenario()

    standing = _create(given)

    assert (standing.weekday, standing.hand_over, standing.pickup_place) == (
        TUESDAY,
        HandOver.FARM,
        given.place,
    )
    assert [(line.lot, line.quantity) for line in standing.lines.all()] == [(given.carrots, Decimal("12"))]
    # Tomorrow's order is made at once; the next ones three days before their Tuesday.
    assert upcoming(standing, at=AT, count=2) == [
        Upcoming(date(2026, 12, 8), date(2026, 12, 7)),
        Upcoming(date(2026, 12, 15), date(2026, 12, 12)),
    ]
    assert standing_orders_generate(at=AT) == 1
    run = StandingOrderRun.objects.get()
    assert (run.hand_over_on, run.failure) == (date(2026, 12, 8), "")
    assert run.order is not None
    assert run.order.lines.get().quantity == Decimal("12")


def test_a_drive_and_a_round_are_accepted_on_a_day_they_work() -> None:
    given = scenario()

    by_drive = _create(
        given,
        producer=given.dairy,
        weekday=THURSDAY,
        hand_over=HandOver.DRIVE,
        place_id=given.drive.pk,
        lines=[(given.cheese.pk, Decimal("12"))],
    )
    by_round = _create(
        given,
        weekday=5,
        hand_over=HandOver.ROUND,
        place_id=given.delivery_round.pk,
        lines=[(given.carrots.pk, Decimal("45"))],  # 54 € excluding VAT: over the round's 50 €
    )

    assert by_drive.drive_point == given.drive
    assert by_round.delivery_round == given.delivery_round
    assert StandingOrderLine.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lines": []}, "Ajoutez au moins un lot."),
        ({"lines": [("carrots", "0")]}, "La quantité doit être positive."),
        ({"lines": [("carrots", "-2")]}, "La quantité doit être positive."),
        ({"lines": [("cheese", "4")], "dairy": True}, "« Camembert » se commande par 6 au moins."),
        ({"lines": [("cheese", "8")], "dairy": True}, "« Camembert » se commande par multiples de 6."),
        ({"lines": [("cheese", "12")]}, "Ce lot n'est pas de ce producteur."),
        ({"lines": [("carrots", "5"), ("carrots", "10")]}, "« Carottes » figure deux fois"),
        ({"weekday": WEDNESDAY}, "« À la ferme » n'ouvre pas ce jour de la semaine"),
        ({"weekday": WEDNESDAY, "place": "round"}, "ne passe pas ce jour-là."),
        ({"weekday": 1, "place": "drive", "dairy": True}, "« Drive d'Argentan » n'ouvre pas ce jour"),
        ({"weekday": THURSDAY, "place": "other drive", "dairy": True}, "Choisissez un lieu de remise"),
        ({"weekday": 8}, "Choisissez le jour de la semaine."),
        ({"place": "round"}, "La tournée « Tournée d'Argentan » livre à partir de 50,00 € HT de commande."),
        ({"place": "round", "postcode": "14000"}, "ne dessert pas le code postal « 14000 »."),
        ({"starts_on": date(2026, 12, 6)}, "La date de début est passée."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_written(changes: dict[str, Any], message: str) -> None:
    given = scenario()
    lots = {"carrots": given.carrots, "cheese": given.cheese}
    other_drive = DrivePointFactory.create(opening_hours="Th 16:00-19:00")
    places = {
        "round": (HandOver.ROUND, given.delivery_round.pk),
        "drive": (HandOver.DRIVE, given.drive.pk),
        "other drive": (HandOver.DRIVE, other_drive.pk),
    }
    values: dict[str, Any] = {}
    if changes.pop("dairy", False):
        values.update(
            producer=given.dairy, weekday=THURSDAY, hand_over=HandOver.DRIVE, place_id=given.drive.pk
        )
    if "lines" in changes:
        values["lines"] = [(lots[name].pk, Decimal(quantity)) for name, quantity in changes.pop("lines")]
    if "place" in changes:
        values["hand_over"], values["place_id"] = places[changes.pop("place")]
    if "postcode" in changes:
        given.buyer.postcode = changes.pop("postcode")
        given.buyer.save()
    values.update(changes)

    with pytest.raises(ValidationError) as refused:
        _create(given, **values)

    assert message in " ".join(refused.value.messages)
    assert not StandingOrder.objects.exists()
    assert not StandingOrderLine.objects.exists()


def test_a_withdrawn_lot_an_inactive_producer_and_the_buyer_itself_are_refused() -> None:
    given = scenario()
    given.carrots.is_published = False
    given.carrots.save()

    with pytest.raises(ValidationError, match="« Carottes » n'est plus en vente"):
        _create(given)
    given.farm.is_active = False
    given.farm.save()
    with pytest.raises(ValidationError, match="Choisissez un producteur qui vend aux professionnels"):
        _create(given)
    with pytest.raises(ValidationError, match="Choisissez un producteur"):
        _create(given, producer=given.buyer)
    assert not StandingOrder.objects.exists()


def test_the_buyer_chooses_among_active_producers_with_a_lot_for_sale() -> None:
    given = scenario()
    EnterpriseFactory.create(name="Ferme sans lot")
    LotFactory.create(enterprise=EnterpriseFactory.create(name="Ferme fermée", is_active=False))
    LotFactory.create(enterprise=EnterpriseFactory.create(name="Ferme retirée"), is_published=False)
    LotFactory.create(enterprise=given.farm, title="Poireaux")  # a second lot: the farm is listed once

    assert standing_order_producers(given.buyer) == [given.farm, given.dairy]


def test_each_hand_over_place_says_the_weekdays_it_works() -> None:
    given = scenario()

    farm = [(place.value, place.label, place.weekdays) for place in hand_over_places(given.farm, today=TODAY)]

    assert farm == [
        (f"farm|{given.place.pk}", "Retrait « À la ferme » — mardi, vendredi, samedi", (2, 5, 6)),
        (f"drive|{given.drive.pk}", "Drive « Drive d'Argentan » — jeudi", (4,)),
        (f"round|{given.delivery_round.pk}", "Livraison « Tournée d'Argentan » — mardi, vendredi", (2, 5)),
    ]


def test_the_lines_are_changed_with_the_same_checks_and_kept_on_a_refusal() -> None:
    given = scenario()
    leeks = LotFactory.create(enterprise=given.farm, title="Poireaux", quantity_step=Decimal("5"))
    standing = _create(given)

    standing_order_change_lines(
        standing_order=standing, lines=[(given.carrots.pk, Decimal("8")), (leeks.pk, Decimal("10"))]
    )
    with pytest.raises(ValidationError, match="« Poireaux » se commande par multiples de 5"):
        standing_order_change_lines(standing_order=standing, lines=[(leeks.pk, Decimal("7"))])
    with pytest.raises(ValidationError, match="Ajoutez au moins un lot"):
        standing_order_change_lines(standing_order=standing, lines=[])

    lines = {line.lot_id: line.quantity for line in standing.lines.all()}
    assert lines == {given.carrots.pk: Decimal("8"), leeks.pk: Decimal("10")}
    by_round = _create(
        given,
        weekday=5,
        hand_over=HandOver.ROUND,
        place_id=given.delivery_round.pk,
        lines=[(given.carrots.pk, Decimal("45"))],
    )
    with pytest.raises(ValidationError, match="livre à partir de 50,00 € HT"):
        standing_order_change_lines(standing_order=by_round, lines=[(given.carrots.pk, Decimal("10"))])
    assert by_round.lines.get().quantity == Decimal("45")
    standing_order_end(standing_order=standing, today=TODAY)
    with pytest.raises(ValidationError, match="arrêtée"):
        standing_order_change_lines(standing_order=standing, lines=[(leeks.pk, Decimal("5"))])


# --- Pages ---------------------------------------------------------------------------------------------


@pytest.fixture
def given(page_clock: Callable[[datetime], None]) -> Scenario:
    page_clock(AT)
    return scenario()


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _new_url(given: Scenario) -> str:
    return reverse("wholesale_buyer:standing_new", args=[given.buyer.slug])


def _form(given: Scenario, **changes: str) -> dict[str, str]:
    data = {
        "producteur": given.farm.slug,
        "weekday": str(TUESDAY),
        "place": f"farm|{given.place.pk}",
        "starts_on": "2026-12-08",
        f"quantite_{given.carrots.pk}": "12",
    }
    data.update(changes)
    return data


def test_the_list_leads_to_the_form_whose_first_step_lists_the_producers(given: Scenario) -> None:
    client = _client(given.buyer_user)

    listing = client.get(reverse("wholesale_buyer:standing_orders", args=[given.buyer.slug])).content.decode()
    first = client.get(_new_url(given)).content.decode()
    unknown = client.get(_new_url(given) + "?producteur=nulle-part").content.decode()

    assert f'href="{_new_url(given)}">Nouvelle commande régulière</a>' in listing
    assert '<option value="ferme-des-sources">Ferme des Sources</option>' in first
    assert '<option value="laiterie-du-pays">Laiterie du Pays</option>' in first
    assert "Choisissez un producteur de la liste." in unknown


def test_the_second_step_shows_the_producer_s_lots_places_and_tomorrow_as_start(given: Scenario) -> None:
    page = _client(given.buyer_user).get(_new_url(given) + "?producteur=ferme-des-sources").content.decode()

    assert "Carottes" in page
    assert "Camembert" not in page
    assert "Retrait « À la ferme » — mardi, vendredi, samedi" in page
    assert "Livraison « Tournée d&#x27;Argentan » — mardi, vendredi" in page
    assert 'value="2026-12-08"' in page


def test_a_buyer_creates_a_standing_order_and_sees_its_next_orders(given: Scenario) -> None:
    client = _client(given.buyer_user)

    response = client.post(_new_url(given), _form(given), follow=True)

    standing = StandingOrder.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "wholesale_buyer:standing_order", args=[given.buyer.slug, standing.pk]
    )
    page = response.content.decode()
    assert "La commande régulière est enregistrée." in page
    assert "12 × Carottes" in page
    assert "mardi 8 décembre 2026</strong> — commande passée pour vous le lundi 7 décembre" in page
    assert "mardi 15 décembre 2026</strong> — commande passée pour vous le samedi 12 décembre" in page
    assert (standing.created_by, standing.starts_on) == (given.buyer_user, date(2026, 12, 8))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantite_{carrots}": ""}, "Ajoutez au moins un lot."),
        ({"quantite_{carrots}": "0"}, "La quantité doit être positive."),
        ({"quantite_{carrots}": "beaucoup"}, "Indiquez une quantité en chiffres, par exemple 6."),
        ({"weekday": str(WEDNESDAY)}, "« À la ferme » n&#x27;ouvre pas ce jour de la semaine"),
        ({"place": ""}, "Ce champ est obligatoire."),
        ({"place": "drive|999999"}, "Sélectionnez un choix valide."),
        ({"place": "n'importe quoi"}, "Sélectionnez un choix valide."),
        ({"starts_on": "2026-12-01"}, "La date de début est passée."),
    ],
)
def test_bad_input_on_the_form_is_told_in_french_keeps_what_was_typed_and_creates_nothing(
    given: Scenario, changes: dict[str, str], message: str
) -> None:
    data = _form(given, **{key.format(carrots=given.carrots.pk): value for key, value in changes.items()})

    response = _client(given.buyer_user).post(_new_url(given), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'role="alert"' in page
    assert not StandingOrder.objects.exists()


def test_a_lot_under_its_minimum_is_refused_on_the_form(given: Scenario) -> None:
    data = {
        "producteur": given.dairy.slug,
        "weekday": str(THURSDAY),
        "place": f"drive|{given.drive.pk}",
        "starts_on": "2026-12-08",
        f"quantite_{given.cheese.pk}": "4",
    }

    page = _client(given.buyer_user).post(_new_url(given), data).content.decode()

    assert "« Camembert » se commande par 6 au moins." in page
    assert 'value="4"' in page
    assert not StandingOrder.objects.exists()


def test_only_the_buyer_s_members_reach_the_form(given: Scenario) -> None:
    assert _client(UserFactory.create()).get(_new_url(given)).status_code == 403
    assert _client(UserFactory.create()).post(_new_url(given), _form(given)).status_code == 403
    assert not StandingOrder.objects.exists()


def test_the_buyer_changes_the_lots_of_a_standing_order(given: Scenario) -> None:
    given.buyer.buyer_category = BuyerCategory.CANTEEN
    given.buyer.save()
    standing = _create(given)
    url = reverse("wholesale_buyer:standing_lines", args=[given.buyer.slug, standing.pk])
    client = _client(given.buyer_user)

    shown = client.get(url).content.decode()
    refused = client.post(url, {f"quantite_{given.carrots.pk}": "-1"}).content.decode()
    changed = client.post(url, {f"quantite_{given.carrots.pk}": "20"}, follow=True).content.decode()

    assert 'value="12"' in shown
    assert "La quantité doit être positive." in refused
    assert "Les lots de la commande régulière sont changés." in changed
    assert "20 × Carottes" in changed
    assert standing.lines.get().quantity == Decimal("20")
    standing_order_end(standing_order=standing, today=TODAY)
    assert client.get(url).status_code == 404
