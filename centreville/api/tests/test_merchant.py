"""Merchants see and move only their own shops' orders; the order's life decides what is possible."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.baskets.tests.factories import shop_taking_orders, town_taking_orders
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.orders.models import Order, OrderStatus
from centreville.orders.tests.factories import order_place
from centreville.shops.tests.factories import ShopMembershipFactory

from .conftest import App, Browser, Scene, new_key

pytestmark = pytest.mark.django_db


def placed(scene: Scene) -> Order:
    return order_place(
        shop=scene.bakery,
        wanted=[Wanted(scene.bread.pk, 2)],
        customer=None,
        customer_name="Jeanne",
        customer_contact="jeanne@example.fr",
    )


def steps(reference: str) -> str:
    return f"/api/commandes/par-reference/{reference}/etapes"


def test_another_merchant_neither_sees_nor_moves_the_order(scene: Scene) -> None:
    order = placed(scene)
    florist = App(new_key(scene.florist_owner))

    listed = florist.get(f"/api/villes/{scene.town.slug}/commerces/boulangerie/commandes")
    moved = florist.post(steps(order.reference), {"to_status": "accepted"})

    # As for what does not exist: nobody learns which shops or orders there are
    assert listed.status_code == 404
    assert listed.json()["detail"] == (
        "Aucun commerce « boulangerie » dont vous voyez les commandes dans cette ville."
    )
    assert moved.status_code == 404
    assert moved.json()["detail"] == f"Aucune commande « {order.reference} » parmi celles que vous traitez."
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


def test_a_manager_of_another_town_is_refused_and_the_town_s_manager_is_not(scene: Scene) -> None:
    order = placed(scene)
    elsewhere = TownRoleFactory.create(role=Role.MANAGER).user

    assert App(new_key(elsewhere)).post(steps(order.reference), {"to_status": "accepted"}).status_code == 404
    response = Browser(scene.manager).post(steps(order.reference), {"to_status": "accepted"})
    assert response.status_code == 200
    assert response.json()["moves"] == ["ready", "shop_cancelled"]


def test_an_illegal_step_is_a_conflict_explained_in_french(scene: Scene) -> None:
    order = placed(scene)
    baker = App(new_key(scene.baker))

    response = baker.post(steps(order.reference), {"to_status": "collected"})

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Une commande « Passée » ne peut pas passer à « Retirée ».",
        "errors": {},
    }


def test_a_refusal_needs_a_reason_the_customer_will_read(scene: Scene) -> None:
    order = placed(scene)
    baker = App(new_key(scene.baker))

    without = baker.post(steps(order.reference), {"to_status": "refused"})
    unknown = baker.post(steps(order.reference), {"to_status": "perdue"})
    refused = baker.post(steps(order.reference), {"to_status": "refused", "reason": "Four en panne"})

    assert without.status_code == 400
    assert without.json() == {
        "detail": "Indiquez le motif : le client le lira.",
        "errors": {"reason": ["Indiquez le motif : le client le lira."]},
    }
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["to_status"]
    assert refused.status_code == 200
    assert refused.json()["status"] == "refused"
    scene.bread.refresh_from_db()
    assert scene.bread.stock == 10  # given back


def test_a_merchant_may_not_cancel_for_the_customer_nor_expire_an_order(scene: Scene) -> None:
    order = placed(scene)
    baker = App(new_key(scene.baker))

    assert baker.post(steps(order.reference), {"to_status": "cancelled"}).status_code == 403
    assert baker.post(steps(order.reference), {"to_status": "expired"}).status_code == 403
    assert baker.post(steps("C-INCONNUE"), {"to_status": "accepted"}).status_code == 404


def test_the_list_of_a_day_shows_that_shop_s_orders_only(scene: Scene) -> None:
    mine = placed(scene)
    order_place(
        shop=scene.florist,
        wanted=[Wanted(scene.roses.pk, 1)],
        customer=None,
        customer_name="Paul",
        customer_contact="paul@example.fr",
    )
    other_town, _places = town_taking_orders()
    far_shop = shop_taking_orders(other_town, slug="boulangerie")
    ShopMembershipFactory.create(shop=far_shop, user=scene.baker)
    order_place(
        shop=far_shop,
        wanted=[Wanted(ProductFactory.create(shop=far_shop).pk, 1)],
        customer=None,
        customer_name="Ailleurs",
        customer_contact="ailleurs@example.fr",
    )
    baker = App(new_key(scene.baker))
    path = f"/api/villes/{scene.town.slug}/commerces/boulangerie/commandes"

    today = baker.get(path).json()
    long_ago = baker.get(path, jour=(timezone.localdate() - timedelta(days=30)).isoformat()).json()
    bad_day = baker.get(path, jour="demain")

    assert [order["reference"] for order in today] == [mine.reference]
    assert today[0]["lines"] == [
        {
            "id": mine.lines.get().pk,
            "product_id": scene.bread.pk,
            "variant_id": None,
            "title": "Pain de campagne",
            "unit_price": "3.20",
            "quantity": 2,
            "unavailable": False,
        }
    ]
    assert long_ago == []
    assert bad_day.status_code == 400
    assert bad_day.json()["errors"] == {"jour": ["Entrez une date au format AAAA-MM-JJ."]}
    assert baker.get(f"/api/villes/{scene.town.slug}/commerces/inconnue/commandes").status_code == 404


def test_the_day_list_reads_the_same_few_queries_whatever_the_number_of_orders(scene: Scene) -> None:
    baker = App(new_key(scene.baker))
    path = f"/api/villes/{scene.town.slug}/commerces/boulangerie/commandes"
    placed(scene)
    baker.get(path)  # the token's first use is written once a minute at most

    with CaptureQueriesContext(connection) as one:
        assert len(baker.get(path).json()) == 1
    for _ in range(4):
        placed(scene)
    with CaptureQueriesContext(connection) as five:
        assert len(baker.get(path).json()) == 5

    assert len(five.captured_queries) == len(one.captured_queries)
    assert len(one.captured_queries) <= 10


def test_the_shop_reports_a_problem_after_accepting_with_a_reason_and_the_damaged_lines(scene: Scene) -> None:
    order = placed(scene)
    baker = App(new_key(scene.baker))
    assert baker.post(steps(order.reference), {"to_status": "accepted"}).status_code == 200
    line = order.lines.get()

    without_reason = baker.post(steps(order.reference), {"to_status": "shop_cancelled"})
    cancelled = baker.post(
        steps(order.reference),
        {"to_status": "shop_cancelled", "reason": "Pain brûlé", "unavailable_lines": [line.pk]},
    )

    assert without_reason.status_code == 400
    assert without_reason.json()["errors"] == {"reason": ["Indiquez le motif : le client le lira."]}
    assert cancelled.status_code == 200
    body = cancelled.json()
    assert (body["status"], body["moves"], body["lines"][0]["unavailable"]) == ("shop_cancelled", [], True)


def test_a_relay_order_is_dropped_through_the_api_before_it_is_collected(scene: Scene) -> None:
    order = placed(scene)
    Order.objects.filter(pk=order.pk).update(fulfilment="relay", relay_point=scene.places.relay_point)
    baker = App(new_key(scene.baker))
    for status in ("accepted", "ready"):
        assert baker.post(steps(order.reference), {"to_status": status}).status_code == 200

    too_soon = baker.post(steps(order.reference), {"to_status": "collected"})
    dropped = baker.post(steps(order.reference), {"to_status": "dropped"})

    assert too_soon.status_code == 409
    assert dropped.status_code == 200
    assert dropped.json()["moves"] == ["collected", "not_collected"]
