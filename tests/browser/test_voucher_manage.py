"""The town team's voucher statements and accounts in a browser: early January, the manager makes December's
statements, marks one paid with its transfer's reference, and reads the reconciliation at 0,00 €, with the
monthly figures for the council as a chart and its table. French and English, axe-clean."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import FilePayload, expect

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.vouchers import ledger, services
from centreville.vouchers.models import Invitation, Programme, ProgrammeKind, Statement, StatementStatus
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, open_chart_tables, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)
BOUGHT = datetime(2026, 12, 12, 9, 30, tzinfo=UTC)
IBAN = "FR7630006000011234567890189"


@pytest.fixture
def manager(argentan: Argentan) -> User:
    user: User = TownRoleFactory.create(town=argentan.town, role=Role.MANAGER).user
    return user


@pytest.fixture
def christmas(argentan: Argentan, monkeypatch: pytest.MonkeyPatch) -> Programme:
    """Argentan's Christmas gift card, spent in December at the bakery and the bookshop."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    programme: Programme = ProgrammeFactory.create(
        town=argentan.town, name="Carte cadeau de Noël", slug="noel-2026", holder_name="Commune d'Argentan"
    )
    for shop in (argentan.bakery, argentan.bookshop):
        services.participation_join(programme=programme, shop=shop, iban=IBAN, at=BOUGHT)
    buyer = Beneficiary(kind="person", key="claire@example.org", name="Claire Martin")
    card = services.vouchers_issue(programme=programme, beneficiary=buyer, face_value_cents=5000, at=BOUGHT)[
        0
    ]
    ledger.voucher_spend(code=card.code, shop=argentan.bakery, amount_cents=1250, at=BOUGHT)
    ledger.voucher_spend(code=card.code, shop=argentan.bookshop, amount_cents=2000, at=BOUGHT)
    return programme


