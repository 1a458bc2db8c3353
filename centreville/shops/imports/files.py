"""Opening an uploaded file whatever it really is: plain, gzip or zip; UTF-8 (with or without BOM) or not.

Every problem becomes a `ValueError` with a French message for the person who sent the file. A file that
ends early (a download cut short, a damaged archive) is not an error once reading has begun: the reader
stops there and says so, and what was read is imported.
"""

from __future__ import annotations

import codecs
import io
import threading
import zipfile
import zlib
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Errors raised by a compressed stream that is damaged or cut short, once reading is under way.
STREAM_ERRORS = (EOFError, OSError, zlib.error, zipfile.BadZipFile)
SAMPLE_BYTES = 64 * 1024
ENDED_EARLY = gettext_lazy("le fichier compressé s'arrête avant sa fin (téléchargement interrompu ?)")


class CountingReader(io.RawIOBase):
    """Passes bytes through, counting them: how far into the file we are, without ever seeking."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.count += size
        return size


def _size(stream: IO[bytes]) -> int:
    size = getattr(stream, "size", None)  # Django's uploaded files know theirs
    if isinstance(size, int):
        return size
    position = stream.tell()
    end = stream.seek(0, io.SEEK_END)
    stream.seek(position)
    return end


class GzipReader(io.RawIOBase):
    """Decompresses gzip (one or several members) as it is read; a stream cut short ends where it stops,
    with `truncated` set, instead of losing the last block as `gzip.GzipFile` does."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.truncated = False
        self._inflater = zlib.decompressobj(wbits=31)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            data = self._inflater.unconsumed_tail or self.raw.read(1 << 16)
            if not data:
                if not self._inflater.eof and self._started:
                    self.truncated = True
                return 0
            self._started = True
            self._pending = self._inflater.decompress(data, 1 << 18)
            if self._inflater.eof and self._inflater.unused_data.strip(b"\x00"):
                rest = self._inflater.unused_data
                self._inflater = zlib.decompressobj(wbits=31)  # the next member of a multi-member file
                self._pending += self._inflater.decompress(rest, 1 << 18)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    _started = False


def open_binary(
    stream: IO[bytes], *, file_name: str = "", extensions: tuple[str, ...]
) -> tuple[IO[bytes], CountingReader, int]:
    """(decompressed bytes, counter of the bytes read from the file or member, its size).

    A zip archive is read from its first member ending with one of `extensions`.
    """
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    name = file_name.lower()
    if not magic:
        raise ValueError(_("Ce fichier est vide."))
    if magic.startswith(b"\x1f\x8b"):
        counter, total = CountingReader(stream), _size(stream)
        inflated = io.BufferedReader(GzipReader(counter), 1 << 16)  # type: ignore[arg-type]
        try:
            inflated.peek(1)
        except STREAM_ERRORS as error:
            raise ValueError(_("Ce fichier compressé (gzip) est abîmé ou incomplet.")) from error
        return inflated, counter, total
    if magic == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(stream)
            members = [m for m in archive.infolist() if m.filename.lower().endswith(extensions)]
            if not members:
                raise ValueError(
                    _("L'archive zip ne contient aucun fichier %(kinds)s.") % {"kinds": " ".join(extensions)}
                )
            counter = CountingReader(archive.open(members[0]))
            total = members[0].file_size
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, *STREAM_ERRORS) as error:
            raise ValueError(_("Cette archive zip est abîmée ou incomplète.")) from error
        return io.BufferedReader(counter, 1 << 16), counter, total
    if name.endswith((".gz", ".gzip")):
        raise ValueError(_("Ce fichier porte l'extension .gz mais n'est pas compressé en gzip."))
    if name.endswith(".zip"):
        raise ValueError(_("Ce fichier porte l'extension .zip mais n'est pas une archive zip."))
    counter, total = CountingReader(stream), _size(stream)
    return io.BufferedReader(counter, 1 << 16), counter, total


