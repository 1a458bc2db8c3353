"""Forms of the self-diagnostic: one area's questions (a step), and the town team's editing of a draft."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .diagnostic import NOT_CONCERNED, feature_choices
from .models import Area, Question, RecommendationSheet

NOT_CONCERNED_LABEL = _("Je ne suis pas concerné")


class StepForm(forms.Form):
    """One area's questions, each a group of radio buttons; « not concerned » where the question allows it."""

    def __init__(self, *args: Any, area: Area, answers: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area = area
        for question in area.questions.all():
            choices: list[tuple[str, Any]] = [(str(c.pk), c.label) for c in question.choices.all()]
            if question.allow_not_concerned:
                choices.append((NOT_CONCERNED, NOT_CONCERNED_LABEL))
            key = str(question.pk)
            initial = None
            if key in answers:
                initial = NOT_CONCERNED if answers[key] is None else str(answers[key])
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=question.text,
                help_text=question.help,
                choices=choices,
                widget=forms.RadioSelect,
                initial=initial,
                error_messages={
                    "required": _("Choisissez une réponse."),
                    "invalid_choice": _("Choisissez une des réponses proposées."),
                },
            )

    @staticmethod
    def _value(raw: str) -> int | None:
        return None if raw == NOT_CONCERNED else int(raw)

    def answers(self) -> dict[int, int | None]:
        """The answers of a valid form."""
        return {int(name[1:]): self._value(value) for name, value in self.cleaned_data.items()}

    def partial_answers(self) -> dict[int, int | None]:
        """The answers given so far, when going back or leaving for later: the valid ones only."""
        answers = {}
        for name, form_field in self.fields.items():
            raw = self.data.get(self.add_prefix(name))
            if raw and raw in {str(value) for value, _label in form_field.choices}:  # type: ignore[attr-defined]
                answers[int(name[1:])] = self._value(raw)
        return answers


class ShopChoiceForm(forms.Form):
    """An adviser chooses the shop they take the diagnostic with."""

    commerce = forms.ChoiceField(
        label=_("Commerce"), error_messages={"required": _("Choisissez un commerce.")}
    )

    def __init__(self, *args: Any, shops: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commerce"].choices = [("", "—"), *((shop.slug, shop.name) for shop in shops)]  # type: ignore[attr-defined]


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["title", "intro", "order"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "help", "order", "allow_not_concerned"]


class ChoiceForm(forms.Form):
    label = forms.CharField(label=_("Réponse"), max_length=200, required=False)
    points = forms.IntegerField(
        label=_("Points"),
        min_value=0,
        max_value=100,
        required=False,
        error_messages={
            "invalid": _("Indiquez un nombre entier de points."),
            "min_value": _("Les points ne peuvent pas être négatifs."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("label") and data.get("points") is None and not self.errors.get("points"):
            self.add_error("points", _("Indiquez les points de cette réponse."))
        if not data.get("label") and data.get("points") is not None:
            self.add_error("label", _("Écrivez la réponse, ou effacez ses points."))
        return data


class BaseChoiceFormSet(forms.BaseFormSet):
    def choices(self) -> list[tuple[str, int]]:
        """(label, points) of the filled rows not marked for removal, in order."""
        return [
            (form.cleaned_data["label"], form.cleaned_data["points"])
            for form in self.forms
            if form.cleaned_data.get("label") and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        if len(self.choices()) < 2:
            raise forms.ValidationError(_("Proposez au moins deux réponses."))
        if max(points for _label, points in self.choices()) == 0:
            raise forms.ValidationError(_("Une réponse au moins doit rapporter des points."))


ChoiceFormSet: type[BaseChoiceFormSet] = forms.formset_factory(  # type: ignore[assignment]
    ChoiceForm, formset=BaseChoiceFormSet, extra=2, can_delete=True
)


class SheetForm(forms.ModelForm):
    feature = forms.ChoiceField(
        label=_("Lien vers une fonction de la plateforme"), choices=feature_choices, required=False
    )

    class Meta:
        model = RecommendationSheet
        fields = ["title", "body", "feature", "order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
