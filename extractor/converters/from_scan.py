"""Scans → report text by OCR, offline: a PDF without a text layer (its pages rendered at 200
dpi by pypdfium2) or a PNG, JPEG or TIFF image, read by RapidOCR with the models inside its
package (its default configuration downloads nothing).

Each page: red ink masked, the skew corrected, the tables' grids found from their ruling lines
(:mod:`.scan_grid`); then OCR with a box for every character; the characters put into the
cells they stand in; each table written as tab-separated grid rows (a merged cell's text in
the first grid cell it covers, as every converter writes tables), the rest as lines in reading
order. Running headers and footers (margin lines recurring on other pages) are dropped.

What the OCR cannot vouch for is never passed on as read:

* a cell is blank only when it holds no ink; ink with no reading is written as
  :data:`~extractor.values.UNREAD` — a value that does not read, so its field is flagged;
* a value cell (digits, or what OCR takes digits for: 一 l O 。) whose reading is not a number
  as printed — a letter, a leading zero, two numbers apart — is :data:`UNREAD` too;
* every row of a grid has exactly the grid's cell count;
* whatever is read — a cell, a line's characters — is trusted when the OCR's confidence is at
  least :data:`HIGH`, or when a second read of its box at another scale agrees (and one of the
  two reads is at least :data:`LOW`); else it is doubtful.

Every stretch read becomes an :class:`~extractor.models.OcrSpan` (page, box, confidence, and
its doubt if any) of the text's :class:`~extractor.models.OcrLayer`: a value read over a
doubtful span is doubtful, a failed ``read.*`` check naming it.
"""

from __future__ import annotations

import io
import itertools
import re
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from ..errors import InputError
from ..models import OcrInfo, OcrLayer, OcrSpan
from ..values import CHANGE_PREFIX, FULL_WIDTH, NULL_MARK, UNIT, UNREAD
from . import PAGE_PROGRESS, Converted
from .scan_grid import Box, GridCell, Page, TableGrid, lines_apart, prepare

if TYPE_CHECKING:
    from rapidocr import RapidOCR

DPI = 200  # a PDF page is rendered at this resolution
HIGH = 0.95  # confidence at which a reading is trusted without a second read
LOW = 0.60  # confidence one of two agreeing reads must reach
SECOND_SCALE = 1.5  # the second read sees the box this much larger
_MARGIN = 0.07  # share of the page height where running headers and footers stand
_MOST_PADDING = 1 / 6  # inches: the most a cell's padding, both sides, takes of its width
_MIN_DPI, _MAX_DPI = 70, 1200
_A4_WIDTH = 8.27  # inches: a page image without a resolution is taken for an A4 page

_PLAIN = r"(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?"
_AS_PRINTED = re.compile(rf"^(?:(?:{CHANGE_PREFIX}|[+-])?{_PLAIN}{UNIT}?|{NULL_MARK})$")
_VALUE_LIKE = re.compile(rf"^(?:{CHANGE_PREFIX})?[\d.,，。·:;'`|!/\\\-—–一丨lIiOoQDSBZ]+{UNIT}?$")
_DIGITS = re.compile(r"[\d.,]+")
_WORDS = re.compile(r"[\u4e00-\u9fff]")  # a label has two Chinese characters or more
# or, before the row's first number, one that is no digit's look-alike (a wrapped label's first line: 2.没)
_WORD_NOT_DIGIT = re.compile(r"(?![一丨口〇日])[\u4e00-\u9fff]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class _Char:
    text: str
    score: float
    box: Box
    line: int  # the OCR line it was read in

    @property
    def cx(self) -> float:
        return (self.box[0] + self.box[2]) / 2

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


@dataclass
class _Piece:
    """A stretch of the page's text with its OCR span (offsets relative to the text written)."""

    text: str
    box: Box | None = None
    confidence: float = 1.0
    doubts: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, why) in text


@dataclass
class _Block:
    page: int
    top: int
    rows: list[list[_Piece]]  # a table's rows of cells, or one row of one piece for a line
    is_table: bool
    in_margin: bool = False


