"""The secret links in messages: signed, so that nobody can forge one for another subscriber.

- confirmation of an e-mail address: signed with a time stamp, valid `CONFIRM_DAYS` days;
- unsubscribing from one subscription (one click, RFC 8058) and the preferences page of a subscriber: signed,
  without expiry (an old message's link must still work), and naming the subscriber's random key as well,
  so that they are dead once the subscriber is erased.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

CONFIRM_DAYS = 7
CONFIRM_SALT = "news.confirm"
UNSUBSCRIBE_SALT = "news.unsubscribe"
PREFERENCES_SALT = "news.preferences"


def confirm_token(*, subscriber_key: str) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscriber_key)


def read_confirm_token(token: str) -> str | None:
    """The subscriber's key, or None for a forged or expired token."""
    try:
        return signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=timedelta(days=CONFIRM_DAYS))
    except signing.BadSignature:  # SignatureExpired is one
        return None


def unsubscribe_token(*, subscriber_key: str, subscription_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(f"{subscriber_key}.{subscription_id}")


def read_unsubscribe_token(token: str) -> tuple[str, int] | None:
    try:
        key, _dot, subscription = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token).rpartition(".")
        return key, int(subscription)
    except (signing.BadSignature, ValueError):
        return None


def preferences_token(*, subscriber_key: str) -> str:
    return signing.Signer(salt=PREFERENCES_SALT).sign(subscriber_key)


def read_preferences_token(token: str) -> str | None:
    try:
        return signing.Signer(salt=PREFERENCES_SALT).unsign(token)
    except signing.BadSignature:
        return None
