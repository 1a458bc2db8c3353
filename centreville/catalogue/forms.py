"""Form fields for prices and stocks as people type them on a phone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services


class _TypedTextField(forms.Field):
    """A text input whose text a parser turns into a value (raising French ValidationErrors)."""

    input_attrs: dict[str, str] = {}
    max_chars = 20

    def __init__(self, **kwargs: Any) -> None:
        attrs = {**self.input_attrs, "autocomplete": "off", "maxlength": str(self.max_chars)}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def to_python(self, value: Any) -> Any:
        text = str(value).strip() if value is not None else ""
        if text in self.empty_values:
            return None
        return self.parse(text[: self.max_chars * 2])


class EuroField(_TypedTextField):
    """A price in euros: « 12,50 », « 12.50 » or « 12,50 € » read as 12.50; a decimal keypad on phones."""

    input_attrs = {"inputmode": "decimal", "spellcheck": "false"}

    def parse(self, text: str) -> Decimal:
        return services.parse_price(text)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value


class StockField(_TypedTextField):
    """A quantity in stock; empty means « sur demande ». A numeric keypad on phones."""

    input_attrs = {"inputmode": "numeric", "pattern": "[0-9]*"}
    max_chars = 12

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Laissez vide pour « sur demande »."))
        super().__init__(**kwargs)

    def parse(self, text: str) -> int | None:
        return services.parse_stock(text)
