"""Statements of a table section: each a row's label and its values, every value with its span.

A table may be printed as rows of cells or written out in sentences (规章：本年新制作数量0，本年
新公开数量16，对外公开总数量0。). Either way it is cut here into statements — a line, or a
sentence of one — each with the words before its first value (its label) and its values:
numbers as printed, or a mark of a blank cell (未填报, /, —), each with the words before it
(its column) and its span. The rules say which rows a label names (the catalog's label
patterns) and which column each value stands in (the column titles, else the order when the
count fits). What they cannot settle is left open for a reader that chooses among these
candidates, so whatever it chooses is a value printed in the text, at its span.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

from .catalog import RowSpec, TableSpec
from .models import FieldReading, Reading
from .tables import YUAN_NOTE, in_yuan_under_wan, normal_label
from .values import NULL_MARK, UNIT, ValueKind, number_tokens, parse_value

_PIECE = re.compile(r"[^\n。]+")  # a line, or a sentence of one
_COLON = re.compile(r"[：:]")
_PART = re.compile(r"[^，,、；;\t|]+")  # the text between separators
_LEADING = re.compile(rf"{UNIT}?[\s，,、；;：:|]*")  # the last value's unit, separators
_BLANK_MARK = re.compile(rf"(?P<mark>未填报|{NULL_MARK})\s*{UNIT}?\s*$")  # a blank cell's mark
_NOTE = re.compile(r"[(（][^)）]*[)）]|\s")
_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_BREAKS_DOWN = re.compile(r"^[\s(（]*(?:其中|包括|包含)")  # a part of the statement before it


@dataclass(frozen=True, slots=True)
class Item:
    """One value of a statement: the words before it, and its span (a number, or a blank's mark)."""

    words: str
    start: int
    end: int
    blank: bool = False

    def value(self, text: str, kind: ValueKind) -> int | float | None:
        """The value as the column's kind reads it; ValueError when it cannot be one."""
        return None if self.blank else parse_value(text[self.start : self.end], kind)


@dataclass(frozen=True, slots=True)
class Statement:
    """A line or sentence holding values: its span, its label and its values in printed order."""

    start: int
    end: int
    label: str
    items: tuple[Item, ...]

    def quoted(self, text: str) -> str:
        """The statement as printed, on one line."""
        return " ".join(text[self.start : self.end].split())

    @property
    def breaks_down(self) -> bool:
        """Whether it states a part of the statement before it (其中…), not a row of its own."""
        return _BREAKS_DOWN.match(self.label) is not None


def find_statements(text: str, start: int, end: int) -> list[Statement]:
    """Every line or sentence of ``text[start:end]`` that holds a value and is labelled."""
    found = []
    for piece in _PIECE.finditer(text, start, end):
        statement = _statement(text, piece.start(), piece.end())
        if statement is not None:
            found.append(statement)
    return found


def rows_named(spec: TableSpec, label: str) -> tuple[int, ...]:
    """The rows of ``spec`` whose label pattern the statement's label matches (its last cell
    first, as in a grid whose row label follows its group's)."""
    parts = [part for part in re.split(r"[\t|]", label) if part.strip()]
    for words in (parts[-1:], parts):
        key = normal_label(re.sub(r"\s+", "", "".join(words)))
        named = tuple(i for i, row in enumerate(spec.rows) if key and row.label.search(key))
        if named:
            return named
    return ()


@dataclass(frozen=True)
class Run:
    """Statements in printed order the rules could not place, on rows of ``rows`` (in their
    order): left to a reader that chooses."""

    statements: list[Statement]
    rows: range


def place_by_rules(
    spec: TableSpec, statements: list[Statement], wanted_rows: set[int], ask_all: bool = False
) -> tuple[dict[int, Statement], list[Run]]:
    """The wanted rows the rules place, and the runs of statements left to a reader that chooses.

    A statement breaking down the one before it (其中…) is no row. As the table parser does:
    statements whose label names one row are anchors, kept in printed order (one printed out of
    order is still placed by its label); the statements between two anchors are placed by order
    when their count is that of the rows between; a run that does not fit is left open, with
    those rows to choose from. With ``ask_all`` every statement is left open, with every row to
    choose from."""
    every = range(len(spec.rows))
    statements = [s for s in statements if not s.breaks_down]
    if ask_all:
        return {}, [Run(statements, every)] if statements else []
    named = [rows_named(spec, s.label) for s in statements]
    anchors: list[tuple[int, int]] = []  # (statement position, row index), both increasing
    by_label: dict[int, list[int]] = defaultdict(list)
    for pos, names in enumerate(named):
        if len(names) == 1:
            by_label[names[0]].append(pos)
            if not anchors or names[0] > anchors[-1][1]:
                anchors.append((pos, names[0]))
    placed = {row: statements[pos[0]] for row, pos in by_label.items() if len(pos) == 1}
    runs = []
    for (pos_a, row_a), (pos_b, row_b) in itertools.pairwise(
        [(-1, -1), *anchors, (len(statements), len(every))]
    ):
        loose = [statements[p] for p in range(pos_a + 1, pos_b) if len(named[p]) != 1]
        rows = range(row_a + 1, row_b)
        if not loose or not rows or wanted_rows.isdisjoint(rows):
            continue
        if len(loose) == len(rows):
            placed.update(zip(rows, loose, strict=True))
        else:
            runs.append(Run(loose, rows))
    return {row: p for row, p in placed.items() if row in wanted_rows}, runs


def read_statements(spec: TableSpec, text: str, start: int, end: int) -> Reading:
    """A table written in sentences (no printed row of it holds a value cell), read by the rules
    alone: each row's statement placed by its label or order (:func:`place_by_rules`), its values'
    columns by their words or order (:func:`columns_of`). A row or a value they do not settle
    is left unread and named by a problem, for the model fallback to choose."""
    reading = Reading()
    placed, _ = place_by_rules(spec, find_statements(text, start, end), set(range(len(spec.rows))))
    for index, (row, ids) in enumerate(zip(spec.rows, spec.row_field_ids, strict=True)):
        statement = placed.get(index)
        columns = columns_of(row, statement) if statement is not None else None
        if columns is None:
            why = "no statement placed on it" if statement is None else "its values' columns not settled"
            reading.problem(f"row {row.id} not found (read as sentences: {why})", ids)
            continue
        unstated = []
        for field_id, column, kind, title in zip(ids, row.columns, row.kinds, row.column_titles, strict=True):
            item = columns.get(column)
            try:
                value = item.value(text, kind) if item is not None else None
            except ValueError as exc:
                reading.problem(f"{field_id}: {exc}", [field_id])
                continue
            if item is None:
                unstated.append(field_id)
            elif in_yuan_under_wan(title, text[item.start : item.end + 2]):  # (its unit after it)
                reading.fields[field_id] = FieldReading(
                    value, item.start, item.end, confident=False, note=YUAN_NOTE
                )
            else:
                reading.fields[field_id] = FieldReading(value, item.start, item.end)
        if unstated:
            reading.problem(
                f"row {row.id} (written in sentences): its statement does not state these", unstated
            )
    return reading


def columns_of(row: RowSpec, statement: Statement) -> dict[str, Item] | None:
    """The statement's values on ``row``'s columns: by the column words printed before them
    (a column it does not state stays out), else by order when none has words and their
    count is the row's. ``None`` when that does not settle every value's column."""
    keys = [_key(title) for title in row.column_titles]
    items = statement.items
    if not any(item.words for item in items):
        return dict(zip(row.columns, items, strict=True)) if len(items) == len(keys) else None
    named = [_column(item.words, keys) for item in items]
    if None in named or len(set(named)) < len(named):
        return None
    return {row.columns[index]: item for index, item in zip(named, items, strict=True) if index is not None}


def column_choices(row: RowSpec, statement: Statement) -> list[tuple[int, ...]]:
    """For each value of the statement, the columns of ``row`` a reader may choose for it: the
    one its words name; all of them when its words name none (a wording to interpret); none
    when it has no words (only its order could tell, and the order does not fit)."""
    keys = [_key(title) for title in row.column_titles]
    choices: list[tuple[int, ...]] = []
    for item in statement.items:
        index = _column(item.words, keys)
        choices.append((index,) if index is not None else tuple(range(len(keys))) if item.words else ())
    return choices


def _statement(text: str, start: int, end: int) -> Statement | None:
    values = [_own_span(text, s, e) for _, s, e in number_tokens(text, start, end) if _is_value(text, s, e)]
    colon = _COLON.search(text, start, values[0][0] if values else end)
    body = colon.end() if colon else (values[0][0] if values else end)
    label = text[start : colon.start() if colon else body].strip()
    if not _WORDS.search(label):
        return None
    items: list[Item] = []
    pos = body
    for s, e in values:
        if s < body:
            continue
        words = _parts(text, pos, s, items)
        items.append(Item(_key(words.group()) if words else "", s, e))
        pos = e
    tail = _parts(text, pos, end, items)
    if tail:
        _blank(tail, items)
    return Statement(start, end, label, tuple(items)) if items else None


def _parts(text: str, start: int, end: int, items: list[Item]) -> re.Match[str] | None:
    """The last part of ``text[start:end]`` between separators (the words right before a
    value); the parts before it that end in a blank's mark become blank items."""
    lead = _LEADING.match(text, start, end)
    parts = list(_PART.finditer(text, lead.end() if lead else start, end))
    for part in parts[:-1]:
        _blank(part, items)
    return parts[-1] if parts else None


def _blank(part: re.Match[str], items: list[Item]) -> None:
    mark = _BLANK_MARK.search(part.group())
    if mark is None:
        return
    at = part.start() + mark.start("mark")
    items.append(Item(_key(part.group()[: mark.start()]), at, at + len(mark["mark"]), blank=True))


def _own_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A value's span without the 减 of a column title 本年增/减 it follows."""
    if text[start] in "增减" and text[start - 1 : start] == "/":
        start += 1
        while not text[start].isdigit():
            start += 1
    return start, end


def _is_value(text: str, start: int, end: int) -> bool:
    """A number standing as a value: not an item's numbering (1. 属于…, (2)), a date or 第 n."""
    after = text[end : end + 2]
    before = text[start - 1 : start] if start else ""
    if after[:1] in ("年", "月", "日", "号") or before == "第":
        return False
    if after[:1] in (".", "、", "．") and not after[1:2].isdigit():
        return False
    return not (before in ("(", "（") and after[:1] in (")", "）"))


def _key(words: str) -> str:
    return _NOTE.sub("", words).replace("社会组织", "社会公益组织")


def _column(words: str, keys: list[str]) -> int | None:
    """The column whose title the words are, contain, or (at two characters or more) are part of."""
    key = _key(words)
    if not key:
        return None
    for test in (key.__eq__, key.__contains__, lambda title: len(key) >= 2 and key in title):
        found = [index for index, title in enumerate(keys) if test(title)]
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None
