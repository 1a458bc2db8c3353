"""The monthly reports kept for the town team: one per town and month, made once early the next month."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.towns.models import TownOwnedModel


class MonthlyReport(TownOwnedModel):
    """A month's report as it was written then (report.py, report_pdf.py).

    The PDF is kept in the database, not among the uploaded files: those are served publicly by the web
    server, and a report is for the town team only. A report is a few tens of kilobytes, twelve a year.
    """

    month = models.DateField(_("mois"), help_text=_("Le premier jour du mois."))
    pdf = models.BinaryField(_("PDF"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    size = models.PositiveIntegerField(_("taille (octets)"))  # so that lists need not read the PDF
    language = models.CharField(_("langue"), max_length=8, default="fr")
    generated_at = models.DateTimeField(_("fait le"))

    class Meta:
        verbose_name = _("rapport mensuel")
        verbose_name_plural = _("rapports mensuels")
        ordering = ["town", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["town", "month"], name="monthly_report_once_a_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="monthly_report_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.town} {self.month:%Y-%m}"
