"""The rehearsal's own counting: messages by Message-ID, scheduler rounds by period, loopback only."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bench.scaleout import Tally, check_loopback, check_schedulers, french_price, read_mailbox


def test_messages_are_counted_by_their_message_id_across_files(tmp_path: Path) -> None:
    (tmp_path / "20261205-140000-1.log").write_text(
        "Subject: 1\nMessage-ID: <1.a@localhost>\n\nBonjour\n" + "-" * 79 + "\n"
        "Subject: 2\nMessage-ID: <2.b@localhost>\n\nBonjour\n"
    )
    (tmp_path / "20261205-140001-2.log").write_text("Subject: 1\nMessage-ID: <1.a@localhost>\n\nBonjour\n")

    mailbox = read_mailbox(tmp_path)

    assert (mailbox.sent, mailbox.unique, mailbox.duplicates) == (3, 2, 1)


def test_a_period_enqueued_by_both_schedulers_counts_as_doubled(tmp_path: Path) -> None:
    first, second = tmp_path / "scheduler-1.log", tmp_path / "scheduler-2.log"
    first.write_text(
        "Round of 2026-12-05T14:00:00+00:00: enqueued a, b\n"
        "Round of 2026-12-05T14:00:15+00:00: already enqueued by another scheduler.\n"
        "Round of 2026-12-05T14:00:30+00:00: enqueued a, b\n"
    )
    second.write_text(
        "Round of 2026-12-05T14:00:00+00:00: already enqueued by another scheduler.\n"
        "Round of 2026-12-05T14:00:15+00:00: enqueued a, b\n"
        "Round of 2026-12-05T14:00:30+00:00: enqueued a, b\n"
    )

    assert check_schedulers([first, second], Tally()) == (1, 3)


def test_only_this_machine_is_rehearsed_on() -> None:
    check_loopback("postgres://postgres@127.0.0.1:5432/x", "redis://localhost:6379/13")
    with pytest.raises(SystemExit):
        check_loopback("redis://redis.example.org:6379/0")


def test_prices_are_looked_for_as_french_pages_write_them() -> None:
    assert french_price(Decimal("11.37")) == "11,37"
