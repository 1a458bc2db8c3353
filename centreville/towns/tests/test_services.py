from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from centreville.accounts.models import Role, TownRole
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.towns import services
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_granting_twice_keeps_one_role() -> None:
    town, user = TownFactory.create(), UserFactory.create(email="adjoint@example.fr")

    first = services.town_role_grant(
        town=town, email="adjoint@example.fr", role=Role.ELECTED, granted_by=None
    )
    second = services.town_role_grant(
        town=town, email=" Adjoint@Example.fr ", role=Role.ELECTED, granted_by=None
    )

    assert first == second
    assert TownRole.objects.filter(user=user).count() == 1


def test_an_unknown_role_is_refused() -> None:
    UserFactory.create(email="x@example.fr")
    with pytest.raises(ValidationError) as error:
        services.town_role_grant(
            town=TownFactory.create(), email="x@example.fr", role="mayor", granted_by=None
        )
    assert "n'existe pas" in error.value.message_dict["role"][0]


def test_revoking_one_of_two_managers_is_allowed_but_never_the_last() -> None:
    town = TownFactory.create()
    first, second = TownRoleFactory.create(town=town), TownRoleFactory.create(town=town)
    TownRoleFactory.create(role=Role.MANAGER)  # a manager elsewhere does not count

    services.town_role_revoke(town_role=first)
    with pytest.raises(ValidationError):
        services.town_role_revoke(town_role=second)

    assert list(TownRole.objects.filter(town=town)) == [second]
