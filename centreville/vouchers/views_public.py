"""The residents' voucher pages: the space's programmes, one programme, and a voucher's own page.

A voucher's page is a secret link: its address holds the voucher's code, which no one can guess (75 random
bits), so the page is never indexed, kept by a shared cache, or named to another site in a Referer. The
« Consulter mon solde » form (a GET: it only reads) leads there; wrong codes count against the visitor's
address, so that codes cannot be tried by the thousand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import segno
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from centreville.core.access import public, secret_link
from centreville.core.clientip import client_ip
from centreville.core.links import absolute_url
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import selectors
from .codes import code_read
from .forms_public import BalanceForm

# Wrong codes typed from one address in an hour before the form stops answering.
BALANCE_GUESSES_PER_HOUR = 20
_HOUR = 3600


def _private(response: HttpResponse) -> HttpResponse:
    """A page whose address or content holds a voucher's code: for its holder's eyes only."""
    add_never_cache_headers(response)  # private, no-store: no shared cache keeps it
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _guesses_key(request: HttpRequest, at: datetime) -> str:
    return f"vouchers:balance-guesses:{client_ip(request)}:{int(at.timestamp()) // _HOUR}"


def _count_wrong_guess(key: str) -> None:
    if not cache.add(key, 1, timeout=_HOUR):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=_HOUR)


@dataclass(frozen=True)
class _Lookup:
    form: BalanceForm
    found: HttpResponse | None = None  # the voucher's page, when the code is one of the space's
    status: int = 200


def _balance_lookup(request: HttpRequest, space: Space, at: datetime) -> _Lookup:
    """The page's « Consulter mon solde » form: empty; or, with a typed code, the way to the voucher's page,
    or the form with its French error."""
    if "code" not in request.GET:
        return _Lookup(BalanceForm())
    form = BalanceForm(request.GET)
    key = _guesses_key(request, at)
    if (cache.get(key) or 0) >= BALANCE_GUESSES_PER_HOUR:
        form.is_valid()
        form.errors.clear()
        form.add_error(
            "code",
            _(
                "Trop de codes erronés ont été essayés depuis votre connexion : réessayez dans une heure, "
                "ou demandez votre solde dans un commerce participant."
            ),
        )
        return _Lookup(form, status=429)
    if form.is_valid():
        code = selectors.voucher_code_in_space(space, form.cleaned_data["code"])
        if code is not None:
            return _Lookup(form, found=redirect("vouchers_public:wallet", space.slug, code))
        form.add_error("code", _("Aucun bon ne porte ce code : vérifiez-le."))
        _count_wrong_guess(key)
    elif form.has_error("code", "malformed"):
        _count_wrong_guess(key)
    return _Lookup(form, status=400)


def _page(
    request: HttpRequest, template: str, context: Mapping[str, object], lookup: _Lookup
) -> HttpResponse:
    response = render(request, template, {**context, "balance_form": lookup.form}, status=lookup.status)
    # With a typed code in its address, the page is as private as the voucher's own.
    return _private(response) if lookup.form.is_bound else response


@require_safe
@space_view()
@public
def programmes(request: HttpRequest, space: Space) -> HttpResponse:
    now = timezone.now()
    lookup = _balance_lookup(request, space, now)
    if lookup.found is not None:
        return _private(lookup.found)
    context = {"programmes": selectors.programmes_for_residents(space, at=now)}
    return _page(request, "vouchers/public/programmes.html", context, lookup)


@require_safe
@space_view()
@public
def programme(request: HttpRequest, space: Space, programme_slug: str) -> HttpResponse:
    now = timezone.now()
    shown = selectors.programme_for_residents(space, programme_slug, at=now)
    if shown is None:
        raise Http404
    lookup = _balance_lookup(request, space, now)
    if lookup.found is not None:
        return _private(lookup.found)
    return _page(request, "vouchers/public/programme.html", {"shown": shown}, lookup)


def qr_svg(url: str, *, label: str) -> str:
    """An inline SVG QR code of `url`, with its accessible name; white behind it, for any screen or paper."""
    svg = segno.make_qr(url, error="q").svg_inline(
        scale=1, border=4, omitsize=True, dark="#000", light="#fff", svgclass=None, lineclass=None
    )
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


@require_safe
@never_cache
@space_view()
@secret_link
def wallet(request: HttpRequest, space: Space, code: str) -> HttpResponse:
    read = code_read(code)
    if read is None:
        raise Http404
    if read != code:  # typed by hand in lower case or with dashes: the one address of the voucher
        return _private(redirect("vouchers_public:wallet", space.slug, read))
    now = timezone.now()
    found = selectors.wallet(space, read, at=now)
    if found is None:
        raise Http404
    address = absolute_url(reverse("vouchers_public:wallet", args=[found.owner_slug, read]))
    context = {
        "wallet": found,
        "address": address,
        "qr": qr_svg(address, label=_("QR code du bon, à présenter en caisse")),
    }
    return _private(render(request, "vouchers/public/wallet.html", context))
