"""Picture files for tests: real JPEG/PNG/WebP made with Pillow, with or without EXIF, and hostile ones."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms

RED = (220, 20, 20)
BLUE = (20, 20, 220)


def two_halves(size: tuple[int, int] = (400, 200)) -> Image.Image:
    """Left half red, right half blue: where each half ends up tells how the picture was turned."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def gps_exif(*, orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 44.0, 40.2)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 1.0, 13.1)
    return exif


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_bytes(
    image: Image.Image | None = None,
    *,
    exif: Image.Exif | None = None,
    comment: bytes = b"",
    icc_profile: bytes = b"",
) -> bytes:
    image = image if image is not None else two_halves()
    buffer = io.BytesIO()
    options: dict[str, object] = {"quality": 90}
    if exif is not None:
        options["exif"] = exif.tobytes()
    if comment:
        options["comment"] = comment
    if icc_profile:
        options["icc_profile"] = icc_profile
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def webp_bytes(image: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", **options)
    return buffer.getvalue()


def huge_png_header(width: int, height: int) -> bytes:
    """A tiny PNG file that claims an enormous picture (the shape of a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def valid_upload(size: tuple[int, int] = (400, 300)) -> SimpleUploadedFile:
    return upload(jpeg_bytes(two_halves(size)))


def stored_files(folder: str = "") -> set[str]:
    """Every file name in the default storage under `folder`."""
    folders, files = default_storage.listdir(folder)
    names = {f"{folder}{name}" for name in files}
    for sub in folders:
        names |= stored_files(f"{folder}{sub}/")
    return names


def webp_chunks(data: bytes) -> list[bytes]:
    """The chunk types of a WebP file (RIFF): metadata would show as EXIF, XMP or ICCP."""
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"WEBP"
    kinds, offset = [], 12
    while offset + 8 <= len(data):
        kind, size = data[offset : offset + 4], struct.unpack("<I", data[offset + 4 : offset + 8])[0]
        kinds.append(kind)
        offset += 8 + size + (size & 1)
    return kinds
