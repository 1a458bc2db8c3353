"""The units', vacancy and projects' pages over HTTP: who sees what, forms and their French errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.premises.models import (
    BusinessProject,
    CommercialUnit,
    Occupancy,
    ProjectStatus,
    Proposal,
    ProposalOutcome,
    UnitState,
)
from centreville.premises.tests.factories import BusinessProjectFactory, OccupancyFactory, unit_with_history
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

OCC, VAC = UnitState.OCCUPIED, UnitState.VACANT
# 25 October 2026 at 00:30 in Paris (summer time), still the 24th in UTC: the night the clocks go back.
AUTUMN_NIGHT = datetime(2026, 10, 24, 22, 30, tzinfo=UTC)
TODAY = date(2026, 10, 25)


@pytest.fixture(autouse=True)
def _clock(page_clock: Callable[[datetime], None]) -> None:
    page_clock(AUTUMN_NIGHT)


@pytest.fixture
def town() -> Town:
    town: Town = TownFactory.create(slug="argentan")
    return town


@pytest.fixture
def manager(town: Town) -> User:
    user: User = TownRoleFactory.create(town=town, role=Role.MANAGER).user
    return user


@pytest.fixture
def elected(town: Town) -> User:
    user: User = TownRoleFactory.create(town=town, role=Role.ELECTED).user
    return user


@pytest.fixture
def vacant_unit(town: Town) -> CommercialUnit:
    return unit_with_history(
        town,
        [(OCC, date(2019, 1, 1), date(2024, 8, 31)), (VAC, date(2024, 9, 1), None)],
        reference="REP-27",
        street_number="27",
        street="rue de la République",
        surface=Decimal(85),
        owner_name="SCI des Halles",
        owner_email="sci.halles@example.fr",
        notes="Loyer demandé : 1 200 € HT",
    )


def url(name: str, *args: object) -> str:
    return reverse(name, args=["argentan", *args])


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


# --- Who gets in -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["premises:units", "premises:vacancy", "premises:map", "premises:map_data", "premises_projects:list"],
)
def test_elected_officials_read_the_pages_others_are_kept_out(
    client: Client, town: Town, elected: User, name: str
) -> None:
    assert client.get(url(name)).status_code == 302  # to the login page
    client.force_login(UserFactory.create())
    assert client.get(url(name)).status_code == 403
    client.force_login(TownRoleFactory.create(role=Role.MANAGER).user)  # another town's manager
    assert client.get(url(name)).status_code == 403
    client.force_login(elected)
    assert client.get(url(name)).status_code == 200


@pytest.mark.parametrize(
    ("method", "name", "needs_unit"),
    [
        ("get", "premises:unit_create", False),
        ("get", "premises:unit_edit", True),
        ("post", "premises:unit_state", True),
        ("post", "premises:unit_propose", True),
        ("post", "premises:perimeter_refresh", False),
        ("get", "premises_projects:create", False),
    ],
)
def test_elected_officials_change_nothing(
    client: Client, elected: User, vacant_unit: CommercialUnit, method: str, name: str, needs_unit: bool
) -> None:
    target = url(name, vacant_unit.pk) if needs_unit else url(name)
    assert getattr(as_user(client, elected), method)(target).status_code == 403


def test_an_elected_official_never_sees_owners_notes_or_project_contacts(
    client: Client, elected: User, vacant_unit: CommercialUnit
) -> None:
    project = BusinessProjectFactory.create(
        town=vacant_unit.town,
        title="Épicerie vrac",
        contact_name="Inès Marchand",
        contact_email="ines@example.fr",
    )
    Proposal.objects.create(town=vacant_unit.town, project=project, unit=vacant_unit, proposed_on=TODAY)
    as_user(client, elected)

    pages = [
        client.get(url("premises:unit", vacant_unit.pk)),
        client.get(url("premises:units")),
        client.get(url("premises:units") + "?format=csv"),
        client.get(url("premises:map_data")),
        client.get(url("premises_projects:list")),
        client.get(url("premises_projects:detail", project.pk)),
    ]

    for response in pages:
        assert response.status_code == 200
        text = response.content.decode()
        for secret in ("SCI des Halles", "sci.halles@", "1 200 €", "Inès Marchand", "ines@example.fr"):
            assert secret not in text, (response.request["PATH_INFO"], secret)
    assert "Épicerie vrac" in pages[0].content.decode()  # the pipeline, without its contact
    assert "Enregistrer un changement d" not in pages[0].content.decode()


def test_the_manager_sees_the_owner_on_the_unit_page_but_not_in_the_export(
    client: Client, manager: User, vacant_unit: CommercialUnit
) -> None:
    as_user(client, manager)

    page = client.get(url("premises:unit", vacant_unit.pk)).content.decode()
    export = client.get(url("premises:units") + "?format=csv").content.decode("utf-8-sig")

    assert "SCI des Halles" in page
    assert "sci.halles@example.fr" in page
    assert "1 200 €" in page
    assert "SCI des Halles" not in export
    assert "Loyer" not in export
    assert export.splitlines()[1].startswith("REP-27;27;rue de la République;61200;;;85,0;")
    assert ";Vacant;2024-09-01;" in export


# --- The units list ----------------------------------------------------------------------------------------


def test_the_list_filters_by_street_state_and_perimeter_and_pages(
    client: Client, manager: User, town: Town
) -> None:
    for number in range(55):
        unit_with_history(
            town, [(OCC, date(2020, 1, 1), None)], street="rue Saint-Martin", street_number=str(number)
        )
    unit_with_history(town, [(VAC, date(2024, 1, 1), None)], reference="V1", street="R. Saint Martin")
    unit_with_history(
        town, [(VAC, date(2024, 1, 1), None)], reference="V2", street="bd Carnot", in_centre=False
    )
    unit_with_history(town, [], reference="SANS", street="bd Carnot")
    as_user(client, manager)

    everything = client.get(url("premises:units"))
    vacant_in_centre = client.get(url("premises:units") + "?etat=vacant&centre=oui")
    saint_martin = client.get(url("premises:units") + "?rue=rue+saint+martin&page=2")
    no_history = client.get(url("premises:units") + "?etat=none")
    unknown_street = client.get(url("premises:units") + "?rue=rue+inconnue")

    assert everything.context["page"].paginator.count == 58
    assert len(everything.context["units"]) == 50
    assert [u.reference for u in vacant_in_centre.context["units"]] == ["V1"]
    assert saint_martin.context["page"].paginator.count == 56  # both spellings are one street
    assert len(saint_martin.context["units"]) == 6
    assert "rue=rue+saint+martin&amp;page=1" in saint_martin.content.decode()
    assert [u.reference for u in no_history.context["units"]] == ["SANS"]
    assert unknown_street.context["page"].paginator.count == 58  # a stale filter is dropped, not a 500


# --- A unit's page: recording and correcting its history ---------------------------------------------------


def test_the_manager_records_a_change_of_state_dated_today_in_paris(
    client: Client, manager: User, vacant_unit: CommercialUnit
) -> None:
    shop = ShopFactory.create(town=vacant_unit.town, name="Fromagerie Gosselin")
    as_user(client, manager)

    response = client.post(
        url("premises:unit_state", vacant_unit.pk),
        {"state": OCC, "since": "2026-10-25", "shop": shop.pk, "occupant_name": "", "note": "Bail signé"},
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"/gestion/locaux/{vacant_unit.pk}/#historique")
    current = Occupancy.objects.get(unit=vacant_unit, end__isnull=True)
    assert (current.state, current.start, current.shop_id, current.recorded_by_id) == (
        OCC,
        TODAY,
        shop.pk,
        manager.pk,
    )
    page = client.get(url("premises:unit", vacant_unit.pk)).content.decode()
    assert "du 1 septembre 2024 au 24 octobre 2026" in page


def test_a_refused_change_of_state_says_why_on_the_page(
    client: Client, manager: User, vacant_unit: CommercialUnit
) -> None:
    as_user(client, manager)

    future = client.post(
        url("premises:unit_state", vacant_unit.pk),
        {"state": OCC, "since": "2026-10-26", "occupant_name": "X"},
    )
    nobody = client.post(url("premises:unit_state", vacant_unit.pk), {"state": OCC, "since": "2026-10-01"})
    unreadable = client.post(url("premises:unit_state", vacant_unit.pk), {"state": VAC, "since": "hier"})

    assert future.status_code == nobody.status_code == unreadable.status_code == 422
    assert "après aujourd&#x27;hui" in future.content.decode()
    assert "choisissez le commerce ou écrivez le nom" in nobody.content.decode()
    assert "Date illisible" in unreadable.content.decode()
    assert Occupancy.objects.filter(unit=vacant_unit).count() == 2


def test_the_manager_corrects_a_period_and_its_neighbour_follows(
    client: Client, manager: User, vacant_unit: CommercialUnit
) -> None:
    first = Occupancy.objects.get(unit=vacant_unit, start=date(2019, 1, 1))
    as_user(client, manager)

    form = client.get(url("premises:period_edit", vacant_unit.pk, first.pk))
    response = client.post(
        url("premises:period_edit", vacant_unit.pk, first.pk),
        {"state": OCC, "start": "2019-01-01", "end": "2024-09-30", "occupant_name": "Mercerie Tessier"},
    )

    assert form.status_code == 200
    assert response.status_code == 302
    assert list(Occupancy.objects.filter(unit=vacant_unit).order_by("start").values_list("start", "end")) == [
        (date(2019, 1, 1), date(2024, 9, 30)),
        (date(2024, 10, 1), None),
    ]


def test_the_manager_creates_a_unit_with_its_first_state(client: Client, manager: User, town: Town) -> None:
    as_user(client, manager)

    refused = client.post(url("premises:unit_create"), {"reference": "", "street": "", "floor": "ground"})
    response = client.post(
        url("premises:unit_create"),
        {
            "reference": "CHA-12",
            "street_number": "12",
            "street": "rue de la Chaussée",
            "postcode": "61200",
            "surface": "64,5",
            "floor": "ground",
            "centre_choice": "inside",
            "owner_phone": "02 33 12 34 56",
            "state": VAC,
            "since": "2026-06-01",
        },
    )

    assert refused.status_code == 422
    assert response.status_code == 302, response.context["form"].errors
    unit = CommercialUnit.objects.get(town=town, reference="CHA-12")
    assert (unit.surface, unit.in_centre, unit.owner_phone.as_e164) == (Decimal("64.5"), True, "+33233123456")
    assert list(unit.periods.values_list("state", "start")) == [(VAC, date(2026, 6, 1))]


# --- Vacancy and map ---------------------------------------------------------------------------------------


def test_the_vacancy_page_shows_the_figures_the_method_and_downloads_its_charts(
    client: Client, elected: User, vacant_unit: CommercialUnit
) -> None:
    unit_with_history(vacant_unit.town, [(OCC, date(2020, 1, 1), None)], street="rue du Beigle", surface=None)
    as_user(client, elected)

    page = client.get(url("premises:vacancy"))
    then = client.get(url("premises:vacancy") + "?date=2024-08-31")
    csv = client.get(url("premises:vacancy") + "?csv=vacance-par-rue")
    wrong = client.get(url("premises:vacancy") + "?date=2030-01-01")

    assert page.context["page"].on == TODAY
    assert page.context["page"].summary.centre.rate == Decimal("50.0")
    text = page.content.decode()
    assert "50,0 %" in text
    assert "100,0 %" in text
    assert "Un local en travaux ou réservé n&#x27;est pas compté comme vacant" in text
    assert then.context["page"].summary.centre.vacant == 0
    assert csv["Content-Disposition"] == 'attachment; filename="vacance-argentan-vacance-par-rue.csv"'
    assert csv.content.decode("utf-8-sig").splitlines() == [
        "Rue;En nombre de locaux (%);En surface (%)",
        "rue de la République;100,0;100,0",
        "rue du Beigle;0,0;",
    ]
    assert wrong.status_code == 200
    assert "Choisissez une date passée" in wrong.content.decode()


def test_the_vacancy_page_reads_a_big_history_in_a_bounded_number_of_queries(
    client: Client, elected: User, town: Town, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(30):
        unit_with_history(
            town,
            [
                (OCC, date(2016, 1, 1), date(2019 + number % 5, 6, 30)),
                (VAC, date(2019 + number % 5, 7, 1), None),
            ],
            street=f"rue {number % 4}",
        )
    as_user(client, elected)
    client.get(url("premises:vacancy"))  # session and roles read once

    with django_assert_max_num_queries(10):
        response = client.get(url("premises:vacancy"))

    assert response.status_code == 200


def test_the_map_data_places_units_with_their_state(client: Client, elected: User, town: Town) -> None:
    unit_with_history(
        town,
        [(VAC, date(2024, 1, 1), None)],
        reference="P1",
        latitude=Decimal("48.7445"),
        longitude=Decimal("-0.0203"),
        street_number="3",
        street="place Mahé",
    )
    unit_with_history(town, [(OCC, date(2024, 1, 1), None)], reference="NOWHERE")
    as_user(client, elected)

    data = client.get(url("premises:map_data")).json()
    page = client.get(url("premises:map")).content.decode()

    assert data["features"] == [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-0.0203, 48.7445]},
            "properties": {
                "reference": "P1",
                "address": "3 place Mahé",
                "state": "vacant",
                "state_label": "Vacant",
                "url": url("premises:unit", CommercialUnit.objects.get(reference="P1").pk),
            },
        }
    ]
    assert "1 local sans coordonnées n'est pas sur la carte" in page
    assert url("premises:units") in page  # the table alternative


# --- Projects ----------------------------------------------------------------------------------------------


def test_a_vacant_unit_lists_the_projects_it_fits_and_is_proposed_from_its_page(
    client: Client, manager: User, vacant_unit: CommercialUnit
) -> None:
    town = vacant_unit.town
    fits = BusinessProjectFactory.create(town=town, title="Épicerie vrac", surface_min=60, surface_max=120)
    anywhere = BusinessProjectFactory.create(
        town=town, title="Torréfacteur", wanted_streets=["Rue de la Republique"]
    )
    BusinessProjectFactory.create(town=town, title="Trop petit", surface_max=40)
    BusinessProjectFactory.create(town=town, title="Ailleurs", wanted_streets=["rue du Beigle"])
    BusinessProjectFactory.create(town=town, title="Abandonné", status=ProjectStatus.ABANDONED)
    as_user(client, manager)

    page = client.get(url("premises:unit", vacant_unit.pk))
    response = client.post(
        url("premises:unit_propose", vacant_unit.pk), {"target": fits.pk, "note": "Visite mardi"}
    )
    after = client.get(url("premises:unit", vacant_unit.pk))

    assert [p.title for p in page.context["matching"]] == ["Épicerie vrac", "Torréfacteur"]
    assert response.status_code == 302
    proposal = Proposal.objects.get(project=fits, unit=vacant_unit)
    assert (proposal.proposed_on, proposal.note) == (TODAY, "Visite mardi")
    assert BusinessProject.objects.get(pk=fits.pk).status == ProjectStatus.PROPOSED
    assert [p.pk for p in after.context["matching"]] == [anywhere.pk]


def test_a_project_page_lists_matching_vacant_units_and_records_an_outcome(
    client: Client, manager: User, vacant_unit: CommercialUnit
) -> None:
    town = vacant_unit.town
    unit_with_history(town, [(OCC, date(2020, 1, 1), None)], reference="OCCUPE")
    unit_with_history(town, [(VAC, date(2020, 1, 1), None)], reference="GRAND", surface=Decimal(400))
    project = BusinessProjectFactory.create(town=town, surface_min=50, surface_max=100)
    as_user(client, manager)

    page = client.get(url("premises_projects:detail", project.pk))
    client.post(url("premises_projects:propose", project.pk), {"target": vacant_unit.pk})
    proposal = Proposal.objects.get(project=project)
    refused = client.post(
        url("premises_projects:outcome", proposal.pk),
        {
            f"suite-{proposal.pk}-outcome": ProposalOutcome.VISITED,
            f"suite-{proposal.pk}-outcome_on": "2026-10-01",
        },
    )
    done = client.post(
        url("premises_projects:outcome", proposal.pk),
        {f"suite-{proposal.pk}-outcome": ProposalOutcome.ACCEPTED},
    )

    assert [u.reference for u in page.context["matching"]] == ["REP-27"]
    assert refused.status_code == 422
    assert "ne peut pas précéder la proposition" in refused.content.decode()
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.outcome, proposal.outcome_on) == (ProposalOutcome.ACCEPTED, TODAY)


def test_the_manager_creates_a_project_and_moves_it_along(
    client: Client, manager: User, vacant_unit: CommercialUnit
) -> None:
    as_user(client, manager)

    response = client.post(
        url("premises_projects:create"),
        {
            "title": "Librairie jeunesse",
            "contact_name": "Paul Adam",
            "contact_phone": "06 12 34 56 78",
            "surface_min": "50",
            "surface_max": "30",
            "wanted_streets": ["rue de la République"],
        },
    )
    assert response.status_code == 422
    assert "surface maximale doit être au moins égale" in response.content.decode()
    response = client.post(
        url("premises_projects:create"),
        {
            "title": "Librairie jeunesse",
            "contact_name": "Paul Adam",
            "wanted_streets": ["rue de la République"],
        },
    )
    project = BusinessProject.objects.get(title="Librairie jeunesse")
    assert response.status_code == 302
    assert project.wanted_streets == ["rue de la République"]

    client.post(url("premises_projects:status", project.pk), {"to_status": ProjectStatus.INSTALLED})
    assert BusinessProject.objects.get(pk=project.pk).status == ProjectStatus.NEW  # not a move it may make
    client.post(url("premises_projects:status", project.pk), {"to_status": ProjectStatus.STUDY})
    assert BusinessProject.objects.get(pk=project.pk).status == ProjectStatus.STUDY


def test_other_towns_units_and_projects_are_not_found(client: Client, manager: User) -> None:
    elsewhere = OccupancyFactory.create().unit
    project = BusinessProjectFactory.create()
    as_user(client, manager)

    assert client.get(url("premises:unit", elsewhere.pk)).status_code == 404
    assert client.get(url("premises_projects:detail", project.pk)).status_code == 404


def test_the_vacancy_page_is_dated_by_the_day_in_paris_the_night_clocks_go_forward(
    client: Client, elected: User, vacant_unit: CommercialUnit, page_clock: Callable[[datetime], None]
) -> None:
    page_clock(datetime(2026, 3, 28, 23, 30, tzinfo=UTC))  # 29 March, 00:30 in Paris

    response = as_user(client, elected).get(url("premises:vacancy"))

    assert response.context["page"].on == date(2026, 3, 29)
    assert response.context["page"].months[-1].on == date(2026, 3, 29)


@pytest.mark.parametrize(
    "name",
    ["premises:units", "premises:vacancy", "premises:map", "premises_projects:list", "premises:unit_create"],
)
def test_a_town_without_units_gets_every_page_saying_so(client: Client, manager: User, name: str) -> None:
    response = as_user(client, manager).get(url(name))

    assert response.status_code == 200
