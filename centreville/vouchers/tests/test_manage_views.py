"""The town team's voucher pages: who may reach them (an elected official reads the accounts and changes
nothing, a merchant nothing at all), a programme written with French errors, invitations imported and given,
sheets printed, a sale at the town hall, a voucher looked up and cancelled, a month's statements made and
paid, the treasury's export and the accounts that close."""

from __future__ import annotations

import csv
import html
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.vouchers import codes, ledger, services
from centreville.vouchers.models import (
    Invitation,
    Participation,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Statement,
    StatementStatus,
    Voucher,
    VoucherStatus,
)
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import AT, IBAN, joined_shop

pytestmark = pytest.mark.django_db

# Early January in Paris: December is over, its statements can be made.
NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)
RESIDENT = Beneficiary(kind="person", key="claire@example.org", name="Claire Martin", postcode="61200")


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _as(role: Role, programme: Programme) -> Client:
    return _client(TownRoleFactory.create(town=programme.town, role=role).user)


def _slug(programme: Programme) -> str:
    assert programme.town is not None
    return programme.town.slug


def _url(name: str, programme: Programme, *args: Any) -> str:
    return reverse(f"vouchers_manage:{name}", args=[_slug(programme), programme.pk, *args])


def _spent(programme: Programme) -> Voucher:
    shop = joined_shop(programme, name="Librairie des Halles")
    voucher = services.vouchers_issue(
        programme=programme, beneficiary=RESIDENT, face_value_cents=5000, at=AT
    )[0]
    ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=1250, at=AT, reference="ticket 41")
    return voucher


def test_an_elected_official_reads_the_accounts_and_changes_nothing(programme: Programme) -> None:
    elected = _as(Role.ELECTED, programme)
    town = _slug(programme)
    index = reverse("vouchers_manage:accounts_index", args=[town])
    assert elected.get(index).status_code == 200
    dashboard = elected.get(reverse("observatory:dashboard", args=[town])).content.decode()
    assert f'href="{index}"' in dashboard  # the accounts are one click from the council's pages
    accounts = elected.get(_url("accounts", programme))
    assert accounts.status_code == 200
    assert "Gestion de la ville" not in accounts.content.decode()  # no manager's menu
    assert elected.get(reverse("vouchers_manage:programme_create", args=[town])).status_code == 403
    assert elected.post(reverse("vouchers_manage:programme_create", args=[town]), {}).status_code == 403
    assert elected.post(_url("programme_close", programme)).status_code == 403
    assert elected.get(_url("statements", programme)).status_code == 403
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.OPEN


def test_a_merchant_reaches_none_of_the_town_teams_pages(programme: Programme) -> None:
    shop = joined_shop(programme)
    merchant = _client(ShopMembershipFactory.create(shop=shop).user)
    town = _slug(programme)
    assert merchant.get(reverse("vouchers_manage:programmes", args=[town])).status_code == 403
    assert merchant.get(_url("accounts", programme)).status_code == 403
    assert merchant.get(_url("participations", programme)).status_code == 403


def test_another_towns_manager_sees_no_programme_of_this_town(programme: Programme) -> None:
    other = ProgrammeFactory.create()
    manager = _as(Role.MANAGER, programme)
    assert (
        manager.get(reverse("vouchers_manage:programme", args=[_slug(programme), other.pk])).status_code
        == 404
    )


