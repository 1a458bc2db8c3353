"""The residents' voucher pages: the programmes, one programme, the « Consulter mon solde » form and its
throttle, and a voucher's own page (balance, shares, history, QR code, a private secret link)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from centreville.core.access import Kind, access_registry
from centreville.shops.models import Shop, ShopStatus
from centreville.towns.tests.factories import TerritoryFactory, TownFactory
from centreville.vouchers import codes, ledger, services
from centreville.vouchers.models import Participation, Programme, ProgrammeStatus, Voucher
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory
from centreville.vouchers.views_public import BALANCE_GUESSES_PER_HOUR, qr_svg

from .conftest import AT, joined_shop

pytestmark = pytest.mark.django_db

RESIDENT = Beneficiary(kind="person", key="claire@example.org", name="Claire Martin", postcode="61200")


@pytest.fixture(autouse=True)
def clock(page_clock: Callable[[datetime], None]) -> None:
    page_clock(AT)
    cache.clear()


def _issue(programme: Programme, face: int = 5000, at: datetime = AT) -> Voucher:
    return services.vouchers_issue(programme=programme, beneficiary=RESIDENT, face_value_cents=face, at=at)[0]


def _wallet_url(programme: Programme, code: str) -> str:
    assert programme.town is not None
    return reverse("vouchers_public:wallet", args=[programme.town.slug, code])


def _text(response: object) -> str:
    """The page's text, tags taken out and spaces collapsed, to read sentences across markup."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# --- The programmes ------------------------------------------------------------------------------------


def test_the_programmes_page_lists_open_programmes_and_only_the_shops_that_take_them(
    programme: Programme, shop: Shop, top_up: Programme, django_assert_max_num_queries: object
) -> None:
    town = programme.town
    assert town is not None
    Programme.objects.filter(pk=top_up.pk).update(town=town)
    top_up.refresh_from_db()
    left = joined_shop(programme, name="Boutique partie")
    services.participation_leave(participation=Participation.objects.get(programme=programme, shop=left))
    draft = joined_shop(programme, name="Boutique en préparation")
    Shop.objects.filter(pk=draft.pk).update(status=ShopStatus.DRAFT)
    chain = joined_shop(programme, name="Chaîne nationale")
    Shop.objects.filter(pk=chain.pk).update(is_independent=False)
    ProgrammeFactory.create(town=town, name="Opération en préparation", status=ProgrammeStatus.DRAFT)
    ProgrammeFactory.create(name="Carte d'une autre ville")

    with django_assert_max_num_queries(4):  # type: ignore[operator]
        response = Client().get(f"/{town.slug}/bons/")

    assert response.status_code == 200
    text = _text(response)
    assert programme.name in text
    assert top_up.name in text
    assert "Carte cadeau" in text
    assert "Payez 20 €, dépensez 30 €" in text
    assert "Valeurs : 10 €, 20 € ou 50 €." in text
    assert "La part offerte est à dépenser au plus tard le 31 décembre 2026." in text
    assert "Commune d'Argentan" in text  # where to get it
    assert shop.name in text
    assert shop.street_address in text
    assert shop.category.name in text
    assert reverse("catalogue:shop", args=[town.slug, shop.slug]) in response.content.decode()
    for hidden in ("Boutique partie", "Boutique en préparation", "Chaîne nationale"):
        assert hidden not in text
    assert "Opération en préparation" not in text
    assert "Carte d'une autre ville" not in text
    assert "Consulter mon solde" in text


def test_a_town_shows_its_territory_programmes_and_a_territory_its_towns(db: None) -> None:
    territory = TerritoryFactory.create()
    town = TownFactory.create(territory=territory)
    neighbour = TownFactory.create(territory=territory)
    shared = ProgrammeFactory.create(town=None, territory=territory, name="Chèque du territoire")
    ProgrammeFactory.create(town=neighbour, name="Carte de la ville voisine")
    elsewhere = joined_shop(ProgrammeFactory.create(town=neighbour))
    services.participation_join(programme=shared, shop=elsewhere, iban="FR7630006000011234567890189", at=AT)

    in_town = _text(Client().get(f"/{town.slug}/bons/"))
    in_territory = _text(Client().get(f"/{territory.slug}/bons/"))

    assert "Chèque du territoire" in in_town
    assert elsewhere.name in in_town
    assert "Carte de la ville voisine" not in in_town
    assert "Chèque du territoire" in in_territory
    assert "Carte de la ville voisine" in in_territory


def test_a_town_programme_comes_before_its_territory_one_of_the_same_address(db: None) -> None:
    territory = TerritoryFactory.create()
    town = TownFactory.create(territory=territory)
    ProgrammeFactory.create(town=None, territory=territory, slug="noel", name="Chèque du territoire")
    ProgrammeFactory.create(town=town, slug="noel", name="Carte de la ville")

    in_town = _text(Client().get(f"/{town.slug}/bons/noel/"))
    in_territory = _text(Client().get(f"/{territory.slug}/bons/noel/"))

    assert "Carte de la ville" in in_town
    assert "Chèque du territoire" in in_territory


