"""The news' forms: subscribing, one's preferences, the town's newsletter and settings, a shop's send."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from centreville.agenda.models import Event
from centreville.core.channels import Channel, mobile_number
from centreville.shops.models import Shop
from centreville.towns.models import Town

from . import consent, selectors
from .models import NewsSettings, Subscriber

ALL_SHOPS = "toutes"


class ShopGroupsWidget(forms.CheckboxSelectMultiple):
    """The shops' boxes grouped by trade, each group a fieldset folded in a <details> (open when one of its
    shops is ticked), after a « Toutes les boutiques » box; `news/shop-choices.js` adds a filter by name."""

    template_name = "news/widgets/shop_groups.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["groups"] = [
            {"label": label, "options": options, "open": any(option["selected"] for option in options)}
            for label, options, _index in widget["optgroups"]
        ]
        widget["all_value"] = ALL_SHOPS
        widget["all_selected"] = ALL_SHOPS in widget["value"]
        return context


class ShopsField(forms.ModelMultipleChoiceField):
    """The shops of a town whose offers to receive, grouped by trade; « toutes » stands for all of them."""

    widget = ShopGroupsWidget

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Shop.objects.none(), required=False, **kwargs)

    def set_town(self, town: Town) -> None:
        self.queryset = selectors.subscribable_shops(town)
        widget = self.widget
        assert isinstance(widget, ShopGroupsWidget)
        # Rendered from one grouped query, read only when the form is shown (not when it is only validated).
        widget.choices = lambda: selectors.subscribable_shops_by_trade(town)

    def clean(self, value: Any) -> Any:
        if value and ALL_SHOPS in value and self.queryset is not None:
            return self.queryset.order_by("pk")
        return super().clean(value)


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), required=False, max_length=254)
    phone = PhoneNumberField(
        label=_("Numéro de téléphone mobile"),
        region="FR",
        required=False,
        help_text=_("Pour recevoir les messages par SMS, par exemple 06 12 34 56 78."),
    )
    town_news = forms.BooleanField(
        label=_("Les actualités de la ville et l'agenda de la semaine"), required=False
    )
    shops = ShopsField(label=_("Les offres de ces commerces"))
    sms_consent = forms.BooleanField(label=consent.WORDINGS[consent.SMS_VERSION], required=False)

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shops"].set_town(town)  # type: ignore[attr-defined]
        self.fields["email"].help_text = consent.WORDINGS[consent.EMAIL_VERSION]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, phone = data.get("email"), data.get("phone")
        if not email and not phone and not self.errors:
            raise ValidationError(_("Indiquez une adresse e-mail, un numéro de mobile, ou les deux."))
        if not data.get("town_news") and not data.get("shops"):
            raise ValidationError(_("Cochez les actualités de la ville ou au moins un commerce."))
        if phone:
            if mobile_number(str(phone)) is None:
                self.add_error(
                    "phone", _("Ce numéro ne peut pas recevoir de SMS : indiquez un numéro de mobile.")
                )
            elif not data.get("sms_consent"):
                self.add_error(
                    "sms_consent", _("Pour recevoir des SMS, cochez la case d'accord ci-dessous le numéro.")
                )
        return data

    def phone_number(self) -> str:
        phone = self.cleaned_data.get("phone")
        return str(phone) if phone else ""


class PreferencesForm(forms.Form):
    town_news = forms.BooleanField(
        label=_("Les actualités de la ville et l'agenda de la semaine"), required=False
    )
    shops = ShopsField(label=_("Les offres de ces commerces"))

    def __init__(self, *args: Any, subscriber: Subscriber, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shops"].set_town(subscriber.town)  # type: ignore[attr-defined]
        version = consent.version_for(subscriber.channel)
        self.fields["shops"].help_text = consent.WORDINGS[version]
        if subscriber.channel == Channel.SMS:
            self.fields["town_news"].help_text = _("Par SMS, au numéro %(number)s.") % {
                "number": subscriber.address
            }


class NewsletterForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=150)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Texte simple : une ligne vide sépare deux paragraphes, les adresses web deviennent des liens. "
            "L'agenda des 7 jours à partir du jour d'envoi est ajouté automatiquement."
        ),
    )


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Envoyer le (heure de la ville)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Laissez vide pour envoyer tout de suite."),
    )


class NewsSettingsForm(forms.ModelForm[NewsSettings]):
    class Meta:
        model = NewsSettings
        fields = ["monthly_sends_per_shop"]


class OfferSendForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("Une de vos offres en cours"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("— Aucune : un message seulement —"),
    )
    subject = forms.CharField(label=_("Titre"), max_length=150, required=False)
    message = forms.CharField(
        label=_("Message"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Court : par SMS, il est coupé après environ 250 caractères."),
    )

    def __init__(self, *args: Any, offers: list[Event], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(pk__in=[offer.pk for offer in offers])  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("event") and not (data.get("subject") or "").strip():
            raise ValidationError(_("Choisissez une de vos offres ou écrivez un titre."))
        return data
