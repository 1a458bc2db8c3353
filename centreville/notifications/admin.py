from django.contrib import admin
from django.http import HttpRequest

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What was sent to whom, and what failed: to read, never to edit (a message is history)."""

    list_display = ["created_at", "kind", "audience", "channel", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "audience", "kind"]
    search_fields = ["key", "recipient", "subject", "order__reference"]
    date_hierarchy = "created_at"
    list_select_related = ["order"]
    readonly_fields = (
        "key",
        "kind",
        "audience",
        "channel",
        "recipient",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "sent_at",
        "order",
        "event",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False
