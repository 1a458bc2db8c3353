"""The whole Click & Collect through the API: a guest's basket to collection, each merchant on their order."""

from __future__ import annotations

import pytest

from centreville.orders.models import Order, OrderStatus

from .conftest import App, Browser, Scene, new_key

pytestmark = pytest.mark.django_db


def test_a_guest_orders_from_three_shops_and_follows_each_order_to_collected(
    scene: Scene, visitor: Browser
) -> None:
    town = f"/api/villes/{scene.town.slug}"
    # Given a visitor without an account who fills a basket from three shops
    assert visitor.get(f"{town}/panier").json()["shops"] == []
    for product, quantity in ((scene.bread, 2), (scene.roses, 1), (scene.honey, 3)):
        response = visitor.post(f"{town}/panier/lignes", {"product_id": product.pk, "quantity": quantity})
        assert response.status_code == 201, response.content
    basket = visitor.get(f"{town}/panier").json()
    assert sorted(shop["shop"]["slug"] for shop in basket["shops"]) == [
        "boulangerie",
        "epicerie",
        "fleuriste",
    ]
    assert (basket["count"], basket["total"]) == (6, "56.90")  # 2 x 3,20 + 25,00 + 3 x 8,50

    # and who reads how each shop can hand over its order
    options = visitor.get(f"{town}/panier/options").json()
    by_shop = {shop["shop"]["id"]: shop for shop in options["shops"]}
    assert [m["method"] for m in by_shop[scene.bakery.pk]["methods"]] == [
        "pickup",
        "relay",
        "locker",
        "delivery",
    ]
    slot = by_shop[scene.bakery.pk]["pickup_slots"][0]
    assert slot["remaining"] == 4
    assert [place["name"] for place in options["relay_points"]] == ["Maison de la presse"]
    quote = visitor.get(f"{town}/livraison/devis", code_postal="61200", montant="25.50").json()
    assert (quote["fee"], quote["subsidy"], quote["customer_pays"]) == ("6.00", "3.00", "3.00")

    # When they check out as a guest, a different way for each shop
    response = visitor.post(
        f"{town}/commande",
        {
            "name": "Jeanne Martin",
            "contact": "06 12 34 56 78",
            "choices": {
                str(scene.bakery.pk): {"method": "pickup", "slot_start": slot["start"]},
                str(scene.florist.pk): {"method": "relay", "relay_point_id": scene.places.relay_point.pk},
                str(scene.grocer.pk): {
                    "method": "delivery",
                    "delivery_address": "12 rue de la Poste",
                    "delivery_postcode": "61200",
                    "delivery_city": "Argentan",
                    "slot_start": by_shop[scene.grocer.pk]["delivery_windows"][0]["start"],
                },
            },
            "pay_online": True,  # delivered: nobody on the doorstep takes the money
        },
    )

    # Then there is one order per shop under one basket reference, and a private tracking link
    assert response.status_code == 201, response.content
    placed = response.json()
    assert len({order["basket_reference"] for order in placed["orders"]}) == 1
    assert {order["shop"]["slug"]: order["fulfilment"] for order in placed["orders"]} == {
        "boulangerie": "pickup",
        "fleuriste": "relay",
        "epicerie": "delivery",
    }
    assert placed["payment_url"]
    assert placed["total"] == "59.90"  # the articles and the customer's half of the delivery fee
    assert placed["tracking_token"] in placed["tracking_url"]
    assert visitor.get(f"{town}/panier").json()["shops"] == []
    tracking = f"/api/commandes/{placed['tracking_token']}"
    response = Browser().get(tracking)  # the link alone is enough, in any browser
    assert response["Cache-Control"] == "no-store"
    followed = response.json()
    assert [order["status"] for order in followed["orders"]] == ["placed"] * 3

    # When the baker handles their order from an app with a personal token
    baker = App(new_key(scene.baker))
    listed = baker.get(f"/api/villes/{scene.town.slug}/commerces/boulangerie/commandes").json()
    assert [order["customer_name"] for order in listed] == ["Jeanne Martin"]
    assert listed[0]["moves"] == ["accepted", "refused"]
    reference = listed[0]["reference"]
    for status in ("accepted", "ready", "collected"):
        response = baker.post(f"/api/commandes/par-reference/{reference}/etapes", {"to_status": status})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status

    # Then the customer's link shows it collected, step by step, the other shops' orders still placed
    followed = Browser().get(tracking).json()
    statuses = {order["shop"]["slug"]: order["status"] for order in followed["orders"]}
    assert statuses == {"boulangerie": "collected", "epicerie": "placed", "fleuriste": "placed"}
    bakery_order = next(order for order in followed["orders"] if order["shop"]["slug"] == "boulangerie")
    assert [step["to_status"] for step in bakery_order["steps"]] == [
        "placed",
        "accepted",
        "ready",
        "collected",
    ]
    assert [step["label"] for step in bakery_order["steps"]][-1] == "Retirée"
    assert Order.objects.get(reference=reference).status == OrderStatus.COLLECTED


def test_a_guest_cancels_through_the_link_until_the_order_is_ready(scene: Scene, visitor: Browser) -> None:
    town = f"/api/villes/{scene.town.slug}"
    visitor.post(f"{town}/panier/lignes", {"product_id": scene.roses.pk, "quantity": 2})
    visitor.post(f"{town}/panier/lignes", {"product_id": scene.honey.pk, "quantity": 1})
    relay = {"method": "relay", "relay_point_id": scene.places.relay_point.pk}
    placed = visitor.post(
        f"{town}/commande",
        {
            "name": "Jeanne",
            "contact": "jeanne@example.fr",
            "choices": {str(scene.florist.pk): relay, str(scene.grocer.pk): relay},
        },
    ).json()
    by_shop = {order["shop"]["slug"]: order["reference"] for order in placed["orders"]}
    manager = App(new_key(scene.manager))  # the town's manager may handle any shop's order
    for status in ("accepted", "ready"):
        manager.post(f"/api/commandes/par-reference/{by_shop['epicerie']}/etapes", {"to_status": status})
    cancel = f"/api/commandes/{placed['tracking_token']}/annulation"

    # When the guest cancels the flowers (not ready yet) and then the honey (ready)
    cancelled = Browser().post(cancel, {"order_reference": by_shop["fleuriste"]}, csrf=False)
    too_late = Browser().post(cancel, {"order_reference": by_shop["epicerie"]}, csrf=False)

    # Then the flowers go back on sale, and the honey is still theirs to collect
    assert cancelled.status_code == 200, cancelled.content
    statuses = {order["shop"]["slug"]: order["status"] for order in cancelled.json()["orders"]}
    assert statuses["fleuriste"] == "cancelled"
    scene.roses.refresh_from_db()
    assert scene.roses.stock == 4
    assert too_late.status_code == 409
    assert too_late.json()["detail"] == "Une commande « Prête » ne peut pas passer à « Annulée »."
    unknown = Browser().post(cancel, {"order_reference": "C-AUTRE"}, csrf=False)
    assert unknown.status_code == 404
    assert Browser().get("/api/commandes/pas-un-jeton").status_code == 404
