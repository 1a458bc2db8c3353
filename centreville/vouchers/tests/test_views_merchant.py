"""The merchant's voucher pages: the counter spends once and says why it refuses, in French; the shop's
page, its statements' downloads, joining and leaving a programme."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centreville.accounts.models import User
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.vouchers import codes, ledger, services, statements
from centreville.vouchers.forms_merchant import amount_cents, code_scanned
from centreville.vouchers.models import (
    Movement,
    MovementKind,
    Participation,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Statement,
    Voucher,
)
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import AT, IBAN, joined_shop

pytestmark = pytest.mark.django_db

RESIDENT = Beneficiary(kind="person", key="claire@example.org", name="Claire Martin", postcode="61200")


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: AT)


@pytest.fixture
def merchant(shop: Shop) -> User:
    user: User = ShopMembershipFactory.create(shop=shop).user
    return user


@pytest.fixture
def client_in(merchant: User) -> Client:
    client = Client()
    client.force_login(merchant)
    return client


def _issue(programme: Programme, face: int = 5000) -> Voucher:
    return services.vouchers_issue(programme=programme, beneficiary=RESIDENT, face_value_cents=face, at=AT)[0]


def _counter(shop: Shop) -> str:
    return reverse("vouchers_merchant:counter", args=[shop.town.slug, shop.slug])


def _form(client: Client, shop: Shop) -> dict[str, Any]:
    page = client.get(_counter(shop))
    assert page.status_code == 200
    return {"mark": page.context["form"].initial["mark"]}


def _spend(client: Client, shop: Shop, code: str, amount: str, **extra: Any) -> Any:
    data = {**_form(client, shop), "code": code, "amount": amount, "action": "spend", **extra}
    return client.post(_counter(shop), data)


def _errors(response: Any) -> list[str]:
    return list(response.context["form"].non_field_errors()) + [
        error for errors in response.context["form"].errors.values() for error in errors
    ]


def _spends(voucher: Voucher) -> int:
    return Movement.objects.filter(voucher=voucher, kind=MovementKind.SPEND).count()


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("12,50", 1250), ("12.5", 1250), (" 12 ", 1200), ("1 234,50 €", 123450), ("0,10", 10), ("7,00", 700)],
)
def test_amounts_are_read_with_a_comma_or_a_point(typed: str, cents: int) -> None:
    assert amount_cents(typed) == cents


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Indiquez le montant en euros"),
        ("douze", "Ce montant n'est pas lisible"),
        ("12,505", "au plus deux chiffres après la virgule"),
        ("0", "supérieur à zéro"),
        ("-5", "supérieur à zéro"),
        ("12,50,3", "Ce montant n'est pas lisible"),
    ],
)
def test_bad_amounts_get_a_french_error(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        amount_cents(typed)
    assert message in refused.value.messages[0]


def test_a_scanned_wallet_address_gives_its_code() -> None:
    code = codes.code_new()
    assert code_scanned(f"https://centreville.example/argentan/bons/{code}/") == code
    assert code_scanned(f"https://centreville.example/argentan/bons/{codes.code_display(code)}?x=1") == (
        codes.code_display(code)
    )
    assert code_scanned(f"  {code} ") == code


def test_a_typed_code_is_spent_and_the_remaining_balance_shown(
    client_in: Client, programme: Programme, shop: Shop, merchant: User
) -> None:
    voucher = _issue(programme)
    typed = codes.code_display(voucher.code).lower().replace("-", " ")
    response = _spend(client_in, shop, typed, "12,50")

    movement = Movement.objects.get(voucher=voucher, kind=MovementKind.SPEND)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "vouchers_merchant:spent", args=[shop.town.slug, shop.slug, movement.pk]
    )
    assert (movement.amount_cents, movement.shop, movement.by) == (-1250, shop, merchant)
    result = client_in.get(response["Location"])
    text = result.content.decode()
    assert "12,50\u00a0€" in text
    assert "37,50\u00a0€" in text
    assert programme.name in text
    voucher.refresh_from_db()
    assert voucher.balance_cents == 3750


def test_the_wallet_address_from_the_qr_code_is_accepted(
    client_in: Client, programme: Programme, shop: Shop
) -> None:
    voucher = _issue(programme)
    response = _spend(client_in, shop, f"http://testserver/argentan/bons/{voucher.code}/", "5")
    assert response.status_code == 302
    assert _spends(voucher) == 1


def test_a_double_tap_spends_once(client_in: Client, programme: Programme, shop: Shop) -> None:
    voucher = _issue(programme)
    data = {**_form(client_in, shop), "code": voucher.code, "amount": "12,50", "action": "spend"}
    first = client_in.post(_counter(shop), data)
    second = client_in.post(_counter(shop), data)

    assert _spends(voucher) == 1
    assert first["Location"] == second["Location"]
    page = client_in.get(second["Location"])
    assert "déjà été envoyé" in page.content.decode()
    voucher.refresh_from_db()
    assert voucher.balance_cents == 3750
    # A new form (the next customer's, or the same one paying again) spends again.
    assert _spend(client_in, shop, voucher.code, "12,50").status_code == 302
    assert _spends(voucher) == 2


@pytest.mark.parametrize(
    ("setup", "amount", "message"),
    [
        ("unknown", "5", "Aucun bon ne porte ce code : vérifiez-le."),
        ("mistyped", "5", "Ce code n'est pas celui d'un bon : vérifiez chaque caractère."),
        ("expired", "5", "Ce bon a expiré le"),
        ("cancelled", "5", "Ce bon a été annulé : il ne peut plus être utilisé."),
        ("over", "50,01", "Le montant dépasse le solde du bon, qui est de 50,00\u00a0€."),
        ("outsider", "5", "Ce commerce ne participe pas à l'opération"),
    ],
)
def test_each_refusal_is_said_in_french_and_writes_nothing(
    client_in: Client,
    programme: Programme,
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
    setup: str,
    amount: str,
    message: str,
) -> None:
    voucher = _issue(programme)
    code = voucher.code
    if setup == "unknown":
        code = codes.code_new()
    elif setup == "mistyped":
        code = code[:-1] + ("0" if code[-1] != "0" else "1")
    elif setup == "expired":
        Voucher.objects.filter(pk=voucher.pk).update(paid_expires_at=AT - timedelta(days=1))
    elif setup == "cancelled":
        ledger.voucher_cancel(voucher=voucher, at=AT, reason="Carte perdue")
    elif setup == "outsider":
        Participation.objects.filter(shop=shop).update(is_active=False)
    before = Movement.objects.count()

    response = _spend(client_in, shop, code, amount)

    assert response.status_code == 422
    assert any(message in error for error in _errors(response)), _errors(response)
    assert message.split(" :")[0] in response.content.decode().replace("&#x27;", "'")
    assert Movement.objects.count() == before


def test_a_bad_amount_is_refused_before_any_spend(
    client_in: Client, programme: Programme, shop: Shop
) -> None:
    voucher = _issue(programme)
    response = _spend(client_in, shop, voucher.code, "douze euros")
    assert response.status_code == 422
    assert any("Ce montant n'est pas lisible" in error for error in _errors(response))
    assert _spends(voucher) == 0


def test_the_balance_is_checked_without_spending(client_in: Client, programme: Programme, shop: Shop) -> None:
    voucher = _issue(programme)
    data = {**_form(client_in, shop), "code": voucher.code, "amount": "", "action": "check"}
    response = client_in.post(_counter(shop), data)
    assert response.status_code == 200
    assert "50,00\u00a0€" in response.content.decode()
    assert _spends(voucher) == 0
    unknown = client_in.post(_counter(shop), {**data, "code": codes.code_new()})
    assert unknown.status_code == 422
    assert "Aucun bon ne porte ce code" in unknown.content.decode()


def test_another_shops_merchant_is_refused(programme: Programme, shop: Shop) -> None:
    voucher = _issue(programme)
    neighbour = joined_shop(programme)
    other = ShopMembershipFactory.create(shop=neighbour).user
    client = Client()
    client.force_login(other)
    assert client.get(_counter(shop)).status_code == 403
    response = client.post(
        _counter(shop), {"mark": 0, "code": voucher.code, "amount": "5", "action": "spend"}
    )
    assert response.status_code == 403
    assert _spends(voucher) == 0
    # Nor can it see a spend made at the first shop from its own counter's address.
    spend = ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=100, at=AT)
    url = reverse("vouchers_merchant:spent", args=[neighbour.town.slug, neighbour.slug, spend.pk])
    assert client.get(url).status_code == 404


def test_a_mistaken_spend_is_given_back_the_same_day_only(
    client_in: Client, programme: Programme, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    voucher = _issue(programme)
    spent = _spend(client_in, shop, voucher.code, "20")
    movement = Movement.objects.get(voucher=voucher, kind=MovementKind.SPEND)
    url = reverse("vouchers_merchant:give_back", args=[shop.town.slug, shop.slug, movement.pk])
    assert "Annuler cet encaissement" in client_in.get(spent["Location"]).content.decode()
    assert client_in.get(url).status_code == 200

    response = client_in.post(url)
    again = client_in.post(url)

    assert response.status_code == 302
    assert again.status_code == 422
    voucher.refresh_from_db()
    assert voucher.balance_cents == 5000
    assert Movement.objects.filter(refund_of=movement).count() == 1
    # The next day, a spend is no longer given back at the counter.
    other = ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=500, at=AT)
    monkeypatch.setattr(timezone, "now", lambda: AT + timedelta(days=1))
    late = reverse("vouchers_merchant:give_back", args=[shop.town.slug, shop.slug, other.pk])
    assert client_in.post(late).status_code == 422
    assert not Movement.objects.filter(refund_of=other).exists()


def test_the_counter_answers_in_a_few_queries(
    client_in: Client, programme: Programme, shop: Shop, django_assert_max_num_queries: Any
) -> None:
    vouchers = [_issue(programme) for _n in range(3)]
    for voucher in vouchers:
        ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=100, at=AT)
    # The session, the person, the town, their rights, the header's basket; then the page's own two.
    with django_assert_max_num_queries(12):
        page = client_in.get(_counter(shop))
    assert page.status_code == 200
    data = {
        "mark": page.context["form"].initial["mark"],
        "code": vouchers[0].code,
        "amount": "2",
        "action": "spend",
    }
    # Then the voucher's lock, the form's earlier spend, the spend itself (under savepoints).
    with django_assert_max_num_queries(15):
        assert client_in.post(_counter(shop), data).status_code == 302


def test_the_shop_page_shows_days_programmes_statements_and_downloads(
    client_in: Client, programme: Programme, shop: Shop
) -> None:
    top_up = ProgrammeFactory.create(
        town=shop.town,
        kind=ProgrammeKind.TOP_UP,
        name="Payez 20 €, dépensez 30 €",
        face_values_cents=[],
        top_up_paid_cents=2000,
        top_up_value_cents=3000,
    )
    services.participation_join(programme=top_up, shop=shop, iban=IBAN, at=AT)
    gift = _issue(programme)
    boosted = services.vouchers_issue(programme=top_up, beneficiary=RESIDENT, face_value_cents=0, at=AT)[0]
    ledger.voucher_spend(code=gift.code, shop=shop, amount_cents=1250, at=AT)
    ledger.voucher_spend(code=boosted.code, shop=shop, amount_cents=800, at=AT + timedelta(days=1))
    [statement] = statements.statements_make(
        programme=programme,
        month=date(2026, 12, 1),
        month_end=datetime(2026, 12, 31, 23, tzinfo=UTC),
        at=AT + timedelta(days=20),
    )
    ProgrammeFactory.create(town=shop.town, name="Chèques vacances de printemps")
    ProgrammeFactory.create(town=shop.town, name="Opération close", status=ProgrammeStatus.CLOSED)

    page = client_in.get(reverse("vouchers_merchant:shop", args=[shop.town.slug, shop.slug]))

    text = page.content.decode()
    assert page.status_code == 200
    paid = page.context["paid"]
    assert paid.programmes == sorted([programme.name, top_up.name])
    assert [day.total for day in paid.days] == [1250, 800]
    assert paid.total == 2050
    assert "20,50\u00a0€" in text
    assert "Chèques vacances de printemps" in text
    assert "Opération close" not in text
    assert statement.number in text
    csv = client_in.get(
        reverse("vouchers_merchant:statement_csv", args=[shop.town.slug, shop.slug, statement.pk])
    )
    assert csv["Content-Type"].startswith("text/csv")
    assert "12,50" in csv.content.decode()
    pdf = client_in.get(
        reverse("vouchers_merchant:statement_pdf", args=[shop.town.slug, shop.slug, statement.pk])
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    neighbour = ShopFactory.create(town=shop.town)
    ShopMembershipFactory.create(shop=neighbour, user=page.wsgi_request.user)
    elsewhere = reverse(
        "vouchers_merchant:statement_pdf", args=[shop.town.slug, neighbour.slug, statement.pk]
    )
    assert client_in.get(elsewhere).status_code == 404


def test_a_merchant_joins_after_accepting_the_rules_and_leaves(client_in: Client, shop: Shop) -> None:
    christmas = ProgrammeFactory.create(
        town=shop.town, name="Noël en ville", rules="Les bons ne sont pas rendus en monnaie."
    )
    url = reverse("vouchers_merchant:join", args=[shop.town.slug, shop.slug, christmas.pk])
    page = client_in.get(url)
    assert "Les bons ne sont pas rendus en monnaie." in page.content.decode()

    refused = client_in.post(url, {"iban": IBAN})
    assert refused.status_code == 422
    assert "J'accepte le règlement" in refused.content.decode().replace("&#x27;", "'")
    bad_iban = client_in.post(url, {"iban": "FR76 0000", "accept": "on"})
    assert bad_iban.status_code == 422
    assert "Cet IBAN n'est pas valable" in bad_iban.content.decode().replace("&#x27;", "'")
    assert not Participation.objects.filter(programme=christmas).exists()

    joined = client_in.post(url, {"iban": IBAN, "accept": "on"})
    assert joined.status_code == 302
    participation = Participation.objects.get(programme=christmas, shop=shop)
    assert participation.is_active
    assert participation.rules_accepted_at == AT

    leave = reverse("vouchers_merchant:leave", args=[shop.town.slug, shop.slug, christmas.pk])
    assert client_in.get(leave).status_code == 200
    assert client_in.post(leave).status_code == 302
    participation.refresh_from_db()
    assert not participation.is_active


def test_statement_pdf_lists_every_spend_and_the_parties(programme: Programme, shop: Shop) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from centreville.vouchers.documents import statement_pdf

    Shop.objects.filter(pk=shop.pk).update(siret="73282932000074", name="Boulangerie du Marché")
    voucher = _issue(programme)
    ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=1250, at=AT, reference="ticket 41")
    ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=730, at=AT + timedelta(hours=2))
    [statement] = statements.statements_make(
        programme=programme,
        month=date(2026, 12, 1),
        month_end=datetime(2026, 12, 31, 23, tzinfo=UTC),
        at=AT + timedelta(days=20),
    )
    statement = Statement.objects.select_related("programme", "shop").get(pk=statement.pk)

    pdf = statement_pdf(statement)

    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    for mention in (
        statement.number,
        "décembre 2026",
        programme.name,
        programme.holder_name,
        programme.holder_siret,
        "Boulangerie du Marché",
        "73282932000074",
        IBAN,
        "ticket 41",
        "12,50",
        "7,30",
        "19,80",
        "À rembourser",
    ):
        assert mention in text, mention
    assert statement_pdf(statement) == pdf  # the same bytes each time


def test_a_shop_can_join_a_programme_in_preparation_but_not_a_closed_one(
    client_in: Client, shop: Shop
) -> None:
    ProgrammeFactory.create(town=shop.town, name="Fête des mères", status=ProgrammeStatus.DRAFT)
    ProgrammeFactory.create(town=shop.town, name="Rentrée 2025", status=ProgrammeStatus.CLOSED)

    page = client_in.get(reverse("vouchers_merchant:shop", args=[shop.town.slug, shop.slug])).content.decode()

    offered = page.split("Opérations que votre commerce peut rejoindre :", 1)[1]
    assert "Fête des mères" in offered
    assert "en préparation" in offered
    assert "Rentrée 2025" not in page
