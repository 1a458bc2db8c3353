"""The coaching pages' addresses, by audience; `urls_merchant.py`, `urls_manage.py` and
`urls_public.py` mount them.
"""

from django.urls import URLPattern

merchant_urlpatterns: list[URLPattern] = []
manage_urlpatterns: list[URLPattern] = []
public_urlpatterns: list[URLPattern] = []
