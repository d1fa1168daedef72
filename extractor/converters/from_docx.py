"""Word .docx files → report text: paragraphs as lines, tables as grids (merged cells expanded).

A Word file whose pages are drawn rather than written — every line of text a text box placed on
the page and the tables' rules drawn as lines, as converters from PDF to Word make them — is
read by where its boxes and rules stand, as a PDF's characters are (``page_text``).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.oxml.text.run import CT_R
from lxml import etree

from ..errors import InputError
from .grid import Grid, render_grid
from .page_text import Block, Glyph, blocks_layout, page_blocks
from .pdf_rules import Segment

_EMU_PER_PT = 12700  # drawing positions and sizes are in EMU
_TWIPS_PER_PT = 20  # page sizes in twentieths of a point
_A4_HEIGHT = 842.0
_DRAWING_ML = "http://schemas.openxmlformats.org/drawingml/2006/main"
_AXES = ("wp:positionH", "wp:positionV")


def docx_text(data: bytes) -> tuple[str, str]:
    """The text of a .docx file, body order kept (or page by page, when its pages are drawn)."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:  # (a part cut short)
        raise InputError(f"not a readable .docx file: {exc}") from None
    blocks = [block for block in _blocks(document) if block.strip()]
    flowing = sum(len(block.strip()) for block in blocks)
    pages = _drawn_pages(document.element.body)
    if sum(len(g.text.strip()) for page in pages for g in page.glyphs) > flowing:
        return _pages_text(pages), "docx (drawn pages)"
    return "\n\n".join(blocks) + "\n", "docx"


# Elements that only wrap content (content controls, custom XML, smart tags, links, fields,
# tracked insertions and moves to here): their content is read as if they were not there. A
# tracked deletion or move away (w:del, w:moveFrom) wraps nothing of the text as it stands.
_WRAPPERS = frozenset(
    qn(tag)
    for tag in (
        "w:sdt", "w:sdtContent", "w:customXml", "w:smartTag", "w:hyperlink", "w:fldSimple", "w:ins",
        "w:moveTo",
    )
)  # fmt: skip


def _blocks(document: WordDocument) -> Iterator[str]:
    yield from _content_blocks(document.element.body)


def _content_blocks(container: etree._Element) -> Iterator[str]:
    """The paragraphs and tables of a body or a cell, in order; a table that holds tables lays
    out the page, and its cells' content is read in order instead of as a grid."""
    for child in _content(container):
        if child.tag == qn("w:p"):
            yield paragraph_text(child)
        elif next(child.iterdescendants(qn("w:tbl")), None) is None:
            yield render_grid(table_grid(child))
        else:
            for cell in child.iterdescendants(qn("w:tc")):
                if next(cell.iterancestors(qn("w:tbl"))) is child:
                    yield from _content_blocks(cell)


_BLOCKS = (qn("w:p"), qn("w:tbl"))


def _content(container: etree._Element, tags: tuple[str, ...] = _BLOCKS) -> Iterator[etree._Element]:
    """A container's paragraphs and tables (or its children of ``tags``), through the elements
    that only wrap them."""
    for child in container.iterchildren():
        if child.tag in _WRAPPERS:
            yield from _content(child, tags)
        elif child.tag in tags:
            yield child


def paragraph_text(paragraph: etree._Element) -> str:
    """A paragraph's text as the document stands: its runs (python-docx's reading of each),
    those inside content controls, links, fields and tracked insertions included, tracked
    deletions left out."""
    parts: list[str] = []
    for child in paragraph.iterchildren():
        if child.tag == qn("w:r"):
            parts.append(cast("CT_R", child).text)  # python-docx's run element
        elif child.tag in _WRAPPERS:
            parts.append(paragraph_text(child))
    return "".join(parts)


def table_grid(table: etree._Element) -> Grid:
    """The grid of a Word table (``w:tbl``): a merged cell's text in the first grid cell it
    covers; a row that starts or ends inside the grid (``w:gridBefore``, ``w:gridAfter``: Word
    leaves those places out) padded with empty cells, so every cell keeps its column."""
    grid: Grid = []
    for row in _content(table, (qn("w:tr"),)):
        line = [""] * _count(row, "w:trPr", "w:gridBefore")
        for cell in _content(row, (qn("w:tc"),)):
            merged = any(_merge(cell, tag) not in (None, "restart") for tag in ("w:vMerge", "w:hMerge"))
            line.append("" if merged else _cell_text(cell))
            line.extend([""] * (max(_count(cell, "w:tcPr", "w:gridSpan"), 1) - 1))
        grid.append(line + [""] * _count(row, "w:trPr", "w:gridAfter"))
    return grid


