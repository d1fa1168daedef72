"""Segmenting: the six sections, the title (agency, year) and the table format.

Headings are told by a numeral mark (``一、``, ``第二部分``, ``附表1``, markdown ``#``/``**``
around it) and a keyword of the section in their title, not by their number: reports number
their sections differently, and some attach the three tables at the end under headings of
their own. A table's section starts at the heading right before the table's own opening words
(``第二十条第``, ``勾稽关系``/``本年新收``, ``行政复议``), or at those words when no such
heading stands there, so the rows of table 三 (``三、本年度办理结果``, ``四、结转下年度继续办理``)
are never taken for headings, and title variants such as ``四、因政府信息公开工作被申请行政复议、
提起行政诉讼情况`` are. Text flattened onto one line (a crawler's copy) has its headings
inside lines; they are found there when no line starts with one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .catalog import Format
from .models import FieldReading, Reading, Value
from .values import YEAR, year_value

SECTION_IDS = ("overview", "t2", "t3", "t4", "problems", "other")
TABLE_IDS = ("t2", "t3", "t4")

_KEYWORDS = {
    "overview": re.compile(r"总体情况|概述|总体|基本情况"),
    "t2": re.compile(r"主动公开"),
    "t3": re.compile(r"申请"),
    "t4": re.compile(r"复议|诉讼"),
    "problems": re.compile(r"问题|改进|不足"),
    "other": re.compile(r"其他|其它"),
}
_NUMERALS = "一二三四五六七八九十"
_MARK = (
    rf"第?[{_NUMERALS}]{{1,3}}(?:部分)?(?:[、.．,，:：]|[ \t　]+)"
    r"|附[ \t]*表[ \t]*[一二三四五六1-6]?[ \t]*[、.．:：]?"
    r"|表[ \t]*[一二三四1-6][ \t]*[、.．:：]?"
)
# A heading is a short line of its own; markdown from converters may mark it with # or **.
# (The leading white space is taken whole, *+: none of what follows starts with it, and giving
# it back would only retry the same line, a third of the scan's time. So is the white space and
# bold mark after the title: how they share the line's end changes no match, and trying every
# way, for every length of the title, is slow over a line padded with spaces, as pandoc pads.)
_HEADING_LINE = re.compile(
    rf"^[ \t]*+(?:#{{1,6}}[ \t]*)?(?:\*\*|__)?[ \t]*(?P<mark>{_MARK})[ \t]*"
    r"(?P<title>[^\n\t|]{0,40}?)[ \t]*+(?:\*\*|__)?+[ \t]*+$",
    re.MULTILINE,
)
# A section's standard title on a line of its own, numbered otherwise (1.) or not at all (a
# copy of a Word file whose headings were numbered automatically loses their numbers).
_STANDARD_TITLE = (
    r"总体情况|概述|主动公开政府信息(?:工作)?情况|收到和处理政府信息公开申请(?:情况)?"
    r"|(?:政府信息公开)?行政复议[、和及]?行政诉讼(?:情况)?"
    r"|(?:存在的)?主要问题(?:及|和|与)?改进(?:情况|措施)?|其他需要报告的事项"
)
_STANDARD_HEADING_LINE = re.compile(
    rf"^[ \t]*(?:#{{1,6}}[ \t]*)?(?:\*\*|__)?[ \t]*"
    rf"(?P<mark>(?:{_MARK}|\d{{1,2}}[、.．]|[(（](?:\d{{1,2}}|[{_NUMERALS}]{{1,2}})[)）]|、)?)"  # (、 alone:
    # its numeral split off)
    rf"[ \t]*(?P<title>{_STANDARD_TITLE})[ \t]*(?:\*\*|__)?[ \t]*$",
    re.MULTILINE,
)
# Words every standard title holds one of (a line without any cannot be such a heading).
_STANDARD_WORDS = (
    "总体情况",
    "概述",
    "主动公开政府信息",
    "收到和处理政府信息公开申请",
    "行政复议",
    "主要问题",
    "其他需要报告的事项",
)
# Inside a flattened line: a numeral mark and the words after it, up to a number or a full stop.
_HEADING_INLINE = re.compile(
    rf"(?P<mark>[{_NUMERALS}]、)"
    rf"(?P<title>(?:(?![{_NUMERALS}]、|[(（][{_NUMERALS}]|第[{_NUMERALS}]+条)(?:[^\d\n。；;]|\n(?!\n))){{1,40}})"
)  # the words after the mark, up to a number, a full stop, the next mark or sub-heading (a line
# wrapped at a page's width may break them)
_SENTENCE_END = re.compile(r"[。；;]")  # a heading holds no sentence
_PIPE_ROW = re.compile(r"^[ \t]*\|[^\n\d]{4,80}\|[ \t|]*$", re.MULTILINE)  # a row of words, no number
_MARKUP = 8  # characters of markdown and spaces a heading line may open with
# A table may come without its section heading; its opening words still find it. Those of
# table 四 are also the words of its heading; the others stand in the table itself.
_TABLE_ANCHORS = {
    "t2": re.compile(r"第二十条第"),
    "t3": re.compile(r"勾稽关系|本年新收"),
    "t4": re.compile(r"行政复议"),
}
_ANCHOR_IN_HEADING = frozenset({"t4"})
_INLINE_LINE = 80  # an anchor further into its line than this is inside flattened text


@dataclass(frozen=True)
class Section:
    """A section of the report: ``[start, end)`` in the normalised text."""

    id: str
    title: str
    start: int
    body_start: int
    end: int


@dataclass(frozen=True)
class _Heading:
    start: int
    body_start: int
    title: str
    end: int  # where its words end


def find_sections(text: str) -> dict[str, Section]:
    """The sections found in ``text``, by id. Missing sections are absent."""
    headings = _without_contents(text, _headings(text))
    found: dict[str, _Heading] = {}
    overview = _first(headings, "overview", 0)
    if overview:
        found["overview"] = overview
    bound = overview.start if overview else 0
    tables_from = None
    for table in TABLE_IDS:
        placed, bound = _table_heading(text, table, headings, bound)
        if placed:
            found[table] = placed
            tables_from = placed.start if tables_from is None else tables_from
    # five and six stand before the tables (when those are attached at the end) or after them
    outside = [h for h in headings if tables_from is None or h.start < tables_from or h.start > bound]
    after = overview.start if overview else 0
    for prose in ("problems", "other"):
        heading = _first(outside, prose, after)
        if heading:
            found[prose] = heading
            after = heading.start
    ordered = sorted(found.items(), key=lambda item: item[1].start)
    last = _next_report(text, headings, ordered[-1][1]) if ordered else len(text)
    sections = {}
    for i, (sid, heading) in enumerate(ordered):
        end = ordered[i + 1][1].start if i + 1 < len(ordered) else last
        sections[sid] = Section(sid, heading.title, heading.start, heading.body_start, end)
    return sections


def _next_report(text: str, headings: list[_Heading], last: _Heading) -> int:
    """Where the text goes on with another report (a compilation of several) after the ``last``
    section's heading: the title before the next 一、总体情况 heading (its agency's line first),
    or that heading; the text's end when none follows."""
    heading = _first(headings, "overview", last.start + 1)
    if heading is None:
        return len(text)
    titles = _title_lines(text, last.body_start, heading.start)
    if not titles:
        return heading.start
    agency = _agency(text, titles[-1])  # (perhaps on a line of its own above the title line)
    above = agency.start if agency and agency.start is not None and agency.start >= last.body_start else None
    return text.rfind("\n", 0, min(titles[-1].start(), above or len(text))) + 1


