"""Writes on units, their history and projects: the history stays whole, mistakes are refused in French."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from centreville.core.pagecache import town_versions
from centreville.premises import services
from centreville.premises.models import (
    CentreChoice,
    CommercialUnit,
    Occupancy,
    ProjectStatus,
    ProposalOutcome,
    UnitState,
)
from centreville.premises.perimeter import in_outline
from centreville.premises.streets import street_key, street_label
from centreville.premises.tests.factories import (
    BusinessProjectFactory,
    CommercialUnitFactory,
    ProposalFactory,
    unit_with_history,
)
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

TODAY = date(2026, 3, 29)  # the night clocks go forward in Paris
OCC, VAC, WORKS, RES = UnitState.OCCUPIED, UnitState.VACANT, UnitState.WORKS, UnitState.RESERVED
SQUARE = {"type": "Polygon", "coordinates": [[[0, 48], [1, 48], [1, 49], [0, 49], [0, 48]]]}


def history(unit: CommercialUnit) -> list[tuple[str, date, date | None, str]]:
    return [
        (period.state, period.start, period.end, period.occupant_name)
        for period in Occupancy.objects.filter(unit=unit).order_by("start")
    ]


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


# --- Streets and perimeter ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["rue de la République", "Rue de la Republique", "R. de la République", "  rue  de la RÉPUBLIQUE "],
)
def test_spellings_of_one_street_share_a_key(spelling: str) -> None:
    assert street_key(spelling) == "rue de la republique"


def test_abbreviations_hyphens_and_apostrophes_fall_together() -> None:
    assert street_key("bd Carnot") == street_key("Boulevard Carnot") == "boulevard carnot"
    assert street_key("pl. St-Martin") == street_key("place Saint Martin")
    assert street_key("rue de l'Hôtel de Ville") == street_key("Rue de l\u2019Hotel-de-Ville")
    assert street_label(["rue Foch", "Rue Foch", "rue Foch"]) == "rue Foch"


def test_a_point_is_in_a_polygon_not_in_its_hole_and_unknown_without_coordinates() -> None:
    with_hole = {
        "type": "Polygon",
        "coordinates": [
            SQUARE["coordinates"][0],
            [[0.4, 48.4], [0.6, 48.4], [0.6, 48.6], [0.4, 48.6], [0.4, 48.4]],
        ],
    }
    assert in_outline(Decimal("48.2"), Decimal("0.2"), SQUARE) is True
    assert in_outline(48.2, 1.2, SQUARE) is False
    assert in_outline(48.5, 0.5, with_hole) is False
    assert (
        in_outline(
            48.5,
            0.5,
            {
                "type": "MultiPolygon",
                "coordinates": [[[[2, 2], [3, 2], [3, 3], [2, 2]]], SQUARE["coordinates"]],
            },
        )
        is True
    )
    assert in_outline(None, 0.5, SQUARE) is None
    assert in_outline(48.5, 0.5, None) is None


# --- Units ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_unit_opens_its_history_and_is_placed_by_its_coordinates() -> None:
    town = TownFactory.create(centre_outline=SQUARE)
    data = services.UnitData(
        reference=" REP-27 ",
        street="rue  de la République",
        street_number="27",
        latitude=Decimal("48.5"),
        longitude=Decimal("0.5"),
        surface=Decimal("85.5"),
    )

    unit = services.unit_create(
        town=town, data=data, state=VAC, since=date(2025, 9, 1), actor=None, today=TODAY
    )

    unit.refresh_from_db()
    assert (unit.reference, unit.street, unit.street_key, unit.in_centre) == (
        "REP-27",
        "rue de la République",
        "rue de la republique",
        True,
    )
    assert history(unit) == [(VAC, date(2025, 9, 1), None, "")]


@pytest.mark.django_db
def test_the_perimeter_can_be_forced_and_follows_a_changed_outline_otherwise() -> None:
    town = TownFactory.create(centre_outline=SQUARE)
    lat, lon = Decimal("48.5"), Decimal("0.5")
    auto = services.unit_create(
        town=town,
        data=services.UnitData(reference="A", street="rue A", latitude=lat, longitude=lon),
        state=VAC,
        since=TODAY,
        actor=None,
        today=TODAY,
    )
    forced = services.unit_create(
        town=town,
        data=services.UnitData(
            reference="B", street="rue B", centre_choice=CentreChoice.OUTSIDE, latitude=lat, longitude=lon
        ),
        state=VAC,
        since=TODAY,
        actor=None,
        today=TODAY,
    )
    assert (auto.in_centre, forced.in_centre) == (True, False)

    Town.objects.filter(pk=town.pk).update(
        centre_outline={"type": "Polygon", "coordinates": [[[5, 5], [6, 5], [6, 6], [5, 5]]]}
    )
    town.refresh_from_db()
    assert services.perimeter_refresh(town=town) == 1

    auto.refresh_from_db()
    forced.refresh_from_db()
    assert (auto.in_centre, forced.in_centre) == (False, False)


@pytest.mark.django_db
def test_a_reference_is_unique_in_its_town_only() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    CommercialUnitFactory.create(town=town, reference="L-1")
    CommercialUnitFactory.create(town=other, reference="L-2")

    with pytest.raises(ValidationError) as error:
        services.unit_create(
            town=town,
            data=services.UnitData(reference="L-1", street="rue A"),
            state=VAC,
            since=TODAY,
            actor=None,
            today=TODAY,
        )
    assert "référence « L-1 »" in messages_of(error)
    services.unit_create(
        town=town,
        data=services.UnitData(reference="L-2", street="rue A"),
        state=VAC,
        since=TODAY,
        actor=None,
        today=TODAY,
    )


@pytest.mark.django_db
def test_half_coordinates_are_refused() -> None:
    town = TownFactory.create()
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            town=town,
            data=services.UnitData(reference="X", street="rue A", latitude=Decimal(48)),
            state=VAC,
            since=TODAY,
            actor=None,
            today=TODAY,
        )
    assert "latitude et la longitude" in messages_of(error)
    assert not CommercialUnit.objects.exists()


@pytest.mark.django_db
def test_updating_a_unit_writes_only_what_changed() -> None:
    unit = CommercialUnitFactory.create(street="rue A", reference="R", surface=Decimal(50))
    data = services.UnitData(
        reference="R",
        street="bd Carnot",
        street_number=unit.street_number,
        postcode=unit.postcode,
        surface=Decimal(60),
        centre_choice=CentreChoice.INSIDE,
    )

    services.unit_update(unit=unit, data=data)

    unit.refresh_from_db()
    assert (unit.street_key, unit.surface, unit.in_centre) == ("boulevard carnot", Decimal(60), True)


# --- Recording a change of state -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_state_closes_the_current_one_the_day_before() -> None:
    shop = ShopFactory.create(name="Fromagerie Gosselin")
    unit = unit_with_history(shop.town, [(VAC, date(2024, 5, 1), None)])

    services.occupancy_record(unit=unit, state=WORKS, since=date(2025, 10, 26), actor=None, today=TODAY)
    services.occupancy_record(
        unit=unit, state=OCC, since=date(2026, 3, 29), shop=shop, actor=None, today=TODAY
    )

    assert history(unit) == [
        (VAC, date(2024, 5, 1), date(2025, 10, 25), ""),
        (WORKS, date(2025, 10, 26), date(2026, 3, 28), ""),
        (OCC, date(2026, 3, 29), None, "Fromagerie Gosselin"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "since", "extra", "message"),
    [
        (VAC, date(2026, 3, 30), {}, "après aujourd'hui"),
        (VAC, date(2024, 5, 1), {}, "après le début de l'état actuel (le 1 mai 2024)"),
        (VAC, date(2024, 4, 1), {}, "après le début de l'état actuel"),
        (OCC, date(2025, 1, 1), {}, "choisissez le commerce ou écrivez le nom"),
        (VAC, date(2025, 1, 1), {"state_again": True}, "déjà dans cet état depuis le 1 mai 2024"),
    ],
)
def test_impossible_changes_are_refused_in_french(
    state: str, since: date, extra: dict[str, bool], message: str
) -> None:
    unit = unit_with_history(TownFactory.create(), [(VAC, date(2024, 5, 1), None)])

    with pytest.raises(ValidationError) as error:
        services.occupancy_record(unit=unit, state=state, since=since, actor=None, today=TODAY)

    assert message in messages_of(error)
    assert history(unit) == [(VAC, date(2024, 5, 1), None, "")]


@pytest.mark.django_db
def test_a_shop_of_another_town_cannot_occupy_a_unit() -> None:
    unit = unit_with_history(TownFactory.create(), [(VAC, date(2024, 5, 1), None)])
    with pytest.raises(ValidationError) as error:
        services.occupancy_record(
            unit=unit, state=OCC, since=date(2025, 1, 1), shop=ShopFactory.create(), actor=None, today=TODAY
        )
    assert "pas dans cette ville" in messages_of(error)


@pytest.mark.django_db
def test_a_new_occupant_may_take_over_an_occupied_unit() -> None:
    unit = unit_with_history(TownFactory.create(), [(OCC, date(2020, 1, 1), None)])

    services.occupancy_record(
        unit=unit, state=OCC, since=date(2025, 1, 1), occupant_name="Agence Lebrun", actor=None, today=TODAY
    )

    assert [row[3] for row in history(unit)] == ["Occupant", "Agence Lebrun"]


# --- Correcting the history ----------------------------------------------------------------------------


@pytest.fixture
def three_periods() -> tuple[CommercialUnit, list[Occupancy]]:
    unit = unit_with_history(
        TownFactory.create(),
        [
            (OCC, date(2020, 1, 1), date(2023, 6, 30)),
            (VAC, date(2023, 7, 1), date(2025, 2, 28)),
            (WORKS, date(2025, 3, 1), None),
        ],
    )
    return unit, list(Occupancy.objects.filter(unit=unit).order_by("start"))


@pytest.mark.django_db
def test_correcting_a_period_moves_its_neighbours_boundaries(
    three_periods: tuple[CommercialUnit, list[Occupancy]],
) -> None:
    unit, (_first, middle, _last) = three_periods

    services.occupancy_correct(
        period=middle, state=RES, start=date(2023, 9, 1), end=date(2024, 12, 31), actor=None, today=TODAY
    )

    assert history(unit) == [
        (OCC, date(2020, 1, 1), date(2023, 8, 31), "Occupant"),
        (RES, date(2023, 9, 1), date(2024, 12, 31), ""),
        (WORKS, date(2025, 1, 1), None, ""),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("index", "start", "end", "message"),
    [
        (
            1,
            date(2019, 12, 31),
            date(2025, 2, 28),
            "recouvre toute la période précédente (depuis le 1 janvier 2020)",
        ),
        (
            0,
            date(2020, 1, 1),
            date(2025, 2, 28),
            "recouvre toute la période suivante (jusqu'au 28 février 2025)",
        ),
        (1, date(2023, 7, 1), date(2026, 3, 29), "La période suivante commencerait après aujourd'hui"),
        (0, date(2020, 1, 1), date(2019, 1, 1), "même jour que le début ou après"),
        (2, date(2025, 3, 1), date(2025, 6, 1), "pas de date de fin"),
        (1, date(2023, 7, 1), None, "Indiquez la date de fin"),
        (2, date(2026, 4, 1), None, "après aujourd'hui"),
    ],
)
def test_corrections_that_would_break_the_history_are_refused(
    three_periods: tuple[CommercialUnit, list[Occupancy]],
    index: int,
    start: date,
    end: date | None,
    message: str,
) -> None:
    unit, periods = three_periods
    before = history(unit)

    with pytest.raises(ValidationError) as error:
        services.occupancy_correct(
            period=periods[index],
            state=periods[index].state,
            start=start,
            end=end,
            occupant_name=periods[index].occupant_name,
            actor=None,
            today=TODAY,
        )

    assert message in messages_of(error)
    assert history(unit) == before


@pytest.mark.django_db
def test_the_first_period_may_start_earlier(three_periods: tuple[CommercialUnit, list[Occupancy]]) -> None:
    unit, periods = three_periods

    services.occupancy_correct(
        period=periods[0],
        state=OCC,
        start=date(2015, 5, 1),
        end=date(2023, 6, 30),
        occupant_name="Mercerie Tessier",
        actor=None,
        today=TODAY,
    )

    assert history(unit)[0] == (OCC, date(2015, 5, 1), date(2023, 6, 30), "Mercerie Tessier")


@pytest.mark.django_db
def test_deleting_a_period_lets_the_one_before_take_its_place(
    three_periods: tuple[CommercialUnit, list[Occupancy]],
) -> None:
    unit, (first, middle, last) = three_periods

    services.occupancy_delete(period=middle, today=TODAY)
    assert history(unit) == [
        (OCC, date(2020, 1, 1), date(2025, 2, 28), "Occupant"),
        (WORKS, date(2025, 3, 1), None, ""),
    ]
    services.occupancy_delete(period=last, today=TODAY)
    assert history(unit) == [(OCC, date(2020, 1, 1), None, "Occupant")]
    with pytest.raises(ValidationError) as error:
        services.occupancy_delete(period=first, today=TODAY)
    assert "seule période" in messages_of(error)


@pytest.mark.django_db
def test_deleting_the_first_period_starts_the_history_later(
    three_periods: tuple[CommercialUnit, list[Occupancy]],
) -> None:
    unit, (first, _middle, _last) = three_periods

    services.occupancy_delete(period=first, today=TODAY)

    assert history(unit)[0] == (VAC, date(2023, 7, 1), date(2025, 2, 28), "")


# --- Projects and proposals ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_project_keeps_each_wanted_street_once_and_refuses_an_upside_down_range() -> None:
    town = TownFactory.create()
    data = services.ProjectData(
        title="Épicerie vrac",
        contact_name="Inès",
        wanted_streets=("rue Foch", "Rue Foch ", "place Mahé"),
        surface_min=Decimal(40),
        surface_max=Decimal(90),
    )
    project = services.project_create(town=town, data=data)
    assert project.wanted_streets == ["rue Foch", "place Mahé"]

    with pytest.raises(ValidationError) as error:
        services.project_update(
            project=project,
            data=services.ProjectData(
                title="x", contact_name="y", surface_min=Decimal(90), surface_max=Decimal(40)
            ),
        )
    assert "surface maximale doit être au moins égale" in messages_of(error)


@pytest.mark.django_db
def test_the_pipeline_refuses_moves_it_does_not_know() -> None:
    project = BusinessProjectFactory.create(status=ProjectStatus.INSTALLED)

    with pytest.raises(ValidationError) as error:
        services.project_transition(project=project, to_status=ProjectStatus.NEW)

    assert "« Installé » ne peut pas passer à « Nouveau »" in messages_of(error)
    abandoned = BusinessProjectFactory.create(status=ProjectStatus.ABANDONED)
    assert (
        services.project_transition(project=abandoned, to_status=ProjectStatus.STUDY).status
        == ProjectStatus.STUDY
    )


@pytest.mark.django_db
def test_proposing_a_unit_moves_the_project_on_and_only_once() -> None:
    project = BusinessProjectFactory.create(status=ProjectStatus.STUDY)
    unit = CommercialUnitFactory.create(town=project.town)

    services.proposal_create(project=project, unit=unit, proposed_on=TODAY)

    project.refresh_from_db()
    assert project.status == ProjectStatus.PROPOSED
    with pytest.raises(ValidationError) as error:
        services.proposal_create(project=project, unit=unit, proposed_on=TODAY)
    assert "déjà été proposé" in messages_of(error)
    with pytest.raises(ValidationError):
        services.proposal_create(project=project, unit=CommercialUnitFactory.create(), proposed_on=TODAY)
    closed = BusinessProjectFactory.create(town=project.town, status=ProjectStatus.ABANDONED)
    with pytest.raises(ValidationError) as error:
        services.proposal_create(project=closed, unit=unit, proposed_on=TODAY)
    assert "on ne lui propose plus" in messages_of(error)


@pytest.mark.django_db
def test_an_outcome_is_dated_today_unless_said_and_never_before_the_proposal() -> None:
    proposal = ProposalFactory.create(proposed_on=date(2026, 1, 5))

    services.proposal_set_outcome(
        proposal=proposal, outcome=ProposalOutcome.VISITED, outcome_on=None, note="", today=TODAY
    )
    assert (proposal.outcome, proposal.outcome_on) == (ProposalOutcome.VISITED, TODAY)

    with pytest.raises(ValidationError) as error:
        services.proposal_set_outcome(
            proposal=proposal,
            outcome=ProposalOutcome.DECLINED,
            outcome_on=date(2026, 1, 4),
            note="",
            today=TODAY,
        )
    assert "ne peut pas précéder la proposition (le 5 janvier 2026)" in messages_of(error)
    services.proposal_set_outcome(
        proposal=proposal, outcome=ProposalOutcome.PENDING, outcome_on=date(2026, 2, 1), note="", today=TODAY
    )
    assert proposal.outcome_on is None


@pytest.mark.django_db
def test_a_change_of_the_history_refreshes_the_towns_public_pages_once_committed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    unit = unit_with_history(TownFactory.create(), [(VAC, date(2024, 5, 1), None)])
    before = town_versions((unit.town_id,))

    with django_capture_on_commit_callbacks(execute=True):
        period = services.occupancy_record(
            unit=unit, state=WORKS, since=date(2025, 10, 26), actor=None, today=TODAY
        )
    after_record = town_versions((unit.town_id,))
    with django_capture_on_commit_callbacks(execute=True):
        services.occupancy_delete(period=period, today=TODAY)

    assert before != after_record != town_versions((unit.town_id,))  # the open-data page shows vacancy