def _merge(cell: etree._Element, tag: str) -> str | None:
    """A cell's merge mark: None, ``restart`` (the merge's first cell) or ``continue``."""
    mark = cell.find(f"{qn('w:tcPr')}/{qn(tag)}")
    return None if mark is None else mark.get(qn("w:val"), "continue")


def _count(element: etree._Element, properties: str, tag: str) -> int:
    """A row's or a cell's count property (gridBefore, gridSpan…): 0 when it has none."""
    value = element.find(f"{qn(properties)}/{qn(tag)}")
    digits = value.get(qn("w:val"), "") if value is not None else ""
    return int(digits) if digits.isdigit() else 0


def _cell_text(cell: etree._Element) -> str:
    return "\n".join(paragraph_text(p) for p in _content(cell, (qn("w:p"),)))


# --- drawn pages --------------------------------------------------------------------------


@dataclass
class _Page:
    """What is drawn on one page: text boxes as characters with boxes, lines as rules."""

    glyphs: list[Glyph] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)


def _drawn_pages(body: etree._Element) -> list[_Page]:
    """The pages of the body's placed shapes, in order. A shape placed well above the one
    before starts a new page (converters anchor every page's shapes to one paragraph)."""
    height = _page_height(body)
    pages: list[_Page] = []
    last_top = None
    for anchor in body.iter(qn("wp:anchor")):
        placed = _placement(anchor)
        if placed is None:
            continue
        x, y, width, depth = placed
        if not pages or (last_top is not None and y < last_top - height / 2):
            pages.append(_Page())
        last_top = y
        page = pages[-1]
        lines = _box_lines(anchor)
        if lines:
            page.glyphs += _glyphs(lines, x, y, width, depth)
        elif _is_line(anchor):
            page.segments += _rule(x, y, width, depth)
    return pages


def _page_height(body: etree._Element) -> float:
    size = body.find(f"{qn('w:sectPr')}/{qn('w:pgSz')}")
    height = size.get(qn("w:h")) if size is not None else None
    return int(height) / _TWIPS_PER_PT if height and height.isdigit() else _A4_HEIGHT


def _placement(anchor: etree._Element) -> tuple[float, float, float, float] | None:
    """A shape's left, top, width and height in points, when it is placed by offsets."""
    offsets = [anchor.findtext(f"{qn(axis)}/{qn('wp:posOffset')}") for axis in _AXES]
    extent = anchor.find(qn("wp:extent"))
    if extent is None or any(o is None or not o.lstrip("-").isdigit() for o in offsets):
        return None
    x, y = (int(o or 0) / _EMU_PER_PT for o in offsets)
    return x, y, int(extent.get("cx", "0")) / _EMU_PER_PT, int(extent.get("cy", "0")) / _EMU_PER_PT


def _box_lines(anchor: etree._Element) -> list[str]:
    """The lines of a text box's paragraphs (one text box of the drawing's own, not its copy
    for older readers)."""
    content = next(anchor.iter(qn("w:txbxContent")), None)
    if content is None:
        return []
    lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))).strip() for p in content.iter(qn("w:p")))
    return [line for line in lines if line]


def _is_line(anchor: etree._Element) -> bool:
    return any(g.get("prst") == "line" for g in anchor.iter(f"{{{_DRAWING_ML}}}prstGeom"))


def _glyphs(lines: list[str], x: float, y: float, width: float, depth: float) -> list[Glyph]:
    """A text box's characters, its lines stacked in its height and each line's characters
    spread across its width by their display widths (a CJK character twice a digit's)."""
    glyphs = []
    step = depth / len(lines)
    for n, line in enumerate(lines):
        units = [2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line]
        per_unit = width / sum(units)
        left, top = x, y + n * step
        for ch, unit in zip(line, units, strict=True):
            glyphs.append(Glyph(ch, left, top, left + unit * per_unit, top + step))
            left += unit * per_unit
    return glyphs


def _rule(x: float, y: float, width: float, depth: float) -> Iterator[Segment]:
    """A drawn line as a rule: horizontal or vertical (a slanted one is no rule)."""
    if depth == 0 and width > 0:
        yield Segment(True, y, x, x + width)
    elif width == 0 and depth > 0:
        yield Segment(False, x, y, y + depth)


def _pages_text(pages: list[_Page]) -> str:
    blocks: list[Block] = []
    for number, page in enumerate(pages, start=1):
        if page.glyphs:
            height = max(g.bottom for g in page.glyphs)
            blocks += page_blocks(number, height, page.glyphs, page.segments)
    return blocks_layout(blocks, len(pages)).text
