"""Segmenting: the six sections, the title (agency, year) and the table format.

Headings are found by their numeral and a keyword of the section, in order, so the
rows of table 三 (``三、本年度办理结果``, ``四、结转下年度继续办理``) are never taken for
headings, and title variants such as ``四、因政府信息公开工作被申请行政复议、提起行政
诉讼情况`` are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalog import Format
from .models import FieldReading, Reading

SECTION_IDS = ("overview", "t2", "t3", "t4", "problems", "other")

_HEADINGS = (
    ("overview", "一", r"总体情况|概述|总体|基本情况"),
    ("t2", "二", r"主动公开"),
    ("t3", "三", r"申请"),
    ("t4", "四", r"复议|诉讼"),
    ("problems", "五", r"问题|改进|不足"),
    ("other", "六", r"其他|其它"),
)
# Markdown from converters may mark a heading with ``#`` or ``**``.
_HEADING_LINE = (
    r"^[ \t]*(?:#{{1,6}}[ \t]*)?(?:\*\*|__)?(?:第)?{numeral}(?:部分)?[、.,:\s]\s*"
    r"(?P<title>[^\n]{{0,40}}?)\s*(?:\*\*|__)?\s*$"
)
_HEADING_PATTERNS = tuple(
    (sid, re.compile(_HEADING_LINE.format(numeral=num), re.MULTILINE), re.compile(kw))
    for sid, num, kw in _HEADINGS
)

# A table may come without its section heading; its opening words still find it.
_TABLE_ANCHORS = {
    "t2": re.compile(r"^.*第二十条第.*$", re.MULTILINE),
    "t3": re.compile(r"^.*(?:本年新收|勾稽关系).*$", re.MULTILINE),
    "t4": re.compile(r"^.*行政复议.*$", re.MULTILINE),
}


@dataclass(frozen=True)
class Section:
    """A section of the report: ``[start, end)`` in the normalised text."""

    id: str
    title: str
    start: int
    body_start: int
    end: int


def find_sections(text: str) -> dict[str, Section]:
    """The sections found in ``text``, by id. Missing sections are absent."""
    found: list[tuple[str, str, int, int]] = []
    pos = 0
    for sid, heading, keyword in _HEADING_PATTERNS:
        for match in heading.finditer(text, pos):
            if keyword.search(match["title"]):
                found.append((sid, match["title"], match.start(), match.end()))
                pos = match.end()
                break
    found = _add_anchored_tables(text, found)
    sections = {}
    for i, (sid, title, start, body_start) in enumerate(found):
        end = found[i + 1][2] if i + 1 < len(found) else len(text)
        sections[sid] = Section(sid, title, start, body_start, end)
    return sections


def _add_anchored_tables(
    text: str, found: list[tuple[str, str, int, int]]
) -> list[tuple[str, str, int, int]]:
    """Place table sections whose heading is missing at their table's opening line."""
    have = {sid for sid, *_ in found}
    for sid, anchor in _TABLE_ANCHORS.items():
        if sid in have:
            continue
        after = max(
            (start for s, _, start, _ in found if SECTION_IDS.index(s) < SECTION_IDS.index(sid)),
            default=0,
        )
        match = anchor.search(text, after)
        if match:
            found.append((sid, "", match.start(), match.start()))
    found.sort(key=lambda item: item[2])
    return found


# --- title -------------------------------------------------------------------------

_TITLE = re.compile(
    r"(?P<before>[^\n]*?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<between>[^\n]*?)\s*"
    r"(?:政府信息公开|政务公开|信息公开)[^\n]{0,6}?年度?报告"
)
_AGENCY_CLEAN = re.compile(r"^[\s《“\"]+|[\s》”\"]+$|关于$")
_AGENCY_LINE = re.compile(r"^[^\s，。,.:：；;]{2,40}$")


def read_title(text: str, head_end: int) -> Reading:
    """``meta.agency`` and ``meta.year`` from the title, which lies before ``head_end``."""
    reading = Reading()
    head = text[: max(head_end, 0)] or text[:600]
    match = _TITLE.search(head)
    if match:
        reading.fields["meta.year"] = FieldReading(int(match["year"]), match.start("year"), match.end("year"))
        agency = _agency(text, match)
        if agency:
            reading.fields["meta.agency"] = agency
    for field_id in ("meta.agency", "meta.year"):
        if field_id not in reading.fields:
            reading.problem(f"{field_id} not found in the title", [field_id])
    return reading


def _agency(text: str, match: re.Match[str]) -> FieldReading | None:
    for group in ("before", "between"):
        name = _AGENCY_CLEAN.sub("", match[group])
        if name:
            start = match.start(group) + match[group].index(name)
            return FieldReading(name, start, start + len(name))
    # The agency on a line of its own above the title line.
    line_start = text.rfind("\n", 0, match.start()) + 1
    for line in reversed(text[:line_start].splitlines(keepends=True)):
        line_start -= len(line)
        name = line.strip()
        if not name:
            continue
        if _AGENCY_LINE.match(name):
            start = line_start + line.index(name)
            return FieldReading(name, start, start + len(name))
        return None
    return None


# --- format ------------------------------------------------------------------------

_FORMAT_MARKERS = (
    (Format.F2021, re.compile(r"本年制发件数|本年废止件数|现行有效件数")),
    (Format.F2019, re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量")),
    (Format.F2021, re.compile(r"逾期不补正|缴纳费用|收费通知")),
)


def format_of_marker(marker: str) -> Format | None:
    """The format a header marker such as ``本年制发件数`` belongs to."""
    return next((fmt for fmt, pattern in _FORMAT_MARKERS if pattern.fullmatch(marker)), None)


def detect_format(text: str, sections: dict[str, Section], year: int | None) -> tuple[Format, FieldReading]:
    """The table format, from the tables' own headers; the year decides only if they are silent."""
    regions = [sections[s] for s in ("t2", "t3") if s in sections]
    for fmt, marker in _FORMAT_MARKERS:
        for section in regions:
            match = marker.search(text, section.start, section.end)
            if match:
                return fmt, FieldReading(str(fmt), match.start(), match.end())
    fmt = Format.F2021 if year is None or year >= 2021 else Format.F2019
    return fmt, FieldReading(str(fmt), None, None, confident=False, note="no table header tells the format")
