"""Reading back the PDFs the report writes: their text (standard fonts, so literal strings) and pages."""

from __future__ import annotations

import base64
import re
import zlib

_STREAM = re.compile(rb"<<([^<>]*)>>\s*stream\r?\n(.*?)\r?\n?endstream", re.S)
_SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)


def _unescape(literal: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(code, code)

    return _ESCAPE.sub(one, literal)


def pdf_text(pdf: bytes) -> str:
    """The text shown on the pages, one string a line as written (decompressed from the page streams)."""
    lines = []
    for dictionary, stream in _STREAM.findall(pdf):
        content = stream
        if b"/ASCII85Decode" in dictionary:
            content = base64.a85decode(content.strip().removeprefix(b"<~").removesuffix(b"~>"))
        if b"/FlateDecode" in dictionary:
            content = zlib.decompress(content)
        lines += [_unescape(shown).decode("cp1252") for shown in _SHOWN.findall(content)]
    return "\n".join(lines)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))
