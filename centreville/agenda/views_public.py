"""The town's agenda for everyone: the list of its events and shops' offers by day (/<town>/agenda/, or a
territory's, listing its towns' events), and each event's or offer's page (/<town>/agenda/<slug>-<id>/, or its
uid), always under its own town.

Anonymous visitors are served from the page cache (expired by `town_public_data_changed` when an event
changes, and at midnight on the town's clock, when « aujourd'hui » moves); nothing here depends on who looks.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from centreville.core import french
from centreville.core.access import public
from centreville.core.links import absolute_url
from centreville.core.pagecache import cached_town_page, expire_page_at
from centreville.shops import seo
from centreville.shops.selectors import osm_link
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import jsonld, selectors
from .calendar_feeds import feed_address
from .models import OFFER_KINDS, TOWN_KINDS, Accessibility, Audience, EventKind, PlaceKind
from .selectors import KIND_OFFERS, KIND_TOWN, AgendaFilters, AgendaRange, Period

# The accessibility codes in a few words, so that the list fits a phone's width.
ACCESSIBILITY_CHOICES = [
    (Accessibility.MOBILITY.value, gettext_lazy("Mobilité réduite")),
    (Accessibility.HEARING.value, gettext_lazy("Handicap auditif")),
    (Accessibility.VISUAL.value, gettext_lazy("Handicap visuel")),
    (Accessibility.INTELLECTUAL.value, gettext_lazy("Handicap mental")),
    (Accessibility.PSYCHIC.value, gettext_lazy("Handicap psychique")),
]


def _kind_choices() -> list[Any]:
    town = [(kind.value, kind.label) for kind in EventKind if kind in TOWN_KINDS]
    offers = [(kind.value, kind.label) for kind in EventKind if kind in OFFER_KINDS]
    return [
        ("", _("Tout")),
        (_("Événements de la ville"), [(KIND_TOWN, _("Tous les événements")), *town]),
        (_("Offres des commerces"), [(KIND_OFFERS, _("Toutes les offres")), *offers]),
    ]


class AgendaForm(forms.Form):
    """The agenda's period and filters, sent by GET so that they work without JavaScript and can be kept."""

    quand = forms.ChoiceField(required=False, choices=[(period.value, period.value) for period in Period])
    semaine = forms.CharField(required=False)
    mois = forms.CharField(required=False)
    type = forms.ChoiceField(label=gettext_lazy("Quoi"), required=False)
    public = forms.ChoiceField(
        label=gettext_lazy("Pour qui"),
        required=False,
        help_text=gettext_lazy("Les événements « Tout public » sont montrés quel que soit le public choisi."),
    )
    accessibilite = forms.ChoiceField(label=gettext_lazy("Accessibilité"), required=False)

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        kind = self.fields["type"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = _kind_choices()
        audience = self.fields["public"]
        assert isinstance(audience, forms.ChoiceField)
        audience.choices = [("", _("Tous les publics")), *Audience.choices]
        access = self.fields["accessibilite"]
        assert isinstance(access, forms.ChoiceField)
        access.choices = [("", _("Sans critère")), *ACCESSIBILITY_CHOICES]
        for field in (kind, audience, access, self.fields["quand"]):
            field.error_messages["invalid_choice"] = _(
                "Ce choix n'existe pas : choisissez-en un dans la liste."
            )

    def period_errors(self) -> list[str]:
        """The errors of the period's parameters, which have no field on the page."""
        return [str(error) for name in ("quand", "semaine", "mois") for error in self.errors.get(name, [])]

    def clean_semaine(self) -> date | None:
        value = self.cleaned_data["semaine"].strip()
        if not value:
            return None
        try:
            return datetime.strptime(value + "-1", "%G-W%V-%u").date()
        except ValueError:
            raise forms.ValidationError(
                _("Semaine illisible : « %(value)s ». Écrivez-la comme 2026-W50."), params={"value": value}
            ) from None

    def clean_mois(self) -> date | None:
        value = self.cleaned_data["mois"].strip()
        if not value:
            return None
        try:
            return datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(
                _("Mois illisible : « %(value)s ». Écrivez-le comme 2026-12."), params={"value": value}
            ) from None

    def choice(self, *, today: date) -> tuple[AgendaRange, AgendaFilters]:
        """The days and filters asked for; a value that is not valid is left out rather than failing the page
        (its error is shown above the list)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        week, month = cleaned.get("semaine"), cleaned.get("mois")
        if week is not None:
            days = selectors.agenda_range(period=Period.WEEK, today=today, week=week)
        elif month is not None:
            days = selectors.agenda_range(period=Period.MONTH, today=today, month=month)
        else:
            days = selectors.agenda_range(period=Period(cleaned.get("quand") or Period.MONTH), today=today)
        filters = AgendaFilters(
            kind=cleaned.get("type") or "",
            audience=cleaned.get("public") or "",
            accessibility=cleaned.get("accessibilite") or "",
        )
        return days, filters


def _filter_params(filters: AgendaFilters) -> dict[str, str]:
    params = {"type": filters.kind, "public": filters.audience, "accessibilite": filters.accessibility}
    return {name: value for name, value in params.items() if value}


def _kind_feed(space: Space, kind: str) -> dict[str, Any]:
    """The feed of the kind the agenda is filtered on, when it is one kind (not all the town's events, not
    all the offers)."""
    if kind not in EventKind.values:
        return {}
    return {
        "kind_feed": feed_address(reverse("agenda_public:kind_feed", args=[space.slug, kind])),
        "kind_feed_label": EventKind(kind).label,
    }


def _period_title(days: AgendaRange, today: date) -> str:
    if days.period is Period.TODAY:
        return _("Aujourd'hui, %(day)s") % {"day": date_format(today, "l j F")}
    if days.period is Period.WEEKEND:
        return _("Ce week-end, %(saturday)s et %(sunday)s") % {
            "saturday": date_format(days.label_start, "l j"),
            "sunday": date_format(days.last, "l j F"),
        }
    if days.period is Period.WEEK:
        return _("Semaine du %(first)s au %(last)s") % {
            "first": date_format(days.label_start, "j F"),
            "last": date_format(days.last, "j F Y"),
        }
    return date_format(days.label_start, "F Y").capitalize()


@require_safe
@space_view()
@cached_town_page(metric=None)
@public
def agenda(request: HttpRequest, space: Space) -> HttpResponse:
    """A town's agenda, or a territory's: the events of all its towns, each named, each leading to its page
    under its own town."""
    # A territory's towns share one clock: the first one's.
    zone_name = space.towns[0].timezone
    now = timezone.now()
    today = now.astimezone(ZoneInfo(zone_name)).date()
    form = AgendaForm(request.GET)
    days, filters = form.choice(today=today)
    content = selectors.agenda_page(
        towns=space.towns, days=days, filters=filters, at=now, page_number=request.GET.get("page", 1)
    )
    keep = _filter_params(filters)
    period_params = {"quand": days.period.value} if days.period in (Period.TODAY, Period.WEEKEND) else {}
    if days.period is Period.WEEK:
        period_params = {
            "semaine": f"{days.label_start.isocalendar()[0]}-W{days.label_start.isocalendar()[1]:02d}"
        }
    elif days.period is Period.MONTH:
        period_params = {"mois": f"{days.label_start.year}-{days.label_start.month:02d}"}
    path = reverse("agenda_public:agenda", args=[space.slug])
    periods = [
        (Period.TODAY, _("Aujourd'hui")),
        (Period.WEEKEND, _("Ce week-end")),
        (Period.WEEK, _("Cette semaine")),
        (Period.MONTH, _("Ce mois-ci")),
    ]
    # « Ce week-end » is this weekend from any day; a week or a month is « this » one when it holds today.
    is_current = days.period in (Period.TODAY, Period.WEEKEND) or days.label_start <= today <= days.last
    meta = seo.PageMeta(
        title=_("%(space)s : l'agenda") % {"space": space.name},
        description=_(
            "%(space)s : les marchés, fêtes, concerts et offres des commerces du centre-ville, jour par jour."
        )
        % {"space": space.name},
        canonical=seo.canonical_url(path),
    )
    context = {
        "meta": meta,
        "form": form,
        "filters": filters,
        "days": days,
        "content": content,
        "period_title": _period_title(days, today),
        "periods": [
            {
                "label": label,
                "url": f"{path}?{urlencode({'quand': period.value, **keep})}",
                "current": is_current and period is days.period,
            }
            for period, label in periods
        ],
        "hidden_period": period_params,
        "previous_url": f"{path}?{urlencode({**days.previous, **keep})}" if days.previous else "",
        "next_url": f"{path}?{urlencode({**days.next, **keep})}" if days.next else "",
        "page_query": urlencode({**period_params, **keep}),
        "clear_url": f"{path}?{urlencode(period_params)}" if period_params else path,
        "timezone": zone_name,
        "today": today,
        "town_feed": feed_address(reverse("agenda_public:feed", args=[space.slug])),
        "town_feed_title": _("L'agenda %(de_name)s") % {"de_name": french.de(space.name)},
        **_kind_feed(space, filters.kind),
    }
    return expire_page_at(render(request, "agenda/public/agenda.html", context), content.valid_until, now=now)


@require_safe
@space_view(single_town=True)
@cached_town_page(metric=None)
@public
def event_detail(request: HttpRequest, space: Space, key: str) -> HttpResponse:
    town = space.town
    assert town is not None
    now = timezone.now()
    event = selectors.find_event(town_id=town.pk, key=key)
    if event is None:
        raise Http404
    canonical_key = selectors.event_key(event.pk, event.title)
    if key != canonical_key and not _is_uuid(key):
        return redirect("agenda_public:event", space.slug, canonical_key, permanent=True)
    content = selectors.event_page(event=event, at=now)
    event = content.event
    url = seo.canonical_url(reverse("agenda_public:event", args=[space.slug, canonical_key]))
    shop_url = (
        seo.canonical_url(reverse("catalogue:shop", args=[space.slug, event.shop.slug])) if event.shop else ""
    )
    image = absolute_url(content.photo.large.url) if content.photo and content.photo.large else ""
    data = jsonld.event_json_ld(
        content,
        url=url,
        image=image,
        town_name=town.name,
        town_url=seo.canonical_url(reverse("showcase:home", args=[space.slug])),
        postcode=town.postcodes[0] if town.postcodes else "",
        shop_url=shop_url,
        parent_url=seo.canonical_url(reverse("agenda_public:event", args=[space.slug, content.parent_key]))
        if content.parent
        else "",
        offer_urls={
            offer.event.pk: seo.canonical_url(reverse("agenda_public:event", args=[space.slug, offer.key]))
            for offer in content.offers
        },
    )
    meta = seo.PageMeta(
        title=event.title,
        description=seo.summary(event.description) or f"{event.title} — {town.name}",
        canonical=url,
        image=image,
        image_alt=content.photo.alt_text if content.photo else "",
        json_ld=seo.ld_json(data),
    )
    shop = event.shop
    map_link = ""
    if event.place_kind == PlaceKind.SHOP and shop is not None:
        map_link = osm_link(shop)
    elif event.latitude is not None and event.longitude is not None:
        lat, lon = event.latitude, event.longitude
        map_link = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
    shown = content.shown_date
    parking = selectors.event_parking(
        event=event, at=now, next_start=shown[0] if shown and not content.is_over else None
    )
    context = {
        "parking": parking,
        "meta": meta,
        "content": content,
        "event": event,
        "shop": shop,
        "map_link": map_link,
        "timezone": town.timezone,
        "agenda_url": reverse("agenda_public:agenda", args=[space.slug]),
        "event_feed": feed_address(reverse("agenda_public:event_ics", args=[space.slug, event.uid])),
        "town_feed": feed_address(reverse("agenda_public:feed", args=[space.slug])),
        "town_feed_title": _("L'agenda %(de_name)s") % {"de_name": french.de(space.name)},
    }
    valid_until = min(content.valid_until, parking.valid_until) if parking else content.valid_until
    return expire_page_at(render(request, "agenda/public/event.html", context), valid_until, now=now)


def _is_uuid(key: str) -> bool:
    try:
        uuid.UUID(key)
    except ValueError:
        return False
    return True
