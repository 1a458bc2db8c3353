"""How the news answer the apps below: a person's data export lists their subscriptions and the proof of
their consents; erasing their data deletes them (addresses, subscriptions, consents, messages)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from centreville.accounts.signals import user_data_export_requested, user_erase_requested

from .subscriptions import news_erase, news_export


@receiver(user_data_export_requested, dispatch_uid="news.user_data_export")
def export_news_of_user(sender: Any, user: Any, **kwargs: Any) -> dict[str, object]:
    return {"abonnements_actualites": news_export(user)}


@receiver(user_erase_requested, dispatch_uid="news.user_erase")
def erase_news_of_user(sender: Any, user: Any, **kwargs: Any) -> None:
    news_erase(user)
