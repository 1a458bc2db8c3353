"""The merchant's order pages: one tap per step, a refusal needs its reason, the preparation list, the CSV."""

from __future__ import annotations

import csv
import html
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.tests.factories import UserFactory
from centreville.fulfilment.models import FulfilmentMethod, Locker, RelayPoint
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.orders.tests.test_merchant_selectors import Counter, at, counter, move, place

pytestmark = pytest.mark.django_db

__all__ = ["counter"]  # the fixture, shared with the selector tests

HTMX = {"HX-Request": "true"}


def url(name: str, *args: Any) -> str:
    return reverse(f"orders_merchant:{name}", args=["argentan", *args])


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def status_of(order: Order) -> str:
    return Order.objects.get(pk=order.pk).status


def test_anonymous_people_are_sent_to_sign_in_and_residents_are_refused(
    client: Client, counter: Counter
) -> None:
    response = client.get(url("day"))
    assert response.status_code == 302
    assert "/compte/" in response["Location"]

    signed_in(client, UserFactory.create())
    assert client.get(url("day")).status_code == 403


def test_the_day_page_shows_the_merchants_orders_with_what_the_counter_needs(
    client: Client, counter: Counter
) -> None:
    order = place(counter.bread, 2, (counter.cake, 1))
    neighbours = place(counter.neighbour_product)
    signed_in(client, counter.merchant)

    response = client.get(url("day"))

    page = response.content.decode()
    assert response.status_code == 200
    assert order.reference in page
    assert neighbours.reference not in page
    assert 'href="tel:+33612345678"' in page
    assert "Pain de campagne" in page
    assert "24,40\xa0€" in page  # 2 x 3,20 + 18,00
    assert "À encaisser au retrait" in page
    assert "Accepter" in page
    assert "Nouvelles : à accepter" in page


def test_the_card_says_where_and_when_the_customer_collects(client: Client, counter: Counter) -> None:
    today = counter.today
    relay = RelayPoint.objects.create(
        town=counter.town,
        name="Maison de la presse",
        street_address="2 place Mahé",
        opening_hours="Mo-Sa 08:00-19:00",
    )
    locker = Locker.objects.create(
        town=counter.town, name="Consigne de la gare", street_address="Gare", opening_hours="24/7"
    )
    place(counter.bread, pickup_slot_start=at(today, 10), pickup_slot_end=at(today, 11))
    place(counter.bread, fulfilment=FulfilmentMethod.RELAY, relay_point=relay)
    ready_in_locker = place(counter.cake, fulfilment=FulfilmentMethod.LOCKER, locker=locker)
    move(ready_in_locker, OrderStatus.ACCEPTED, OrderStatus.READY, actor=counter.merchant)
    place(
        counter.cake,
        fulfilment=FulfilmentMethod.DELIVERY,
        delivery_address="3 rue de la Chaussée",
        delivery_postcode="61200",
        delivery_city="Argentan",
        delivery_fee=Decimal("6.00"),
        delivery_subsidy=Decimal("4.00"),
    )
    signed_in(client, counter.merchant)

    page = client.get(url("day")).content.decode()

    assert "de 10:00 à 11:00" in page
    assert "Maison de la presse" in page
    assert Order.objects.get(pk=ready_in_locker.pk).locker_code in page
    assert "3 rue de la Chaussée, 61200 Argentan" in page
    assert "Frais de livraison : 6,00\xa0€" in page
    assert "(dont 4,00\xa0€ payés par la ville)" in page
    assert "20,00\xa0€" in page  # 18,00 + the customer's 2,00 of delivery


@pytest.mark.parametrize(
    ("before", "to_status", "message"),
    [
        ((), OrderStatus.ACCEPTED, "acceptée"),
        ((OrderStatus.ACCEPTED,), OrderStatus.READY, "prête"),
        ((OrderStatus.ACCEPTED, OrderStatus.READY), OrderStatus.COLLECTED, "retirée"),
    ],
)
def test_each_step_is_one_post_and_back_to_the_day(
    client: Client, counter: Counter, before: tuple[str, ...], to_status: str, message: str
) -> None:
    order = move(place(counter.bread), *before, actor=counter.merchant)
    signed_in(client, counter.merchant)

    response = client.post(url("step", order.reference), {"to_status": to_status}, follow=True)

    assert status_of(order) == to_status
    assert response.redirect_chain[0][0] == f"{url('day')}#commande-{order.reference}"
    assert f"Commande {order.reference} {message}" in response.content.decode()
    event = OrderEvent.objects.filter(order=order).last()
    assert event is not None
    assert event.actor == counter.merchant