def test_a_programme_page_gives_its_rules_values_validity_and_shops(
    top_up: Programme, django_assert_max_num_queries: object
) -> None:
    Programme.objects.filter(pk=top_up.pk).update(
        rules="Aucune monnaie n'est rendue sur la part offerte.", cap_per_person_cents=9000
    )
    shop = joined_shop(top_up)
    assert top_up.town is not None

    with django_assert_max_num_queries(4):  # type: ignore[operator]
        response = Client().get(f"/{top_up.town.slug}/bons/{top_up.slug}/")

    text = _text(response)
    assert response.status_code == 200
    assert "Vous payez 20 €, la ville ajoute 10 € : vous dépensez 30 €." in text
    assert "Ce que vous payez reste valable 12 mois après l'achat." in text
    assert "Au plus 90 € par personne." in text
    assert "Aucune monnaie n'est rendue sur la part offerte." in text
    assert "1 commerce participant" in text
    assert shop.name in text
    assert f'href="/{top_up.town.slug}/bons/acheter/{top_up.slug}/"' in response.content.decode()
    assert Client().get(f"/{top_up.town.slug}/bons/inconnue/").status_code == 404


def test_a_closed_programme_has_no_page(programme: Programme) -> None:
    Programme.objects.filter(pk=programme.pk).update(status=ProgrammeStatus.CLOSED)
    assert programme.town is not None

    assert Client().get(f"/{programme.town.slug}/bons/{programme.slug}/").status_code == 404
    assert programme.name not in _text(Client().get(f"/{programme.town.slug}/bons/"))


# --- « Consulter mon solde » ---------------------------------------------------------------------------


