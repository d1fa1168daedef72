"""Word .docx files → report text: paragraphs as lines, tables as grids (merged cells expanded)."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..errors import InputError
from .grid import Grid, render_grid


def docx_text(data: bytes) -> tuple[str, str]:
    """The text of a .docx file, body order kept."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"not a readable .docx file: {exc}") from None
    blocks = [block for block in _blocks(document) if block.strip()]
    return "\n\n".join(blocks) + "\n", "docx"


def _blocks(document: WordDocument):
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document).text
        elif child.tag == qn("w:tbl"):
            yield render_grid(table_grid(Table(child, document)))


def table_grid(table: Table) -> Grid:
    """The grid of a Word table: a merged cell's text in the first grid cell it covers."""
    grid: Grid = []
    above: list[object] = []
    for row in table.rows:
        line: list[str] = []
        elements = [cell._tc for cell in row.cells]
        for col, (cell, element) in enumerate(zip(row.cells, elements, strict=True)):
            merged_left = col > 0 and elements[col - 1] is element
            merged_up = col < len(above) and above[col] is element
            line.append("" if merged_left or merged_up else cell.text)
        grid.append(line)
        above = elements
    return grid
