"""Where a converted PDF's characters stand on their pages: a box for every character of the text.

Kept beside the converted text (never in the output document), so a review workspace can
highlight a value on the page image: the evidence span of a field is a span of this text.
Coordinates are PDF points from the page's top-left corner (multiply by ``dpi / 72`` for a
rendered page image); pages count from 1.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


class Boxed(Protocol):
    """Anything with a box on a page: a converter's glyph."""

    @property
    def x0(self) -> float: ...
    @property
    def top(self) -> float: ...
    @property
    def x1(self) -> float: ...
    @property
    def bottom(self) -> float: ...


@dataclass(frozen=True, slots=True)
class CharBox:
    """The box of one character (or of a run of them on one line) on a page."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class PdfLayout:
    """A converted PDF's text and, per character offset, its box; characters the converter
    wrote itself (tabs between cells, line breaks, spaces between words) have none."""

    text: str
    pages: int
    _glyphs: Sequence[Boxed | None] = field(repr=False)  # per offset
    _page_starts: list[int] = field(repr=False)  # the offsets where each page's text begins
    _page_numbers: list[int] = field(repr=False)

    def box(self, offset: int) -> CharBox | None:
        """The box of the character at ``offset``, or None for one the converter wrote."""
        glyph = self._glyphs[offset]
        if glyph is None:
            return None
        page = self._page_numbers[bisect.bisect_right(self._page_starts, offset) - 1]
        return CharBox(page, glyph.x0, glyph.top, glyph.x1, glyph.bottom)

    def boxes(self, start: int, end: int) -> list[CharBox]:
        """The boxes covering ``text[start:end]``: one per run of characters on one line of a
        page (what a highlight draws)."""
        runs: list[CharBox] = []
        for offset in range(start, end):
            box = self.box(offset)
            if box is None:
                continue
            last = runs[-1] if runs else None
            if last and last.page == box.page and _same_line(last, box):
                runs[-1] = CharBox(
                    box.page,
                    min(last.x0, box.x0),
                    min(last.top, box.top),
                    max(last.x1, box.x1),
                    max(last.bottom, box.bottom),
                )
            else:
                runs.append(box)
        return runs


class LayoutBuilder:
    """Collects a converted text piece by piece with the boxes of its characters."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self._text: list[str] = []
        self._glyphs: list[Boxed | None] = []
        self._page_starts: list[int] = []
        self._page_numbers: list[int] = []

    def add(self, page: int, text: str, glyphs: Sequence[Boxed | None]) -> None:
        """``text`` on ``page``; ``glyphs`` has one entry per character, None where the
        converter wrote the character itself."""
        if len(glyphs) != len(text):
            raise ValueError(f"{len(glyphs)} boxes for {len(text)} characters")
        if not self._page_numbers or self._page_numbers[-1] != page:
            self._page_starts.append(len(self._glyphs))
            self._page_numbers.append(page)
        self._text.append(text)
        self._glyphs += glyphs

    def build(self) -> PdfLayout:
        return PdfLayout("".join(self._text), self.pages, self._glyphs, self._page_starts, self._page_numbers)


def _same_line(run: CharBox, box: CharBox) -> bool:
    return box.top < run.bottom and box.bottom > run.top and box.x0 >= run.x0
