"""Checkout through the API with a town voucher: it pays what it can, a refused code is bad input."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from centreville.orders.models import Order
from centreville.vouchers import codes, services
from centreville.vouchers.models import Voucher
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import Browser, Scene

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def gift_card(scene: Scene) -> Voucher:
    """A 20 € gift card the florist takes, and the grocer does not."""
    programme = ProgrammeFactory.create(town=scene.town, name="Carte cadeau de Noël")
    services.participation_join(
        programme=programme, shop=scene.florist, iban="FR7630006000011234567890189", at=NOW
    )
    beneficiary = Beneficiary(kind="person", key="jeanne@example.fr")
    return services.vouchers_issue(
        programme=programme, beneficiary=beneficiary, face_value_cents=2000, at=NOW
    )[0]


def order_with(scene: Scene, visitor: Browser, voucher_code: str) -> Response:
    lines = f"/api/villes/{scene.town.slug}/panier/lignes"
    visitor.post(lines, {"product_id": scene.roses.pk, "quantity": 1})  # 25,00 € at the florist
    visitor.post(lines, {"product_id": scene.honey.pk, "quantity": 1})  # 8,50 € at the grocer
    relay = {"method": "relay", "relay_point_id": scene.places.relay_point.pk}
    return visitor.post(
        f"/api/villes/{scene.town.slug}/commande",
        {
            "name": "Jeanne",
            "contact": "06 12 34 56 78",
            "choices": {str(scene.florist.pk): relay, str(scene.grocer.pk): relay},
            "voucher_code": voucher_code,
        },
    )


def test_a_voucher_pays_part_of_the_basket_placed_through_the_api(scene: Scene, visitor: Browser) -> None:
    voucher = gift_card(scene)

    response = order_with(scene, visitor, codes.code_display(voucher.code))

    assert response.status_code == 201
    placed = response.json()
    assert (placed["total"], placed["to_pay"]) == ("33.50", "13.50")
    paid = {order["shop"]["id"]: (order["voucher_paid"], order["to_pay"]) for order in placed["orders"]}
    assert paid == {scene.florist.pk: ("20.00", "5.00"), scene.grocer.pk: ("0.00", "8.50")}
    assert placed["payment_url"] is None
    voucher.refresh_from_db()
    assert voucher.balance_cents == 0


def test_an_unknown_voucher_code_is_bad_input_and_nothing_is_placed(scene: Scene, visitor: Browser) -> None:
    gift_card(scene)

    response = order_with(scene, visitor, codes.code_new())

    assert response.status_code == 400
    assert response.json()["errors"] == {"voucher_code": ["Aucun bon ne porte ce code : vérifiez-le."]}
    assert not Order.objects.exists()
    assert Decimal(visitor.get(f"/api/villes/{scene.town.slug}/panier").json()["total"]) == Decimal("33.50")
