"""The upload pipeline: only real photos get through, upright, resized, and without any metadata."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from centreville.core.images import MAX_UPLOAD_BYTES, ProcessedImage, moved, process_upload

from .samples import (
    BLUE,
    RED,
    gps_exif,
    huge_png_header,
    jpeg_bytes,
    png_bytes,
    srgb_profile,
    two_halves,
    upload,
    webp_bytes,
    webp_chunks,
)


def opened(result: ProcessedImage, name: str) -> Image.Image:
    image = Image.open(io.BytesIO(getattr(result, name).content.read()))
    getattr(result, name).content.seek(0)
    return image


def refusal(data: bytes, name: str = "photo.jpg") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process_upload(upload(data, name))
    return caught.value


def close(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour[:3], expected, strict=True))


def test_a_phone_photo_loses_its_exif_and_gps_in_every_rendition() -> None:
    # Given a JPEG with the camera, its model, where it was taken and a colour profile
    data = jpeg_bytes(exif=gps_exif(), icc_profile=srgb_profile())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the sample must carry GPS data"

    # When it is uploaded
    result = process_upload(upload(data))

    # Then no rendition holds any metadata: no EXIF, no XMP, no colour profile, nothing but pixels
    for name, rendition in result.renditions().items():
        content = rendition.content.read()
        assert set(webp_chunks(content)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}, name
        assert b"Exif" not in content
        assert b"PhoneMaker" not in content
        assert b"GPS" not in content
        image = Image.open(io.BytesIO(content))
        assert image.format == "WEBP"
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile"} & set(image.info)


def test_the_exif_orientation_is_applied_to_the_pixels() -> None:
    # Given a landscape sensor picture (red left, blue right) that the phone marks "turn 90° clockwise"
    data = jpeg_bytes(two_halves((400, 200)), exif=gps_exif(orientation=6))

    # When it is processed
    large = opened(process_upload(upload(data)), "large").convert("RGB")

    # Then it is stored portrait, already turned: red on top, blue below
    assert large.size == (200, 400)
    assert close(large.getpixel((100, 50)), RED)  # type: ignore[arg-type]
    assert close(large.getpixel((100, 350)), BLUE)  # type: ignore[arg-type]


def test_a_png_keeps_its_transparency() -> None:
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((10, 120, 40, 255), (100, 50, 200, 150))

    large = opened(process_upload(upload(png_bytes(image), "logo.png", "image/png")), "large")

    assert large.mode == "RGBA"
    assert large.getpixel((5, 5))[3] == 0  # type: ignore[index]
    assert large.getpixel((150, 100))[3] == 255  # type: ignore[index]


def test_a_palette_png_and_a_webp_are_accepted() -> None:
    palette = two_halves((300, 300)).convert("P")
    webp = webp_bytes(two_halves((300, 300)), quality=90)

    assert process_upload(upload(png_bytes(palette), "a.png")).large.width == 300
    assert process_upload(upload(webp, "b.webp", "image/webp")).large.width == 300


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        # A camera photo: every rendition at its maximum width, proportions kept.
        ((3000, 2000), {"large": (1280, 853), "medium": (640, 427), "small": (320, 213)}),
        # A small picture is never enlarged.
        ((500, 400), {"large": (500, 400), "medium": (500, 400), "small": (320, 256)}),
        # A very tall one is bounded by twice the width in height.
        ((1000, 4000), {"large": (640, 2560), "medium": (320, 1280), "small": (160, 640)}),
    ],
)
def test_renditions_have_the_standard_sizes(
    size: tuple[int, int], expected: dict[str, tuple[int, int]]
) -> None:
    result = process_upload(upload(jpeg_bytes(two_halves(size))))

    for name, rendition in result.renditions().items():
        assert (rendition.width, rendition.height) == expected[name], name
        assert opened(result, name).size == expected[name]


def test_a_file_over_10_megabytes_is_refused_before_reading_it() -> None:
    error = refusal(b"\xff\xd8\xff" + b"\x00" * MAX_UPLOAD_BYTES)

    assert error.code == "image_bytes"
    assert "10 Mo au plus" in error.messages[0]


def test_too_many_pixels_are_refused() -> None:
    # A 48-megapixel plain PNG weighs a few kilobytes but would take 150 MB once decoded
    data = png_bytes(Image.new("L", (8000, 6000), 255))
    assert len(data) < MAX_UPLOAD_BYTES

    error = refusal(data, "bomb.png")

    assert error.code == "image_pixels"
    assert "8000 × 6000" in error.messages[0]


def test_a_decompression_bomb_header_is_refused_without_decoding() -> None:
    error = refusal(huge_png_header(100_000, 100_000), "bomb.png")

    assert error.code == "image_pixels"
    assert "trop grande" in error.messages[0]


def test_a_tiny_picture_is_refused() -> None:
    error = refusal(jpeg_bytes(two_halves((60, 40))))

    assert error.code == "image_small"
    assert "trop petite" in error.messages[0]


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_a_truncated_file_is_refused_as_damaged(kind: str) -> None:
    noisy = Image.effect_noise((600, 400), 80).convert("RGB")
    data = jpeg_bytes(noisy) if kind == "jpeg" else png_bytes(noisy)

    error = refusal(data[: len(data) // 2], f"photo.{kind}")

    assert error.code == "image_damaged"
    assert "abîmée ou incomplète" in error.messages[0]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"<?php system($_GET['cmd']); ?>\n", id="php"),
        pytest.param(
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">'
            b"<script>alert(1)</script></svg>",
            id="svg",
        ),
        pytest.param(b"Bonjour, ceci est un texte.\n", id="text"),
        pytest.param(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 400 400\n", id="eps"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 200, id="zip"),
        pytest.param(b"", id="empty"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_whatever_its_name(data: bytes) -> None:
    error = refusal(data, "photo.jpg")

    assert error.code in {"image_format", "image_empty"}
    assert error.messages[0].startswith(("Ce fichier n'est pas une photo", "Le fichier envoyé est vide"))


def test_a_gif_is_refused_although_pillow_reads_it() -> None:
    buffer = io.BytesIO()
    two_halves().save(buffer, "GIF")

    assert refusal(buffer.getvalue(), "photo.jpg").code == "image_format"


def test_an_iphone_heic_file_gets_a_helpful_message() -> None:
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100

    error = refusal(heic, "IMG_0001.HEIC")

    assert "HEIC" in error.messages[0]
    assert "JPEG" in error.messages[0]


def test_a_polyglot_keeps_only_its_pixels() -> None:
    # Given a real JPEG carrying PHP in its comment and after its end marker
    php = b"<?php system($_GET['cmd']); ?>"
    data = jpeg_bytes(comment=php) + php

    # When it is processed, the picture is accepted but the payload is gone
    result = process_upload(upload(data, "photo.php.jpg"))

    for rendition in result.renditions().values():
        assert b"<?php" not in rendition.content.read()


def test_moving_photos_stops_at_either_end() -> None:
    class Item:
        def __init__(self, pk: int) -> None:
            self.pk = pk

    a, b, c = Item(1), Item(2), Item(3)
    photos = [a, b, c]

    assert moved(photos, c, -1) == [a, c, b]  # type: ignore[type-var]
    assert moved(photos, a, -1) == [a, b, c]  # type: ignore[type-var]
    assert moved(photos, a, 1) == [b, a, c]  # type: ignore[type-var]
    assert moved(photos, c, 5) == [a, b, c]  # type: ignore[type-var]
