from __future__ import annotations

from collections.abc import Iterator

import pytest

from centreville.notifications.sms import MemorySmsBackend


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Iterator[None]:
    MemorySmsBackend.outbox.clear()
    yield
    MemorySmsBackend.outbox.clear()
