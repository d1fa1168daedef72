"""Grids: a table's cells, merged cells expanded, rendered as tab-separated lines."""

from __future__ import annotations

import re

Grid = list[list[str]]
_SPACES = re.compile(r"\s+")


def clean_cell(text: str | None) -> str:
    """A cell's text on one line: white space (tabs and line breaks too) collapsed."""
    return _SPACES.sub(" ", text or "").strip()


def render_grid(rows: Grid) -> str:
    """One line per row, cells joined by tabs; a row of empty cells kept as its tabs (a table's
    row of blanks is a row), a row of no cells left out."""
    lines = ["\t".join(clean_cell(cell) for cell in row) for row in rows]
    return "\n".join(line for line in lines if line)


def expand_spans(rows: list[list[tuple[str, int, int]]]) -> Grid:
    """A grid from rows of ``(text, rowspan, colspan)`` cells, as HTML writes tables: a
    merged cell's text stands in the first grid cell it covers, the others are empty."""
    grid: Grid = []
    pending: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    for row in rows:
        line: list[str] = []
        col = 0
        cells = iter(row)
        while True:
            while pending.get(col, 0) > 0:
                pending[col] -= 1
                line.append("")
                col += 1
            cell = next(cells, None)
            if cell is None:
                if not any(c > col and n > 0 for c, n in pending.items()):
                    break
                line.append("")  # a gap before a column still covered from above
                col += 1
                continue
            text, rowspan, colspan = cell
            for i in range(colspan):
                line.append(text if i == 0 else "")
                if rowspan > 1:
                    pending[col + i] = rowspan - 1
            col += colspan
        grid.append(line)
    return grid
