"""A scanned page as an image: red ink (a seal) masked by its colour, the skew corrected, the
tables' grids found from their ruling lines (merged cells told by the lines they lack), and
the ink inside a box measured.

Every size is given in inches and scaled by the page's resolution, so a page reads the same
at 150 and 300 dpi. Needs the ``ocr`` extra (OpenCV, numpy).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the page image

_LINE = 0.50  # inches: the shortest run of ink that is a horizontal ruling line
_STROKE = 0.10  # inches: the shortest vertical run that may be a ruling line
_ROW = 0.12  # inches: the least height of a row left open by a page break (a line of small text)
_COVER = 0.80  # share of a cell's width a horizontal ruling line must cover to bound it
_END_TO_END = 0.92  # share of a cell's height a vertical ruling line must cover (it meets the rows' lines)
_SPECK = 12  # pixels at 200 dpi: smaller blots are noise, not ink
_MAX_SKEW = 5.0  # degrees
_RED_VALUE = 60  # brightness below which a hue is not to be trusted
_PAPER = 190  # grey under a seal this light is bare paper
_SEAL_RIM = 120  # grey among a seal's red this light is what is left of its strokes, not text
_LINE_CONTRAST = 10  # grey levels: a ruling line this much darker than the paper around it
_HALF_A_ROW = 0.5  # of a row's height, the least a column line's ink runs along (a digit's stroke: less)
_SEEN_OF_A_LINE = 2 / 3  # of a ruling line's length, the least its ink shows where a seal crosses it


@dataclass(frozen=True)
class GridCell:
    """A cell of a table's grid: its first elementary row and column, how many it spans, its box."""

    row: int
    col: int
    rows: int
    cols: int
    box: Box


@dataclass(frozen=True)
class TableGrid:
    """A ruled table: its box, its elementary rows and columns, and its (merged) cells."""

    box: Box
    xs: tuple[int, ...]  # its column lines
    ys: tuple[int, ...]  # its row lines
    cells: tuple[GridCell, ...]
    # where each column and row line's ink lies, from its first pixel to its last: a double
    # rule (a web page's table with cell spacing) is one line of the grid, both strokes inked
    x_bands: tuple[tuple[int, int], ...]
    y_bands: tuple[tuple[int, int], ...]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


@dataclass(frozen=True)
class Page:
    """A page ready to be read: the grey image with red ink and ruling lines whitened (for the
    OCR), its ink (white on black, lines removed), its tables, and how to map a box back to the
    page as given (before the skew was corrected)."""

    image: np.ndarray
    ink: np.ndarray
    tables: tuple[TableGrid, ...]
    dpi: float
    skew: float
    unrotate: np.ndarray  # 2x3 affine matrix: corrected page → page as given
    seal: np.ndarray | None = None  # where red ink (a seal) lay on the corrected page, if anywhere

    def original_box(self, box: Box) -> Box:
        """``box`` of the corrected page as a box of the page as given (its corners mapped back)."""
        x0, y0, x1, y1 = box
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=float)
        mapped = corners @ self.unrotate.T
        return (
            int(mapped[:, 0].min()),
            int(mapped[:, 1].min()),
            int(np.ceil(mapped[:, 0].max())),
            int(np.ceil(mapped[:, 1].max())),
        )

    def sealed(self, box: Box) -> bool:
        """Whether a seal's red ink lies inside ``box``: what it covers may have been taken off
        with it (a 0 under the seal's ring), so no ink there proves no blank."""
        if self.seal is None:
            return False
        x0, y0, x1, y1 = self._inside(box)
        return bool(self.seal[y0:y1, x0:x1].any())

    def _inside(self, box: Box) -> Box:
        """``box`` less a margin all round: a cell's inside, off its ruling lines."""
        margin = max(2, round(self.dpi * 0.015))
        return box[0] + margin, box[1] + margin, box[2] - margin, box[3] - margin

    def ink_lines(self, box: Box) -> list[Box]:
        """The lines of ink inside ``box``, as boxes (ruling lines and specks of noise aside):
        none when nothing is written there."""
        return [line for line, _ in self.ink_by_line(box)]

    def ink_apart(self, box: Box) -> bool:
        """Whether a line of ink inside ``box`` holds two things apart (:func:`lines_apart`)."""
        return lines_apart(self.ink_by_line(box))

    def ink_by_line(self, box: Box) -> list[tuple[Box, list[Box]]]:
        """The blots of ink inside ``box`` (ruling lines and specks aside), grouped into lines
        by their height on the page: each line's box and its blots, in page coordinates."""
        x0, y0, x1, y1 = self._inside(box)
        crop = self.ink[y0:y1, x0:x1]
        if crop.size == 0:
            return []
        count, _, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
        speck = _SPECK * (self.dpi / 200) ** 2
        thin = max(3, round(self.dpi * 0.02))
        blots = [
            stats[i, :4]
            for i in range(1, count)
            if stats[i, cv2.CC_STAT_AREA] >= speck and not _is_rule(stats[i, :4], crop.shape, thin)
        ]
        lines: list[tuple[list[int], list[Box]]] = []
        for x, y, w, h in sorted(blots, key=lambda s: s[1]):
            blot = (int(x) + x0, int(y) + y0, int(x + w) + x0, int(y + h) + y0)
            if lines and blot[1] <= lines[-1][0][3]:
                line, members = lines[-1]
                line[0], line[2], line[3] = (
                    min(line[0], blot[0]),
                    max(line[2], blot[2]),
                    max(line[3], blot[3]),
                )
                members.append(blot)
            else:
                lines.append((list(blot), [blot]))
        return [((a, b, c, d), members) for (a, b, c, d), members in lines]


