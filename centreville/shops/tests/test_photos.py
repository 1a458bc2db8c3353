"""Shop photo services: add through the pipeline, limits, order, descriptions, removal with the files."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction

from centreville.core.images import delete_photo_files_on_commit
from centreville.core.pagecache import town_versions
from centreville.core.tests.samples import stored_files, upload, valid_upload
from centreville.shops.models import Shop, ShopPhoto
from centreville.shops.photos import (
    MAX_SHOP_PHOTOS,
    shop_photo_add,
    shop_photo_list,
    shop_photo_move,
    shop_photo_remove,
    shop_photo_update,
)
from centreville.shops.tests.factories import ShopFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def add(shop: Shop, alt_text: str = "La vitrine") -> ShopPhoto:
    return shop_photo_add(shop=shop, upload=valid_upload(), alt_text=alt_text)


def test_adding_a_photo_stores_three_renditions_and_refreshes_the_town(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    shop = ShopFactory.create()
    before = town_versions((shop.town_id,))

    with django_capture_on_commit_callbacks(execute=True):
        photo = shop_photo_add(
            shop=shop, upload=valid_upload((2000, 1500)), alt_text="  La vitrine   et ses gâteaux "
        )

    assert photo.alt_text == "La vitrine et ses gâteaux"
    assert (photo.width, photo.height, photo.small_width, photo.small_height) == (1280, 960, 320, 240)
    for field in (photo.small, photo.medium, photo.large):
        assert field.name.startswith("photos/")
        assert field.name.endswith(".webp")
        assert default_storage.exists(field.name)
    assert "photo.jpg" not in photo.large.name  # never the sender's file name
    assert town_versions((shop.town_id,)) != before


def test_photos_are_numbered_in_the_order_they_are_added() -> None:
    shop = ShopFactory.create()
    first, second, third = add(shop, "un"), add(shop, "deux"), add(shop, "trois")

    assert [(p.pk, p.position) for p in shop_photo_list(shop)] == [
        (first.pk, 0),
        (second.pk, 1),
        (third.pk, 2),
    ]


@pytest.mark.parametrize("alt_text", ["", "   ", "x" * 201])
def test_a_photo_needs_a_short_description_and_nothing_is_stored_without_one(alt_text: str) -> None:
    shop = ShopFactory.create()
    files = stored_files()

    with pytest.raises(ValidationError) as error:
        shop_photo_add(shop=shop, upload=valid_upload(), alt_text=alt_text)

    assert "alt_text" in error.value.message_dict
    assert not ShopPhoto.objects.exists()
    assert stored_files() == files


def test_a_bad_file_is_refused_under_its_field_and_leaves_nothing_behind() -> None:
    shop = ShopFactory.create()
    files = stored_files()

    with pytest.raises(ValidationError) as error:
        shop_photo_add(shop=shop, upload=upload(b"<?php echo 1; ?>", "vitrine.jpg"), alt_text="La vitrine")

    assert error.value.message_dict["upload"] == [
        "Ce fichier n'est pas une photo au format JPEG, PNG ou WebP."
    ]
    assert not ShopPhoto.objects.exists()
    assert stored_files() == files


def test_a_failure_after_the_files_are_written_deletes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    shop = ShopFactory.create()
    files = stored_files()

    def broken_save(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(ShopPhoto, "save", broken_save)
    with pytest.raises(RuntimeError):
        add(shop)

    assert stored_files() == files


def test_a_shop_holds_eight_photos_at_most() -> None:
    shop = ShopFactory.create()
    for number in range(MAX_SHOP_PHOTOS):
        add(shop, f"Photo {number}")
    files = stored_files()

    with pytest.raises(ValidationError) as error:
        add(shop, "Une de trop")

    assert "8 photos au plus" in error.value.message_dict[NON_FIELD_ERRORS][0]
    assert ShopPhoto.objects.filter(shop=shop).count() == MAX_SHOP_PHOTOS
    assert stored_files() == files
    # The limit is per shop: another shop still has room.
    assert add(ShopFactory.create(town=shop.town)).position == 0


def test_moving_a_photo_swaps_it_with_its_neighbour(django_capture_on_commit_callbacks: Capture) -> None:
    shop = ShopFactory.create()
    a, b, c = add(shop, "a"), add(shop, "b"), add(shop, "c")
    before = town_versions((shop.town_id,))

    with django_capture_on_commit_callbacks(execute=True):
        shop_photo_move(photo=c, offset=-1)
    assert [p.alt_text for p in shop_photo_list(shop)] == ["a", "c", "b"]
    assert town_versions((shop.town_id,)) != before

    shop_photo_move(photo=a, offset=-1)  # already first: nothing moves
    shop_photo_move(photo=ShopPhoto.objects.get(pk=a.pk), offset=1)
    assert [(p.alt_text, p.position) for p in shop_photo_list(shop)] == [("c", 0), ("a", 1), ("b", 2)]
    assert b.pk in {p.pk for p in shop_photo_list(shop)}


def test_removing_a_photo_deletes_its_files_once_committed(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    shop = ShopFactory.create()
    first, second, third = add(shop, "un"), add(shop, "deux"), add(shop, "trois")
    names = [second.small.name, second.medium.name, second.large.name]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        shop_photo_remove(photo=second)
    # Until the deletion commits, the files stay: a rolled-back removal loses nothing.
    assert all(default_storage.exists(name) for name in names)
    for callback in callbacks:
        callback()

    assert not any(default_storage.exists(name) for name in names)
    assert [(p.pk, p.position) for p in shop_photo_list(shop)] == [(first.pk, 0), (third.pk, 1)]
    assert default_storage.exists(first.large.name)
    assert default_storage.exists(third.large.name)


def test_a_description_can_be_changed_but_not_emptied() -> None:
    photo = add(ShopFactory.create(), "Avant")

    shop_photo_update(photo=photo, alt_text="Le comptoir et ses fromages")
    with pytest.raises(ValidationError):
        shop_photo_update(photo=photo, alt_text=" ")

    assert ShopPhoto.objects.get(pk=photo.pk).alt_text == "Le comptoir et ses fromages"


def test_photos_of_a_shop_are_its_own_only() -> None:
    shop = ShopFactory.create()
    neighbour = ShopFactory.create(town=shop.town)
    other_town_shop = ShopFactory.create()
    mine = add(shop)
    add(neighbour)
    add(other_town_shop)

    assert [p.pk for p in shop_photo_list(shop)] == [mine.pk]


def test_deleting_a_shops_photos_with_the_shop_can_take_the_files_along(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    shop = ShopFactory.create()
    names = [add(shop, "un").large.name, add(shop, "deux").large.name]

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delete_photo_files_on_commit(shop.photos.all())
        ShopPhoto.objects.filter(shop=shop).delete()

    assert not any(default_storage.exists(name) for name in names)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions")
def test_concurrent_uploads_never_exceed_the_limit() -> None:
    shop = ShopFactory.create()
    for number in range(MAX_SHOP_PHOTOS - 1):
        add(shop, f"Photo {number}")
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def upload_one() -> None:
        try:
            picture = valid_upload()
            barrier.wait()
            try:
                shop_photo_add(shop=Shop.objects.get(pk=shop.pk), upload=picture, alt_text="En même temps")
                result = "added"
            except ValidationError:
                result = "refused"
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["added"] + ["refused"] * 3
    assert ShopPhoto.objects.filter(shop=shop).count() == MAX_SHOP_PHOTOS