def looks_binary(sample: bytes) -> bool:
    """Many NUL or control bytes: an image, an executable, a spreadsheet — not text."""
    if not sample or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return controls > max(2, len(sample) // 100)


class TextDecoder:
    """Decodes a file's lines in the encoding its beginning shows: UTF-8 (with or without BOM), else
    Windows-1252 (Latin-1 for the few bytes it leaves undefined). A stray non-UTF-8 byte further down a
    UTF-8 file is read as Windows-1252 too, rather than stopping the import."""

    def __init__(self, sample: bytes) -> None:
        self.bom = sample.startswith(codecs.BOM_UTF8)
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        except UnicodeDecodeError:
            self.utf8 = False
        else:
            self.utf8 = True
        self.fallback_lines = 0

    @property
    def label(self) -> str:
        """The encoding, as the report names it."""
        if not self.utf8:
            return _("Windows-1252 (Latin-1) : le fichier n'était pas en UTF-8")
        label = _("UTF-8 avec BOM") if self.bom else _("UTF-8")
        if self.fallback_lines:
            label += " " + _("(%(lines)s ligne(s) en Windows-1252)") % {"lines": self.fallback_lines}
        return label

    @staticmethod
    def _windows(data: bytes) -> str:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")

    def decode(self, data: bytes) -> str:
        if self.utf8:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                self.fallback_lines += 1
        return self._windows(data)

    def decode_all(self, data: bytes) -> str:
        text = self.decode(data)
        return text[1:] if text.startswith("\ufeff") else text


_fallbacks = threading.local()


def _windows_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 read as Windows-1252 (Latin-1 where it has none)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _fallbacks.count = getattr(_fallbacks, "count", 0) + 1
    bad = error.object[error.start : error.end]
    return "".join(TextDecoder._windows(bytes([byte])) for byte in bad), error.end


codecs.register_error("centreville-windows-1252", _windows_fallback)


def fallback_count() -> int:
    """How many runs of bytes this thread has read as Windows-1252 in a UTF-8 text (see text_stream)."""
    return int(getattr(_fallbacks, "count", 0))


def text_stream(binary: IO[bytes], decoder: TextDecoder) -> io.TextIOWrapper:
    """A fast text stream over `binary` in the decoder's encoding, for the csv module."""
    encoding = "utf-8-sig" if decoder.utf8 else "cp1252"
    return io.TextIOWrapper(binary, encoding=encoding, errors="centreville-windows-1252", newline="")


def last_byte(binary: IO[bytes]) -> bytes:
    """The last byte read from a stream made by `sample_and_rest`."""
    raw = getattr(binary, "raw", None)
    return raw.last_byte if isinstance(raw, _Prefixed) else b"\n"


def ended_early(binary: IO[bytes]) -> bool:
    """Whether a stream from `open_binary` was a gzip file cut short (known once read to its end)."""
    raw = getattr(binary, "raw", None)
    while raw is not None and not isinstance(raw, GzipReader):
        raw = getattr(raw, "raw", None) or getattr(raw, "rest", None)
    return isinstance(raw, GzipReader) and raw.truncated


class _Prefixed(io.RawIOBase):
    """Reads `prefix`, then `rest`; remembers the last byte read (did the file end with a line break?)."""

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        self.prefix, self.rest = prefix, rest
        self.last_byte = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.prefix:
            size = min(len(buffer), len(self.prefix))
            buffer[:size] = self.prefix[:size]
            self.prefix = self.prefix[size:]
            self.last_byte = buffer[size - 1 : size].tobytes() if size else self.last_byte
            return size
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        if data:
            self.last_byte = data[-1:]
        return len(data)


def sample_and_rest(binary: IO[bytes]) -> tuple[bytes, IO[bytes], bool]:
    """The first bytes of a stream (to tell its encoding), a stream reading it all from the start, and
    whether the stream already ended early (a small damaged file)."""
    chunks: list[bytes] = []
    size, broken = 0, False
    while size < SAMPLE_BYTES:
        try:
            chunk = binary.read(4096)
        except STREAM_ERRORS:
            broken = True
            break
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    sample = b"".join(chunks)
    rest: IO[bytes] = io.BytesIO(b"") if broken else binary
    return sample, io.BufferedReader(_Prefixed(sample, rest), 1 << 16), broken


def text_sample_and_rest(binary: IO[bytes], *, not_text: str) -> tuple[bytes, IO[bytes], bool]:
    """`sample_and_rest`, refusing (ValueError in French) a file with nothing in it, or one that is not
    text; `not_text` says what the file should have been."""
    sample, rest, broken = sample_and_rest(binary)
    if not sample.strip():
        if broken:
            raise ValueError(_("Ce fichier compressé est abîmé : rien n'a pu en être lu."))
        raise ValueError(_("Ce fichier est vide."))
    if looks_binary(sample):
        raise ValueError(not_text)
    return sample, rest, broken
