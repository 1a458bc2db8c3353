"""How the training sessions answer the signals of the apps below them: a person's data export lists their
registrations and follow-up tasks (an erased account takes them with it: they cascade)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from centreville.accounts.signals import user_data_export_requested

from .training import training_export


@receiver(user_data_export_requested, dispatch_uid="support.training_export")
def export_training_of_user(sender: Any, user: Any, **kwargs: Any) -> dict[str, object]:
    return {"formations": training_export(user)}
