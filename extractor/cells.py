"""Cells: a table region of the normalised text → printed rows of cells with their spans.

Four layouts are told apart by the region's own lines:

* **rows on lines** — one table row per line, cells split by tabs or ``|`` (markdown),
  and trailing numbers split off a label by spaces (``一、本年新收… 6 0 0 0 0 0 6``);
* **one cell per line, indented** — each cell on its own line starting with a tab, rows
  separated by blank lines, a cell's text wrapped over following lines without a tab
  (headers printed one character per line), as Word copies give them;
* **one cell per line, plain** — no tabs: each label, then the numbers of its row, one per
  line, a blank line for an empty cell (text exports of Word files, PDF text extraction);
  a printed row is a label and the values that follow it;
* **glued** — a crawler's copy of a web table, cells run together with no separator
  (``行政许可3960181`` is 396 / 0 / 181): a printed row is a run of words and the digits after
  it, kept as one :attr:`CellKind.GLUED` cell per space-separated part for the table reader to
  split (its splits are checked against the cell count and the identities there).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from .values import (
    CELL_LINE_BREAK,
    CHANGE_PREFIX,
    ENDS_WITH_UNIT,
    NULL_MARK,
    NUMBER,
    RUN_UNIT,
    UNIT_AFTER,
    VALUE,
    VALUE_STARTS,
    display_width,
    is_value,
)


class CellKind(Enum):
    EMPTY = "empty"
    VALUE = "value"
    LABEL = "label"
    GLUED = "glued"  # digits that may hold several values run together
    GAP = "gap"  # an empty cell that may be none: an empty line among values, or a header's between rows


_EMPTY, _VALUE, _LABEL, _GLUED, _GAP = (
    CellKind.EMPTY,
    CellKind.VALUE,
    CellKind.LABEL,
    CellKind.GLUED,
    CellKind.GAP,
)
# (a label of up to 80 characters, however far apart: pandoc pads its columns with spaces)
_TRAILING_VALUES = re.compile(rf"^(?:(?P<label>\S(?:\s*\S){{0,80}}?)\s+)?(?P<values>{VALUE}(?:\s+{VALUE})*)$")
_ONE_VALUE = re.compile(
    rf"(?<!\S)(?:{CHANGE_PREFIX})?{NUMBER}{UNIT_AFTER}?(?!\S)|(?<!\S)(?:{NULL_MARK})(?!\S)"
)
_GLUED_VALUE = re.compile(rf"^(?P<label>.*[\u4e00-\u9fff])(?P<values>(?:0|[1-9]\d*)(?:\.\d+)?{UNIT_AFTER}?)$")
_EMPTY_PIPE_ROW = re.compile(r"^\s*\|(?:\s*\|)+\s*$")
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# A line naming the report with no cells in it: a page's running header, never a table row.
_RUNNING_HEADER = re.compile(r"^[^\t|]*政府信息公开(?:工作)?年度报告[^\t|]*$")
# A number with marks no value has (4*, 4', 1O, 12。) or with a note (22（注1）): a value
# printed but not readable, never a label (a label has words; a numbering alone, 1. or 2、, is a
# label's first part; a page's 1/2, a date or a time is furniture).
_DAMAGED_NUMBER = re.compile(
    r"^\d(?:(?!\d*[.、．)）]$)[^\s/:\-\u3400-\u9fff\uf900-\ufaff]*|[\d,.]*\s*[(（][^)）]*[)）]"
    r"|\d*\s*[\u3400-\u9fff])$"  # or with a word no label is (17例): a unit not known
)


@dataclass(slots=True)
class Cell:
    """A cell's text (inner white space removed), its span in the normalised text, and its
    column in a grid (the tab- or pipe-separated position on its line; -1 when it has none)."""

    text: str
    start: int
    end: int
    kind: CellKind
    col: int = -1
    # a value on the next line of the cell that holds the value before it: a number wrapped
    # in a narrow cell may go on there (13 / 9 is 139, or 13 and 9)
    after_break: bool = False
    # a number alone on a line right above a row of space-aligned cells, standing over the
    # value that starts at this offset: the head of a number wrapped in its narrow cell
    over: int = -1
    # such a number above a row whose cells stand one space apart (a text without the page's
    # columns: pdfplumber's, pypdf's): how many lines above; which value it heads, no column
    # tells (only the identities may)
    above: int = 0
    # the first cell of a line that goes on with the row of the lines before (a text of rows on
    # lines: a line of numbers alone between two rows joins the row above)
    line_start: bool = False
    # in a line of cells apart by spaces (a layout text), where the cell starts in its line,
    # and that line as printed (its spaces kept: a header's words stand where their columns do)
    x: int = -1
    line: str = ""
    # a label run on from the words before it (a flow of rows: a header's words, a sentence's
    # tail): the row it names is the one its words end with
    run_on: bool = False


def make_cell(raw: str, start: int, col: int = -1) -> Cell:
    """A cell from its raw text at ``start``: the span is trimmed to the visible text."""
    if raw.isdigit() and raw.isascii():  # the common case, fast: a bare number
        return Cell(raw, start, start + len(raw), _VALUE, col)
    if not raw:  # the next commonest, fast: a grid's empty cell
        return Cell("", start, start, _EMPTY, col)
    stripped = raw.strip()
    if not stripped:
        return Cell("", start, start, _EMPTY, col)
    begin = start + len(raw) - len(raw.lstrip())
    end = begin + len(stripped)
    first = stripped[0]
    if (first.isdecimal() or first in VALUE_STARTS) and (  # (a label starts with a word: fast)
        (stripped.isascii() and stripped.isdigit())
        or is_value(stripped)
        or ("0" <= first <= "9" and _DAMAGED_NUMBER.match(stripped))
    ):
        return Cell(stripped, begin, end, _VALUE, col)  # (a damaged number: a value not read)
    spaced = " " in stripped or "\n" in stripped or CELL_LINE_BREAK in stripped
    # inner white space removed (str.split and the pattern \s agree on what white space is)
    label = "".join(stripped.split()) if spaced else stripped
    return Cell(label, begin, end, _LABEL, col)


def table_rows(text: str, start: int, end: int) -> list[list[Cell]]:
    """The printed rows of cells of the region ``text[start:end]``. In rows on lines, an empty
    row stands where a blank line broke the grid (a grid's columns are comparable only within
    one unbroken run of its rows); a markdown rule line is left out, and so is a page's running
    header printed inside the table (a line naming the report). A row's cells all stand in a
    grid (a column each, ``col >= 0``) or none does."""
    region = text[start:end]
    whole_lines = _whole_lines(text, start, end)
    if _is_flattened(region, whole_lines) or _is_wrapped_flow(whole_lines):
        return _rows_run_together(text, start, end, glued=_GLUE.search(text, start, end) is not None)
    lines = _rows_apart(_lines(region, start))
    if "年度报告" in region:  # (fast: a region that names no report holds no running header)
        lines = [(at, line) for at, line in lines if not _RUNNING_HEADER.search(line)]
    if "---" in region and (columns := _simple_table_columns(lines)):
        return _rows_in_columns(lines, columns)
    cell_lines = [_is_cell_line(line) for _, line in lines]
    if _is_cell_per_line(lines, cell_lines, piped="|" in region):
        return _rows_cell_per_line(lines, cell_lines)
    headers: set[int] = set()
    if "---" in region and any("---" in line for _, line in lines):
        lines = _broken_rows_joined(text, lines)
        lines, headers = _without_rules(lines)
    bare = "|" in region and _bare_pipes(lines)
    rows = [_row_on_line(line, line_start, bare) for line_start, line in lines]
    for row in (rows[i] for i in headers):
        _doubt_empty_cells(row)
    _mark_heads_over_values(rows)
    if (raw := _plain_cell_lines(rows, lines)) is not None:
        return _rows_by_label(rows, raw)
    return rows


def _mark_heads_over_values(rows: list[list[Cell]]) -> None:
    """Numbers alone on lines right above a row of space-aligned cells, each standing over one
    of the row's values in the same columns of characters (as ``pdftotext -layout`` prints the
    first digits of a number wrapped in its narrow cell, over one line or more): each is marked
    with the value it stands over (:attr:`Cell.over`)."""
    if not any(row and row[-1].kind is _VALUE and row[-1].col < 0 for row in rows):  # (fast: no line
        return  # of numbers alone, the common case)
    for j, below in enumerate(rows):
        values = [c for c in below if c.kind is _VALUE]
        if len(values) < 2:
            continue
        if values[0].col >= 0 or _one_space_apart(values):  # (a grid's row: its lines above no
            _mark_heads_above(rows, j, values)  # grid's) no columns of characters tell which
            continue  # value a head is over
        labelled = False  # (one line of them may hold a label's head too)
        i = j - 1
        while i >= 0 and (over := _over_values(rows[i], values)) is not None:
            if len(over) < len(rows[i]) and labelled:
                break  # (a second label's head: another row's line)
            labelled = labelled or len(over) < len(rows[i])
            for head, value in zip(after_labels(rows[i]), over, strict=True):
                head.over = value.start
            i -= 1


def _one_space_apart(values: list[Cell]) -> bool:
    """A row's values one space apart, as a text without the page's columns prints them."""
    return all(b.start - a.end == 1 for a, b in itertools.pairwise(values))


def _mark_heads_above(rows: list[list[Cell]], j: int, values: list[Cell]) -> None:
    """Lines of a few numbers alone right above row ``j`` (its values one space apart, or a
    grid's): each number may head one of row ``j``'s values, which one no column tells
    (:attr:`Cell.above`; the table reader, which knows each row's cells, judges). A 0 may go on
    a number wrapped from the line above (205 as 2 / 0 / 5), never open one: the top line has
    none."""
    lines: list[list[Cell]] = []
    for depth in range(1, _MOST_HEAD_LINES + 1):
        line = rows[j - depth] if j >= depth else []
        if not line or len(line) >= len(values) or any(not _a_digit_run(c) for c in line):
            break
        lines.append(line)
    while lines and any(c.text[0] == "0" for c in lines[-1]):
        lines.pop()
    for depth, line in enumerate(lines, start=1):
        for head in line:
            head.above = depth


def _a_digit_run(cell: Cell) -> bool:
    """Digits alone, outside any grid: a number, or a wrapped number's part."""
    return cell.kind is _VALUE and cell.col < 0 and cell.text.isdigit() and cell.text.isascii()


_MOST_HEAD_LINES = 2  # a number wrapped over three lines at most


def after_labels(line: list[Cell]) -> list[Cell]:
    """A line's cells after its leading labels (a wrapped label's head beside the heads of
    wrapped numbers: 5.属于三类内部事务信 … 2 over 息 0 0 7 0 18 0 5)."""
    first = next((i for i, c in enumerate(line) if c.kind is not _LABEL or c.col >= 0), len(line))
    return line[first:]


def _over_values(line: list[Cell], values: list[Cell]) -> list[Cell] | None:
    """The values each of a line's numbers (after its labels, if any) stands over, one each;
    None unless the line holds only numbers there, fewer than the values, each over exactly
    one."""
    heads = after_labels(line)
    if not heads or len(heads) >= len(values):
        return None
    if any(c.kind is not _VALUE or not c.text.isdigit() or c.col >= 0 for c in heads):
        return None
    over = []
    for head in heads:
        under = [
            v
            for v in values
            if _same_columns(head.x, head.x + head.end - head.start, v.x, v.x + v.end - v.start)
        ]
        if len(under) != 1:
            return None
        over.append(under[0])
    return over if len({id(v) for v in over}) == len(over) else None


def _same_columns(a: int, b: int, c: int, d: int) -> bool:
    """Two stretches of columns ``[a, b)`` and ``[c, d)`` overlap."""
    return a < d and c < b


# --- pandoc's simple tables: columns drawn by the rules of dashes ----------------------------

_DASH_RULE = re.compile(r"^[ \t]*-{3,}(?:[ \t]+-{3,})+[ \t]*$")
_DASHES = re.compile(r"-{3,}")  # a rule's run of dashes (a markdown cell's, a simple table's column)
_WORD = re.compile(r"\S+")
_WIDE_AS_PRINTED = frozenset("()[]:;,.!?%")  # what a full-width form was before normalising


_Words = list[list[re.Match[str]]]  # a line's words, column by column


def _simple_table_columns(lines: list[tuple[int, str]]) -> dict[int, _Words]:
    """The lines of pandoc's simple tables (a rule of dashes above and below, no blank line
    between: each rule's run of dashes a column) and their words column by column, columns
    counted as pandoc counts, in display columns (an ideograph two); a rule, no columns. A
    table a line of which does not fit its columns is left out (read as rows on lines)."""
    found: dict[int, _Words] = {}
    rules = [i for i, (_, line) in enumerate(lines) if "---" in line and _DASH_RULE.match(line)]
    for top, bottom in itertools.pairwise(rules):
        body = range(top + 1, bottom)
        if not body or any(not lines[i][1] for i in body):  # (a line of spaces: a row of blanks)
            continue
        starts = [m.start() for m in _DASHES.finditer(lines[top][1])]
        words = {i: _words_in_columns(lines[i][1], starts) for i in body}
        if all(w is not None for w in words.values()):
            found.update({i: w for i, w in words.items() if w is not None})
            found.update({top: [], bottom: []})
    return found


def _words_in_columns(line: str, starts: list[int]) -> _Words | None:
    """The words of a line of a simple table, column by column; None when two words of one
    column stand two spaces apart (two cells: the line does not fit the columns). A word's
    display position is uncertain by its punctuation, full-width before normalising or not:
    it goes to the last column starting at or before its widest reckoning."""
    cells: list[list[re.Match[str]]] = [[] for _ in starts]
    wide = 0  # display width of the line so far, its punctuation taken as full width
    at = 0
    for word in _WORD.finditer(line):
        for ch in line[at : word.start()]:
            wide += 2 if _is_wide(ch) or ch in _WIDE_AS_PRINTED else 1
        col = max(0, sum(1 for s in starts if s <= wide) - 1)
        column = cells[col]
        if column and "  " in line[column[-1].end() : word.start()]:
            return None
        column.append(word)
        at = word.start()
    return cells


def _is_wide(ch: str) -> bool:
    return ch >= "\u1100" and unicodedata.east_asian_width(ch) in "WF"


def _rows_in_columns(lines: list[tuple[int, str]], columns: dict[int, _Words]) -> list[list[Cell]]:
    """Rows of a region holding simple tables: a table's line a cell per column (an empty
    one where the column holds nothing: a blank cell), its rules blank rows; other lines as
    rows on lines."""
    rows = []
    for i, (at, line) in enumerate(lines):
        words = columns.get(i)
        rows.append(_row_on_line(line, at) if words is None else _cells_in_columns(line, at, words))
    return rows


def _cells_in_columns(line: str, at: int, words: _Words) -> list[Cell]:
    cells = []
    end = at + len(line.rstrip())
    for col, column in enumerate(words):
        if column:
            begin = column[0].start()
            cells.append(make_cell(line[begin : column[-1].end()], at + begin, col))
        else:
            nxt = next((c[0].start() for c in words[col + 1 :] if c), None)
            pos = at + nxt if nxt is not None else end
            cells.append(Cell("", pos, pos, _EMPTY, col))
    return cells


def _bare_pipes(lines: list[tuple[int, str]]) -> bool:
    """The region's pipe table writes no outer pipes (``a| b| c``, as html2text does): its rule
    line does not open with a pipe, or a row neither opens nor closes with one. Then a pipe
    opening or closing a row follows or precedes an empty cell, not the table's border."""
    for _, line in lines:
        if line.count("|") < 2:
            continue
        row = line.strip()
        if "---" in row and _MARKDOWN_RULE.match(row):
            if not row.startswith("|"):
                return True
        elif not row.startswith("|") and not row.endswith("|"):
            return True
    return False


def _broken_rows_joined(text: str, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines, a markdown row broken between two of its cells joined again: a labelled row
    one paragraph, the rest of its values the next (blank lines between, as docling writes a
    PDF's rows), the break at a pipe that one side prints, and together as many cells as the
    table's rule line has columns. The joined line is the text from the row's start to its rest's
    end, so every cell keeps its place."""
    out: list[tuple[int, str]] = []
    columns = 0
    at = 0
    while at < len(lines):
        start, line = lines[at]
        if "---" in line and _MARKDOWN_RULE.match(line):
            columns = len(_DASHES.findall(line))
        rest = next((n for n in range(at + 1, min(at + 3, len(lines))) if lines[n][1].strip()), None)
        if columns and rest is not None and _breaks_off(line, lines[rest][1], columns):
            end = lines[rest][0] + len(lines[rest][1])
            out.append((start, text[start:end]))
            at = rest + 1
            continue
        out.append((start, line))
        at += 1
    return out


def _breaks_off(head: str, rest: str, columns: int) -> bool:
    """``rest``, a line of values alone, is the rest of the row ``head`` broken off after it."""
    head, rest = head.strip(), rest.strip()
    if not head.startswith("|") or "|" not in rest or (not rest[:1].isdigit() and rest[:1] not in "|增减"):
        return False
    if head.endswith("|") == rest.startswith("|"):  # (no pipe at the break, or a pipe each side)
        return False
    values = [c.strip() for c in rest.strip("|").split("|")]
    if not all(is_value(c) for c in values if c) or not any(values):
        return False
    cells = (head + rest).strip("|").split("|")
    return len(cells) == columns and sum(1 for c in cells if c.strip()) > len(cells) // 2


def _without_rules(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], set[int]]:
    """The lines less markdown's rule lines and the empty header row above one (a converter's
    table whose first row it found nothing to put in: ``| | |`` then ``|---|---|``), which is
    no row of blank cells; and the places of the other header rows kept."""
    kept: list[tuple[int, str]] = []
    headers: set[int] = set()
    for at, line in lines:
        if "---" not in line or not _MARKDOWN_RULE.match(line):
            kept.append((at, line))
        elif kept and _EMPTY_PIPE_ROW.match(kept[-1][1]):
            kept.pop()
        elif kept:
            headers.add(len(kept) - 1)
    return kept, headers


def _doubt_empty_cells(row: list[Cell]) -> None:
    """A markdown header row's empty cells: converters of PDFs make a table's first row on a
    new page its header, and a row a page cut leaves its label's rest there beside empty cells
    (its values stayed on the page before). Such a cell may be no cell at all."""
    for cell in row:
        if cell.kind is _EMPTY:
            cell.kind = _GAP


# --- one cell per line, plain: a label and the values after it ---------------------------


_LONE_VALUES = 5  # lines holding one value alone: the region prints a cell per line
_VALUE_ROWS = 2  # lines holding a label and its values: the region prints rows on lines
_EMPTY_CELL_WIDTH = 3  # spaces: a line this short and blank is an empty cell
_LABEL_THEN_VALUES = re.compile(rf"^\s*\S*[\u4e00-\u9fff）)]\S*\s+{VALUE}(?:\s+{VALUE})*\s*$")


def _plain_cell_lines(rows: list[list[Cell]], lines: list[tuple[int, str]]) -> list[str] | None:
    """The lines as cells print them, when the region prints one cell per line, plainly
    (:func:`_is_plain_cell_per_line`); else None. A line of a space or two is an empty cell as a
    text export writes it; a PDF's layout text pads its blank lines with spaces across the page:
    those are blank lines."""
    if any(cell.col >= 0 for row in rows for cell in row):  # (fast: a grid's rows)
        return None
    raw = ["" if len(line) > _EMPTY_CELL_WIDTH and not line.strip() else line for _, line in lines]
    return raw if _is_plain_cell_per_line(rows, raw) else None


def _is_plain_cell_per_line(rows: list[list[Cell]], raw: list[str]) -> bool:
    """Lines holding a value alone (or a space alone, or nothing between two such lines: an
    empty cell), and no line holding a grid of cells (:func:`_plain_cell_lines` asks that)."""
    lone = 0
    empties = 0  # empty lines in a run since the last line of text
    after_value = False  # that line held a value alone
    for row, line in zip(rows, raw, strict=True):
        if not line:
            empties += 1
        elif _lone_value(row) or not line.strip():
            lone += 1 + empties
            empties, after_value = 0, True
        else:
            lone += empties if after_value else 0
            empties, after_value = 0, False
    return lone + (empties if after_value else 0) >= _LONE_VALUES


def _rows_by_label(lines: list[list[Cell]], raw: list[str]) -> list[list[Cell]]:
    """Printed rows as a label (its fragments on consecutive lines) and the values after it.
    Among the values, a line holding only white space is an empty cell; an empty line may be
    one, or only a gap (:attr:`CellKind.GAP`) — none at all where empty lines stand between
    values throughout (every cell a paragraph of its own, as PDF text extraction gives them)."""
    gaps = not _blank_lines_separate(lines)
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    after_blank = True
    for line, text in zip(lines, raw, strict=True):
        if not line:
            kind = _EMPTY if text else _GAP
            if current and (kind is _EMPTY or gaps):
                current.append(Cell("", current[-1].end, current[-1].end, kind))
            after_blank = True
            continue
        if line[0].kind is _LABEL and current and current[-1].kind is not _LABEL:
            rows.append(current)
            current = []
        elif not (gaps or after_blank) and _lone_value(line) and current and current[-1].kind is _VALUE:
            line[0].after_break = True  # one paragraph: the value before may go on on this line
        line[0].line_start = bool(current)
        current.extend(line)
        after_blank = False
    if current:
        rows.append(current)
    return rows


def _blank_lines_separate(lines: list[list[Cell]]) -> bool:
    """Values stand apart by a blank line more often than next to each other, and never by
    more than one (two blank lines between values are an empty cell at least)."""
    apart = next_to = 0
    blanks = -1  # blank lines since the last value alone (-1: none yet)
    for line in lines:
        if not line:
            blanks += 1 if blanks >= 0 else 0
            continue
        if _lone_value(line):
            if blanks > 1:
                return False
            next_to += blanks == 0
            apart += blanks == 1
            blanks = 0
        else:
            blanks = -1
    return apart > next_to


def _lone_value(line: list[Cell]) -> bool:
    """A value alone on its line (not the head of a wrapped number over the row below)."""
    return len(line) == 1 and line[0].kind is _VALUE and line[0].over < 0


# --- glued: a crawler's copy with the cells run together ---------------------------------

# Digits (a space may stand between two cells, a line break where a page's line wrapped; 增/减
# signs a change), a decimal part, a unit of money.
_DIGITS = re.compile(
    rf"[增减]?\d(?:(?:[\d 增减]|(?<=\d){RUN_UNIT})*(?:\n+[\d 增减]*)?\d)?(?:\.\d+)?{RUN_UNIT}?"
)  # (a unit after a number goes on with the run: 2笔 984361元)
_NO_CELL_AFTER = ("年", "月", "日", "%", "％", "条")  # digits before these are words
_DIGITS_WRAPPED = re.compile(r"\d\n+\Z")  # digits go on after a wrapped line's end: one number or two
_NUMBERING_AFTER = re.compile(r"[.、．]\s*[^\d\s]")  # ``2.其他``, ``2. 其他``: the 2 numbers the next label
# Digits that touch words, more than one digit after a 0, or more than a count has: cells run
# together.
_GLUE = re.compile(r"[\u4e00-\u9fff）)]\d{3,}|\d{3,}[\u4e00-\u9fff（(]|(?<![\d.])(?:0\d|\d{9,}(?![\d.]))")
_GLUED_PART = re.compile(r"\S+")
_FLATTENED = 400  # characters: a line this long holds more than one table row
_WRAPPED_LINES = 3  # a flow of rows wrapped at the page's width: lines at least
_FULL_LINE = 0.85  # of the widest line's width: a line wrapped there is full
_WORD_OR_DIGIT = re.compile(r"[^\W_]")
_GAPPED = 3  # a line in this many with a gap of spaces inside: a grid aligned by spaces, no flow
_MOSTLY = 2 / 3  # of the lines full: a flow (a converter may end a line where a heading starts)
_PAGE_WIDE = 60  # columns: a wrapped line is a page's width, no narrow cell's
_TWO_ROWS = re.compile(r"\d[^\d\n]*[\u4e00-\u9fff][^\d\n]*\d")  # a row's digits, the next one's label, digits


def _whole_lines(text: str, start: int, end: int) -> str:
    """The lines ``text[start:end]`` stands on, whole (a region may start or end inside one)."""
    lines_from = text.rfind("\n", 0, start) + 1
    lines_to = text.find("\n", end)
    return text[lines_from : len(text) if lines_to < 0 else lines_to]


def _is_flattened(region: str, whole_lines: str) -> bool:
    """A table on a flattened line (one of ``whole_lines`` that goes on far beyond a table row),
    with no grid separators in its ``region``: a crawler's or a copy's text, its rows run
    together."""
    if "\t" in region or "|" in region:
        return False
    return max(map(len, whole_lines.split("\n"))) > _FLATTENED


_RUN_ON_LINES = 2  # lines of a wrapped flow holding two rows each, whatever its length


def _is_wrapped_flow(region: str) -> bool:
    """A flattened table wrapped at a page's width (a copy's run-together rows printed to a PDF,
    then its text taken out), on the whole lines of its ``region``: lines of words and digits,
    no grid separator, few column gaps, most lines about as wide as the widest, and rows running
    on within lines or digits glued."""
    if "\t" in region or "|" in region:  # (cheap tests first: every table region is asked)
        return False
    # (a paragraph a line leaves blank lines; a converter may put stray quote marks on lines
    # of their own: neither is a line of the flow)
    lines = [line.strip() for line in region.split("\n") if _WORD_OR_DIGIT.search(line)]
    if len(lines) < _WRAPPED_LINES:
        return False
    if sum(1 for line in lines if "   " in line) * _GAPPED > len(lines):  # (columns aligned by spaces)
        return False
    if max(map(len, lines)) * 2 < _PAGE_WIDE:
        return False
    two_rows = sum(1 for line in lines if _TWO_ROWS.search(line))
    run_on = two_rows * 2 >= len(lines) or two_rows >= _RUN_ON_LINES  # (a short table: a few suffice)
    if not run_on and _GLUE.search(region) is None:
        return False
    widths = [display_width(line) for line in lines]
    widest = max(widths)
    return widest >= _PAGE_WIDE and sum(w >= widest * _FULL_LINE for w in widths) >= len(lines) * _MOSTLY


def _rows_run_together(text: str, start: int, end: int, glued: bool) -> list[list[Cell]]:
    """A printed row per run of words and the numbers after it. Where words and digits touch
    (``glued``: 行政许可3960181), each space-separated part of the digits is one
    :attr:`CellKind.GLUED` cell, for the table reader to split; where they stand apart by
    spaces (行政许可 396 0 181), each number is a cell as printed (a blank left no trace)."""
    rows: list[list[Cell]] = []
    words_from = start
    for match in _DIGITS.finditer(text, start, end):
        digits_end = match.end()
        if _NUMBERING_AFTER.match(text, digits_end) and not match.group().rstrip("元万").count("."):
            digits_end -= 1  # its last digit numbers the next label
        if digits_end <= match.start() or text.startswith(_NO_CELL_AFTER, digits_end):
            continue  # (2023年, 12月, 15.4%, 61条: words of a date, a share or prose's count, no cell)
        words = text[words_from : match.start()]
        if (stop := words.rfind("。")) >= 0:  # (no label holds a sentence's end: prose ran into the table)
            words_from += stop + 1
            words = words[stop + 1 :]
        if words.strip():
            label = make_cell(words, words_from)
            row = [Cell(label.text, label.start, label.end, _LABEL, run_on=True)]
            for part in (_GLUED_PART if glued else _ONE_VALUE).finditer(text, match.start(), digits_end):
                cell = make_cell(part.group(), part.start())
                if glued:
                    cell = Cell(cell.text, cell.start, cell.end, _GLUED)
                at = part.start()
                cell.after_break = _DIGITS_WRAPPED.search(text, max(at - 4, 0), at) is not None
                row.append(cell)
            rows.append(row)
        words_from = digits_end
    return rows


# A grid's row run into the next one on a flattened line (a page's text with its line breaks
# made spaces, its tabs kept): the row's last value, spaces, then the next row (its empty
# first cells, then its label: words, or a numbering such as 2.).
_ROW_JOINT = re.compile(rf"(?<=\t){VALUE}(?P<joint> +)(?=\t*(?:[^\s\d]|\d{{1,2}}[.、．)]\D))")


def _rows_apart(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines, a flattened grid line cut where one row ran into the next."""
    if not any(len(line) > _FLATTENED or "---" in line for _, line in lines):  # (the common case, fast)
        return lines
    flattened = [_flattened_grid(line) for _, line in lines]
    if not any(flattened):
        return lines
    out = []
    for (at, line), kind in zip(lines, flattened, strict=True):
        cuts = []
        if kind == "\t":
            cuts = [joint.span("joint") for joint in _ROW_JOINT.finditer(line)]
        elif kind == "|":
            cuts = _pipe_row_cuts(line)
        begin = 0
        for stop, resume in cuts:
            if line[begin:stop].strip():
                out.append((at + begin, line[begin:stop]))
            begin = resume
        out.append((at + begin, line[begin:]))
    return out


def _flattened_grid(line: str) -> str:
    """What separates the cells of a grid run together on ``line``: a tab, a pipe, or none."""
    if len(line) > _FLATTENED and "\t" in line:
        return "\t"
    return "|" if "---" in line and _INLINE_RULE.search(line) else ""


# A markdown table's rule row inside a line (not opening it): a markdown table run together
# on one line, its rows one space apart (| a | b | |---|---| | 1 | 2 |).
_INLINE_RULE = re.compile(r"(?<=\S)\s*(\|(?:\s*:?-{3,}:?\s*\|)+)")
_PIPE = re.compile(r"\|")


def _pipe_row_cuts(line: str) -> list[tuple[int, int]]:
    """Where a markdown table run together on one line breaks into its rows, as (end of one
    piece, start of the next): before its header row, before and after its rule, then after
    every row of the rule's count of cells while only a space stands between two rows."""
    cuts: list[tuple[int, int]] = []
    pipes = [m.start() for m in _PIPE.finditer(line)]
    for rule in _INLINE_RULE.finditer(line):
        width, (begin, end) = len(_DASHES.findall(rule.group(1))), rule.span(1)
        before = [p for p in pipes if p < begin]
        if len(before) < width + 1 or (cuts and before[-width - 1] < cuts[-1][1]):
            continue
        cuts += [(before[-width - 1], before[-width - 1]), (before[-1] + 1, begin)]
        after = [p for p in pipes if p >= end]
        at = end
        while len(after) > width and not line[at : after[0]].strip():
            cuts.append((at, after[0]))
            at, after = after[width] + 1, after[width + 1 :]
        cuts.append((at, at))
    return cuts


def _lines(region: str, start: int) -> list[tuple[int, str]]:
    """The lines of ``region`` (of the text from offset ``start``), each with its offset."""
    lines = []
    for line in region.split("\n"):
        lines.append((start, line))
        start += len(line) + 1
    return lines


def _is_cell_line(line: str) -> bool:
    """A line holding one indented cell: after a tab (a lone tab is an empty cell), or after
    spaces where a PDF copy turned the tab into spaces."""
    if line.startswith("\t"):
        return line.find("\t", 1) < 0
    if not line[:1].isspace() or not line.strip() or "\t" in line:
        return False
    return len(_ONE_VALUE.findall(line)) <= 1


def _is_cell_per_line(lines: list[tuple[int, str]], cell_lines: list[bool], piped: bool = True) -> bool:
    """Indented single cells outnumber grid lines, and no lines print a label and its values
    side by side (as a PDF's space-aligned rows do, indented, their labels wrapped). Unless
    the region is ``piped`` (holds a ``|``), a line of one cell is no grid line (fast: only the
    others are looked at)."""
    single = sum(cell_lines)
    if single < 8:
        return False
    multi = sum(
        1
        for (_, line), one in zip(lines, cell_lines, strict=True)
        if (piped or not one) and ("\t" in line.lstrip("\t") or line.count("|") >= 2)
    )
    if single <= 2 * multi:
        return False
    side_by_side = sum(1 for _, line in lines if line and "\t" not in line and _LABEL_THEN_VALUES.match(line))
    return side_by_side < _VALUE_ROWS


def _rows_cell_per_line(lines: list[tuple[int, str]], cell_lines: list[bool]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    row: list[tuple[int, str]] = []  # (start, raw text) of each cell of the current row

    def close_row() -> None:
        if row:
            rows.append([make_cell(raw, start) for start, raw in row])
            row.clear()

    for (line_start, line), is_cell in zip(lines, cell_lines, strict=True):
        if is_cell:
            raw = line.lstrip(" \t")
            row.append((line_start + len(line) - len(raw), raw))
        elif not line.strip():
            close_row()
        elif row:  # a wrapped cell: its text goes on without a tab
            start, raw = row[-1]
            gap = line_start - (start + len(raw))
            row[-1] = (start, raw + CELL_LINE_BREAK + " " * (gap - 1) + line)
        else:
            rows.append(_row_on_line(line, line_start))
    close_row()
    return [r for r in rows if r]


def _row_on_line(line: str, line_start: int, bare: bool = False) -> list[Cell]:
    """The cells of one line: split by tabs, else by markdown pipes, else trailing numbers.
    ``bare``: the line's table writes no outer pipes (:func:`_bare_pipes`), each part is a cell."""
    pos = line_start
    if "\t" in line:
        parts = line.split("\t")
    elif line.count("|") >= 2:
        if _MARKDOWN_RULE.match(line):
            return []
        parts = line.split("|")
        # the outer pipes of a markdown row are not cells; in a row without them (html2text
        # writes none), a pipe opening the line follows an empty first cell
        if not bare:
            if not parts[0].strip() and not parts[-1].strip():
                pos += len(parts[0]) + 1
                parts = parts[1:-1]
            elif not parts[-1].strip():
                parts = parts[:-1]
    elif line.strip():
        parts = [line]
    else:
        return []
    grid = len(parts) > 1  # cells apart by tabs or pipes have a column; a line of words has none
    cells: list[Cell] = []
    for col, part in enumerate(parts):  # the hot loop: one make_cell per cell, splitting only when needed
        cell = make_cell(part, pos, col if grid else -1)
        if cell.kind is _LABEL and _ends_like_a_value(cell.text):
            cells.extend(_split_trailing_values(part, cell))
        else:
            cells.append(cell)
        pos += len(part) + 1
    if not grid:
        for cell in cells:
            cell.x, cell.line = cell.start - line_start, line
    return cells


def _ends_like_a_value(text: str) -> bool:
    last = text[-1]
    return (
        last.isdigit() or last in "/—–-据" or (not last.isascii() and ENDS_WITH_UNIT.search(text) is not None)
    )


def _split_trailing_values(raw: str, cell: Cell) -> list[Cell]:
    """A label followed by value cells when numbers trail it after spaces (or one number right
    after its last character: 行政规范性文件0), else ``[cell]``."""
    body = raw.strip()
    match = _TRAILING_VALUES.match(body) or _GLUED_VALUE.match(body)
    if not match:
        return [cell]
    offset = cell.start
    cells = []
    if match["label"]:
        label = make_cell(match["label"], offset, cell.col)
        glued = match.re is _TRAILING_VALUES and _GLUED_VALUE.match(match["label"])
        cells.extend(_split_trailing_values(match["label"], label) if glued else [label])  # 文件0 / 0 / 0
    values_at = offset + match.start("values")
    values = match["values"]
    after = None  # where the value before ends
    if cells and cells[-1].kind is _VALUE:  # a value glued to the label: the values go on after a break
        values, after = body[match.end("label") :], 0
        values_at = offset + match.end("label")
    for m in _ONE_VALUE.finditer(values):
        value = make_cell(m.group(), values_at + m.start(), cell.col)
        value.after_break = after is not None and CELL_LINE_BREAK in values[after : m.start()]
        cells.append(value)
        after = m.end()
    return cells
