"""Cells: a table region of the normalised text → rows of cells with their spans.

Two layouts are told apart by the region's own lines:

* **rows on lines** — one table row per line, cells split by tabs or ``|`` (markdown),
  and trailing numbers split off a label by spaces (``一、本年新收… 6 0 0 0 0 0 6``);
* **one cell per line** — each cell on its own line starting with a tab, rows separated
  by blank lines, a cell's text wrapped over following lines without a tab (headers
  printed one character per line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .values import CHANGE_PREFIX, NULL_MARK, NUMBER, VALUE, VALUE_CELL


class CellKind(Enum):
    EMPTY = "empty"
    VALUE = "value"
    LABEL = "label"


_EMPTY, _VALUE, _LABEL = CellKind.EMPTY, CellKind.VALUE, CellKind.LABEL
_TRAILING_VALUES = re.compile(rf"^(?:(?P<label>\S.{{0,60}}?)\s+)?(?P<values>{VALUE}(?:\s+{VALUE})*)$")
_ONE_VALUE = re.compile(rf"(?<!\S)(?:{CHANGE_PREFIX})?{NUMBER}(?!\S)|(?<!\S)(?:{NULL_MARK})(?!\S)")
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class Cell:
    """A cell's text (inner white space removed) and its span in the normalised text."""

    text: str
    start: int
    end: int
    kind: CellKind


def make_cell(raw: str, start: int) -> Cell:
    """A cell from its raw text at ``start``: the span is trimmed to the visible text."""
    stripped = raw.strip()
    if not stripped:
        return Cell("", start, start, _EMPTY)
    begin = start + len(raw) - len(raw.lstrip())
    end = begin + len(stripped)
    if (stripped.isascii() and stripped.isdigit()) or VALUE_CELL.match(stripped):
        return Cell(stripped, begin, end, _VALUE)
    label = _SPACES.sub("", stripped) if " " in stripped or "\n" in stripped else stripped
    return Cell(label, begin, end, _LABEL)


def table_rows(text: str, start: int, end: int) -> list[list[Cell]]:
    """The rows of cells of the region ``text[start:end]``."""
    lines = _lines(text, start, end)
    cell_lines = [_is_cell_line(line) for _, line in lines]
    if _is_cell_per_line(lines, cell_lines):
        return _rows_cell_per_line(lines, cell_lines)
    return [row for line_start, line in lines if (row := _row_on_line(line, line_start))]


def _lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    lines = []
    pos = start
    for line in text[start:end].split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    return lines


def _is_cell_line(line: str) -> bool:
    """A line holding one indented cell: after a tab (a lone tab is an empty cell), or after
    spaces where a PDF copy turned the tab into spaces."""
    if line.startswith("\t"):
        return "\t" not in line[1:]
    if not line[:1].isspace() or not line.strip() or "\t" in line:
        return False
    return len(_ONE_VALUE.findall(line)) <= 1


def _is_cell_per_line(lines: list[tuple[int, str]], cell_lines: list[bool]) -> bool:
    single = sum(cell_lines)
    multi = sum(1 for _, line in lines if "\t" in line.lstrip("\t") or line.count("|") >= 2)
    return single > 2 * multi and single >= 8


def _rows_cell_per_line(lines: list[tuple[int, str]], cell_lines: list[bool]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    row: list[tuple[int, str]] = []  # (start, raw text) of each cell of the current row

    def close_row() -> None:
        if row:
            rows.append([make_cell(raw, start) for start, raw in row])
            row.clear()

    for (line_start, line), is_cell in zip(lines, cell_lines, strict=True):
        if is_cell:
            indent = len(line) - len(line.lstrip(" \t"))
            row.append((line_start + indent, line[indent:]))
        elif not line.strip():
            close_row()
        elif row:  # a wrapped cell: its text goes on without a tab
            start, raw = row[-1]
            gap = line_start - (start + len(raw))
            row[-1] = (start, raw + " " * gap + line)
        else:
            rows.append(_row_on_line(line, line_start))
    close_row()
    return [r for r in rows if r]


def _row_on_line(line: str, line_start: int) -> list[Cell]:
    """The cells of one line: split by tabs, else by markdown pipes, else trailing numbers."""
    pos = line_start
    if "\t" in line:
        parts = line.split("\t")
    elif line.count("|") >= 2:
        if _MARKDOWN_RULE.match(line):
            return []
        parts = line.split("|")
        if not parts[0].strip():  # the outer pipes of a markdown row are not cells
            pos += len(parts[0]) + 1
            parts = parts[1:]
        if parts and not parts[-1].strip():
            parts = parts[:-1]
    elif line.strip():
        parts = [line]
    else:
        return []
    cells: list[Cell] = []
    for part in parts:  # the hot loop: one make_cell per cell, splitting only when needed
        cell = make_cell(part, pos)
        if cell.kind is _LABEL and _ends_like_a_value(cell.text):
            cells.extend(_split_trailing_values(part, cell))
        else:
            cells.append(cell)
        pos += len(part) + 1
    return cells


def _ends_like_a_value(text: str) -> bool:
    return text[-1].isdigit() or text[-1] in "/—–-据"


def _split_trailing_values(raw: str, cell: Cell) -> list[Cell]:
    """A label followed by value cells when numbers trail it after spaces, else ``[cell]``."""
    match = _TRAILING_VALUES.match(raw.strip())
    if not match:
        return [cell]
    offset = cell.start
    cells = []
    if match["label"]:
        cells.append(make_cell(match["label"], offset))
    values_at = offset + match.start("values")
    cells.extend(make_cell(m.group(), values_at + m.start()) for m in _ONE_VALUE.finditer(match["values"]))
    return cells