def test_the_manager_prepares_a_top_up_with_french_errors_then_opens_it(programme: Programme) -> None:
    manager = _as(Role.MANAGER, programme)
    town = _slug(programme)
    menu = manager.get(reverse("towns:settings", args=[town])).content.decode()
    assert f'href="{reverse("vouchers_manage:programmes", args=[town])}"' in menu
    form = {
        "kind": ProgrammeKind.TOP_UP,
        "name": "Payez 20 €, dépensez 30 €",
        "slug": "coup-de-pouce",
        "holder_name": "Commune d'Argentan",
        "holder_siret": "",
        "face_values": "",
        "top_up_paid": "20",
        "top_up_value": "20,00",
        "starts_on": "2027-01-10",
        "ends_on": "2027-01-02",
        "paid_share_validity_months": "12",
        "budget": "300 000",
        "eligible_postcodes": "61200 6120",
        "chains_excluded": "on",
        "rules": "",
    }
    refused = manager.post(reverse("vouchers_manage:programme_create", args=[town]), form)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Le bon doit valoir plus que ce qui est payé (20,00\u00a0€)" in page
    assert "La fin des émissions ne peut pas précéder leur début." in page
    assert "« 6120 » n&#x27;est pas un code postal français (5 chiffres)." in page
    assert not Programme.objects.filter(slug="coup-de-pouce").exists()
    zero = manager.post(
        reverse("vouchers_manage:programme_create", args=[town]),
        {**form, "kind": ProgrammeKind.GIFT_CARD, "face_values": "0 ; 10"},
    )
    assert "Une valeur de bon doit être supérieure à 0 €." in zero.content.decode()

    form.update(top_up_value="30", ends_on="2027-03-31", eligible_postcodes="61200")
    created = manager.post(reverse("vouchers_manage:programme_create", args=[town]), form)
    top_up = Programme.objects.get(slug="coup-de-pouce")
    assert created["Location"] == _url("programme", top_up)
    assert (top_up.top_up_paid_cents, top_up.top_up_value_cents, top_up.budget_cents) == (
        2000,
        3000,
        300_000_00,
    )
    assert top_up.status == ProgrammeStatus.DRAFT
    edit = manager.get(_url("programme_edit", top_up)).content.decode()
    assert 'value="300000"' in edit
    assert 'value="20"' in edit
    manager.post(_url("programme_open", top_up))
    top_up.refresh_from_db()
    assert top_up.status == ProgrammeStatus.OPEN
    manager.post(_url("programme_close", top_up))  # the box not ticked: nothing happens
    top_up.refresh_from_db()
    assert top_up.status == ProgrammeStatus.OPEN
    manager.post(_url("programme_close", top_up), {"confirm": "1"})
    top_up.refresh_from_db()
    assert top_up.status == ProgrammeStatus.CLOSED


def test_the_shops_taking_part_show_their_iban_masked_and_can_be_suspended(programme: Programme) -> None:
    shop = joined_shop(programme, name="Librairie des Halles", siret="")
    manager = _as(Role.MANAGER, programme)
    page = manager.get(_url("participations", programme)).content.decode()
    assert "Librairie des Halles" in page
    assert "•••• 0189" in page
    assert IBAN not in page
    assert IBAN[:-4] not in page
    participation = Participation.objects.get(shop=shop)
    manager.post(_url("participation_suspend", programme, participation.pk))
    participation.refresh_from_db()
    assert not participation.is_active


