"""Reading: bytes → decoded text → normalised text, with a map back to the decoded offsets.

Decoding never guesses silently: a candidate encoding is accepted only when its strict
decode looks like real text (mostly common characters, no stray control characters);
otherwise the input is refused with a one-line error.

Normalisation only ever maps one character to one character (full-width ASCII, odd
spaces) or deletes characters (``\\r`` of ``\\r\\n``, zero-width marks, page-number lines),
so a position in the normalised text maps back to the decoded text exactly.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from .converters import convert, kind_of
from .errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# The 500 most frequent characters of written Chinese cover about 75 % of any text;
# these 120 of them are plenty to tell real Chinese from a wrong decode.
_COMMON_HANZI = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家力里如水化高自二理起小物"
    "现实加量都两体制机当使点从业本去把性好应开合还因由其些然前外政四日社义事平形相全表间"
    "与关各重新线内数正心反明看原又利比或但质气第向道此变条只没结解问意建月公无系很情者最"
    "立代已通并提直题程展五果料员位入常文总次品式活设及管特件长求基资边流路级少图统接知较"
    "将组见计别期根论指几区强放决被做必先回则任取据处理府信息申请局卫健康报告况"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")  # a form feed (\f) is a page break
_HAN = re.compile(r"[\u4e00-\u9fff]")
_FALLBACK_ENCODINGS = ("gb18030", "big5")


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)`` or raise :class:`InputError`."""
    if not data.strip():
        raise InputError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding)
            if text is None or not _plausible(text):
                raise InputError(f"not valid {encoding} text despite its byte-order mark")
            return text, encoding + "-bom"
    for encoding in _candidates(data):
        text = _strict(data, encoding)
        if text is None:
            continue
        # Strict UTF-8 validates itself; only a binary file can pass it by accident.
        if _plausible(text) if encoding != "utf-8" else not _has_control_characters(text):
            return text, encoding
    if b"\x00" in data:
        raise InputError("binary file, not text")
    raise InputError("cannot tell the text encoding (tried UTF-8, UTF-16, GB18030, Big5)")


def _candidates(data: bytes):
    yield "utf-8"
    if b"\x00" in data:
        yield from ("utf-16-le", "utf-16-be")
        return
    yield from _FALLBACK_ENCODINGS
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding not in _FALLBACK_ENCODINGS:
        yield best.encoding


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _has_control_characters(text: str) -> bool:
    return len(_CONTROL.findall(text)) > max(2, len(text) // 200)


def _plausible(text: str) -> bool:
    """True when ``text`` reads as real text rather than a wrong decode."""
    if _has_control_characters(text):
        return False
    han = _HAN.findall(text)
    if not han:  # no Chinese at all: accept only plain ASCII-like text
        sample = text[:4000]
        return sum(ch.isascii() for ch in sample) >= 0.9 * len(sample)
    common = sum(ch in _COMMON_HANZI for ch in han)
    return common / len(han) >= 0.2


# --- normalisation -----------------------------------------------------------

# A list, not a dict: str.translate indexes it twice as fast; a code point past its end
# (outside the BMP) raises IndexError, a LookupError, which leaves the character as it is.
_TRANSLATION = list(range(0x10000))
_TRANSLATION[0xFF01:0xFF5F] = range(0x21, 0x7F)  # full-width ASCII → ASCII
for _space in (0x3000, 0xA0, 0x202F, 0x205F, *range(0x2002, 0x200B)):
    _TRANSLATION[_space] = 0x20
_TRANSLATION[0x0D] = 0x0A  # a lone \r ends a line
_TRANSLATION[0x0C] = 0x0A  # so does a page break (form feed), as pdftotext writes it

_DELETIONS = re.compile(
    r"\r(?=\n)"
    r"|[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
    r"|^[ \t\u3000\xa0]*(?:[-－—–]\s*\d{1,4}\s*[-－—–]"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)"
    r"[ \t\u3000\xa0]*(?:\r?\n|$)",
    re.MULTILINE,
)
_DELETABLE_CHARS = "\r\u200b\u200c\u200d\u2060\ufeff\u00ad"
_MAYBE_PAGE_LINE = re.compile(r"(?:^|\n)[ \t\u3000\xa0]*[-－—–第]")


def _may_delete(text: str) -> bool:
    """A cheap test before the deletion scan: most texts have nothing to delete."""
    return any(ch in text for ch in _DELETABLE_CHARS) or _MAYBE_PAGE_LINE.search(text) is not None


@dataclass(frozen=True)
class SourceText:
    """A decoded input and its normalised form, with offsets mapped between them."""

    decoded: str
    text: str
    encoding: str
    _norm_starts: list[int] = field(repr=False)
    _orig_starts: list[int] = field(repr=False)
    input_format: str = "text"  # text, pdf, docx or html: for the last three ``decoded`` is converted text

    @property
    def has_deletions(self) -> bool:
        """False when normalised offsets are decoded offsets (nothing was deleted)."""
        return len(self._norm_starts) > 1

    def to_decoded(self, pos: int) -> int:
        """The offset in the decoded text of normalised offset ``pos``."""
        if not self.has_deletions:
            return pos
        i = bisect.bisect_right(self._norm_starts, pos) - 1
        return self._orig_starts[i] + pos - self._norm_starts[i]

    def span_to_decoded(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            d = self.to_decoded(start)
            return d, d
        return self.to_decoded(start), self.to_decoded(end - 1) + 1


def normalise(decoded: str, encoding: str = "str", input_format: str = "text") -> SourceText:
    """Normalise ``decoded`` and keep the map back to its offsets."""
    pieces: list[str] = []
    norm_starts: list[int] = [0]
    orig_starts: list[int] = [0]
    kept_from = 0
    length = 0
    for match in _DELETIONS.finditer(decoded) if _may_delete(decoded) else ():
        pieces.append(decoded[kept_from : match.start()])
        length += match.start() - kept_from
        kept_from = match.end()
        norm_starts.append(length)
        orig_starts.append(kept_from)
    pieces.append(decoded[kept_from:])
    text = "".join(pieces).translate(_TRANSLATION)
    return SourceText(decoded, text, encoding, norm_starts, orig_starts, input_format)


def read_text(text: str) -> SourceText:
    """A :class:`SourceText` for text already in memory."""
    return normalise(text.removeprefix("\ufeff"))


def read_file(path: str | Path) -> SourceText:
    """Read and normalise a text, PDF, Word or HTML file; raise :class:`InputError` with a
    one-line reason."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    return read_bytes(data, path)


def read_bytes(data: bytes, name: str | Path) -> SourceText:
    """Read and normalise a file's content; ``name`` (its suffix) helps tell its kind when the
    first bytes do not. Raises :class:`InputError` with a one-line reason."""
    kind = kind_of(Path(name), data)
    text, encoding = decode(data) if kind == "text" else convert(kind, data)
    return normalise(text, encoding, kind)