def _headings(text: str) -> list[_Heading]:
    """Every heading-like line; in a flattened text, every numbered heading inside its lines."""
    lines = [
        _Heading(m.start(), min(m.end() + 1, len(text)), m["title"], m.end())
        for m in _HEADING_LINE.finditer(text)
        if not m["title"][-1:].isdigit() and not _SENTENCE_END.search(m["title"])
    ]
    numbered = {h.start for h in lines}
    standard = [
        _Heading(m.start(), min(m.end() + 1, len(text)), m["title"], m.end())
        for m in _standard_heading_lines(text)
        if m.start() not in numbered
    ]
    standard += _headings_in_table_rows(text)
    if standard:
        lines = sorted(lines + standard, key=lambda h: h.start)
    if all(any(_KEYWORDS[s].search(h.title) for h in lines) for s in ("overview", "problems", "other")):
        return lines
    taken = {h.start for h in lines}  # the rest may stand inside lines: text joined into paragraphs
    inline = [
        _Heading(m.start(), m.end("mark"), m["title"].replace("\n", ""), m.end())
        for m in _HEADING_INLINE.finditer(text)
        if not any(m.start() - _MARKUP <= start <= m.start() for start in taken)
    ]
    return sorted(lines + inline, key=lambda h: h.start)


def _without_contents(text: str, headings: list[_Heading]) -> list[_Heading]:
    """The headings less a table of contents: in a run of headings one after another with
    nothing between, those that stand again further on, when three or more do (a contents
    list without page numbers, the first section's heading right after it)."""
    last = {h.title.strip(): k for k, h in enumerate(headings)}
    contents: set[int] = set()
    i = 0
    while i < len(headings):
        j = i
        while j + 1 < len(headings) and _nothing_between(text, headings[j].end, headings[j + 1].start):
            j += 1
        again = [k for k in range(i, j + 1) if last[headings[k].title.strip()] > k]
        if len(again) >= 3:
            contents.update(again)
        i = j + 1
    return [h for k, h in enumerate(headings) if k not in contents] if contents else headings


