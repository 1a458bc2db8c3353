"""PLACEHOLDER — being written: the JSON API (django-ninja), its OpenAPI schema at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="Centre-Ville en ligne", urls_namespace="api")
