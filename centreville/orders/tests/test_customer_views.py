"""The customer's pages: checkout of the basket, the private tracking link, cancelling, their orders."""

from __future__ import annotations

from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from centreville.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from centreville.baskets.models import BasketLine
from centreville.baskets.tests.factories import shop_taking_orders, town_taking_orders
from centreville.catalogue.models import Product
from centreville.catalogue.tests.factories import ProductFactory
from centreville.fulfilment.models import TownOrderSettings
from centreville.fulfilment.selectors import delivery_windows, pickup_slots
from centreville.orders.models import Order, OrderStatus
from centreville.payments.models import Payment
from centreville.shops.models import Shop

pytestmark = pytest.mark.django_db


class Scene:
    """A town with three shops taking orders, and a visitor who put one article of each in the basket."""

    def __init__(self) -> None:
        self.town, self.places = town_taking_orders()
        self.shops: list[Shop] = [
            shop_taking_orders(self.town, name=name)
            for name in ("Boulangerie Lemoine", "Fromagerie", "Librairie")
        ]
        self.products: list[Product] = [
            ProductFactory.create(shop=shop, stock=5, price=Decimal("10.00"), title=f"Article {n}")
            for n, shop in enumerate(self.shops)
        ]
        self.client = Client()
        for product in self.products:
            self.client.post(self.url("panier/ajouter/"), {"product": product.pk, "quantity": "2"})

    def url(self, path: str) -> str:
        return f"/{self.town.slug}/{path}"

    def form(self, **overrides: str) -> dict[str, str]:
        """A guest's checkout: pickup in the first shop, relay point in the second, delivery for the third,
        paid online (nobody on the doorstep takes the money)."""
        first, second, third = (f"commerce-{shop.pk}-" for shop in self.shops)
        data = {
            "customer_name": "Jeanne Martin",
            "customer_phone": "06 12 34 56 78",
            "payment": "online",
            "etape": "confirmer",  # as from the review page
            first + "method": "pickup",
            # The page reads the clock: any slot of the next hours of these shops, open every hour, is fine.
            first + "slot": pickup_slots(self.shops[0], now=timezone.now())[0].start.isoformat(),
            second + "method": "relay",
            second + "relay_point": str(self.places.relay_point.pk),
            third + "method": "delivery",
            third + "delivery_address": "12 rue de la Poste",
            third + "delivery_postcode": "61200",
            third + "delivery_city": "Argentan",
            third + "delivery_window": delivery_windows(self.shops[2], now=timezone.now())[
                0
            ].start.isoformat(),
        }
        data.update(overrides)
        return data

    def checkout(self, **overrides: str) -> Any:
        return self.client.post(self.url("panier/commande/"), self.form(**overrides))

    def checkout_and_pay(self, **overrides: str) -> Any:
        """Check out, then pay on the test provider's page: the answer leads to the tracking page."""
        to_payment = self.checkout(**overrides)
        return self.client.post(to_payment["Location"], {"action": "pay"})


@pytest.fixture
def scene() -> Scene:
    return Scene()


def text(response: Any) -> str:
    return unescape(response.content.decode()).replace("\u00a0", " ")


def test_the_checkout_page_offers_each_shop_its_ways_with_the_delivery_fee_and_subsidy(scene: Scene) -> None:
    response = scene.client.get(scene.url("panier/commande/"))

    html = text(response)
    assert response.status_code == 200
    for shop in scene.shops:
        assert f'name="commerce-{shop.pk}-method"' in html
    for label in (
        "Retrait en boutique",
        "Retrait en point relais",
        "Retrait en consigne",
        "Livraison à domicile",
    ):
        assert label in html
    assert "Maison de la presse — 2 place Mahé" in html
    assert "Créneau de retrait" in html
    assert "6,00" in html
    assert "3,00" in html
    assert "prend en charge 50 % des frais de livraison" in html
    assert "Vérifier ma commande" in html


