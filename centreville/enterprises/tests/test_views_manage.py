"""The town team's page of producers: those around the town by distance, show and hide them by POST, only
for the town's managers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.enterprises.models import SpaceProducer
from centreville.enterprises.tests.factories import BuyerFactory, EnterpriseFactory, SpaceProducerFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

URL = "/argentan/gestion/producteurs/"


@pytest.fixture
def manager() -> Any:
    town = TownFactory.create(slug="argentan", latitude=Decimal("48.744500"), longitude=Decimal("-0.020300"))
    return TownRoleFactory.create(town=town, role=Role.MANAGER)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_lists_producers_within_50_km_nearest_first(
    manager: Any, django_assert_max_num_queries: Any
) -> None:
    EnterpriseFactory.create(
        name="Ferme d'Alençon", latitude=Decimal("48.432900"), longitude=Decimal("0.091300")
    )
    EnterpriseFactory.create(name="Ferme du Bourg")
    EnterpriseFactory.create(
        name="Ferme de Caen", latitude=Decimal("49.182900"), longitude=Decimal("-0.370700")
    )
    EnterpriseFactory.create(
        name="Ferme de Rennes", latitude=Decimal("48.117300"), longitude=Decimal("-1.677800")
    )
    BuyerFactory.create(name="Restaurant du Bourg")
    client = client_of(manager.user)
    client.get(URL)

    with django_assert_max_num_queries(12):
        page = client.get(URL)

    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("Ferme du Bourg") < text.index("Ferme d&#x27;Alençon")
    assert "Ferme de Caen" not in text  # about 54 km away
    assert "Ferme de Rennes" not in text
    assert "Restaurant du Bourg" not in text
    assert "Montrer sur notre espace" in text


def test_the_team_shows_then_hides_a_producer(manager: Any) -> None:
    producer = EnterpriseFactory.create(name="Ferme du Bourg")
    client = client_of(manager.user)

    shown = client.post(f"{URL}montrer/", {"enterprise": producer.pk})
    page = client.get(URL).content.decode()
    hidden = client.post(f"{URL}retirer/", {"enterprise": producer.pk})

    assert shown.status_code == 302
    assert hidden.status_code == 302
    assert f"montre-{producer.pk}" in page
    assert not SpaceProducer.objects.exists()


def test_a_producer_shown_from_afar_is_listed_with_its_distance(manager: Any) -> None:
    far = EnterpriseFactory.create(
        name="Ferme de Rennes", latitude=Decimal("48.117300"), longitude=Decimal("-1.677800")
    )
    SpaceProducerFactory.create(town=manager.town, enterprise=far)

    text = client_of(manager.user).get(URL).content.decode()

    assert "Ferme de Rennes" in text
    assert "à 140,8 km" in text


def test_a_shown_producer_has_the_same_distance_in_both_lists(manager: Any) -> None:
    near = EnterpriseFactory.create(name="Ferme du Bourg", latitude=Decimal("48.767000"))
    SpaceProducerFactory.create(town=manager.town, enterprise=near)

    text = client_of(manager.user).get(URL).content.decode()

    # 2,5 km in the list of those shown as in the list of those around, never 2 km in one of them.
    assert text.count("à 2,5 km") == 2


def test_a_buyer_or_an_unknown_id_is_refused_in_french(manager: Any) -> None:
    client = client_of(manager.user)

    buyer = client.post(f"{URL}montrer/", {"enterprise": BuyerFactory.create().pk}, follow=True)
    unknown = client.post(f"{URL}montrer/", {"enterprise": "999999"}, follow=True)

    assert "Seul un producteur en activité peut être montré." in buyer.content.decode()
    assert "Ce producteur n&#x27;existe pas ou plus." in unknown.content.decode()
    assert not SpaceProducer.objects.exists()


@pytest.mark.parametrize("role", [None, Role.ELECTED, Role.PRODUCER])
def test_only_the_town_team_chooses(manager: Any, role: Role | None) -> None:
    producer = EnterpriseFactory.create()
    user = UserFactory.create() if role is None else TownRoleFactory.create(town=manager.town, role=role).user
    client = client_of(user)

    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}montrer/", {"enterprise": producer.pk}).status_code == 403
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert not SpaceProducer.objects.exists()


def test_a_manager_of_another_town_is_refused(manager: Any) -> None:
    elsewhere = TownRoleFactory.create(town=TownFactory.create(), role=Role.MANAGER).user
    assert client_of(elsewhere).get(URL).status_code == 403
