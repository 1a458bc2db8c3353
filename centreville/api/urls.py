"""The JSON API at /api/: its schema at /api/openapi.json, its documentation page at /api/docs."""

from ninja import NinjaAPI

from .docs import LocalSwagger
from .errors import install_error_handlers
from .parser import JsonParser
from .routes import baskets, checkout, merchant, tokens, tracking

DESCRIPTION = """\
Panier commun aux commerces d'une ville, commande (une par commerce), suivi par lien privé et \
traitement des commandes par les commerçants.

**Identification**
- Panier et commande : la session du navigateur, avec ou sans compte. Les écritures demandent \
l'en-tête `X-CSRFToken` (valeur du cookie `csrftoken`, reçu avec `GET /api/villes/{ville}/panier`).
- Suivi : le jeton privé du lien de suivi, sans compte.
- Commerçants : la session d'un compte connecté, ou un jeton d'API personnel \
(`Authorization: Bearer <clé>`, créé par `POST /api/jetons`). Les droits sont vérifiés sur chaque \
commande.

**Erreurs** : toujours `{"detail": "…", "errors": {"champ": ["…"]}}` ; 400 données invalides, \
401 non identifié, 403 non autorisé, 404 introuvable, 409 plus possible (stock épuisé, étape refusée).
"""

api = NinjaAPI(
    title="Centre-Ville en ligne — API Click & Collect",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=LocalSwagger(),
    parser=JsonParser(),
)
install_error_handlers(api)
api.add_router("/", baskets.router)
api.add_router("/", checkout.router)
api.add_router("/", tracking.router)
api.add_router("/", merchant.router)
api.add_router("/", tokens.router)
