"""Table parser: one parser for every standard table, driven by its :class:`TableSpec`.

1. **Candidates.** A printed row is a candidate when it holds a value, or when its label names a
   row of the table and enough cells follow it.
2. **Placement.** Candidates are placed on the table's rows by their labels (anchors, kept in
   printed order); runs of unlabelled candidates between anchors are placed by order when their
   count fits the rows left there (labels lost or floated away in conversion); a labelled row
   out of order is still placed by its label.
3. **Interpretations.** Each placed row is read every way its cells allow: by the columns of the
   table's header when the row stands in a grid that lines up with it; else by its cells less
   those that can be set aside — empty cells (grid padding, a phantom column, a spanned cell),
   then, only where the identities can confirm it, leading cells where a label was lost; a glued
   run of digits is split every way that gives the row's cell count.
4. **Resolution.** A field is read when every interpretation left gives it the same value. Where
   a row has several, the identities of ``fields.md`` choose, row by row and then jointly, and a
   value chosen so is read only when every surviving combination agrees on it (and says so in its
   note). Nothing is guessed: what stays doubtful is reported, with its fields, as not read.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from unicodedata import east_asian_width

from .catalog import Catalog, Format, PartsAsOne, RowSpec, TableSpec
from .cells import Cell, CellKind, after_labels
from .models import FieldReading, Reading
from .values import FULL_WIDTH, RUN_UNIT, ValueKind, parse_value

_NUMBERING = re.compile(
    r"^(?:[\u4e00-\u9fff](?=[(（][一二三四五六七八九十]))?"  # a vertical group label's character first
    r"(?:[(（]?[一二三四五六七八九十]+[)）、.]|\d+[.、．)]|[(（]\d+[)）])+"
)
_TITLE_NOTE = re.compile(r"[(（][^)）]*[)）]|\s")
_EMPTY, _VALUE, _LABEL, _GLUED, _GAP = (
    CellKind.EMPTY,
    CellKind.VALUE,
    CellKind.LABEL,
    CellKind.GLUED,
    CellKind.GAP,
)
_BLANK = frozenset((_EMPTY, _GAP))
_MAX_OPTIONS = 64  # interpretations of one row; more is no reading at all
_MAX_HEAD_PLACINGS = 8  # times as many placings of heads to try when a row's own sum thins them
_MAX_SPLITS = 5000  # splits of a glued row (its own identity then leaves few)
_MAX_COMBINATIONS = 4096  # joint choices the identities may search
_LABEL_PARTS = 3  # a row label wrapped or split into cells comes in at most this many parts
_MAX_STRAYS = 2  # cells a lost label can leave before a row's values
_PADDED_ROWS = 2  # rows printing a padding cell after their label: the table's habit
_MAX_HEADS = 4  # rows whose labels' heads stand with their first values, the rest after the last
_MAX_BREAKS = 6  # line breaks inside a row's cells that may wrap a number (2**6 joinings)
_MAX_WRAP_HEADS = 3  # numbers on a line above a row that may head its values

Identity = tuple[str, list[str], list[str]]
Option = tuple[Cell, ...]  # one interpretation of a row: its cells in column order (EMPTY: blank)
Keep = Callable[[Option], bool]  # whether a reading of a row may stand


@dataclass(frozen=True)
class _Columns:
    """A header: column title (normalised) → its grid column, every titled column (a title
    may recur, as table 四's do), and where values start."""

    at: dict[str, int]
    cols: frozenset[int]
    first: int
    _slots: dict[RowSpec, _Slots | None] = field(default_factory=dict, compare=False, repr=False)

    def slots(self, row: RowSpec) -> _Slots | None:
        """Where each of ``row``'s columns stands under this header (None when the header does
        not title them all, each once; in any order): a title covers the untitled grid columns
        after it (a spanned header cell)."""
        if row not in self._slots:
            self._slots[row] = _find_slots(tuple(self.at.items()), self.cols, row)
        return self._slots[row]


@lru_cache(maxsize=1024)  # bounded: the same few headers recur, report after report
def _find_slots(titles: tuple[tuple[str, int], ...], cols: frozenset[int], row: RowSpec) -> _Slots | None:
    """:meth:`_Columns.slots` of a header titling grid columns so (title → column), ``cols``
    every titled column."""
    at = dict(titles)
    starts = [at.get(_title_key(title)) for title in row.column_titles]
    if any(col is None for col in starts):
        return None
    begins = [col for col in starts if col is not None]
    if len(set(begins)) != len(begins):
        return None
    titled = sorted(cols)
    slot_of: dict[int, int] = {}
    open_from = None  # the last column's title may cover every grid column after it
    for slot, begin in sorted(enumerate(begins), key=lambda sb: sb[1]):  # (titles in any order)
        stop = next((col for col in titled if col > begin), None)
        if stop is None:
            open_from = (begin, slot)
            stop = begin + 1
        for col in range(begin, stop):
            slot_of.setdefault(col, slot)
    return _Slots(len(begins), slot_of, open_from)


@dataclass(frozen=True, slots=True)
class _Slots:
    """A row's columns under a header: grid column → the row's column it holds; and, when the
    last title spans to the grid's edge, from which grid column on that holds."""

    count: int
    slot_of: dict[int, int]
    open_from: tuple[int, int] | None


@dataclass(slots=True)
class _Candidate:
    label: str
    row: list[Cell]  # every cell of the printed row
    values: list[Cell]  # the cells after its last label
    spec_index: int | None
    header: _Columns | None  # the header in force, for a row of a grid
    blank: bool = False  # only empty cells, no label: a flat table's row of blanks at most
    glued: bool = False  # a value is glued digits
    gap: bool = False  # a value is an empty line (an empty cell, or only a gap)
    in_order: int = 0  # its values taken by their order from a run shared with other rows: the run's key
    # numbers alone on the line right above, each over one of its values, which it may head (a
    # number wrapped in a narrow cell, its first digits printed above the row's line)
    heads: tuple[Cell, ...] = ()
    # a run of rows' values that sum row by row and column by column alike: the rows read each
    # way (row by row, then column by column), for the table's other identities to choose
    orders: tuple[tuple[_Candidate, ...], ...] = ()


@dataclass
class _Row:
    """What a table row's cells allow: its interpretations, and how sure each kind is."""

    ids: tuple[str, ...]
    options: list[Option]
    confirm: bool  # the interpretations are guesses the identities must confirm
    problem: str = ""

    @property
    def open(self) -> bool:
        """Its reading needs the identities: several interpretations, or guesses."""
        return len(self.options) > 1 or (self.confirm and bool(self.options))


def read_table(spec: TableSpec, rows: list[list[Cell]], fmt: Format, catalog: Catalog) -> Reading:
    """Read table ``spec`` of a format-``fmt`` report from its printed ``rows`` (see
    :func:`parse_table`), also where a converter cut its last column off the page, and where the
    report prints some of its rows as one row, as the other format does (:class:`PartsAsOne`):
    then the table is read as the other format's, where that reads the one row with confidence
    (its other rows as sure, or as doubtful, as it reads them)."""
    reading = _read_clipped_or_whole(spec, rows, catalog.identities_of(fmt, spec.id))
    one = spec.printed_as_one
    if one is None or any(
        (r := reading.fields.get(f)) is not None and r.start is not None
        for part in one.parts
        for f in spec.row_fields(part)
    ):
        return reading
    as_one = parse_table(one.table, rows, catalog.identities_of(one.fmt, spec.id))
    own = set(one.table.row_fields(one.row))
    if any(own & set(p.fields) for p in as_one.problems) or not all(
        f in as_one.fields and as_one.fields[f].confident for f in own
    ):
        return reading  # (the one row not read with confidence either: its parts stay unread)
    return _parts_of_one_row(spec, one, as_one)


def _read_clipped_or_whole(
    spec: TableSpec, rows: list[list[Cell]], identities: Sequence[Identity]
) -> Reading:
    """The table read from ``rows``; or, where its header names its first column but not its
    last (a converter cut the last column off the page), read as the table without that column,
    if that reads more, the cut column's cells named as unread: rows of values run together
    split by the columns printed, not by the table's."""
    whole = parse_table(spec, rows, identities)
    width = None if spec.flat else _one_width(spec)
    if width is None:
        return whole
    titles = [_title_key(t) for t in spec.rows[0].column_titles]
    if not _header_names(rows, titles[0], titles[-1]) or not _runs_of_one_fewer(rows, width):
        return whole
    clipped = _without_last_column(spec)
    kept = set(clipped.field_ids())
    within = [i for i in identities if set(i[1]) | set(i[2]) <= kept]
    narrower = parse_table(clipped, rows, within)
    values: dict[str, int | float | None] = {
        f: r.value for f, r in narrower.fields.items() if isinstance(r.value, int | float)
    }  # (a blank left out: an identity over it is not checked)
    if _confident_values(narrower) <= _confident_values(whole) or not _holds(within, values, list(values)):
        return whole  # (a column's sums failing: blank cells lost too, the values may have moved)
    why = f"column {titles[-1]} cut off: the rows print one value fewer, its header no {titles[-1]}"
    _unread(narrower, [ids[-1] for ids in spec.row_field_ids], why)
    return narrower


def _header_names(rows: list[list[Cell]], first: str, last: str) -> bool:
    """Whether the words above the table's first values name column ``first`` but not ``last``."""
    words = []
    for row in rows:  # (in a run of cells a line, the header's words and the first row's join)
        head = list(itertools.takewhile(lambda cell: cell.kind is not _VALUE, row))
        words += [cell.text for cell in head if cell.kind is _LABEL]
        if len(head) < len(row):
            break
    header = _title_key("".join(words))
    return first in header and last not in header


@lru_cache(maxsize=8)
def _without_last_column(spec: TableSpec) -> TableSpec:
    """The table as printed without its last column."""
    rows = tuple(
        replace(r, columns=r.columns[:-1], kinds=r.kinds[:-1], column_titles=r.column_titles[:-1])
        for r in spec.rows
    )
    return replace(spec, rows=rows, printed_as_one=None)


def _runs_of_one_fewer(rows: list[list[Cell]], width: int) -> bool:
    """At least half the printed rows holding values hold one value fewer than the table's
    columns (or, rows run together, a multiple of that which no multiple of the columns is);
    the others are rows a converter scrambled, read or flagged as such."""
    counts = [n for row in rows if (n := sum(1 for c in row if c.kind is _VALUE or c.kind is _GLUED))]
    fewer = sum(1 for n in counts if n % (width - 1) == 0 and n % width)
    return bool(counts) and 2 * fewer >= len(counts)


def _confident_values(reading: Reading) -> int:
    return sum(1 for r in reading.fields.values() if r.confident and r.value is not None)


def _parts_of_one_row(spec: TableSpec, one: PartsAsOne, as_one: Reading) -> Reading:
    """The reading of a table that printed rows ``one.parts`` as one row: each part 0 (or blank)
    where that row's cell is; the parts of any other cell are not printed, and named."""
    group = f"{spec.id}.{one.row}."
    fields = {f: r for f, r in as_one.fields.items() if not f.startswith(group)}
    result = Reading(fields, list(as_one.problems), list(as_one.notes))
    title = one.table.row(one.row).title
    result.notes.append(
        f"table {spec.id} prints {title} as one row, as the {one.fmt} form does, not its parts"
    )
    for column in spec.row(one.parts[0]).columns:
        printed = as_one.fields[group + column]
        ids = [f"{spec.id}.{part}.{column}" for part in one.parts]
        if printed.value not in (0, None):
            result.problem(f"{title} printed as one row ({printed.value}): its parts are not printed", ids)
            continue
        note = f"{title} printed as one row, {'blank' if printed.value is None else 0} in this column"
        for field_id in ids:
            result.fields[field_id] = FieldReading(printed.value, printed.start, printed.end, note=note)
    return result


def parse_table(spec: TableSpec, rows: list[list[Cell]], identities: Sequence[Identity] = ()) -> Reading:
    """Read table ``spec`` from its printed ``rows``; ``identities`` (of ``fields.md``, those
    over this table's fields) choose among interpretations the cells leave open."""
    candidates = _candidates(spec, rows, identities)
    if (either := _read_either_order(spec, rows, candidates, identities)) is not None:
        return either
    return _read_candidates(spec, rows, candidates, identities)


def _read_candidates(
    spec: TableSpec, rows: list[list[Cell]], candidates: list[_Candidate], identities: Sequence[Identity]
) -> Reading:
    result = Reading()
    short = _short_header(spec, rows, candidates) if spec.flat else None
    flat_clipped = _clipped_flat(spec, short, candidates) if short is not None else None
    row_readings = _flat_rows(spec, rows, candidates, identities, flat_clipped) if spec.flat else {}
    placed, beside_strays, misnamed = ({}, set(), set()) if row_readings else _place(spec, candidates)
    printed_twice = set() if row_readings else _printed_twice(candidates)
    clipped = _clipped_column(spec, rows, placed)
    widest: dict[int, int] | None = None  # (found once, for the first row with heads)
    for index, (row_spec, ids) in enumerate(zip(spec.rows, spec.row_field_ids, strict=True)):
        if index in row_readings:
            continue
        candidate = placed.get(index)
        if candidate is None:
            row_readings[index] = _Row(ids, [], False, f"row {row_spec.id} not found")
            continue
        if clipped is not None:  # its cells are the columns before the one cut off
            cells = _printed(candidate.values)
            row_readings[index] = _Row(ids, [(*cells, Cell("", cells[-1].end, cells[-1].end, _EMPTY))], False)
            continue
        row_readings[index] = _interpret(row_spec, ids, candidate, identities)
        if candidate.heads:
            widest = _widest_whole(spec, placed) if widest is None else widest
            _heads_within_their_columns(row_readings[index], candidate, widest)
            if identities and not _holds_its_own(spec, index, row_readings[index], identities):
                # no placing of the numbers above sums: no heads of its (a page's number alone on
                # a line); the row as printed, doubted beside them (:func:`_beside_heads_not_taken`)
                row_readings[index] = _interpret(row_spec, ids, replace(candidate, heads=()), identities)
    _confirm_in_order(spec, placed, row_readings, identities)
    _resolve(spec, row_readings, identities, result)
    if any(cand.gap for cand in candidates):
        _doubt_places_resting_on_gaps(spec, result)
    for index in _padding_taken_for_a_cell(spec, placed):
        _doubt(_readings(spec.row_field_ids[index], result), _PADDING_NOTE)
    if clipped is not None:
        why = f"column {clipped} cut off: every row prints one value fewer, its header no {clipped}"
        _unread(result, [ids[-1] for ids in spec.row_field_ids], why)
    if flat_clipped is not None:  # (the last row's other values: no sum checks them now)
        title = _title_key(spec.rows[-1].column_titles[-1])
        why = (
            f"its last column ({title}) cut off: the row prints one value fewer, its header one {title} fewer"
        )
        _unread(result, [spec.row_field_ids[-1][-1]], why)
        _doubt(_readings(spec.row_field_ids[-1], result), _CLIPPED_NOTE)
    elif short is not None:  # its header cut short, yet the row prints more: a cell printed twice?
        _doubt(list(result.fields.values()), _SHORT_HEADER_NOTE)
    for index in misnamed:
        _doubt(_readings(spec.row_field_ids[index], result), _MISNAMED_NOTE)
    for index in _after_other_rows_labels(spec, placed):
        _doubt(_readings(spec.row_field_ids[index], result), _STACKED_NOTE)
    beside_strays |= _beside_heads_not_taken(spec, placed, result)
    for index in beside_strays:  # what the row holds may be short of what it printed
        _doubt(_readings(spec.row_field_ids[index], result), _BESIDE_STRAYS_NOTE)
    for index in printed_twice:
        _doubt(_readings(spec.row_field_ids[index], result), _TWICE_NOTE)
    if titled_in_yuan := _titled_in_yuan(spec, rows):  # (a 0 is 0 in any unit)
        _doubt([r for r in _readings(titled_in_yuan, result) if r.value], _YUAN_TITLE_NOTE)
    return result


def _read_either_order(
    spec: TableSpec, rows: list[list[Cell]], candidates: list[_Candidate], identities: Sequence[Identity]
) -> Reading | None:
    """Where a run of rows' values sums both row by row and column by column
    (:attr:`_Candidate.orders`): the table read each way, and the one reading whose identities
    beyond those rows' own sums all hold while every other reading breaks one; None when no
    such run, or when the identities do not settle it (the run is left unread)."""
    at = next((i for i, cand in enumerate(candidates) if cand.orders), None)
    if at is None:
        return None
    run = candidates[at]
    ids = [
        f
        for cand in run.orders[0]
        if cand.spec_index is not None
        for f in spec.row_field_ids[cand.spec_index]
    ]
    readings = [
        _read_candidates(spec, rows, [*candidates[:at], *order, *candidates[at + 1 :]], identities)
        for order in run.orders
    ]
    verdicts = [_beyond_the_rows(reading, ids, identities) for reading in readings]
    if verdicts.count(True) != 1 or verdicts.count(False) != len(verdicts) - 1:
        return None
    chosen = readings[verdicts.index(True)]
    for field_id in ids:
        chosen.fields[field_id].note = chosen.fields[field_id].note or _EITHER_ORDER_NOTE
    return chosen


_EITHER_ORDER_NOTE = (
    "its row's values taken in the one order (row by row, or column by column) of a run shared "
    "with the next rows that the table's identities confirm"
)


def _beyond_the_rows(reading: Reading, ids: list[str], identities: Sequence[Identity]) -> bool | None:
    """Whether the identities touching fields ``ids`` and reaching beyond them, every field of
    them read, all hold (True) or one breaks (False); None when such are not all read."""
    values = {f: r.value for f, r in reading.fields.items() if r.confident and not isinstance(r.value, str)}
    inside = set(ids)
    beyond = [i for i in identities if not inside.isdisjoint(i[1] + i[2]) and not set(i[1] + i[2]) <= inside]
    if any(f not in values for f in ids) or not beyond:
        return None
    checked = [i for i in beyond if all(f in values for f in i[1] + i[2])]
    if not _holds(checked, values, ids):
        return False
    return True if len(checked) == len(beyond) else None


def _beside_heads_not_taken(spec: TableSpec, placed: dict[int, _Candidate], result: Reading) -> set[int]:
    """The rows around numbers above a row that no reading of it took as heads: they were
    printed between those rows, and may be the row before's (its last number's rest) or no
    row's."""
    rows: set[int] = set()
    for index, cand in placed.items():
        heads = {head.start for head in cand.heads}
        if heads and not any(r.start in heads for r in _readings(spec.row_field_ids[index], result)):
            rows |= {index - 1, index} if index else {index}
    return rows


def _widest_whole(spec: TableSpec, placed: dict[int, _Candidate]) -> dict[int, int]:
    """Column → the most digits a number prints on its row's line there, over the rows that
    print all their values (a table whose rows are all as wide): a number no wider never wraps
    in that column's cells."""
    width = _one_width(spec)
    widest: dict[int, int] = {}
    for cand in placed.values():
        if width is None or len(cand.values) != width:
            continue
        for col, cell in enumerate(cand.values):
            if cell.kind is _VALUE and cell.text.isdigit():
                widest[col] = max(widest.get(col, 0), len(cell.text))
    return widest


def _heads_within_their_columns(row: _Row, candidate: _Candidate, widest: dict[int, int]) -> None:
    """A row's readings less those that join heads to a value its column prints as wide on one
    line (:func:`_widest_whole`): a number that fits its cell does not wrap. Unless that leaves
    none: then the columns are not as wide in every row (a bold row's wider digits), and all
    stand."""
    first = candidate.values[0].start
    fitting = [
        option
        for option in row.options
        if not any(
            cell.start < first and len(cell.text) <= widest.get(col, 0) for col, cell in enumerate(option)
        )
    ]
    row.options = fitting or row.options


def _titled_in_yuan(spec: TableSpec, rows: list[list[Cell]]) -> list[str]:
    """The fields in 万元 whose column title or row label the table prints in 元 (本年收费金额（单位：
    元）, 行政事业性收费（元））: their amounts are not in the field's unit."""
    if not _has_wan_yuan(spec):  # (fast: a table of counts)
        return []
    in_yuan = {
        _title_key(cell.text)
        for row in rows
        for cell in row
        if cell.kind is _LABEL and "元" in cell.text and "万元" not in cell.text
    }
    return [
        field_id
        for row, ids in zip(spec.rows, spec.row_field_ids, strict=True)
        for title, field_id in zip(row.column_titles, ids, strict=True)
        if "万元" in title
        and (_title_key(title) in in_yuan or any(row.label.search(normal_label(key)) for key in in_yuan))
    ]


@lru_cache(maxsize=8)
def _widths(spec: TableSpec) -> tuple[int, ...]:
    """Each table row's count of columns."""
    return tuple(len(row.columns) for row in spec.rows)


@lru_cache(maxsize=8)
def _has_wan_yuan(spec: TableSpec) -> bool:
    return any("万元" in title for row in spec.rows for title in row.column_titles)


def _confirm_in_order(
    spec: TableSpec, placed: dict[int, _Candidate], rows: dict[int, _Row], identities: Sequence[Identity]
) -> None:
    """Rows whose values were taken by their order from one printed run are read only when
    every one of them satisfies its own identities (a row sum) so: one that does not, or has
    none, refutes the order for all of them, and none is read."""
    runs: dict[int, list[int]] = {}
    for index, candidate in placed.items():
        if candidate.in_order and index in rows:
            runs.setdefault(candidate.in_order, []).append(index)
    for indices in runs.values():
        held = all(_holds_its_own(spec, i, rows[i], identities) for i in indices)
        for i in indices:
            if held:
                rows[i].confirm = True
            elif rows[i].options:
                rows[i].options, rows[i].problem = [], f"row {spec.rows[i].id}: {_IN_ORDER_NOTE}"


def _holds_its_own(spec: TableSpec, index: int, row: _Row, identities: Sequence[Identity]) -> bool:
    """Some reading of the row satisfies its own identities (it has some)."""
    own = _own_places(identities, row.ids)
    return bool(own) and any(_own_hold(own, _values(spec.rows[index], o)) for o in row.options)


def _own_identities(identities: Sequence[Identity], ids: Sequence[str]) -> list[Identity]:
    """The identities over a row's fields alone (its row sum); remembered for the catalog's
    tuples of identities (the same few, asked for every row of every report)."""
    key = (id(identities), tuple(ids))
    known = _OWN.get(key)
    if known is not None and known[0] is identities:
        return known[1]
    own = [i for i in identities if set(i[1] + i[2]) <= set(ids)]
    if isinstance(identities, tuple):  # (immutable: what it holds cannot change under the key)
        if len(_OWN) > _MAX_REMEMBERED:
            _OWN.clear()
        _OWN[key] = (identities, own)
    return own


_OWN: dict[tuple[int, tuple[str, ...]], tuple[Sequence[Identity], list[Identity]]] = {}
_MAX_REMEMBERED = 4096


def _clipped_column(spec: TableSpec, rows: list[list[Cell]], placed: dict[int, _Candidate]) -> str | None:
    """The title of a table's last column when it was cut off the page (a table wider than the
    page, printed or converted): every row placed prints one value fewer than the table's
    columns, and the header above the rows names the first column but not the last."""
    width = _one_width(spec)
    if spec.flat or width is None or not placed:
        return None
    if any(c.glued or len(_printed(c.values)) != width - 1 for c in placed.values()):
        return None
    at = {id(row): n for n, row in enumerate(rows)}
    header = _header_text(rows, min(placed.values(), key=lambda c: at.get(id(c.row), len(rows))))
    titles = [_title_key(title) for title in spec.rows[0].column_titles]
    return titles[-1] if titles[0] in header and titles[-1] not in header else None


def _printed(values: list[Cell]) -> list[Cell]:
    """A row's values less the gaps after them (blank lines before the next row: no cells)."""
    end = len(values)
    while end and values[end - 1].kind is _GAP:
        end -= 1
    return values[:end]


def _cells_above(rows: list[list[Cell]], candidate: _Candidate) -> list[Cell]:
    """The cells of the printed rows above the candidate's own."""
    at = next((n for n, printed in enumerate(rows) if printed is candidate.row), len(rows))
    return [cell for printed in rows[:at] for cell in printed]


def _header_text(rows: list[list[Cell]], candidate: _Candidate) -> str:
    """The labels of the header over a candidate's row: those of the rows above it, and (in a
    cell-per-line run, where the header's lines and the row's label lines join) those before
    its values."""
    before = candidate.row[: -len(candidate.values)]
    return "".join(cell.text for cell in _cells_above(rows, candidate) + before if cell.kind is _LABEL)


def _one_numbered(candidates: list[_Candidate]) -> _Candidate | None:
    """The one candidate that holds a number, if only one does (a flat table's row)."""
    numbered = [c for c in candidates if _has_number(c)]
    return numbered[0] if len(numbered) == 1 else None


def _short_header(spec: TableSpec, rows: list[list[Cell]], candidates: list[_Candidate]) -> _Candidate | None:
    """The one row of numbers of a flat table (table 四) under a header cut short at the page's
    edge: one that titles the last column once fewer than the table has rows, and ends with
    another title."""
    row = _one_numbered(candidates)
    if row is None:
        return None
    header = _header_text(rows, row)
    last = _title_key(spec.rows[-1].column_titles[-1])
    return row if header.count(last) == len(spec.rows) - 1 and not header.endswith(last) else None


def _clipped_flat(spec: TableSpec, row: _Candidate, candidates: list[_Candidate]) -> _Candidate | None:
    """A flat table's row under a header cut short (:func:`_short_header`) when it prints one
    value fewer than the table has, and no row prints them all: its last column cut off the
    page. The row with that last cell empty (and then not read)."""
    values = _printed(row.values)
    if row.glued or len(values) != _width(spec) - 1 or any(c.kind is not _VALUE for c in values):
        return None
    if any(len(c.values) >= _width(spec) for c in candidates):
        return None
    return replace(row, values=[*values, Cell("", values[-1].end, values[-1].end, _EMPTY)])


def _unread(result: Reading, lost: list[str], why: str) -> None:
    """Fields cut off the page: not read, and named."""
    for field_id in lost:
        result.fields.pop(field_id, None)
    result.problem(why, lost)


def normal_label(text: str) -> str:
    """A row label without its numbering (``(一)``, ``1.``, ``三、``)."""
    return _NUMBERING.sub("", text)


# --- candidates and their placement ----------------------------------------------------


def _candidates(
    spec: TableSpec, rows: list[list[Cell]], identities: Sequence[Identity] = ()
) -> list[_Candidate]:
    found: list[_Candidate] = []
    above: list[list[Cell]] = []  # lines of labels alone right above the row (a block may end there)
    for block in _grid_blocks(spec, rows):
        titled = {col for _, header in block if header for col in header.cols}
        if spec.flat:  # a flat table's row labels head groups of its columns
            titled |= {
                c.col
                for row, _ in block
                for c in row
                if c.kind is _LABEL and _match(spec, [c.text], False) is not None
            }
        window = _value_columns(block, titled)
        for row, header in block:
            candidate = _candidate(spec, row, header, window)
            if candidate is not None and above and candidate.label:
                joined = _with_label_above(spec, candidate, above)
                if joined is not candidate and found and found[-1].row is above[-1]:
                    found.pop()  # (the head's line read as a row of its own: its numbers are heads,
                candidate = joined  # or its empty cells the grid's beside the label's head)
            if candidate is not None:
                found.extend(_rows_side_by_side(spec, candidate, identities))
            above = [*above, row][-_LABEL_PARTS:] if _is_label_head(row) else []
    found = _heads_passed_down(spec, _values_across_a_wrap(spec, found), identities)
    return _wrapped_heads(spec, found, rows)


def _is_label_head(row: list[Cell]) -> bool:
    """A line holding a label alone (in a grid, beside empty cells), or in a layout text a label
    then numbers each over a value of the line below (the heads of numbers wrapped in their
    narrow cells)."""
    if not row or (row[-1].kind is _VALUE and row[-1].over < 0):  # (fast: a row of values)
        return False
    if row[0].col >= 0:  # a grid's row
        return all(c.kind is _LABEL or c.kind is _EMPTY for c in row) and any(c.kind is _LABEL for c in row)
    rest = after_labels(row)
    return len(rest) < len(row) and all(c.over >= 0 for c in rest)


def _with_label_above(spec: TableSpec, candidate: _Candidate, above: list[list[Cell]]) -> _Candidate:
    """A row whose label's head stands on the lines right above it, alone or beside the heads
    of numbers wrapped in their narrow cells, its values beside the label's last line (a PDF's
    text in its layout: 5.要求行政机关确认或重新出具已获取 / (五)不予处理 信息 0 0 …, a group's
    label in between): the row the whole label names, with those heads."""
    heads = tuple(c for c in above[-1] if c.kind is _VALUE)  # (the identities choose: joined or not)
    if candidate.spec_index is not None and not heads:
        return candidate  # (a label alone above a row named by its own: another row's, or a title)
    tails = (candidate.label, _group_label(spec).sub("", candidate.label))
    if _LABEL_START.match(tails[1]):
        return candidate  # (a numbered label starts there: 3.危 is no tail of 规禁 / 止公开 above it)
    starts = [
        "".join(c.text for line in above[-n:] for c in line if c.kind is _LABEL)
        for n in range(1, len(above) + 1)
    ]
    starts = [h for h in starts if _LABEL_START.match(h)]  # (a head opens with its number)
    joined = next(
        ((h + t, i) for h in starts for t in tails if (i := _match_label(spec, h + t)) is not None), None
    )
    if joined is None or candidate.spec_index not in (None, joined[1]):
        return candidate
    label, index = joined
    if len(_printed(candidate.values)) < len(spec.rows[index].columns) - 1:
        return candidate  # (a header's 数据 1 under a label alone is no such row)
    return replace(candidate, label=label, spec_index=index, heads=heads or candidate.heads)


# A row label's numbering, whole: （一） 一、 1. (not the tail of one a wrap cut: 一）予以公开)
_LABEL_START = re.compile(r"^(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.、．])")


@lru_cache(maxsize=8)
def _group_label(spec: TableSpec) -> re.Pattern[str]:
    """A group's label at a label's start ((四)无法提供, of a title （四）无法提供 1.本机关…)."""
    names = {part.split("）")[-1] for row in spec.rows for part in row.title.split()[:-1] if "）" in part}
    if not names:
        return re.compile(r"(?!)")  # (a table without groups)
    return re.compile(rf"^[(（][一二三四五六七八九十][)）]\s*(?:{'|'.join(map(re.escape, sorted(names)))})")


def _wrapped_heads(spec: TableSpec, candidates: list[_Candidate], rows: list[list[Cell]]) -> list[_Candidate]:
    """Lines of a few numbers alone, right above a row (no line between) that prints all its
    values, each number over one of them (:attr:`Cell.over`): numbers wrapped in narrow cells,
    their first digits printed above the row (a PDF's text in its layout: 19 as 1 over 9).
    They go with that row as the possible heads of those values, for the identities to
    confirm (:attr:`_Candidate.heads`)."""
    if spec.flat or not any(c.values and _heads(c.values[0]) for c in candidates):  # (fast: none)
        return candidates
    line_of = {id(row): i for i, row in enumerate(rows)}
    out: list[_Candidate] = []
    for cand in candidates:
        # (the line right above may be its label's head, beside heads it took already)
        line = line_of.get(id(cand.row), -1) - (1 if cand.heads else 0)
        taken = 0
        if cand.spec_index is not None and len(cand.values) == len(spec.rows[cand.spec_index].columns):
            while taken < len(out) and _heads_line(out[-1 - taken], line - 1 - taken, line_of):
                taken += 1
        if taken:
            heads = tuple(c for above in out[len(out) - taken :] for c in above.values) + cand.heads
            out[len(out) - taken :] = [replace(cand, heads=heads)]
        else:
            out.append(cand)
    return out


def _heads_passed_down(
    spec: TableSpec, candidates: list[_Candidate], identities: Sequence[Identity]
) -> list[_Candidate]:
    """Numbers with no column on lines of their own right above a row (:attr:`Cell.above`),
    which a text without positions joins to the printed row before: the heads of the next
    row's values when they are no part of the row before (:func:`_heads_closing`) and the next
    row prints all its values (:attr:`_Candidate.heads`, for the identities to choose)."""
    if spec.flat or not identities or not any(c.values and c.values[-1].above for c in candidates):
        return candidates  # (fast: none)
    out: list[_Candidate] = []
    pending: tuple[Cell, ...] = ()  # the numbers closing the row before, for the next to head
    before: _Candidate | None = None  # that row as printed, should the next take none
    for cand in candidates:
        own, heads = _heads_closing(spec, cand, identities)
        if pending and _full(spec, own):
            own = replace(own, heads=pending)
        elif pending and before is not None:  # (no row to head: they stay where they were printed)
            _put_back(out, before)
        if own.values or not heads:
            out.append(own)
        before = replace(own, values=cand.values) if heads else None  # (with the heads it took)
        pending = heads
    if pending and before is not None:
        _put_back(out, before)
    return out


def _put_back(out: list[_Candidate], printed: _Candidate) -> None:
    """The last row ``out`` holds as ``printed``, or ``printed`` appended (a header's line set
    aside)."""
    if out and out[-1].row is printed.row:
        out[-1] = printed
    else:
        out.append(printed)


def _full(spec: TableSpec, cand: _Candidate) -> bool:
    """A row that prints all its values, none taken as heads yet."""
    return (
        cand.spec_index is not None
        and not cand.heads
        and len(cand.values) == len(spec.rows[cand.spec_index].columns)
    )


def _heads_closing(
    spec: TableSpec, cand: _Candidate, identities: Sequence[Identity]
) -> tuple[_Candidate, tuple[Cell, ...]]:
    """A printed row less the numbers with no column that close it (:attr:`Cell.above`), and
    them, when they are no part of it: all a header's line holds, or beyond a row's cells,
    where its own identities do not hold with them as the rest of its last number (a number
    wrapped in its cell onto the next line); else the row and none."""
    values = cand.values
    k = next((k for k in range(len(values), 0, -1) if all(c.above for c in values[-k:])), 0)
    if not k:
        return cand, ()
    heads = tuple(values[-k:])
    if cand.spec_index is None:
        return (replace(cand, values=[]), heads) if k == len(values) and cand.label else (cand, ())
    own, index = values[:-k], cand.spec_index
    if len(own) != len(spec.rows[index].columns):
        return cand, ()
    tail = own[-1].text + "".join(h.text for h in heads)
    if _is_number(tail):
        wrapped = Cell(tail, own[-1].start, heads[-1].end, _VALUE, own[-1].col)
        if _holds_its_own(
            spec, index, _Row(spec.row_field_ids[index], [(*own[:-1], wrapped)], False), identities
        ):
            return cand, ()  # (they may be the rest of its last number: which, only the identities tell)
    return replace(cand, values=own), heads


def _heads_line(cand: _Candidate, line: int, line_of: dict[int, int]) -> bool:
    """A candidate that is a line of numbers alone, each over a value below, at ``line``."""
    return (
        not cand.label
        and cand.spec_index is None
        and line_of.get(id(cand.row)) == line
        and 0 < len(cand.values) <= _MAX_WRAP_HEADS
        and all(c.kind is _VALUE and c.text.isdigit() and _heads(c) for c in cand.values)
    )


def _heads(cell: Cell) -> bool:
    """A number alone above a row that may head one of its values (over it, or one of them)."""
    return cell.over >= 0 or cell.above > 0


def _rows_side_by_side(
    spec: TableSpec, candidate: _Candidate, identities: Sequence[Identity] = ()
) -> list[_Candidate]:
    """A printed row holding the labels of consecutive table rows, then as many rows of values
    (a text extractor put the lines of two rows side by side: (一)予以公开 (二)部分公开 then
    both rows' cells): one row per label, its values taken in order. Rows of values beyond the
    labels' (a spanning label's rows, their labels printed elsewhere: 二、上年结转… then its 7
    values and the 7 of (一) and of (二)) are rows without labels, for their place in the
    table's order to name. The identities must confirm each (:attr:`_Candidate.in_order`).
    Or the labels' rows' values column by column (:func:`_rows_column_by_column`)."""
    values = _printed(candidate.values)
    if spec.flat or candidate.glued or len(values) < 2:  # (a flat table's labels title its column groups)
        return [candidate]
    if values[0].col >= 0 or len(values) < 2 * min(_widths(spec)):  # (fast: a grid's row is one row,
        return [candidate]  # read neither way; so is a row too short for two rows' values)
    before = [c for c in candidate.row if c.kind is _LABEL and c.end <= values[0].start]
    if (by_column := _rows_column_by_column(spec, candidate, before, values, identities)) is not None:
        return by_column
    labels: list[str] = []  # the labels before the values naming the rows before, one by one
    indices: list[int] = []
    for cell in reversed(before):
        index = _match_label(spec, cell.text)
        if index is None or (indices and index != indices[0] - 1):
            break
        labels.insert(0, cell.text)
        indices.insert(0, index)
    n = _run_width(spec, candidate, indices, len(values))
    if n is None or any(c.kind is not _VALUE for c in values):
        return [candidate]
    if len(values) > n * len(indices) and _other_rows_named(spec, before[: -len(labels) or None]):
        return [candidate]  # (whose the rows beyond the labels' are, a label of another row leaves open)
    key = id(candidate.row)
    chunks = [values[k : k + n] for k in range(0, len(values), n)]
    named = [
        replace(candidate, label=label, values=chunk, spec_index=index, in_order=key)
        for label, index, chunk in zip(labels, indices, chunks, strict=False)
    ]
    loose = [
        replace(candidate, label="", row=chunk, values=chunk, spec_index=None, in_order=key)
        for chunk in chunks[len(labels) :]
    ]
    return named + loose


def _rows_column_by_column(
    spec: TableSpec,
    candidate: _Candidate,
    labels: list[Cell],
    values: list[Cell],
    identities: Sequence[Identity],
) -> list[_Candidate] | None:
    """A printed row holding the numbered labels of consecutive table rows (among a wrapped
    label's parts, a group's and a header's words), then their values column by column (a PDF's
    text in the order its table was drawn, pdfminer's: the label column, then each column of
    values top to bottom): one row per label, its values every n-th. Read so only when every
    row sums so and not as well row by row (unless that gives the same rows), else unread
    (``[candidate]``); None when the row is no such run."""
    width = _one_width(spec)
    if width is None or len(values) % width or len(values) < 2 * width or candidate.gap or values[0].col >= 0:
        return None  # (fast: a row of one row's values, the common case)
    indices = _numbered_rows(spec, labels)
    count = len(indices)
    if count < 2 or len(values) != width * count or indices != list(range(indices[0], indices[0] + count)):
        return None
    if any(c.kind is not _VALUE for c in values):
        return None
    by_column = [values[r::count] for r in range(count)]
    by_row = [values[k * width : (k + 1) * width] for k in range(count)]
    if not _rows_sum(spec, indices, by_column, identities):
        return None
    differ = [[c.text for c in row] for row in by_row] != [[c.text for c in row] for row in by_column]
    key = id(candidate.row)
    read_by_column = [
        replace(candidate, label=spec.rows[i].title, values=cells, spec_index=i, in_order=key)
        for i, cells in zip(indices, by_column, strict=True)
    ]
    if differ and _rows_sum(spec, indices, by_row, identities):
        # both orders sum: the table's other sums may tell (:func:`_read_either_order`)
        read_by_row = [replace(c, values=cells) for c, cells in zip(read_by_column, by_row, strict=True)]
        return [replace(candidate, orders=(tuple(read_by_row), tuple(read_by_column)))]
    return read_by_column


def _numbered_rows(spec: TableSpec, labels: list[Cell]) -> list[int]:
    """The table rows these label cells name in turn: each label opening with its numbering,
    alone or with the one or two cells after it that go on without one (a wrapped label's
    parts), the longest that names a row; a row named again right after is named once (a
    group's label, then its first row's)."""
    named: list[int] = []
    for at, cell in enumerate(labels):
        if not _LABEL_START.match(cell.text):
            continue
        parts = [cell.text]
        for tail in labels[at + 1 : at + _LABEL_PARTS]:
            if _LABEL_START.match(tail.text):
                break
            parts.append(tail.text)
        joins = ("".join(parts[:n]) for n in range(len(parts), 0, -1))
        found = next((i for label in joins if (i := _match_label(spec, label)) is not None), None)
        if found is not None and (not named or named[-1] != found):
            named.append(found)
    return named


def _rows_sum(
    spec: TableSpec, indices: list[int], rows: list[list[Cell]], identities: Sequence[Identity]
) -> bool:
    """Every one of these rows, read from these cells, satisfies identities of its own."""
    return all(
        _holds_its_own(spec, index, _Row(spec.row_field_ids[index], [tuple(cells)], False), identities)
        for index, cells in zip(indices, rows, strict=True)
    )


def _one_width(spec: TableSpec) -> int | None:
    """The cells of every row of the table, when all its rows have as many."""
    widths = set(_widths(spec))
    return widths.pop() if len(widths) == 1 else None


def _other_rows_named(spec: TableSpec, labels: list[Cell]) -> bool:
    """Some of these label cells, opening with a numbering, name a row of the table (1.信访…
    before 不予处 / 理 / 2.重复申请; not a header's 申请人情况 总计)."""
    return any(_LABEL_START.match(c.text) and _match_label(spec, c.text) is not None for c in labels)


def _run_width(spec: TableSpec, candidate: _Candidate, indices: list[int], count: int) -> int | None:
    """The cells of each row in a run of ``count`` values after the labels of rows ``indices``:
    a run of rows of one width, at least two, no fewer than the labels, and the rows after the
    last label (or, with none, every row) that one width too; None when the run is no such."""
    if not indices and any(c.kind is _LABEL for c in candidate.row):
        return None  # (its label names no row)
    widths = {len(spec.rows[i].columns) for i in indices} if indices else set(_widths(spec))
    if len(widths) != 1 or candidate.gap or candidate.values[0].col >= 0:
        return None  # (a grid's row is one row: its cells repeat a spanned value, 1130 | 1130)
    n = widths.pop()
    rows, extra = divmod(count, n)
    if extra or rows < max(2, len(indices)):
        return None
    after = range(indices[-1] + 1, indices[-1] + 1 + rows - len(indices)) if indices else range(0)
    if after and (after[-1] >= len(spec.rows) or any(len(spec.rows[i].columns) != n for i in after)):
        return None
    return n


def _values_across_a_wrap(spec: TableSpec, candidates: list[_Candidate]) -> list[_Candidate]:
    """Rows whose labels wrap onto a last line, their values shared out: each row's first values
    beside its label's head, the rest of every row's after the last label's tail, row by row
    (one row: 5.要求…已获取 26 / 信息 0 0 0 0 0 26; two: (一)予以公开 1 / (二)部分公开… 0 /
    不计其他情形） and both rows' other values). Rows in order, when the heads' labels, the last
    with the tail's, name consecutive rows. The identities must confirm them
    (:attr:`_Candidate.in_order`)."""
    if spec.flat:
        return candidates
    out: list[_Candidate] = []
    for cand in candidates:
        rows = _heads_and_tail(spec, out, cand) if cand.spec_index is None and cand.label else None
        if rows is None:
            out.append(cand)
        else:
            out[len(out) - len(rows) :] = rows
    return out


def _heads_and_tail(spec: TableSpec, before: list[_Candidate], tail: _Candidate) -> list[_Candidate] | None:
    """The rows the last candidates ``before`` (each a label's head and its first values) make
    with ``tail`` (the last label's tail and every row's other values); None when they make none."""
    rest = _printed(tail.values)
    heads: list[_Candidate] = []
    for head in reversed(before[-_MAX_HEADS:]):
        if head.spec_index is not None or not head.label or not _printed(head.values):
            break
        heads.insert(0, head)
    for m in range(len(heads), 0, -1):
        run = heads[-m:]
        firsts = [_printed(h.values) for h in run]
        named = _wrapped_label(spec, run[-1], tail)
        if len({len(f) for f in firsts}) != 1 or named is None:
            continue
        indices = [_match_label(spec, h.label) for h in run[:-1]] + [named[1]]
        k, n = len(firsts[0]), len(spec.rows[named[1]].columns)
        if indices != list(range(named[1] - m + 1, named[1] + 1)) or len(rest) != m * (n - k):
            continue
        values = [first + rest[i * (n - k) : (i + 1) * (n - k)] for i, first in enumerate(firsts)]
        if any(c.kind is not _VALUE for row in values for c in row):
            continue
        labels = [h.label for h in run[:-1]] + [named[0]]
        key = id(tail.row)
        return [
            replace(h, label=label, values=v, spec_index=i, in_order=key)
            for h, label, v, i in zip(run, labels, values, indices, strict=True)
        ]
    return None


def _wrapped_label(spec: TableSpec, head: _Candidate, tail: _Candidate) -> tuple[str, int] | None:
    """The label and row that the head's last label cells (one to three: a label wraps over
    lines) and the tail's label name together."""
    parts = [c.text for c in head.row if c.kind is _LABEL]
    for n in range(1, min(_LABEL_PARTS, len(parts)) + 1):
        label = "".join(parts[-n:]) + tail.label
        index = _match_label(spec, label)
        if index is not None:
            return label, index
    return None


Block = list[tuple[list[Cell], _Columns | None]]  # rows of one grid, each with the header in force


def _grid_blocks(spec: TableSpec, rows: list[list[Cell]]) -> Iterator[Block]:
    """Runs of rows whose columns are comparable: the rows of one unbroken grid, each with the
    header in force (consecutive header rows make one header, and are no rows of the run); a
    row that is no grid row (words, or values apart by spaces) is a run of its own."""
    block: Block = []
    header: _Columns | None = None
    in_header = False
    last: tuple[_Columns, int] | None = None  # the header before a break, and its grid's width
    for row in rows:
        if not row or row[0].col < 0:  # a blank line or words (no cell in a grid): the grid breaks here
            header = None
            in_header = False
            if block:
                yield block
                block = []
            if row:
                yield [(row, None)]
            continue
        titles = _titles(spec, row)
        if titles:
            merged = {**header.at, **titles} if in_header and header else dict(titles)
            cols = (header.cols if in_header and header else frozenset()) | {
                c.col for c in row if c.kind is _LABEL and _title_key(c.text) in _column_titles(spec)
            }
            header = _Columns(merged, cols, min(cols))
            last = header, len(row)
            in_header = True
            continue
        if header is None and last is not None and len(row) == last[1]:
            header = last[0]  # the grid goes on after a break (small tables, lines of words)
        in_header = False
        block.append((row, header))
    if block:
        yield block


def _value_columns(block: Block, titled: set[int]) -> tuple[int, int] | None:
    """The grid columns a block's values stand in, from the first to the last that holds a
    value or a column title: an empty cell left or right of them pads a label column or the
    grid's edge, never a blank value."""
    cols = titled | {cell.col for row, _ in block for cell in row if cell.col >= 0 and cell.kind is _VALUE}
    return (min(cols), max(cols)) if cols else None


@lru_cache(maxsize=64)
def _column_titles(spec: TableSpec) -> frozenset[str]:
    return frozenset(_title_key(t) for row in spec.rows for t in row.column_titles)


@lru_cache(maxsize=4096)  # bounded: the same few titles recur
def _title_key(title: str) -> str:
    """A column title without its notes and spaces: 本年收费金额（单位：万元） → 本年收费金额."""
    return _TITLE_NOTE.sub("", title).replace("社会组织", "社会公益组织")


def _titles(spec: TableSpec, row: list[Cell]) -> dict[str, int]:
    """The column titles a header row of a grid prints, by grid column; none for a data row."""
    for cell in row:  # (a loop, not any(): asked of every row of every grid)
        if cell.kind is _VALUE or cell.kind is _GLUED:
            return {}
    known = _column_titles(spec)
    return {
        key: cell.col
        for cell in row
        if cell.kind is _LABEL and cell.col >= 0 and (key := _title_key(cell.text)) in known
    }


def _match(spec: TableSpec, labels: list[str], run_on: bool) -> int | None:
    """The index of the table row the row's labels name, most specific (last) label first;
    ``run_on``: the last label holds the words before it too (a glued row's, a flow's), and
    names the row its words end with."""
    if not labels:
        return None
    if run_on:
        return _match_suffix(spec, labels[-1])
    index = _match_label(spec, labels[-1])
    if index is not None or len(labels) == 1:
        return index
    return _match_label(spec, "".join(labels[-_LABEL_PARTS:]))  # a label wrapped into parts


@lru_cache(maxsize=4096)  # bounded: a long-running service sees labels without end
def _match_label(spec: TableSpec, label: str) -> int | None:
    """The one row a label names (none when it names two: a header's words run together, 未经复议
    直接起诉复议后起诉). Labels are the standard form's words, so the same few recur: remember
    them."""
    text = normal_label(label)
    named = [index for index, row in enumerate(spec.rows) if row.label.search(text)]
    if not named and (grouped := _GROUP_THEN_ROW.match(label)):  # (六)其他处理3.其他
        return _match_label(spec, grouped["row"])
    if not named and (numbered := _ROW_NUMBER.match(label)):  # 2.其他法律行政止公开: a misprint
        own, words = _numbering(numbered["n"]), numbered["words"]
        named = [i for i, (n, title) in enumerate(_own_titles(spec)) if n == own and _misprint(words, title)]
    return named[0] if len(named) == 1 else None


# a row's own numbering, then its words: 2. (after a character or two of a group's label printed
# one character a line, 、 of 三、, beside it), 一、 or (一)
_ROW_NUMBER = re.compile(
    r"^(?P<n>\D{0,2}?\d+[.、．]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])\s*(?P<words>\D+)$"
)
_MISPRINT_KEPT = 2 / 3  # of a row's own title, the least share of it a misprint keeps


@lru_cache(maxsize=8)
def _own_titles(spec: TableSpec) -> tuple[tuple[str | None, str], ...]:
    """Each row's own numbering (1, 2 …; None for a row without one) and its own title's words,
    its group's left out: 2.其他法律行政法规禁止公开 → ("2", "其他法律行政法规禁止公开")."""
    own = [row.title.split()[-1] for row in spec.rows]
    return tuple((_numbering(m["n"]) if (m := _ROW_NUMBER.match(t)) else None, normal_label(t)) for t in own)


def _numbering(printed: str) -> str:
    """A row's numbering as printed, the same whichever marks: 2. 2、 → 2.; （一） → (一)."""
    return re.sub(r"^\D{0,2}?(\d+)[.、．]$", r"\1.", printed.replace("（", "(").replace("）", ")"))


def _misprint(label: str, title: str) -> bool:
    """Whether ``label`` (printed after the row's numbering) is ``title`` misprinted: a few
    characters lost inside it, from its first character to its last, most of the rest in order;
    or its first character alone lost, as an OCR loses the start of a cell beside its ruling
    line (一、年新收…). Never its head (a wrapped label's, 一、本年新收政府信息公开申请), nor a
    part of it cut short at both ends."""
    if not label or len(label) >= len(title) or len(label) < _MISPRINT_KEPT * len(title):
        return False
    if label == title[1:]:
        return True
    if label[0] != title[0] or label[-1] != title[-1] or label in title:
        return False
    rest = iter(title)
    return all(char in rest for char in label)


# a group's label run together with its row's numbered label: (六)其他处理3.其他
_GROUP_THEN_ROW = re.compile(r"^[(（][一二三四五六七八九十][)）][^\d(（]{1,12}(?P<row>\d+[.、．].+)$")


def _match_suffix(spec: TableSpec, words: str) -> int | None:
    """The row whose label ends ``words`` (a header's words run into it): of the rows whose
    label stands within their printed title's length of the end, the one nearest the end."""
    nearest: tuple[int, int] | None = None
    longest = max(len(row.title) for row in spec.rows) + 8
    tails = [
        normal_label(words[-n:]) for n in range(1, min(len(words), longest) + 1)
    ]  # (once, for every row)
    for index, row in enumerate(spec.rows):
        reach = min(len(words), len(row.title) + 8)
        at = next((n for n in range(1, reach + 1) if row.label.search(tails[n - 1])), None)
        if at is not None and (nearest is None or at < nearest[0]):
            nearest = (at, index)
    return nearest[1] if nearest else None


def _candidate(
    spec: TableSpec, row: list[Cell], header: _Columns | None, window: tuple[int, int] | None
) -> _Candidate | None:
    last_label = len(row) - 1
    while last_label >= 0 and row[last_label].kind is not _LABEL:
        last_label -= 1
    values = row[last_label + 1 :]
    if window is not None and not (spec.flat and len(values) == _width(spec)):  # (a whole flat row
        low, high = _shifted(spec, row, last_label, window)  # stands as printed: its last groups
        values = [c for c in values if low <= c.col <= high]  # may be blank)
    kinds = [c.kind for c in values]
    glued = _GLUED in kinds
    has_value = glued or _VALUE in kinds
    labels = [c.text for c in row[: last_label + 1] if c.kind is _LABEL]
    if not has_value and (last_label < 0 or _match(spec, labels, False) is None):
        # printed empty cells (not a grid's padding) may be a flat table's row of blanks: cells
        # each on a line of their own, or a whole row of a flat table's grid
        blanks = [c for c in values if c.kind is _EMPTY and (c.col < 0 or spec.flat)]
        return _Candidate("", row, values, None, header, blank=True) if blanks else None
    index = _match(spec, labels, glued or (last_label >= 0 and row[last_label].run_on))
    width = len(spec.rows[index].columns) if index is not None else 0
    if not glued and len(values) < width - 1:  # (one cell short: its last column may be off the page)
        index = None  # a header cell that happens to read like a row label
        if not has_value:
            return None
    if not has_value and (index is None or not any(c.kind is _EMPTY for c in values)):
        return None
    label = labels[-1] if labels else ""
    return _Candidate(label, row, values, index, header, glued=glued, gap=_GAP in kinds)


def _shifted(spec: TableSpec, row: list[Cell], last_label: int, window: tuple[int, int]) -> tuple[int, int]:
    """The block's value columns for this row. A row of two labels whose cells begin right of
    them was pushed right by its group's label (a cell spanning rows that a converter wrote in
    the group's first row only): its values stand as many columns further right."""
    low, high = window
    if spec.flat or last_label < 1 or last_label + 1 >= len(row) or row[last_label - 1].kind is not _LABEL:
        return window
    shift = row[last_label + 1].col - low
    return (low + shift, high + shift) if shift > 0 and row[last_label].col >= low else window


def _cut_through(row: RowSpec, head: str, rest: str) -> bool:
    """The row's own title runs from ``head`` on into ``rest`` (a label cut in two: 1.属 /
    于国家秘密), not only through ``rest`` (a group label, then a whole label of its own: (三)
    不予公开 / 2.其他法律行政法规禁止公开)."""
    title = row.title.split()[-1].translate(FULL_WIDTH)
    core = _NUMBERING.sub("", title)  # its words, unnumbered
    at, numbered_at = (head + rest).find(core), (head + rest).find(title)
    return 0 <= at <= len(head) < at + len(core) or (  # (cut after its number: (一) / 予以公开)
        0 <= numbered_at < len(head) < numbered_at + len(title)  # (or inside it: (六 / )其他处理)
    )


def _join_broken_rows(spec: TableSpec, candidates: list[_Candidate]) -> list[_Candidate]:
    """A row a page break cut in two: its values beside the head of its label, then the rest of
    the label beside empty cells. One row when the row's title runs through both parts."""
    out: list[_Candidate] = []
    for cand in candidates:
        head = out[-1] if out else None
        if (
            head is not None
            and head.spec_index is None
            and head.label  # the head of the label: no label at all is a row whose label was lost
            and _has_number(head)
            and cand.spec_index is not None
            and cand.label
            and all(c.kind in _BLANK for c in cand.values)
            and _cut_through(spec.rows[cand.spec_index], head.label, cand.label)
        ):
            head.label += cand.label
            head.spec_index = cand.spec_index
            continue
        out.append(cand)
    return out


def _place(spec: TableSpec, candidates: list[_Candidate]) -> tuple[dict[int, _Candidate], set[int], set[int]]:
    """Table row index → the printed row read for it; the rows next to values printed between
    them that no row takes (a row's digits may have wrapped away from it); and the rows placed
    by order that print another row's words for a label (:func:`_names_another_row`)."""
    candidates = _join_broken_rows(spec, candidates)
    anchors: list[tuple[int, int]] = []  # (candidate position, table row index), both increasing
    for pos, cand in enumerate(candidates):
        if cand.spec_index is not None and (not anchors or cand.spec_index > anchors[-1][1]):
            anchors.append((pos, cand.spec_index))
    placed = {row: candidates[pos] for pos, row in anchors}
    beside_strays: set[int] = set()
    misnamed: set[int] = set()
    bounds = [(-1, -1), *anchors, (len(candidates), len(spec.rows))]
    for (pos_a, row_a), (pos_b, row_b) in itertools.pairwise(bounds):
        if pos_b == pos_a + 1:  # the common case: anchors next to each other, nothing between
            continue
        loose = [c for c in candidates[pos_a + 1 : pos_b] if c.spec_index is None and not c.blank]
        rows, strays = _rows_and_strays(spec, loose, row_a, row_b)
        if len(rows) == row_b - row_a - 1:
            by_order = list(zip(range(row_a + 1, row_b), rows, strict=True))
            placed.update(by_order)
            misnamed.update(r for r, c in by_order if _names_another_row(spec, r, c))
            beside_strays.update(strays)
        elif any(_has_number(c) for c in loose):
            beside_strays.update(r for r in (row_a, row_b) if 0 <= r < len(spec.rows))
    for cand in candidates:  # a labelled row printed out of order is still read by its label
        if cand.spec_index is not None:
            placed.setdefault(cand.spec_index, cand)
    widths = _widths(spec)
    for before, after in itertools.pairwise(candidates):
        if (
            before.spec_index is not None
            and after.spec_index is not None
            and _numbers_on_a_line_after(before, widths[before.spec_index])
        ):
            beside_strays.add(after.spec_index)
    return placed, beside_strays, misnamed


def _rows_and_strays(
    spec: TableSpec, loose: list[_Candidate], row_a: int, row_b: int
) -> tuple[list[_Candidate], set[int]]:
    """The unlabelled printed rows between table rows ``row_a`` and ``row_b`` that may be the
    rows between them, and the rows beside any left out: where there are more than those rows,
    numbers alone on a line, too few for any of them (another row's cell printed out of place:
    0 0 … 10 / 1 / 0 0 … 0), are left out, if that leaves one printed row for each."""
    between = row_b - row_a - 1
    if len(loose) <= between:  # (fast: the common case)
        return loose, set()
    fewest = min(_widths(spec)[row_a + 1 : row_b], default=0)
    rows: list[_Candidate] = []
    strays: set[int] = set()
    for cand in loose:
        values = _printed(cand.values)
        if cand.label or not values or len(values) >= fewest or len(values) != len(cand.values):
            rows.append(cand)
        else:  # the rows placed before and after it
            strays.update(r for r in (row_a + len(rows), row_a + len(rows) + 1) if 0 <= r < len(spec.rows))
    return (rows, strays) if len(rows) == between else (loose, set())


def _numbers_on_a_line_after(candidate: _Candidate, width: int) -> bool:
    """A row of ``width`` columns printed on its label's line, then more numbers on a line of
    their own (a text without positions joins such a line to the row above): they may be the
    first digits of the next row's numbers, wrapped in their narrow cells (2 2 over 1.信访… 2 0
    0 0 0 6 8 for 26, 28)."""
    if len(candidate.values) <= width:  # (fast: no more values than columns)
        return False
    values = _printed(candidate.values)
    return len(values) > width and not values[0].line_start and values[width].line_start


def _after_other_rows_labels(spec: TableSpec, placed: dict[int, _Candidate]) -> list[int]:
    """The rows whose values follow, in one printed row, the labels of other rows that print
    none (a PDF's text put three rows' labels one under the other, then one row's values:
    5.属于三类… / 6.属于四类… / 7.属于行政执法案卷 / 0 / 0 …): whose the values are, no rule
    can tell."""
    if spec.flat:
        return []
    found = []
    for index, cand in placed.items():
        row = cand.row  # (fast: a grid's row, or one label first: the common cases)
        if len(row) < 2 or row[0].col >= 0 or row[1].kind is not _LABEL:
            continue
        labels = [c.text for c in row if c.kind is _LABEL]
        others = {other for label in labels[:-1] if (other := _match_label(spec, label)) not in (None, index)}
        if any(placed.get(other) in (None, cand) for other in others):  # (no values of their own)
            found.append(index)
    return found


def _names_another_row(spec: TableSpec, index: int, candidate: _Candidate) -> bool:
    """A row placed by order is printed beside words of another row's label, none of its own
    (a row printed out of order, its label cut: 行政机关不再处理其政府信息公 / 40 1 0 0 2 0 43)."""
    words = _words(normal_label("".join(c.text for c in candidate.row if c.kind is _LABEL)))
    titles, own_words = _title_words(spec)
    if len(words) < _SOME_WORDS or words in titles[index]:
        return False  # (a character or two, as a group label's cut prints, name no row)
    return any(
        words in own or (len(own) >= _SOME_WORDS and own in words and own_words[index] not in words)
        for n, own in enumerate(own_words)
        if n != index
    )  # (or the whole label of another row among its words: 信息内容 行政许可 本年处理决定数量 0)


@lru_cache(maxsize=8)
def _title_words(spec: TableSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of each row's title; and of its own part, less the group label a first row's
    title opens with (无法提 / 供 is the group's, printed beside any of its rows)."""
    return tuple(_words(r.title) for r in spec.rows), tuple(_words(r.title.split()[-1]) for r in spec.rows)


def _words(label: str) -> str:
    return _NOT_WORDS.sub("", label.translate(FULL_WIDTH))


_SOME_WORDS = 4
_NOT_WORDS = re.compile(r"[\s\W\d]+")  # (spaces, marks, digits: a label's words are the rest)


def _printed_twice(candidates: list[_Candidate]) -> set[int]:
    """The rows whose label names two printed rows with different numbers (a page's repeated
    row is the same numbers again): which of them is the row's, no rule can tell."""
    named = [cand.spec_index for cand in candidates if cand.spec_index is not None]
    if len(named) == len(set(named)):  # the common case, fast: each label printed once
        return set()
    printed: dict[int, set[tuple[str, ...]]] = {}
    for cand in candidates:
        if cand.spec_index is not None and _has_number(cand):
            printed.setdefault(cand.spec_index, set()).add(tuple(c.text for c in cand.values if c.text))
    return {index for index, values in printed.items() if len(values) > 1}


def _has_number(candidate: _Candidate) -> bool:
    """Holds a number, not only marks of not-stated cells (-, /)."""
    return any(
        c.kind is _GLUED or (c.kind is _VALUE and any(ch.isdigit() for ch in c.text))
        for c in candidate.values
    )


@lru_cache(maxsize=8)
def _width(spec: TableSpec) -> int:
    """The cells of all of a table's rows."""
    return sum(_widths(spec))


def _flat_rows(
    spec: TableSpec,
    rows: list[list[Cell]],
    candidates: list[_Candidate],
    identities: Sequence[Identity],
    clipped: _Candidate | None,
) -> dict[int, _Row]:
    """All the table's values in one printed row, in row order (table 四), when one printed row
    holds that many (or ``clipped``, one fewer, its last cut off the page): read as one row of
    every column, then cut into the table's rows."""
    width = _width(spec)
    wide = [c for c in candidates if len(c.values) >= width or (c.glued and _digits(c) >= width)]
    numbered = [clipped] if clipped is not None else [c for c in wide if _has_number(c)]
    if not numbered and (
        parts := _flat_parts(spec, candidates, identities) or _flat_groups_blank(spec, rows, candidates)
    ):
        numbered = [parts]
    if numbered:
        wide = numbered
    elif any(_has_number(c) for c in candidates):
        return {}  # the numbers stand in a shorter row: no row of blanks reads the table
    else:
        wide = [c for c in wide if not c.blank] or wide  # a row of blanks when no row holds a value
    if len(wide) != 1:
        return {}
    whole = _options(wide[0], width, allow_stray=True, labelled=False)  # (its labels head its columns)
    problem = whole.problem
    if whole.open and identities:  # readings of the one row hold for the whole table or not at all
        every = spec.field_ids()
        whole.options = [o for o in whole.options if _holds(identities, _flat_values(spec, o), every)]
        problem = problem or ("" if whole.options else "no reading of its cells satisfies the identities")
    readings = {}
    for index, (row_spec, ids, start, end) in enumerate(_flat_spans(spec)):
        cut = _distinct([tuple(option[start:end]) for option in whole.options])
        readings[index] = _Row(ids, cut, whole.confirm, problem and f"row {row_spec.id}: {problem}")
    return readings


def _digits(candidate: _Candidate) -> int:
    """The digits a candidate prints: glued, at least one a cell (a year before the table, 2023,
    is no row of fifteen)."""
    return sum(ch.isdigit() for cell in candidate.values for ch in cell.text)


def _flat_groups_blank(
    spec: TableSpec, rows: list[list[Cell]], candidates: list[_Candidate]
) -> _Candidate | None:
    """The one row of a flat table whose first groups are blank, its values those of the groups
    after, all of them: they start where the header above titles the first group they hold. In
    a grid, in that column, after empty cells (| | | 0 0 | 0 0 |… under 未经复议直接起诉); in a
    layout text, in that column of characters, the header's line opening with the group's title
    there (pdftotext -layout of a page whose 行政复议 cells are blank). The row with an empty cell
    for each column of the blank groups."""
    row = _one_numbered(candidates)  # (its whole printed row: a grid's window may leave its empty cells out)
    if row is None or row.glued:
        return None
    lead = next((i for i, c in enumerate(row.row) if c.kind is not _EMPTY), len(row.row))
    values = _printed(row.row[lead:])
    gridded = bool(lead) and row.row[0].col >= 0  # (empty cells before its values, in a grid)
    layout = not lead and bool(values) and values[0].x >= 0  # (its values alone on their line)
    if not (gridded or layout) or any(c.kind is not _VALUE for c in values):
        return None
    starts = [end for *_, end in _flat_spans(spec)]
    blank_width = _width(spec) - len(values)
    if blank_width not in starts[:-1]:
        return None
    group = starts.index(blank_width) + 1  # the first group the values hold
    title = _words(spec.rows[group].title.split()[-1])
    above = [c for c in _cells_above(rows, row) if c.kind is _LABEL]
    if layout:  # (a header line's words run together into one cell: where the group's title is)
        titled = [_columns_of(title, c.line) for c in above if c.x >= 0 and title in c.text]
        if len(titled) != 1 or not any(abs(x - values[0].x) <= _SAME_X for x in titled[0]):
            return None
    elif {c.col for c in above if _words(c.text) == title} != {values[0].col}:
        return None
    blank = [Cell("", values[0].start, values[0].start, _EMPTY, values[0].col) for _ in range(blank_width)]
    return replace(row, values=[*blank, *values])


_SAME_X = 1  # characters a layout text's column may be off by between two of its lines


def _columns_of(title: str, line: str) -> tuple[int, ...]:
    """Where ``title``, printed once in ``line``, starts: in characters (pdftotext -layout
    counts a Chinese character as one column) and in display width (pandoc's tables count it as
    two); none when the line prints it twice or not at all."""
    at = line.find(title)
    if at < 0 or line.find(title, at + 1) >= 0:
        return ()
    return at, at + sum(east_asian_width(ch) in "WF" for ch in line[:at])


def _flat_parts(
    spec: TableSpec, candidates: list[_Candidate], identities: Sequence[Identity]
) -> _Candidate | None:
    """The one row of a flat table printed in parts: consecutive rows of numbers (unlabelled, or
    under a part's header), each ending where a table row ends, together all the table's values
    (table 四 as a 行政复议 table of 5 and a 行政诉讼 table of 10). A part may be a grid's row of
    empty cells (its row left blank), when another holds a number. Parts of numbers alone that
    end elsewhere (a line of them wrapped at the page's width: … 1 1 6 / 20, each line no
    shorter than the next) are the row only when every identity holds for it."""
    width, ends = _width(spec), {end for *_, end in _flat_spans(spec)}
    found = []
    for first in range(len(candidates)):
        total, parts = 0, []
        for cand in candidates[first:]:
            total += len(_printed(cand.values))
            headed = not cand.label or _header_words_only(spec, cand)
            stated = _has_number(cand) or (cand.blank and all(c.col >= 0 for c in cand.values))
            wraps = total < width and not cand.label and bool(identities) and not cand.blank
            if not headed or cand.glued or (total not in ends and not wraps) or not stated:
                break
            parts.append(cand)
            if total == width:
                found.append(parts)
                break
    if len(found) != 1 or len(found[0]) < 2 or not any(_has_number(part) for part in found[0]):
        return None
    parts = found[0]
    lengths = [len(_printed(part.values)) for part in parts]
    wrapped = any(end not in ends for end in itertools.accumulate(lengths))
    if wrapped and lengths != sorted(lengths, reverse=True):
        return None  # (wrapped at one width, no line is shorter than the next: 4 then 11 is a row cut short)
    row = replace(parts[0], values=[cell for part in parts for cell in _printed(part.values)])
    if wrapped and not _holds(identities, _flat_values(spec, tuple(row.values)), spec.field_ids()):
        return None
    return row


def _header_words_only(spec: TableSpec, candidate: _Candidate) -> bool:
    """The candidate's label is made of the table's own header words (a part's header, in a
    text where a part's header lines run into the numbers below it: 复议后起诉 / 结果维 / 持…)."""
    words = _header_characters(spec)
    return all(ch in words for c in candidate.row if c.kind is _LABEL for ch in c.text)


@lru_cache(maxsize=8)
def _header_characters(spec: TableSpec) -> frozenset[str]:
    titles = [row.title for row in spec.rows] + [title for row in spec.rows for title in row.column_titles]
    return frozenset("".join(titles).replace(" ", ""))


@lru_cache(maxsize=8)
def _flat_spans(spec: TableSpec) -> tuple[tuple[RowSpec, tuple[str, ...], int, int], ...]:
    """Each row of a table printed as one row, its field ids and where its cells stand there."""
    spans, start = [], 0
    for row, ids in zip(spec.rows, spec.row_field_ids, strict=True):
        spans.append((row, ids, start, start + len(row.columns)))
        start += len(row.columns)
    return tuple(spans)


def _flat_values(spec: TableSpec, option: Option) -> dict[str, int | float | None]:
    """The table's fields as one reading of its one printed row gives them."""
    values: dict[str, int | float | None] = {}
    for row, ids, start, end in _flat_spans(spec):
        values.update(zip(ids, _values(row, option[start:end]), strict=True))
    return values


# --- interpretations of one row ---------------------------------------------------------


def _interpret(
    row: RowSpec, ids: tuple[str, ...], candidate: _Candidate, identities: Sequence[Identity]
) -> _Row:
    allow_stray = bool(identities)
    by_header = _by_header(row, candidate)
    if by_header is not None:
        return _Row(ids, [by_header], False)
    # (the row's own sums thin only the placings of heads above it: found for such rows alone)
    keep = _own_sum_keeper(row, ids, identities) if identities and candidate.heads else None
    found = _options(candidate, len(row.columns), allow_stray, keep=keep)
    found.ids = ids
    if found.problem:
        found.problem = f"row {row.id}: {found.problem}"
    return found


def _by_header(row: RowSpec, candidate: _Candidate) -> Option | None:
    """The row read by the grid columns of its header, when the row lines up with it: its
    labels left of the values, each of its columns titled, at most one value under each."""
    header = candidate.header
    if header is None:
        return None
    first = header.first
    for cell in candidate.row:
        if cell.col < 0 or (cell.kind is _LABEL and cell.col >= first):
            return None
    slots = header.slots(row)
    if slots is None:
        return None
    slot_of, open_from = slots.slot_of, slots.open_from
    firsts: list[Cell | None] = [None] * slots.count  # the first cell under each column
    stated: list[Cell | None] = [None] * slots.count  # its one stated cell
    unplaced: list[Cell] = []  # stated cells under no column
    for cell in candidate.row:
        slot = slot_of.get(cell.col)
        if slot is None:
            if open_from is None or cell.col < open_from[0]:
                if cell.kind not in (_EMPTY, _GAP, _LABEL):
                    unplaced.append(cell)
                continue
            slot = open_from[1]
        if firsts[slot] is None:
            firsts[slot] = cell
        if cell.kind is not _EMPTY and cell.kind is not _GAP:
            if stated[slot] is not None:
                return None
            stated[slot] = cell
    chosen = [s or f for s, f in zip(stated, firsts, strict=True)]
    if any(cell is None for cell in chosen):
        return None
    read = {cell.text for cell in stated if cell is not None}
    if any(cell.text not in read for cell in unplaced):
        return None  # a value under no column of the header (not a merged cell's copy): they do not line up
    return tuple(cell for cell in chosen if cell is not None)


def _own_sum_keeper(row: RowSpec, ids: tuple[str, ...], identities: Sequence[Identity]) -> Keep:
    """Whether a reading of the row satisfies its own identities."""
    own = _own_places(identities, ids)
    return lambda option: _own_hold(own, _values(row, option))


def _options(
    candidate: _Candidate, n: int, allow_stray: bool, labelled: bool = True, keep: Keep | None = None
) -> _Row:
    """Every reading of a candidate's cells as ``n`` values: the cells themselves; or less empty
    cells; or (to be confirmed by the identities) less leading cells where a label was lost; a
    glued run of digits split every way that makes ``n`` values; where a value stands on the
    next line of its cell, also (to be confirmed) with the number before it wrapped onto that
    line."""
    cells = candidate.values
    if candidate.heads:
        return _headed_options(candidate, n, allow_stray, labelled, keep)
    if candidate.glued:
        splits = _splits([c for c in cells if c.kind is _GLUED], n)
        return _Row((), splits, len(splits) > 1, "" if splits else f"no split of its digits into {n} cells")
    as_printed = _cells_options(cells, n, allow_stray, labelled)
    breaks = [i for i, c in enumerate(cells) if c.after_break and _wraps(cells[i - 1], c)]
    if not allow_stray or not breaks or len(breaks) > _MAX_BREAKS:  # no identities to confirm
        return as_printed
    cuts = _joinings(cells, breaks)
    wrapped = [o for cut in cuts for o in _cells_options(cut, n, allow_stray, labelled).options]
    if not wrapped:
        return as_printed
    return _Row((), _distinct(as_printed.options + wrapped), True)


def _headed_options(
    candidate: _Candidate, n: int, allow_stray: bool, labelled: bool, keep: Keep | None = None
) -> _Row:
    """A row's readings with the numbers above it as the heads of the values they stand over,
    or as printed: guesses only the identities may choose between (none without them)."""
    cells = list(candidate.values)
    starts = [c.start for c in cells]
    if all(head.above for head in candidate.heads) and allow_stray:
        return _heads_anywhere(candidate, n, labelled, keep)
    if not allow_stray or any(head.over not in starts for head in candidate.heads):
        return _Row((), [], False, _HEADS_NOTE)
    as_printed = _cells_options(cells, n, allow_stray, labelled)
    joined = list(cells)
    for i in {starts.index(head.over) for head in candidate.heads}:
        over = [head for head in candidate.heads if head.over == cells[i].start]  # top to bottom
        text = "".join(head.text for head in over) + cells[i].text
        joined[i] = Cell(text, over[0].start, cells[i].end, _VALUE, cells[i].col)
        if not _is_number(text):
            return as_printed
    headed = _cells_options(joined, n, allow_stray, labelled).options
    return _Row((), _distinct(as_printed.options + headed), True)


_HEADS_NOTE = "numbers on the line above may be the heads of its values"


def _heads_anywhere(candidate: _Candidate, n: int, labelled: bool, keep: Keep | None = None) -> _Row:
    """A row's readings with numbers on the lines above it (its values one space apart: no
    column tells which each stands over) as the heads of any of its values, those on one line
    over values left to right: guesses only the identities may choose between (not as printed:
    the numbers above would be no cell's). ``keep``: the readings the row's own identities
    allow, to thin placings too many to try otherwise."""
    cells = list(candidate.values)
    lines = [
        [h for h in candidate.heads if h.above == depth]
        for depth in sorted({h.above for h in candidate.heads}, reverse=True)  # top line first
    ]
    places = [list(itertools.combinations(range(len(cells)), len(line))) for line in lines]
    if math.prod(len(p) for p in places) > _MAX_OPTIONS * (_MAX_HEAD_PLACINGS if keep else 1):
        return _Row((), [], False, _HEADS_NOTE)
    headed: list[Option] = []
    for choice in itertools.product(*places):
        over: list[list[Cell]] = [[] for _ in cells]  # each value's heads, top to bottom
        for line, at in zip(lines, choice, strict=True):
            for head, i in zip(line, at, strict=True):
                over[i].append(head)
        if not all(_wraps_down_to_the_row(hs) for hs in over):
            continue
        joined = [
            Cell("".join(h.text for h in hs) + c.text, hs[0].start, c.end, _VALUE, c.col) if hs else c
            for c, hs in zip(cells, over, strict=True)
        ]
        if all(_is_number(c.text) for c in joined):
            found = _cells_options(joined, n, True, labelled).options
            headed.extend(o for o in found if keep is None or keep(o))
    if len(headed) > _MAX_OPTIONS:
        return _Row((), [], False, _HEADS_NOTE)
    return _Row((), _distinct(headed), True, "" if headed else _HEADS_NOTE)


def _wraps_down_to_the_row(heads: list[Cell]) -> bool:
    """Heads a number may have, top to bottom: one a line on the lines right above its row, none
    skipped (a number wrapped in its cell goes on on the next line, its last digits on the
    row's)."""
    return [h.above for h in heads] == list(range(len(heads), 0, -1))


def _wraps(before: Cell, cell: Cell) -> bool:
    """Two numbers one can be the wrapped head and tail of."""
    return before.kind is _VALUE and cell.kind is _VALUE and before.text.isdigit() and cell.text.isdigit()


def _joinings(cells: list[Cell], breaks: list[int]) -> Iterator[list[Cell]]:
    """``cells`` with the numbers at some of ``breaks`` joined to the number before (each way
    but none), where the joined digits make a number."""
    for joins in itertools.product((False, True), repeat=len(breaks)):
        if any(joins):
            yield from _joined_at(cells, set(itertools.compress(breaks, joins)))


def _joined_at(cells: list[Cell], joined: set[int]) -> Iterator[list[Cell]]:
    """``cells`` with the number at each of ``joined`` joined to the one before, if the joined
    digits make numbers (no leading zero); else nothing."""
    out: list[Cell] = []
    for i, cell in enumerate(cells):
        if i in joined:
            head = out[-1]
            out[-1] = Cell(head.text + cell.text, head.start, cell.end, _VALUE, head.col)
            if not _is_number(out[-1].text):
                return
        else:
            out.append(cell)
    yield out


def _cells_options(cells: list[Cell], n: int, allow_stray: bool, labelled: bool = True) -> _Row:
    """The readings of ``cells`` as printed: themselves, less empty cells; or, to be confirmed,
    less a stray (a row with a label of its own) or with numbers wrapped over lines joined."""
    while len(cells) > n and cells[-1].kind is _GAP:  # an empty line after a row: a gap
        cells = cells[:-1]
    if len(cells) < n:
        return _Row((), [], False, f"{len(cells)} cells, {n} expected")
    if len(cells) == n:
        return _Row((), [tuple(cells)], False)
    found = _without_empties(cells, n)
    if found:
        return _Row((), found, False)
    if allow_stray:  # guesses the identities must confirm
        guesses = _less_strays(cells, n) if labelled else []
        # as likely: numbers wrapped in their cells onto lines of their own (those wrapped on
        # lines of one cell, after a break, are joined by their breaks: _options)
        if guesses or not labelled or not any(c.after_break for c in cells):
            guesses += [tuple(cut) for cut in _joined_pairs(cells, len(cells) - n)]
        if guesses:
            return _Row((), _distinct(guesses), True)
    return _Row((), [], False, f"{len(cells)} cells, {n} expected")


def _less_strays(cells: list[Cell], n: int) -> list[Option]:
    """The readings of a labelled row's cells less a stray cell or two before its values (what a
    lost label leaves): as few strays as can be."""
    by_strays: dict[int, list[Option]] = {}
    for lead in range(1, len(cells) - n + 1):
        strays = sum(1 for c in cells[:lead] if c.kind not in _BLANK)
        if strays > _MAX_STRAYS:
            break
        by_strays.setdefault(strays, []).extend(_without_empties(cells[lead:], n))
    fewest = min((k for k, found in by_strays.items() if found), default=None)
    return by_strays[fewest] if fewest is not None else []


def _joined_pairs(cells: list[Cell], surplus: int) -> Iterator[list[Cell]]:
    """``cells`` with ``surplus`` numbers each joined to the number before it (a number wrapped
    in a narrow cell, its lines apart), where the joined digits make a number."""
    pairs = [i for i in range(1, len(cells)) if _wraps(cells[i - 1], cells[i]) and _may_head(cells, i - 1)]
    pairs.reverse()  # the last, narrow columns first: where numbers wrap most (the options are few)
    for joined in itertools.islice(itertools.combinations(pairs, surplus), _MAX_OPTIONS):
        yield from _joined_at(cells, set(joined))  # (two joins in a row: over three lines)


def _may_head(cells: list[Cell], i: int) -> bool:
    """Whether the number at ``i`` may take the next one after it: not a 0, which heads no
    number, unless the number before it may take it in turn (1 / 0 / 5 is 105)."""
    return cells[i].text != "0" or (i > 0 and _wraps(cells[i - 1], cells[i]) and cells[i - 1].text != "0")


def _without_empties(cells: list[Cell], n: int) -> list[Option]:
    """The readings of ``cells`` as ``n`` values with only empty cells set aside."""
    drop = len(cells) - n
    empties = [i for i, c in enumerate(cells) if c.kind in _BLANK]
    if drop < 0 or len(empties) < drop:
        return []
    if drop == 0:
        return [tuple(cells)]
    found = []
    for gone in itertools.islice(itertools.combinations(empties, drop), _MAX_OPTIONS * 4):
        skip = set(gone)
        found.append(tuple(c for i, c in enumerate(cells) if i not in skip))
    return _distinct(found)


def _distinct(options: list[Option]) -> list[Option]:
    """Options that read differently (the same texts in the same columns are one reading)."""
    seen: dict[tuple[str, ...], Option] = {}
    for option in options:
        seen.setdefault(tuple(c.text for c in option), option)
    return list(seen.values())[: _MAX_OPTIONS + 1]


def _splits(parts: list[Cell], n: int) -> list[Option]:
    """Every way to cut glued digit parts into ``n`` numbers (no leading zeros, a decimal part
    kept whole), as cells spanning their digits; a part after a wrapped line's end is cut
    apart from the part before, and also (its digits may go on there) as one with it."""
    found: list[Option] = []
    breaks = [i for i, part in enumerate(parts) if i and part.after_break][:_MAX_BREAKS]
    for joins in itertools.product((False, True), repeat=len(breaks)):
        joined = set(itertools.compress(breaks, joins))
        runs: list[list[Cell]] = []
        for i, part in enumerate(parts):
            if i in joined:
                runs[-1].append(part)
            else:
                runs.append([part])
        found += _run_splits(runs, n, _MAX_SPLITS + 1 - len(found))
    if breaks:  # (joined or apart, digits may cut the same way)
        found = list({tuple(c.text for c in option): option for option in found}.values())
    return found if len(found) <= _MAX_SPLITS else []


def _run_splits(runs: list[list[Cell]], n: int, most: int) -> list[Option]:
    """Every way (up to ``most``) to cut runs of glued digit parts into ``n`` numbers, the
    parts of a run read as one string of digits."""
    found: list[Option] = []
    readings: dict[tuple[int, int], _Readings] = {}  # (run, most numbers) → its readings, kept

    def cut(index: int, left: int, taken: list[Cell]) -> None:
        if index == len(runs):
            if left == 0 and len(found) < most:
                found.append(tuple(taken))
            return
        key = (index, left - (len(runs) - index - 1))
        if key not in readings:  # (a run reads the same whatever the runs before it took)
            last = index == len(runs) - 1  # (the last run reads as the numbers left, no fewer)
            readings[key] = _Readings(_run_readings(runs[index], key[1], exact=last))
        for cells in readings[key]:
            if len(found) >= most:
                return
            cut(index + 1, left - len(cells), taken + cells)

    cut(0, n, [])
    return found


class _Readings:
    """A run's readings, each kept as it is first produced: a later pass over them reads those
    kept, then goes on producing (no pass needs more than it takes)."""

    def __init__(self, produce: Iterator[list[Cell]]) -> None:
        self._produce = produce
        self._kept: list[list[Cell]] = []

    def __iter__(self) -> Iterator[list[Cell]]:
        yield from self._kept  # (one pass at a time: a pass abandoned leaves every reading it took kept)
        for cells in self._produce:
            self._kept.append(cells)
            yield cells


def _run_readings(run: list[Cell], most: int, exact: bool) -> Iterator[list[Cell]]:
    """The ways to read a run of glued digit parts as 1..``most`` numbers (``exact``: as
    ``most``), as cells spanning their digits."""
    places = [part.start + i for part in run for i in range(len(part.text))]  # each digit's
    made: dict[tuple[int, int], Cell] = {}  # (first digit, last digit) → its cell, in many readings
    for pieces in _pieces("".join(part.text for part in run), most, exact):
        cells, at = [], 0
        for piece in pieces:
            span = (at, at + len(piece) - 1)
            cell = made.get(span)
            if cell is None:
                cell = made[span] = Cell(piece, places[span[0]], places[span[1]] + 1, _VALUE)
            cells.append(cell)
            at += len(piece)
        yield cells


def _pieces(digits: str, most: int, exact: bool) -> Iterator[list[str]]:
    """The ways to read ``digits`` as 1..``most`` numbers (``exact``: as ``most`` numbers)."""
    if most < 1 or not digits or (exact and len(digits) < most):
        return
    if _is_number(digits) and (most == 1 or not exact):
        yield [digits]
    if most == 1:  # (no numbers left for a rest)
        return
    for cut in range(1, len(digits)):
        head = digits[:cut]
        if "." in head or digits[cut] not in _DIGIT_OR_SIGN or not _is_number(head):
            continue  # a decimal number is the row's last; a sign opens a number
        for rest in _pieces(digits[cut:], most - 1, exact):
            yield [head, *rest]


_DIGIT_OR_SIGN = frozenset("0123456789增减")
_NUMBER_PIECE = re.compile(rf"[增减]?(?:0|[1-9]\d*)(?:\.\d+)?{RUN_UNIT}?")


def _is_number(piece: str) -> bool:
    """A number as printed whole: no leading zero (but 0 itself); a decimal part only last."""
    return _NUMBER_PIECE.fullmatch(piece) is not None


# --- resolution ---------------------------------------------------------------------------


def _values(row: RowSpec, option: Option) -> list[int | float | None]:
    values = []
    for cell, kind in zip(option, row.kinds, strict=True):
        try:
            values.append(parse_value(cell.text, kind) if cell.text else None)
        except ValueError:
            values.append(None)
    return values


def _resolve(spec: TableSpec, rows: dict[int, _Row], identities: Sequence[Identity], result: Reading) -> None:
    """Choose among each row's interpretations and record what is read and what is not."""
    specs, fields = spec.rows, result.fields
    open_rows = {i: r for i, r in rows.items() if r.open}
    chosen: dict[int, list[Option]] = {}
    if open_rows:
        known: dict[str, int | float | None] = {}
        for index, row in rows.items():
            if row.options and index not in open_rows:
                known.update(_as(row, specs[index], row.options[0]))
        for index, row in open_rows.items():  # first by the identities within this row alone
            own = _own_places(identities, row.ids)
            row.options = [o for o in row.options if _own_hold(own, _values(specs[index], o))]
        chosen = _surviving(spec, open_rows, identities, known)
    for index, row in sorted(rows.items()):
        if not row.options:
            why = row.problem or f"row {specs[index].id}: no reading of its cells satisfies the identities"
            result.problem(why, row.ids)
        elif index in open_rows:
            _record(specs[index], row, chosen.get(index, row.options), result)
        else:  # the common case: one reading, as printed
            row_spec = specs[index]
            for field_id, cell, kind, title in zip(
                row.ids, row.options[0], row_spec.kinds, row_spec.column_titles, strict=True
            ):
                if cell.text.isdigit() and cell.text.isascii():  # the commonest, fast: a bare count
                    fields[field_id] = FieldReading(int(cell.text), cell.start, cell.end)
                else:
                    _read_cell(field_id, cell, kind, title, None, "", result)
    for row in open_rows.values():
        if row.confirm and row.options and not _confirmed_beyond_its_row(row, identities, result):
            _doubt(_readings(row.ids, result), _OWN_SUM_NOTE)


def _confirmed_beyond_its_row(row: _Row, identities: Sequence[Identity], result: Reading) -> bool:
    """Whether a guessed reading of a row (less strays, numbers joined: :attr:`_Row.confirm`)
    holds in an identity beyond the row's own sum, every field of it read: a row's own sum
    alone passes one of a row's windows of cells now and then (a lost label's strays taken
    off, or a row's values and the next row's shifted in)."""
    own = _own_identities(identities, row.ids)
    values = {  # (not a field of the row its readings leave open: no identity confirms that)
        f: r.value for f, r in result.fields.items() if r.confident and not isinstance(r.value, str)
    }
    for identity in identities:
        fields = identity[1] + identity[2]
        if identity in own or set(row.ids).isdisjoint(fields) or any(f not in values for f in fields):
            continue
        if _holds([identity], values, fields):
            return True
    return False


def _as(row: _Row, spec: RowSpec, option: Option) -> dict[str, int | float | None]:
    return dict(zip(row.ids, _values(spec, option), strict=True))


def _own_places(identities: Sequence[Identity], ids: Sequence[str]) -> list[tuple[list[int], list[int]]]:
    """A row's own identities (over its fields alone: :func:`_own_identities`) as the places in
    the row of each side's fields, found once for all the row's readings."""
    place = {field_id: i for i, field_id in enumerate(ids)}
    return [
        ([place[f] for f in left], [place[f] for f in right])
        for _, left, right in _own_identities(identities, ids)
    ]


def _own_hold(own: list[tuple[list[int], list[int]]], values: list[int | float | None]) -> bool:
    """:func:`_holds` of a row's own identities (:func:`_own_places`) over a reading's values."""
    return all(sum(values[i] or 0 for i in left) == sum(values[i] or 0 for i in right) for left, right in own)


def _holds(
    identities: Sequence[Identity], values: dict[str, int | float | None], touching: Sequence[str]
) -> bool:
    """Every identity over ``touching`` fields whose fields are all known holds (blanks count 0)."""
    wanted = set(touching)
    for _, left, right in identities:
        fields = left + right
        if wanted.isdisjoint(fields) or any(f not in values for f in fields):
            continue
        if sum(values[f] or 0 for f in left) != sum(values[f] or 0 for f in right):
            return False
    return True


def _surviving(
    spec: TableSpec,
    open_rows: dict[int, _Row],
    identities: Sequence[Identity],
    known: dict[str, int | float | None],
) -> dict[int, list[Option]]:
    """For rows still open: the options that take part in a combination satisfying every
    identity, when the search is small enough; else their own options."""
    ambiguous = {i: r for i, r in open_rows.items() if len(r.options) > 1}
    if not ambiguous or not identities:
        return {i: r.options for i, r in open_rows.items()}
    total = 1
    for row in ambiguous.values():
        total *= len(row.options)
    if total > _MAX_COMBINATIONS:
        return {i: r.options for i, r in open_rows.items()}
    base = dict(known)
    for i, row in open_rows.items():
        if len(row.options) == 1:
            base.update(_as(row, spec.rows[i], row.options[0]))
    order = list(ambiguous)
    kept: dict[int, list[Option]] = {i: [] for i in order}
    for choice in itertools.product(*(ambiguous[i].options for i in order)):
        values = dict(base)
        for i, option in zip(order, choice, strict=True):
            values.update(_as(ambiguous[i], spec.rows[i], option))
        if _holds(identities, values, list(values)):
            for i, option in zip(order, choice, strict=True):
                if option not in kept[i]:
                    kept[i].append(option)
    result = {i: r.options for i, r in open_rows.items()}
    if any(kept.values()):  # else the report breaks an identity itself: each row's own readings stand
        result.update(kept)
    return result


def _record(row: RowSpec, found: _Row, options: list[Option], result: Reading) -> None:
    """An open row's fields: read where every reading left agrees (chosen by the identities),
    else doubtful."""
    if not options:
        result.problem(f"row {row.id}: no reading of its cells satisfies the identities", found.ids)
        return
    values = [_values(row, option) for option in options]
    for col, field_id in enumerate(found.ids):
        seen = {v[col] for v in values}
        cell = options[0][col]
        if len(seen) > 1:
            result.fields[field_id] = FieldReading(
                None, None, None, confident=False, note=f"its cells can be read {len(options)} ways"
            )
            continue
        note = "the only reading of the row's cells that satisfies the identities"
        _read_cell(field_id, cell, row.kinds[col], row.column_titles[col], next(iter(seen)), note, result)


_OWN_SUM_NOTE = "a guess at its cells that only its own row's sum confirms"
_GAP_NOTE = "read as an empty cell, which it may not be (an empty line; a header row a page cut)"


def _doubt_places_resting_on_gaps(spec: TableSpec, result: Reading) -> None:
    """Where an empty line was read as an empty cell, the places of the cells around it rest on
    that guess (were it only a gap, they would stand elsewhere): the row's other fields are
    doubtful too (the whole table's, for a table printed as one row)."""
    groups = [spec.field_ids()] if spec.flat else spec.row_field_ids
    for ids in groups:
        found = _readings(ids, result)
        if any(r.note == _GAP_NOTE for r in found):
            _doubt(found, "its place in the row rests on an empty line read as an empty cell")


_BESIDE_STRAYS_NOTE = "values printed next to this row belong to no row"
_IN_ORDER_NOTE = (
    "its values stand in one run with another row's (or across its label's lines), and the sums "
    "do not confirm whose are whose"
)
_SHORT_HEADER_NOTE = (
    "the header lost a column at the page's edge, the row did not: a cell may be printed twice"
)
_MISNAMED_NOTE = "placed by its order, but printed beside words of another row's label"
_CLIPPED_NOTE = "the column after it was cut off the page: no sum checks its group"
_TWICE_NOTE = "its label is printed on two rows with different values"
_STACKED_NOTE = "its values follow the labels of other rows too, which print none: whose are they?"
_YUAN_TITLE_NOTE = "its column is titled in 元, the field is in 万元: the amount is not in the field's unit"
_PADDING_NOTE = "its first cell may be the label column's empty padding, and a cell lost"


def _padding_taken_for_a_cell(spec: TableSpec, placed: dict[int, _Candidate]) -> list[int]:
    """The rows read with an empty first cell as a value, in a table not printed as a grid whose
    rows print an empty cell after their label beside all their values (a label spanning two
    columns) more often: there the empty cell is more likely that padding, the row a cell short."""
    padded, taken = 0, []
    for index, cand in placed.items():
        n = len(spec.rows[index].columns)
        first = cand.values[0] if cand.values else None  # (in a grid, its columns tell)
        first_blank = first is not None and first.kind in _BLANK and first.col < 0
        if first_blank and len(cand.values) == n + 1:
            padded += 1
        elif first_blank and len(cand.values) == n:
            taken.append(index)
    return taken if padded >= _PADDED_ROWS and padded > 2 * len(taken) else []


def _readings(field_ids: Sequence[str], result: Reading) -> list[FieldReading]:
    """The readings ``result`` holds of ``field_ids``."""
    return [r for f in field_ids if (r := result.fields.get(f)) is not None]


def _doubt(readings: list[FieldReading], why: str) -> None:
    for reading in readings:
        if reading.confident:
            reading.confident = False
            reading.note = why


def _read_cell(
    field_id: str,
    cell: Cell,
    kind: ValueKind,
    title: str,
    value: int | float | None,
    note: str,
    result: Reading,
) -> None:
    """A field's reading from its cell under the column ``title``; ``value`` when the
    identities chose it."""
    if cell.kind is _GAP:  # an empty line taken for an empty cell: it may be only a gap
        result.fields[field_id] = FieldReading(None, cell.start, cell.end, confident=False, note=_GAP_NOTE)
        return
    if not cell.text:
        result.fields[field_id] = FieldReading(None, cell.start, cell.end, note=note)
        return
    try:
        parsed = parse_value(cell.text, kind)
    except ValueError as exc:
        result.fields[field_id] = FieldReading(None, cell.start, cell.end, confident=False, note=str(exc))
        result.problem(f"{field_id}: {exc}", [field_id])
        return
    read = parsed if value is None else value
    if in_yuan_under_wan(title, cell.text):
        result.fields[field_id] = FieldReading(read, cell.start, cell.end, confident=False, note=YUAN_NOTE)
        return
    result.fields[field_id] = FieldReading(read, cell.start, cell.end, note=note)


_IN_YUAN = re.compile(r"(?<!万)元")
YUAN_NOTE = "an amount in 元 in a column of 万元: the value and its column disagree on the unit"


def in_yuan_under_wan(title: str, printed: str) -> bool:
    """A value printed in 元 (``printed`` holds its unit) under a column titled in 万元 (3800元
    under 本年收费金额（万元）: read as 万元, ten thousand times the fee)."""
    return "万元" in title and _IN_YUAN.search(printed) is not None
