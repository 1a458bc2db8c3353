"""One error body for every failure: {"detail": "…", "errors": {"field": ["…"]}}, in French.

400 bad input, 401 no valid credentials, 403 not allowed, 404 unknown, 409 the world moved (stock
ran out, an order is no longer in a state that allows the step).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError

from centreville.catalogue.stock import NoLongerAvailable

request_logger = logging.getLogger("django.request")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class Conflict(Exception):
    """The request is valid but the state of things refuses it (HTTP 409)."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        self.message = message
        self.errors = errors or {}
        super().__init__(message)


@contextmanager
def state_conflicts() -> Iterator[None]:
    """Turn a domain refusal that is about the state of things (no field named) into a 409."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict") or isinstance(error, NoLongerAvailable):
            raise
        raise Conflict(" ".join(str(message) for message in error.messages)) from error


def failures(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error responses an endpoint documents, all with the one error body."""
    return dict.fromkeys(statuses, ErrorOut)


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or {}}


def _input_message(error: dict[str, Any]) -> str:
    """A French sentence for one pydantic error: the API's callers read these."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    messages = {
        "missing": _("Ce champ est obligatoire."),
        "int_parsing": _("Entrez un nombre entier."),
        "int_type": _("Entrez un nombre entier."),
        "int_from_float": _("Entrez un nombre entier."),
        "decimal_parsing": _("Entrez un nombre."),
        "decimal_type": _("Entrez un nombre."),
        "float_parsing": _("Entrez un nombre."),
        "bool_parsing": _("Entrez true ou false."),
        "bool_type": _("Entrez true ou false."),
        "string_type": _("Entrez un texte."),
        "date_parsing": _("Entrez une date au format AAAA-MM-JJ."),
        "date_from_datetime_parsing": _("Entrez une date au format AAAA-MM-JJ."),
        "datetime_parsing": _("Entrez une date et une heure au format ISO 8601."),
        "datetime_from_date_parsing": _("Entrez une date et une heure au format ISO 8601."),
        "json_invalid": _("Le corps de la requête n'est pas un JSON valide."),
        "model_attributes_type": _("Un objet JSON est attendu."),
        "dict_type": _("Un objet JSON est attendu."),
        "extra_forbidden": _("Ce champ n'est pas attendu."),
    }
    if kind in messages:
        return messages[kind]
    if kind in ("greater_than_equal", "greater_than"):
        return _("La valeur doit être d'au moins %(limit)s.") % {
            "limit": context.get("ge", context.get("gt", ""))
        }
    if kind in ("less_than_equal", "less_than"):
        return _("La valeur doit être d'au plus %(limit)s.") % {
            "limit": context.get("le", context.get("lt", ""))
        }
    if kind == "string_too_short":
        return _("Ce champ ne peut pas être vide.")
    if kind == "string_too_long":
        return _("%(count)s caractères au plus.") % {"count": context.get("max_length", "")}
    if kind in ("enum", "literal_error"):
        return _("Choisissez parmi : %(choices)s.") % {"choices": context.get("expected", "")}
    if kind == "value_error" and context.get("error"):
        return str(context["error"])
    return _("Valeur invalide.")


def _input_field(location: list[Any]) -> str:
    """`["body", "payload", "choices", "3", "method"]` → `choices.3.method`; query and path keep the name."""
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def django_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(message) for message in messages] for field, messages in error.message_dict.items()
        }
    return {}


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every failure of `api` answer with the one error body."""

    def respond(
        request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
    ) -> HttpResponse:
        return api.create_response(request, error_body(detail, errors), status=status)

    def on_input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_input_field(list(error.get("loc", []))), []).append(_input_message(error))
        return respond(
            request, 400, _("Certaines données sont invalides : corrigez les champs indiqués."), errors
        )

    def on_domain_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = django_errors(exc)
        if errors and len(exc.messages) > 1:
            detail = _("Certaines données sont invalides : corrigez les champs indiqués.")
        else:
            detail = " ".join(str(message) for message in exc.messages)
        return respond(request, 400, detail, errors)

    def on_no_longer_available(request: HttpRequest, exc: NoLongerAvailable) -> HttpResponse:
        return respond(request, 409, " ".join(str(message) for message in exc.messages), django_errors(exc))

    def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return respond(request, 409, exc.message, exc.errors)

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = exc.message
        if detail == "Unauthorized":  # ninja's own words when no credential came at all
            detail = _("Identifiez-vous : session du navigateur ou jeton d'API (Authorization: Bearer).")
        response = respond(request, 401, detail)
        response["WWW-Authenticate"] = "Bearer"
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = exc.message
        if message.startswith("Cannot parse request body"):  # ninja's words for a body json cannot read
            message = _("Le corps de la requête n'est pas un JSON valide (en UTF-8, sans caractère nul).")
        return respond(request, exc.status_code, message)

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or _("Vous n'avez pas le droit de faire cela."))

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = str(exc) if isinstance(exc, Http404) and exc.args else ""
        return respond(request, 404, message or _("Introuvable."))

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged as Django logs a 500, so that error reports reach the team; the caller gets the one body.
        request_logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        return respond(
            request, 500, _("Une erreur est survenue de notre côté. Réessayez dans quelques instants.")
        )

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (InputError, on_input_error),
        (ValidationError, on_domain_error),
        (NoLongerAvailable, on_no_longer_available),
        (Conflict, on_conflict),
        (AuthenticationError, on_authentication),
        (HttpError, on_http_error),
        (PermissionDenied, on_permission_denied),
        (Http404, on_not_found),
        (ObjectDoesNotExist, on_not_found),
        (Exception, on_unexpected),
    ]
    for exception, handler in handlers:
        api.add_exception_handler(exception, handler)
