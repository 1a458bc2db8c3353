"""Checkout through the API: 409 when the stock ran out meanwhile, 400 with fields named on bad input."""

from __future__ import annotations

import pytest

from centreville.catalogue.models import Product
from centreville.fulfilment.models import TownOrderSettings
from centreville.orders.models import Order
from centreville.payments.providers.base import ProviderError
from centreville.payments.providers.fake import FakeProvider

from .conftest import Browser, Scene

pytestmark = pytest.mark.django_db


def fill(scene: Scene, visitor: Browser) -> None:
    lines = f"/api/villes/{scene.town.slug}/panier/lignes"
    visitor.post(lines, {"product_id": scene.roses.pk, "quantity": 2})
    visitor.post(lines, {"product_id": scene.honey.pk, "quantity": 1})


def relay_for_all(scene: Scene) -> dict[str, dict[str, object]]:
    relay = {"method": "relay", "relay_point_id": scene.places.relay_point.pk}
    return {str(scene.florist.pk): relay, str(scene.grocer.pk): relay}


def test_a_last_unit_sold_meanwhile_is_a_conflict_and_nothing_is_recorded(
    scene: Scene, visitor: Browser
) -> None:
    fill(scene, visitor)
    Product.objects.filter(pk=scene.roses.pk).update(stock=0)  # someone else was quicker

    response = visitor.post(
        f"/api/villes/{scene.town.slug}/commande",
        {"name": "Jeanne", "contact": "06 12 34 56 78", "choices": relay_for_all(scene)},
    )

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "Fleurs de l'Orne : « Bouquet de roses » n'est plus disponible."
    assert body["errors"] == {f"shops.{scene.florist.pk}": [body["detail"]]}
    assert not Order.objects.exists()
    assert Product.objects.get(pk=scene.honey.pk).stock == 6
    assert visitor.get(f"/api/villes/{scene.town.slug}/panier").json()["count"] == 3  # basket kept


def test_bad_input_names_each_field_to_fix(scene: Scene, visitor: Browser) -> None:
    fill(scene, visitor)
    choices = relay_for_all(scene)
    del choices[str(scene.grocer.pk)]

    response = visitor.post(
        f"/api/villes/{scene.town.slug}/commande",
        {"name": " ", "contact": "pas un contact", "choices": choices},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name": ["Indiquez votre nom : le commerçant le demandera au retrait."],
        "contact": [
            "« pas un contact » n'est ni un numéro de téléphone valide (exemple : 06 12 34 56 78) "
            "ni une adresse e-mail."
        ],
        f"choices.{scene.grocer.pk}": ["Épicerie Fine : choisissez comment récupérer cette commande."],
    }


def test_a_choice_the_shop_cannot_honour_is_named_under_its_shop(scene: Scene, visitor: Browser) -> None:
    fill(scene, visitor)
    choices = relay_for_all(scene)
    choices[str(scene.grocer.pk)] = {
        "method": "delivery",
        "delivery_address": "",
        "delivery_postcode": "61200",
    }

    response = visitor.post(
        f"/api/villes/{scene.town.slug}/commande",
        {"name": "Jeanne", "contact": "jeanne@example.fr", "choices": choices, "pay_online": True},
    )
    wrong_method = visitor.post(
        f"/api/villes/{scene.town.slug}/commande",
        {
            "name": "Jeanne",
            "contact": "jeanne@example.fr",
            "choices": {**choices, str(scene.grocer.pk): {"method": "drone"}},
        },
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        f"choices.{scene.grocer.pk}": ["Épicerie Fine : Indiquez l'adresse de livraison."]
    }
    assert wrong_method.status_code == 400
    assert list(wrong_method.json()["errors"]) == [f"choices.{scene.grocer.pk}.method"]
    assert not Order.objects.exists()


def test_an_empty_basket_cannot_be_ordered(scene: Scene, visitor: Browser) -> None:
    response = visitor.post(
        f"/api/villes/{scene.town.slug}/commande",
        {"name": "Jeanne", "contact": "jeanne@example.fr", "choices": {}},
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Votre panier est vide.", "errors": {}}


def test_paying_online_where_the_town_offers_it_gives_the_payment_page(
    scene: Scene, visitor: Browser
) -> None:
    fill(scene, visitor)
    order = {
        "name": "Jeanne",
        "contact": "jeanne@example.fr",
        "choices": relay_for_all(scene),
        "pay_online": True,
    }

    TownOrderSettings.objects.filter(town=scene.town).update(online_payment_enabled=False)
    refused = visitor.post(f"/api/villes/{scene.town.slug}/commande", order)
    TownOrderSettings.objects.filter(town=scene.town).update(online_payment_enabled=True)
    accepted = visitor.post(f"/api/villes/{scene.town.slug}/commande", order)

    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "pay_online": ["Le paiement en ligne n'est pas proposé ici : vous paierez au retrait."]
    }
    assert accepted.status_code == 201, accepted.content
    placed = accepted.json()
    assert placed["payment_url"]
    assert {o["payment"] for o in placed["orders"]} == {"online"}
    assert {o["payment_state"] for o in placed["orders"]} == {"pending"}
    assert placed["tracking_url"].endswith(f"/{scene.town.slug}/commande/{placed['tracking_token']}/")


def test_a_delivery_paid_at_pickup_is_refused_as_bad_input(scene: Scene, visitor: Browser) -> None:
    fill(scene, visitor)
    choices = relay_for_all(scene)
    choices[str(scene.grocer.pk)] = {
        "method": "delivery",
        "delivery_address": "12 rue de la Poste",
        "delivery_postcode": "61200",
        "delivery_city": "Argentan",
    }

    response = visitor.post(
        f"/api/villes/{scene.town.slug}/commande",
        {"name": "Jeanne", "contact": "jeanne@example.fr", "choices": choices, "pay_online": False},
    )

    assert response.status_code == 400
    [message] = response.json()["errors"][f"choices.{scene.grocer.pk}"]
    assert message.startswith("Épicerie Fine : « Livraison à domicile » se paie en ligne")
    assert not Order.objects.exists()


def test_a_payment_that_cannot_be_opened_places_nothing_and_keeps_the_basket(
    scene: Scene, visitor: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(scene, visitor)

    def provider_down(*args: object) -> tuple[str, str]:
        raise ProviderError("the provider does not answer")

    monkeypatch.setattr(FakeProvider, "create_charge", provider_down)
    order = {
        "name": "Jeanne",
        "contact": "jeanne@example.fr",
        "choices": relay_for_all(scene),
        "pay_online": True,
    }

    response = visitor.post(f"/api/villes/{scene.town.slug}/commande", order)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Le paiement en ligne est indisponible pour le moment. Réessayez, ou réglez au retrait.",
        "errors": {},
    }
    assert not Order.objects.exists()
    assert visitor.get(f"/api/villes/{scene.town.slug}/panier").json()["count"] == 3
