"""Each town's choices for its agenda: who publishes directly and whose entries the town team checks first."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.audit import TownAudited
from centreville.core.models import TimeStampedModel

__all__ = ["AgendaSettings"]


class AgendaSettings(TownAudited, TimeStampedModel):
    """A town's agenda settings; a town without a row has the defaults (everything checked first)."""

    audited_fields: ClassVar[tuple[str, ...]] = ("offers_need_approval", "organiser_events_need_approval")

    town = models.OneToOneField("towns.Town", on_delete=models.CASCADE, related_name="agenda_settings")
    offers_need_approval = models.BooleanField(
        _("les offres des commerces sont relues avant publication"),
        default=True,
        help_text=_(
            "Décoché, l'offre d'un commerçant paraît dans l'agenda dès qu'il l'enregistre ; vous pouvez "
            "toujours la retirer."
        ),
    )
    organiser_events_need_approval = models.BooleanField(
        _("les événements des organisateurs sont relus avant publication"),
        default=True,
        help_text=_("Décoché, les associations organisatrices publient leurs événements elles-mêmes."),
    )

    class Meta:
        verbose_name = _("réglages de l'agenda")
        verbose_name_plural = _("réglages de l'agenda")

    def __str__(self) -> str:
        return str(self.town)
