"""Converters: PDF, HTML and Word files → plain report text, tables as tab-separated rows.

Every converter yields the same kind of text the rest of the extractor reads: prose as
lines, and each table the source marks up as a grid, one row per line and one cell per
tab, merged cells expanded (the text in the first cell it covers, the others empty).
Evidence offsets of a converted input point into this text; ``extractor text FILE``
prints it. A PDF's text comes with the box of each of its characters on its page
(:class:`~.layout.PdfLayout`), for highlighting a value on the page image.

A PDF without a text layer and a PNG, JPEG or TIFF image are scans: with the ``ocr`` extra
they are read by OCR (:mod:`.from_scan`) into the same kind of text, with an
:class:`~extractor.models.OcrLayer` telling where each stretch of it stands on its page,
how sure the OCR was, and what it doubts.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError, NoTextLayerError
from ..models import OcrLayer
from .layout import PdfLayout

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_OLE = b"\xd0\xcf\x11\xe0"  # the compound file of old Office formats
_WORD_STREAM = "WordDocument".encode("utf-16-le")  # the stream an old Word file keeps its text in
_OLD_WORD_SUFFIXES = (".doc", ".wps", ".dot")
_HTML_DOCUMENT_START = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<meta")
_HTML_START = (*_HTML_DOCUMENT_START, b"<table", b"<div")
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_IMAGE_START = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
OCR_EXTRA = "pip install -e '.[ocr]'"
# Called after each page a scan's OCR reads, with (pages done, pages in all): a progress bar.
PAGE_PROGRESS: ContextVar[Callable[[int, int], None] | None] = ContextVar("ocr_page_progress", default=None)


class Converted(NamedTuple):
    """A converted file: its text, how it was read, (PDF) where its characters stand, and for
    a scan what the OCR adds."""

    text: str
    encoding: str
    layout: PdfLayout | None = None
    ocr: OcrLayer | None = None


def kind_of(path: Path, data: bytes) -> str:
    """``pdf``, ``docx``, ``doc``, ``html``, ``image`` or ``text``: by the file's first bytes,
    then its suffix."""
    if data.startswith(_IMAGE_START):
        return "image"
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:4096] or path.suffix.lower() == ".docx":
            return "docx"
        if b"OFD.xml" in data[:4096] or path.suffix.lower() == ".ofd":
            raise InputError(
                "an OFD document (GB/T 33190), which is not read: export it to PDF and read that"
            )
        raise InputError("a zip archive, not a Word .docx file")
    if head.startswith(_OLE):
        if _WORD_STREAM in data or path.suffix.lower() in _OLD_WORD_SUFFIXES:
            return "doc"
        raise InputError("an old Office file (.xls, .ppt?), not a Word document")
    suffix = path.suffix.lower()
    if suffix in _HTML_SUFFIXES or _looks_like_html(head, markdown=suffix in _MARKDOWN_SUFFIXES):
        return "html"
    return "text"


def _looks_like_html(head: bytes, markdown: bool) -> bool:
    """Starts as a web page does; for a markdown file, as a whole page does (markdown may open
    with a block of raw HTML, as pandoc writes a page's header: it is still markdown)."""
    start = head.removeprefix(b"\xef\xbb\xbf").lower()
    return start.startswith(_HTML_DOCUMENT_START if markdown else _HTML_START)


def convert(kind: str, data: bytes) -> Converted:
    """The text of a ``pdf``, ``docx``, ``doc``, ``html`` or ``image`` file, and how it was read."""
    if kind == "doc":
        from .from_doc import doc_text

        return Converted(*doc_text(data))
    if kind == "pdf":
        from .from_pdf import pdf_layout

        try:
            layout = pdf_layout(data)
        except NoTextLayerError as exc:
            return _scan(kind, data, str(exc))
        return Converted(layout.text, "pdf text layer", layout)
    if kind == "image":
        return _scan(kind, data, "an image (a scan?): only OCR reads it")
    if kind == "docx":
        from .from_docx import docx_text

        return Converted(*docx_text(data))
    from .from_html import html_text

    return Converted(*html_text(data))


def ocr_available() -> bool:
    """Whether the ``ocr`` extra is installed (the OCR engine, its runtime, OpenCV)."""
    return all(importlib.util.find_spec(name) for name in ("rapidocr", "onnxruntime", "cv2"))


def _scan(kind: str, data: bytes, refusal: str) -> Converted:
    if not ocr_available():
        raise InputError(f"{refusal}; OCR needs the 'ocr' extra: {OCR_EXTRA}")
    from .from_scan import scan_text

    return scan_text(kind, data)


__all__ = ["PAGE_PROGRESS", "Converted", "PdfLayout", "convert", "kind_of", "ocr_available"]