_HEADINGS_APART = 3  # line breaks at most between headings one after another


def _nothing_between(text: str, start: int, end: int) -> bool:
    """Only white space between two headings (a layout text pads its lines with it), or a
    list's bullet or a markdown heading's #, over a few line breaks at most."""
    return (
        _MARKS_BETWEEN.fullmatch(text, start, end) is not None
        and text.count("\n", start, end) <= _HEADINGS_APART
    )


_MARKS_BETWEEN = re.compile(r"[\s\-*+•·#]*")


def _headings_in_table_rows(text: str) -> list[_Heading]:
    """A section's standard heading caught in a markdown table row, cut into its cells (a PDF
    converter took the heading above a table for the table's first row: ``|四、政府信息公开行政复|
    议、行政诉讼情况|||``): the row's cells joined make the heading, and hold nothing else."""
    found = []
    for row in _PIPE_ROW.finditer(text) if "\n|" in text else ():
        joined = row.group().replace("|", "").strip()
        heading = _STANDARD_HEADING_LINE.fullmatch(joined)
        if heading and heading["mark"]:
            found.append(_Heading(row.start(), min(row.end() + 1, len(text)), heading["title"], row.end()))
    return found


def _standard_heading_lines(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`_STANDARD_HEADING_LINE` in ``text``, looked for only on the lines
    that hold one of :data:`_STANDARD_WORDS` (found by plain search, fast)."""
    for line in sorted({text.rfind("\n", 0, at) + 1 for at in _places(text, _STANDARD_WORDS)}):
        if found := _STANDARD_HEADING_LINE.match(text, line):
            yield found


def _places(text: str, words: tuple[str, ...]) -> Iterator[int]:
    """Where each of ``words`` stands in ``text``."""
    for word in words:
        at = text.find(word)
        while at >= 0:
            yield at
            at = text.find(word, at + 1)


def _first(headings: list[_Heading], section: str, after: int) -> _Heading | None:
    keyword = _KEYWORDS[section]
    return next((h for h in headings if h.start >= after and keyword.search(h.title)), None)


def _table_heading(
    text: str, table: str, headings: list[_Heading], bound: int
) -> tuple[_Heading | None, int]:
    """Where a table's section starts: the heading right before the table's opening words when
    it names the table, else those words; without them, the first heading naming the table.
    Also the position the next table is looked for after."""
    anchor = _TABLE_ANCHORS[table].search(text, bound)
    if anchor is None:
        heading = _first(headings, table, bound)
        return heading, heading.body_start if heading else bound
    allowed_own = table in _ANCHOR_IN_HEADING  # may the opening words be the heading's own words?
    last = next(
        (
            h
            for h in reversed(headings)
            if bound <= h.start <= anchor.start() and (allowed_own or anchor.start() >= h.end)
        ),
        None,
    )
    if last and _KEYWORDS[table].search(last.title):
        return last, anchor.end()
    at = _table_start(text, table, anchor.start())
    return _Heading(at, at, "", at), anchor.end()


def _table_start(text: str, table: str, anchor: int) -> int:
    """Where a table without a heading line starts: at its line's start; inside flattened text
    (far into its line, or after another table's numbers there: rows run together, then wrapped
    at a page's width), at its heading run into the line, else at its opening words."""
    line_start = text.rfind("\n", 0, anchor) + 1
    before = text[line_start:anchor]
    if anchor - line_start < _INLINE_LINE and not any(ch.isdigit() for ch in before):
        return line_start
    inline = [m for m in _HEADING_INLINE.finditer(before) if _KEYWORDS[table].search(m.group("title"))]
    return line_start + inline[-1].start() if inline else anchor


# --- title -------------------------------------------------------------------------

_TITLE = re.compile(
    rf"(?P<before>[^\n]*?)[ \t]*(?P<year>{YEAR})\s*年度?[ \t]*\n?[ \t]*"
    r"(?P<between>(?:(?!\d{4}\s*年)[^\n])*?)[ \t]*\n?[ \t]*"  # (no other year in it: a breadcrumb's)
    r"(?:政府信息[ \t\u3000]?公开|政务公开|信息公开)(?:[^\n]|[ \t]*\n(?:[ \t]*\n)?[ \t]*){0,8}?"
    r"(?:(?:年\s*度?\s*)?报\s*告|年\s*报)"
)  # the title may run over two lines (a blank line between them only after its 政府信息公开: two
# paragraphs of a Word file), the year may come first (in Chinese numerals too), and some titles
# call it a 工作报告, or a 年报
# The year after the words (某局政府信息公开工作2023年度报告, as tax bureaus title theirs), or
# last, after 报告 (某局政府信息公开工作年度报告（2024年度）, or on the next line): each title
# is the name before its words, the words looked for first (a fast scan, from where they start).
_YEAR_AFTER_WORDS_SOURCE = (
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:[ \t]*\n)?[ \t]*"
    rf"(?P<year>{YEAR})\s*年\s*度?\s*(?P<between>)(?:工作)?\s*报\s*告"
)
_YEAR_LAST_WORDS_SOURCE = (
    r"(?:报\s*告|年\s*报)[ \t]*\n?[ \t]*[(（]?[ \t]*"
    rf"(?P<year>{YEAR})[ \t]*年[ \t]*度?[ \t]*[)）]?(?P<between>)[ \t]*(?=\n|\Z)"
)
_NAME_BEFORE = r"(?P<before>[^\n]*?)[ \t]*"
_YEAR_AFTER_WORDS = re.compile(_YEAR_AFTER_WORDS_SOURCE)
_TITLE_YEAR_AFTER = re.compile(_NAME_BEFORE + _YEAR_AFTER_WORDS_SOURCE)
_YEAR_LAST_WORDS = re.compile(_YEAR_LAST_WORDS_SOURCE)
_TITLE_YEAR_LAST = re.compile(
    _NAME_BEFORE
    + r"(?:政府信息公开|政务公开|信息公开)(?:工作)?[ \t]*(?:年\s*度\s*)?"
    + _YEAR_LAST_WORDS_SOURCE
)
# What stands around an agency's name in a title line and is not the name: markdown (and its
# escapes, \_; a list's bullet), a label (标题：, letter-spaced 标 题：), quotes, a print header's
# date and time, a leading 关于 (印发…: a notice that publishes the report).
_AGENCY_NOISE = re.compile(
    r"^(?:[\s#>*_\\|《“\"【\[•·+-]|(?:标[ \t]*题|题[ \t]*目|名[ \t]*称|文件名称)\s*[:：|]?"
    r"|\d{1,4}[/-]\d{1,2}[/-]\d{1,4},?"
    r"|(?:上午|下午)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:AM|PM|上午|下午)?|关于|印发|转发|公布|发布)+"
    # (…汇总2021年度某镇人民政府的政务公开年度报告: no name ends with 的)
    # (and a name's short form after it: …发展改革局（以下简称发改局）)
    r"|(?:[\s*_\\|》”\"】\]]|关于|的|[(（](?:以下)?简称[^()（）]*[)）])+$"
)
_AGENCY = re.compile(r"^(?=.*[\u4e00-\u9fff])[^\s，。,.:：；;]{2,40}$")  # (some Chinese: no markup)
# A title's 报告 where its line ends (after quotes, markup or a note: （全文）): a title line, or a
# link to a report; not a sentence quoting one (现发布《…年度报告》，本报告…).
_TITLE_LINE_END = re.compile(
    r"报\s*告(?=[ \t》”\"】\]）)*_|]*(?:[(（][^)）\n]{0,20}[)）])?[ \t*_|]*(?:\n|\Z))"
)
_AGENCY_END = re.compile(
    r"(?:局|委员会|委|办公室|办公厅|办|厅|政府|院|会|室|处|所|区|县|市|镇|乡|街道|中心|部|署|站|队|馆|社|司|集团|学校|大学)$"
)


def read_title(text: str, head_end: int) -> Reading:
    """``meta.agency`` and ``meta.year`` from the title, which lies before ``head_end``; doubtful
    when the head holds the titles of other reports too (a web page's links to them)."""
    reading = Reading()
    head = text[: max(head_end, 0)] or text[:600]
    match = _title(head, 0, len(head))
    while match and _names_another_document(head, match):
        match = _title(head, match.end(), len(head))
    if match:
        year = year_value(match["year"])
        reading.fields["meta.year"] = FieldReading(year, match.start("year"), match.end("year"))
        if (stated := _years_of(_periods(text, head))) and year not in stated:
            found = reading.fields["meta.year"]
            found.confident = False
            found.note = (
                f"the title's year is not the statistics period's ({', '.join(map(str, sorted(stated)))})"
            )
        agency = _agency(text, match) or _agency_of_a_repeated_title(text, head, match)
        if agency:
            reading.fields["meta.agency"] = agency
            if (place := _place_above(text, agency)) is not None:
                agency.confident = False
                agency.note = f"the name may begin on the line above ({place}): a title wrapped inside it"
        named = {(year, agency.value if agency else None)}
        named |= {_named(text, other) for other in _title_lines(head, match.end(), len(head))}
        if len({y for y, _ in named}) > 1 or len({a for _, a in named if a}) > 1:
            why = "the head names other reports too: " + "; ".join(
                f"{a or '?'} {y}" for y, a in sorted(named, key=str)
            )
            for found in reading.fields.values():
                found.confident, found.note = False, why
    else:
        _read_without_a_year(text, head, max(head_end, 0), reading)
    for field_id in ("meta.agency", "meta.year"):
        if field_id not in reading.fields:
            reading.problem(f"{field_id} not found in the title", [field_id])
    return reading


# A title that names no year, on a line of its own (某局政府信息公开工作年度报告; no sentence's
# tail: 《关于印发中华人民共和国政府信息公开工作年度报告 / 格式》 wrapped at 报告).
_YEARLESS_TITLE = re.compile(
    r"^(?P<before>[^\n，。,、；;：:《》〈〉“”\"()（）]*?)[ \t]*(?:政府信息公开|政务公开)(?:工作)?[ \t]*"
    r"(?:年\s*度\s*)?(?:报\s*告|年\s*报)"
    r"(?P<between>)[ \t]*$",
    re.MULTILINE,
)
# The statistics period the form asks every report to state (统计期限自2023年1月1日起至12月31日止).
_PERIOD = re.compile(
    rf"(?P<year>{YEAR})\s*年\s*(?:1|一)\s*月\s*(?:1|一)\s*日\s*(?:起\s*)?(?:至|到|—|－|-|～|~)\s*"
    rf"(?:(?P<last>{YEAR})\s*年\s*)?(?:12|十二)\s*月\s*(?:31|三十一)\s*日\Z"
)  # (\Z: looked for where one ends, the search's end)
_PERIOD_END = re.compile(r"月\s*(?:31|三十一)\s*日")  # (opening with a character: a fast scan)
_PERIOD_SPAN = 80  # characters a period's start may stand before its end (spaces of a layout copy among them)
_PERIOD_REACH = 3000  # characters past the head the period is looked for in (the overview's opening)


def _read_without_a_year(text: str, head: str, body: int, reading: Reading) -> None:
    """A title that names no year: the agency from it, the year from the statistics period
    the report states (doubtful when it states several), else from a sentence of the overview
    (from ``body`` on: where the report's first section starts)."""
    if (title := _YEARLESS_TITLE.search(head)) and (agency := _agency(text, title)):
        reading.fields["meta.agency"] = agency
    if periods := _periods(text, head):
        first = periods[0]
        note = "from the statistics period: the title names no year"
        found = FieldReading(year_value(first["year"]), first.start("year"), first.end("year"), note=note)
        found.confident = len(_years_of(periods)) == 1
        reading.fields["meta.year"] = found
    elif opening := _YEAR_OPENING.search(text, body, body + _PERIOD_REACH):
        note = "from the year a sentence of the overview opens with: no title or statistics period names it"
        year = year_value(opening["year"])
        reading.fields["meta.year"] = FieldReading(
            year, opening.start("year"), opening.end("year"), confident=False, note=note
        )


# A sentence of the overview opening with the year it tells of (2022年，我镇…; 截止2023年12月31日…).
_YEAR_OPENING = re.compile(
    r"(?:^|[。\n])[ \t]*(?:截[至止]到?)?[ \t]*(?P<year>(?:19|20)\d{2})[ \t]*年"
    r"(?:度|以来)?(?:[，,]|12月31日)",
    re.MULTILINE,
)


def _agency_of_a_repeated_title(text: str, head: str, match: re.Match[str]) -> FieldReading | None:
    """A title naming no agency, repeated below with the agency's name (2022年…报告 / 某镇人民政府
    / 2022年…报告), or named so in a sentence (…编制了某委员会2022年…报告): the name given there."""
    for other in _title_lines(head, match.end(), len(head)):
        if other["year"] == match["year"] and (agency := _agency(text, other)):
            return agency
    at = match.end()  # or a sentence naming the report (…编制了某委员会2022年…年度报告)
    while (said := _title(head, at, len(head))) is not None:
        named = _agency(text, said) if said["year"] == match["year"] else None
        if named and _REPORT_NAMED.search(text, said.start("before"), said.end("before")):
            return named
        at = said.end()
    return None


def _names_another_document(text: str, match: re.Match[str]) -> bool:
    """The title's words inside a quoted name that goes on past them: another document's
    (《关于认真做好2022年度政府信息公开工作年度报告编制工作的通知》), not this report's; or
    words naming the work of making one (为切实做好2020年度…年度报告编制及发布工作)."""
    if _REPORT_AS_WORK.match(text, match.end()):
        return True
    start, end = match.span("before")
    opened = text.rfind("《", start, end) > text.rfind("》", start, end)
    return opened and not text[match.end() : match.end() + 8].lstrip(" \t*_").startswith("》")


# After a report's words: the work of making it (…年度报告编制及发布工作, …报告的编制), no title
_REPORT_AS_WORK = re.compile(
    r"[ \t]*的?(?:编制|发布|报送|撰写|起草)(?:[及和与、](?:编制|发布|报送|撰写))?(?:工作|等)"
)


def _periods(text: str, head: str) -> list[re.Match[str]]:
    """The statistics periods stated in the head and the overview's opening, found from where
    they end (12月31日: a fast scan)."""
    ends = _PERIOD_END.finditer(text, 0, len(head) + _PERIOD_REACH)
    found = (_PERIOD.search(text, max(end.start() - _PERIOD_SPAN, 0), end.end()) for end in ends)
    return [period for period in found if period]


def _years_of(periods: list[re.Match[str]]) -> set[int]:
    """The years statistics periods state (a period's first year, and its last if it names one)."""
    stated = [m[g] for m in periods for g in ("year", "last") if m[g]]
    return {year for y in stated if (year := year_value(y)) is not None}


def _title(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first title in ``text[start:end]``, its year before or after 政府信息公开 (the
    latter looked for from the start of the line where its words are found: fast)."""
    found = [m] if (m := _title_from_a_line_start(text, start, end)) else []
    for words, title in ((_YEAR_AFTER_WORDS, _TITLE_YEAR_AFTER), (_YEAR_LAST_WORDS, _TITLE_YEAR_LAST)):
        if at := words.search(text, start, end):
            line = max(text.rfind("\n", start, at.start()) + 1, start)
            if not (match := title.match(text, line, end)) and line > start:  # (the words wrapped)
                match = title.match(text, max(text.rfind("\n", start, line - 1) + 1, start), end)
            if match:
                found.append(match)
    return min(found, key=lambda m: m.start()) if found else None


def _title_from_a_line_start(text: str, start: int, end: int) -> re.Match[str] | None:
    """``_TITLE.search(text, start, end)``, tried at line starts only: a title's ``before``
    takes any head of its line, so where one matches inside a line, one matches from the line's
    start, found first (a search tries every place of a line: slow over a layout text's long
    lines of spaces)."""
    at = start
    while (found := _TITLE.match(text, at, end)) is None:
        at = text.find("\n", at, end) + 1
        if at <= 0:
            return None
    return found


_NAME_PART = re.compile(r"[^\s，。,.:：；;<>|]{1,20}")
_PLACE_END = re.compile(r"(?:省|市|县|区|州|盟|旗|镇|乡|街道)$")
# Words a page prints alone on a line above a title that are no part of a name; and a line
# naming the kind of report (a breadcrumb's channel: 政府信息公开年报), no name's head either.
_NO_NAME_PART = re.compile(
    r"(?:附件|附表|正文|全文|目录|内容|详情|标题|文章|打印|关闭|返回|分享|通知|公告)\d*"
    r"|.*(?:信息公开|政务公开|年报|报告).*"
)


def _place_above(text: str, agency: FieldReading) -> str | None:
    """The start of the agency's name alone on the line right above a title line that opens
    with the name: a place (某某市 / 司法局2023年…报告), or words that end as no name does
    (海原县卫 / 生健康局…): the title wrapped inside the name."""
    start = agency.start or 0
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip() or line_start == 0:
        return None  # the name does not open its line
    above = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1].strip()
    if not _NAME_PART.fullmatch(above) or _NO_NAME_PART.fullmatch(above) or _AGENCY_NOISE.fullmatch(above):
        return None
    return above if _PLACE_END.search(above) or not _AGENCY_END.search(above) else None


def _named(text: str, match: re.Match[str]) -> tuple[int | None, Value]:
    """The year and the agency a title names."""
    agency = _agency(text, match)
    return year_value(match["year"]), agency.value if agency else None


def _title_lines(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The titles standing as whole lines (perhaps two) in ``text[start:end]``, found from
    where their 报告 ends a line (a fast scan; the title pattern then runs on those lines)."""
    found = []
    for mark in _TITLE_LINE_END.finditer(text, start, end):
        line = text.rfind("\n", start, mark.start())  # the line before it too: a title over two
        window = text.rfind("\n", start, line) + 1 if line >= 0 else start
        title = _title(text, max(window, start), mark.end())
        if title and title.end() == mark.end():
            found.append(title)
    return found


_NAME_OPENS = ("《", ">", "»", "›", "＞")  # after which a name may begin
# The words of a sentence that names the report it opens (现将某局2024年…报告如下, 现公布…): the
# name follows them, and must end as an agency's does.
_REPORT_NAMED = re.compile(r"(?:现将|现就|现公布|现予公布|(?:现|特)?向社会(?:公布|公开)|现发布|编制了)")
# A report's own words for its agency, never its name (本单位, 我局).
_PRONOUN_NAME = re.compile(
    r"(?:本|我)(?:单位|机关|部门|局|委|办|厅|部|院|中心|镇|乡|街道|区|县|市|会|所|站)"
    r"|(?:[省市区县]直|各)?(?:部门|单位|机关)"  # (or a kind of agency: a breadcrumb's 部门…年度报告)
)


def _agency(text: str, match: re.Match[str]) -> FieldReading | None:
    start, end = match.span("before")
    # a title quoted in a sentence (现发布《某局2024年…报告》), or at a breadcrumb's end (首页 > …)
    cut = max(text.rfind(mark, start, end) for mark in _NAME_OPENS)
    said = [m.end() for m in _REPORT_NAMED.finditer(text, start, end)]
    in_a_sentence = bool(said) and said[-1] > cut  # (现公布某局2024年政府信息公开工作年度报告)
    opens = said[-1] if in_a_sentence else cut + 1 if cut >= 0 else start
    spans = ((opens, end), match.span("between"))
    named = [found for span in spans if (found := _name_in(text, *span))]
    if in_a_sentence:
        return next((n for n in named if _ends_as_agency(str(n.value))), None)
    if named:  # the one that ends as an agency's name does (正文 2025年某某局… is a label, then the name)
        return next((n for n in named if _AGENCY_END.search(str(n.value))), named[0])
    if any(text[a:b].strip() and not _AGENCY_NOISE.fullmatch(text[a:b]) for a, b in ((start, end), spans[1])):
        return None  # words around the year that are no name: not a title line of its own
    # The agency on a line of its own above the title line.
    line_start = text.rfind("\n", 0, match.start()) + 1
    for line in reversed(text[:line_start].splitlines(keepends=True)):
        line_start -= len(line)
        if line.strip():
            return _name_in(text, line_start, line_start + len(line.rstrip("\n")))
    return None


_NAME_NOTE = re.compile(r"[(（][^()（）]*[)）]$")  # 某县发展和改革局（粮食和物资储备局）


def _ends_as_agency(name: str) -> bool:
    """The name ends as an agency's does, a bracketed second name after it aside."""
    return _AGENCY_END.search(_NAME_NOTE.sub("", name)) is not None


def _name_in(text: str, start: int, end: int) -> FieldReading | None:
    """The agency's name in ``text[start:end]`` once the noise around it is cut off."""
    piece = text[start:end]
    lead = _AGENCY_NOISE.match(piece)
    begin = lead.end() if lead else 0
    trail = _AGENCY_NOISE.search(piece, begin)
    stop = trail.start() if trail and trail.end() == len(piece) else len(piece)
    name = piece[begin:stop]
    if not _AGENCY.match(name) or _PRONOUN_NAME.fullmatch(name):
        return None
    return FieldReading(name, start + begin, start + stop)


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
