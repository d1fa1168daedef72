"""A PDF's pages for people: a page as an image, and where a value stands on it.

A value's evidence span is a span of the converted text, and the converter keeps every
character's box (:class:`~.converters.layout.PdfLayout`); here those boxes become fractions of
their page, so that a page image of any size can be drawn over. PDFium renders the pages (a
200-dpi page in some 40 ms), one thread at a time, as the converter reads them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pypdfium2 as pdfium

from .converters.from_pdf import _PDFIUM  # PDFium is not thread-safe: the converter's lock
from .converters.layout import PdfLayout

DPI = 200


@dataclass(frozen=True, slots=True)
class PageBox:
    """A box on a page (pages count from 1), as fractions of the page's width and height from
    its top-left corner."""

    page: int
    left: float
    top: float
    width: float
    height: float


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in PDF points."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            return [tuple(document[i].get_size()) for i in range(len(document))]
        finally:
            document.close()


def page_image(pdf: bytes, page: int, dpi: int = DPI) -> bytes:
    """Page ``page`` (from 1) rendered in greys at ``dpi``, as PNG; IndexError past the last."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            if not 1 <= page <= len(document):
                raise IndexError(f"page {page} of {len(document)}")
            image = document[page - 1].render(scale=dpi / 72, grayscale=True).to_pil()
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=3)
    return out.getvalue()


def ocr_box(
    page: int, box: tuple[int, int, int, int], dpi: float, sizes: list[tuple[float, float]]
) -> PageBox:
    """A value's box as the OCR read it (pixels of its page rendered at ``dpi``), as fractions
    of that page."""
    width, height = sizes[page - 1]
    x0, y0, x1, y1 = (v * 72 / dpi for v in box)
    return PageBox(page, x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height)


def value_boxes(layout: PdfLayout, sizes: list[tuple[float, float]], start: int, end: int) -> list[PageBox]:
    """The boxes of the text ``[start, end)`` on its pages, one per line it covers."""
    found = []
    for box in layout.boxes(start, end):
        width, height = sizes[box.page - 1]
        found.append(
            PageBox(
                box.page,
                box.x0 / width,
                box.top / height,
                (box.x1 - box.x0) / width,
                (box.bottom - box.top) / height,
            )
        )
    return found