def scan_text(kind: str, data: bytes) -> Converted:
    """The text of a scan (``pdf`` without a text layer, or ``image``) as read by OCR."""
    began = time.perf_counter()
    images, dpi = _pdf_pages(data) if kind == "pdf" else _image_pages(data)
    blocks: list[_Block] = []
    progress = PAGE_PROGRESS.get()
    for number, image in enumerate(images, start=1):
        blocks.extend(_page_blocks(prepare(image, dpi), number))
        if progress:
            progress(number, len(images))
    text, spans = _write(_without_running_lines(blocks))
    info = OcrInfo(
        pages=len(images),
        seconds=round(time.perf_counter() - began, 3),
        dpi=dpi,
        engine=engine_name(),
        doubtful=sum(1 for span in spans if span.doubt),
    )
    how = f"{'pdf scan' if kind == 'pdf' else 'image'}, OCR by {info.engine} at {dpi:g} dpi"
    return Converted(text, how, ocr=OcrLayer(spans, info))


def engine_name() -> str:
    return f"rapidocr {version('rapidocr')} (onnxruntime {version('onnxruntime')})"


# --- pages as images --------------------------------------------------------------------


def _pdf_pages(data: bytes) -> tuple[list[np.ndarray], float]:
    import pypdfium2 as pdfium

    from .from_pdf import _PDFIUM  # PDFium is not thread-safe: one document at a time

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise InputError(f"not a readable PDF: {exc}") from None
        try:
            images = [page.render(scale=DPI / 72).to_pil().convert("RGB") for page in pdf]
        finally:
            pdf.close()
    return [_bgr(np.asarray(image)) for image in images], float(DPI)


def _image_pages(data: bytes) -> tuple[list[np.ndarray], float]:
    """The pages of a PNG, JPEG or (multi-page) TIFF image, and its resolution: as recorded in
    the file, else that of an A4 page as wide as the image."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        pages = [_bgr(np.asarray(frame.convert("RGB"))) for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise InputError(f"not a readable image: {exc}") from None
    recorded = image.info.get("dpi", (0, 0))[0]
    dpi = float(recorded) if _MIN_DPI <= float(recorded or 0) <= _MAX_DPI else pages[0].shape[1] / _A4_WIDTH
    return pages, round(dpi, 1)


def _bgr(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


# --- OCR --------------------------------------------------------------------------------


@cache
def _engine() -> RapidOCR:
    """The OCR engine with its packaged default models (loaded once per process). Lines are
    kept down to a confidence of 0.3: the guards here judge them, none is dropped unseen."""
    from rapidocr import RapidOCR

    return RapidOCR(params={"Global.log_level": "error", "Global.text_score": 0.3})


def _page_chars(page: Page) -> list[_Char]:
    """Every character the OCR reads on the page, with its box and confidence."""
    result: Any = _engine()(
        cv2.cvtColor(page.image, cv2.COLOR_GRAY2BGR),
        use_det=True,
        use_cls=False,
        use_rec=True,
        return_word_box=True,
        return_single_char_box=True,
    )
    boxes, texts, scores = result.boxes, result.txts, result.scores
    if boxes is None or texts is None or scores is None:
        return []
    words = result.word_results if len(result.word_results or ()) == len(texts) else None
    found: list[_Char] = []
    for line, (quad, text, score) in enumerate(zip(boxes, texts, scores, strict=True)):
        if words is not None:
            found.extend(_Char(t, float(s), _box(q), line) for t, s, q in words[line] if t.strip())
        else:  # no character boxes for this page: share the line's box out among its characters
            found.extend(_spread(text, float(score), _box(quad), line))
    return [piece for char in found for piece in _single(char)]


def _box(quad: Any) -> Box:
    points = np.asarray(quad, dtype=float)
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    return int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1))


def _spread(text: str, score: float, box: Box, line: int) -> Iterator[_Char]:
    width = (box[2] - box[0]) / max(len(text), 1)
    for i, char in enumerate(text):
        if not char.isspace():
            x0 = box[0] + round(i * width)
            yield _Char(char, score, (x0, box[1], box[0] + round((i + 1) * width), box[3]), line)


def _single(char: _Char) -> Iterator[_Char]:
    """A word's box shared out among its characters (the engine gives most of them one by one)."""
    if len(char.text) == 1:
        yield char
    else:
        yield from _spread(char.text, char.score, char.box, char.line)


