from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    return {"platform_name": settings.PLATFORM_NAME, "space": getattr(request, "space", None)}