def test_a_step_of_another_day_comes_back_to_that_day(client: Client, counter: Counter) -> None:
    yesterday = counter.today - timedelta(days=1)
    order = place(counter.bread, created_at=at(yesterday, 10))
    signed_in(client, counter.merchant)

    response = client.post(
        url("step", order.reference), {"to_status": "accepted", "jour": yesterday.isoformat()}
    )

    assert response["Location"] == f"{url('day')}?jour={yesterday.isoformat()}#commande-{order.reference}"


def test_a_refusal_needs_its_reason_in_french_and_gives_the_stock_back(
    client: Client, counter: Counter
) -> None:
    order = place(counter.bread, 4)
    signed_in(client, counter.merchant)

    refused = client.post(url("step", order.reference), {"to_status": "refused", "reason": "  "})

    page = refused.content.decode()
    assert refused.status_code == 422
    assert "Indiquez le motif : le client le lira." in page
    assert 'aria-invalid="true"' in page
    assert status_of(order) == OrderStatus.PLACED

    client.post(url("step", order.reference), {"to_status": "refused", "reason": "Four en panne"})

    assert status_of(order) == OrderStatus.REFUSED
    assert OrderEvent.objects.get(order=order, to_status=OrderStatus.REFUSED).reason == "Four en panne"
    counter.bread.refresh_from_db()
    assert counter.bread.stock == 100


def test_with_htmx_the_card_moves_to_its_new_section_with_the_focus_on_its_message(
    client: Client, counter: Counter
) -> None:
    order = place(counter.bread)
    waiting = place(counter.cake)
    signed_in(client, counter.merchant)

    response = client.post(url("step", order.reference), {"to_status": "accepted"}, headers=HTMX)

    part = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in part
    assert part.lstrip().startswith('<div id="commandes-du-jour">')
    sections = {name: part[part.index(f'id="groupe-{name}"') :] for name in ("placed", "accepted", "ready")}
    new_section = sections["placed"][: sections["placed"].index('id="groupe-accepted"')]
    accepted_section = sections["accepted"][: sections["accepted"].index('id="groupe-ready"')]
    assert f'id="commande-{order.reference}"' not in new_section
    assert f'id="commande-{waiting.reference}"' in new_section
    assert f'id="commande-{order.reference}"' in accepted_section
    assert "(1)" in new_section  # the counts follow
    assert "(1)" in accepted_section
    message = f"Commande {order.reference} acceptée : le client est prévenu."
    assert f'role="status" tabindex="-1" data-focus-after-swap>{message}</p>' in accepted_section
    assert part.count("data-focus-after-swap") == 1


def test_with_htmx_a_refusal_without_reason_answers_422_in_the_card_and_keeps_what_was_typed(
    client: Client, counter: Counter
) -> None:
    order = place(counter.bread)
    move(order, OrderStatus.ACCEPTED, actor=counter.merchant)
    signed_in(client, counter.merchant)
    # Someone else accepted meanwhile: the refusal is refused, the card shows the order as it is now.
    response = client.post(
        url("step", order.reference), {"to_status": "refused", "reason": "Plus de farine"}, headers=HTMX
    )

    part = response.content.decode()
    assert response.status_code == 422
    assert "<html" not in part
    assert "ne peut pas passer" in part
    assert "Prête" in part

    fresh = place(counter.bread)
    response = client.post(url("step", fresh.reference), {"to_status": "refused", "reason": ""}, headers=HTMX)

    part = response.content.decode()
    assert response.status_code == 422
    assert "Indiquez le motif" in part
    assert '<details class="order-refuse" open>' in part
    # The focus goes to the reason to type, marked invalid and required.
    assert (
        f'id="motif-{fresh.reference}-refused" name="reason" rows="3" maxlength="2000" required '
        f'aria-required="true" aria-invalid="true" aria-describedby="erreur-{fresh.reference}" '
        "data-focus-after-swap>"
    ) in part
    assert part.count("data-focus-after-swap") == 1


def test_an_illegal_step_is_a_clear_message_never_an_error_page(client: Client, counter: Counter) -> None:
    order = place(counter.bread)
    signed_in(client, counter.merchant)

    skipping = client.post(url("step", order.reference), {"to_status": "collected"})
    cancelling = client.post(url("step", order.reference), {"to_status": "cancelled"})
    nonsense = client.post(url("step", order.reference), {"to_status": "envolée"})

    assert skipping.status_code == 422
    assert "Une commande « Passée » ne peut pas passer à « Retirée »." in skipping.content.decode()
    assert cancelling.status_code == 422
    assert "Ce changement n'existe pas pour une commande." in html.unescape(cancelling.content.decode())
    assert nonsense.status_code == 422
    assert status_of(order) == OrderStatus.PLACED


