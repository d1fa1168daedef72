"""Locating values in text: where a prose fact is stated, where a table row's label stands.

Used by the prose rules and to ground what a language model returns: a number counts as
stated only where it stands as a whole token (``24`` is not found inside ``2024``), a prose
fact only in a sentence (or clause) about that very fact, and a table value only near its
row's label when the label is printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .catalog import FactSpec, RowSpec, TableSpec
from .tables import normal_label
from .values import find_number, number_tokens

# A sentence or a clause runs on over a single line break (text wrapped in a PDF or a copy of
# it breaks lines anywhere); a blank line ends it.
SENTENCE = re.compile(r"(?:[^。；;\n]|\n(?![ \t]*\n))+")
CLAUSE = re.compile(r"(?:[^。；;，,\n]|(?<=\d),(?=\d{3})|\n(?![ \t]*\n))+")  # 1,204 is one number
_PIECES = {"sentence": SENTENCE, "clause": CLAUSE}
_LABELLED_LINE = re.compile(r"[^\d\s/—–|,.()（）、-]")


_BREAKS_DOWN = re.compile(r"\s*[(（]?\s*(?:其中|包括|包含)")  # a clause breaking down the one before
_LIST_ITEM = re.compile(r"[^、]+")  # an item of a list inside a clause (微信120条、微博80条)
LUMPED = re.compile(r"等|各")  # 微博等新媒体, 微信、微博各50条: things counted together


@dataclass(frozen=True)
class Statement:
    """A sentence (or clause) that speaks of a fact, and its stretches about that fact alone:
    a sentence less its clauses about other things (excluded words) and the breakdown after
    其中; an excluded clause less nothing, unless it lists its things one count each
    (微信公众号发布信息120条、微博80条). No stretch: it speaks of the fact only together
    with other things."""

    piece: re.Match[str]
    parts: list[tuple[int, int]]
    shared: bool = False  # a clause about other things too, cut into its list's items


def statements_about(fact: FactSpec, text: str, start: int, end: int) -> Iterator[Statement]:
    """The sentences (or clauses) of ``text[start:end]`` that speak of ``fact``."""
    for piece in _PIECES[fact.piece].finditer(text, start, end):
        if fact.topic is None or fact.topic.search(piece.group()):
            shared = fact.piece == "clause" and bool(fact.excluded and fact.excluded.search(piece.group()))
            yield Statement(piece, _own_parts(fact, text, piece), shared)


def _own_parts(fact: FactSpec, text: str, piece: re.Match[str]) -> list[tuple[int, int]]:
    excluded = fact.excluded
    if fact.piece == "sentence":
        parts = []
        for n, clause in enumerate(CLAUSE.finditer(text, piece.start(), piece.end())):
            if n and _BREAKS_DOWN.match(clause.group()):
                break  # the rest breaks down what came before
            if not (excluded and excluded.search(clause.group())):
                parts.append(clause.span())
        return parts
    if not (excluded and excluded.search(piece.group())):
        return [piece.span()]
    return [
        item.span()
        for item in _LIST_ITEM.finditer(text, piece.start(), piece.end())
        if (fact.topic is None or fact.topic.search(item.group()))
        and not excluded.search(item.group())
        and not LUMPED.search(item.group())
    ]


def lumped_counts(text: str, statement: Statement, counts: re.Pattern[str]) -> bool:
    """A shared clause states a count of several things together (微信公众号、微博等新媒体发布
    信息300条): an item of its list with a count lumps things."""
    piece = statement.piece
    return any(
        LUMPED.search(item.group()) and counts.search(item.group())
        for item in _LIST_ITEM.finditer(text, piece.start(), piece.end())
    )


def pieces_about(fact: FactSpec, text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The stretches of ``text[start:end]`` that speak of ``fact`` and of no other."""
    for statement in statements_about(fact, text, start, end):
        yield from statement.parts


def find_number_about(
    fact: FactSpec, text: str, value: float, start: int, end: int
) -> tuple[int, int] | None:
    """Where ``value`` is stated as ``fact``: in a piece of text about that fact and no other."""
    for part_start, part_end in pieces_about(fact, text, start, end):
        span = find_number(text, value, part_start, part_end)
        if span:
            return span
    return None


def find_none_stated(
    fact: FactSpec, text: str, start: int = 0, end: int | None = None
) -> tuple[int, int] | None:
    """Where ``text`` says in words that there was none of ``fact`` (未收到申请, 未收取信息处理费)."""
    for statement in statements_about(fact, text, start, len(text) if end is None else end):
        span = none_stated_in(fact, text, statement)
        if span:
            return span
    return None


def none_stated_in(fact: FactSpec, text: str, statement: Statement) -> tuple[int, int] | None:
    """Where ``statement`` says in words that there was none of ``fact``: a phrase of the
    sentence that begins and ends in its stretches about the fact."""
    if fact.none_stated is None or not statement.parts:
        return None
    match = fact.none_stated.search(text, statement.piece.start(), statement.piece.end())
    if match is None:
        return None
    inside = [any(a <= at < b for a, b in statement.parts) for at in (match.start(), match.end() - 1)]
    return match.span() if all(inside) else None


def flat_cells(spec: TableSpec, text: str, start: int, end: int) -> dict[str, tuple[float, int, int]]:
    """A table printed as one unlabelled line of values (table 四): field id → the number
    standing at its position, when the section ends with at least that many numbers."""
    ids = spec.field_ids()
    numbers = list(number_tokens(text, start, end))
    if len(numbers) < len(ids):
        return {}
    return dict(zip(ids, numbers[-len(ids) :], strict=True))


def row_windows(spec: TableSpec, text: str, start: int, end: int) -> dict[str, tuple[int, int]]:
    """For each row whose label is printed in ``text[start:end]``: the stretch of text from its
    label to the next printed row label (where its values stand). Empty for a flat table,
    whose labels stand in its header, away from its values."""
    if spec.flat:
        return {}
    found: list[tuple[int, str]] = []
    pos = start
    for row in spec.rows:
        hit = _label_position(row, text, pos, end)
        if hit is not None:
            found.append((hit, row.id))
            pos = hit + 1
    windows = {}
    for i, (at, row_id) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else end
        windows[row_id] = (at, stop)
    return windows


def _label_position(row: RowSpec, text: str, start: int, end: int) -> int | None:
    """The first line at or after ``start`` whose words match the row's label."""
    line_start = start
    while line_start < end:
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        line = text[line_start:line_end]
        for cell in re.split(r"[\t|]", line):
            cell = normal_label(re.sub(r"\s+", "", cell))
            if cell and _LABELLED_LINE.search(cell) and row.label.search(cell):
                return line_start
        line_start = line_end + 1
    return None
