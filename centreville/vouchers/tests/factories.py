from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from centreville.towns.tests.factories import TownFactory
from centreville.vouchers.models import Programme, ProgrammeKind, ProgrammeStatus


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"Carte cadeau de Noël {n}")
    slug = factory.Sequence(lambda n: f"noel-{n}")
    kind = ProgrammeKind.GIFT_CARD
    status = ProgrammeStatus.OPEN
    holder_name = "Commune d'Argentan"
    holder_siret = "21610001200016"
    face_values_cents = factory.LazyFunction(lambda: [1000, 2000, 5000])
    starts_on = date(2026, 11, 1)
    ends_on = date(2027, 1, 31)
    town_share_valid_until = date(2027, 1, 31)
    paid_share_validity_months = 12
