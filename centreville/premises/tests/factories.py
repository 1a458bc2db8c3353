"""Test factories of commercial units, their history and business projects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from centreville.premises.models import (
    BusinessProject,
    CommercialUnit,
    Occupancy,
    Proposal,
    UnitState,
)
from centreville.towns.tests.factories import TownFactory


class CommercialUnitFactory(DjangoModelFactory[CommercialUnit]):
    class Meta:
        model = CommercialUnit

    town = factory.SubFactory(TownFactory)
    reference = factory.Sequence(lambda n: f"L-{n:04d}")
    street_number = factory.Sequence(lambda n: str(n % 60 + 1))
    street = "rue de la République"
    postcode = "61200"
    surface = Decimal("80.0")
    in_centre = True


class OccupancyFactory(DjangoModelFactory[Occupancy]):
    class Meta:
        model = Occupancy

    unit = factory.SubFactory(CommercialUnitFactory)
    town = factory.LazyAttribute(lambda period: period.unit.town)
    state = UnitState.VACANT
    start = date(2020, 1, 1)
    end = None


class BusinessProjectFactory(DjangoModelFactory[BusinessProject]):
    class Meta:
        model = BusinessProject

    town = factory.SubFactory(TownFactory)
    title = factory.Sequence(lambda n: f"Projet {n}")
    contact_name = "Camille Porteur"
    contact_email = "camille@example.fr"


class ProposalFactory(DjangoModelFactory[Proposal]):
    class Meta:
        model = Proposal

    project = factory.SubFactory(BusinessProjectFactory)
    unit = factory.SubFactory(CommercialUnitFactory, town=factory.SelfAttribute("..project.town"))
    town = factory.LazyAttribute(lambda proposal: proposal.project.town)
    proposed_on = date(2026, 1, 5)


def unit_with_history(
    town: object, periods: list[tuple[str, date, date | None]], **unit_fields: object
) -> CommercialUnit:
    """A unit and its periods: (state, start, end), occupied ones by « Occupant »."""
    unit: CommercialUnit = CommercialUnitFactory.create(town=town, **unit_fields)
    for state, start, end in periods:
        OccupancyFactory.create(
            unit=unit,
            state=state,
            start=start,
            end=end,
            occupant_name="Occupant" if state == UnitState.OCCUPIED else "",
        )
    return unit
