"""PDF files (text layer) → report text: lines and ruled tables in reading order, page by page.

pdfplumber finds ruled tables (their cells, merged ones as ``None``) and the lines of
text outside them. Running headers and footers — lines in a page's top or bottom margin
that recur on other pages once digits are ignored — are dropped, so a table continued on
the next page reads on without them. A PDF with no text layer (a scan) is refused.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import InputError, NoTextLayerError
from .grid import render_grid

_MARGIN = 0.07  # share of the page height where running headers and footers stand (above the body)
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class _Block:
    page: int
    top: float
    text: str
    in_margin: bool


def pdf_text(data: bytes) -> tuple[str, str]:
    """The text of a PDF's text layer; :class:`InputError` for scans and unreadable files."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            blocks = [block for page in pdf.pages for block in _page_blocks(page)]
            pages = len(pdf.pages)
    except (PdfminerException, PDFSyntaxError, PDFPasswordIncorrect) as exc:
        raise InputError(f"not a readable PDF: {_reason(exc)}") from None
    if sum(len(b.text.strip()) for b in blocks) < 20:
        raise NoTextLayerError(f"PDF has no text layer ({pages} pages of images?): run OCR on it first")
    running = _running_lines(blocks)
    kept = [b.text for b in blocks if not (b.in_margin and _shape(b.text) in running)]
    return "\n".join(kept) + "\n", "pdf text layer"


def _reason(exc: Exception) -> str:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    return f"{type(cause).__name__}" + (f": {cause}" if str(cause) else "")


def _page_blocks(page: pdfplumber.page.Page) -> list[_Block]:
    """The page's tables (as grids) and its other lines, top to bottom."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    blocks = [
        _Block(page.page_number, table.bbox[1], "\n" + render_grid(_unwrapped(table.extract())) + "\n", False)
        for table in tables
    ]
    outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes)) if boxes else page
    margin = _MARGIN * float(page.height)
    for line in outside.extract_text_lines(return_chars=False):
        in_margin = line["top"] < margin or line["bottom"] > float(page.height) - margin
        blocks.append(_Block(page.page_number, line["top"], line["text"], in_margin))
    return sorted(blocks, key=lambda b: b.top)


def _unwrapped(rows: list[list[str | None]]) -> list[list[str]]:
    """Cells with their wrapped lines joined: Chinese runs on without spaces, and a narrow
    column wraps a number's digits (``1\\n3\\n9`` is 139)."""
    return [["".join((cell or "").split()) for cell in row] for row in rows]


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    x0, top, x1, bottom = box
    middle_x = (obj["x0"] + obj["x1"]) / 2
    middle_y = (obj["top"] + obj["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _shape(text: str) -> str:
    return _DIGITS.sub("#", text.strip())


def _running_lines(blocks: list[_Block]) -> set[str]:
    """Margin lines whose shape recurs on two pages or more."""
    pages_of: Counter[str] = Counter()
    for shape in {(b.page, _shape(b.text)) for b in blocks if b.in_margin}:
        pages_of[shape[1]] += 1
    return {shape for shape, pages in pages_of.items() if pages >= 2}
