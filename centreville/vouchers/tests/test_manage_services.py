"""The town team's writes: a programme saved with clear French errors, opened and closed; a sale at the town
hall issued once per payment; a month's statements made once it is over; the invitations' import report and
their vouchers; the printable sheets."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.towns.tests.factories import TownFactory
from centreville.vouchers import codes, ledger, selectors, services, sheets, tasks
from centreville.vouchers.invitations import invitations_import, invitations_issue, invitations_issue_queue
from centreville.vouchers.ledger import VoucherRefused
from centreville.vouchers.models import (
    Invitation,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Statement,
    Voucher,
)
from centreville.vouchers.months import month_span, months_between
from centreville.vouchers.services import Beneficiary, ProgrammeFields
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import AT, joined_shop

pytestmark = pytest.mark.django_db

CHRISTMAS = ProgrammeFields(
    kind=ProgrammeKind.GIFT_CARD,
    name="Carte cadeau de Noël",
    slug="noel-2026",
    holder_name="Commune d'Argentan",
    holder_siret="21610001600015",
    face_values_cents=[5000, 1000, 2000, 1000],
    top_up_paid_cents=0,
    top_up_value_cents=0,
    starts_on=date(2026, 11, 1),
    ends_on=date(2027, 1, 31),
    town_share_valid_until=None,
    paid_share_validity_months=12,
    budget_cents=None,
    cap_per_person_cents=30_000,
    cap_per_household_cents=None,
    cap_per_company_cents=None,
    eligible_postcodes=["61200"],
    invitation_only=False,
    chains_excluded=True,
    rules="Le commerçant accepte les bons en paiement de tout achat.",
)
TOP_UP = replace(
    CHRISTMAS,
    kind=ProgrammeKind.TOP_UP,
    name="Payez 20 €, dépensez 30 €",
    slug="coup-de-pouce",
    top_up_paid_cents=2000,
    top_up_value_cents=3000,
    budget_cents=300_000_00,
)
RESIDENT = Beneficiary(kind="person", key="claire@example.org", name="Claire Martin", postcode="61200")


def _errors(
    town: object, fields: ProgrammeFields, programme: Programme | None = None
) -> dict[str, list[str]]:
    with pytest.raises(services.ValidationError) as refused:
        services.programme_save(town=town, fields=fields, programme=programme)  # type: ignore[arg-type]
    return refused.value.message_dict


def _refusal(call: object) -> str:
    with pytest.raises(VoucherRefused) as refused:
        call()  # type: ignore[operator]
    return refused.value.messages[0]


def test_a_programme_is_saved_as_a_draft_with_its_amounts_in_cents() -> None:
    town = TownFactory.create()
    programme = services.programme_save(town=town, fields=CHRISTMAS)
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.face_values_cents == [1000, 2000, 5000]
    top_up = services.programme_save(town=town, fields=replace(TOP_UP, face_values_cents=[1000]))
    assert top_up.face_values_cents == []  # a top-up is priced by what is paid and what it is worth
    assert (top_up.top_up_paid_cents, top_up.top_up_value_cents) == (2000, 3000)


def test_bad_input_gets_a_french_message_on_its_field_and_writes_nothing() -> None:
    town = TownFactory.create()
    errors = _errors(town, replace(TOP_UP, top_up_value_cents=2000, ends_on=date(2026, 10, 1)))
    assert "plus que ce qui est payé (20,00\u00a0€)" in errors["top_up_value_cents"][0]
    assert errors["ends_on"] == ["La fin des émissions ne peut pas précéder leur début."]
    errors = _errors(
        town, replace(CHRISTMAS, face_values_cents=[0, 1000], eligible_postcodes=["6120", "61200"])
    )
    assert errors["face_values_cents"] == ["Une valeur de bon doit être supérieure à 0 €."]
    assert errors["eligible_postcodes"] == ["« 6120 » n'est pas un code postal français (5 chiffres)."]
    errors = _errors(town, replace(CHRISTMAS, holder_siret="12345678901234", face_values_cents=[]))
    assert "SIRET" in errors["holder_siret"][0]
    assert errors["face_values_cents"] == ["Indiquez au moins une valeur de bon."]
    assert not Programme.objects.exists()
    services.programme_save(town=town, fields=CHRISTMAS)
    assert "adresse" in _errors(town, CHRISTMAS)["slug"][0]
    services.programme_save(town=TownFactory.create(), fields=CHRISTMAS)  # another town's slugs are its own


def test_once_vouchers_are_issued_their_prices_stay_but_a_value_can_be_added() -> None:
    town = TownFactory.create()
    programme = services.programme_save(town=town, fields=CHRISTMAS)
    services.programme_open(programme=programme, at=AT)
    services.vouchers_issue(programme=programme, beneficiary=RESIDENT, face_value_cents=2000, at=AT)
    errors = _errors(town, replace(CHRISTMAS, face_values_cents=[1000, 5000]), programme)
    assert "ne changent plus" in errors["__all__"][0]
    _errors(town, replace(CHRISTMAS, kind=ProgrammeKind.FREE), programme)
    saved = services.programme_save(
        town=town,
        fields=replace(CHRISTMAS, face_values_cents=[1000, 2000, 5000, 10000], name="Noël"),
        programme=programme,
    )
    assert (saved.name, saved.face_values_cents) == ("Noël", [1000, 2000, 5000, 10000])


def test_a_programme_is_opened_then_closed_and_never_back() -> None:
    programme = services.programme_save(town=TownFactory.create(), fields=CHRISTMAS)
    assert "passée" in _refusal(
        lambda: services.programme_open(programme=programme, at=datetime(2027, 3, 1, tzinfo=UTC))
    )
    services.programme_open(programme=programme, at=AT)
    assert programme.status == ProgrammeStatus.OPEN
    services.programme_close(programme=programme)
    assert programme.status == ProgrammeStatus.CLOSED
    assert "ne peut pas passer" in _refusal(lambda: services.programme_open(programme=programme, at=AT))
    assert "close" in _errors(programme.town, CHRISTMAS, programme)["__all__"][0]


def test_a_sale_at_the_town_hall_issues_once_per_payment(programme: Programme) -> None:
    sold = services.gift_cards_sell(
        programme=programme,
        beneficiary=Beneficiary(kind="company", key="552100554", name="Fonderie Leroy"),
        face_value_cents=5000,
        count=3,
        payment_reference="Régie 2026-118",
        at=AT,
    )
    assert len(sold) == 3
    assert {voucher.origin for voucher in sold} == {"Vente en mairie — Régie 2026-118"}
    assert "déjà été émis" in _refusal(
        lambda: services.gift_cards_sell(
            programme=programme,
            beneficiary=Beneficiary(kind="company", key="552100554"),
            face_value_cents=5000,
            count=1,
            payment_reference=" Régie 2026-118 ",
            at=AT,
        )
    )
    assert Voucher.objects.count() == 3


def test_a_months_statements_are_made_once_it_is_over(programme: Programme) -> None:
    shop = joined_shop(programme)
    voucher = services.vouchers_issue(
        programme=programme, beneficiary=RESIDENT, face_value_cents=5000, at=AT
    )[0]
    ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=1250, at=AT)
    december = date(2026, 12, 1)
    assert "1 janvier 2027" in _refusal(
        lambda: services.month_statements_make(programme=programme, month=december, at=AT)
    )
    # Midnight in Paris on 1 January is 23:00 UTC on 31 December: the month is over then.
    new_year = datetime(2026, 12, 31, 23, tzinfo=UTC)
    (statement,) = services.month_statements_make(programme=programme, month=december, at=new_year)
    assert (statement.month, statement.amount_cents) == (december, 1250)
    assert services.month_statements_make(programme=programme, month=december, at=new_year) == []


def test_months_are_on_the_towns_clock() -> None:
    start, end = month_span(date(2026, 3, 1))
    assert (start, end) == (datetime(2026, 2, 28, 23, tzinfo=UTC), datetime(2026, 3, 31, 22, tzinfo=UTC))
    assert [row[0] for row in months_between(date(2026, 11, 15), date(2027, 1, 2))] == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]


HOUSEHOLDS = (
    "Référence;Nom;Code postal\n"
    "F-001;Foyer Lefèvre;61200\n"
    "F-002;Foyer Martin;61 200\n"
    "\n"
    "F-003;;61200\n"
    "F-004;Foyer Durand;6120\n"
    "F-005;Foyer Petit;75001\n"
    "F-001;Foyer Lefèvre bis;61200\n"
    "F-009;Foyer Déjà;61200\n"
    ";Foyer sans référence;61200\n"
)


def test_the_invitations_import_reports_each_line_it_skips_and_each_duplicate() -> None:
    programme = ProgrammeFactory.create(
        kind=ProgrammeKind.FREE, invitation_only=True, eligible_postcodes=["61200"], face_values_cents=[10000]
    )
    Invitation.objects.create(programme=programme, reference="F-009", name="Foyer Déjà", postcode="61200")
    report = invitations_import(programme=programme, data=HOUSEHOLDS.encode("cp1252"))
    assert report.invited == 2
    assert [(problem.line, problem.reason) for problem in report.skipped] == [
        (5, "nom manquant"),
        (6, "« 6120 » n'est pas un code postal (5 chiffres)"),
        (7, "code postal « 75001 » hors de l'opération (61200)"),
        (10, "référence du foyer manquante"),
    ]
    assert [(problem.line, problem.reason) for problem in report.duplicates] == [
        (8, "déjà dans le fichier, ligne 2"),
        (9, "foyer déjà invité"),
    ]
    assert report.summary() == "2 foyers invités, 4 lignes écartées, 2 doublons."
    assert sorted(Invitation.objects.values_list("reference", "name")) == [
        ("F-001", "Foyer Lefèvre"),
        ("F-002", "Foyer Martin"),
        ("F-009", "Foyer Déjà"),
    ]
    # A file without a header line: reference, name, postcode in that order.
    again = invitations_import(programme=programme, data=b"F-010,Foyer Roux,61200\n")
    assert again.invited == 1
    assert again.summary().startswith("1 foyer invité,")


def test_each_waiting_invitation_gets_one_voucher_until_the_budget_is_spent() -> None:
    programme = ProgrammeFactory.create(
        kind=ProgrammeKind.FREE, invitation_only=True, face_values_cents=[10000], budget_cents=20000
    )
    for number in range(3):
        Invitation.objects.create(programme=programme, reference=f"F-{number}", name=f"Foyer {number}")
    report = invitations_issue(programme=programme, face_value_cents=10000, at=AT)
    assert report.issued == 2
    assert [(problem.reference, problem.reason) for problem in report.refused] == [
        ("F-2", "Le budget de la ville pour cette opération est épuisé (reste 0,00\u00a0€).")
    ]
    assert Voucher.objects.filter(programme=programme, town_issued_cents=10000).count() == 2
    refused = Invitation.objects.filter(used_at__isnull=True).get()
    assert (refused.reference, refused.refusal) == ("F-2", report.refused[0].reason)
    assert invitations_issue(programme=programme, face_value_cents=10000, at=AT).issued == 0
    assert [invitation.reference for invitation in selectors.invitation_counts(programme, at=AT).refused] == [
        "F-2"
    ]
    assert [v.beneficiary_key for v in selectors.sheet_vouchers(programme, invitations=True)] == [
        "F-0",
        "F-1",
    ]


def test_a_sheet_holds_eight_vouchers_a_page_with_their_codes(programme: Programme) -> None:
    vouchers = services.vouchers_issue(
        programme=programme, beneficiary=RESIDENT, face_value_cents=2000, at=AT, count=9
    )
    pdf = sheets.vouchers_sheets_pdf(
        vouchers,
        programme=programme,
        shops_address="https://centreville.example/argentan/bons/",
        encoded=lambda voucher: voucher.code,
    )
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2
    assert sheets.PER_PAGE == 8
    for voucher in vouchers[:8]:
        assert codes.code_display(voucher.code) in pages[0]
    assert codes.code_display(vouchers[8].code) in pages[1]
    assert pages[0].count("20,00 €") == 8  # the text extracted, its spaces made plain
    assert programme.name in pages[0]
    assert "Liste des commerces : https://centreville.example/argentan/bons/" in pages[1]
    assert "Valable du 12 décembre 2026 au 12 décembre 2027" in pages[1]


def test_the_town_team_finds_only_its_own_towns_vouchers(programme: Programme) -> None:
    voucher = services.vouchers_issue(
        programme=programme, beneficiary=RESIDENT, face_value_cents=1000, at=AT
    )[0]
    typed = codes.code_display(voucher.code).lower()
    assert programme.town is not None
    assert selectors.town_voucher(programme.town, typed) == voucher
    assert selectors.town_voucher(TownFactory.create(), voucher.code) is None
    assert selectors.town_voucher(programme.town, "ABCD") is None


def test_the_accounts_page_reads_months_and_years_on_the_towns_clock(programme: Programme) -> None:
    shop = joined_shop(programme)
    voucher = services.vouchers_issue(
        programme=programme, beneficiary=RESIDENT, face_value_cents=5000, at=AT
    )[0]
    # 23:30 UTC on 31 December is already January in Paris.
    ledger.voucher_spend(
        code=voucher.code, shop=shop, amount_cents=1000, at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    )
    at = datetime(2027, 1, 10, tzinfo=UTC)
    page = selectors.programme_accounts_page(programme, at=at)
    assert page.accounts.imbalance_cents == 0
    assert [category.key for category in page.chart.categories] == ["2026-11", "2026-12", "2027-01"]
    spent = next(series for series in page.chart.series if series.label == "Dépensé")
    assert [float(value or 0) for value in spent.values] == [0, 0, 10.0]
    assert [(row.year, row.volume_cents, row.outstanding_cents, row.year_over) for row in page.years] == [
        (2026, 0, 5000, True),
        (2027, 1000, 4000, False),
    ]
    assert selectors.default_statement_month(at) == date(2026, 12, 1)
    assert selectors.masked_iban("FR7630006000011234567890189") == "•••• 0189"
    assert Statement.objects.count() == 0
    assert timedelta(0) == timedelta(0)


def test_the_worker_gives_the_invitations_their_vouchers_one_issue_at_a_time(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    programme = ProgrammeFactory.create(
        kind=ProgrammeKind.FREE, invitation_only=True, face_values_cents=[5000]
    )
    for number in range(3):
        Invitation.objects.create(programme=programme, reference=f"F-{number}", name=f"Foyer {number}")

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert invitations_issue_queue(programme=programme, face_value_cents=5000, at=AT) == 3
    # Until the worker is done, the page says it is under way, and a second issue is refused.
    programme.refresh_from_db()
    assert selectors.invitation_counts(programme, at=AT + timedelta(minutes=5)).issuing
    with pytest.raises(VoucherRefused, match="déjà en cours d'émission"):
        invitations_issue_queue(programme=programme, face_value_cents=5000, at=AT + timedelta(minutes=5))
    # An issue silent for half an hour died with its worker: the page no longer waits for it.
    assert not selectors.invitation_counts(programme, at=AT + timedelta(minutes=31)).issuing

    for callback in queued:  # the worker runs the issue (at once, in tests)
        callback()

    programme.refresh_from_db()
    assert programme.invitations_queued_at is None
    assert Voucher.objects.filter(programme=programme).count() == 3
    assert not selectors.invitation_counts(programme, at=AT).waiting


def test_a_queue_out_of_reach_leaves_the_issue_to_start_again(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    programme = ProgrammeFactory.create(
        kind=ProgrammeKind.FREE, invitation_only=True, face_values_cents=[5000]
    )
    Invitation.objects.create(programme=programme, reference="F-1", name="Foyer Roux")

    class Unreachable:
        def enqueue(self, *arguments: object) -> None:
            raise ConnectionError("the task queue does not answer")

    monkeypatch.setattr(tasks, "issue_invitation_vouchers", Unreachable())
    with django_capture_on_commit_callbacks(execute=True):
        invitations_issue_queue(programme=programme, face_value_cents=5000, at=AT)

    programme.refresh_from_db()
    assert programme.invitations_queued_at is None
    assert not selectors.invitation_counts(programme, at=AT).issuing