def _read_lines(page: Page, boxes: list[Box], scale: float) -> tuple[str, float]:
    """A read of lines of text alone, each from its box at ``scale`` by the recogniser (no
    detection: each box holds one line): their text (white space removed) joined, and the
    lowest confidence."""
    pad = max(4, round(page.dpi * 0.02))
    height, width = page.image.shape
    texts, scores = [], []
    for x0, y0, x1, y1 in boxes:
        crop = page.image[max(0, y0 - pad) : min(height, y1 + pad), max(0, x0 - pad) : min(width, x1 + pad)]
        if crop.size == 0:
            return "", 0.0
        if scale != 1:
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        result: Any = _engine()(
            cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR), use_det=False, use_cls=False, use_rec=True
        )
        if not result.txts:
            return "", 0.0
        texts.append(_SPACES.sub("", "".join(result.txts)))
        scores.append(min(float(s) for s in result.scores))
    return "".join(texts).translate(FULL_WIDTH), min(scores, default=0.0)


def _doubt(text: str, confidence: float, second: Callable[[], tuple[str, float]]) -> str:
    """Why a reading is not to be trusted, or "" when it is: its confidence is at least HIGH,
    or a second read agrees and one of the two is at least LOW."""
    if confidence >= HIGH:
        return ""
    other, other_confidence = second()
    if other != _SPACES.sub("", text):
        return f"OCR read {text!r} with confidence {confidence:.2f}; a second read gave {other!r}"
    if max(confidence, other_confidence) < LOW:
        return f"OCR read {text!r} with confidence {max(confidence, other_confidence):.2f}, below {LOW}"
    return ""


# --- a page: tables as grids, lines of text ----------------------------------------------


def _page_blocks(page: Page, number: int) -> list[_Block]:
    chars = _page_chars(page)
    owners = [_owners(table) for table in page.tables]
    in_cells: list[dict[int, list[_Char]]] = [{} for _ in page.tables]
    outside: list[_Char] = []
    for char in chars:
        placed = _place(page.tables, owners, char)
        if placed is None:
            outside.append(char)
        else:
            in_cells[placed[0]].setdefault(placed[1], []).append(char)
    blocks = [
        _Block(number, table.box[1], _table_rows(page, table, cells), True)
        for table, cells in zip(page.tables, in_cells, strict=True)
    ]
    height = page.image.shape[0]
    for line in _visual_lines(outside):
        piece = _line_piece(page, line)
        top, bottom = min(c.box[1] for c in line), max(c.box[3] for c in line)
        in_margin = top < _MARGIN * height or bottom > (1 - _MARGIN) * height
        blocks.append(_Block(number, top, [[piece]], False, in_margin))
    for block in blocks:
        for row in block.rows:
            for piece in row:
                if piece.box is not None:
                    piece.box = page.original_box(piece.box)
    return sorted(blocks, key=lambda b: b.top)


def _owners(table: TableGrid) -> dict[tuple[int, int], int]:
    """Each elementary grid cell → the index of the (merged) cell covering it."""
    return {
        (r, c): index
        for index, cell in enumerate(table.cells)
        for r in range(cell.row, cell.row + cell.rows)
        for c in range(cell.col, cell.col + cell.cols)
    }


def _place(
    tables: tuple[TableGrid, ...], owners: list[dict[tuple[int, int], int]], char: _Char
) -> tuple[int, int] | None:
    """(table, cell) of the cell the character's centre stands in, or None outside the tables."""
    for index, table in enumerate(tables):
        x0, y0, x1, y1 = table.box
        if x0 <= char.cx <= x1 and y0 <= char.cy <= y1:
            col = min(max(bisect_right(table.xs, char.cx) - 1, 0), table.n_cols - 1)
            row = min(max(bisect_right(table.ys, char.cy) - 1, 0), table.n_rows - 1)
            return index, owners[index][(row, col)]
    return None


