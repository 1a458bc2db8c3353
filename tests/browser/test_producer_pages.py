"""A producer's back-office in a browser, French and English, axe-clean: quick taps on a lot's quantity,
pickup places, a lot's form, an order adjusted then collected and another refused, members added and
removed; and the town team choosing the producers its space shows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue.tests.factories import ProductCategoryFactory
from centreville.enterprises.models import Enterprise, PickupPlace, SpaceProducer
from centreville.enterprises.tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    SpaceProducerFactory,
)
from centreville.invoicing.models import Invoice
from centreville.lots.models import Lot, LotPrice
from centreville.lots.tests.factories import LotFactory
from centreville.towns.tests.factories import TownFactory
from centreville.wholesale.checkout import place_orders
from centreville.wholesale.models import OrderStatus
from centreville.wholesale.tests.scenario import AT, scenario

from .conftest import NewContext
from .helpers import DESKTOP, assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def decimal_in(lang: str, text: str) -> str:
    """A decimal as a person types it in `lang`: « 1,80 » in French, « 1.80 » in English."""
    return text if lang == "fr" else text.replace(",", ".")


@pytest.fixture
def farm() -> Enterprise:
    farm: Enterprise = EnterpriseFactory.create(name="Ferme du Bourg", slug="ferme-du-bourg")
    return farm


def grower_page(new_context: NewContext, live_server: Any, farm: Enterprise, lang: str) -> Page:
    grower = UserFactory.create()
    EnterpriseMemberFactory.create(enterprise=farm, user=grower, is_owner=True)
    return signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, grower, lang)


def test_every_quick_tap_on_a_quantity_counts(
    new_context: NewContext, live_server: Any, farm: Enterprise, lang: str
) -> None:
    carrots = LotFactory.create(
        enterprise=farm, title="Carottes", quantity_available=Decimal("10"), quantity_step=Decimal("2")
    )
    page = grower_page(new_context, live_server, farm, lang)
    page.goto("/pro/ferme-du-bourg/lots/")
    quantity = page.locator(f"#lot-{carrots.pk} .lot-quantity strong")
    expect(quantity).to_have_text("10")

    # A double tap is two steps: the second tap waits behind the first instead of being dropped.
    page.locator(f"#lot-{carrots.pk}-plus").dblclick()
    expect(quantity).to_have_text("14")
    # Three quick taps, the last one taking away, each counted once and in order.
    plus, minus = page.locator(f"#lot-{carrots.pk}-plus"), page.locator(f"#lot-{carrots.pk}-moins")
    plus.click()
    plus.click()
    minus.click()
    expect(quantity).to_have_text("16")
    page.wait_for_load_state("networkidle")
    carrots.refresh_from_db()
    assert carrots.quantity_available == Decimal("16")
    # The buttons stay in the page: the focus is where the thumb left it.
    expect(minus).to_be_focused()
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"producer-double-tap-{lang}")


def test_a_producer_adds_edits_closes_and_reopens_a_pickup_place(
    new_context: NewContext, live_server: Any, farm: Enterprise, lang: str
) -> None:
    page = grower_page(new_context, live_server, farm, lang)
    page.goto("/pro/ferme-du-bourg/")
    page.get_by_role("link", name=translated(lang, "Lieux de retrait"), exact=True).click()
    page.wait_for_url("**/pro/ferme-du-bourg/lieux/")
    main = page.get_by_role("main")
    main.locator("[name=name]").fill("Marché d'Argentan")
    main.locator("[name=opening_hours]").fill("Tu-Fr 09:00-12:00 / 14:00-19:00")
    main.get_by_role("button", name=translated(lang, "Ajouter le lieu")).click()
    expect(main.locator("#id_opening_hours_error")).to_contain_text("Tu-Fr 09:00-12:00 / 14:00-19:00")
    assert not PickupPlace.objects.exists()
    assert_accessible(page)

    main.locator("[name=opening_hours]").fill("Th 08:00-12:30")
    main.get_by_role("button", name=translated(lang, "Ajouter le lieu")).click()
    place = PickupPlace.objects.get()
    card = main.locator(".card").filter(has_text="Marché d'Argentan")
    expect(card).to_contain_text("12:30")

    card.get_by_role("link", name=translated(lang, "Modifier")).click()
    page.wait_for_url(f"**/pro/ferme-du-bourg/lieux/{place.pk}/")
    assert_accessible(page)
    main.locator("[name=opening_hours]").fill("Th 08:00-12:30; Sa 08:00-12:00")
    main.get_by_role("button", name=translated(lang, "Enregistrer")).click()
    page.wait_for_url("**/pro/ferme-du-bourg/lieux/")
    place.refresh_from_db()
    assert place.opening_hours == "Th 08:00-12:30; Sa 08:00-12:00"

    card.get_by_role("link", name=translated(lang, "Fermer ce lieu")).click()
    page.wait_for_url(f"**/pro/ferme-du-bourg/lieux/{place.pk}/fermer/")
    place.refresh_from_db()
    assert place.is_active  # the page only asks
    assert_accessible(page)
    main.get_by_role("button", name=translated(lang, "Oui, fermer ce lieu")).click()
    page.wait_for_url("**/pro/ferme-du-bourg/lieux/")
    closed = main.locator(f"#lieu-ferme-{place.pk}")
    expect(closed).to_contain_text("Marché d'Argentan")
    place.refresh_from_db()
    assert not place.is_active
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"producer-place-closed-{lang}")

    closed.get_by_role("button").click()
    expect(main.locator(".card").filter(has_text="Marché d'Argentan")).to_contain_text("12:30")
    expect(main.locator(f"#lieu-ferme-{place.pk}")).to_have_count(0)
    place.refresh_from_db()
    assert place.is_active


def test_a_producer_creates_a_lot_by_the_case_then_sells_it_by_weight(
    new_context: NewContext, live_server: Any, farm: Enterprise, lang: str
) -> None:
    vegetables = ProductCategoryFactory.create(name="Fruits et légumes", slug="fruits-legumes")
    page = grower_page(new_context, live_server, farm, lang)
    page.goto("/pro/ferme-du-bourg/")
    page.get_by_role("link", name=translated(lang, "Mes lots")).click()
    page.get_by_role("link", name=translated(lang, "Nouveau lot")).click()
    main = page.get_by_role("main")
    main.locator("[name=category]").select_option(str(vegetables.pk))
    main.locator("[name=title]").fill("Chou-fleur")
    main.locator("[name=unit]").select_option("piece")
    main.locator("[name=case_size]").fill("6")
    main.locator("[name=quantity_available]").fill("10")
    main.locator("[name=unit_price]").fill(decimal_in(lang, "1,80"))
    main.locator("[name=prix_restaurant]").fill(decimal_in(lang, "1,50"))
    main.locator("[name=prix_canteen]").fill("0")
    assert_fits(page)
    assert_accessible(page)
    main.get_by_role("button", name=translated(lang, "Enregistrer")).click()

    # A zero price is refused beside its field, and nothing is written.
    expect(main.locator("#id_prix_canteen_error")).to_be_visible()
    assert not Lot.objects.exists()
    main.locator("[name=prix_canteen]").fill("")
    main.get_by_role("button", name=translated(lang, "Enregistrer")).click()
    page.wait_for_url("**/pro/ferme-du-bourg/lots/#lot-*")
    lot = Lot.objects.get()
    assert (lot.case_size, lot.quantity_available, lot.unit_price) == (6, 10, Decimal("1.8"))
    assert list(LotPrice.objects.values_list("buyer_category", "unit_price")) == [
        ("restaurant", Decimal("1.5"))
    ]
    expect(main.locator(f"#lot-{lot.pk} .lot-quantity")).to_contain_text("10")
    expect(main.locator(f"#lot-{lot.pk} .lot-quantity")).to_contain_text("6 ×")

    main.get_by_role("link", name="Chou-fleur").click()
    # The figures as they were typed, not « 10,000 ».
    expect(main.locator("[name=quantity_available]")).to_have_value("10")
    expect(main.locator("[name=unit_price]")).to_have_value(decimal_in(lang, "1,8"))
    main.locator("[name=variable_weight]").check()
    main.get_by_role("button", name=translated(lang, "Enregistrer")).click()
    expect(main.locator("#id_case_size_error")).to_contain_text(
        translated(lang, "Un lot à poids variable ne se vend pas au colis.")
    )
    assert_accessible(page)
    main.locator("[name=case_size]").fill("")
    main.locator("[name=estimated_weight]").fill(decimal_in(lang, "0,8"))
    main.get_by_role("button", name=translated(lang, "Enregistrer")).click()
    page.wait_for_url("**/pro/ferme-du-bourg/lots/#lot-*")
    lot.refresh_from_db()
    assert (lot.variable_weight, lot.case_size, lot.estimated_weight) == (True, None, Decimal("0.8"))
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"producer-lot-saved-{lang}")


def test_a_producer_adjusts_an_order_collects_it_and_refuses_another(
    new_context: NewContext, live_server: Any, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: AT)
    given = scenario()
    chicken = LotFactory.create(
        enterprise=given.farm, title="Poulet fermier", unit="piece", variable_weight=True,
        estimated_weight=Decimal("1.8"), quantity_available=Decimal("10"), minimum_quantity=Decimal("1"),
    )  # fmt: skip
    [kept] = place_orders(
        buyer=given.buyer,
        wanted=[(given.carrots.pk, Decimal("10")), (chicken.pk, Decimal("2"))],
        choices={given.farm.pk: given.farm_choice()},
        at=AT,
    )
    [refused] = place_orders(
        buyer=given.buyer,
        wanted=[(given.carrots.pk, Decimal("5"))],
        choices={given.farm.pk: given.farm_choice()},
        at=AT,
    )
    page = signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, given.farm_user, lang)

    page.goto(f"/pro/{given.farm.slug}/commandes/{kept.reference}/")
    main = page.get_by_role("main")
    main.get_by_role("button", name=translated(lang, "Accepter")).click()
    expect(page.get_by_role("status")).to_contain_text(kept.reference)
    carrots_line = kept.lines.get(lot=given.carrots)
    chicken_line = kept.lines.get(lot=chicken)
    main.locator(f"#remis-{carrots_line.pk}").fill("8")
    main.locator(f"#poids-{chicken_line.pk}").fill(decimal_in(lang, "3,65"))
    assert_accessible(page)
    main.get_by_role("button", name=translated(lang, "Enregistrer")).click()
    expect(page.get_by_role("status")).to_contain_text(
        translated(lang, "Les quantités remises sont enregistrées.")
    )
    carrots_line.refresh_from_db()
    chicken_line.refresh_from_db()
    assert (carrots_line.delivered_quantity, chicken_line.final_weight) == (8, Decimal("3.65"))

    main.get_by_role("button", name=translated(lang, "Marquer prête")).click()
    expect(page.get_by_role("status")).to_contain_text(kept.reference)
    main.get_by_role("button", name=translated(lang, "Remise à l'acheteur")).click()
    expect(page.get_by_role("status")).to_contain_text(kept.reference)
    kept.refresh_from_db()
    assert kept.status == OrderStatus.COLLECTED
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"producer-order-collected-{lang}")
    # The invoice issued at the hand-over is one tap away.
    main.get_by_role("link", name=translated(lang, "Voir mes factures")).click()
    invoice = Invoice.objects.get(order=kept)
    expect(page.get_by_role("main")).to_contain_text(invoice.number)

    page.goto(f"/pro/{given.farm.slug}/commandes/{refused.reference}/")
    main.get_by_label(translated(lang, "Motif du refus (l'acheteur le lira)")).fill("Plus de carottes.")
    main.get_by_role("button", name=translated(lang, "Refuser")).click()
    expect(page.get_by_role("status")).to_contain_text(refused.reference)
    expect(main).to_contain_text("Plus de carottes.")
    refused.refresh_from_db()
    assert (refused.status, refused.refusal_reason) == (OrderStatus.REFUSED, "Plus de carottes.")
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"producer-order-refused-{lang}")


def test_the_town_team_shows_then_hides_a_producer(
    new_context: NewContext, live_server: Any, lang: str
) -> None:
    town = TownFactory.create(name="Argentan", slug="argentan", postcodes=["61200"])
    shown = EnterpriseFactory.create(name="Ferme du Bourg", latitude=Decimal("48.767000"))
    other = EnterpriseFactory.create(name="Miellerie du Houlme", latitude=Decimal("48.800000"))
    SpaceProducerFactory.create(town=town, enterprise=shown)
    manager = TownRoleFactory.create(town=town, role=Role.MANAGER).user
    page = signed_in(new_context(viewport=DESKTOP), live_server, manager, lang)

    page.goto("/argentan/gestion/producteurs/")
    two_and_a_half = "2,5 km" if lang == "fr" else "2.5 km"
    # The same distance in both lists.
    expect(page.locator(f"#montre-{shown.pk}")).to_contain_text(two_and_a_half)
    expect(page.locator(f"#autour-{shown.pk}")).to_contain_text(two_and_a_half)
    assert_accessible(page)

    page.locator(f"#autour-{other.pk}").get_by_role("button").click()
    expect(page.locator(f"#montre-{other.pk}")).to_contain_text("Miellerie du Houlme")
    page.locator(f"#montre-{shown.pk}").get_by_role("button").click()
    expect(page.locator(f"#montre-{shown.pk}")).to_have_count(0)
    assert list(SpaceProducer.objects.values_list("enterprise__name", flat=True)) == ["Miellerie du Houlme"]
    assert_accessible(page)
    screenshot(page, f"town-producers-{lang}")


def test_an_owner_adds_a_member_and_removes_them(
    new_context: NewContext, live_server: Any, farm: Enterprise, lang: str
) -> None:
    colleague = UserFactory.create(email="paul@example.fr")
    page = grower_page(new_context, live_server, farm, lang)
    page.goto("/pro/ferme-du-bourg/")
    page.get_by_role("link", name=translated(lang, "Membres"), exact=True).click()
    main = page.get_by_role("main")

    main.locator("[name=email]").fill("personne@example.fr")
    main.get_by_role("button", name=translated(lang, "Ajouter"), exact=True).click()
    expect(main.locator("#id_email_error")).to_contain_text("personne@example.fr")
    assert_accessible(page)

    main.locator("[name=email]").fill("Paul@Example.fr")
    main.get_by_role("button", name=translated(lang, "Ajouter"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("paul@example.fr")
    assert farm.members.filter(user=colleague).exists()
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"producer-members-{lang}")

    main.get_by_role("link", name=f"{translated(lang, 'Retirer')} : paul@example.fr").click()
    assert farm.members.filter(user=colleague).exists()  # the page only asks
    assert_accessible(page)
    main.get_by_role("button", name=translated(lang, "Oui, retirer ce membre")).click()
    expect(page.get_by_role("status")).to_contain_text("paul@example.fr")
    expect(main.locator(".card").filter(has_text="paul@example.fr")).to_have_count(0)
    assert not farm.members.filter(user=colleague).exists()
