"""Reading: a file's bytes → decoded (or converted) text → normalised text, with a map back to
the decoded offsets.

Normalisation only ever maps one character to one character (full-width ASCII, odd
spaces; a markdown cell's ``<br>`` becomes :data:`~.values.CELL_LINE_BREAK` and spaces) or
deletes characters (``\\r`` of ``\\r\\n``, zero-width marks, page-number lines), so a
position in the normalised text maps back to the decoded text exactly.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .converters import PdfLayout, convert, kind_of
from .decoding import decode
from .errors import InputError
from .models import OcrLayer
from .values import CELL_LINE_BREAK, FULL_WIDTH

_TRANSLATION = list(FULL_WIDTH)  # full-width ASCII → ASCII, and the spaces and breaks below
for _space in (0x3000, 0xA0, 0x202F, 0x205F, *range(0x2002, 0x200B)):
    _TRANSLATION[_space] = 0x20
# A PDF's font may map a character to its radical's or a compatibility code point (⼀ for 一,
# ⾏ for 行, ⽉ for 月): read as the ideograph NFKC makes of it, one character for one.
_RADICALS = set()
for _code in (*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6), *range(0xF900, 0xFB00)):
    _ideograph = unicodedata.normalize("NFKC", chr(_code))
    if len(_ideograph) == 1 and _ideograph != chr(_code):
        _TRANSLATION[_code] = ord(_ideograph)
        _RADICALS.add(chr(_code))
_TRANSLATION[0x0D] = 0x0A  # a lone \r ends a line
_TRANSLATION[0x0C] = 0x0A  # so does a page break (form feed), as pdftotext writes it
_MAPPED = {chr(code): chr(to) for code, to in enumerate(_TRANSLATION) if code != to}
# the characters to map, found by one scan and split out (str.translate looks up every
# character of a Chinese text, three times slower; a callback per character of re.sub, 40 %)
_TO_MAP = re.compile("([" + re.escape("".join(_MAPPED)) + "])")

# Deleted: \r of \r\n, invisible marks, markdown's inline-code backticks (a PDF-to-markdown
# converter wraps numbers in them) and bold's ** (共 **5251** 条, | **805** |), and page
# furniture on a line of its own: page numbers (- 3 -, 第 3 页 共 9 页, 3/9), a browser print's
# date and time and its file or web address.
_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_SPACED = "\u4e00-\u9fff\u3001\u3002\uff08\uff09\uff0c\uff1a\uff1b\u201c\u201d"  # ideographs, CJK marks
_SPACE_BEFORE_SPACED = rf"[ \u3000\xa0](?=[{_SPACED}][ \u3000\xa0][{_SPACED}])"  # 政 府 信: before 府
_DELETIONS = re.compile(
    r"\r(?=\n)"
    r"|[\u200b\u200c\u200d\u2060\ufeff\u00ad`]"
    r"|\*\*(?=[^\s*])|(?<=[^\s*])\*\*"
    r"|^[ \t\u3000\xa0]*(?:[-－—–]\s*\d{1,4}\s*[-－—–]"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|\d{1,4}[/-]\d{1,2}[/-]\d{1,4},?\s+(?:上午|下午)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?"
    r"|(?:file|https?)://\S+)"
    r"[ \t\u3000\xa0]*(?:\r?\n|$)"
    # a space of letter-spaced words (政 府 信 息: a justified PDF line's character spacing),
    # one between two characters of a run of at least three so spaced
    rf"|(?<=[{_SPACED}]){_SPACE_BEFORE_SPACED}"
    rf"|(?<=[{_SPACED}][ \u3000\xa0][{_SPACED}])[ \u3000\xa0](?=[{_SPACED}])"
    # a character's pinyin in brackets after it (a page's ruby annotations copied as text: 區(qū))
    rf"|(?<=[\u3400-\u9fff])[(（](?=[a-zü]*[{_TONE_MARKS}])[a-zü{_TONE_MARKS}]{{1,6}}[)）]",
    re.MULTILINE,
)
_TONE_MARK = re.compile(f"[{_TONE_MARKS}]")
_LETTER_SPACED = re.compile(_SPACE_BEFORE_SPACED)
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TABLE_TAG = re.compile(r"<table\b", re.IGNORECASE)  # (as embedded_tables finds them)
_DELETABLE_CHARS = "\r\u200b\u200c\u200d\u2060\ufeff\u00ad`*"
# (the indent taken whole, *+: what follows never starts with it)
_PAGE_LINE_HEAD = r"[ \t\u3000\xa0]*+(?:[-－—–]|第\s*\d|\d{1,4}\s*/|\d{1,4}[/-]\d|file:|https?:)"
_MAYBE_FIRST_PAGE_LINE = re.compile(_PAGE_LINE_HEAD)
_MAYBE_PAGE_LINE = re.compile(r"\n" + _PAGE_LINE_HEAD)  # a line break first: found by a fast scan


def _may_delete(text: str) -> bool:
    """A cheap test before the deletion scan: most texts have nothing to delete."""
    return (
        any(ch in text for ch in _DELETABLE_CHARS)
        or _MAYBE_FIRST_PAGE_LINE.match(text) is not None
        or _MAYBE_PAGE_LINE.search(text) is not None
        or _LETTER_SPACED.search(text) is not None
        or _TONE_MARK.search(text) is not None
    )


# A page in traditional characters (a site's 繁體 version, a crawler's copy of it) is read in
# simplified ones, one character for one (OpenCC's table), when the common characters that are
# only traditional outnumber their simplified forms; ``as_printed`` still quotes it as printed.
_TRADITIONAL_MARKS = "開資這們個發與為會關國區縣務處請總體況對經業實時過數條號報"
_ANY_TRADITIONAL = re.compile(f"[{_TRADITIONAL_MARKS}]")
_MIN_TRADITIONAL = 20  # such characters a text in traditional characters has at least


def _in_simplified_characters(text: str) -> str:
    """``text`` in simplified characters where it is written in traditional ones."""
    if _ANY_TRADITIONAL.search(text) is None:  # (a fast scan: most texts have none)
        return text
    traditional = sum(text.count(ch) for ch in _TRADITIONAL_MARKS)
    if traditional < _MIN_TRADITIONAL:
        return text
    to_simplified = _traditional_to_simplified()
    if traditional <= sum(text.count(ch) for ch in _TRADITIONAL_MARKS.translate(to_simplified)):
        return text
    return text.translate(to_simplified)


@functools.cache
def _traditional_to_simplified() -> dict[int, int]:
    """OpenCC's traditional → simplified characters, those that map one to one."""
    table = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text(encoding="utf-8")
    pairs = (line.split("\t") for line in table.splitlines() if "\t" in line)
    return {ord(t): ord(s[0]) for t, s in pairs if len(t) == 1 and len(s.split(" ")[0]) == 1}