def _table_rows(page: Page, table: TableGrid, cells: dict[int, list[_Char]]) -> list[list[_Piece]]:
    """The table's grid rows, each of exactly the grid's cell count; a merged cell's text in
    the first grid cell it covers."""
    rows = [[_Piece("") for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    for index, cell in enumerate(table.cells):
        rows[cell.row][cell.col] = _cell_piece(page, cell.box, cells.get(index, []))
    assert all(len(row) == table.n_cols for row in rows)
    rows = [_values_judged(row) for row in rows]
    _merges_judged(page, table, rows)
    return rows


def _merges_judged(page: Page, table: TableGrid, rows: list[list[_Piece]]) -> None:
    """A merged cell over value columns (columns where a cell of its own reads a number) that is
    not read, or that runs over rows and holds digits (rules the grid lost, the values of
    several rows in one cell), leaves every cell it covers not read: none of them is blank.
    Digits over rows are one row's value only as one line of ink beside a label cell over the
    same rows (a rule that stops short of the values splits the label side alone)."""
    value_cols = {
        c.col
        for c in table.cells
        if c.rows == c.cols == 1 and _AS_PRINTED.match(rows[c.row][c.col].text) and rows[c.row][c.col].text
    }
    owners = _owners(table)
    for cell in table.cells:
        covered = range(cell.col, cell.col + cell.cols)
        if cell.rows * cell.cols == 1 or value_cols.isdisjoint(covered):
            continue
        first = rows[cell.row][cell.col]
        several_rows_values = (
            cell.rows > 1
            and re.search(r"\d", first.text) is not None
            and not _one_rows_value(page, table, owners, cell, value_cols)
        )
        if first.text != UNREAD and not several_rows_values:
            continue
        why = f"OCR read {first.text!r} over cells the grid could not tell apart"
        for r in range(cell.row, cell.row + cell.rows):
            for c in covered:
                rows[r][c] = _unread(why if first.text != UNREAD else first.doubts[0][2], cell.box)


def _one_rows_value(
    page: Page, table: TableGrid, owners: dict[tuple[int, int], int], cell: GridCell, value_cols: set[int]
) -> bool:
    """Whether a value cell over several grid rows holds one line of ink beside a label cell
    (the cell before the first value column) over exactly the same grid rows."""
    first_value = min(value_cols)
    if cell.col < first_value or first_value == 0:
        return False
    label = table.cells[owners[(cell.row, first_value - 1)]]
    return (label.row, label.rows) == (cell.row, cell.rows) and len(page.ink_lines(cell.box)) == 1


def _values_judged(row: list[_Piece]) -> list[_Piece]:
    """A row of values (numbers in most of its cells after its label): each of those cells that
    does not read as a number as printed (□, X, a letter) is not read."""
    first_number = next((i for i, p in enumerate(row) if p.text and _AS_PRINTED.match(p.text)), len(row))
    label_end = max(
        (
            i + 1
            for i, p in enumerate(row)
            if len(_WORDS.findall(p.text)) >= 2 or (i < first_number and _WORD_NOT_DIGIT.search(p.text))
        ),
        default=0,
    )
    values = [p for p in row[label_end:] if p.text and p.text != UNREAD]
    numbers = sum(1 for p in values if _AS_PRINTED.match(p.text))
    if numbers < 2 or 2 * numbers < len(values):
        return row
    return [
        _unread(f"OCR read {p.text!r}: not a number as printed", p.box or (0, 0, 0, 0), p.confidence)
        if i >= label_end and p.text and p.text != UNREAD and not _AS_PRINTED.match(p.text)
        else p
        for i, p in enumerate(row)
    ]


def _cell_piece(page: Page, box: Box, chars: list[_Char]) -> _Piece:
    """One cell as read, judged: blank only without ink; read by the page's OCR when it read
    every line of ink there, else read alone, line by line; a value only as a number as printed."""
    by_line = page.ink_by_line(box)
    ink = [line for line, _ in by_line]
    if not ink and not chars:
        return _unread("no ink seen, but a seal lies over the cell", box) if page.sealed(box) else _Piece("")
    lines = _visual_lines(chars)
    boxes = [_box_of(line) for line in lines]
    read = "".join(c.text for line in lines for c in line).translate(FULL_WIDTH)  # the page's OCR's
    missed = [
        line for line in ink if not any(_overlap(line, c.box) for c in chars) and not _speck(line, chars)
    ]
    if not missed and chars and _VALUE_LIKE.match(read):
        missed = _blots_missed(by_line, chars)  # (a number's digit the page's OCR left out: 0 of 0 0)
    if missed or not chars:  # ink the page's OCR did not read: the cell alone, by its lines of ink
        boxes = ink
        text, confidence = _read_lines(page, boxes, 1.0)
        apart = lines_apart(by_line)
        if not text:
            return _unread("ink in the cell, but the OCR read nothing", box)
    else:
        text = read
        confidence = min(c.score for c in chars)
        apart = any(_gap(a, b) for line in lines for a, b in itertools.pairwise(line))
    if not _VALUE_LIKE.match(text):
        return _Piece(text, box, confidence)  # a label: the table reader judges it
    stacked = _stacked(ink, box, page.dpi)
    if apart or stacked or not _AS_PRINTED.match(text):
        why = "two values apart in one cell" if apart else "not a number as printed"
        why = "values on lines of their own in one cell (a rule between rows lost?)" if stacked else why
        return _unread(f"OCR read {text!r}: {why}", box, confidence)
    doubt = _doubt(text, confidence, lambda: _read_lines(page, boxes, SECOND_SCALE))
    return _Piece(text, box, confidence, [(0, len(text), doubt)] if doubt else [])


def _blots_missed(by_line: list[tuple[Box, list[Box]]], chars: list[_Char]) -> list[Box]:
    """The blots of ink (specks aside) that no character read there stands over: in a cell the
    page's OCR read as a number, a digit of it (or a second value) left out."""
    return [
        blot
        for _line, blots in by_line
        for blot in blots
        if not _speck(blot, chars) and not any(_overlap(blot, c.box) for c in chars)
    ]


def _stacked(lines: list[Box], cell: Box, dpi: float) -> bool:
    """Lines of ink in one cell that are no number wrapped: a wrap fills each line before the
    next, as far as the cell lets it. A line wider than the one above by more than a digit, or
    below a line that left room for another digit in the cell's width, is a value of its own."""

    def width(line: Box) -> int:
        return line[2] - line[0]

    def digit(line: Box) -> float:
        return 0.5 * (line[3] - line[1])

    room = width(cell) - dpi * _MOST_PADDING  # what the cell's width leaves a line, at the least
    tallest = max((line[3] - line[1] for line in lines), default=0)
    text = [line for line in lines if 2 * (line[3] - line[1]) >= tallest]  # (no scrap of a rule)
    return any(
        width(b) - width(a) > digit(b) or width(a) + digit(a) < room for a, b in itertools.pairwise(text)
    )


def _speck(line: Box, chars: list[_Char]) -> bool:
    """A line of ink too small, both ways, to be any character the OCR read there: a speck of
    noise (read alone with the cell, one made 11 read 411), not text the OCR missed."""
    least = 0.5 * min((c.height for c in chars), default=0)
    return line[2] - line[0] < least and line[3] - line[1] < least


def _overlap(line: Box, char: Box) -> bool:
    """Whether a character's box stands on a line of ink (they share most of its height)."""
    shared = min(line[3], char[3]) - max(line[1], char[1])
    return (
        shared > 0.5 * min(line[3] - line[1], char[3] - char[1]) and char[0] < line[2] and line[0] < char[2]
    )


def _unread(why: str, box: Box, confidence: float = 0.0) -> _Piece:
    return _Piece(UNREAD, box, confidence, [(0, 1, why)])


def _gap(left: _Char, right: _Char) -> bool:
    """Characters of one line this far apart belong to two things (two values in one cell)."""
    return right.box[0] - left.box[2] > 0.8 * max(left.height, right.height)


def _visual_lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters as lines top to bottom, each left to right: a character joins the line whose
    middle its own middle is near."""
    lines: list[list[_Char]] = []
    for char in sorted(chars, key=lambda c: c.cy):
        line = lines[-1] if lines else None
        if line is not None and abs(char.cy - _middle(line)) <= 0.5 * max(char.height, line[0].height):
            line.append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: c.box[0]) for line in lines]


def _box_of(chars: list[_Char]) -> Box:
    return (
        min(c.box[0] for c in chars),
        min(c.box[1] for c in chars),
        max(c.box[2] for c in chars),
        max(c.box[3] for c in chars),
    )


def _middle(line: list[_Char]) -> float:
    return sum(c.cy for c in line) / len(line)


def _line_piece(page: Page, line: list[_Char]) -> _Piece:
    """A line of text outside the tables, a space where its characters stand apart; the
    characters the OCR is not sure of are doubtful unless a second read of the line agrees."""
    parts = [line[0].text]
    at = [0]  # where each character stands in the text
    missed = []  # where ink stands between two characters that the OCR did not read
    for left, right in itertools.pairwise(line):
        if _gap(left, right):
            if _ink_between(page, left, right):
                missed.append(sum(map(len, parts)))
                parts.append(UNREAD)
            else:
                parts.append(" ")
        at.append(sum(map(len, parts)))
        parts.append(right.text)
    text = "".join(parts)
    box = _box_of(line)
    piece = _Piece(text, box, min(c.score for c in line))
    piece.doubts.extend((i, i + 1, "ink between two characters that the OCR did not read") for i in missed)
    unsure = [i for i, c in enumerate(line) if c.score < HIGH]
    if not unsure:
        return piece
    other, other_confidence = _read_lines(page, [box], SECOND_SCALE)
    agreed = _agreed("".join(c.text for c in line).translate(FULL_WIDTH), other)
    doubtful = [i for i in unsure if i not in agreed or max(line[i].score, other_confidence) < LOW]
    for start, end in _runs([at[i] for i in doubtful], text):
        why = f"OCR read {text[start:end]!r} unsure (second read of the line: {other!r})"
        piece.doubts.append((start, end, why))
    return piece


def _ink_between(page: Page, left: _Char, right: _Char) -> bool:
    """Whether the gap between two characters of a line holds ink of the line's height (a
    character the OCR skipped: a 0 between two printed bars), not only white paper."""
    top, bottom = min(left.box[1], right.box[1]), max(left.box[3], right.box[3])
    ink = page.ink_lines((left.box[2], top, right.box[0], bottom))
    return any(b[3] - b[1] >= 0.4 * (bottom - top) for b in ink)


def _agreed(first: str, second: str) -> set[int]:
    """Positions of ``first`` that a second read matches."""
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    return {a + k for a, _, size in matcher.get_matching_blocks() for k in range(size)}


def _runs(positions: list[int], text: str) -> list[tuple[int, int]]:
    """Doubtful characters as spans: a digit's span is its whole number."""
    spans: list[tuple[int, int]] = []
    for pos in positions:
        start, end = pos, pos + 1
        for number in _DIGITS.finditer(text):
            if number.start() <= pos < number.end():
                start, end = number.span()
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


# --- the text --------------------------------------------------------------------------


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", _SPACES.sub("", text))


def _without_running_lines(blocks: list[_Block]) -> list[_Block]:
    """The blocks less running headers and footers: margin lines whose shape (digits aside)
    recurs on two pages or more."""
    margin = [(b.page, _shape(b.rows[0][0].text)) for b in blocks if b.in_margin]
    pages_of = Counter(shape for _, shape in set(margin))
    running = {shape for shape, pages in pages_of.items() if pages >= 2}
    return [b for b in blocks if not (b.in_margin and _shape(b.rows[0][0].text) in running)]


def _write(blocks: list[_Block]) -> tuple[str, list[OcrSpan]]:
    """The report text (tables as tab-separated rows, apart from the lines by a blank line)
    and the spans of everything read."""
    out: list[str] = []
    spans: list[OcrSpan] = []
    pos = 0

    def put(text: str, piece: _Piece | None = None, page: int = 0) -> None:
        nonlocal pos
        if piece is not None and piece.box is not None and text:
            spans.append(OcrSpan(pos, pos + len(text), page, piece.box, round(piece.confidence, 4)))
            spans.extend(
                OcrSpan(pos + a, pos + b, page, piece.box, round(piece.confidence, 4), why)
                for a, b, why in piece.doubts
            )
        out.append(text)
        pos += len(text)

    for block in blocks:
        rows = [row for row in block.rows if any(p.text for p in row)]  # rows with no text left out
        if block.is_table and rows:
            put("\n")
        for row in rows:
            for col, piece in enumerate(row):
                if col:
                    put("\t")
                put(piece.text, piece, block.page)
            put("\n")
        if block.is_table and rows:
            put("\n")
    return "".join(out), spans