def test_another_merchant_cannot_see_nor_handle_the_shops_orders(client: Client, counter: Counter) -> None:
    order = place(counter.bread)
    signed_in(client, counter.neighbour)

    assert order.reference not in client.get(url("day")).content.decode()
    assert client.post(url("step", order.reference), {"to_status": "accepted"}).status_code == 404
    assert client.get(url("day") + "?commerce=boulangerie-martin").status_code == 403
    assert (
        client.get(url("export_csv") + "?commerce=boulangerie-martin&du=2020-01-01&au=2020-01-31").status_code
        == 403
    )
    assert status_of(order) == OrderStatus.PLACED


def test_the_town_manager_picks_a_shop_and_handles_its_orders(client: Client, counter: Counter) -> None:
    order = place(counter.bread)
    signed_in(client, counter.manager)

    picker = client.get(url("day")).content.decode()
    page = client.get(url("day") + "?commerce=boulangerie-martin").content.decode()
    response = client.post(
        url("step", order.reference), {"to_status": "accepted", "commerce": "boulangerie-martin"}
    )

    assert "?commerce=boulangerie-martin" in picker
    assert order.reference in page
    assert response["Location"] == f"{url('day')}?commerce=boulangerie-martin#commande-{order.reference}"
    assert status_of(order) == OrderStatus.ACCEPTED


def test_a_bad_day_is_said_in_french_and_today_is_shown(client: Client, counter: Counter) -> None:
    order = place(counter.bread)
    signed_in(client, counter.merchant)

    response = client.get(url("day") + "?jour=hier")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez une date" in page
    assert order.reference in page


def test_the_preparation_list_has_each_order_and_the_total_per_article(
    client: Client, counter: Counter
) -> None:
    first = place(counter.bread, 2, (counter.cake, 1))
    second = move(place(counter.bread, 3), OrderStatus.ACCEPTED, actor=counter.merchant)
    signed_in(client, counter.merchant)

    response = client.get(url("preparation"))

    page = response.content.decode()
    assert response.status_code == 200
    assert first.reference in page
    assert second.reference in page
    assert "css/print.css" in page
    totals = page.split("Total à sortir par article", 1)[1]
    assert '<td lang="fr">Pain de campagne</td><td class="quantity">5</td>' in totals
    assert '<td lang="fr">Tarte aux pommes</td><td class="quantity">1</td>' in totals


def test_the_csv_export_is_for_a_french_spreadsheet_and_has_only_the_shops_orders(
    client: Client, counter: Counter
) -> None:
    order = place(counter.bread, 2, (counter.cake, 1))
    place(counter.neighbour_product)
    signed_in(client, counter.merchant)
    today = counter.today.isoformat()

    response = client.get(url("export_csv") + f"?du={today}&au={today}")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffRéférence;")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    header, lines = rows[0], rows[1:]
    assert header[:3] == ["Référence", "Référence du panier", "Commerce"]
    assert len(lines) == 2
    record = dict(zip(header, lines[0], strict=True))
    assert record["Référence"] == order.reference
    assert record["Article"] == "Pain de campagne"
    assert record["Quantité"] == "2"
    assert record["Prix unitaire (€)"] == "3,20"
    assert record["Montant de la ligne (€)"] == "6,40"
    assert record["Total de la commande (€)"] == "24,40"
    assert record["Statut"] == "Passée"


def test_a_customers_text_never_runs_as_a_spreadsheet_formula(client: Client, counter: Counter) -> None:
    place(counter.bread, customer_name='=HYPERLINK("http://example.org")')
    signed_in(client, counter.merchant)
    today = counter.today.isoformat()

    body = client.get(url("export_csv") + f"?du={today}&au={today}").content.decode("utf-8-sig")

    header, line = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert dict(zip(header, line, strict=True))["Client"] == '\'=HYPERLINK("http://example.org")'


def test_a_bad_export_period_is_said_in_french_with_what_was_typed(client: Client, counter: Counter) -> None:
    signed_in(client, counter.merchant)

    response = client.get(url("export_csv") + "?du=2025-03-31&au=2025-03-01")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Le dernier jour doit venir après le premier." in page
    assert 'value="2025-03-31"' in page
    assert client.get(url("export")).status_code == 200