def _in(lang: str, cents: int) -> str:
    with translation.override(lang):
        return ledger.euros(cents)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_manager_makes_the_months_statements_pays_one_and_reads_the_accounts(
    new_context: NewContext,
    live_server: Any,
    argentan: Argentan,
    manager: User,
    christmas: Programme,
    lang: str,
) -> None:
    page = signed_in(new_context(), live_server, manager, lang)
    page.goto("/argentan/gestion/bons/")
    assert_accessible(page)
    page.get_by_role("link", name="Carte cadeau de Noël").click()
    page.get_by_role("link", name=translated(lang, "Relevés des commerçants")).click()
    month = page.get_by_label(re.compile("^" + translated(lang, "Mois")))
    expect(month).to_have_value("2026-12")  # the last month that is over
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Établir les relevés du mois")).click()

    expect(page.get_by_role("status")).to_contain_text("2")
    statements = {row.shop_id: row for row in Statement.objects.filter(programme=christmas)}
    assert {row.amount_cents for row in statements.values()} == {1250, 2000}
    bakery = statements[argentan.bakery.pk]
    expect(page.get_by_role("row", name=bakery.number)).to_contain_text(_in(lang, 1250))
    assert_accessible(page)
    screenshot(page, f"voucher-statements-{lang}")

    reference = translated(lang, "Référence du virement du relevé %(number)s") % {"number": bakery.number}
    page.get_by_label(reference).fill("VIR-2027-0042")
    page.get_by_role("button", name=f"{translated(lang, 'Marquer remboursé')} {bakery.number}").click()
    expect(page.get_by_role("row", name=bakery.number)).to_contain_text("VIR-2027-0042")
    bakery.refresh_from_db()
    assert (bakery.status, bakery.transfer_reference) == (StatementStatus.PAID, "VIR-2027-0042")
    assert_accessible(page)

    page.get_by_role("link", name=translated(lang, "Comptes"), exact=True).click()
    imbalance = translated(lang, "Écart : %(amount)s") % {"amount": _in(lang, 0)}
    expect(page.locator("#ecart")).to_have_text(imbalance)
    expect(page.get_by_role("alert")).to_have_count(0)
    spent_header = page.get_by_role("rowheader", name=translated(lang, "Dépensé"), exact=True)
    spent = page.get_by_role("row").filter(has=spent_header)
    expect(spent).to_contain_text(_in(lang, 3250))
    open_chart_tables(page)
    title = translated(lang, "Flux mensuels de l'opération")
    months = page.get_by_role("table", name=f"{title} (€)", exact=True)
    expect(months.get_by_role("rowheader")).to_have_count(3)  # November, December, January
    assert_accessible(page)
    screenshot(page, f"voucher-accounts-{lang}")
    assert date(2026, 12, 1) == bakery.month


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_manager_is_told_what_is_wrong_with_a_programme_and_finds_a_voucher(
    new_context: NewContext,
    live_server: Any,
    argentan: Argentan,
    manager: User,
    christmas: Programme,
    lang: str,
) -> None:
    page = signed_in(new_context(), live_server, manager, lang)
    page.goto("/argentan/gestion/bons/")
    page.get_by_role("link", name=translated(lang, "Préparer une opération")).click()
    page.get_by_label(translated(lang, "Nature de l'opération")).select_option("top_up")
    page.get_by_label(re.compile("^" + translated(lang, "Nom"))).first.fill("Payez 20 €, dépensez 30 €")
    page.get_by_label(translated(lang, "Adresse (lettres, chiffres et tirets)")).fill("coup-de-pouce")
    page.get_by_label(re.compile("^" + translated(lang, "Porteur de l'opération"))).fill("Commune d'Argentan")
    page.get_by_label(translated(lang, "Bon abondé : payez (€)")).fill("20")
    page.get_by_label(translated(lang, "Bon abondé : dépensez (€)")).fill("20")
    page.get_by_label(re.compile("^" + translated(lang, "Début des émissions"))).fill("2027-01-10")
    page.get_by_label(re.compile("^" + translated(lang, "Fin des émissions"))).fill("2027-01-02")
    page.get_by_role("button", name=translated(lang, "Enregistrer")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.locator(".field-error")).to_have_count(2)  # what is paid, the dates
    assert_accessible(page)
    screenshot(page, f"voucher-programme-errors-{lang}")

    card = christmas.vouchers.get()
    page.goto("/argentan/gestion/bons/")
    lookup = page.get_by_role("form", name=translated(lang, "Retrouver un bon"))
    lookup.get_by_label(re.compile("^" + translated(lang, "Code du bon"))).fill(card.code.lower())
    lookup.get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(card.code[:4])
    expect(page.get_by_role("table")).to_contain_text("Boulangerie du Marché")
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_manager_invites_households_and_the_worker_gives_their_vouchers(
    new_context: NewContext,
    live_server: Any,
    argentan: Argentan,
    manager: User,
    lang: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    programme: Programme = ProgrammeFactory.create(
        town=argentan.town,
        name="Bon de rentrée",
        slug="rentree-2027",
        kind=ProgrammeKind.FREE,
        invitation_only=True,
        face_values_cents=[5000],
        budget_cents=5000,  # one voucher: the second household is refused, and told why
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 1, 31),
    )
    page = signed_in(new_context(), live_server, manager, lang)
    page.goto(f"/argentan/gestion/bons/{programme.pk}/")
    page.get_by_role("link", name=translated(lang, "Invitations"), exact=True).click()
    households = "reference;nom;code_postal\nF-1;Foyer Lefèvre;61200\nF-2;Foyer Martin;61200\n"
    page.get_by_label(translated(lang, "Fichier des foyers (CSV)")).set_input_files(
        files=FilePayload(name="foyers.csv", mimeType="text/csv", buffer=households.encode())
    )
    page.get_by_role("button", name=translated(lang, "Importer")).click()
    expect(page.get_by_role("heading", name=translated(lang, "Rapport de l'import"))).to_be_visible()
    assert_accessible(page)

    # The worker gives the vouchers (at once here): the page comes back with what it did.
    page.get_by_role("button", name=re.compile(re.escape(translated(lang, "Émettre les bons")))).click()

    main = page.get_by_role("main")
    with translation.override(lang):
        launched = translation.ngettext(
            "Émission des bons lancée pour %(count)d foyer : cette page montre où elle en est.",
            "Émission des bons lancée pour %(count)d foyers : cette page montre où elle en est.",
            2,
        ) % {"count": 2}
    expect(main).to_contain_text(launched)
    expect(main.get_by_role("heading", name=translated(lang, "Foyers sans bon, et pourquoi"))).to_be_visible()
    refused = main.get_by_role("listitem").filter(has_text="F-2")
    expect(refused).to_contain_text("Foyer Martin")
    link = translated(lang, "Imprimer les bons des foyers invités (PDF, A4)")
    expect(page.get_by_role("link", name=link)).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"voucher-invitations-issued-{lang}")
    assert list(Invitation.objects.filter(used_at__isnull=False).values_list("reference", flat=True)) == [
        "F-1"
    ]
