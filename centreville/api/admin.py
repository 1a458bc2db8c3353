from django.contrib import admin
from django.http import HttpRequest

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are made by their owners (the key is shown to them only); here they can only be revoked."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = ["user", "name", "prefix", "key_hash", "created_at", "last_used_at", "expires_at"]
    fields = [*readonly_fields, "revoked"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
