"""Ruled tables from a PDF page's rules: horizontal and vertical segments → cells → tables.

The method is pdfplumber's (Nurminen's thesis, as Tabula has it), kept to its tolerances so
a page reads as it did with pdfplumber: segments within 3 pt of one line are snapped onto
it (their mean position), collinear pieces less than 3 pt apart joined, pieces shorter than
3 pt dropped; a vertical and a horizontal rule cross where they come within 3 pt; a cell is
the smallest rectangle whose four corners are crossings joined by rules; a table is a group
of at least two cells that share corners. Coordinates are points from the page's top-left.

One step beyond pdfplumber: a table whose outer side is not drawn — Word's open-sided style, or
a wide table a browser clips at the page's margin — still has a last column where its
horizontal rules run on past its last vertical one and end together; that side is closed
there (``_closed_sides``), so the column's values are not lost outside the table. So is a row
a page break left open at the page's top or bottom, its vertical rules running on together.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

SNAP = 3.0  # rules this close to one line are one rule
JOIN = 3.0  # collinear pieces this close are one rule
MIN_LENGTH = 3.0  # shorter pieces are no rules (after snapping and joining)
MIN_LENGTH_BEFORE = 1.0  # pieces shorter than this are ignored from the start
CROSSING = 3.0  # a vertical and a horizontal rule cross when they come this close
OPEN_SIDE = 6.0  # rules running on this far past a table's last vertical rule leave a column open

Cell = tuple[float, float, float, float]  # x0, top, x1, bottom


class Segment(NamedTuple):
    """A straight rule: ``horizontal`` at ``pos`` (its top) from ``start`` to ``end`` (x), or
    vertical at ``pos`` (its x) from ``start`` to ``end`` (top to bottom)."""

    horizontal: bool
    pos: float
    start: float
    end: float


@dataclass(frozen=True)
class Table:
    """A ruled table: its cells (merged ones span several rows or columns of the grid)."""

    cells: list[Cell]

    @cached_property
    def bbox(self) -> Cell:
        return (
            min(c[0] for c in self.cells),
            min(c[1] for c in self.cells),
            max(c[2] for c in self.cells),
            max(c[3] for c in self.cells),
        )

    def grid(self) -> list[list[Cell | None]]:
        """The cells by grid position: rows at the cells' distinct tops, columns at their
        distinct left edges; a place covered by a merged cell that starts elsewhere is None."""
        xs, tops, _ = self._units
        starts = {(c[1], c[0]): c for c in self.cells}
        return [[starts.get((top, x)) for x in xs] for top in tops]

    def cells_at(self, x: float, y: float) -> list[Cell]:
        """The cells holding the point (their left and top edges in, right and bottom out)."""
        xs, tops, units = self._units
        if units is None:  # cells overlap: look at each
            return [c for c in self.cells if c[0] <= x < c[2] and c[1] <= y < c[3]]
        cell = units.get((bisect.bisect_right(tops, y) - 1, bisect.bisect_right(xs, x) - 1))
        return [cell] if cell and cell[0] <= x < cell[2] and cell[1] <= y < cell[3] else []

    @cached_property
    def _units(self) -> tuple[list[float], list[float], dict[tuple[int, int], Cell] | None]:
        """The grid's columns and rows, and which cell covers each of its places (None when
        two cells cover one)."""
        xs = sorted({c[0] for c in self.cells})
        tops = sorted({c[1] for c in self.cells})
        units: dict[tuple[int, int], Cell] = {}
        for cell in self.cells:
            x0, top, x1, bottom = cell
            for row in range(bisect.bisect_left(tops, top), bisect.bisect_left(tops, bottom)):
                for col in range(bisect.bisect_left(xs, x0), bisect.bisect_left(xs, x1)):
                    if units.setdefault((row, col), cell) is not cell:
                        return xs, tops, None
        return xs, tops, units


def find_tables(segments: list[Segment]) -> list[Table]:
    """The page's ruled tables, top to bottom (then left to right)."""
    rules = [r for r in _merged(segments) if r.end - r.start >= MIN_LENGTH]
    rules += _closed_sides(rules)
    groups = _corner_groups(_cells(_crossings(rules)))
    tables = sorted(groups, key=lambda cells: min((c[1], c[0]) for c in cells))
    return [Table(cells) for cells in tables if len(cells) > 1]


def _closed_sides(rules: list[Segment]) -> list[Segment]:
    """The rules a table's open sides lack: where rules that cross rules of the other orientation
    run on past the last (or first) of them by ``OPEN_SIDE`` and end together (within ``SNAP``),
    one after another in the same table (a crossing rule spans the row or column between
    them), a rule across from the first of them to the last. Horizontal rules running on past
    the last vertical one: a column a browser clipped, or Word's open side; vertical ones
    running on past the first or last horizontal one: a row a page break left open."""
    closing: list[Segment] = []
    for horizontal in (True, False):
        crossers = [r for r in rules if r.horizontal != horizontal]
        crossing: list[tuple[Segment, float, float]] = []  # a rule, its first and last crossing
        for rule in (r for r in rules if r.horizontal == horizontal):
            if crossed := [c.pos for c in crossers if _crosses(*((c, rule) if horizontal else (rule, c)))]:
                crossing.append((rule, min(crossed), max(crossed)))
        for far in (True, False):
            ends = [  # (the rule's position, where it ends)
                (rule.pos, end)
                for rule, first, last in crossing
                if abs((end := rule.end if far else rule.start) - (last if far else first)) > OPEN_SIDE
            ]
            for run in _side_runs(sorted(ends), crossers):
                if len(run) > 1:
                    at = sum(end for _, end in run) / len(run)
                    closing.append(Segment(not horizontal, at, run[0][0], run[-1][0]))
    return closing


