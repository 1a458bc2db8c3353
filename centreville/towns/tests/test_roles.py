"""The roles page: people named, one's own manager role kept, and after each change (htmx) the focus on what
changed rather than lost at the top of the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role, TownRole, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def town() -> Town:
    town: Town = TownFactory.create(slug="argentan")
    return town


@pytest.fixture
def manager(town: Town) -> User:
    user: User = TownRoleFactory.create(
        town=town, role=Role.MANAGER, user__first_name="Paul", user__last_name="Leroy"
    ).user
    return user


def roles_url(town: Town) -> str:
    return reverse("towns:roles", args=[town.slug])


def test_the_list_names_people_beside_their_address(client: Client, town: Town, manager: User) -> None:
    TownRoleFactory.create(
        town=town,
        role=Role.ELECTED,
        user__email="elue@argentan.example",
        user__first_name="Anne",
        user__last_name="Duval",
    )
    TownRoleFactory.create(
        town=town,
        role=Role.ADVISER,
        user__email="sans-nom@argentan.example",
        user__first_name="",
        user__last_name="",
    )
    client.force_login(manager)

    page = client.get(roles_url(town)).content.decode()

    assert '<span class="person-name">Anne Duval</span>' in page
    assert "elue@argentan.example" in page
    assert "Retirer le rôle Élu·e d&#x27;Anne Duval" in page  # « d'Anne », escaped
    assert "Retirer le rôle Conseiller numérique de sans-nom@argentan.example" in page


def test_a_manager_is_not_offered_to_remove_their_own_manager_role(
    client: Client, town: Town, manager: User
) -> None:
    own = TownRole.objects.get(user=manager, role=Role.MANAGER)
    client.force_login(manager)

    page = client.get(roles_url(town)).content.decode()

    assert reverse("towns:role_revoke", args=[town.slug, own.pk]) not in page
    assert "C'est vous : un autre manager peut vous retirer ce rôle." in page


def test_removing_ones_own_manager_role_is_refused_in_french(
    client: Client, town: Town, manager: User
) -> None:
    TownRoleFactory.create(town=town, role=Role.MANAGER)  # not the last one: only the own-role rule applies
    own = TownRole.objects.get(user=manager, role=Role.MANAGER)
    client.force_login(manager)

    response = client.post(reverse("towns:role_revoke", args=[town.slug, own.pk]), follow=True)

    assert TownRole.objects.filter(pk=own.pk).exists()
    assert "Vous ne pouvez pas retirer votre propre rôle de manager" in response.content.decode()


def test_another_manager_may_remove_it(client: Client, town: Town, manager: User) -> None:
    colleague = TownRoleFactory.create(town=town, role=Role.MANAGER).user
    own = TownRole.objects.get(user=manager, role=Role.MANAGER)
    client.force_login(colleague)

    client.post(reverse("towns:role_revoke", args=[town.slug, own.pk]))

    assert not TownRole.objects.filter(pk=own.pk).exists()


def test_after_a_role_is_given_with_htmx_the_focus_goes_to_the_message(
    client: Client, town: Town, manager: User
) -> None:
    UserFactory.create(email="conseil@example.fr", first_name="Zoé", last_name="Petit")
    client.force_login(manager)

    response = client.post(roles_url(town), {"email": "conseil@example.fr", "role": "adviser"}, headers=HTMX)

    page = response.content.decode()
    assert 'id="roles-status" class="messages" role="status" tabindex="-1" autofocus' in page
    assert "Zoé Petit (conseil@example.fr) est désormais Conseiller numérique." in page


def test_after_a_role_is_removed_with_htmx_the_focus_goes_to_the_message(
    client: Client, town: Town, manager: User
) -> None:
    elected = TownRoleFactory.create(town=town, role=Role.ELECTED)
    client.force_login(manager)

    response = client.post(reverse("towns:role_revoke", args=[town.slug, elected.pk]), headers=HTMX)

    page = response.content.decode()
    assert 'role="status" tabindex="-1" autofocus' in page
    assert "est retiré." in page


def test_a_refused_grant_with_htmx_puts_the_focus_on_the_field_to_correct(
    client: Client, town: Town, manager: User
) -> None:
    client.force_login(manager)

    response = client.post(roles_url(town), {"email": "inconnu@example.fr", "role": "elected"}, headers=HTMX)

    page = response.content.decode()
    assert response.status_code == 422
    assert 'name="email" value="inconnu@example.fr"' in page
    assert "autofocus" in page.split('name="email"', 1)[1].split(">", 1)[0]
    assert 'role="status" tabindex="-1" autofocus' not in page


def test_without_htmx_nothing_is_focused_by_the_panel(client: Client, town: Town, manager: User) -> None:
    client.force_login(manager)

    page = client.get(roles_url(town)).content.decode()

    assert "autofocus" not in page
