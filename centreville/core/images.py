"""Uploaded pictures: checked by their content, re-encoded without metadata, and kept as WebP: three sizes
for a photo, one square for a town's logo.

Nothing the sender wrote reaches our storage: the picture is decoded, turned upright from its EXIF
orientation, converted to sRGB and encoded again, so EXIF (GPS included), XMP, comments and anything
appended to the file are gone. The helpers below store and delete the renditions of a `Photo` row.
"""

from __future__ import annotations

import io
import logging
import secrets
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .models import Photo

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# 40 megapixels: above any phone's default setting, and about 160 MB once decoded, which bounds the
# memory a hostile file (a small PNG of a huge blank picture) can make us spend.
MAX_PIXELS = 40_000_000
MIN_SIDE = 100
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
# Largest width of each rendition; a rendition is never taller than twice its width, never enlarged.
RENDITION_WIDTHS = {"small": 320, "medium": 640, "large": 1280}
RENDITION_NAMES = tuple(RENDITION_WIDTHS)
WEBP_QUALITY = 80
MAX_ALT_TEXT = 200
# A town's logo: the header shows it 40 px wide and high, so three device pixels per CSS pixel are kept.
LOGO_SIDE = 120
LOGO_MIN_SIDE = 8
LOGO_WEBP_QUALITY = 90

_P = TypeVar("_P", bound=Photo)


@dataclass(frozen=True)
class Rendition:
    content: ContentFile[bytes]
    width: int
    height: int


@dataclass(frozen=True)
class ProcessedImage:
    small: Rendition
    medium: Rendition
    large: Rendition

    def renditions(self) -> dict[str, Rendition]:
        return {name: getattr(self, name) for name in RENDITION_NAMES}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _not_a_photo() -> ValidationError:
    return ValidationError(
        _("Ce fichier n'est pas une photo au format JPEG, PNG ou WebP."), code="image_format"
    )


def _damaged() -> ValidationError:
    return ValidationError(
        _("Cette photo est abîmée ou incomplète et ne peut pas être lue. Essayez de l'envoyer à nouveau."),
        code="image_damaged",
    )


def _check_size(width: int, height: int, min_side: int = MIN_SIDE) -> None:
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _(
                "La photo est trop grande (%(width)s × %(height)s pixels) : "
                "%(max)s millions de pixels au plus. Choisissez une taille plus petite dans les réglages "
                "de l'appareil ou réduisez-la."
            ),
            params={"width": width, "height": height, "max": MAX_PIXELS // 1_000_000},
            code="image_pixels",
        )
    if min(width, height) < min_side:
        raise ValidationError(
            _(
                "La photo est trop petite (%(width)s × %(height)s pixels) : "
                "il faut au moins %(minimum)s pixels de côté."
            ),
            params={"width": width, "height": height, "minimum": min_side},
            code="image_small",
        )


def _is_heif(head: bytes) -> bool:
    """HEIC/HEIF (iPhone photos): an ISO media file whose brand names a HEIF image."""
    return head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"hevc", b"heif", b"mif1", b"msf1"}


def process_upload(upload: File[bytes]) -> ProcessedImage:
    """The three WebP renditions of an uploaded photo, or a ValidationError in French.

    The content decides, never the file name or the browser's content type; nothing is written anywhere.
    """
    with _decoded(upload) as image:
        return _renditions(image)


