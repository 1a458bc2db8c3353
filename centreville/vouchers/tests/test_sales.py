"""Vouchers bought online: rules checked before paying, issued once when paid, given back when refused."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.accounts.selectors import user_data_export
from centreville.accounts.tests.factories import UserFactory
from centreville.notifications.models import Notification
from centreville.payments.models import Payment, PaymentPurpose, PaymentStatus, Refund
from centreville.payments.providers import FakeProvider
from centreville.payments.services import payment_webhook_receive
from centreville.vouchers import ledger, sales, services
from centreville.vouchers.accounts import programme_accounts
from centreville.vouchers.ledger import VoucherRefused
from centreville.vouchers.models import (
    Movement,
    MovementKind,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Sale,
    SaleStatus,
    Voucher,
)
from centreville.vouchers.sale_invoice import sale_invoice_pdf
from centreville.vouchers.sales import Buyer
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import AT, joined_shop

pytestmark = pytest.mark.django_db

RESIDENT = Buyer(kind="person", name="Camille Martin", email="Camille@Example.org", postcode="61200")
COMPANY = Buyer(
    kind="company",
    name="Menuiserie Leroy SARL",
    email="compta@leroy.example",
    postcode="61200",
    siret="73282932000074",
    billing_address="3 rue des Artisans\n61200 Argentan",
)
URL = "http://testserver/argentan/bons/acheter/achat/__token__/"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: AT)


def _start(programme: Programme, buyer: Buyer = RESIDENT, value: int = 2000, count: int = 1) -> Sale:
    assert programme.town is not None
    return sales.sale_start(
        town=programme.town,
        programme=programme,
        buyer=buyer,
        face_value_cents=value,
        count=count,
        at=AT,
        return_url=URL,
        cancel_url=URL + "?paiement=abandonne",
    )


def _deliver(
    sale: Sale, outcome: str = "payment.succeeded", event_id: str = "", amount: Decimal | None = None
) -> bool:
    payment = Payment.objects.get(voucher_sale=sale)
    body, headers = FakeProvider().signed_event(
        provider_reference=payment.provider_reference, event_type=outcome, amount=amount or payment.amount
    )
    if event_id:  # another event about the same payment (a provider's retry under a new id)
        body = body.replace(f"evt_{outcome}_".encode(), f"{event_id}_".encode())
        from centreville.payments.providers.base import signature_header
        from centreville.payments.providers.fake import SIGNATURE_HEADER, _secret

        timestamp = int(headers[SIGNATURE_HEADER].split(",")[0][2:])
        headers = {SIGNATURE_HEADER: signature_header(body, _secret(), timestamp)}
    return payment_webhook_receive(provider_name="fake", body=body, headers=headers)


def _refusal(call: object) -> str:
    with pytest.raises(VoucherRefused) as refused:
        call()  # type: ignore[operator]
    return refused.value.messages[0]


def test_a_sale_opens_a_payment_for_the_holder_and_waits_for_it(programme: Programme) -> None:
    programme.holder_payment_account = "acct_argentan"
    programme.save()

    sale = _start(programme, count=2)

    assert (sale.status, sale.amount_cents, sale.email, sale.reference.startswith("BC-")) == (
        SaleStatus.PENDING,
        4000,
        "camille@example.org",
        True,
    )
    payment = sale.payment
    assert payment is not None
    assert (payment.purpose, payment.amount, payment.payee_account_id, payment.basket_reference) == (
        PaymentPurpose.VOUCHER_SALE,
        Decimal("40.00"),
        "acct_argentan",
        sale.reference,
    )
    assert payment.return_url == f"http://testserver/argentan/bons/acheter/achat/{sale.token}/"
    assert not Voucher.objects.exists()


def test_paid_issues_the_vouchers_once_even_when_the_provider_tells_twice(
    programme: Programme, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    sale = _start(programme, count=2)

    with django_capture_on_commit_callbacks(execute=True):
        assert _deliver(sale) is True
        assert _deliver(sale) is False  # the same event again: recorded once
        assert _deliver(sale, event_id="evt_retry") is True  # another event: the sale is paid already

    sale.refresh_from_db()
    assert (sale.status, sale.paid_at) == (SaleStatus.PAID, AT)
    vouchers = list(sale.vouchers)
    assert len(vouchers) == 2
    assert {(v.paid_issued_cents, v.beneficiary_key, v.origin) for v in vouchers} == {
        (2000, "camille@example.org", sale.reference)
    }
    # The buyer's e-mail, once, with each voucher's page.
    [message] = mail.outbox
    assert message.to == ["camille@example.org"]
    assert programme.town is not None
    for voucher in vouchers:
        assert f"http://testserver/{programme.town.slug}/bons/carte/{voucher.code}/" in str(message.body)
    assert Notification.objects.filter(key__startswith="voucher-sale:").count() == 1


def test_the_sale_lock_issues_once_when_its_paid_step_runs_twice(programme: Programme) -> None:
    sale = _start(programme)
    payment = Payment.objects.get(voucher_sale=sale)

    sales.sale_paid(payment=payment, at=AT)
    sales.sale_paid(payment=payment, at=AT)

    assert Voucher.objects.filter(origin=sale.reference).count() == 1


def test_failed_or_abandoned_issues_nothing(programme: Programme) -> None:
    sale = _start(programme)

    _deliver(sale, "payment.failed")

    sale.refresh_from_db()
    assert sale.status == SaleStatus.FAILED
    assert not Voucher.objects.exists()
    assert mail.outbox == []


def test_refused_after_the_payment_the_buyer_is_refunded_whole(
    top_up: Programme, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # Pay 20 €, spend 30 €: 10 € of the town's share each, 100 € of budget.
    sale = _start(top_up, value=3000, count=2)
    assert sale.amount_cents == 4000
    for number in range(9):  # the town hall sells nine meanwhile: 10 € of budget left, 20 € needed
        services.vouchers_issue(
            programme=top_up,
            beneficiary=Beneficiary("person", f"p{number}@example.org"),
            face_value_cents=0,
            at=AT,
        )

    with django_capture_on_commit_callbacks(execute=True):
        _deliver(sale)

    sale.refresh_from_db()
    assert sale.status == SaleStatus.REFUNDED
    assert "budget de la ville" in sale.refusal
    assert not Voucher.objects.filter(origin=sale.reference).exists()
    payment = Payment.objects.get(voucher_sale=sale)
    assert (payment.status, payment.amount_refunded) == (PaymentStatus.REFUNDED, Decimal("40.00"))
    [refund] = Refund.objects.filter(payment=payment)
    assert refund.provider_reference == f"fake_re_refund-{refund.pk}"  # sent to the provider
    [message] = mail.outbox
    assert "remboursé" in message.subject
    assert "budget de la ville" in message.body


def test_the_rules_are_checked_before_paying(programme: Programme) -> None:
    programme.cap_per_person_cents = 5000
    programme.save()

    assert "10,00\u00a0€, 20,00\u00a0€, 50,00\u00a0€" in _refusal(lambda: _start(programme, value=3000))
    assert "plafond de 50,00\u00a0€" in _refusal(lambda: _start(programme, count=3))
    assert "entre 1 et 10 bons" in _refusal(lambda: _start(programme, count=11))
    programme.status = ProgrammeStatus.CLOSED
    programme.save()
    assert "est close" in _refusal(lambda: _start(programme))
    free = ProgrammeFactory.create(kind=ProgrammeKind.FREE, town=programme.town)
    assert "ne s'achètent pas en ligne" in _refusal(lambda: _start(free))
    assert not Sale.objects.exists()
    assert not Payment.objects.exists()


def test_companies_get_invoices_numbered_without_gaps_per_holder_and_year(programme: Programme) -> None:
    other_holder = ProgrammeFactory.create(town=programme.town, holder_siret="21610002000014")
    sold = [
        _start(programme, COMPANY, count=20),
        _start(programme, COMPANY, count=5),
        _start(other_holder, COMPANY),
    ]
    failed = _start(programme, COMPANY)
    _deliver(failed, "payment.failed")  # takes no number
    for sale in sold:
        _deliver(sale)

    numbers = [Sale.objects.get(pk=sale.pk).invoice_number for sale in sold]
    assert numbers == ["BC2026-00001", "BC2026-00002", "BC2026-00001"]
    assert Sale.objects.get(pk=failed.pk).invoice_number == ""
    person = _start(programme)
    _deliver(person)
    assert Sale.objects.get(pk=person.pk).invoice_number == ""  # a person gets no invoice


def test_the_invoice_names_both_parties_the_amount_and_the_vat_mention(programme: Programme) -> None:
    sale = _start(programme, COMPANY, count=20)
    _deliver(sale)
    sale.refresh_from_db()

    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(sale_invoice_pdf(sale.invoice))).pages
    )

    for expected in (
        "Facture BC2026-00001",
        "Commune d'Argentan",
        "SIRET 21610001200016",
        "Menuiserie Leroy SARL",
        "SIRET 73282932000074",
        "3 rue des Artisans",
        "400,00 €",
        "Bons à usages multiples : opération hors du champ de la TVA à l'émission, article 256 ter du CGI",
        "la TVA est due lors de l'utilisation",
        "12/12/2026",
    ):
        assert expected in text, expected
    assert sale_invoice_pdf(sale.invoice) == sale_invoice_pdf(sale.invoice)  # written once, same bytes


def test_a_persons_data_export_lists_their_vouchers_and_purchases_without_the_codes(
    programme: Programme, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _deliver(_start(programme))
    someone_else = Beneficiary("person", "other@example.org")
    services.vouchers_issue(programme=programme, beneficiary=someone_else, face_value_cents=1000, at=AT)
    user = UserFactory.create(email="camille@example.org")

    export: dict[str, Any] = user_data_export(user)

    (voucher,) = export["bons_d_achat"]
    assert voucher["operation"] == programme.name
    assert (voucher["nom"], voucher["montant_emis"], voucher["solde"]) == ("Camille Martin", "20.00", "20.00")
    (sale,) = export["achats_de_bons"]
    assert (sale["nombre_de_bons"], sale["montant_paye"], sale["etat"]) == (1, "20.00", "Payée, bons émis")
    code = Voucher.objects.get(beneficiary_key="camille@example.org").code
    assert code not in str(export)


def test_a_refund_on_the_providers_dashboard_cancels_the_vouchers_it_paid_for(
    programme: Programme, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    sale = _start(programme, count=3)  # 3 gift cards of 20 €, 60 € paid
    with django_capture_on_commit_callbacks(execute=True):
        _deliver(sale)
    first, second, third = sale.vouchers.order_by("pk")
    ledger.voucher_spend(code=first.code, shop=joined_shop(programme), amount_cents=500, at=AT)

    # 20 € given back on the dashboard: one voucher goes, a whole one (the spent one is the last to go).
    _deliver(sale, "payment.refunded", event_id="evt_refund_1", amount=Decimal("20.00"))

    statuses = dict(sale.vouchers.values_list("pk", "status"))
    assert statuses == {first.pk: "active", second.pk: "cancelled", third.pk: "active"}
    sale.refresh_from_db()
    assert sale.status == SaleStatus.PAID
    cancellation = Movement.objects.get(voucher=second, kind=MovementKind.CANCELLATION)
    assert cancellation.reference == f"Achat {sale.reference} remboursé par le prestataire de paiement"

    # Then the rest, 60 € in all: every voucher is cancelled, and the 5 € spent stays spent.
    _deliver(sale, "payment.refunded", event_id="evt_refund_2", amount=Decimal("60.00"))
    _deliver(sale, "payment.refunded", event_id="evt_refund_3", amount=Decimal("60.00"))

    assert set(sale.vouchers.values_list("status", flat=True)) == {"cancelled"}
    sale.refresh_from_db()
    assert sale.status == SaleStatus.REFUNDED
    accounts = programme_accounts(programme, at=AT)
    assert accounts.balances
    assert (accounts.spent.total, accounts.cancelled.total, accounts.outstanding.total) == (500, 5500, 0)
