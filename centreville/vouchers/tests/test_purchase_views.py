"""The purchase pages: a person's and a company's forms, the payment, the buyer's page and invoice."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centreville.payments.models import Payment
from centreville.vouchers.models import Programme, ProgrammeStatus, Sale, SaleStatus

from .conftest import AT

pytestmark = pytest.mark.django_db

PERSON = {
    "face_value": "2000",
    "count": "1",
    "name": "Camille Martin",
    "email": "camille@example.org",
    "postcode": "61200",
}
COMPANY = {
    "face_value": "5000",
    "count": "20",
    "name": "Menuiserie Leroy SARL",
    "siret": "732 829 320 00074",
    "street_address": "3 rue des Artisans",
    "postcode": "61200",
    "city": "Argentan",
    "email": "compta@leroy.example",
}


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: AT)


def _url(name: str, programme: Programme, *args: str) -> str:
    assert programme.town is not None
    return reverse(f"vouchers_purchase:{name}", args=[programme.town.slug, *args])


def _pay(client: Client, sale: Sale, action: str = "pay") -> str:
    payment = Payment.objects.get(voucher_sale=sale)
    response = client.post(payment.redirect_url, {"action": action})
    assert response.status_code == 302
    return str(response["Location"])


def test_the_town_lists_what_is_on_sale(client: Client, programme: Programme) -> None:
    response = client.get(_url("programmes", programme))

    assert response.status_code == 200
    page = response.content.decode()
    assert programme.name in page
    assert "20,00\u00a0€" in page
    assert _url("buy_company", programme, programme.slug) in page


def test_a_resident_pays_and_finds_their_voucher(client: Client, programme: Programme) -> None:
    assert client.get(_url("buy", programme, programme.slug)).status_code == 200

    response = client.post(_url("buy", programme, programme.slug), PERSON)

    sale = Sale.objects.get()
    assert response.status_code == 302
    assert response["Location"] == Payment.objects.get().redirect_url
    back = _pay(client, sale)
    assert back == "http://testserver" + _url("sale", programme, sale.token)
    page = client.get(back).content.decode()
    [voucher] = sale.vouchers
    assert programme.town is not None
    assert f"/{programme.town.slug}/bons/carte/{voucher.code}/" in page
    assert "vos bons sont prêts" in page


def test_a_page_before_the_payment_arrives_says_the_vouchers_come_by_email(
    client: Client, programme: Programme
) -> None:
    client.post(_url("buy", programme, programme.slug), PERSON)
    sale = Sale.objects.get()

    page = client.get(_url("sale", programme, sale.token)).content.decode()

    assert "Paiement reçu : vos bons arrivent par e-mail." in page
    abandoned = client.get(_url("sale", programme, sale.token) + "?paiement=abandonne").content.decode()
    assert "aucun montant n'a été prélevé" in abandoned


def test_an_abandoned_payment_issues_nothing(client: Client, programme: Programme) -> None:
    client.post(_url("buy", programme, programme.slug), PERSON)
    sale = Sale.objects.get()

    back = _pay(client, sale, "cancel")

    sale.refresh_from_db()
    assert sale.status == SaleStatus.FAILED
    assert not sale.vouchers.exists()
    assert "aucun montant n'a été prélevé" in client.get(back).content.decode()


def test_a_company_orders_in_bulk_and_downloads_its_invoice(client: Client, programme: Programme) -> None:
    response = client.post(_url("buy_company", programme, programme.slug), COMPANY)
    assert response.status_code == 302
    sale = Sale.objects.get()
    assert (sale.buyer_kind, sale.company_siret, sale.amount_cents) == ("company", "73282932000074", 100_000)
    _pay(client, sale)
    sale.refresh_from_db()
    assert sale.vouchers.count() == 20

    page = client.get(_url("sale", programme, sale.token)).content.decode()
    invoice_url = _url("invoice", programme, sale.token)
    assert invoice_url in page
    assert "BC2026-00001" in page
    invoice = client.get(invoice_url)
    assert invoice.status_code == 200
    assert invoice["Content-Type"] == "application/pdf"
    assert invoice.content.startswith(b"%PDF")


def test_bad_input_gets_a_clear_french_error_and_nothing_is_written(
    client: Client, programme: Programme
) -> None:
    programme.cap_per_person_cents = 3000
    programme.save()

    bad_siret = client.post(
        _url("buy_company", programme, programme.slug), COMPANY | {"siret": "73282932000075"}
    )
    assert bad_siret.status_code == 400
    assert "n&#x27;est pas un numéro SIRET valide" in bad_siret.content.decode()
    over_cap = client.post(_url("buy", programme, programme.slug), PERSON | {"count": "2"})
    assert "Le plafond de 30,00\u00a0€ par bénéficiaire serait dépassé" in over_cap.content.decode()
    not_offered = client.post(_url("buy", programme, programme.slug), PERSON | {"face_value": "3000"})
    assert not_offered.status_code == 400
    assert "Sélectionnez un choix valide" in not_offered.content.decode()
    too_many = client.post(_url("buy_company", programme, programme.slug), COMPANY | {"count": "501"})
    assert "Un achat compte au plus 500 bons." in too_many.content.decode()
    assert not Sale.objects.exists()
    assert not Payment.objects.exists()


def test_a_closed_programme_says_so(client: Client, programme: Programme) -> None:
    programme.status = ProgrammeStatus.CLOSED
    programme.save()

    page = client.get(_url("buy", programme, programme.slug)).content.decode()
    assert "n'est pas en vente en ce moment : ses bons ne s'achètent plus." in page
    refused = client.post(_url("buy", programme, programme.slug), PERSON)
    assert refused.status_code == 400
    assert "n'est pas en vente en ce moment" in refused.content.decode()
    assert programme.name not in client.get(_url("programmes", programme)).content.decode()
    assert not Sale.objects.exists()


def test_private_links_find_nothing_without_their_token(client: Client, programme: Programme) -> None:
    client.post(_url("buy", programme, programme.slug), PERSON)
    sale = Sale.objects.get()
    _pay(client, sale)

    assert client.get(_url("sale", programme, "x" * 43)).status_code == 404
    assert client.get(_url("invoice", programme, sale.token)).status_code == 404  # a person has no invoice
    assert client.get(_url("buy", programme, "inconnue")).status_code == 404