def lines_apart(ink: list[tuple[Box, list[Box]]]) -> bool:
    """Whether a line of ink (:meth:`Page.ink_by_line`) holds two things apart: a gap across it
    wider than 0.8 of its height (the digits of one number stand closer; a seal's leftover
    stroke or a second value does not)."""
    for line, blots in ink:
        ordered = sorted(blots)  # left to right
        reach = ordered[0][2]
        for x0, _, x1, _ in ordered[1:]:
            if x0 - reach > 0.8 * (line[3] - line[1]):
                return True
            reach = max(reach, x1)
    return False


def _is_rule(blot: np.ndarray, shape: tuple[int, ...], thin: int) -> bool:
    """A blot that is a stretch of ruling line left in a cell (thin, and long across it)."""
    _, _, w, h = (int(v) for v in blot)
    return (w <= thin and h >= shape[0] * 0.5) or (h <= thin and w >= shape[1] * 0.5)


def prepare(bgr: np.ndarray, dpi: float) -> Page:
    """Mask red ink, correct the skew, find the tables and whiten their ruling lines."""
    plain = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    grey, red, faded = mask_red(bgr)
    ink = ink_of(grey)
    skew = skew_angle(ink)
    rotate = cv2.getRotationMatrix2D((grey.shape[1] / 2, grey.shape[0] / 2), skew, 1.0)
    unrotate = cv2.invertAffineTransform(rotate)
    if skew:
        size = (grey.shape[1], grey.shape[0])
        grey = cv2.warpAffine(grey, rotate, size, flags=cv2.INTER_LINEAR, borderValue=255)
        plain = cv2.warpAffine(plain, rotate, size, flags=cv2.INTER_LINEAR, borderValue=255)
        red = cv2.warpAffine(red, rotate, size, flags=cv2.INTER_NEAREST, borderValue=0)
        faded = cv2.warpAffine(faded, rotate, size, flags=cv2.INTER_NEAREST, borderValue=0)
    # Ruling lines are looked for on the page as it is, less the seal where it lies on bare
    # paper: a line under the seal stays whole, the seal's ring is no line.
    line_ink = ink_of(plain, _LINE_CONTRAST) & ~_seal_on_paper(grey, red)
    horizontal, vertical = ruling_lines(line_ink, dpi)
    tables = tuple(find_tables(horizontal, vertical, dpi, _veiled(red)))
    seal_remains = bool(faded.any())
    if seal_remains:
        grey = np.where(faded > 0, 255, grey).astype(np.uint8)
    if skew or seal_remains:  # the page for its text, as turned and without the seal's remains
        ink = ink_of(grey)
    # with their grey rims: the anti-aliased edge of a line, lighter than its ink, is no text
    lines = _grid_lines(horizontal, vertical, _veiled(red), tables, dpi)
    lines = cv2.dilate(lines, np.ones((3, 3), np.uint8)) > 0
    grey = grey.copy()
    grey[lines] = 255
    ink = np.where(lines, 0, ink).astype(np.uint8)
    return Page(grey, ink, tables, dpi, skew, unrotate, red if red.any() else None)