def _crosses(v: Segment, h: Segment) -> bool:
    return h.start - CROSSING <= v.pos <= h.end + CROSSING and v.start - CROSSING <= h.pos <= v.end + CROSSING


def _side_runs(ends: list[tuple[float, float]], crossers: list[Segment]) -> list[list[tuple[float, float]]]:
    """Open rule ends (by position) chained while the next ends at the same place and a rule
    across spans the row (or column) between them."""
    runs: list[list[tuple[float, float]]] = []
    for pos, end in ends:
        last = runs[-1][-1] if runs else None
        if last and abs(end - last[1]) <= SNAP and _spanned(last[0], pos, crossers):
            runs[-1].append((pos, end))
        else:
            runs.append([(pos, end)])
    return runs


def _spanned(first: float, last: float, crossers: list[Segment]) -> bool:
    return any(c.start - CROSSING <= first and last <= c.end + CROSSING for c in crossers)


def _merged(segments: list[Segment]) -> list[Segment]:
    """Each orientation's segments snapped onto shared lines — positions chaining within SNAP
    of each other moved to their mean — and collinear pieces joined where they overlap or
    lie within JOIN of each other."""
    merged: list[Segment] = []
    for horizontal in (False, True):
        pieces = sorted(
            (s.pos, s.start, s.end)
            for s in segments
            if s.horizontal == horizontal and s.end - s.start >= MIN_LENGTH_BEFORE
        )
        for cluster in _position_chains(pieces):
            mean = sum(p[0] for p in cluster) / len(cluster)
            merged += [Segment(horizontal, mean, start, end) for start, end in _joined(cluster)]
    return merged


def _position_chains(pieces: list[tuple[float, float, float]]) -> list[list[tuple[float, float, float]]]:
    """Pieces (sorted by position) grouped while each position is within SNAP of the one before."""
    chains: list[list[tuple[float, float, float]]] = []
    last = None
    for piece in pieces:
        if last is None or piece[0] > last + SNAP:
            chains.append([])
        chains[-1].append(piece)
        last = piece[0]
    return chains


def _joined(cluster: list[tuple[float, float, float]]) -> list[tuple[float, float]]:
    """The (start, end) spans of collinear pieces, joined where they overlap or lie within JOIN."""
    joined: list[list[float]] = []
    for _, start, end in sorted(cluster, key=lambda p: p[1]):
        if joined and start <= joined[-1][1] + JOIN:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    return [(start, end) for start, end in joined]


def cluster_ids(values: list[float], tolerance: float) -> dict[float, int]:
    """Each distinct value → the number of its cluster: sorted values chain into one cluster
    while each is within ``tolerance`` of the one before."""
    ids: dict[float, int] = {}
    cluster, last = -1, None
    for value in sorted(set(values)):
        if last is None or value > last + tolerance:
            cluster += 1
        ids[value] = cluster
        last = value
    return ids


Point = tuple[float, float]


def _crossings(rules: list[Segment]) -> dict[Point, tuple[set[int], set[int]]]:
    """Each crossing point → the ids of the vertical and of the horizontal rules through it."""
    verticals = sorted((r for r in rules if not r.horizontal), key=lambda r: (r.pos, r.start))
    horizontals = sorted((r for r in rules if r.horizontal), key=lambda r: (r.pos, r.start))
    tops = [h.pos for h in horizontals]
    crossings: dict[Point, tuple[set[int], set[int]]] = {}
    for vi, v in enumerate(verticals):
        first = bisect.bisect_left(tops, v.start - CROSSING)
        last = bisect.bisect_right(tops, v.end + CROSSING)
        for hi in range(first, last):
            h = horizontals[hi]
            if h.start - CROSSING <= v.pos <= h.end + CROSSING:
                vs, hs = crossings.setdefault((v.pos, h.pos), (set(), set()))
                vs.add(vi)
                hs.add(hi)
    return crossings


def _cells(crossings: dict[Point, tuple[set[int], set[int]]]) -> list[Cell]:
    """For each crossing, the smallest cell it is the top-left corner of, if any."""
    down: dict[float, list[float]] = defaultdict(list)  # x → the tops of its crossings, sorted
    across: dict[float, list[float]] = defaultdict(list)  # top → the xs of its crossings, sorted
    for x, top in sorted(crossings):
        down[x].append(top)
        across[top].append(x)

    def joined(a: Point, b: Point, vertical: bool) -> bool:
        side = 0 if vertical else 1
        return not crossings[a][side].isdisjoint(crossings[b][side])

    cells = []
    for x, top in sorted(crossings):
        cell = _smallest_cell(x, top, down[x], across[top], crossings, joined)
        if cell:
            cells.append(cell)
    return cells


def _smallest_cell(x, top, tops, xs, crossings, joined) -> Cell | None:
    corner = (x, top)
    for bottom in tops[bisect.bisect_right(tops, top) :]:
        if not joined(corner, (x, bottom), True):
            continue
        for right in xs[bisect.bisect_right(xs, x) :]:
            if not joined(corner, (right, top), False):
                continue
            far = (right, bottom)
            if far in crossings and joined(far, (right, top), True) and joined(far, (x, bottom), False):
                return (x, top, right, bottom)
    return None


def _corner_groups(cells: list[Cell]) -> list[list[Cell]]:
    """Cells grouped with every cell they share a corner with, transitively."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_at: dict[Point, int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = first_at.setdefault(corner, i)
            parent[root(i)] = root(j)
    groups: dict[int, list[Cell]] = defaultdict(list)
    for i, cell in enumerate(cells):
        groups[root(i)].append(cell)
    return list(groups.values())
