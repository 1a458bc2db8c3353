"""The town basket of whoever calls: the browser's session (with or without an account).

Reads set the CSRF cookie; every write must send it back in X-CSRFToken, like the site's own forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from centreville.baskets.models import Basket
from centreville.baskets.selectors import BasketSummary, basket_summary
from centreville.baskets.services import basket_add, basket_for, basket_remove, basket_set_quantity
from centreville.fulfilment import selectors as fulfilment
from centreville.fulfilment.models import FulfilmentMethod, Locker, RelayPoint
from centreville.fulfilment.selectors import Slot
from centreville.fulfilment.services import delivery_quote
from centreville.orders.selectors import checkout_options
from centreville.towns.models import Town

from ..auth import any_session
from ..errors import Conflict, failures
from ..schemas import (
    AmountIn,
    BasketLineOut,
    BasketOut,
    BasketShopOut,
    LineIn,
    MethodOut,
    NumberIn,
    OptionsOut,
    PlaceOut,
    PlaceWithStateOut,
    QuantityIn,
    QuoteOut,
    ShopOptionsOut,
    ShopRef,
    SlotOut,
    ZoneOut,
)
from ..selectors import published_town

router = Router(tags=["Panier"], auth=any_session)


def basket_out(town: Town, summary: BasketSummary) -> BasketOut:
    return BasketOut(
        town=town.slug,
        shops=[
            BasketShopOut(
                shop=ShopRef(id=group.shop.pk, slug=group.shop.slug, name=group.shop.name),
                takes_orders=group.takes_orders,
                ordering_notice=group.taking.notice,
                ready_from=group.taking.ready_from,
                items_total=group.items_total,
                lines=[
                    BasketLineOut(
                        id=line.pk,
                        product_id=line.product.pk,
                        variant_id=line.variant.pk if line.variant is not None else None,
                        title=line.title,
                        unit_price=line.unit_price,
                        quantity=line.quantity,
                        line_total=line.line_total,
                        stock_left=line.stock_left,
                        problem=line.problem,
                    )
                    for line in group.lines
                ],
            )
            for group in summary.shops
        ],
        count=summary.count,
        total=summary.total,
        has_problems=summary.has_problems,
    )


@contextmanager
def basket_refusals() -> Iterator[None]:
    """A line that is gone is a 404, a stock too short a 409; other refusals stay 400."""
    try:
        yield
    except ValidationError as error:
        code = getattr(error, "code", None)
        if code == "gone":
            raise Http404(" ".join(error.messages)) from error
        if code == "stock":
            raise Conflict(" ".join(error.messages)) from error
        raise


def _existing_basket(request: HttpRequest, town: Town) -> Basket:
    basket = basket_for(request=request, town=town)
    if basket is None:
        raise Http404(_("Votre panier est vide."))
    return basket


@router.get(
    "/villes/{town}/panier",
    response={200: BasketOut, **failures(404)},
    summary="Voir le panier",
    description="Les articles groupés par commerce, avec leurs prix et ce qui ne peut plus être commandé. "
    "Donne aussi le cookie csrftoken à renvoyer dans l'en-tête X-CSRFToken des écritures.",
    operation_id="voir_panier",
)
def basket(request: HttpRequest, town: str) -> BasketOut:
    the_town = published_town(town)
    return basket_out(the_town, basket_summary(basket_for(request=request, town=the_town), at=timezone.now()))


@router.post(
    "/villes/{town}/panier/lignes",
    response={201: BasketOut, **failures(400, 403, 404, 409)},
    summary="Ajouter un article au panier",
    description="Ajoute la quantité à celle déjà au panier, sans dépasser le stock (409 sinon).",
    operation_id="ajouter_au_panier",
)
def add_line(request: HttpRequest, town: str, payload: LineIn) -> Status[BasketOut]:
    the_town = published_town(town)
    basket = basket_for(request=request, town=the_town, create=True)
    assert basket is not None
    with basket_refusals():
        basket_add(
            basket=basket,
            product_id=payload.product_id,
            quantity=payload.quantity,
            variant_id=payload.variant_id,
            at=timezone.now(),
        )
    return Status(201, basket_out(the_town, basket_summary(basket, at=timezone.now())))


@router.patch(
    "/villes/{town}/panier/lignes/{line_id}",
    response={200: BasketOut, **failures(400, 403, 404, 409)},
    summary="Changer la quantité d'un article",
    operation_id="changer_quantite",
)
def set_quantity(request: HttpRequest, town: str, line_id: int, payload: QuantityIn) -> BasketOut:
    the_town = published_town(town)
    basket = _existing_basket(request, the_town)
    with basket_refusals():
        basket_set_quantity(basket=basket, line_id=line_id, quantity=payload.quantity)
    return basket_out(the_town, basket_summary(basket, at=timezone.now()))


@router.delete(
    "/villes/{town}/panier/lignes/{line_id}",
    response={200: BasketOut, **failures(400, 403, 404)},
    summary="Retirer un article du panier",
    operation_id="retirer_du_panier",
)
def remove_line(request: HttpRequest, town: str, line_id: int) -> BasketOut:
    the_town = published_town(town)
    basket = _existing_basket(request, the_town)
    basket_remove(basket=basket, line_id=line_id)
    return basket_out(the_town, basket_summary(basket, at=timezone.now()))


@router.get(
    "/villes/{town}/panier/options",
    response={200: OptionsOut, **failures(404)},
    summary="Modes de retrait et de livraison du panier",
    description="Pour chaque commerce du panier : les modes proposés et les prochains créneaux de retrait "
    "non complets ; pour la ville : points relais et consignes en service, avec leurs horaires.",
    operation_id="options_du_panier",
)
def options(request: HttpRequest, town: str) -> OptionsOut:
    the_town = published_town(town)
    now = timezone.now()
    summary = basket_summary(basket_for(request=request, town=the_town), at=now)
    offered = checkout_options(the_town, summary, now=now)
    labels = dict(FulfilmentMethod.choices)
    return OptionsOut(
        shops=[
            ShopOptionsOut(
                shop=ShopRef(id=shop.group.shop.pk, slug=shop.group.shop.slug, name=shop.group.shop.name),
                items_total=shop.group.items_total,
                methods=[MethodOut(method=FulfilmentMethod(m), label=str(labels[m])) for m in shop.methods],
                delivery_windows=[_slot_out(slot) for slot in shop.delivery_windows],
                pickup_slots=[_slot_out(slot) for slot in shop.pickup_slots],
            )
            for shop in offered.shops
        ],
        relay_points=_places(offered.relay_points, the_town, at=now),
        lockers=_places(offered.lockers, the_town, at=now),
        online_payment=offered.online_payment,
    )


def _slot_out(slot: Slot) -> SlotOut:
    return SlotOut(start=slot.start, end=slot.end, remaining=slot.remaining)


_Place = TypeVar("_Place", RelayPoint, Locker)


def _places(places: Iterable[_Place], town: Town, *, at: datetime) -> list[PlaceWithStateOut]:
    return [
        PlaceWithStateOut(
            **PlaceOut.of(place).model_dump(),
            opening_now=str(opening.label),
        )
        for place, opening in fulfilment.with_opening_states(places, town, at=at)
    ]


class QuoteQuery(Schema):
    code_postal: str = Field("", max_length=10, description="Code postal de livraison.")
    montant: AmountIn = Field(Decimal("0.00"), description="Montant des articles du commerce (€).")
    latitude: NumberIn | None = Field(None, description="Position de l'adresse, si connue.")
    longitude: NumberIn | None = None


@router.get(
    "/villes/{town}/livraison/devis",
    response={200: QuoteOut, **failures(400, 404)},
    summary="Frais de livraison pour une adresse",
    description="Zone, frais, part payée par la ville et reste à payer pour un montant d'articles.",
    operation_id="devis_livraison",
)
def quote(request: HttpRequest, town: str, query: Query[QuoteQuery]) -> QuoteOut:
    the_town = published_town(town)
    try:
        found = delivery_quote(
            town=the_town,
            postcode=query.code_postal,
            items_total=query.montant,
            latitude=query.latitude,
            longitude=query.longitude,
        )
    except ValidationError as error:
        field = "code_postal" if getattr(error, "code", "").startswith(("postcode", "out_of_zone")) else ""
        if field:
            raise ValidationError({field: error.messages}) from error
        raise
    return QuoteOut(
        zone=ZoneOut(id=found.zone.pk, name=found.zone.name),
        fee=found.fee,
        subsidy=found.subsidy,
        customer_pays=found.customer_pays,
        distance_km=found.distance_km,
    )