def test_a_finished_order_asks_for_no_money(client: Client, counter: Counter) -> None:
    move(place(counter.cake), OrderStatus.REFUSED, actor=counter.merchant, reason="Four en panne")
    signed_in(client, counter.merchant)

    page = client.get(url("day")).content.decode()

    assert "Rien à encaisser" in page
    assert "À encaisser au retrait" not in page
    closed = page.split('id="groupe-terminees"', 1)[1]
    assert closed.startswith('>Terminées aujourd\'hui <span class="order-count">(1)</span>')


def test_the_card_reads_as_people_speak_phone_numbers_and_times(client: Client, counter: Counter) -> None:
    order = place(counter.bread)
    earlier = place(counter.cake)
    Order.objects.filter(pk=earlier.pk).update(created_at=earlier.created_at - timedelta(minutes=2))
    signed_in(client, counter.merchant)

    page = html.unescape(client.get(url("day")).content.decode())

    assert "Appeler le 06 12 34 56 78" in page
    assert "+33612345678</a>" not in page
    card = page[page.index(f'id="commande-{order.reference}"') :]
    assert "Reçue à l'instant" in card[: card.index("</h3>") + 400]
    assert "il y a 0" not in page
    assert "passée il y a" not in page
    assert "Reçue il y a 2\xa0minutes" in page


def test_a_relay_order_is_dropped_in_one_tap(client: Client, counter: Counter) -> None:
    relay = RelayPoint.objects.create(
        town=counter.town, name="Maison de la presse", street_address="3 rue du Marché", opening_hours="24/7"
    )
    order = place(counter.bread, fulfilment=FulfilmentMethod.RELAY, relay_point=relay)
    move(order, OrderStatus.ACCEPTED, OrderStatus.READY, actor=counter.merchant)
    signed_in(client, counter.merchant)

    page = html.unescape(client.get(url("day")).content.decode())
    assert "Déposée au point relais<span" in page
    response = client.post(url("step", order.reference), {"to_status": "dropped"}, headers=HTMX)

    assert response.status_code == 200
    assert status_of(order) == OrderStatus.DROPPED
    part = html.unescape(response.content.decode())
    assert "Déposées au point relais : en attente du client" in part
    assert "le client est prévenu qu'il peut y aller" in part


def test_every_reason_the_customer_reads_is_marked_required_before_sending(
    client: Client, counter: Counter
) -> None:
    placed_order = place(counter.bread)
    accepted = move(place(counter.cake), OrderStatus.ACCEPTED, actor=counter.merchant)
    ready = move(place(counter.cake), OrderStatus.ACCEPTED, OrderStatus.READY, actor=counter.merchant)
    signed_in(client, counter.merchant)

    page = html.unescape(client.get(url("day")).content.decode())

    for reference, move_name in [
        (placed_order.reference, "refused"),
        (accepted.reference, "shop_cancelled"),
        (ready.reference, "not_collected"),
    ]:
        field = f'id="motif-{reference}-{move_name}" name="reason" rows="3" maxlength="2000" required '
        assert field + 'aria-required="true"' in page
        label = page[page.index(f'<label for="motif-{reference}-{move_name}">') :]
        assert '<span class="required">obligatoire</span></label>' in label[: label.index("</label>") + 8]


def test_a_shop_cancels_an_accepted_order_naming_the_damaged_article(
    client: Client, counter: Counter
) -> None:
    order = move(place(counter.bread, 2, (counter.cake, 1)), OrderStatus.ACCEPTED, actor=counter.merchant)
    cake_line = order.lines.get(product=counter.cake)
    signed_in(client, counter.merchant)

    response = client.post(
        url("step", order.reference),
        {"to_status": "shop_cancelled", "reason": "Tarte abîmée", "unavailable_lines": [str(cake_line.pk)]},
    )

    assert response.status_code == 302
    assert status_of(order) == OrderStatus.SHOP_CANCELLED
    counter.bread.refresh_from_db()
    counter.cake.refresh_from_db()
    assert (counter.bread.stock, counter.cake.stock) == (100, 99)


def test_the_card_gives_every_way_to_reach_the_customer_the_chosen_one_first(
    client: Client, counter: Counter
) -> None:
    order = place(
        counter.bread,
        customer_contact="jeanne@example.fr",
        customer_email="jeanne@example.fr",
        customer_phone="+33612345678",
        notify_by="email",
    )
    signed_in(client, counter.merchant)

    page = html.unescape(client.get(url("day")).content.decode())

    card = page[page.index(f'id="commande-{order.reference}"') :]
    email_at, phone_at = card.index("Écrire à jeanne@example.fr"), card.index("Appeler le 06 12 34 56 78")
    assert email_at < phone_at