def test_the_balance_form_leads_to_the_voucher_page(programme: Programme) -> None:
    voucher = _issue(programme)
    assert programme.town is not None
    typed = codes.code_display(voucher.code).lower()

    response = Client().get(f"/{programme.town.slug}/bons/{programme.slug}/", {"code": typed})

    assert response.status_code == 302
    assert response["Location"] == _wallet_url(programme, voucher.code)
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Saisissez le code inscrit sur votre bon."),
        ("ABCD-1234", "Ce code n'est pas celui d'un bon : vérifiez chaque caractère"),
        (None, "Aucun bon ne porte ce code : vérifiez-le."),
    ],
)
def test_the_balance_form_says_what_is_wrong_in_french(
    programme: Programme, typed: str | None, message: str
) -> None:
    _issue(programme)
    assert programme.town is not None
    code = codes.code_new() if typed is None else typed

    response = Client().get(f"/{programme.town.slug}/bons/", {"code": code})

    assert response.status_code == 400
    assert message in _text(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_voucher_of_another_town_is_not_found_from_this_one(programme: Programme) -> None:
    voucher = _issue(programme)
    other = TownFactory.create()

    response = Client().get(f"/{other.slug}/bons/", {"code": voucher.code})

    assert response.status_code == 400
    assert "Aucun bon ne porte ce code" in _text(response)
    assert Client().get(f"/{other.slug}/bons/carte/{voucher.code}/").status_code == 404


def test_wrong_codes_are_throttled_per_address_with_a_french_message(programme: Programme) -> None:
    voucher = _issue(programme)
    assert programme.town is not None
    page = f"/{programme.town.slug}/bons/"
    guesser = Client(REMOTE_ADDR="203.0.113.7")

    for _attempt in range(BALANCE_GUESSES_PER_HOUR):
        assert guesser.get(page, {"code": codes.code_new()}).status_code == 400
    refused = guesser.get(page, {"code": voucher.code})

    assert refused.status_code == 429
    assert "Trop de codes erronés ont été essayés depuis votre connexion" in _text(refused)
    # A blank form is no guess, and another address is not held back.
    assert Client(REMOTE_ADDR="198.51.100.2").get(page, {"code": voucher.code}).status_code == 302


def test_an_empty_form_is_not_counted_as_a_guess(programme: Programme) -> None:
    voucher = _issue(programme)
    assert programme.town is not None
    page = f"/{programme.town.slug}/bons/"
    client = Client(REMOTE_ADDR="203.0.113.8")

    for _attempt in range(BALANCE_GUESSES_PER_HOUR + 5):
        client.get(page, {"code": ""})

    assert client.get(page, {"code": voucher.code}).status_code == 302


# --- A voucher's page ----------------------------------------------------------------------------------


def test_the_voucher_page_shows_balance_shares_history_and_the_qr_code(
    top_up: Programme, django_assert_max_num_queries: object
) -> None:
    bakery = joined_shop(top_up, name="Boulangerie du Marché")
    books = joined_shop(top_up, name="Librairie des Halles")
    voucher = _issue(top_up, at=AT - timedelta(days=3))
    ledger.voucher_spend(code=voucher.code, shop=bakery, amount_cents=450, at=AT - timedelta(days=2))
    spend = ledger.voucher_spend(code=voucher.code, shop=books, amount_cents=1500, at=AT - timedelta(days=1))
    ledger.voucher_spend_refund(spend=spend, amount_cents=500, at=AT - timedelta(hours=5))
    url = _wallet_url(top_up, voucher.code)

    with django_assert_max_num_queries(4):  # type: ignore[operator]
        response = Client().get(url)

    assert response.status_code == 200
    text = _text(response)
    # 30 € issued, 4,50 € then 15 € spent (the town's 10 € first), 5 € given back to the paid share.
    assert "Ce bon est valable" in text
    assert "15,50 €" in text
    assert "dont 15,50 € payés, à dépenser au plus tard le 9 décembre 2027" in text
    assert "Les 10,00 € offerts par la ville ont été dépensés." in text
    for line in ("Bon émis", "+30,00 €", "Boulangerie du Marché", "\u22124,50 €", "Librairie des Halles"):
        assert line in text
    assert "Achat annulé, recrédité" in text
    assert "+5,00 €" in text
    code = codes.code_display(voucher.code).split("-")
    assert " ".join(code) in text
    # The QR code holds the page's own absolute address, the code at its end.
    html = response.content.decode()
    assert qr_svg(f"http://testserver{url}", label="QR code du bon, à présenter en caisse") in html
    # The page is a secret link: never indexed, never kept by a shared cache, never sent as a Referer.
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_the_qr_code_holds_the_page_address_on_the_programme_town_whatever_the_space(db: None) -> None:
    territory = TerritoryFactory.create()
    town = TownFactory.create(territory=territory)
    programme = ProgrammeFactory.create(town=town)
    voucher = _issue(programme)
    own_address = f"http://testserver/{town.slug}/bons/carte/{voucher.code}/"

    page = Client().get(f"/{territory.slug}/bons/carte/{voucher.code}/")

    assert page.status_code == 200
    assert qr_svg(own_address, label="QR code du bon, à présenter en caisse") in page.content.decode()


@pytest.mark.parametrize("expiry_task_ran", [False, True])
def test_a_town_share_past_its_day_shows_expired_and_the_rest_spendable(
    top_up: Programme, page_clock: Callable[[datetime], None], expiry_task_ran: bool
) -> None:
    voucher = _issue(top_up)
    in_january = datetime(2027, 1, 5, 10, tzinfo=UTC)
    if expiry_task_ran:
        ledger.vouchers_expire(at=in_january)
    page_clock(in_january)

    text = _text(Client().get(_wallet_url(top_up, voucher.code)))

    assert "Ce bon est valable" in text
    assert (
        "10,00 € offerts par la ville n'ont pas été dépensés à temps : "
        "cette part a expiré le 31 décembre 2026" in text
    )
    assert "dont 20,00 € payés, à dépenser au plus tard le 12 décembre 2027" in text
    assert ("Part expirée" in text) is expiry_task_ran


def test_a_voucher_past_every_day_says_it_expired(
    programme: Programme, page_clock: Callable[[datetime], None]
) -> None:
    voucher = _issue(programme)
    page_clock(datetime(2028, 1, 2, 10, tzinfo=UTC))

    text = _text(Client().get(_wallet_url(programme, voucher.code)))

    assert "Ce bon a expiré le 12 décembre 2027 : il ne peut plus être utilisé." in text
    assert "QR code du bon" not in text


def test_a_spent_out_and_a_cancelled_voucher_say_so(programme: Programme, shop: Shop) -> None:
    spent = _issue(programme, face=1000)
    ledger.voucher_spend(code=spent.code, shop=shop, amount_cents=1000, at=AT)
    cancelled = _issue(programme, face=2000)
    ledger.voucher_cancel(voucher=cancelled, at=AT - timedelta(hours=1), reason="Carte perdue")

    spent_text = _text(Client().get(_wallet_url(programme, spent.code)))
    cancelled_text = _text(Client().get(_wallet_url(programme, cancelled.code)))

    assert "Ce bon est épuisé : son solde est de 0 €." in spent_text
    assert "Ce bon a été annulé le 12 décembre 2026 : il ne peut plus être utilisé." in cancelled_text
    assert "Bon annulé" in cancelled_text
    assert "Carte perdue" not in cancelled_text


def test_unknown_or_mistyped_codes_have_no_page_and_a_typed_one_goes_to_its_address(
    programme: Programme,
) -> None:
    voucher = _issue(programme)
    assert programme.town is not None
    slug = programme.town.slug

    assert Client().get(f"/{slug}/bons/carte/{codes.code_new()}/").status_code == 404
    assert Client().get(f"/{slug}/bons/carte/ABCD/").status_code == 404
    typed = Client().get(f"/{slug}/bons/carte/{codes.code_display(voucher.code).lower()}/")
    assert typed.status_code == 302
    assert typed["Location"] == _wallet_url(programme, voucher.code)


def test_the_public_pages_name_their_access_rules() -> None:
    rules = {entry.key: entry.rule for entry in access_registry()}

    assert rules["vouchers_public:programmes"] is not None
    assert rules["vouchers_public:programmes"].kind == Kind.PUBLIC
    assert rules["vouchers_public:programme"].kind == Kind.PUBLIC  # type: ignore[union-attr]
    assert rules["vouchers_public:wallet"].kind == Kind.SECRET_LINK  # type: ignore[union-attr]
