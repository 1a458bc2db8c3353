"""Sign-up and password reset do the same work whether the address has an account or not, so that their
answer time tells nobody which addresses are registered. The work is counted, not timed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django_tasks.signals import task_enqueued
from pytest_django import DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings

from centreville.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Un-jardin-en-ville-2026"
ACCOUNT_EMAIL_TASK = "centreville.accounts.tasks.send_account_email"


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how many passwords it hashes."""

    hashed = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.fixture
def work(settings: Settings) -> Iterator[Counter[str]]:
    """Counts hashings and tasks enqueued, by name, from the moment it is used."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    counts: Counter[str] = Counter()
    CountingHasher.hashed = 0

    def enqueued(sender: Any, task_result: Any, **kwargs: Any) -> None:
        counts[task_result.task.module_path] += 1

    task_enqueued.connect(enqueued)
    yield counts
    task_enqueued.disconnect(enqueued)


def measured(work: Counter[str], send: Any) -> dict[str, int]:
    work.clear()
    CountingHasher.hashed = 0
    send()
    return {"hashings": CountingHasher.hashed, **work}


def test_signing_up_with_a_known_address_does_the_work_of_a_new_one(
    work: Counter[str], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    UserFactory.create(email="deja@example.fr")

    def sign_up(email: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(
                "/compte/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
            )
        assert response.status_code == 302
        assert response["Location"] == "/compte/confirm-email/"  # the same answer either way

    new = measured(work, lambda: sign_up("nouvelle@example.fr"))
    known = measured(work, lambda: sign_up("deja@example.fr"))

    assert new == known
    assert known == {"hashings": 1, ACCOUNT_EMAIL_TASK: 1}
    assert [message.to for message in mail.outbox] == [["nouvelle@example.fr"], ["deja@example.fr"]]


def test_a_password_reset_does_the_same_work_for_a_known_and_an_unknown_address(
    work: Counter[str], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    UserFactory.create(email="deja@example.fr")

    def reset(email: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post("/compte/password/reset/", {"email": email})
        assert response.status_code == 302

    known = measured(work, lambda: reset("deja@example.fr"))
    unknown = measured(work, lambda: reset("inconnue@example.fr"))

    assert known == unknown == {"hashings": 0, ACCOUNT_EMAIL_TASK: 1}


def test_account_emails_leave_only_once_the_request_s_work_is_committed(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Client().post(
            "/compte/signup/", {"email": "nouvelle@example.fr", "password1": PASSWORD, "password2": PASSWORD}
        )

    assert mail.outbox == []  # nothing sent from inside the transaction
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["nouvelle@example.fr"]]