def _grid_lines(
    horizontal: np.ndarray,
    vertical: np.ndarray,
    veiled: np.ndarray,
    tables: tuple[TableGrid, ...],
    dpi: float,
) -> np.ndarray:
    """The ruling lines of the tables' grids: the line masks near the grid's own lines (a long
    stroke of text elsewhere is kept, and so is text touching a line). Down a column line's
    band, row by row, only the pixel columns its ink runs along for half the row or more: a
    digit printed flush against the line (a web page's cells have no padding) keeps its strokes
    (its 1 is no part of the line, nor its 0's side)."""
    near = max(2, round(dpi * 0.012))
    lines = np.zeros_like(horizontal)
    for table in tables:
        x0, y0, x1, y1 = table.box
        for top, bottom in table.y_bands:
            band = slice(max(0, top - near), bottom + near + 1), slice(x0, x1 + 1)
            lines[band] |= horizontal[band]
        rows = [(a[1] + 1, b[0]) for a, b in itertools.pairwise(table.y_bands)]
        for left, right in table.x_bands:
            across = slice(max(0, left - near), right + near + 1)
            band = slice(y0, y1 + 1), across
            lines[band] |= np.where(
                _along_rows(vertical[:, across], veiled[:, across], rows, y0, y1), vertical[band], 0
            )
    return lines


def _along_rows(
    vertical: np.ndarray, veiled: np.ndarray, rows: list[tuple[int, int]], y0: int, y1: int
) -> np.ndarray:
    """For the rows ``y0`` to ``y1`` of a column line's band: where its ink is the line's own, the
    pixel columns it runs along for half a row or more (counting where a seal hides it), each
    row apart; the horizontal lines' bands between the rows, whole."""
    along = np.ones((y1 + 1 - y0, vertical.shape[1]), bool)
    for top, bottom in rows:
        if bottom > top:
            run = vertical[top:bottom] > 0
            along[top - y0 : bottom - y0] = (run | veiled[top:bottom]).mean(axis=0) >= _HALF_A_ROW
    return along


def mask_red(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The page in grey with red ink (a seal) taken off, where the red was, and what is left of
    the seal's strokes without their colour.

    Red is told by its hue and saturation (a grey shaded row has none, and stays grey). Seal
    ink multiplies what is under it, so each red pixel is divided by the brightest red near
    it (the seal on bare paper): seal on paper turns white, black text and grey ruling lines
    under the seal come back as they were printed. Blur and JPEG leave the strokes' edges light
    grey among the red, their colour gone: ``faded``, to be taken off the page for its text once
    the ruling lines are found (a thin line is light grey too)."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    hue, saturation, value = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    reddish = ((hue <= 10) | (hue >= 160)) & (value >= _RED_VALUE)
    red = reddish & (saturation >= 60)
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    faded = np.zeros_like(grey)
    if red.any():
        paper_red = cv2.dilate(np.where(red, value, 0).astype(np.uint8), np.ones((9, 9), np.uint8))
        tinted = reddish & (saturation >= 25) & (paper_red > 0)  # a seal's pale rim too
        under = np.clip(255.0 * value / np.maximum(paper_red, 1), 0, 255)
        under[under >= _PAPER] = 255  # the seal alone, a little darker at its rims
        grey[tinted] = under[tinted].astype(np.uint8)
        near_red = cv2.dilate(red.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
        faded[near_red & ~tinted & (grey >= _SEAL_RIM)] = 255  # (text under the red is tinted)
    return grey, red.astype(np.uint8) * 255, faded


def _seal_on_paper(grey: np.ndarray, red: np.ndarray) -> np.ndarray:
    """Where red ink lies on bare paper, its blurred rim included: what the page is without
    the seal (``grey``) is paper there."""
    paper = np.where(grey >= 200, 255, 0).astype(np.uint8)
    near_red = cv2.dilate(cv2.bitwise_and(red, paper), np.ones((5, 5), np.uint8))
    return cv2.bitwise_and(near_red, paper)


def ink_of(grey: np.ndarray, contrast: int = 25) -> np.ndarray:
    """Ink as white on black: ``contrast`` grey levels darker than its neighbourhood (a shaded
    row's ground is not ink). Ruling lines are looked for with less contrast (a light grey
    line is still a line; the long runs they need keep grain and specks out)."""
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, contrast)


def skew_angle(ink: np.ndarray) -> float:
    """The rotation (degrees) that makes the page's lines of ink horizontal: the angle whose row
    profile is sharpest, searched coarse then fine on a reduced page."""
    scale = 800 / max(ink.shape)
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if not small.any():
        return 0.0
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(small, cv2.getRotationMatrix2D(centre, angle, 1.0), small.shape[::-1])
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 0.01, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.51, 0.1), key=sharpness)
    return round(float(best), 2) if abs(best) >= 0.05 else 0.0


