"""What a campaign says: the newsletter (its introduction and the week's agenda) or a shop's offer, as an HTML
e-mail, its text version and an SMS, rendered by the worker with absolute links.

A campaign is rendered once per batch of recipients and language (each subscriber reads it in the language it
subscribed in: `message_language`); each recipient's own links (one-click unsubscribe and
preferences, secret and signed) are put in afterwards in place of `UNSUBSCRIBE` and `PREFERENCES`, so that
100,000 messages cost one template rendering per batch, not one each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from centreville.agenda.models import Event, Publication
from centreville.agenda.selectors import AgendaItem, agenda_items
from centreville.core.links import absolute_url

from . import links
from .models import Campaign, CampaignKind

UNSUBSCRIBE = "@@news-unsubscribe@@"
PREFERENCES = "@@news-preferences@@"
AGENDA_DAYS = 7
SMS_LENGTH = 300  # two SMS at most, the STOP mention included


@dataclass(frozen=True)
class AgendaDay:
    day: date
    items: list[AgendaItem]


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str
    sms: str

    def for_recipient(self, *, unsubscribe_url: str, preferences_url: str) -> tuple[str, str, str]:
        """The HTML, text and SMS with this recipient's links."""

        def fill(content: str) -> str:
            return content.replace(UNSUBSCRIBE, unsubscribe_url).replace(PREFERENCES, preferences_url)

        return fill(self.html), fill(self.text), self.sms


def message_language(code: str | None) -> str:
    """The language a subscriber's messages are written in: theirs when the platform speaks it (« en-gb » is
    English), else the platform's own."""
    try:
        return translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
    except LookupError:
        return str(settings.LANGUAGE_CODE)


def week_agenda(*, town_id: int, tz_name: str, at: datetime) -> list[AgendaDay]:
    """The published dates (town events and shops' offers) of the 7 calendar days from `at`'s day on the
    town's clock: from that day's midnight to the midnight 7 days later (167 or 169 hours across a clock
    change), grouped by the local day each starts on (a date begun before the first day is shown on it)."""
    zone = ZoneInfo(tz_name)
    first = at.astimezone(zone).date()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(first + timedelta(days=AGENDA_DAYS), time.min, tzinfo=zone)
    days: dict[date, list[AgendaItem]] = {}
    for item in agenda_items(town_id=town_id, start=start, end=end):
        day = max(item.starts_at.astimezone(zone).date(), first)
        days.setdefault(day, []).append(item)
    return [AgendaDay(day=day, items=items) for day, items in sorted(days.items())]


def _event_url(town_slug: str, item: AgendaItem) -> str:
    """The page of the event or the offer: its dates, place, shops and where to park."""
    return absolute_url(reverse("agenda_public:event", args=[town_slug, item.key]))


def render_campaign(campaign: Campaign, *, at: datetime, language: str | None = None) -> Rendered:
    """The campaign's message, on the town's clock, in `language` (French by default)."""
    town = campaign.town
    sending_day = campaign.send_at or at
    language = message_language(language)
    context: dict[str, object] = {
        "LANGUAGE_CODE": language,
        "campaign": campaign,
        "town": town,
        "platform": settings.PLATFORM_NAME,
        "unsubscribe_url": UNSUBSCRIBE,
        "preferences_url": PREFERENCES,
        "news_url": absolute_url(reverse("news_public:subscribe", args=[town.slug])),
        "agenda_url": absolute_url(reverse("agenda_public:agenda", args=[town.slug])),
    }
    if campaign.kind == CampaignKind.NEWSLETTER:
        agenda = week_agenda(town_id=town.pk, tz_name=town.timezone, at=sending_day)
        context["agenda"] = [
            {"day": day.day, "items": [(item, _event_url(town.slug, item)) for item in day.items]}
            for day in agenda
        ]
        template = "newsletter"
    else:
        shop = campaign.shop
        assert shop is not None
        context["shop"] = shop
        context["shop_url"] = absolute_url(reverse("catalogue:shop", args=[town.slug, shop.slug]))
        event = campaign.event
        if event is not None and event.publication == Publication.PUBLISHED:
            context["event"] = event
            dates = agenda_items(
                town_id=town.pk,
                start=sending_day,
                end=sending_day + timedelta(days=60),
                shop_id=shop.pk,
                limit=50,
            )
            context["event_dates"] = [item for item in dates if item.event_id == event.pk][:5]
        template = "offer"
    with translation.override(language), timezone.override(town.timezone):
        html = render_to_string(f"news/email/{template}.html", context)
        text = render_to_string(f"news/email/{template}.txt", context)
        sms = _sms(campaign)
    return Rendered(subject=campaign.subject, html=html, text=_tidy(text), sms=sms)


def _sms(campaign: Campaign) -> str:
    sender = campaign.shop.name if campaign.shop is not None else campaign.town.name
    stop = links.sms_stop_mention()
    news_url = absolute_url(reverse("news_public:subscribe", args=[campaign.town.slug]))
    body = campaign.introduction.strip() if campaign.kind == CampaignKind.OFFER else ""
    if campaign.event is not None and not body:
        body = campaign.event.title
    head = f"{sender} : {campaign.subject}"
    if body and body != campaign.subject:
        head += f" — {body}"
    tail = f" {news_url} {stop}"
    room = SMS_LENGTH - len(tail)
    if len(head) > room:
        head = head[: room - 1].rstrip() + "…"
    return " ".join(head.split()) + tail


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if not line and tidy and not tidy[-1]:
            continue
        tidy.append(line)
    return "\n".join(tidy) + "\n"


def current_offers(*, shop_id: int, at: datetime) -> list[Event]:
    """The shop's published offers not over at `at` (those a merchant may announce), soonest first."""
    from django.db.models import Q

    return list(
        Event.objects.filter(shop_id=shop_id, publication=Publication.PUBLISHED)
        .filter(Q(last_ends_at__isnull=True) | Q(last_ends_at__gt=at))
        .exclude(status="cancelled")
        .order_by("starts_at", "pk")
    )


def recipient_links(*, town_slug: str, subscriber_key: str, subscription_id: int) -> tuple[str, str]:
    return (
        links.unsubscribe_url(
            town_slug=town_slug, subscriber_key=subscriber_key, subscription_id=subscription_id
        ),
        links.preferences_url(town_slug=town_slug, subscriber_key=subscriber_key),
    )
