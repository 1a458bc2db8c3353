"""The town team's editing of the self-diagnostic: the questionnaire's versions, a draft's areas, questions,
answers and sheets, publishing. The platform's administrators edit the platform's questionnaire from any
town's pages. A published version is only read: editing opens a draft copy, so past results never change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.accounts.models import User
from centreville.accounts.predicates import is_platform_admin
from centreville.core.forms import add_service_error
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import diagnostic, services_diagnostic
from .forms_diagnostic import AreaForm, ChoiceFormSet, QuestionForm, SheetForm
from .models import Area, Question, Questionnaire, QuestionnaireVersion, RecommendationSheet

EDIT = "support.edit_diagnostic"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _may_edit(user: Any, questionnaire: Questionnaire) -> bool:
    """The town's team edits the town's questionnaire; only the platform's administrators the platform's."""
    return questionnaire.town_id is not None or bool(is_platform_admin(user))


def _version_or_404(request: HttpRequest, town: Town, version_id: int) -> QuestionnaireVersion:
    """A version of the town's questionnaire or of the platform's."""
    version = (
        QuestionnaireVersion.objects.filter(pk=version_id, questionnaire__town__in=[town])
        .select_related("questionnaire")
        .first()
        or QuestionnaireVersion.objects.filter(pk=version_id, questionnaire__town__isnull=True)
        .select_related("questionnaire")
        .first()
    )
    if version is None:
        raise Http404
    return version


def _draft_or_404(request: HttpRequest, town: Town, version_id: int) -> QuestionnaireVersion:
    version = _version_or_404(request, town, version_id)
    if version.published_at is not None:  # published: read only, its page says so
        raise Http404
    if not _may_edit(request.user, version.questionnaire):
        raise PermissionDenied
    return version


def _to_version(space: Space, version: QuestionnaireVersion) -> Any:
    return redirect("support_manage:diagnostic_version", space.slug, version.pk)


@require_safe
@space_view(single_town=True, permission=EDIT)
def diagnostic_content(request: HttpRequest, space: Space) -> HttpResponse:
    """The questionnaires that apply to the town, their versions and how many diagnostics each was answered
    with."""
    town = _town(space)
    questionnaires = [
        q for q in (diagnostic.town_questionnaire(town), diagnostic.platform_questionnaire()) if q
    ]
    versions = (
        QuestionnaireVersion.objects.filter(questionnaire__in=questionnaires)
        .annotate(answered=Count("diagnostics"))
        .order_by("questionnaire_id", "published_at", "-number")
    )
    current = diagnostic.current_version(town)
    blocks = [
        {
            "questionnaire": q,
            "versions": [v for v in versions if v.questionnaire_id == q.pk],
            "editable": _may_edit(request.user, q),
        }
        for q in questionnaires
    ]
    context = {"blocks": blocks, "current": current, "has_own": bool(diagnostic.town_questionnaire(town))}
    return render(request, "support/diagnostic/manage/content.html", context)


@require_POST
@space_view(single_town=True, permission=EDIT)
def diagnostic_adapt(request: HttpRequest, space: Space) -> HttpResponse:
    try:
        draft = services_diagnostic.questionnaire_adapt(town=_town(space))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("support_manage:diagnostic_content", space.slug)
    messages.success(
        request,
        _("Le questionnaire de la plateforme est copié en brouillon : adaptez-le, puis publiez-le."),
    )
    return _to_version(space, draft)


@require_POST
@space_view(single_town=True, permission=EDIT)
def diagnostic_draft(request: HttpRequest, space: Space, questionnaire_id: int) -> HttpResponse:
    town = _town(space)
    questionnaire = Questionnaire.objects.filter(pk=questionnaire_id, town__in=[town]).first() or (
        Questionnaire.objects.filter(pk=questionnaire_id, town__isnull=True).first()
    )
    if questionnaire is None:
        raise Http404
    if not _may_edit(request.user, questionnaire):
        raise PermissionDenied
    return _to_version(space, services_diagnostic.version_draft(questionnaire=questionnaire))


@require_safe
@space_view(single_town=True, permission=EDIT)
def diagnostic_version(request: HttpRequest, space: Space, version_id: int) -> HttpResponse:
    """A version's areas, questions with their points, and sheets; a draft's editing links."""
    version = _version_or_404(request, _town(space), version_id)
    context = {
        "version": version,
        "areas": diagnostic.version_areas(version),
        "editable": version.is_draft and _may_edit(request.user, version.questionnaire),
        "answered": version.diagnostics.count(),
        "area_form": AreaForm(prefix="new"),
        "features": {key: label for key, (label, _name, _tail) in diagnostic.FEATURES.items()},
    }
    return render(request, "support/diagnostic/manage/version.html", context)


@require_POST
@space_view(single_town=True, permission=EDIT)
def diagnostic_publish(request: HttpRequest, space: Space, version_id: int) -> HttpResponse:
    version = _draft_or_404(request, _town(space), version_id)
    user: User = request.user  # type: ignore[assignment]
    try:
        published = services_diagnostic.version_publish(version=version, user=user, at=timezone.now())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _to_version(space, version)
    messages.success(
        request,
        _("La version %(number)s est publiée : les prochains diagnostics l'utiliseront.")
        % {"number": published.number},
    )
    return redirect("support_manage:diagnostic_content", space.slug)


@require_POST
@space_view(single_town=True, permission=EDIT)
def diagnostic_discard(request: HttpRequest, space: Space, version_id: int) -> HttpResponse:
    version = _draft_or_404(request, _town(space), version_id)
    services_diagnostic.version_discard(version=version)
    messages.success(request, _("Le brouillon est abandonné."))
    return redirect("support_manage:diagnostic_content", space.slug)


def _area_or_404(version: QuestionnaireVersion, area_id: int) -> Area:
    area = Area.objects.filter(version=version, pk=area_id).first()
    if area is None:
        raise Http404
    return area


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=EDIT)
def diagnostic_area(request: HttpRequest, space: Space, version_id: int, area_id: int) -> HttpResponse:
    """Add (area 0) or change an area of a draft."""
    version = _draft_or_404(request, _town(space), version_id)
    area = _area_or_404(version, area_id) if area_id else None
    initial = {"order": version.areas.count() + 1} if area is None else None
    form = AreaForm(
        request.POST or None, instance=area, initial=initial, prefix="new" if area is None else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_diagnostic.area_save(
                version=version,
                area=area,
                title=form.cleaned_data["title"],
                intro=form.cleaned_data["intro"],
                order=form.cleaned_data["order"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Le domaine est enregistré."))
            return _to_version(space, version)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "support/diagnostic/manage/area_form.html", {"version": version, "area": area, "form": form},
        status=status,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=EDIT)
def diagnostic_question(
    request: HttpRequest, space: Space, version_id: int, area_id: int, question_id: int
) -> HttpResponse:
    """Add (question 0) or change a question of a draft's area, with its answers and their points."""
    version = _draft_or_404(request, _town(space), version_id)
    area = _area_or_404(version, area_id)
    question = None
    if question_id:
        question = Question.objects.filter(area=area, pk=question_id).first()
        if question is None:
            raise Http404
    initial_choices = (
        [{"label": c.label, "points": c.points} for c in question.choices.all()] if question else []
    )
    form = QuestionForm(
        request.POST or None,
        instance=question,
        initial=None if question else {"order": area.questions.count() + 1},
    )
    formset = ChoiceFormSet(request.POST or None, initial=initial_choices, prefix="choix")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services_diagnostic.question_save(
                area=area,
                question=question,
                text=form.cleaned_data["text"],
                help_text=form.cleaned_data["help"],
                order=form.cleaned_data["order"],
                allow_not_concerned=form.cleaned_data["allow_not_concerned"],
                choices=formset.choices(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("La question est enregistrée."))
            return _to_version(space, version)
    status = 422 if request.method == "POST" else 200
    context = {"version": version, "area": area, "question": question, "form": form, "formset": formset}
    return render(request, "support/diagnostic/manage/question_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=EDIT)
def diagnostic_sheet(
    request: HttpRequest, space: Space, version_id: int, area_id: int, sheet_id: int
) -> HttpResponse:
    """Add (sheet 0) or change a recommendation sheet of a draft's area."""
    version = _draft_or_404(request, _town(space), version_id)
    area = _area_or_404(version, area_id)
    sheet = None
    if sheet_id:
        sheet = RecommendationSheet.objects.filter(area=area, pk=sheet_id).first()
        if sheet is None:
            raise Http404
    form = SheetForm(
        request.POST or None, instance=sheet, initial=None if sheet else {"order": area.sheets.count() + 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_diagnostic.sheet_save(
                area=area,
                sheet=sheet,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                feature=form.cleaned_data["feature"],
                order=form.cleaned_data["order"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("La fiche est enregistrée."))
            return _to_version(space, version)
    status = 422 if request.method == "POST" else 200
    context = {"version": version, "area": area, "sheet": sheet, "form": form}
    return render(request, "support/diagnostic/manage/sheet_form.html", context, status=status)


@require_POST
@space_view(single_town=True, permission=EDIT)
def diagnostic_remove(
    request: HttpRequest, space: Space, version_id: int, kind: str, item_id: int
) -> HttpResponse:
    """Remove an area, a question or a sheet from a draft."""
    version = _draft_or_404(request, _town(space), version_id)
    item: Area | Question | RecommendationSheet | None
    if kind == "domaine":
        item = Area.objects.filter(version=version, pk=item_id).first()
    elif kind == "question":
        item = Question.objects.filter(area__version=version, pk=item_id).first()
    elif kind == "fiche":
        item = RecommendationSheet.objects.filter(area__version=version, pk=item_id).first()
    else:
        item = None
    if item is None:
        raise Http404
    services_diagnostic.content_delete(item=item)
    messages.success(request, _("C'est retiré du brouillon."))
    return _to_version(space, version)
