"""The rules of trade the town keeps: its « dimanches du maire », the declarations of sales « au déballage ».

Sundays (Code du travail, L3132-26): at most `MAX_SUNDAYS` a calendar year, counted under a lock on the
town's row so that two managers adding at once cannot make one too many. A shop that joins a Sunday gets,
in the same transaction, an offer of kind `sunday_opening` on that date in the agenda (a real row rather than
one derived at read time, so that every face of the agenda — lists, feeds, the shop's page — shows it with no
special case). The offer is tied to its Sunday by `source="sunday_opening"` and a `source_uid` naming the
Sunday and the shop; leaving the Sunday, or the Sunday being removed, deletes it.

Braderies (Code de commerce, L310-2 and R310-8): declared at least `NOTICE_DAYS` days before the first day
(a late declaration is recorded as refused, with the reason), and at most `MAX_DAYS_PER_YEAR` days a calendar
year on one site, counted over the accepted declarations of that site (`site_key`), each year apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centreville.accounts.models import User
from centreville.core.pagecache import town_public_data_changed
from centreville.shops.models import Shop
from centreville.towns.models import Town

from .models import (
    BraderieDeclaration,
    DeclarationStatus,
    Event,
    EventKind,
    PlaceKind,
    Publication,
    SundayOpening,
    SundayOpeningShop,
)
from .recurrence import refresh_occurrences

MAX_SUNDAYS = 12
NOTICE_DAYS = 15
MAX_DAYS_PER_YEAR = 61
SUNDAY_SOURCE = "sunday_opening"
_HOURS = re.compile(r"^\s*(\d{1,2})[:h](\d{2})\s*[-–à]\s*(\d{1,2})[:h](\d{2})\s*$")


# --- Sundays ---------------------------------------------------------------------------------------------


@transaction.atomic
def sunday_add(*, town: Town, day: date, decree: str = "", note: str = "") -> SundayOpening:
    """Add a Sunday to the town's list; refused if not a Sunday, already listed, or the 13th of its year."""
    if day.weekday() != 6:
        raise ValidationError(
            {"date": _("Le %(date)s n'est pas un dimanche.") % {"date": day.strftime("%d/%m/%Y")}}
        )
    # The town's row serialises the count of its Sundays.
    Town.objects.select_for_update().only("pk").get(pk=town.pk)
    existing = SundayOpening.objects.for_town(town).filter(date__year=day.year)
    if existing.filter(date=day).exists():
        raise ValidationError({"date": _("Ce dimanche est déjà dans la liste.")})
    if existing.count() >= MAX_SUNDAYS:
        raise ValidationError(
            {
                "date": _(
                    "La loi permet au plus %(max)s dimanches du maire par année civile : %(year)s en compte "
                    "déjà %(max)s. Retirez-en un avant d'en ajouter un autre."
                )
                % {"max": MAX_SUNDAYS, "year": day.year}
            }
        )
    sunday = SundayOpening(town=town, date=day, decree=decree.strip(), note=note.strip())
    sunday.full_clean()
    sunday.save()
    return sunday


@transaction.atomic
def sunday_remove(*, sunday: SundayOpening) -> None:
    """Remove a Sunday, the shops' openings on it and their offers in the agenda."""
    Event.objects.filter(
        town_id=sunday.town_id, source=SUNDAY_SOURCE, source_uid__startswith=f"sunday-{sunday.pk}-"
    ).delete()
    town_id = sunday.town_id
    sunday.delete()
    town_public_data_changed(town_id)


def parse_hours(text: str) -> tuple[time, time] | None:
    """« 10:00-18:00 » as two times; None for an empty text (the whole day); a French error otherwise."""
    if not text.strip():
        return None
    match = _HOURS.match(text)
    if not match:
        raise ValidationError({"hours": _("Horaires illisibles : écrivez-les sous la forme 10:00-18:00.")})
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h2, m2) <= (h1, m1):
        raise ValidationError({"hours": _("L'heure de fermeture doit venir après l'heure d'ouverture.")})
    return time(h1, m1), time(h2, m2)


def _sunday_uid(sunday: SundayOpening, shop: Shop) -> str:
    return f"sunday-{sunday.pk}-shop-{shop.pk}"