def test_invitations_are_imported_given_and_printed(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    programme = ProgrammeFactory.create(
        kind=ProgrammeKind.FREE, invitation_only=True, face_values_cents=[10000], eligible_postcodes=["61200"]
    )
    manager = _as(Role.MANAGER, programme)
    households = (
        "reference;nom;code_postal\n"
        "F-1;Foyer Lefèvre;61200\n"
        "F-2;Foyer Martin;61200\n"
        "F-2;Foyer Martin;61200\n"
        "F-3;Foyer Roux;6120\n"
    )
    upload = SimpleUploadedFile("foyers.csv", households.encode(), content_type="text/csv")
    report = manager.post(_url("invitations", programme), {"households": upload}).content.decode()
    assert "2 foyers invités, 1 ligne écartée, 1 doublon." in report
    assert "Ligne 5 : « 6120 » n&#x27;est pas un code postal (5 chiffres)" in report
    assert "Ligne 4 (F-2) : déjà dans le fichier, ligne 3" in report

    # The worker gives the vouchers (here at once, when the page's transaction commits).
    with django_capture_on_commit_callbacks(execute=True):
        queued = manager.post(_url("invitations_issue", programme), {"face_value": "10000"})
    assert queued.status_code == 302
    issued = html.unescape(manager.get(queued["Location"]).content.decode())
    assert "Émission des bons lancée pour 2 foyers : cette page montre où elle en est." in issued
    assert "Chaque foyer invité a reçu son bon." in issued
    assert Invitation.objects.filter(used_at__isnull=True).count() == 0
    programme.refresh_from_db()
    assert programme.invitations_queued_at is None
    sheet = manager.get(_url("sheets", programme))
    assert sheet["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(sheet.content)).pages[0].extract_text().split())
    for voucher in Voucher.objects.filter(programme=programme):
        assert codes.code_display(voucher.code) in text
    assert f"Liste des commerces : http://testserver/{_slug(programme)}/bons/" in text


def test_a_gift_card_is_sold_at_the_town_hall_once_per_payment(programme: Programme) -> None:
    manager = _as(Role.MANAGER, programme)
    form = {
        "face_value": "2000",
        "beneficiary_kind": "company",
        "beneficiary_key": "552100554",
        "beneficiary_name": "Fonderie Leroy",
        "postcode": "",
        "count": "2",
        "payment_reference": "Régie 118",
    }
    sold = manager.post(_url("sale", programme), form)
    assert sold.status_code == 302
    done = manager.get(sold["Location"]).content.decode()
    vouchers = list(Voucher.objects.filter(programme=programme))
    assert len(vouchers) == 2
    assert all(codes.code_display(v.code) in done for v in vouchers)
    again = manager.post(_url("sale", programme), form)
    assert again.status_code == 400
    assert "Des bons ont déjà été émis pour le paiement « Régie 118 »." in again.content.decode()
    assert Voucher.objects.count() == 2


def test_a_voucher_is_found_by_its_code_shows_its_history_and_is_cancelled(programme: Programme) -> None:
    voucher = _spent(programme)
    manager = _as(Role.MANAGER, programme)
    town = _slug(programme)
    typed = codes.code_display(voucher.code).lower()
    found = manager.get(reverse("vouchers_manage:voucher_lookup", args=[town]), {"code": typed})
    assert found["Location"] == reverse("vouchers_manage:voucher", args=[town, voucher.code])
    unknown = manager.get(reverse("vouchers_manage:voucher_lookup", args=[town]), {"code": "ABCD"})
    assert unknown.status_code == 400
    assert "Aucun bon de la ville ne porte ce code" in unknown.content.decode()
    page = manager.get(found["Location"]).content.decode()
    assert "37,50\u00a0€" in page
    assert "Librairie des Halles" in page
    assert "ticket 41" in page
    without_reason = manager.post(
        reverse("vouchers_manage:voucher_cancel", args=[town, voucher.code]), {"reason": ""}
    )
    assert without_reason.status_code == 400
    manager.post(
        reverse("vouchers_manage:voucher_cancel", args=[town, voucher.code]), {"reason": "Carte perdue"}
    )
    voucher.refresh_from_db()
    assert (voucher.status, voucher.balance_cents) == (VoucherStatus.CANCELLED, 0)
    assert "Carte perdue" in manager.get(found["Location"]).content.decode()


def test_the_months_statements_are_made_paid_and_exported_through_the_pages(programme: Programme) -> None:
    _spent(programme)
    manager = _as(Role.MANAGER, programme)
    listing = manager.get(_url("statements", programme)).content.decode()
    assert 'value="2026-12"' in listing  # the last month that is over
    manager.post(_url("statements_make", programme), {"month": "2027-01"})
    assert not Statement.objects.exists()  # January is not over
    assert "n&#x27;est pas terminé" in manager.get(_url("statements", programme)).content.decode()
    manager.post(_url("statements_make", programme), {"month": "2026-12"})
    statement = Statement.objects.get()
    assert (statement.amount_cents, statement.status) == (1250, StatementStatus.DUE)

    field = f"releve-{statement.pk}-transfer_reference"
    manager.post(_url("statement_paid", programme, statement.pk), {field: ""})
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DUE
    manager.post(_url("statement_paid", programme, statement.pk), {field: "VIR-2027-0042"})
    statement.refresh_from_db()
    assert (statement.status, statement.transfer_reference, statement.paid_at) == (
        StatementStatus.PAID,
        "VIR-2027-0042",
        NOW,
    )
    lines = manager.get(_url("statement_csv", programme, statement.pk)).content.decode("utf-8-sig")
    assert "12,50" in lines
    assert statement.number in lines
    export = manager.get(_url("treasury_export", programme), {"first": "2026-12", "last": "2026-12"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][0] == statement.number
    assert rows[1][10] == "VIR-2027-0042"
    assert rows[1][4] == IBAN
    backwards = manager.get(_url("treasury_export", programme), {"first": "2026-12", "last": "2026-11"})
    assert backwards.status_code == 302


def test_the_accounts_close_to_the_cent_with_their_monthly_figures(programme: Programme) -> None:
    _spent(programme)
    services.month_statements_make(programme=programme, month=datetime(2026, 12, 1).date(), at=NOW)
    elected = _as(Role.ELECTED, programme)
    page = elected.get(_url("accounts", programme)).content.decode()
    assert "Écart : 0,00\u00a0€" in page
    assert 'role="alert"' not in page
    assert "12,50\u00a0€" in page
    assert "37,50\u00a0€" in page
    assert "décembre 2026" in page  # the monthly table
    chart_csv = elected.get(_url("accounts", programme), {"csv": "mois"})
    rows = list(csv.reader(io.StringIO(chart_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Mois"
    assert rows[2][:2] == ["2026-12", "50,00"]
    before = elected.get(_url("accounts", programme), {"date": "2026-12-01"}).content.decode()
    assert "Écart : 0,00\u00a0€" in before
    assert "37,50\u00a0€" not in before
