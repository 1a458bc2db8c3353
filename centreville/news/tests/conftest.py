from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from centreville.notifications.sms import MemorySmsBackend


@pytest.fixture(autouse=True)
def _stop_number(settings: Any) -> None:
    settings.NEWS_SMS_STOP_NUMBER = "36111"


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Iterator[None]:
    MemorySmsBackend.outbox.clear()
    yield
    MemorySmsBackend.outbox.clear()
