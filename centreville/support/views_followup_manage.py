"""The town team's follow-up of its merchants: who was diagnosed, trained, coached; stalled actions; pages to
refresh; the list as a spreadsheet; one shop's whole follow-up."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from centreville.core.spreadsheets import spreadsheet_text, spreadsheet_writer
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from .followup import (
    FollowUpFilter,
    MerchantFollowUp,
    filter_followup,
    followup_counts,
    merchants_followup,
    shop_followup,
)

FOLLOW_UP = "support.follow_up"
ROWS_PER_PAGE = 50


@require_safe
@space_view(single_town=True, permission=FOLLOW_UP)
def followup_list(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    at = timezone.now()
    which = next((f for f in FollowUpFilter if f.value == request.GET.get("voir")), FollowUpFilter.ALL)
    name = request.GET.get("nom", "")[:120]
    rows = merchants_followup(town_id=space.town.pk, at=at)
    shown = filter_followup(rows, which=which, name=name)
    if request.GET.get("format") == "csv":
        return _followup_csv(space, shown)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(shown, ROWS_PER_PAGE).get_page(request.GET.get("page", 1))
    counts = followup_counts(rows)
    context = {
        "page": page,
        "rows": page.object_list,
        "which": which,
        "name": name,
        "filters": [(f, counts[f]) for f in FollowUpFilter],
        "filtered": which is not FollowUpFilter.ALL or bool(name.strip()),
        "page_query": query.urlencode(),
        "csv_query": f"{query.urlencode()}&format=csv" if query else "format=csv",
    }
    return render(request, "support/followup/list.html", context)


def _followup_csv(space: Space, rows: list[MerchantFollowUp]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="accompagnement-{space.slug}.csv"'
    writer = spreadsheet_writer(response)
    writer.writerow(
        [
            _("Commerce"),
            _("Dernier diagnostic"),
            _("Score"),
            _("Score précédent"),
            _("Diagnostics"),
            _("Formations suivies"),
            _("Inscriptions à venir"),
            _("Tâches ouvertes"),
            _("Tâches en retard"),
            _("Programme"),
            _("Action"),
            _("Expert"),
            _("État de l'action"),
            _("Dernière activité"),
            _("Action en panne"),
            _("À améliorer sur la page"),
        ]
    )
    for row in rows:
        diagnostic, training, coaching = row.diagnostic, row.training, row.coaching
        writer.writerow(
            [
                spreadsheet_text(row.name),
                diagnostic.taken_on.isoformat() if diagnostic else "",
                diagnostic.score if diagnostic else "",
                diagnostic.previous_score if diagnostic and diagnostic.previous_score is not None else "",
                diagnostic.count if diagnostic else 0,
                training.sessions_attended if training else 0,
                training.registered_upcoming if training else 0,
                training.open_tasks if training else 0,
                training.overdue_tasks if training else 0,
                spreadsheet_text(coaching.programme) if coaching else "",
                spreadsheet_text(coaching.action) if coaching else "",
                spreadsheet_text(coaching.expert) if coaching else "",
                coaching.status if coaching else "",
                coaching.last_activity_on.isoformat() if coaching and coaching.last_activity_on else "",
                (_("oui") if coaching.stalled else _("non")) if coaching else "",
                " ; ".join(row.signal_labels),
            ]
        )
    return response


@require_safe
@space_view(single_town=True, permission=FOLLOW_UP)
def followup_shop(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = get_object_or_404(Shop, town=space.town, slug=shop_slug)
    followup = shop_followup(shop=shop, at=timezone.now())
    # Each feature renders its own section from its own context.
    sections = [
        render_to_string(f"support/{feature}/_shop_followup.html", followup[feature], request)
        for feature in ("diagnostic", "training", "coaching")
    ]
    context = {"shop": shop, "signals": followup["signals"], "sections": sections}
    return render(request, "support/followup/shop.html", context)