def test_a_guest_checks_out_one_order_per_shop_and_lands_on_the_tracking_page(scene: Scene) -> None:
    response = scene.checkout_and_pay()

    orders = list(Order.objects.order_by("shop_id"))
    assert len(orders) == 3
    assert len({order.basket_reference for order in orders}) == 1
    assert [order.fulfilment for order in orders] == ["pickup", "relay", "delivery"]
    assert all(order.customer_id is None and order.customer_contact == "+33612345678" for order in orders)
    assert response["Location"] == "http://testserver" + scene.url(
        f"commande/{orders[0].tracking_token}/?paiement=ok"
    )
    page = scene.client.get(response["Location"])
    html = text(page)
    assert "Merci ! Votre paiement est transmis et vos commandes sont envoyées aux commerçants." in html
    for order in orders:
        assert order.reference in html
        assert order.shop.name in html
    assert "Maison de la presse" in html
    assert "Lundi : de 07:00 à 19:30" in html
    assert "6,00 €, dont 3,00 € payés par la ville : 3,00 € pour vous" in html
    assert "Envoyée au commerçant, qui va la confirmer." in html
    assert html.count("Annuler cette commande") == 3
    assert not BasketLine.objects.exists()
    assert "Suivre ma dernière commande" in text(scene.client.get(scene.url("panier/")))


def test_the_tracking_page_is_private_uncached_and_shows_only_its_basket(scene: Scene) -> None:
    scene.checkout()
    mine = Order.objects.first()
    assert mine is not None
    other = Scene()
    other.town = scene.town
    other_product = ProductFactory.create(shop=scene.shops[0], stock=5, title="Pas à moi")
    other.client.post(scene.url("panier/ajouter/"), {"product": other_product.pk})
    other.client.post(
        scene.url("panier/commande/"),
        {
            "customer_name": "Paul",
            "customer_email": "paul@example.fr",
            "payment": "at_pickup",
            "etape": "confirmer",
            f"commerce-{scene.shops[0].pk}-method": "relay",
            f"commerce-{scene.shops[0].pk}-relay_point": str(scene.places.relay_point.pk),
        },
    )
    assert Order.objects.count() == 4

    response = Client().get(scene.url(f"commande/{mine.tracking_token}/"))

    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"  # the private link never leaves the site
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert "Pas à moi" not in text(response)
    assert "Paul" not in text(response)
    assert Client().get(scene.url("commande/pas-le-bon-jeton/")).status_code == 404
    assert Client().get(f"/{Scene().town.slug}/commande/{mine.tracking_token}/").status_code == 404


def test_errors_are_shown_in_french_and_every_input_is_kept(scene: Scene) -> None:
    third = f"commerce-{scene.shops[2].pk}-"
    response = scene.checkout(customer_phone="06 12", **{third + "delivery_postcode": ""})

    html = text(response)
    assert response.status_code == 422
    assert "« 06 12 » n'est ni un numéro de téléphone valide" in html
    assert "Indiquez le code postal de livraison." in html
    assert 'value="Jeanne Martin"' in html
    assert 'value="12 rue de la Poste"' in html
    assert not Order.objects.exists()


def test_a_refusal_names_the_shop_records_nothing_and_keeps_the_basket(scene: Scene) -> None:
    third = f"commerce-{scene.shops[2].pk}-"

    response = scene.checkout(**{third + "delivery_postcode": "14000"})

    assert response.status_code == 422
    assert "Librairie : Cette adresse est en dehors des zones de livraison de la ville." in text(response)
    assert not Order.objects.exists()
    assert BasketLine.objects.count() == 3
    assert Product.objects.get(pk=scene.products[0].pk).stock == 5


def test_an_article_sold_out_meanwhile_is_named_when_confirming(scene: Scene) -> None:
    Product.objects.filter(pk=scene.products[1].pk).update(stock=1)

    response = scene.checkout()

    assert response.status_code == 422
    assert "Fromagerie : « Article 1 » : il n'en reste que 1." in text(response)
    assert 'value="Jeanne Martin"' in text(response)
    assert not Order.objects.exists()


