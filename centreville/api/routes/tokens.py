"""Personal API tokens, made and revoked from a signed-in browser, for the merchant's apps."""

from __future__ import annotations

from django.utils import timezone
from ninja import Router, Status

from centreville.accounts.http import SignedInRequest

from ..auth import signed_in_session
from ..errors import failures
from ..models import ApiToken
from ..schemas import NewTokenOut, TokenIn, TokenOut
from ..selectors import api_token_of, api_tokens_of
from ..services import api_token_create, api_token_revoke

router = Router(tags=["Jetons d'API"], auth=signed_in_session)


def _token(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        expires_at=token.expires_at,
        revoked=token.revoked,
    )


@router.post(
    "/jetons",
    response={201: NewTokenOut, **failures(400, 401, 403)},
    summary="Créer un jeton d'API",
    description="La clé est donnée une seule fois ; elle agit avec vos droits (Authorization: Bearer) "
    "jusqu'à son expiration (90 jours par défaut), sa révocation ou un changement de votre mot de passe.",
    operation_id="creer_jeton",
)
def create_token(request: SignedInRequest, payload: TokenIn) -> Status[NewTokenOut]:
    token, key = api_token_create(user=request.user, name=payload.name, now=timezone.now())
    return Status(201, NewTokenOut(**_token(token).model_dump(), key=key))


@router.get(
    "/jetons",
    response={200: list[TokenOut], **failures(401)},
    summary="Mes jetons d'API",
    operation_id="mes_jetons",
)
def list_tokens(request: SignedInRequest) -> list[TokenOut]:
    return [_token(token) for token in api_tokens_of(request.user)]


@router.delete(
    "/jetons/{token_id}",
    response={204: None, **failures(400, 401, 403, 404)},
    summary="Révoquer un jeton d'API",
    operation_id="revoquer_jeton",
)
def revoke_token(request: SignedInRequest, token_id: int) -> Status[None]:
    api_token_revoke(token=api_token_of(request.user, token_id))
    return Status(204, None)