def process_logo(upload: File[bytes]) -> Rendition:
    """A town's logo as the header shows it: one square WebP of LOGO_SIDE pixels, the picture fitted
    inside on a transparent ground, without metadata; or a ValidationError in French (the same checks as
    a photo's: format, weight, pixels)."""
    with _decoded(upload, min_side=LOGO_MIN_SIDE) as image:
        if image.format == "JPEG":
            image.draft(None, (LOGO_SIDE, LOGO_SIDE))
        image.load()
        icc_profile = image.info.get("icc_profile")
        image = _upright(image)
        if icc_profile:
            image = _to_srgb(image, icc_profile)
        image = _plain_mode(image).convert("RGBA")
        image.info = {}
        scale = LOGO_SIDE / max(image.size)
        fitted = image.resize(
            (max(1, round(image.width * scale)), max(1, round(image.height * scale))),
            Image.Resampling.LANCZOS,
        )
        square = Image.new("RGBA", (LOGO_SIDE, LOGO_SIDE), (0, 0, 0, 0))
        square.paste(fitted, ((LOGO_SIDE - fitted.width) // 2, (LOGO_SIDE - fitted.height) // 2))
        buffer = io.BytesIO()
        square.save(buffer, "WEBP", quality=LOGO_WEBP_QUALITY, method=4)
        return Rendition(ContentFile(buffer.getvalue()), LOGO_SIDE, LOGO_SIDE)


@contextmanager
def _decoded(upload: File[bytes], *, min_side: int = MIN_SIDE) -> Iterator[Image.Image]:
    """The uploaded picture, opened once it passed every check; any failure to read it, in the checks or
    in the caller's work on it, becomes a ValidationError in French."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Le fichier envoyé est vide."), code="image_empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("La photo pèse %(size)s Mo : %(max)s Mo au plus sont acceptés."),
            params={"size": _megabytes(size), "max": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="image_bytes",
        )
    upload.seek(0)
    head = upload.read(16)
    if _is_heif(head):
        raise ValidationError(
            _(
                "Les photos HEIC de l'iPhone ne sont pas acceptées : envoyez-la en JPEG (réglage "
                "« Le plus compatible » de l'appareil photo) ou depuis le navigateur du téléphone."
            ),
            code="image_format",
        )
    # Decompression bomb warnings become errors: our own limit is lower anyway.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            upload.seek(0)
            # `formats` keeps every other decoder (EPS, PSD, TIFF…) away from untrusted bytes.
            with Image.open(upload, formats=ALLOWED_FORMATS) as probe:
                _check_size(*probe.size, min_side)
                probe.verify()
            upload.seek(0)
            with Image.open(upload, formats=ALLOWED_FORMATS) as image:
                _check_size(*image.size, min_side)
                yield image
        except ValidationError:
            raise
        except UnidentifiedImageError as error:
            raise _not_a_photo() from error
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(
                _("La photo est trop grande : %(max)s millions de pixels au plus."),
                params={"max": MAX_PIXELS // 1_000_000},
                code="image_pixels",
            ) from error
        except Exception as error:  # any failure to decode untrusted bytes means a damaged file
            logger.info("Unreadable photo upload: %r", error)
            raise _damaged() from error


def _renditions(image: Image.Image) -> ProcessedImage:
    if image.format == "JPEG":
        # Decode large JPEGs at 1/2, 1/4 or 1/8 scale, never below the largest rendition: much faster.
        image.draft(None, (RENDITION_WIDTHS["large"], RENDITION_WIDTHS["large"]))
    image.load()
    icc_profile = image.info.get("icc_profile")
    image = _upright(image)
    if icc_profile:
        image = _to_srgb(image, icc_profile)
    image = _plain_mode(image)
    # Drop everything but the pixels: EXIF, XMP, comments, profiles never reach the encoder.
    image.info = {}
    renditions: dict[str, Rendition] = {}
    current, encoded = image, b""
    for name in reversed(RENDITION_NAMES):  # large first, each smaller one resized from the previous
        size = _fitted_size(image.size, RENDITION_WIDTHS[name])
        if size != current.size or not encoded:  # a small picture is encoded once for the sizes it fills
            if size != current.size:
                current = current.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            current.info = {}
            buffer = io.BytesIO()
            current.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
            encoded = buffer.getvalue()
        renditions[name] = Rendition(ContentFile(encoded), current.width, current.height)
    return ProcessedImage(**renditions)


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except Exception as error:  # an unreadable EXIF block must not cost the merchant the photo
        logger.info("Ignoring unreadable EXIF orientation: %r", error)
        return image


def _plain_mode(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the picture has transparency."""
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        # 16-bit or float greyscale: scale down to 8 bits before converting.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode == "P" and "transparency" in image.info
    )
    wanted = "RGBA" if has_alpha else "RGB"
    return image if image.mode == wanted else image.convert(wanted)


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    """Colours as the photographer saw them (phones often shoot in Display P3), in the web's sRGB."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(
            image,
            source,
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if image.mode in ("RGBA", "LA") else "RGB",
        )
    except Exception as error:  # a broken profile: keep the colours as they are
        logger.info("Ignoring unusable colour profile: %r", error)
        return image
    return converted if converted is not None else image


def _fitted_size(size: tuple[int, int], width: int) -> tuple[int, int]:
    """`size` scaled down to at most `width` wide and twice that high; never enlarged."""
    scale = min(width / size[0], 2 * width / size[1])
    if scale >= 1:
        return size
    return (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))


# --- Photo rows and their files -----------------------------------------------------------------------


def clean_alt_text(alt_text: str) -> str:
    """The alternative text, stripped; required, because a photo nobody can describe helps no one."""
    alt_text = " ".join(alt_text.split())
    if not alt_text:
        raise ValidationError(
            {"alt_text": _("Dites en quelques mots ce que montre la photo, pour qui ne la voit pas.")}
        )
    if len(alt_text) > MAX_ALT_TEXT:
        raise ValidationError(
            {
                "alt_text": _("%(max)s caractères au plus : la description en fait %(length)s.")
                % {"max": MAX_ALT_TEXT, "length": len(alt_text)}
            }
        )
    return alt_text


def photo_file_names(photo: Photo) -> list[str]:
    return [getattr(photo, name).name for name in RENDITION_NAMES if getattr(photo, name).name]


def photo_store(photo: _P, image: ProcessedImage) -> _P:
    """Write the renditions under fresh random names and save the row; if anything fails, no file remains.

    Call inside a transaction; the caller validates the row's other fields first.
    """
    token = secrets.token_hex(12)
    storage: Storage = photo.large.storage
    written: list[str] = []
    try:
        for name, rendition in image.renditions().items():
            field_file = getattr(photo, name)
            field_file.save(f"{token}-{name}.webp", rendition.content, save=False)
            written.append(field_file.name)
        photo.full_clean()
        photo.save()
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return photo


def delete_files_on_commit(storage: Storage, names: Iterable[str]) -> None:
    """Delete stored files once the transaction commits (a rolled-back delete keeps its files)."""
    names = list(names)

    def delete() -> None:
        for name in names:
            try:
                storage.delete(name)
            except OSError:  # already gone, or a storage hiccup: an orphan file is harmless
                logger.warning("Could not delete photo file %s", name, exc_info=True)

    transaction.on_commit(delete)


def delete_photo_files_on_commit(photos: Iterable[Photo]) -> None:
    """Schedule the files of these photos for deletion after commit: call it before deleting their owner,
    whose cascade removes the rows but would leave the files behind."""
    photos = list(photos)
    if photos:
        names = [name for photo in photos for name in photo_file_names(photo)]
        delete_files_on_commit(photos[0].large.storage, names)


def renumber(photos: list[_P], save: Callable[[list[_P]], object]) -> None:
    """Positions 0, 1, 2… in list order; only the photos whose position changes are saved."""
    changed = []
    for position, photo in enumerate(photos):
        if photo.position != position:
            photo.position = position
            changed.append(photo)
    if changed:
        save(changed)


def moved(photos: list[_P], photo: _P, offset: int) -> list[_P]:
    """`photos` with `photo` moved `offset` places (-1: one earlier); moving past either end stops there."""
    index = next(i for i, p in enumerate(photos) if p.pk == photo.pk)
    others = photos[:index] + photos[index + 1 :]
    target = max(0, min(len(others), index + offset))
    return [*others[:target], photos[index], *others[target:]]
