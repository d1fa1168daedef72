"""Locating values in text: where a number is stated, where a table row's label stands.

Used to ground what a language model returns: a number counts as stated only where it
stands as a whole token (``24`` is not found inside ``2024``), and a table value only
near its row's label when the label is printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .catalog import RowSpec, TableSpec
from .tables import normal_label

_TOKEN = re.compile(
    r"(?<![\d.,])(?P<sign>[增减](?:加|少)?\s*|[+-])?(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?(?![\d,]|\.\d)"
)
# Where a report says "none" in words, per fact: the only groundings a 0 may have besides "0".
NONE_STATED = {
    "overview.applications_received": re.compile(
        r"未(?:收到|接到|受理)|没有(?:收到|接到)|无(?:依)?申请|(?:申请|收到)[^，。]{0,6}(?:为零|为0)"
    ),
    "other.processing_fee_yuan": re.compile(
        r"(?:未|无|没有|不)(?:收取|收费)[^。；]{0,20}?处理费|处理费[^。；]{0,10}?(?:为零|为0|0元)"
    ),
}
SENTENCE = re.compile(r"[^。；;\n]+")
CLAUSE = re.compile(r"[^。；;，,\n]+")
NOT_APPLICATIONS = re.compile(r"复议|诉讼|办件|政务服务")  # 申请 in these speaks of something else
NOT_PROACTIVE = re.compile(r"微信|微博|公众号|新媒体|申请")  # counts of other channels, or of applications
_LABELLED_LINE = re.compile(r"[^\d\s/—–|,.()（）、-]")


def number_tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[float, int, int]]:
    """Every number stated in ``text[start:end]``: (value, span start, span end); 减 4 is -4."""
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        number = float(match["n"].replace(",", "") + ("." + match["frac"] if match["frac"] else ""))
        sign = match["sign"] or ""
        if sign.startswith(("减", "-")):
            number = -number
        yield number, match.start(), match.end()


def find_number(text: str, value: float, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """The span of the first statement of ``value`` in ``text[start:end]``."""
    return next(((s, e) for number, s, e in number_tokens(text, start, end) if number == value), None)


# The words a statement of each prose fact is made with, and words that make it another fact.
_TOPICS = {
    "overview.proactive_total": (re.compile(r"公开|发布"), NOT_PROACTIVE),
    "overview.applications_received": (re.compile(r"申请"), NOT_APPLICATIONS),
    "overview.wechat_posts": (re.compile(r"微信|公众号"), re.compile(r"微博")),
    "overview.weibo_posts": (re.compile(r"微博"), re.compile(r"微信|公众号")),
    "other.processing_fee_yuan": (re.compile(r"处理费|收费"), None),
}


def find_number_about(field_id: str, text: str, value: float, start: int, end: int) -> tuple[int, int] | None:
    """Where ``value`` is stated as the prose fact ``field_id``: in a sentence (for the channels,
    a clause) that speaks of that fact and of no other."""
    about, other = _TOPICS[field_id]
    pieces = CLAUSE if field_id in ("overview.wechat_posts", "overview.weibo_posts") else SENTENCE
    for piece in pieces.finditer(text, start, end):
        words = piece.group()
        if about.search(words) and not (other and other.search(words)):
            span = find_number(text, value, piece.start(), piece.end())
            if span:
                return span
    return None


def find_none_stated(
    field_id: str, text: str, start: int = 0, end: int | None = None
) -> tuple[int, int] | None:
    """Where ``text`` says in words that there was none of ``field_id`` (未收到申请, 未收取信息处理费)."""
    pattern = NONE_STATED.get(field_id)
    if pattern is None:
        return None
    end = len(text) if end is None else end
    if field_id != "overview.applications_received":
        match = pattern.search(text, start, end)
        return match.span() if match else None
    for clause in CLAUSE.finditer(text, start, end):  # a clause about applications
        if "申请" in clause.group() and not NOT_APPLICATIONS.search(clause.group()):
            match = pattern.search(text, clause.start(), clause.end())
            if match:
                return match.span()
    return None


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
