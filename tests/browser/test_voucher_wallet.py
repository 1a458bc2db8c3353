"""A resident's voucher in a browser, on a 360 px phone: from the town's programmes page they type their code
in « Consulter mon solde », read the balance, each share with its last day, the history and the QR code to
show at the counter. French and English, axe-clean; the form works without JavaScript; on paper, the page
keeps the QR code and the code without the site's navigation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from playwright.sync_api import BrowserContext, expect

from centreville.vouchers import codes, ledger, services
from centreville.vouchers.models import ProgrammeKind, Voucher
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# A Saturday in December, late morning in Argentan; the live server runs in this process and reads this clock.
NOW = datetime(2026, 12, 12, 10, 30, tzinfo=UTC)
IBAN = "FR7630006000011234567890189"


@pytest.fixture
def voucher(argentan: Argentan, monkeypatch: pytest.MonkeyPatch) -> Voucher:
    """Argentan's « pay 20 €, spend 30 € » top-up, its two shops, and a voucher spent once at the bakery."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    programme = ProgrammeFactory.create(
        town=argentan.town,
        name="Payez 20 €, dépensez 30 €",
        slug="payez-20-depensez-30",
        kind=ProgrammeKind.TOP_UP,
        face_values_cents=[],
        top_up_paid_cents=2000,
        top_up_value_cents=3000,
        holder_name="Commune d'Argentan",
    )
    for shop in (argentan.bakery, argentan.bookshop):
        services.participation_join(programme=programme, shop=shop, iban=IBAN, at=NOW - timedelta(days=30))
    beneficiary = Beneficiary(kind="person", key="claire@example.fr", name="Claire", postcode="61200")
    issued = services.vouchers_issue(
        programme=programme, beneficiary=beneficiary, face_value_cents=0, at=NOW - timedelta(days=5)
    )[0]
    ledger.voucher_spend(
        code=issued.code, shop=argentan.bakery, amount_cents=1250, at=NOW - timedelta(days=2), reference="41"
    )
    issued.refresh_from_db()
    # The pages rendered once in the server's process (templates compiled): the browser's first visit is
    # not the slowest.
    for path in ("/argentan/", "/argentan/bons/", f"/argentan/bons/carte/{issued.code}/"):
        assert Client().get(path).status_code == 200
    return issued


def _phone(new_context: NewContext, live_server: Any, lang: str, **options: Any) -> BrowserContext:
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, **options)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    return context


def _euros(lang: str, cents: int) -> str:
    with translation.override(lang):
        return ledger.euros(cents)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_resident_checks_their_balance_and_shows_the_qr_code(
    new_context: NewContext, live_server: Any, argentan: Argentan, voucher: Voucher, lang: str
) -> None:
    page = _phone(new_context, live_server, lang).new_page()

    page.goto("/argentan/")
    page.get_by_role("link", name=translated(lang, "Bons d'achat")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Argentan")
    expect(page.get_by_role("heading", name="Payez 20 €, dépensez 30 €")).to_be_visible()
    expect(page.get_by_role("link", name=argentan.bakery.name).first).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"vouchers-programmes-{lang}")

    # A mistyped symbol first: the check symbol catches it, in words.
    typed = codes.code_display(voucher.code).lower()
    wrong = typed[:-1] + ("x" if typed[-1] != "x" else "y")
    page.get_by_label(translated(lang, "Code du bon")).fill(wrong)
    page.get_by_role("button", name=translated(lang, "Voir mon solde")).click()
    mistyped = translated(
        lang, "Ce code n'est pas celui d'un bon : vérifiez chaque caractère (16 chiffres et lettres)."
    )
    expect(page.get_by_role("alert")).to_contain_text(mistyped)
    assert_accessible(page)

    page.get_by_label(translated(lang, "Code du bon")).fill(typed)
    page.get_by_role("button", name=translated(lang, "Voir mon solde")).click()

    expect(page).to_have_url(f"{live_server.url}/argentan/bons/carte/{voucher.code}/")
    balance = page.locator(".voucher-balance")
    expect(balance).to_have_text(_euros(lang, 1750))
    giver = translated(lang, "la ville")
    pots = page.locator(".voucher-pots")
    # The day stands anywhere in the sentence (at its end in French, in its middle in English).
    before_day, after_day = translated(
        lang, "dont %(amount)s payés, à dépenser au plus tard le %(day)s"
    ).split("%(day)s")
    expect(pots).to_contain_text((before_day % {"amount": _euros(lang, 1750)}).strip())
    expect(pots).to_contain_text(after_day.strip())
    expect(pots).to_contain_text(
        translated(lang, "Les %(amount)s offerts par %(giver)s ont été dépensés.")
        % {"amount": _euros(lang, 1000), "giver": giver}
    )
    qr = page.get_by_role("img", name=translated(lang, "QR code du bon, à présenter en caisse"))
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] >= 200  # big enough for a counter's phone to read
    for group in codes.code_display(voucher.code).split("-"):
        expect(page.locator(".voucher-code")).to_contain_text(group)
    history = page.get_by_role("table")
    expect(history).to_contain_text(argentan.bakery.name)
    expect(history).to_contain_text("\u2212" + _euros(lang, 1250))
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"vouchers-wallet-{lang}")

    # On paper: the QR code and the code, without the site's header and footer.
    page.emulate_media(media="print")
    expect(qr).to_be_visible()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()


def test_the_balance_form_works_without_javascript(
    new_context: NewContext, live_server: Any, argentan: Argentan, voucher: Voucher
) -> None:
    page = _phone(new_context, live_server, "fr", java_script_enabled=False).new_page()

    page.goto("/argentan/bons/payez-20-depensez-30/")
    page.get_by_label("Code du bon").fill(codes.code_new())
    page.get_by_role("button", name="Voir mon solde").click()
    expect(page.get_by_text("Aucun bon ne porte ce code : vérifiez-le.")).to_be_visible()
    page.get_by_label("Code du bon").fill(codes.code_display(voucher.code))
    page.get_by_role("button", name="Voir mon solde").click()

    expect(page.locator(".voucher-balance")).to_have_text("17,50 €")
    expect(page.locator(".voucher-pots")).to_contain_text(
        "dont 17,50 € payés, à dépenser au plus tard le 7 décembre 2027"
    )
    expect(page.locator(".voucher-qr svg")).to_be_visible()
