from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .models import TownRole, User
from .services import user_password_changed


class PasswordChangeForm(AdminPasswordChangeForm):
    """A password set by a platform admin shuts out what the old one let in, as any other change does."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        if commit:
            user_password_changed(user=user)
        return user


class TownRoleInline(admin.TabularInline):
    model = TownRole
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["town"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_superuser", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [TownRoleInline]
    change_password_form = PasswordChangeForm


@admin.register(TownRole)
class TownRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "town", "role", "created_at"]
    list_filter = ["role", "town"]
    search_fields = ["user__email", "town__name"]
    autocomplete_fields = ["user", "town"]
