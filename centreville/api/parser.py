"""How the API reads a JSON body: as ninja does, refusing what no database keeps (a NUL character).

Whatever this raises, ninja answers 400 (see errors.install_error_handlers for the French words).
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.types import DictStrAny


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class JsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = json.loads(request.body)
        if _holds_nul(data):
            raise ValueError("a NUL character in the body")
        return cast(DictStrAny, data)
