"""The counter in a browser, on a 360 px phone: a merchant types a voucher's code, takes 12,50 € and sees what
is left on it; an unknown code gets the French refusal; where the phone reads QR codes, the camera fills the
code from the wallet's address. French and English, axe-clean."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from centreville.accounts.models import User
from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.vouchers import codes, ledger, services, statements
from centreville.vouchers.ledger import euros
from centreville.vouchers.models import Movement, MovementKind, Voucher
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
NOW = datetime(2026, 12, 12, 9, 30, tzinfo=UTC)
IBAN = "FR7630006000011234567890189"


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)  # the live server's views read this clock


@pytest.fixture
def baker(argentan: Argentan) -> User:
    user: User = ShopMembershipFactory.create(shop=argentan.bakery, user__email="baker@example.fr").user
    return user


@pytest.fixture
def voucher(argentan: Argentan) -> Voucher:
    programme = ProgrammeFactory.create(town=argentan.town, name="Carte cadeau de Noël d'Argentan")
    services.participation_join(programme=programme, shop=argentan.bakery, iban=IBAN, at=NOW)
    beneficiary = services.Beneficiary(kind="person", key="claire@example.org", postcode="61200")
    return services.vouchers_issue(
        programme=programme, beneficiary=beneficiary, face_value_cents=5000, at=NOW
    )[0]


def _counter(new_context: NewContext, live_server: Any, baker: User, lang: str) -> Page:
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = signed_in(context, live_server, baker, lang)
    page.goto("/argentan/espace-commercant/bons/")  # one shop: its vouchers page
    page.get_by_role("link", name=translated(lang, "Encaisser un bon")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Encaisser un bon"))
    return page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_merchant_types_a_code_takes_12_50_and_sees_the_balance(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, voucher: Voucher, lang: str
) -> None:
    page = _counter(new_context, live_server, baker, lang)
    expect(page.locator("[data-voucher-scan]")).to_be_hidden()  # no camera reading here: the code is typed
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"voucher-counter-{lang}")

    page.get_by_label(translated(lang, "Code du bon")).fill(codes.code_display(voucher.code).lower())
    page.get_by_label(translated(lang, "Montant à encaisser (€)")).fill("12,50")
    page.get_by_role("button", name=translated(lang, "Encaisser"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Bon encaissé"))
    with translation.override(lang):
        taken, left = euros(1250), euros(3750)
    expect(page.locator(".voucher-result")).to_contain_text(taken)
    expect(page.locator("[data-remaining]")).to_have_text(left)
    expect(page.locator(".voucher-result")).to_contain_text("Carte cadeau de Noël d'Argentan")
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"voucher-counter-spent-{lang}")
    voucher.refresh_from_db()
    assert voucher.balance_cents == 3750
    assert Movement.objects.filter(voucher=voucher, kind=MovementKind.SPEND).count() == 1


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_unknown_code_is_refused_in_french(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, voucher: Voucher, lang: str
) -> None:
    page = _counter(new_context, live_server, baker, lang)
    page.get_by_label(translated(lang, "Code du bon")).fill(codes.code_new())
    page.get_by_label(translated(lang, "Montant à encaisser (€)")).fill("12,50")
    page.get_by_role("button", name=translated(lang, "Encaisser"), exact=True).click()

    expect(page.get_by_role("alert").first).to_have_text(
        translated(lang, "Aucun bon ne porte ce code : vérifiez-le.")
    )
    expect(page.get_by_label(translated(lang, "Montant à encaisser (€)"))).to_have_value("12,50")
    assert_accessible(page)
    assert_fits(page)
    assert not Movement.objects.filter(kind=MovementKind.SPEND).exists()


# A phone that reads QR codes: BarcodeDetector finds the wallet's address in the camera's picture.
FAKE_CAMERA = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect() { return [{ rawValue: window.__scanned }]; }
};
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return canvas.captureStream(5);
};
"""


def test_where_the_phone_reads_qr_codes_the_camera_fills_the_code(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, voucher: Voucher
) -> None:
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    wallet = f"{live_server.url}/argentan/bons/{codes.code_display(voucher.code)}/"
    context.add_init_script(f"window.__scanned = {wallet!r};" + FAKE_CAMERA)
    page = signed_in(context, live_server, baker)
    page.goto(f"/argentan/espace-commercant/bons/{argentan.bakery.slug}/encaisser/")

    page.get_by_role("button", name="Scanner le QR code").click()

    expect(page.get_by_label("Code du bon")).to_have_value(codes.code_display(voucher.code))
    expect(page.get_by_label("Montant à encaisser (€)")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Montant à encaisser (€)").fill("7")
    page.get_by_role("button", name="Encaisser", exact=True).click()
    expect(page.locator("[data-remaining]")).to_have_text("43,00 €")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_shops_voucher_page_with_a_paid_statement_fits_a_phone(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, voucher: Voucher, lang: str
) -> None:
    november = datetime(2026, 11, 20, 10, tzinfo=UTC)
    beneficiary = services.Beneficiary(kind="person", key="paul@example.org", postcode="61200")
    [bought] = services.vouchers_issue(
        programme=voucher.programme, beneficiary=beneficiary, face_value_cents=2000, at=november
    )
    ledger.voucher_spend(code=bought.code, shop=argentan.bakery, amount_cents=1240, at=november)
    [statement] = statements.statements_make(
        programme=voucher.programme,
        month=date(2026, 11, 1),
        month_end=datetime(2026, 11, 30, 23, tzinfo=UTC),
        at=NOW,
    )
    statements.statement_mark_paid(statement=statement, transfer_reference="VIR-ARGENTAN-BONS-000001", at=NOW)

    page = signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, baker, lang)
    page.goto("/argentan/espace-commercant/bons/")  # one shop: its vouchers page

    expect(page.get_by_role("main")).to_contain_text("VIR-ARGENTAN-BONS-000001")
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"voucher-shop-statements-phone-{lang}")
