"""PDF files (text layer) → report text: lines and ruled tables in reading order, page by page.

PDFium (pypdfium2) gives every character with its box, and the page's rules (its path
objects); ``page_text`` reads them into text as it reads every page of placed characters
(ruled tables as grids, the rest as lines, running headers and footers dropped). A PDF with
no text layer (a scan), an encrypted or a broken one is refused with a one-line reason.

Beside the text, :class:`~.layout.PdfLayout` keeps the box of every character.
"""

from __future__ import annotations

import ctypes
import gc
import re
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ..errors import InputError, NoTextLayerError
from .layout import PdfLayout
from .page_text import Block, Glyph, blocks_layout, page_blocks
from .pdf_rules import MIN_LENGTH_BEFORE, Segment

_HYPHEN = 0x02  # PDFium's mark for a hyphen ending a line
_NO_CHARACTER = frozenset((0, 0xFFFE, 0xFFFF))
_HALF_CODES = frozenset(range(0xD800, 0xE000))  # UTF-16 surrogates: halves of a character beyond the BMP
_HIGH_HALF, _LOW_HALF, _HALVES = (
    re.compile(f"[{a}-{b}]") for a, b in ("\ud800\udbff", "\udc00\udfff", "\ud800\udfff")
)
_PDFIUM = threading.Lock()  # PDFium is not thread-safe: one document at a time per process
_ERRORS = {
    raw.FPDF_ERR_PASSWORD: "password-protected (encrypted)",
    raw.FPDF_ERR_SECURITY: "unsupported encryption",
    raw.FPDF_ERR_FORMAT: "damaged, or not a PDF",
    raw.FPDF_ERR_FILE: "damaged, or not a PDF",
}


def pdf_text(data: bytes) -> tuple[str, str]:
    """The text of a PDF's text layer; :class:`InputError` for scans and unreadable files."""
    return pdf_layout(data).text, "pdf text layer"


def pdf_layout(data: bytes) -> PdfLayout:
    """The text of a PDF's text layer with the box of each of its characters."""
    with _PDFIUM, _no_gc_pauses():
        blocks, pages = _read(data)
    if sum(len(b.text.strip()) for b in blocks) < 20:
        raise NoTextLayerError(f"PDF has no text layer ({pages} pages of images?): run OCR on it first")
    return blocks_layout(blocks, pages)


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """The cyclic garbage collector held off while a document's thousands of glyphs are made
    (they hold no cycles; collecting every 700 of them costs a third of the reading time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(data: bytes) -> tuple[list[Block], int]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = _ERRORS.get(getattr(exc, "err_code", None), str(exc))
        raise InputError(f"not a readable PDF: {reason}") from None
    try:
        blocks = [block for number in range(len(document)) for block in _page_blocks(document, number)]
        return blocks, len(document)
    finally:
        document.close()


def _page_blocks(document: pdfium.PdfDocument, number: int) -> list[Block]:
    """The page's tables (as grids) and its other lines, top to bottom."""
    try:
        page = document[number]
    except pdfium.PdfiumError:
        raise InputError(f"not a readable PDF: page {number + 1} cannot be read") from None
    try:
        height = page.get_height()
        textpage = page.get_textpage()
        try:
            objects = _page_objects(_handle(page))
            fonts = _Fonts(height, objects.texts)
            glyphs = _glyphs(_handle(textpage), fonts) + _blanks(fonts)
            segments = [
                segment
                for path, outer in objects.paths
                for segment in _path_segments(path, _matrix(path, outer), height)
            ]
        finally:
            textpage.close()
    finally:
        page.close()
    return page_blocks(number + 1, height, glyphs, segments)


# --- PDFium ------------------------------------------------------------------------------


