"""What the API reads and answers, field by field (the OpenAPI schema is made from these)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from ninja import Field, Schema
from pydantic import WithJsonSchema

from centreville.fulfilment.models import FulfilmentMethod, Locker, RelayPoint
from centreville.orders.models import Order, OrderStatus, PaymentChoice, PaymentState
from centreville.orders.selectors import TrackedOrder

# A number read from a client. Pydantic documents a Decimal as "a number or any string", but only strings
# holding a number are accepted: the schema says "number" so that clients (and fuzzers) send one.
NumberIn = Annotated[Decimal, WithJsonSchema({"type": "number"})]
AmountIn = Annotated[Decimal, Field(ge=0), WithJsonSchema({"type": "number", "minimum": 0})]


class ShopRef(Schema):
    id: int
    slug: str
    name: str


class PlaceOut(Schema):
    """A relay point or a locker where the customer collects."""

    id: int
    name: str
    street_address: str
    opening_hours: str = Field(description="Horaires au format OpenStreetMap.")

    @classmethod
    def of(cls, place: RelayPoint | Locker) -> PlaceOut:
        return cls(
            id=place.pk,
            name=place.name,
            street_address=place.street_address,
            opening_hours=place.opening_hours,
        )


class OrderLineOut(Schema):
    id: int
    product_id: int
    variant_id: int | None
    title: str
    unit_price: Decimal
    quantity: int
    unavailable: bool = Field(description="Déclaré manquant ou abîmé par le commerce à l'annulation.")


class StepOut(Schema):
    from_status: str
    to_status: OrderStatus
    label: str
    at: datetime
    by_customer: bool
    reason: str


class OrderOut(Schema):
    reference: str
    basket_reference: str
    shop: ShopRef
    status: OrderStatus
    status_label: str
    placed_at: datetime
    customer_name: str
    customer_contact: str
    fulfilment: FulfilmentMethod
    fulfilment_label: str
    pickup_slot_start: datetime | None = Field(description="Début du créneau : de retrait, ou de livraison.")
    pickup_slot_end: datetime | None
    relay_point: PlaceOut | None
    locker: PlaceOut | None
    locker_code: str = Field(description="Code de la consigne, donné quand la commande est prête.")
    delivery_address: str
    delivery_postcode: str
    delivery_city: str
    delivery_fee: Decimal
    delivery_subsidy: Decimal = Field(description="Part des frais de livraison payée par la ville.")
    items_total: Decimal
    total: Decimal = Field(description="Ce que paie le client : articles et sa part de la livraison.")
    voucher_paid: Decimal = Field(description="Part du total payée par bon d'achat.")
    to_pay: Decimal = Field(description="Reste à payer, en ligne ou au retrait, après le bon d'achat.")
    payment: PaymentChoice
    payment_state: PaymentState
    payment_state_label: str
    lines: list[OrderLineOut]

    @classmethod
    def of(cls, order: Order, **extra: object) -> Self:
        """The order with its prefetched lines (and steps, for the schemas that show them)."""
        return cls(
            reference=order.reference,
            basket_reference=order.basket_reference,
            shop=ShopRef(id=order.shop.pk, slug=order.shop.slug, name=order.shop.name),
            status=OrderStatus(order.status),
            status_label=str(order.get_status_display()),
            placed_at=order.created_at,
            customer_name=order.customer_name,
            customer_contact=order.customer_contact,
            fulfilment=FulfilmentMethod(order.fulfilment),
            fulfilment_label=str(FulfilmentMethod(order.fulfilment).label),
            pickup_slot_start=order.pickup_slot_start,
            pickup_slot_end=order.pickup_slot_end,
            relay_point=_place(order.relay_point),
            locker=_place(order.locker),
            locker_code=order.locker_code if order.status == OrderStatus.READY else "",
            delivery_address=order.delivery_address,
            delivery_postcode=order.delivery_postcode,
            delivery_city=order.delivery_city,
            delivery_fee=order.delivery_fee,
            delivery_subsidy=order.delivery_subsidy,
            items_total=order.items_total,
            total=order.total,
            voucher_paid=order.voucher_paid,
            to_pay=order.to_pay,
            payment=PaymentChoice(order.payment),
            payment_state=PaymentState(order.payment_state),
            payment_state_label=str(order.get_payment_state_display()),
            lines=[
                OrderLineOut(
                    id=line.pk,
                    product_id=line.product_id,
                    variant_id=line.variant_id,
                    title=line.title,
                    unit_price=line.unit_price,
                    quantity=line.quantity,
                    unavailable=line.unavailable,
                )
                for line in order.lines.all()
            ],
            **extra,
        )


def _place(place: RelayPoint | Locker | None) -> PlaceOut | None:
    if place is None:
        return None
    return PlaceOut.of(place)


class TrackedOrderOut(OrderOut):
    status_words: str = Field(description="Où en est la commande, dit pour le client.")
    steps: list[StepOut]
    can_cancel: bool = Field(description="Le client peut encore l'annuler (avant qu'elle soit prête).")
    refusal_reason: str = Field(description="Motif donné par le commerçant s'il a refusé la commande.")
    status_reason: str = Field(
        description="Pourquoi la commande s'est arrêtée là (refusée, annulée par le commerce, non retirée, "
        "expirée), à lire par le client ; vide sinon."
    )

    @classmethod
    def tracked(cls, tracked: TrackedOrder) -> Self:
        """The order with its steps, as its customer follows it."""
        steps = [
            StepOut(
                from_status=event.from_status,
                to_status=OrderStatus(event.to_status),
                label=str(OrderStatus(event.to_status).label),
                at=event.created_at,
                by_customer=event.by_customer,
                reason=event.reason,
            )
            for event in tracked.steps
        ]
        return cls.of(
            tracked.order,
            status_words=tracked.status_words,
            steps=steps,
            can_cancel=tracked.can_cancel,
            refusal_reason=tracked.refusal_reason,
            status_reason=tracked.status_reason,
        )


class TrackingOut(Schema):
    basket_reference: str
    orders: list[TrackedOrderOut]
    total: Decimal


class CancelIn(Schema):
    order_reference: str = Field(description="Référence de la commande à annuler (une du panier suivi).")


class MerchantOrderOut(OrderOut):
    moves: list[OrderStatus] = Field(description="Étapes que vous pouvez faire franchir à cette commande.")


class StepIn(Schema):
    to_status: OrderStatus
    reason: str = Field(
        "",
        max_length=1000,
        description="Motif lu par le client : obligatoire pour refused, shop_cancelled et not_collected.",
    )
    unavailable_lines: list[int] = Field(
        default_factory=list,
        description="Pour shop_cancelled : identifiants des lignes manquantes ou abîmées, qui ne sont pas "
        "remises en stock (les autres le sont).",
    )


class TokenIn(Schema):
    name: str = Field(
        min_length=1, max_length=80, description="Pour reconnaître le jeton, ex. « Téléphone »."
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="Début de la clé, pour la reconnaître.")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime = Field(description="Après cette date, le jeton ne vaut plus rien.")
    revoked: bool


class NewTokenOut(TokenOut):
    key: str = Field(description="La clé en clair : elle n'est montrée qu'une fois, gardez-la.")


# --- Basket -----------------------------------------------------------------------------------------------


class BasketLineOut(Schema):
    id: int
    product_id: int
    variant_id: int | None
    title: str
    unit_price: Decimal
    quantity: int
    line_total: Decimal
    stock_left: int | None = Field(description="Stock restant ; null : sur demande, sans stock tenu.")
    problem: str = Field(
        description="Pourquoi la ligne ne peut pas être commandée telle quelle ; vide sinon."
    )


class BasketShopOut(Schema):
    shop: ShopRef
    takes_orders: bool
    ordering_notice: str = Field(
        description="Ce que le client doit savoir pour commander chez ce commerce (fermeture, commande "
        "impossible en ligne) ; vide sinon."
    )
    ready_from: date | None = Field(
        description="Pendant une fermeture qui prend les commandes : premier jour de retrait possible."
    )
    items_total: Decimal
    lines: list[BasketLineOut]


class BasketOut(Schema):
    town: str
    shops: list[BasketShopOut]
    count: int = Field(description="Nombre d'articles, quantités additionnées.")
    total: Decimal
    has_problems: bool


class LineIn(Schema):
    product_id: int
    variant_id: int | None = None
    quantity: int = Field(1, ge=1, le=999)


class QuantityIn(Schema):
    quantity: int = Field(ge=0, le=999, description="0 retire l'article du panier.")


class MethodOut(Schema):
    method: FulfilmentMethod
    label: str


class SlotOut(Schema):
    start: datetime
    end: datetime
    remaining: int = Field(description="Places encore libres dans ce créneau.")


class ShopOptionsOut(Schema):
    shop: ShopRef
    items_total: Decimal
    methods: list[MethodOut]
    pickup_slots: list[SlotOut] = Field(description="Prochains créneaux de retrait en boutique non complets.")
    delivery_windows: list[SlotOut] = Field(description="Prochaines plages de livraison non complètes.")


class PlaceWithStateOut(PlaceOut):
    opening_now: str = Field(description="Ouvert ou fermé maintenant, et jusqu'à quand.")


class OptionsOut(Schema):
    shops: list[ShopOptionsOut]
    relay_points: list[PlaceWithStateOut]
    lockers: list[PlaceWithStateOut]
    online_payment: bool = Field(description="La ville propose le paiement en ligne.")


class ZoneOut(Schema):
    id: int
    name: str


class QuoteOut(Schema):
    zone: ZoneOut
    fee: Decimal
    subsidy: Decimal = Field(description="Part payée par la ville.")
    customer_pays: Decimal
    distance_km: Decimal | None


# --- Checkout ---------------------------------------------------------------------------------------------


class ChoiceIn(Schema):
    method: FulfilmentMethod
    slot_start: datetime | None = Field(
        None, description="Début du créneau choisi : de retrait en boutique, ou de livraison."
    )
    relay_point_id: int | None = None
    locker_id: int | None = None
    delivery_address: str = Field("", max_length=250)
    delivery_postcode: str = Field("", max_length=10)
    delivery_city: str = Field("", max_length=120, description="Commune de livraison.")
    latitude: NumberIn | None = None
    longitude: NumberIn | None = None


class CheckoutIn(Schema):
    name: str = Field(max_length=120, description="Nom donné au commerçant pour le retrait.")
    contact: str = Field(max_length=200, description="Téléphone ou e-mail, pour être prévenu.")
    choices: dict[int, ChoiceIn] = Field(
        description="Pour chaque commerce du panier (son id), le mode choisi."
    )
    pay_online: bool = False
    voucher_code: str = Field(
        "",
        max_length=40,
        description="Code d'un bon d'achat ou d'une carte cadeau de la ville (tirets et espaces permis) : "
        "il paie ce qu'il peut des commandes des commerces qui l'acceptent.",
    )


class CheckoutOut(Schema):
    basket_reference: str
    orders: list[OrderOut]
    total: Decimal
    to_pay: Decimal = Field(description="Reste à payer après le bon d'achat, en ligne ou au retrait.")
    tracking_token: str
    tracking_url: str = Field(description="Lien privé de suivi de toutes les commandes du panier.")
    payment_url: str | None = Field(description="Où payer en ligne ; null : paiement au retrait.")