@transaction.atomic
def sunday_join(
    *, sunday: SundayOpening, shop: Shop, hours: str, actor: User | None, at: datetime
) -> SundayOpeningShop:
    """The shop opens on this Sunday (with its hours, or all day); its opening is published in the agenda.

    Joining again changes the hours. A past Sunday cannot be joined.
    """
    if shop.town_id != sunday.town_id:
        raise ValidationError(_("Ce commerce n'est pas dans cette ville."))
    town = shop.town
    zone = ZoneInfo(town.timezone)
    if sunday.date < at.astimezone(zone).date():
        raise ValidationError(_("Ce dimanche est passé."))
    parsed = parse_hours(hours)
    if parsed is None:
        starts_at = datetime.combine(sunday.date, time.min, tzinfo=zone)
        ends_at = datetime.combine(sunday.date + timedelta(days=1), time.min, tzinfo=zone)
    else:
        starts_at = datetime.combine(sunday.date, parsed[0], tzinfo=zone)
        ends_at = datetime.combine(sunday.date, parsed[1], tzinfo=zone)
    opening, _created = SundayOpeningShop.objects.select_for_update().get_or_create(sunday=sunday, shop=shop)
    opening.hours = "" if parsed is None else f"{parsed[0]:%H:%M}-{parsed[1]:%H:%M}"
    opening.full_clean()
    opening.save()
    uid = _sunday_uid(sunday, shop)
    event = Event.objects.filter(town=town, source=SUNDAY_SOURCE, source_uid=uid).first() or Event(
        town=town, shop=shop, source=SUNDAY_SOURCE, source_uid=uid, created_by=actor
    )
    event.kind = EventKind.SUNDAY_OPENING
    event.title = _("Ouvert le dimanche") + (f" — {sunday.note}" if sunday.note else "")
    event.place_kind = PlaceKind.SHOP
    event.starts_at, event.ends_at = starts_at, ends_at
    event.all_day = parsed is None
    event.timezone = town.timezone
    # The mayor's decree allows it: no check by the town team.
    event.publication = Publication.PUBLISHED
    if event.pk:
        event.sequence += 1
    event.full_clean()
    event.save()
    refresh_occurrences(event, at=at)
    town_public_data_changed(town.pk)
    return opening


@transaction.atomic
def sunday_leave(*, sunday: SundayOpening, shop: Shop) -> None:
    """The shop no longer opens on this Sunday; its offer leaves the agenda."""
    SundayOpeningShop.objects.filter(sunday=sunday, shop=shop).delete()
    Event.objects.filter(
        town_id=sunday.town_id, source=SUNDAY_SOURCE, source_uid=_sunday_uid(sunday, shop)
    ).delete()
    town_public_data_changed(sunday.town_id)


# --- Braderies ----------------------------------------------------------------------------------------------


def site_key(site: str) -> str:
    """The site compared across declarations: lower case, without accents, single spaces."""
    decomposed = unicodedata.normalize("NFKD", site)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(without_accents.lower().split())


def _days(first: date, last: date) -> set[date]:
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


@dataclass(frozen=True)
class YearCount:
    year: int
    already: int  # days of that year already taken by accepted declarations of the site
    asked: int  # days of that year this declaration adds (days already counted are not counted twice)

    @property
    def total(self) -> int:
        return self.already + self.asked

    @property
    def over(self) -> bool:
        return self.total > MAX_DAYS_PER_YEAR


@dataclass(frozen=True)
class DeclarationCheck:
    """What the law says of a declaration: its notice, and the days of its site in each year it touches."""

    notice_days: int
    late: bool
    years: tuple[YearCount, ...]

    @property
    def over_limit(self) -> bool:
        return any(year.over for year in self.years)

    @property
    def acceptable(self) -> bool:
        return not self.late and not self.over_limit


def declaration_check(
    *, town: Town, site: str, starts_on: date, ends_on: date, received_on: date, exclude_id: int | None = None
) -> DeclarationCheck:
    """Check a declaration against the 15 days' notice and the 61 days a year on its site."""
    key = site_key(site)
    accepted = BraderieDeclaration.objects.for_town(town).filter(
        site_key=key,
        status=DeclarationStatus.ACCEPTED,
        starts_on__lte=date(ends_on.year, 12, 31),
        ends_on__gte=date(starts_on.year, 1, 1),
    )
    if exclude_id is not None:
        accepted = accepted.exclude(pk=exclude_id)
    taken: set[date] = set()
    for first, last in accepted.values_list("starts_on", "ends_on"):
        taken |= _days(first, last)
    asked = _days(starts_on, ends_on)
    years = tuple(
        YearCount(
            year=year,
            already=sum(1 for day in taken if day.year == year),
            asked=sum(1 for day in asked - taken if day.year == year),
        )
        for year in range(starts_on.year, ends_on.year + 1)
    )
    notice = (starts_on - received_on).days
    return DeclarationCheck(notice_days=notice, late=notice < NOTICE_DAYS, years=years)


@dataclass(frozen=True)
class DeclarationData:
    declarant_name: str
    site: str
    starts_on: date
    ends_on: date
    goods: str
    received_on: date
    shop: Shop | None = None