def ruling_lines(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines: long thin runs of ink, small gaps bridged."""
    gap = max(2, round(dpi * 0.01))
    long_run = max(20, round(dpi * _LINE))
    stroke = max(10, round(dpi * _STROKE))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_OPEN, np.ones((1, long_run), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((gap, 1), np.uint8))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_OPEN, np.ones((stroke, 1), np.uint8))
    return horizontal, vertical


def _veiled(red: np.ndarray) -> np.ndarray:
    """Where a seal's red may hide a ruling line: its ink, a pixel or two round it (its ring,
    blurred and saved as JPEG, breaks the lines it crosses)."""
    return cv2.dilate(red, np.ones((5, 5), np.uint8)) > 0


def find_tables(
    horizontal: np.ndarray, vertical: np.ndarray, dpi: float, veiled: np.ndarray | None = None
) -> list[TableGrid]:
    """The ruled tables: groups of ruling lines that touch, each with two columns or more.
    ``veiled``: where a seal hides what is under it (a line is judged by what can be seen)."""
    if veiled is None:
        veiled = np.zeros(horizontal.shape, bool)
    joined = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    tables = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if w < dpi or h < dpi * 0.2:
            continue
        box = slice(y, y + h), slice(x, x + w)
        grid = _grid(horizontal[box], vertical[box], veiled[box], dpi)
        if grid is not None:
            tables.append(_shifted(grid, x, y))
    return sorted(tables, key=lambda t: t.box[1])


@dataclass(frozen=True)
class _Run:
    """A run of consecutive positions where a ruling line may lie: where it peaks, its extent."""

    at: int
    first: int
    last: int


def _positions(profile: np.ndarray, least: float) -> list[_Run]:
    """Each run of consecutive positions at ``least`` or more, with where ``profile`` peaks in
    it (a line, or a stroke of text beside it: each run is judged on its own)."""
    at = np.flatnonzero(profile >= least)
    if at.size == 0:
        return []
    runs = np.split(at, np.flatnonzero(np.diff(at) > 1) + 1)
    return [_Run(int(run[np.argmax(profile[run])]), int(run[0]), int(run[-1])) for run in runs]


def _grid(horizontal: np.ndarray, vertical: np.ndarray, veiled: np.ndarray, dpi: float) -> TableGrid | None:
    _height, _width = horizontal.shape
    near = max(3, round(dpi * 0.025))
    y_lines = _apart(_positions((horizontal > 0).sum(axis=1), max(20, dpi * _LINE)), near)
    if len(y_lines) < 2:
        return None
    x_lines = _column_lines(horizontal, vertical, veiled, y_lines, dpi, near)
    closed = _closed_at_page_breaks(y_lines, [line[0].at for line in x_lines], vertical, dpi, near)
    if closed != y_lines:
        y_lines, x_lines = closed, _column_lines(horizontal, vertical, veiled, closed, dpi, near)
    rows = _insides(y_lines)
    cols = _insides(x_lines)
    xs, ys = [line[0].at for line in x_lines], [line[0].at for line in y_lines]
    if len(xs) < 3:  # one column: not a grid of cells (lines of text, read as such)
        return None
    x_bands, y_bands = _bands(x_lines), _bands(y_lines)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            inside = slice(*rows[r]), slice(None)
            if c + 1 < n_cols and not _covered(
                vertical[inside], veiled[inside], x_bands[c + 1], near, axis=0
            ):
                parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            inside = slice(None), slice(*cols[c])
            if r + 1 < n_rows and not _covered(
                horizontal[inside], veiled[inside], y_bands[r + 1], near, axis=1
            ):
                parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
    members: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            members.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = []
    for group in members.values():
        r0, c0 = min(r for r, _ in group), min(c for _, c in group)
        r1, c1 = max(r for r, _ in group), max(c for _, c in group)
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    box = (xs[0], ys[0], xs[-1], ys[-1])
    return TableGrid(box, tuple(xs), tuple(ys), tuple(cells), x_bands, y_bands)


def _column_lines(
    horizontal: np.ndarray,
    vertical: np.ndarray,
    veiled: np.ndarray,
    y_lines: list[list[_Run]],
    dpi: float,
    near: int,
) -> list[list[_Run]]:
    """The vertical lines that bound cells between the horizontal ``y_lines``, and the edges."""
    rows = _insides(y_lines)
    x_runs = _with_edges(_positions((vertical > 0).sum(axis=0), max(10, dpi * _STROKE)), horizontal, near)
    x_runs = [
        run
        for i, run in enumerate(x_runs)
        if i in (0, len(x_runs) - 1) or _is_column_line(vertical, veiled, run.at, rows, near)
    ]
    return _apart(x_runs, near)


def _closed_at_page_breaks(
    y_lines: list[list[_Run]], xs: list[int], vertical: np.ndarray, dpi: float, near: int
) -> list[list[_Run]]:
    """The horizontal lines, with a line where the column lines at ``xs`` end beyond the last
    (or before the first) horizontal one: a table broken by a page leaves its last row there open
    at the bottom (or the next page's first row open at the top), its column lines running on to
    where the row ends. Only where most column lines run on, unbroken, to within a line's width
    of the same place, a row's height beyond the line."""
    if len(xs) < 3:
        return y_lines
    bands = [np.asarray((vertical[:, max(0, x - near) : x + near + 1] > 0).any(axis=1)) for x in xs]
    least, spread = dpi * _ROW, 2 * near
    last, first = y_lines[-1][-1].last, y_lines[0][0].first
    bottom = _common_end([_run_end(band, last + 1, 1) for band in bands], spread)
    if bottom is not None and bottom - last >= least:
        y_lines = [*y_lines, [_Run(bottom, bottom, bottom)]]
    top = _common_end([_run_end(band, first - 1, -1) for band in bands], spread)
    if top is not None and first - top >= least:
        y_lines = [[_Run(top, top, top)], *y_lines]
    return y_lines


def _run_end(band: np.ndarray, start: int, step: int) -> int:
    """Where the ink of ``band`` that goes on from ``start`` (down for ``step`` 1, up for -1) ends,
    gaps of a pixel or two bridged; ``start`` less one step where there is none."""
    at, gap, end = start, 0, start - step
    while 0 <= at < band.size and gap <= 2:
        if band[at]:
            end, gap = at, 0
        else:
            gap += 1
        at += step
    return end


def _common_end(ends: list[int], spread: int) -> int | None:
    """Where most of ``ends`` lie, within ``spread`` of their median; None if they do not agree."""
    common = int(np.median(ends))
    return common if sum(abs(end - common) <= spread for end in ends) * 2 > len(ends) else None


def _apart(runs: list[_Run], near: int) -> list[list[_Run]]:
    """The runs grouped one group per line: a double rule is one line, at its first stroke."""
    lines: list[list[_Run]] = []
    for run in runs:
        if lines and run.at - lines[-1][-1].at <= 2 * near:
            lines[-1].append(run)
        else:
            lines.append([run])
    return lines


def _insides(lines: list[list[_Run]]) -> list[tuple[int, int]]:
    """Between each two neighbouring lines, from the last stroke of the one to the first of the
    next: the inside of a row or column of cells, where the lines that bound it must run."""
    return [(a[-1].last + 1, b[0].first) for a, b in itertools.pairwise(lines)]


def _bands(lines: list[list[_Run]]) -> tuple[tuple[int, int], ...]:
    return tuple((line[0].first, line[-1].last) for line in lines)


def _with_edges(xs: list[_Run], horizontal: np.ndarray, near: int) -> list[_Run]:
    """Column lines with the table's left and right edges (where its horizontal lines end), for
    tables printed without outer vertical lines."""
    spread = np.flatnonzero((horizontal > 0).any(axis=0))
    left, right = int(spread[0]), int(spread[-1])
    inner = [run for run in xs if left + near < run.at < right - near]
    at_left = [run for run in xs if run.at <= left + near]
    at_right = [run for run in xs if run.at >= right - near]
    return [_edge(left, at_left), *inner, _edge(right, at_right)]


def _edge(at: int, runs: list[_Run]) -> _Run:
    """A table's edge, its ink spread over the vertical strokes found there (a double rule's)."""
    return _Run(at, min([at, *(run.first for run in runs)]), max([at, *(run.last for run in runs)]))


def _is_column_line(
    vertical: np.ndarray, veiled: np.ndarray, x: int, rows: list[tuple[int, int]], near: int
) -> bool:
    """A vertical line that bounds cells in two neighbouring rows, one pixel column (give or take
    one) from end to end of both, where a seal lets it be seen: it crosses a row's line. A tall
    stroke of text, blurred onto the lines of a row it fills, stays in that row, and strokes one
    above the other stand apart."""
    band = vertical[:, max(0, x - near) : x + near + 1] > 0
    veil = veiled[:, max(0, x - near) : x + near + 1]
    spans = [_end_to_end(band[a:b], veil[a:b], _END_TO_END) for a, b in rows]
    if len(spans) == 1:
        return bool(spans[0].any())
    return any(bool((up & _widened(down)).any()) for up, down in itertools.pairwise(spans))


def _widened(columns: np.ndarray) -> np.ndarray:
    """Pixel columns with their neighbours on either side (none beyond the ends)."""
    wide = columns.copy()
    wide[1:] |= columns[:-1]
    wide[:-1] |= columns[1:]
    return wide


def _end_to_end(run: np.ndarray, veiled: np.ndarray, share: float) -> np.ndarray:
    """For each pixel column of ``run`` (a line's ink along it, row by row), whether the ink
    covers ``share`` of it, counting where a seal hides it (its ring breaks the line it crosses),
    and the ink alone most of it."""
    if not run.shape[0]:
        return np.zeros(run.shape[1:], bool)
    shown = np.asarray(run.mean(axis=0) >= _SEEN_OF_A_LINE)
    return shown & np.asarray((run | veiled).mean(axis=0) >= share)


def _covered(mask: np.ndarray, veiled: np.ndarray, band: tuple[int, int], near: int, axis: int) -> bool:
    """Whether a ruling line in ``band`` (its strokes' extent: columns for ``axis`` 0, rows for
    1) runs along ``mask``'s other side: a vertical line from end to end (it meets the lines
    above and below; a stroke of text does not), a horizontal one along most of it. Any stroke
    of the band will do: a line drifts across its band down a page scanned askew, and a
    double rule's two strokes are one line."""
    lo, hi = max(0, band[0] - near), band[1] + near + 1
    cut, veil = (mask[:, lo:hi], veiled[:, lo:hi]) if axis == 0 else (mask[lo:hi, :], veiled[lo:hi, :])
    run, hidden = np.asarray((cut > 0).any(axis=1 - axis)), np.asarray(veil.any(axis=1 - axis))
    if axis == 1 and run.size > 2 * near + 4:
        run, hidden = run[near:-near], hidden[near:-near]
    share = _END_TO_END if axis == 0 else _COVER
    return bool(_end_to_end(run[:, None], hidden[:, None], share)[0]) if run.size else False


def _shifted(grid: TableGrid, dx: int, dy: int) -> TableGrid:
    def move(box: Box) -> Box:
        return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)

    cells = tuple(GridCell(c.row, c.col, c.rows, c.cols, move(c.box)) for c in grid.cells)
    xs = tuple(x + dx for x in grid.xs)
    ys = tuple(y + dy for y in grid.ys)
    x_bands = tuple((a + dx, b + dx) for a, b in grid.x_bands)
    y_bands = tuple((a + dy, b + dy) for a, b in grid.y_bands)
    return TableGrid(move(grid.box), xs, ys, cells, x_bands, y_bands)
