"""How merchant support answers the signals of the apps below it: a person's data export lists their training
registrations and follow-up tasks, the diagnostics they took and what they wrote as an expert (an erased
account takes its registrations with it; its diagnostics and notes stay with the shop, unsigned)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from centreville.accounts.signals import user_data_export_requested

from .coaching import coaching_export
from .diagnostic import diagnostic_export
from .training import training_export


@receiver(user_data_export_requested, dispatch_uid="support.user_data_export")
def export_support_of_user(sender: Any, user: Any, **kwargs: Any) -> dict[str, object]:
    return {
        "formations": training_export(user),
        "autodiagnostics": diagnostic_export(user),
        "accompagnement": coaching_export(user),
    }
