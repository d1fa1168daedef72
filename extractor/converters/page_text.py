"""Text from characters placed on pages: ruled tables as grids and the other characters as
lines, page by page — one reading for every input whose characters come with boxes (a PDF's
text layer; a Word file whose pages are drawn, every line a positioned text box).

Ruled tables are found from the page's rules (``pdf_rules``) and written as grids, one row per
line and cells apart by tabs, a merged cell's text in the first grid cell it covers; a cell's
wrapped lines are joined without spaces (a narrow column wraps ``139`` as ``1 3 9``). The other
characters form lines: characters whose tops chain within 3 pt, left to right, words apart where
a blank stands or the gap exceeds 3 pt. Running headers and footers — lines in a page's top or
bottom margin that recur on other pages once digits are ignored — are dropped, so a table
continued on the next page reads on without them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .layout import LayoutBuilder, PdfLayout
from .pdf_rules import Cell, Segment, Table, cluster_ids, find_tables

_MARGIN = 0.07  # share of the page height where running headers and footers stand (above the body)
_LINE = 3.0  # characters whose tops chain within this are one line (pt)
_GAP = 3.0  # a wider gap between two characters of a line starts a new word (pt)
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Glyph:
    """A character of the page with its box (points from the page's top-left)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Block:
    """A line or a table of a page: its text and, per character, the glyph it was read from
    (None for the separators written here)."""

    page: int
    top: float
    text: str
    glyphs: list[Glyph | None]
    in_margin: bool


def page_blocks(page: int, height: float, glyphs: list[Glyph], segments: list[Segment]) -> list[Block]:
    """A page's tables (as grids, from its rules) and its other lines, top to bottom."""
    tables = find_tables(segments)
    blocks, outside = _table_blocks(page, tables, glyphs) if tables else ([], glyphs)
    margin = _MARGIN * height
    for line in _page_lines(outside):
        top = min(g.top for g in line if g)
        bottom = max(g.bottom for g in line if g)
        text = "".join(g.text if g else " " for g in line)
        blocks.append(Block(page, top, text, line, top < margin or bottom > height - margin))
    return sorted(blocks, key=lambda b: b.top)


def blocks_layout(blocks: list[Block], pages: int) -> PdfLayout:
    """The pages' blocks as one text, line by line, less the running headers and footers."""
    running = _running_lines(blocks)
    layout = LayoutBuilder(pages)
    for block in blocks:
        if not (block.in_margin and _shape(block.text) in running):
            layout.add(block.page, block.text, block.glyphs)
            layout.add(block.page, "\n", [None])
    return layout.build()


def _table_blocks(page: int, tables: list[Table], glyphs: list[Glyph]) -> tuple[list[Block], list[Glyph]]:
    """The page's tables as blocks, and the glyphs outside them (a glyph is in a cell, or in
    a table, when its middle is)."""
    middles = [((g.x0 + g.x1) / 2, (g.top + g.bottom) / 2) for g in glyphs]
    in_a_table = bytearray(len(glyphs))
    blocks = []
    for table in tables:
        x0, top, x1, bottom = table.bbox
        members: dict[Cell, list[Glyph]] = defaultdict(list)
        for i, (x, y) in enumerate(middles):
            if x0 <= x <= x1 and top <= y <= bottom:
                in_a_table[i] = 1
                for cell in table.cells_at(x, y):
                    members[cell].append(glyphs[i])
        blocks.append(_table_block(page, table, members))
    return blocks, [g for g, inside in zip(glyphs, in_a_table, strict=True) if not inside]


def _table_block(page: int, table: Table, members: dict[Cell, list[Glyph]]) -> Block:
    """A table as a block of tab-separated rows (rows with no text left out), between blank lines."""
    text: list[str] = ["\n"]
    boxes: list[Glyph | None] = [None]
    for row in table.grid():
        cells = [_reading_order(members[cell]) if cell in members else [] for cell in row]
        if not any(cells):
            continue
        if len(text) > 1:
            text.append("\n")
            boxes.append(None)
        for i, cell in enumerate(cells):
            if i:
                text.append("\t")
                boxes.append(None)
            text += [g.text for g in cell]
            boxes += cell
    text.append("\n")
    boxes.append(None)
    return Block(page, table.bbox[1], "".join(text), boxes, False)


def _reading_order(inside: list[Glyph]) -> list[Glyph]:
    """A cell's characters in reading order, its wrapped lines joined and blanks dropped:
    Chinese runs on without spaces, and a narrow column wraps a number's digits."""
    if len(inside) == 1:
        return [] if inside[0].text.isspace() else inside
    tops = [g.top for g in inside]
    if max(tops) - min(tops) <= _LINE:  # one line
        return [g for g in sorted(inside, key=_left) if not g.text.isspace()]
    return [g for line in _word_lines(_words(inside), keep_order=False) for word in line for g in word]


def _left(glyph: Glyph) -> float:
    return glyph.x0


# --- lines -------------------------------------------------------------------------------


def _char_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Characters whose tops chain within _LINE, each line left to right."""
    ids = cluster_ids([g.top for g in glyphs], _LINE)
    lines: dict[int, list[Glyph]] = {}
    for glyph in glyphs:
        lines.setdefault(ids[glyph.top], []).append(glyph)
    return [sorted(lines[i], key=lambda g: g.x0) for i in sorted(lines)]


def _words(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Words, line by line: a blank or a gap wider than _GAP (or a step back) parts them."""
    words: list[list[Glyph]] = []
    for line in _char_lines(glyphs):
        word: list[Glyph] = []
        for glyph in line:
            if glyph.text.isspace():
                if word:
                    words.append(word)
                    word = []
                continue
            if word:
                before = word[-1]
                if glyph.x0 < before.x0 or glyph.x0 > before.x1 + _GAP or abs(glyph.top - before.top) > _LINE:
                    words.append(word)
                    word = []
            word.append(glyph)
        if word:
            words.append(word)
    return words


def _word_lines(words: list[list[Glyph]], keep_order: bool) -> list[list[list[Glyph]]]:
    """Words grouped into text lines by their tops (chaining within _LINE); with
    ``keep_order``, only neighbouring words share a line."""
    tops = [min(g.top for g in word) for word in words]
    ids = cluster_ids(tops, _LINE)
    keyed = [(ids[top], word) for top, word in zip(tops, words, strict=True)]
    if not keep_order:
        keyed.sort(key=lambda item: item[0])
    lines: list[list[list[Glyph]]] = []
    last = None
    for key, word in keyed:
        if key != last:
            lines.append([])
            last = key
        lines[-1].append(word)
    return lines


def _page_lines(glyphs: list[Glyph]) -> list[list[Glyph | None]]:
    """The page's text lines outside its tables: glyphs, and None where a space parts words."""
    out = []
    for line in _word_lines(_words(glyphs), keep_order=True):
        glyph_line: list[Glyph | None] = []
        for i, word in enumerate(line):
            if i:
                glyph_line.append(None)
            glyph_line += word
        out.append(glyph_line)
    return out


# --- running headers and footers ---------------------------------------------------------


def _shape(text: str) -> str:
    return _DIGITS.sub("#", text.strip())


def _running_lines(blocks: list[Block]) -> set[str]:
    """Margin lines whose shape recurs on two pages or more."""
    pages_of: Counter[str] = Counter()
    for shape in {(b.page, _shape(b.text)) for b in blocks if b.in_margin}:
        pages_of[shape[1]] += 1
    return {shape for shape, pages in pages_of.items() if pages >= 2}