@dataclass(frozen=True)
class SourceText:
    """A decoded input and its normalised form, with offsets mapped between them."""

    decoded: str
    text: str
    encoding: str
    _norm_starts: list[int] = field(repr=False)
    _orig_starts: list[int] = field(repr=False)
    input_format: str = "text"  # text, pdf, docx, html or ocr: for all but text ``decoded`` is converted
    layout: PdfLayout | None = field(default=None, repr=False, compare=False)  # PDF: each decoded char's box
    ocr: OcrLayer | None = None  # for a scan read by OCR: its spans in ``decoded``, and how it was read

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

    def as_printed(self, start: int, end: int) -> str:
        """``text[start:end]`` in the characters the input printed: full-width brackets and
        letters as they were (a name is quoted as named), less what normalising deleted; a
        font's radical code points stay the ideographs they stand for."""
        return "".join(
            self.text[at] if (ch := self.decoded[self.to_decoded(at)]) in _RADICALS else ch
            for at in range(start, end)
        )

    def span_to_decoded(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            d = self.to_decoded(start)
            return d, d
        return self.to_decoded(start), self.to_decoded(end - 1) + 1


def normalise(
    decoded: str,
    encoding: str = "str",
    input_format: str = "text",
    layout: PdfLayout | None = None,
    ocr: OcrLayer | None = None,
) -> SourceText:
    """Normalise ``decoded`` and keep the map back to its offsets (and a PDF's character boxes,
    which are per offset of ``decoded``; a scan's OCR layer)."""
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
    parts = _TO_MAP.split("".join(pieces))  # the characters to map at the odd places
    parts[1::2] = [_MAPPED[char] for char in parts[1::2]]
    text = _in_simplified_characters("".join(parts))
    if "<br" in text:  # a line break inside a markdown table cell, or in a paragraph: offsets kept
        text = _LINE_WITH_A_BREAK.sub(_line_breaks, text)
    return SourceText(decoded, text, encoding, norm_starts, orig_starts, input_format, layout, ocr)


_LINE_WITH_A_BREAK = re.compile(r"^.*<br.*$", re.IGNORECASE | re.MULTILINE)


def _line_breaks(line: re.Match[str]) -> str:
    """A line's ``<br>`` tags: a break inside its cell on a markdown table's row; a line break in
    any other line (a converter's text of a table it took for a picture: 规章 0 0 18<br>行政…)."""
    mark = CELL_LINE_BREAK if "|" in line.group() else "\n"
    return _BREAK_TAG.sub(lambda tag: mark + " " * (len(tag.group()) - 1), line.group())


def read_text(text: str) -> SourceText:
    """A :class:`SourceText` for text already in memory."""
    return _plain(text.removeprefix("\ufeff"), "str")


def _plain(decoded: str, encoding: str) -> SourceText:
    """A plain text (or markdown) normalised; the HTML tables it embeds read as a page's are
    (its text is then converted, as a page's is)."""
    if _TABLE_TAG.search(decoded):
        from .converters.from_html import embedded_tables  # lxml, only for such a text

        converted = embedded_tables(decoded)
        if converted is not None:
            return normalise(converted, f"{encoding}; its HTML tables converted", "html")
    return normalise(decoded, encoding)


def read_file(path: str | Path) -> SourceText:
    """Read and normalise a text, PDF, Word, HTML or image file; raise :class:`InputError` with a
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
    if kind == "text":
        return _plain(*decode(data))
    converted = convert(kind, data)
    kind = "ocr" if converted.ocr else kind
    return normalise(converted.text, converted.encoding, kind, converted.layout, converted.ocr)
