"""The town team's newsletter pages: the list and subscriber counts, writing a letter, its preview (HTML and
text), a test send to oneself, sending now or at a planned time, its progress; and the news settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.accounts.models import User
from centreville.core.links import absolute_url
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import campaigns, letters, selectors
from .forms import NewsletterForm, NewsSettingsForm, ScheduleForm
from .models import Campaign, CampaignKind, CampaignStatus

MANAGE = "towns.change_town"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _campaign(space: Space, campaign_id: int) -> Campaign:
    found = selectors.town_campaign(_town(space), campaign_id)
    if found is None:
        raise Http404
    return found


@require_safe
@space_view(single_town=True, permission=MANAGE)
def letters_list(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    newsletters = selectors.town_campaigns(town, kind=CampaignKind.NEWSLETTER)
    context = {
        "counts": selectors.subscriber_counts(town=town, shop=None),
        "newsletters": [(row, campaigns.campaign_progress(row)) for row in newsletters],
        "offers": selectors.town_campaigns(town, kind=CampaignKind.OFFER, limit=20),
        "settings_row": campaigns.news_settings(town),
    }
    return render(request, "news/manage_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True, permission=MANAGE)
def letter_create(request: HttpRequest, space: Space) -> HttpResponse:
    form = NewsletterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        campaign = campaigns.newsletter_create(
            town=_town(space),
            subject=form.cleaned_data["subject"],
            introduction=form.cleaned_data["introduction"],
            author=user,
            at=timezone.now(),
        )
        return redirect("news_manage:letter", space.slug, campaign.pk)
    return render(request, "news/manage_form.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True, permission=MANAGE)
def letter_edit(request: HttpRequest, space: Space, campaign_id: int) -> HttpResponse:
    campaign = _campaign(space, campaign_id)
    initial = {"subject": campaign.subject, "introduction": campaign.introduction}
    form = NewsletterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.newsletter_update(
                campaign=campaign,
                subject=form.cleaned_data["subject"],
                introduction=form.cleaned_data["introduction"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("news_manage:letter", space.slug, campaign.pk)
    return render(
        request,
        "news/manage_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@require_safe
@space_view(single_town=True, permission=MANAGE)
def letter(request: HttpRequest, space: Space, campaign_id: int) -> HttpResponse:
    campaign = _campaign(space, campaign_id)
    town = _town(space)
    progress = campaigns.campaign_progress(campaign)
    with timezone.override(town.timezone):
        schedule = ScheduleForm(initial={"send_at": campaign.send_at})
    context = {
        "campaign": campaign,
        "progress": progress,
        "failures": campaigns.campaign_failures(campaign),
        "schedule_form": schedule,
        "counts": selectors.subscriber_counts(town=town, shop=None),
        "editable": campaign.status in (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED),
        "refresh": campaign.status == CampaignStatus.SENDING,
        "statuses": CampaignStatus,
    }
    return render(request, "news/manage_letter.html", context)


@require_safe
@space_view(single_town=True, permission=MANAGE)
def letter_preview(request: HttpRequest, space: Space, campaign_id: int, format: str) -> HttpResponse:
    campaign = _campaign(space, campaign_id)
    rendered = letters.render_campaign(campaign, at=timezone.now())
    page = absolute_url(request.path)  # never the request's Host header (core.links)
    html, text, sms = rendered.for_recipient(unsubscribe_url=page, preferences_url=page)
    if format == "texte":
        body = f"{rendered.subject}\n\n{text}\n-- SMS --\n{sms}\n"
        return HttpResponse(body, content_type="text/plain; charset=utf-8")
    return HttpResponse(html)


@require_POST
@space_view(single_town=True, permission=MANAGE)
def letter_test(request: HttpRequest, space: Space, campaign_id: int) -> HttpResponse:
    campaign = _campaign(space, campaign_id)
    address = (request.user.email or "").strip()  # type: ignore[union-attr]
    if not address:
        messages.error(request, _("Votre compte n'a pas d'adresse e-mail."))
    else:
        from .tasks import send_test

        send_test.enqueue(campaign.pk, address)
        messages.success(request, _("Un essai part vers %(address)s.") % {"address": address})
    return redirect("news_manage:letter", space.slug, campaign.pk)


@require_POST
@space_view(single_town=True, permission=MANAGE)
def letter_send(request: HttpRequest, space: Space, campaign_id: int) -> HttpResponse:
    campaign, now = _campaign(space, campaign_id), timezone.now()
    with timezone.override(_town(space).timezone):
        form = ScheduleForm(request.POST)
        valid = form.is_valid()
    if not valid:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("news_manage:letter", space.slug, campaign.pk)
    try:
        if request.POST.get("action") == "unschedule":
            campaigns.newsletter_unschedule(campaign=campaign)
            messages.success(
                request, _("L'envoi programmé est annulé : la lettre est de nouveau un brouillon.")
            )
        else:
            send_at = form.cleaned_data.get("send_at")
            if send_at is not None and send_at <= now:
                raise ValidationError(
                    _("Cette date est passée : choisissez un moment à venir, ou laissez vide.")
                )
            campaigns.newsletter_schedule(campaign=campaign, send_at=send_at, at=now)
            messages.success(
                request,
                _("La lettre partira à l'heure prévue.")
                if send_at
                else _("La lettre part vers les abonnés."),
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("news_manage:letter", space.slug, campaign.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True, permission=MANAGE)
def news_settings(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    row = campaigns.news_settings(town)
    form = NewsSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        campaigns.news_settings_update(
            town=town, monthly_sends_per_shop=form.cleaned_data["monthly_sends_per_shop"]
        )
        messages.success(request, _("Réglages enregistrés."))
        return redirect("news_manage:letters", space.slug)
    return render(request, "news/manage_settings.html", {"form": form}, status=400 if form.errors else 200)
