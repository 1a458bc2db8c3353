from django import forms
from django.contrib import admin

from .forms import LogoField
from .models import Territory, Town


class BrandingAdminForm(forms.ModelForm):
    """The admin's form of a town or territory: its logo goes through the image pipeline too."""

    logo = LogoField(required=False)


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    form = BrandingAdminForm
    list_display = ["name", "slug", "insee_code", "territory", "is_published"]
    list_filter = ["is_published", "territory"]
    search_fields = ["name", "slug", "insee_code"]
    prepopulated_fields = {"slug": ["name"]}
    # Apps above towns add their actions from their own admin module (shops: importing shops).


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    form = BrandingAdminForm
    list_display = ["name", "slug", "is_published"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
