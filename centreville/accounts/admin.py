from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import TownRole, User


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


@admin.register(TownRole)
class TownRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "town", "role", "created_at"]
    list_filter = ["role", "town"]
    search_fields = ["user__email", "town__name"]
    autocomplete_fields = ["user", "town"]
