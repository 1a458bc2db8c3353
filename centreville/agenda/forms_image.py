"""The image of an event or an offer, as their forms (`image`, `image_alt`) give it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from centreville.core.forms import add_service_error

from . import services
from .models import Event


def save_image(form: forms.Form, event: Event) -> bool:
    """Write the form's new image, if it has one; a refused image becomes the form's error (False)."""
    upload = form.cleaned_data.get("image")
    if not upload:
        return True
    try:
        services.event_photo_set(
            event=event, upload=upload, alt_text=form.cleaned_data.get("image_alt") or ""
        )
    except ValidationError as error:
        add_service_error(form, error)
        return False
    return True
