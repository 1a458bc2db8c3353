"""The checkout benchmark's pure parts: arguments, the plan, one customer's journey, the last line."""

from __future__ import annotations

import random
from typing import Any

import pytest

from bench import checkout
from bench.load import LoadResult


def test_defaults_are_eight_customers_and_refuse_too_few_shops() -> None:
    args = checkout.parse_args([])

    assert args.clients == 8
    assert args.shops >= checkout.SHOPS_PER_BASKET
    with pytest.raises(SystemExit):
        checkout.parse_args(["--shops", "2"])
    with pytest.raises(SystemExit):
        checkout.parse_args(["--clients", "0"])


def test_the_plan_goes_from_the_child_to_the_parent_unchanged() -> None:
    plan = checkout.Plan(town="essai", shops=[(1, [10, 11]), (2, [20, 21])], relay_point_id=7)

    assert checkout.Plan.loads(plan.dumps()) == plan


class ScriptedServer:
    """Answers like the API would, and remembers what the customer sent."""

    def __init__(self, checkout_status: int = 201) -> None:
        self.calls: list[tuple[str, str, Any]] = []
        self.checkout_status = checkout_status
        self.shop_ids: list[int] = []

    def forget_session(self) -> None:
        self.calls.append(("FORGET", "", None))

    def call(self, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        self.calls.append((method, path, payload))
        if path.endswith("/panier/lignes"):
            self.shop_ids.append(payload["product_id"] // 10)
            return 201, {}
        if path.endswith("/panier/options"):
            shops = sorted(set(self.shop_ids))
            return 200, {
                "shops": [
                    {
                        "shop": {"id": shop_id},
                        "methods": [{"method": "pickup"}, {"method": "relay"}],
                        "pickup_slots": [{"start": "2030-01-01T10:00:00+01:00"}],
                    }
                    for shop_id in shops
                ]
            }
        if path.endswith("/commande"):
            return self.checkout_status, {"orders": [{}, {}, {}]}
        return 200, {}


PLAN = checkout.Plan(
    town="essai", shops=[(shop, [shop * 10 + n for n in range(4)]) for shop in range(1, 6)], relay_point_id=9
)


def test_a_journey_fills_a_basket_of_three_shops_and_chooses_a_way_for_each() -> None:
    server = ScriptedServer()

    journey, request = checkout.checkout_once(server, PLAN, random.Random(1))

    methods = [method for method, _path, _payload in server.calls]
    assert methods == ["FORGET", "GET"] + ["POST"] * 6 + ["GET", "POST"]
    order = server.calls[-1][2]
    assert len(order["choices"]) == 3
    for choice in order["choices"].values():
        assert choice in (
            {"method": "relay", "relay_point_id": 9},
            {"method": "pickup", "slot_start": "2030-01-01T10:00:00+01:00"},
        )
    assert order["pay_online"] is False
    assert journey >= request >= 0


def test_a_refused_checkout_is_a_failure_not_a_figure() -> None:
    with pytest.raises(checkout.CheckoutFailed, match="checkout: 409"):
        checkout.checkout_once(ScriptedServer(checkout_status=409), PLAN, random.Random(1))


def test_the_last_line_gives_the_ratios_to_the_floor() -> None:
    runs = [
        checkout.CheckoutResult(
            checkouts=n, failures={}, seconds=10.0, journeys_ms=[500.0] * n, checkouts_ms=[100.0] * n
        )
        for n in (20, 30, 40)
    ]
    floors = [
        LoadResult(
            requests=1000,
            errors=0,
            seconds=1.0,
            latencies_ms=[5.0] * 1000,
            statuses={200: 1000},
            failures={},
            capped=False,
        )
    ]

    line = checkout.result_line(checkout.summarise(runs, floors), clients=8)

    assert line == (
        "bench=checkout db=postgresql clients=8 checkouts=90 rps=3.00 p50_ms=100.00 p95_ms=100.00 "
        "floor_rps=1000.0 floor_p95_ms=5.00 ratio_rps=0.0030 ratio_p95=20.00"
    )


def test_percentiles_are_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]

    assert checkout.percentile(values, 50) == 50.0
    assert checkout.percentile(values, 95) == 95.0
    assert checkout.percentile([], 95) != checkout.percentile([], 95)  # nan
