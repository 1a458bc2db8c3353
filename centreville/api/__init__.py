"""The JSON API (django-ninja): basket, checkout, order tracking and merchant order handling."""
