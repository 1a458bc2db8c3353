"""Test factories of training sessions, registrations and follow-up tasks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import factory
from factory.django import DjangoModelFactory

from centreville.accounts.models import User
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.support.models import TrainingSession
from centreville.towns.tests.factories import TownFactory

START = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


class TrainingSessionFactory(DjangoModelFactory[TrainingSession]):
    class Meta:
        model = TrainingSession

    town = factory.SubFactory(TownFactory)
    title = factory.Sequence(lambda n: f"Être trouvé sur Google Maps ({n})")
    description = "Fiche d'établissement, horaires, photos, avis."
    trainer = "Camille Martin"
    place = "Salle du conseil, mairie"
    starts_at = START
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=2))
    capacity = 5
    suggested_tasks = "Compléter sa fiche Google\nAjouter trois photos"


def merchant_of(town: Any, **shop: Any) -> tuple[User, Shop]:
    """A person running one shop of the town."""
    membership = ShopMembershipFactory.create(shop__town=town, **{f"shop__{k}": v for k, v in shop.items()})
    return membership.user, membership.shop
