"""Bad query and path parameters get the API's JSON error body, in French: 400 or 404, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from centreville.api.models import ApiToken

from .conftest import App, Browser, Scene, new_key

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "Choisissez un jour entre le 01/01/2000 et le 31/12/2099."


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2100-01-01"])
def test_a_day_that_cannot_be_used_is_a_400_in_the_error_shape(scene: Scene, day: str) -> None:
    app = App(new_key(scene.baker))

    response = app.get("/api/villes/argentan-test/commerces/boulangerie/commandes", jour=day)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"] == {"jour": [OUT_OF_RANGE]}


@pytest.mark.parametrize("day", ["2025-02-30", "hier", "99999999999999999999", "-1"])
def test_a_malformed_day_is_a_400_in_the_error_shape(scene: Scene, day: str) -> None:
    app = App(new_key(scene.baker))

    response = app.get("/api/villes/argentan-test/commerces/boulangerie/commandes", jour=day)

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert list(response.json()["errors"]) == ["jour"]


@pytest.mark.parametrize("number", ["99999999999999999999", "-1", "0", "1e3", "abc"])
def test_ids_in_the_path_that_no_row_can_have_are_a_400_or_404_in_the_error_shape(
    scene: Scene, number: str
) -> None:
    browser = Browser(scene.baker)
    browser.post("/api/villes/argentan-test/panier/lignes", {"product_id": scene.bread.pk, "quantity": 1})

    for method, path, body in (
        ("DELETE", f"/api/jetons/{number}", None),
        ("PATCH", f"/api/villes/argentan-test/panier/lignes/{number}", {"quantity": 2}),
    ):
        response = browser.send(method, path, body)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert set(response.json()) == {"detail", "errors"}
    # Taking out a line that is not there leaves the basket as it is
    response = browser.send("DELETE", f"/api/villes/argentan-test/panier/lignes/{number}")
    assert response.status_code in (200, 400)
    assert response.json().get("count", 1) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"montant": "1e999999"},
        {"montant": "NaN"},
        {"montant": "-Infinity"},
        {"montant": "9" * 200},
        {"latitude": "1e999999", "longitude": "2"},
        {"latitude": "NaN", "longitude": "NaN"},
        {"code_postal": "6" * 50},
    ],
)
def test_absurd_numbers_in_a_delivery_quote_are_a_400(scene: Scene, params: dict[str, str]) -> None:
    response = Browser().get("/api/villes/argentan-test/livraison/devis", **params)

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


def test_an_unreadable_body_is_a_400_in_french(scene: Scene) -> None:
    browser = Browser(scene.baker)
    browser.get("/api/villes/argentan-test/panier")
    headers = {"X-CSRFToken": browser.client.cookies["csrftoken"].value}

    for body in (b"{pas du json", b'{"name": "\xff\xfe"}', b'{"name": "Caisse\\u0000"}', b"[" * 100_000):
        response = browser.client.post("/api/jetons", body, content_type="application/json", headers=headers)
        assert response.status_code == 400
        assert response.json()["detail"] == (
            "Le corps de la requête n'est pas un JSON valide (en UTF-8, sans caractère nul)."
        )
    assert not ApiToken.objects.exists()


def test_an_unexpected_failure_is_a_500_in_the_error_shape_not_an_html_page(
    scene: Scene, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("la base est tombée")

    monkeypatch.setattr("centreville.api.routes.merchant.merchant_day", broken)
    app = App(new_key(scene.baker))

    response = app.get("/api/villes/argentan-test/commerces/boulangerie/commandes")

    assert response.status_code == 500
    assert response.json() == {
        "detail": "Une erreur est survenue de notre côté. Réessayez dans quelques instants.",
        "errors": {},
    }
    assert "la base est tombée" in caplog.text  # the team sees it, the caller does not


def test_another_shop_s_order_and_an_unknown_one_answer_alike(scene: Scene) -> None:
    """No oracle: a reference that exists elsewhere is answered like one that does not."""
    from centreville.baskets.tests.factories import shop_taking_orders
    from centreville.catalogue.stock import Wanted
    from centreville.orders.tests.factories import order_place

    order = order_place(
        shop=scene.bakery,
        wanted=[Wanted(scene.bread.pk, 1)],
        customer=None,
        customer_name="Jeanne",
        customer_contact="06 12 34 56 78",
    )
    florist = App(new_key(scene.florist_owner))
    hidden = shop_taking_orders(scene.town, name="Atelier secret", slug="atelier-secret")
    hidden.status = "draft"
    hidden.save()

    def answer(response: Any) -> tuple[int, str]:
        return response.status_code, response.json()["detail"].replace(order.reference, "REF")

    known = florist.post(f"/api/commandes/par-reference/{order.reference}/etapes", {"to_status": "accepted"})
    unknown = florist.post("/api/commandes/par-reference/REF/etapes", {"to_status": "accepted"})
    assert answer(known) == answer(unknown)
    assert known.status_code == 404

    def listing(town: str, shop: str) -> tuple[int, str]:
        response = florist.get(f"/api/villes/{town}/commerces/{shop}/commandes")
        return response.status_code, response.json()["detail"].replace(shop, "SHOP")

    assert (
        listing("argentan-test", "boulangerie")
        == listing("argentan-test", "atelier-secret")
        == listing("argentan-test", "inconnu")
        == listing("ville-inconnue", "inconnu")
        == (404, "Aucun commerce « SHOP » dont vous voyez les commandes dans cette ville.")
    )