def _bind(name: str, restype, *argtypes):
    """A PDFium function re-declared on plain pointers: handles come back as ints, cheap to
    compare and to cache by (pypdfium2's typed pointers need a cast for each)."""
    address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value or 0
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_P, _INT, _F = ctypes.c_void_p, ctypes.c_int, ctypes.c_float
_FLOAT, _DOUBLE, _MATRIX = ctypes.POINTER(_F), ctypes.POINTER(ctypes.c_double), ctypes.POINTER(raw.FS_MATRIX)
_count_chars = _bind("FPDFText_CountChars", _INT, _P)
_text_object = _bind("FPDFText_GetTextObject", _P, _P, _INT)
_unicode = _bind("FPDFText_GetUnicode", ctypes.c_uint, _P, _INT)
_text = _bind("FPDFText_GetText", _INT, _P, _INT, _INT, ctypes.POINTER(ctypes.c_ushort))
_is_generated = _bind("FPDFText_IsGenerated", _INT, _P, _INT)
_loose_box = _bind("FPDFText_GetLooseCharBox", _INT, _P, _INT, ctypes.POINTER(raw.FS_RECTF))
_origin = _bind("FPDFText_GetCharOrigin", _INT, _P, _INT, _DOUBLE, _DOUBLE)
_count_objects = _bind("FPDFPage_CountObjects", _INT, _P)
_object = _bind("FPDFPage_GetObject", _P, _P, _INT)
_count_form_objects = _bind("FPDFFormObj_CountObjects", _INT, _P)
_form_object = _bind("FPDFFormObj_GetObject", _P, _P, ctypes.c_ulong)
_object_type = _bind("FPDFPageObj_GetType", _INT, _P)
_object_matrix = _bind("FPDFPageObj_GetMatrix", _INT, _P, _MATRIX)
_object_bounds = _bind("FPDFPageObj_GetBounds", _INT, _P, _FLOAT, _FLOAT, _FLOAT, _FLOAT)
_font_size = _bind("FPDFTextObj_GetFontSize", _INT, _P, _FLOAT)
_font = _bind("FPDFTextObj_GetFont", _P, _P)
_descent = _bind("FPDFFont_GetDescent", _INT, _P, _F, _FLOAT)
_count_segments = _bind("FPDFPath_CountSegments", _INT, _P)
_segment = _bind("FPDFPath_GetPathSegment", _P, _P, _INT)
_segment_type = _bind("FPDFPathSegment_GetType", _INT, _P)
_segment_point = _bind("FPDFPathSegment_GetPoint", _INT, _P, _FLOAT, _FLOAT)
_segment_closes = _bind("FPDFPathSegment_GetClose", _INT, _P)


def _handle(helper: pdfium.PdfPage | pdfium.PdfTextPage) -> int:
    return ctypes.cast(helper.raw, ctypes.c_void_p).value or 0


_MOVETO, _BEZIERTO = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO

Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as PDF writes them
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


_MATRIX_BUFFER = (_F * 6)()  # an FS_MATRIX's six floats, used under _PDFIUM only
_MATRIX_REF = ctypes.cast(_MATRIX_BUFFER, _MATRIX)
_SIX_FLOATS = struct.Struct("6f")


def _matrix(obj: int, outer: Matrix) -> Matrix:
    """The object's matrix to page space (through the forms holding it)."""
    _object_matrix(obj, _MATRIX_REF)
    ma, mb, mc, md, me, mf = _SIX_FLOATS.unpack_from(_MATRIX_BUFFER)
    if outer is _IDENTITY:
        return (ma, mb, mc, md, me, mf)
    a, b, c, d, e, f = outer
    return (
        ma * a + mb * c,
        ma * b + mb * d,
        mc * a + md * c,
        mc * b + md * d,
        me * a + mf * c + e,
        me * b + mf * d + f,
    )


@dataclass(frozen=True, slots=True)
class _PageObjects:
    """A page's path objects and text objects (inside forms too), each with the matrix of the
    forms holding it (the identity on the page itself)."""

    paths: list[tuple[int, Matrix]]
    texts: dict[int, Matrix]