def test_a_basket_that_no_longer_fits_is_sent_back_to_the_basket_page(scene: Scene) -> None:
    Product.objects.filter(pk=scene.products[1].pk).update(stock=0)

    response = scene.client.get(scene.url("panier/commande/"))

    assert response["Location"] == scene.url("panier/")
    assert "« Article 1 » n'est plus disponible." in text(scene.client.get(response["Location"]))


def test_cancelling_through_the_tracking_link_gives_the_stock_back(scene: Scene) -> None:
    scene.checkout()
    order = Order.objects.get(shop=scene.shops[1])
    assert Product.objects.get(pk=scene.products[1].pk).stock == 3
    stranger = Client()  # whoever holds the private link, signed in or not

    response = stranger.post(
        scene.url(f"commande/{order.tracking_token}/annuler/"), {"order": order.reference}
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.events.get(to_status=OrderStatus.CANCELLED).by_customer
    assert Product.objects.get(pk=scene.products[1].pk).stock == 5
    html = text(stranger.get(response["Location"]))
    assert f"La commande {order.reference} chez Fromagerie est annulée." in html
    assert html.count("Annuler cette commande") == 2


def test_an_order_of_another_basket_cannot_be_cancelled_through_this_link(scene: Scene) -> None:
    scene.checkout()
    order = Order.objects.get(shop=scene.shops[0])
    other = Order.objects.create(
        town=scene.town,
        shop=scene.shops[0],
        reference="C-AUTRE",
        basket_reference="P-AUTRE",
        customer_name="Paul",
        customer_contact="paul@example.fr",
    )

    response = Client().post(
        scene.url(f"commande/{order.tracking_token}/annuler/"), {"order": other.reference}
    )

    assert response.status_code == 404
    assert Order.objects.get(pk=other.pk).status == OrderStatus.PLACED


def test_a_signed_in_customer_checks_out_and_finds_the_orders_in_their_list(scene: Scene) -> None:
    user = UserFactory.create(first_name="Jeanne", last_name="Martin")
    scene.client.post("/compte/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    prefilled = text(scene.client.get(scene.url("panier/commande/")))
    assert f'value="{user.email}"' in prefilled
    assert 'value="Jeanne Martin"' in prefilled

    scene.checkout(customer_phone="", customer_email=user.email)
    someone_else = Client()
    someone_else.force_login(UserFactory.create())

    mine = text(scene.client.get(scene.url("commande/")))
    assert Order.objects.filter(customer=user).count() == 3
    assert Order.objects.filter(customer=user)[0].basket_reference in mine
    assert "Boulangerie Lemoine" in mine
    assert "Vous n'avez pas encore passé de commande ici." in text(someone_else.get(scene.url("commande/")))
    assert Client().get(scene.url("commande/"))["Location"].startswith("/compte/login/")


def test_paying_online_sends_the_customer_to_the_payment_page(scene: Scene) -> None:
    TownOrderSettings.objects.filter(town=scene.town).update(online_payment_enabled=True)
    assert "En ligne maintenant, par carte bancaire" in text(scene.client.get(scene.url("panier/commande/")))

    response = scene.checkout(payment="online")

    payment = Payment.objects.get()
    assert response["Location"] == payment.redirect_url
    token = Order.objects.order_by("shop_id")[0].tracking_token
    assert payment.return_url.endswith(f"/{scene.town.slug}/commande/{token}/?paiement=ok")
    back = text(scene.client.get(scene.url(f"commande/{token}/?paiement=ok")))
    assert "Merci ! Votre paiement est transmis et vos commandes sont envoyées aux commerçants." in back
    assert set(Order.objects.values_list("payment", "payment_state")) == {("online", "pending")}


def test_the_cancel_form_of_the_tracking_page_carries_its_csrf_token(scene: Scene) -> None:
    scene.checkout()
    order = Order.objects.get(shop=scene.shops[1])
    guest = Client(enforce_csrf_checks=True)  # as a browser: Django checks the token
    page = guest.get(scene.url(f"commande/{order.tracking_token}/")).content.decode()
    cancel_form = page[
        page.index('action="/' + scene.town.slug + f'/commande/{order.tracking_token}/annuler/"') :
    ]
    cancel_form = cancel_form[: cancel_form.index("</form>")]
    token = cancel_form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = guest.post(
        scene.url(f"commande/{order.tracking_token}/annuler/"),
        {"order": order.reference, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_paid_at_pickup_a_basket_collected_in_person_lands_on_the_tracking_page(scene: Scene) -> None:
    third = f"commerce-{scene.shops[2].pk}-"
    relay = {third + "method": "relay", third + "relay_point": str(scene.places.relay_point.pk)}

    response = scene.checkout(payment="at_pickup", **relay)

    orders = list(Order.objects.order_by("shop_id"))
    assert [order.fulfilment for order in orders] == ["pickup", "relay", "relay"]
    assert {order.payment for order in orders} == {"at_pickup"}
    assert response["Location"] == scene.url(f"commande/{orders[0].tracking_token}/")
    html = text(scene.client.get(response["Location"]))
    assert "Merci ! Votre commande est envoyée aux commerçants." in html


@pytest.mark.parametrize("way", ["delivery", "locker"])
def test_a_delivery_or_a_locker_cannot_be_paid_at_pickup(scene: Scene, way: str) -> None:
    third = f"commerce-{scene.shops[2].pk}-"
    locker = {third + "locker": str(scene.places.locker.pk)}

    response = scene.checkout(payment="at_pickup", **{third + "method": way, **locker})

    assert response.status_code == 422
    html = text(response)
    assert "Librairie : « " in html
    assert "» se paie en ligne, personne n'étant là pour encaisser." in html
    assert 'value="Jeanne Martin"' in html
    assert not Order.objects.exists()


def test_without_online_payment_only_the_ways_paid_in_person_are_offered(scene: Scene) -> None:
    TownOrderSettings.objects.filter(town=scene.town).update(online_payment_enabled=False)

    html = text(scene.client.get(scene.url("panier/commande/")))

    assert "Retrait en boutique" in html
    assert "Retrait en point relais" in html
    assert "Retrait en consigne" not in html
    assert "Livraison à domicile" not in html


def test_the_order_is_reviewed_before_it_is_confirmed_and_nothing_is_sent_meanwhile(scene: Scene) -> None:
    review = scene.checkout(etape="verifier")

    html = text(review)
    assert review.status_code == 200
    assert "Vérifiez votre commande" in html
    assert not Order.objects.exists()
    assert BasketLine.objects.count() == 3
    assert Product.objects.get(pk=scene.products[0].pk).stock == 5  # the review took nothing
    for shop in scene.shops:
        assert shop.name in html
    assert "Maison de la presse" in html
    assert "12 rue de la Poste, 61200 Argentan" in html
    assert "6,00 €, dont 3,00 € payés par la ville : 3,00 € pour vous" in html
    assert 'Total à payer : <span class="amount">63,00 €</span>' in html  # 3 × 20,00 € and 3,00 € delivery
    assert 'name="etape" value="confirmer"' in html
    assert 'value="Jeanne Martin"' in html  # what was typed goes with the confirmation

    back = scene.checkout(etape="modifier")
    assert back.status_code == 200
    assert 'value="Jeanne Martin"' in text(back)
    assert "Vérifier ma commande" in text(back)
    assert not Order.objects.exists()

    scene.checkout(etape="confirmer")
    assert Order.objects.count() == 3


def test_a_refusal_shows_on_the_form_before_the_review(scene: Scene) -> None:
    Product.objects.filter(pk=scene.products[1].pk).update(stock=1)

    response = scene.checkout(etape="verifier")

    assert response.status_code == 422
    assert "Fromagerie : « Article 1 » : il n'en reste que 1." in text(response)
    assert "Vérifiez votre commande" not in text(response)
