"""The basket through the API: lines added, changed and removed, refusals in French with the right status."""

from __future__ import annotations

import pytest

from centreville.baskets.tests.factories import shop_taking_orders, town_taking_orders
from centreville.catalogue.tests.factories import ProductFactory

from .conftest import Browser, Scene

pytestmark = pytest.mark.django_db


def test_lines_are_added_changed_and_removed(scene: Scene, visitor: Browser) -> None:
    lines = f"/api/villes/{scene.town.slug}/panier/lignes"
    visitor.post(lines, {"product_id": scene.bread.pk})
    added = visitor.post(lines, {"product_id": scene.bread.pk, "quantity": 2}).json()
    line_id = added["shops"][0]["lines"][0]["id"]
    assert added["shops"][0]["lines"][0]["quantity"] == 3

    changed = visitor.send("PATCH", f"{lines}/{line_id}", {"quantity": 5}).json()
    assert (changed["count"], changed["total"]) == (5, "16.00")

    removed = visitor.send("DELETE", f"{lines}/{line_id}")
    assert removed.status_code == 200
    assert removed.json()["shops"] == []
    assert visitor.send("PATCH", f"{lines}/{line_id}", {"quantity": 1}).status_code == 404


def test_more_than_the_stock_is_a_conflict_and_bad_input_a_400(scene: Scene, visitor: Browser) -> None:
    lines = f"/api/villes/{scene.town.slug}/panier/lignes"

    too_many = visitor.post(lines, {"product_id": scene.roses.pk, "quantity": 5})
    zero = visitor.post(lines, {"product_id": scene.roses.pk, "quantity": 0})
    no_product = visitor.post(lines, {"quantity": 1})

    assert too_many.status_code == 409
    assert too_many.json() == {"detail": "« Bouquet de roses » : il n'en reste que 4.", "errors": {}}
    assert zero.status_code == 400
    assert zero.json()["errors"] == {"quantity": ["La valeur doit être d'au moins 1."]}
    assert no_product.status_code == 400
    assert no_product.json()["errors"] == {"product_id": ["Ce champ est obligatoire."]}


def test_a_product_of_another_town_does_not_go_in_this_town_s_basket(scene: Scene, visitor: Browser) -> None:
    other_town, _places = town_taking_orders()
    elsewhere = ProductFactory.create(shop=shop_taking_orders(other_town))

    response = visitor.post(f"/api/villes/{scene.town.slug}/panier/lignes", {"product_id": elsewhere.pk})

    assert response.status_code == 400
    assert response.json()["detail"] == "Cet article n'est pas proposé dans cette ville."
    assert visitor.get(f"/api/villes/{other_town.slug}/panier").json()["shops"] == []
    assert visitor.get("/api/villes/nulle-part/panier").json() == {
        "detail": "Aucune ville en ligne à l'adresse « nulle-part ».",
        "errors": {},
    }


def test_a_delivery_quote_out_of_every_zone_names_the_postcode(scene: Scene, visitor: Browser) -> None:
    response = visitor.get(
        f"/api/villes/{scene.town.slug}/livraison/devis", code_postal="75001", montant="20"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Cette adresse est en dehors des zones de livraison de la ville.",
        "errors": {"code_postal": ["Cette adresse est en dehors des zones de livraison de la ville."]},
    }
