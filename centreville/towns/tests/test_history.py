"""The audit trail of a town's settings, fulfilment rules and prices, and the page its managers read it on."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue import services as catalogue_services
from centreville.catalogue.tests.factories import ProductFactory, ProductVariantFactory
from centreville.fulfilment.services import shop_fulfilment_update, town_fulfilment_update
from centreville.fulfilment.tests.factories import TownFulfilmentFactory
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.services import town_update
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

SETTINGS = {
    "name": "Argentan",
    "welcome_text": "Bienvenue en centre-ville !",
    "contact_email": "mairie@argentan.example",
    "brand_colour": "#7a1f3d",
    "postcodes": "61200, 61201",
    "latitude": "48.7445",
    "longitude": "-0.0203",
    "timezone": "Europe/Paris",
    "allow_chains": "on",
}


def manager_of(town: Town, **user: str) -> User:
    manager: User = TownRoleFactory.create(town=town, role=Role.MANAGER, **user).user
    return manager


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


CHANGE = re.compile(
    r'<dt>(.*?)</dt>\s*<dd>.*?class="history-before">(.*?)</span>.*?class="history-after">(.*?)</span>', re.S
)


def changes_on(page: str) -> list[tuple[str, str, str]]:
    """Each change the history page shows: the field, its value before, its value after."""
    return [(html.unescape(a), html.unescape(b), html.unescape(c)) for a, b, c in CHANGE.findall(page)]


def history_page(client: Client, town: Town, page: int = 1) -> str:
    response = client.get(reverse("towns:history", args=[town.slug]), {"page": page})
    assert response.status_code == 200
    return response.content.decode()


def test_a_change_through_the_settings_form_records_the_manager_before_and_after() -> None:
    town = TownFactory.create(name="Argentan", postcodes=["61200"], contact_email="", allow_chains=False)
    manager = manager_of(town, user__first_name="Claire", user__last_name="Martin")

    response = signed_in(manager).post(reverse("towns:settings", args=[town.slug]), SETTINGS)

    assert response.status_code == 302
    entry = LogEntry.objects.get(action=LogEntry.Action.UPDATE)
    assert entry.actor == manager
    # The looks of the town (its welcome text, its colour) are not part of the trail.
    assert entry.changes_dict == {
        "allow_chains": [False, True],
        "contact_email": ["", "mairie@argentan.example"],
        "postcodes": [["61200"], ["61200", "61201"]],
    }
    page = history_page(signed_in(manager), town)
    assert "Claire Martin" in page
    assert "Accepter les chaînes et franchises" in page
    assert changes_on(page)[:3] == [
        ("Codes postaux", "61200", "61200, 61201"),
        ("E-mail de contact", "(vide)", "mairie@argentan.example"),
        ("Accepter les chaînes et franchises", "non", "oui"),
    ]


def test_the_same_settings_saved_again_leave_no_trace() -> None:
    town = TownFactory.create(name="Argentan", contact_email="mairie@argentan.example", allow_chains=True)
    town_update(town=town, name="Argentan", contact_email="mairie@argentan.example", allow_chains=True)

    assert not LogEntry.objects.filter(action=LogEntry.Action.UPDATE).exists()


def test_fulfilment_rules_and_prices_are_recorded_for_their_town_without_a_person_outside_a_request() -> None:
    town = TownFactory.create(slug="argentan")
    TownFulfilmentFactory.create(town=town, delivery_enabled=True, subsidy_percent=50)
    shop = ShopFactory.create(town=town, name="Boulangerie du Marché")
    product = ProductFactory.create(shop=shop, title="Pain de campagne", price=Decimal("3.20"))
    variant = ProductVariantFactory.create(product=product, label="Grand", price=None)
    merchant = ShopMembershipFactory.create(shop=shop).user
    LogEntry.objects.all().delete()  # what the factories wrote

    town_fulfilment_update(town=town, subsidy_percent=80, subsidy_cap=Decimal("4"))  # a command, say
    with set_actor(merchant):  # what the middleware does for the request of a signed-in person
        shop_fulfilment_update(shop=shop, slot_minutes=45)
        catalogue_services.product_set_price(product=product, price=Decimal("3.50"))
        catalogue_services.variant_update(variant=variant, price=Decimal("5"), label="Grand format")

    page = history_page(signed_in(manager_of(town)), town)
    assert "la plateforme (import ou tâche automatique)" in page
    changes = changes_on(page)
    assert ("Part payée par la ville (%)", "50", "80") in changes
    assert ("Plafond de l'aide par livraison (€)", "(vide)", "4,00") in changes
    assert ("Durée d'un créneau (minutes)", "30", "45") in changes
    assert "Retrait et livraison du commerce : Boulangerie du Marché" in page
    assert ("Prix (€)", "3,20", "3,50") in changes
    assert ("Prix (€)", "(vide)", "5,00") in changes  # the variant's own price
    assert not [change for change in changes if "Grand format" in change]  # its label is no history
    assert LogEntry.objects.filter(actor=merchant).count() == 4  # the shop's rules, created then changed


def test_new_products_and_their_first_price_are_not_history() -> None:
    shop = ShopFactory.create()

    product = catalogue_services.product_create(shop=shop, title="Miel", price=Decimal("8"))
    catalogue_services.product_delete(product=product)

    assert not LogEntry.objects.filter(content_type__model="product").exists()


def test_a_manager_sees_only_the_history_of_their_town() -> None:
    town, other = TownFactory.create(name="Argentan"), TownFactory.create(name="Alençon")
    town_update(town=other, contact_email="secret@alencon.example")
    manager = manager_of(town)

    own = signed_in(manager).get(reverse("towns:history", args=[town.slug]))
    foreign = signed_in(manager).get(reverse("towns:history", args=[other.slug]))

    assert "Ville : Argentan (création)" in own.content.decode()
    assert "secret@alencon.example" not in own.content.decode()
    assert foreign.status_code == 403


def test_the_history_is_newest_first_and_paginated() -> None:
    town = TownFactory.create()
    for n in range(30):
        town_update(town=town, contact_email=f"mairie{n}@argentan.example")
    client = signed_in(manager_of(town))

    first, second = history_page(client, town), history_page(client, town, page=2)

    def after(n: int) -> str:
        return f'class="history-after">mairie{n}@argentan.example<'

    assert first.index(after(29)) < first.index(after(28))
    assert after(5) in first
    assert after(4) not in first
    assert after(4) in second
    assert "(création)" in second
    assert "Page 2 sur 2" in second


def test_the_settings_page_links_to_the_history() -> None:
    town = TownFactory.create()

    response = signed_in(manager_of(town)).get(reverse("towns:settings", args=[town.slug]))

    assert reverse("towns:history", args=[town.slug]) in response.content.decode()


def test_a_person_whose_account_is_gone_is_still_named_by_their_address() -> None:
    town = TownFactory.create()
    someone = UserFactory.create(email="ancien@argentan.example")
    with set_actor(someone):
        town_update(town=town, contact_email="nouvelle@argentan.example")
    someone.delete()

    assert "ancien@argentan.example" in history_page(signed_in(manager_of(town)), town)


def test_the_platform_admin_reads_the_trail_in_the_django_admin() -> None:
    town = TownFactory.create(name="Argentan")
    town_update(town=town, contact_email="mairie@argentan.example")
    admin = UserFactory.create(is_staff=True, is_superuser=True)

    response = signed_in(admin).get(reverse("admin:auditlog_logentry_changelist"))

    assert response.status_code == 200
    assert "contact_email" in response.content.decode()