def _page_objects(page: int) -> _PageObjects:
    paths: list[tuple[int, Matrix]] = []
    texts: dict[int, Matrix] = {}

    def walk(parent: int, form: bool, outer: Matrix) -> None:
        count = _count_form_objects(parent) if form else _count_objects(parent)
        for i in range(count):
            obj = _form_object(parent, i) if form else _object(parent, i)
            kind = _object_type(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                paths.append((obj, outer))
            elif kind == raw.FPDF_PAGEOBJ_TEXT:
                texts[obj] = outer
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                walk(obj, True, _matrix(obj, outer))

    walk(page, False, _IDENTITY)
    return _PageObjects(paths, texts)


# --- characters --------------------------------------------------------------------------


class _Metrics(NamedTuple):
    height: float  # of the characters' boxes: the font size, scaled
    descent: float  # where the boxes end below the baseline (negative: below it)
    x: float  # where the object's text starts
    baseline: float  # (top-down) where it starts
    level: bool  # the text runs level, so every character stands on that baseline


class _Fonts:
    """Per text object, measured once: its characters' height, the font's descent, its start."""

    def __init__(self, page_height: float, texts: dict[int, Matrix]) -> None:
        self.page_height = page_height
        self.texts = texts
        self.known: dict[int, _Metrics] = {}
        self._descents: dict[int, float] = {}  # per font
        self._size, self._descent = _F(), _F()
        self._size_ref, self._descent_ref = ctypes.byref(self._size), ctypes.byref(self._descent)

    def of(self, obj: int) -> _Metrics:
        known = self.known.get(obj)
        if known is None:
            known = self.known[obj] = self._measure(obj)
        return known

    def _measure(self, obj: int) -> _Metrics:
        _font_size(obj, self._size_ref)
        _, b, c, d, e, f = _matrix(obj, self.texts.get(obj, _IDENTITY))
        size = self._size.value
        height = abs(size * d) or abs(size)
        font = _font(obj)
        descent = self._descents.get(font)
        if descent is None:
            _descent(font, 1.0, self._descent_ref)
            descent = self._descents[font] = self._descent.value
        level = abs(b) < 1e-6 and abs(c) < 1e-6
        return _Metrics(height, descent * height, e, self.page_height - f, level)


def _glyphs(textpage: int, fonts: _Fonts) -> list[Glyph]:
    """The page's characters as drawn (PDFium's generated spaces and line breaks left out).
    Across, a character's box is PDFium's loose box (its advance, widened to its ink where
    the glyph overhangs); up and down it stands on the baseline by the font's size and
    descent, as pdfminer boxes characters, so every character of a line shares its top."""
    count = _count_chars(textpage)
    codes = _codes(textpage, count)
    loose = raw.FS_RECTF()
    loose_ref = ctypes.byref(loose)
    x, y = ctypes.c_double(), ctypes.c_double()
    known, measure = fonts.known, fonts.of
    text_object, loose_box = _text_object, _loose_box  # the hot loop's names
    no_character, hyphen, glyph, character = _NO_CHARACTER, _HYPHEN, Glyph, chr
    glyphs = []
    last, metrics = None, None
    for i in range(count):
        obj = text_object(textpage, i)
        if not obj:  # generated by PDFium: a line break it inferred
            continue
        code = codes[i]
        if code in no_character or (code == 0x20 and _is_generated(textpage, i)):
            continue
        loose_box(textpage, i, loose_ref)
        if obj != last:
            last, metrics = obj, known.get(obj) or measure(obj)
        height, descent, _, baseline, level = metrics  # type: ignore[misc]
        if not level:
            _origin(textpage, i, ctypes.byref(x), ctypes.byref(y))
            baseline = fonts.page_height - y.value
        bottom = baseline - descent
        text = "-" if code == hyphen else character(code)
        glyphs.append(glyph(text, loose.left, bottom - height, loose.right, bottom))
    return glyphs if _HALF_CODES.isdisjoint(codes) else _paired(glyphs)


def _codes(textpage: int, count: int) -> list[int]:
    """The text page's characters (UTF-16 code units, one per character index: PDFium keeps a
    character beyond the BMP as two), in one call when it gives one per index."""
    buffer = (ctypes.c_ushort * (2 * count + 2))()  # room to spare: it must never write past it
    if _text(textpage, 0, count, buffer) == count + 1:  # none left out (and the final NUL)
        return buffer[:count]
    return [_unicode(textpage, i) for i in range(count)]


def _paired(glyphs: list[Glyph]) -> list[Glyph]:
    """A character beyond the BMP as one glyph: PDFium gives its two UTF-16 halves, boxed alike."""
    out: list[Glyph] = []
    for glyph in glyphs:
        before = out[-1] if out else None
        if before and _HIGH_HALF.match(before.text) and _LOW_HALF.match(glyph.text):
            pair = (before.text + glyph.text).encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            out[-1] = Glyph(pair, before.x0, before.top, max(before.x1, glyph.x1), before.bottom)
        else:
            out.append(glyph)
    return [g for g in out if not _HALVES.match(g.text)]  # a lone half is no character


def _blanks(fonts: _Fonts) -> list[Glyph]:
    """Text objects that show only spaces: PDFium's text page leaves them out (they draw
    nothing), yet they part the words beside them."""
    bounds = [_F() for _ in range(4)]
    blanks = []
    for obj in fonts.texts:
        if obj in fonts.known:  # its characters are on the text page
            continue
        _object_bounds(obj, *(ctypes.byref(v) for v in bounds))
        if bounds[2].value - bounds[0].value < 0.01:
            metrics = fonts.of(obj)
            bottom = metrics.baseline - metrics.descent
            blanks.append(Glyph(" ", metrics.x, bottom - metrics.height, metrics.x, bottom))
    return blanks


# --- rules -------------------------------------------------------------------------------


def _path_segments(path: int, matrix: Matrix, height: float) -> list[Segment]:
    """A path's straight horizontal and vertical pieces, read as pdfminer reads paths: a
    subpath of two points is a line; any other yields its axis-parallel steps from point to
    point (the four sides of a rectangle), a Bézier curve counting by its end point."""
    x, y = _F(), _F()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    a, b, c, d, e, f = matrix
    segments = [_segment(path, i) for i in range(_count_segments(path))]
    kinds = [_segment_type(segment) for segment in segments]
    kinds.append(_MOVETO)  # past the last segment, as if a new subpath began
    out: list[Segment] = []
    points: list[tuple[float, float]] = []
    beziers = 0
    for i, segment in enumerate(segments):
        beziers = beziers + 1 if kinds[i] == _BEZIERTO else 0
        if beziers % 3 == 0:  # a Bézier curve's end point, not its control points
            _segment_point(segment, x_ref, y_ref)
            points.append((a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f)))
        if kinds[i + 1] == _MOVETO:  # the subpath ends
            out += _steps(points, bool(_segment_closes(segment)))
            points = []
    return out


def _steps(points: list[tuple[float, float]], closed: bool) -> list[Segment]:
    """The straight horizontal and vertical steps between a subpath's points (those long
    enough to be rules)."""
    if closed and len(points) > 2 and _same(points[-1], points[0]):
        points = points[:-1]  # a last point back at the start only closes the path
    if len(points) == 2:  # a line, closed or not
        pairs = [(points[0], points[1])]
    else:
        pairs = list(pairwise([*points, points[0]] if closed else points))
    out = []
    for (x0, y0), (x1, y1) in pairs:
        if abs(y0 - y1) < 0.01 and abs(x0 - x1) >= MIN_LENGTH_BEFORE:
            out.append(Segment(True, y0, min(x0, x1), max(x0, x1)))
        elif abs(x0 - x1) < 0.01 and abs(y0 - y1) >= MIN_LENGTH_BEFORE:
            out.append(Segment(False, x0, min(y0, y1), max(y0, y1)))
    return out


def _same(p: tuple[float, float], q: tuple[float, float]) -> bool:
    return abs(p[0] - q[0]) < 0.01 and abs(p[1] - q[1]) < 0.01


# --- tables ------------------------------------------------------------------------------
