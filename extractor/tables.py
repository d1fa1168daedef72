"""Table parser: one parser for every standard table, driven by its :class:`TableSpec`.

A printed row is a *candidate* when it holds a value, or when its label names a row of
the table and enough cells follow it. Candidates are placed on the table's rows by their
labels (anchors, kept in printed order); runs of unlabelled candidates between anchors
are placed by order when their count fits the rows left there (labels lost in
conversion); a labelled row out of order is still placed by its label. A row's values
are the last ``n`` cells after its label once the grid's empty edge cells are trimmed.
Nothing is guessed: a row that cannot be placed or read is reported, with its fields,
as not read.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from .catalog import RowSpec, TableSpec
from .cells import Cell, CellKind
from .models import FieldReading, Reading
from .values import parse_value

_NUMBERING = re.compile(r"^(?:[(（]?[一二三四五六七八九十]+[)）、.]|\d+[.、．)]|[(（]\d+[)）])+")


@dataclass(frozen=True)
class _Candidate:
    label: str
    values: list[Cell]
    spec_index: int | None


def parse_table(spec: TableSpec, rows: list[list[Cell]]) -> Reading:
    """Read table ``spec`` from its printed ``rows``."""
    result = Reading()
    candidates = [c for row in rows if (c := _candidate(spec, row)) is not None]
    placed = _place(spec, candidates)
    if spec.flat and not placed:
        placed = _place_flat(spec, candidates, result)
    for index, row_spec in enumerate(spec.rows):
        ids = [f"{spec.id}.{row_spec.id}.{col}" for col in row_spec.columns]
        candidate = placed.get(index)
        if candidate is None:
            result.problem(f"row {row_spec.id} not found", ids)
            continue
        _read_row(row_spec, ids, candidate, result)
    return result


def normal_label(text: str) -> str:
    """A row label without its numbering (``(一)``, ``1.``, ``三、``)."""
    return _NUMBERING.sub("", text)


def _match(spec: TableSpec, labels: list[str]) -> int | None:
    """The index of the table row the row's labels name, most specific (last) label first."""
    if not labels:
        return None
    index = _match_label(spec, labels[-1])
    return index if index is not None or len(labels) == 1 else _match_label(spec, "".join(labels))


@lru_cache(maxsize=4096)  # bounded: a long-running service sees labels without end
def _match_label(spec: TableSpec, label: str) -> int | None:
    """Labels are the standard form's words, so the same few recur: remember them."""
    text = normal_label(label)
    return next((index for index, row in enumerate(spec.rows) if row.label.search(text)), None)


def _candidate(spec: TableSpec, row: list[Cell]) -> _Candidate | None:
    last_label = len(row) - 1
    while last_label >= 0 and row[last_label].kind is not CellKind.LABEL:
        last_label -= 1
    values = row[last_label + 1 :]
    has_value = any(c.kind is CellKind.VALUE for c in values)
    if not has_value and last_label < 0:
        return None
    labels = [c.text for c in row[: last_label + 1] if c.kind is CellKind.LABEL]
    index = _match(spec, labels)
    if index is not None and len(values) < len(spec.rows[index].columns):
        index = None  # a header cell that happens to read like a row label
        if not has_value:
            return None
    if not has_value and index is None:
        return None
    return _Candidate(labels[-1] if labels else "", values, index)


def _place(spec: TableSpec, candidates: list[_Candidate]) -> dict[int, _Candidate]:
    """Table row index → the printed row read for it."""
    anchors: list[tuple[int, int]] = []  # (candidate position, table row index), both increasing
    for pos, cand in enumerate(candidates):
        if cand.spec_index is not None and (not anchors or cand.spec_index > anchors[-1][1]):
            anchors.append((pos, cand.spec_index))
    placed = {row: candidates[pos] for pos, row in anchors}
    bounds = [(-1, -1), *anchors, (len(candidates), len(spec.rows))]
    for (pos_a, row_a), (pos_b, row_b) in itertools.pairwise(bounds):
        loose = [c for c in candidates[pos_a + 1 : pos_b] if c.spec_index is None]
        if len(loose) == row_b - row_a - 1:
            placed.update(zip(range(row_a + 1, row_b), loose, strict=True))
    for cand in candidates:  # a labelled row printed out of order is still read by its label
        if cand.spec_index is not None:
            placed.setdefault(cand.spec_index, cand)
    return placed


def _place_flat(spec: TableSpec, candidates: list[_Candidate], result: Reading) -> dict[int, _Candidate]:
    """All the table's values in one printed row, in row order (table 四)."""
    widths = [len(row.columns) for row in spec.rows]
    wide = [c for c in candidates if len(c.values) >= sum(widths)]
    if len(wide) != 1:
        return {}
    cells = _take(wide[0].values, sum(widths), result, spec.id)
    if cells is None:
        return {}
    placed = {}
    offset = 0
    for index, width in enumerate(widths):
        placed[index] = _Candidate("", cells[offset : offset + width], index)
        offset += width
    return placed


def _take(cells: list[Cell], n: int, result: Reading, where: str) -> list[Cell] | None:
    """The row's ``n`` value cells: trim empty edge cells of the grid, then keep the last ``n``."""
    cells = list(cells)
    while len(cells) > n and cells[-1].kind is CellKind.EMPTY:
        cells.pop()
    while len(cells) > n and cells[0].kind is CellKind.EMPTY:
        cells.pop(0)
    if len(cells) < n:
        return None
    if len(cells) > n:
        dropped = cells[: len(cells) - n]
        result.notes.append(
            f"{where}: {len(dropped)} leading cell(s) taken for a lost label: "
            + " ".join(c.text or "∅" for c in dropped)
        )
        cells = cells[-n:]
    return cells


def _read_row(row: RowSpec, ids: list[str], candidate: _Candidate, result: Reading) -> None:
    cells = _take(candidate.values, len(row.columns), result, f"{ids[0].rsplit('.', 1)[0]}")
    if cells is None:
        result.problem(f"row {row.id}: {len(candidate.values)} cells, {len(row.columns)} expected", ids)
        return
    for field_id, cell, kind in zip(ids, cells, row.kinds, strict=True):
        if cell.text.isdigit() and cell.text.isascii():  # the common case, fast
            result.fields[field_id] = FieldReading(int(cell.text), cell.start, cell.end)
            continue
        try:
            value = parse_value(cell.text, kind)
        except ValueError as exc:
            result.fields[field_id] = FieldReading(None, cell.start, cell.end, confident=False, note=str(exc))
            result.problem(f"{field_id}: {exc}", [field_id])
            continue
        result.fields[field_id] = FieldReading(value, cell.start, cell.end)
