"""Every form that posts from the order and payment pages carries its CSRF token: without it, a browser
gets Django's bare "403 La vérification CSRF a échoué" instead of the step it asked for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [
    "orders/templates/orders/customer/track.html",
    "orders/templates/orders/customer/checkout.html",
    "orders/templates/orders/merchant/_order_card.html",
    "merchants/templates/merchants/home.html",
    "merchants/templates/merchants/payment.html",
    "payments/templates/payments/fake_checkout.html",
    "payments/templates/payments/fake_onboarding.html",
]
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.DOTALL | re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_post_form_carries_its_csrf_token(template: str) -> None:
    text = (ROOT / template).read_text()

    forms = POST_FORM.findall(text)

    assert forms, template
    assert all("{% csrf_token %}" in form for form in forms), template