def _late_reason(check: DeclarationCheck) -> str:
    if check.notice_days == 0:
        reason = _("Déclaration reçue le premier jour même : la loi demande au moins %(min)s jours.")
    else:
        reason = ngettext(
            "Déclaration reçue %(days)s jour avant le premier jour : la loi demande au moins %(min)s jours.",
            "Déclaration reçue %(days)s jours avant le premier jour : la loi demande au moins %(min)s jours.",
            check.notice_days,
        )
    return reason % {"days": check.notice_days, "min": NOTICE_DAYS}


@transaction.atomic
def declaration_record(*, town: Town, data: DeclarationData, actor: User | None) -> BraderieDeclaration:
    """Record a declaration as received; a late one is recorded as refused, with the reason."""
    if data.ends_on < data.starts_on:
        raise ValidationError({"ends_on": _("Le dernier jour doit venir après le premier.")})
    if data.received_on > data.starts_on:
        raise ValidationError(
            {"received_on": _("La déclaration est reçue après le premier jour de la vente.")}
        )
    if data.shop is not None and data.shop.town_id != town.pk:
        raise ValidationError({"shop": _("Ce commerce n'est pas dans cette ville.")})
    check = declaration_check(
        town=town,
        site=data.site,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        received_on=data.received_on,
    )
    declaration = BraderieDeclaration(
        town=town,
        declarant_name=data.declarant_name.strip(),
        shop=data.shop,
        site=data.site.strip(),
        site_key=site_key(data.site),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        goods=data.goods.strip(),
        received_on=data.received_on,
        recorded_by=actor,
    )
    if check.late:
        declaration.status = DeclarationStatus.REFUSED
        declaration.decision_note = _late_reason(check)
    declaration.full_clean()
    declaration.save()
    return declaration


@transaction.atomic
def declaration_decide(*, declaration: BraderieDeclaration, accept: bool, note: str) -> BraderieDeclaration:
    """Accept or refuse a received declaration. Accepting checks the rules again under a lock on the town, so
    that two acceptances at once cannot pass the 61 days of a site; a refusal says why."""
    Town.objects.select_for_update().only("pk").get(pk=declaration.town_id)
    declaration = BraderieDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.status != DeclarationStatus.RECEIVED:
        raise ValidationError(_("Cette déclaration a déjà été traitée."))
    note = " ".join(note.split())
    if accept:
        check = declaration_check(
            town=declaration.town,
            site=declaration.site,
            starts_on=declaration.starts_on,
            ends_on=declaration.ends_on,
            received_on=declaration.received_on,
            exclude_id=declaration.pk,
        )
        if check.late:
            raise ValidationError({"note": _late_reason(check)})
        for year in check.years:
            if year.over:
                raise ValidationError(
                    {
                        "note": _(
                            "Ce lieu compterait %(total)s jours de vente au déballage en %(year)s : "
                            "la loi en permet au plus %(max)s par année civile."
                        )
                        % {"total": year.total, "year": year.year, "max": MAX_DAYS_PER_YEAR}
                    }
                )
        declaration.status = DeclarationStatus.ACCEPTED
    else:
        if not note:
            raise ValidationError({"note": _("Dites pourquoi la déclaration est refusée.")})
        declaration.status = DeclarationStatus.REFUSED
    declaration.decision_note = note[:250]
    declaration.full_clean()
    declaration.save()
    return declaration


@transaction.atomic
def declaration_create_event(*, declaration: BraderieDeclaration, actor: User | None, at: datetime) -> Event:
    """The braderie of an accepted declaration in the agenda: on its site, every day from first to last."""
    declaration = (
        BraderieDeclaration.objects.select_for_update(of=("self",))
        .select_related("town")
        .get(pk=declaration.pk)
    )
    if declaration.status != DeclarationStatus.ACCEPTED:
        raise ValidationError(_("Seule une déclaration acceptée paraît dans l'agenda."))
    if declaration.event_id is not None:
        raise ValidationError(_("Cette braderie est déjà dans l'agenda."))
    town = declaration.town
    zone = ZoneInfo(town.timezone)
    event = Event(
        town=town,
        kind=EventKind.BRADERIE,
        title=_("Braderie — %(site)s") % {"site": declaration.site},
        description=declaration.goods,
        place_kind=PlaceKind.VENUE,
        venue_name=declaration.site[:150],
        starts_at=datetime.combine(declaration.starts_on, time.min, tzinfo=zone),
        ends_at=datetime.combine(declaration.starts_on + timedelta(days=1), time.min, tzinfo=zone),
        all_day=True,
        timezone=town.timezone,
        organiser_name=declaration.declarant_name,
        publication=Publication.PUBLISHED,
        created_by=actor,
    )
    days = (declaration.ends_on - declaration.starts_on).days + 1
    if days > 1:
        event.rrule = f"FREQ=DAILY;COUNT={days}"
    event.full_clean()
    event.save()
    declaration.event = event
    declaration.save(update_fields=["event", "updated_at"])
    refresh_occurrences(event, at=at)
    town_public_data_changed(town.pk)
    return event
