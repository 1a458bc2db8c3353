"""A guest follows (and may cancel) the orders of their basket through the private tracking link."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from centreville.orders.models import OrderStatus
from centreville.orders.selectors import TrackedBasket
from centreville.orders.services import order_transition

from ..errors import failures, state_conflicts
from ..schemas import CancelIn, TrackedOrderOut, TrackingOut
from ..selectors import tracked

router = Router(tags=["Suivi de commande"])


def _private(response: HttpResponse) -> None:
    # The answer names the customer and how to reach them: no cache anywhere keeps it.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"


def _tracking(basket: TrackedBasket) -> TrackingOut:
    return TrackingOut(
        basket_reference=basket.basket_reference,
        orders=[TrackedOrderOut.tracked(order) for order in basket.orders],
        total=basket.total,
    )


@router.get(
    "/commandes/{token}",
    response={200: TrackingOut, **failures(404)},
    summary="Suivre les commandes d'un panier",
    description="Sans compte : le jeton privé du lien de suivi suffit. Toutes les commandes du panier, "
    "une par commerce, avec leurs étapes.",
    operation_id="suivre_commandes",
    url_name="suivi",
)
def tracking(request: HttpRequest, token: str, response: HttpResponse) -> TrackingOut:
    _private(response)
    return _tracking(tracked(token))


@router.post(
    "/commandes/{token}/annulation",
    response={200: TrackingOut, **failures(400, 403, 404, 409)},
    summary="Annuler une commande du panier suivi",
    description="Possible tant que la commande n'est pas prête ; le stock est remis en vente et un "
    "paiement en ligne est remboursé.",
    operation_id="annuler_commande",
)
def cancel(request: HttpRequest, token: str, payload: CancelIn, response: HttpResponse) -> TrackingOut:
    _private(response)
    order = tracked(token).order(payload.order_reference)
    if order is None:
        raise Http404(_("Cette commande ne fait pas partie du panier suivi."))
    user = request.user if request.user.is_authenticated else None
    with state_conflicts():  # the token is the proof
        order_transition(order=order, to_status=OrderStatus.CANCELLED, actor=user, as_customer=True)
    return _tracking(tracked(token))
