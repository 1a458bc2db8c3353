"""The platform's staff reach the enterprises, with their members and places, and the spaces' producers."""

from __future__ import annotations

import pytest
from django.test import Client

from centreville.accounts.tests.factories import UserFactory
from centreville.enterprises.tests.factories import (
    EnterpriseMemberFactory,
    PickupPlaceFactory,
    SpaceProducerFactory,
)
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_staff_see_enterprises_with_members_and_places_and_the_spaces_producers() -> None:
    member = EnterpriseMemberFactory.create(enterprise__name="Ferme du Pré")
    PickupPlaceFactory.create(enterprise=member.enterprise, name="Hangar du Pré")
    chosen = SpaceProducerFactory.create(town=TownFactory.create(), enterprise=member.enterprise)
    client = Client()
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))

    listing = client.get("/admin/enterprises/enterprise/?q=Pré")
    change = client.get(f"/admin/enterprises/enterprise/{member.enterprise.pk}/change/")
    producers = client.get(f"/admin/enterprises/spaceproducer/{chosen.pk}/change/")

    assert "Ferme du Pré" in listing.content.decode()
    assert "Hangar du Pré" in change.content.decode()
    assert member.user.email in change.content.decode() or str(member.user.pk) in change.content.decode()
    assert producers.status_code == 200
