"""An invoice's figures: per-rate totals equal the sum of their lines to the cent, whatever the lines."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from centreville.invoicing.amounts import CENT, OrderedLine, billed_line, invoice_totals, to_cents

RATES = [Decimal("5.5"), Decimal("10"), Decimal("20")]
prices = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("999.9999"), places=4)
quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("9999.999"), places=3)


@st.composite
def ordered_lines(draw: st.DrawFn) -> OrderedLine:
    quantity = draw(quantities)
    delivered = draw(st.none() | st.decimals(min_value=Decimal("0"), max_value=quantity, places=3))
    variable = draw(st.booleans())
    return OrderedLine(
        title="Produit",
        unit=draw(st.sampled_from(["kg", "l", "piece"])),
        quantity=quantity,
        delivered_quantity=delivered,
        case_size=None
        if variable
        else draw(st.none() | st.decimals(min_value=Decimal("0.001"), max_value=Decimal("100"), places=3)),
        unit_price=draw(prices),
        vat_rate=draw(st.sampled_from(RATES)),
        variable_weight=variable,
        estimated_weight=draw(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("20"), places=3))
        if variable
        else None,
        final_weight=draw(st.none() | quantities) if variable else None,
    )


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(ordered_lines(), max_size=25), charges_vat=st.booleans())
def test_each_rates_base_is_the_sum_of_its_lines_and_the_totals_add_up(
    lines: list[OrderedLine], charges_vat: bool
) -> None:
    totals = invoice_totals(lines, charges_vat=charges_vat)

    for rate in totals.rates:
        assert rate.base == sum(line.amount for line in totals.lines if line.vat_rate == rate.rate)
        assert rate.vat == to_cents(rate.base * rate.rate / 100)
        assert rate.base == rate.base.quantize(CENT)
        assert rate.vat == rate.vat.quantize(CENT)
    assert totals.excl_vat == sum(line.amount for line in totals.lines)
    assert totals.excl_vat == sum(rate.base for rate in totals.rates)
    assert totals.vat == sum(rate.vat for rate in totals.rates)
    assert totals.incl_vat == totals.excl_vat + totals.vat
    assert {rate.rate for rate in totals.rates} <= ({Decimal(0)} if not charges_vat else set(RATES))
    assert all(line.amount == to_cents(line.quantity * line.unit_price) for line in totals.lines)


def test_vat_is_rounded_half_up_on_each_rates_base_not_per_line() -> None:
    # Given three 1 € lines at 5.5 %
    line = OrderedLine(
        title="Radis", unit="piece", quantity=Decimal("1"), delivered_quantity=None, case_size=None,
        unit_price=Decimal("1.0000"), vat_rate=Decimal("5.5"),
    )  # fmt: skip

    totals = invoice_totals([line, line, line], charges_vat=True)

    # Then the VAT is 5.5 % of 3.00 = 0.165 → 0.17, where per-line rounding would give 3 × 0.06 = 0.18
    assert [(rate.rate, rate.base, rate.vat) for rate in totals.rates] == [
        (Decimal("5.5"), Decimal("3.00"), Decimal("0.17"))
    ]
    assert totals.incl_vat == Decimal("3.17")


def test_a_variable_weight_line_is_billed_on_its_weighed_kilograms_and_shows_the_estimate() -> None:
    line = OrderedLine(
        title="Poulet fermier", unit="piece", quantity=Decimal("4"), delivered_quantity=None, case_size=None,
        unit_price=Decimal("9.8000"), vat_rate=Decimal("5.5"), variable_weight=True,
        estimated_weight=Decimal("1.8"), final_weight=Decimal("7.35"),
    )  # fmt: skip

    with translation.override("fr"):
        billed = billed_line(line)

    assert billed is not None
    assert (billed.quantity, billed.unit, billed.amount) == (Decimal("7.350"), "kg", Decimal("72.03"))
    assert billed.detail == "4 pièce(s), poids estimé 7,2 kg, pesé 7,35 kg"


def test_cases_are_unpacked_to_base_units_and_a_short_delivery_is_billed_as_handed_over() -> None:
    line = OrderedLine(
        title="Pommes", unit="kg", quantity=Decimal("5"), delivered_quantity=Decimal("3"),
        case_size=Decimal("6"),
        unit_price=Decimal("1.4500"), vat_rate=Decimal("5.5"),
    )  # fmt: skip

    with translation.override("fr"):
        billed = billed_line(line)

    assert billed is not None
    assert (billed.quantity, billed.amount) == (Decimal("18"), Decimal("26.10"))
    assert billed.detail == "3 colis de 6 kg, commandé 5"


def test_a_line_nothing_of_which_was_handed_over_is_not_billed() -> None:
    line = OrderedLine(
        title="Fraises", unit="kg", quantity=Decimal("2"), delivered_quantity=Decimal("0"), case_size=None,
        unit_price=Decimal("6"), vat_rate=Decimal("5.5"),
    )  # fmt: skip

    assert billed_line(line) is None
    assert invoice_totals([line], charges_vat=True).incl_vat == Decimal("0")
