"""Merchants (or the town's manager) see a shop's orders of the day and move them on, step by step."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone
from ninja import Field as SchemaField
from ninja import Query, Router, Schema

from centreville.accounts.http import SignedInRequest
from centreville.core.days import ApiDay
from centreville.orders.selectors import merchant_day
from centreville.orders.services import order_transition
from centreville.orders.transitions import HANDLE_ORDER, merchant_moves

from ..auth import SIGNED_IN
from ..errors import failures, state_conflicts
from ..schemas import MerchantOrderOut, StepIn
from ..selectors import handled_order, shop_orders_of

router = Router(tags=["Commerçants"], auth=SIGNED_IN)

VIEW_SHOP_ORDERS = "api.view_shop_orders"


class DayQuery(Schema):
    jour: ApiDay | None = SchemaField(
        None, description="Jour (AAAA-MM-JJ, de 2000 à 2099) ; par défaut aujourd'hui."
    )


@router.get(
    "/villes/{town}/commerces/{shop}/commandes",
    response={200: list[MerchantOrderOut], **failures(400, 401, 404)},
    summary="Commandes d'un commerce pour un jour",
    description="Celles passées ce jour-là, à retirer ce jour-là ou terminées ce jour-là ; aujourd'hui, "
    "aussi toutes celles encore en cours. Réservé aux membres du commerce et au manager de la ville : "
    "pour les autres, comme pour un commerce inconnu, 404.",
    operation_id="commandes_du_commerce",
)
def shop_orders(
    request: SignedInRequest, town: str, shop: str, query: Query[DayQuery]
) -> list[MerchantOrderOut]:
    the_shop = shop_orders_of(request.user, town, shop, permission=VIEW_SHOP_ORDERS)
    the_town = the_shop.town
    today = timezone.localdate(timezone=ZoneInfo(the_town.timezone))
    day = merchant_day(request.user, the_town, [the_shop], day=query.jour or today, today=today)
    cards = [card for group in day.open_groups for card in group.orders] + day.closed
    return [MerchantOrderOut.of(card.order, moves=card.moves) for card in cards]


@router.post(
    "/commandes/par-reference/{reference}/etapes",
    response={200: MerchantOrderOut, **failures(400, 401, 403, 404, 409)},
    summary="Faire avancer une commande",
    description="accepted, refused (avec un motif), ready, dropped (commande en point relais déposée au "
    "point relais), collected ; après acceptation : shop_cancelled (avec un motif et les lignes manquantes "
    "ou abîmées, non remises en stock), not_collected (client absent, avec un motif). Une étape que la vie "
    "de la commande ne permet pas est refusée (409). La commande d'un commerce que vous ne tenez pas est "
    "introuvable (404), comme une référence inconnue.",
    operation_id="etape_de_commande",
)
def order_step(request: SignedInRequest, reference: str, payload: StepIn) -> MerchantOrderOut:
    order = handled_order(request.user, reference, permission=HANDLE_ORDER)
    with state_conflicts():
        order = order_transition(
            order=order,
            to_status=payload.to_status,
            actor=request.user,
            reason=payload.reason,
            unavailable_lines=payload.unavailable_lines,
        )
    order = handled_order(request.user, reference, permission=HANDLE_ORDER)
    return MerchantOrderOut.of(order, moves=merchant_moves(request.user, order))
