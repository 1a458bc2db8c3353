"""API tokens are deleted once past their expiry date, revoked or not."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from centreville.accounts.tests.factories import UserFactory
from centreville.api.models import ApiToken
from centreville.api.services import api_tokens_purge

pytestmark = pytest.mark.django_db

AT = datetime(2027, 3, 28, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def token(name: str, *, expires_at: datetime, revoked: bool = False) -> ApiToken:
    return ApiToken.objects.create(
        user=UserFactory.create(),
        name=name,
        key_hash=name.ljust(64, "0"),
        prefix="cv_abc",
        expires_at=expires_at,
        revoked=revoked,
    )


def test_expired_tokens_go_valid_ones_stay_and_revoked_ones_until_their_date() -> None:
    token("expired", expires_at=AT - timedelta(seconds=1))
    token("expired-revoked", expires_at=AT - timedelta(days=3), revoked=True)
    token("valid", expires_at=AT + timedelta(seconds=1))
    token("revoked", expires_at=AT + timedelta(days=3), revoked=True)

    assert api_tokens_purge(at=AT, dry_run=True) == 2
    assert ApiToken.objects.count() == 4
    assert api_tokens_purge(at=AT) == 2

    assert set(ApiToken.objects.values_list("name", flat=True)) == {"valid", "revoked"}
    assert api_tokens_purge(at=AT) == 0
