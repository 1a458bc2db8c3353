"""A change to a town's public data expires its cached pages once, after commit, and never when undone."""

from __future__ import annotations

from contextlib import suppress

import pytest
from django.db import transaction

from centreville.core.pagecache import town_public_data_changed, town_versions

# Real transactions: what is tested is what happens at commit and rollback.
pytestmark = pytest.mark.django_db(transaction=True)

TOWN, OTHER_TOWN = 41, 42


class Refused(Exception):
    pass


def test_several_changes_in_one_transaction_expire_the_pages_once() -> None:
    with transaction.atomic():
        town_public_data_changed(TOWN)
        town_public_data_changed(TOWN)
        town_public_data_changed(OTHER_TOWN)
        with transaction.atomic():
            town_public_data_changed(TOWN)
        assert town_versions((TOWN, OTHER_TOWN)) == "0.0"  # nothing expires before the commit

    assert town_versions((TOWN, OTHER_TOWN)) == "1.1"


def test_a_rolled_back_change_expires_nothing() -> None:
    with suppress(Refused), transaction.atomic():
        town_public_data_changed(TOWN)
        raise Refused

    assert town_versions((TOWN,)) == "0"

    with transaction.atomic():  # the next change that is kept still expires the pages, once
        town_public_data_changed(TOWN)
        town_public_data_changed(TOWN)
    assert town_versions((TOWN,)) == "1"


def test_a_change_undone_with_its_savepoint_leaves_the_others_of_the_transaction() -> None:
    with transaction.atomic(), suppress(Refused), transaction.atomic():
        town_public_data_changed(TOWN)
        raise Refused
    assert town_versions((TOWN,)) == "0"

    with transaction.atomic():
        town_public_data_changed(TOWN)
        with suppress(Refused), transaction.atomic():
            town_public_data_changed(TOWN)
            raise Refused
    assert town_versions((TOWN,)) == "1"


def test_each_change_outside_a_transaction_expires_the_pages_at_once() -> None:
    town_public_data_changed(TOWN)
    assert town_versions((TOWN,)) == "1"
    town_public_data_changed(TOWN)
    assert town_versions((TOWN,)) == "2"
