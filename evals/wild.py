"""Layouts of reports in the wild: what real documents, and the converters they pass through, do
to the standard tables — each kind seen on a real report (``evals/real``, ``evals/converted``),
rendered here from records so the fixes are guarded beyond a handful of files.

* ``html_sparse`` — a web page whose blank cells are ``&nbsp;`` (zeros left blank), label
  cells spanning two columns, table 二 with a header cell spanning two columns, 元 in a cell;
* ``crawler_glued`` — a crawler's copy: a metadata header (标题：…), the body on one line, the
  tables' cells run together (``行政许可3960181``), a row's digits running into the next
  label's numbering, a sentence with the year between a table's heading and its cells;
* ``crawler_spaced`` — the same flattening by a crawler that puts a space between cells
  (``行政许可 396 0 181``): a blank cell leaves no trace;
* ``crawler_wrapped`` — the glued copy printed to a PDF and its text taken out: a space where
  words meet digits, the rows wrapped at the page's width, a heading cut at a line's end;
* ``cell_lines_plain`` — a Word file's text export: one cell per line, no tabs, a line of a
  space for an empty cell;
* ``markdown_floating`` — markdown from a PDF: row labels floated onto lines of their own above
  their rows, long labels cut with their rest on the line below, the table broken by a page;
* ``markdown_stacked`` — markdown of a PDF whose narrow label column makes the labels of two or
  three rows stack above their values, each wrapped over lines, the values printed alone; a
  cell of another row (结转下年度's total) printed out of place, alone on a line among them;
* ``layout_spaces`` — ``pdftotext -layout``: rows aligned with spaces, long labels wrapped onto
  the lines below (the values beside the first line or the last), group labels printed one
  character per line;
* ``appended_tables`` — sections numbered the agency's own way, the three tables attached at
  the end under 附表 headings;
* ``split_rows`` — table 三 as one small markdown table per row, with made-up headers;
* ``pdf_lines_sparse`` — a PDF text copy of a report with blank cells: they vanish without a
  trace, and the rows they leave short must be flagged, never read;
* ``headings_unnumbered`` — a copy of a Word file whose headings were numbered automatically:
  the numbers are lost (一、总体情况 is 总体情况), or come back as 1. 2. 3.
* ``markdown_html_tables`` — pandoc's GitHub markdown of a page: a table with merged cells is
  written as raw HTML inside the markdown, and the page's header opens it as a raw HTML block;
* ``markdown_bare_pipes`` — html2text's markdown of a page with blank cells: no outer pipes, so
  a row's blank first or last cell leaves a pipe opening or closing its line; a cell spanning
  rows (a group's label) written in the group's first row only, which it pushes one cell right;
* ``layout_wrapped_numbers`` — ``pdftotext -layout`` of a PDF whose last columns of table 三
  are narrow: a number of several digits wraps in its cell, its first digits on the lines
  above the row's line, in its columns (beside a long label's head, when the label wraps too);
* ``other_in_one_row`` — a PDF text copy of a 2021-format report whose table 三 prints
  （六）其他处理 as the one row of the 2019 form, holding the sums of its three parts;
* ``markdown_rows_broken`` — docling's markdown of a PDF: each table row a paragraph of its own,
  and a long row broken in two between its cells, the rest a paragraph below (the break after
  a pipe, or before one);
* ``plain_blank_cells`` — pandoc's plain text (or markdown) of such a page: simple tables, the
  columns drawn by rules of dashes and aligned by display width (an ideograph two), a blank
  cell as spaces or as the no-break space of its ``&nbsp;``.

Titles vary too: over two lines with the year first, a markdown ``#``, a crawler's label, a
browser print's date. Gold is the record; a cell the rendering itself leaves open (glued
digits with more than one split) is named in the gold's ``undeterminable``. Nothing here
imports the extractor.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable

from .generate import (
    COLUMNS,
    T2_ROWS,
    T2_UNITS,
    T4_COLUMNS,
    T4_GROUPS,
    _num,
    _prose,
    _t2_printed,
    _t3_printed,
    _t4_printed,
    _tail,
    blocks,
    render,
    t2_cell,
    t3_rows,
)
from .markup import SpanTable, html_table, to_html, to_markdown

Rendered = tuple[str, str | bytes, dict[str, str]]  # suffix, content, undeterminable fields


def sparse(record: dict) -> dict:
    """The record as a report that leaves its zero cells of tables 三 and 四 blank."""
    return {k: (None if k.startswith(("t3.", "t4.")) and v == 0 else v) for k, v in record.items()}


def title(f: dict, rng: random.Random) -> str:
    """The report's title, as real ones come."""
    agency, year = f["meta.agency"], f["meta.year"]
    return rng.choice(
        [
            f"{year} 年{agency}政府信息公开\n工作年度报告",
            f"# {agency} {year} 年 政府信息公开工作年度报告",
            f"{agency}\n{year}年政府信息公开工作年度报告",
            f"{year}/3/1 上午10:32 {agency}{year}年政府信息公开工作年度报告",
            # a web page's list of the document's properties, its label letter-spaced, then the title
            f"索引号: 00106-{year + 1}-00085\n\n标 题: {agency}{year}年政府信息公开工作年度报告\n\n"
            f"发布日期:{year + 1}-01-20\n\n{agency}{year}年政府信息公开工作年度报告",
            # no title line: the opening sentence names the report, after the notice it answers
            f"根据上级《关于认真做好{year}年度政府信息公开工作年度报告编制工作的通知》要求，"
            f"现向社会公开《{agency}{year}年度政府信息公开工作年度报告》。",
            f"根据《中华人民共和国政府信息公开条例》规定，现公布{agency}{year}年政府信息公开工作年度报告。",
            # a title naming no agency, repeated under the agency's name
            f"{year}年政府信息公开工作年度报告\n{agency}\n{year}年政府信息公开工作年度报告",
            # ... or named in the sentence after it
            f"{year}年政府信息公开工作年度报告\n根据《条例》的规定，编制了{agency}{year}年政府信息公开"
            "工作年度报告（以下简称《年报》）。",
            # a breadcrumb's last crumb naming a kind of agency, then the title
            f"首页 -> 政务公开 -> 政府信息公开年报 -> {year}年 -> 部门政府信息公开工作年度报告\n"
            f"{agency}{year}年政府信息公开工作年度报告",
            # a 年报; the report named in a sentence opening 现就
            f"{year}年{agency}信息公开年报",
            f"根据《条例》规定，现就{agency}{year}年度政府信息公开情况报告如下：",
            # the work of making the report named first; the name's short form after it
            f"为切实做好{year}年度政府信息公开工作年度报告编制及发布工作，现公布{agency}{year}年政府信息公开工作年度报告。",
            f"根据《条例》要求，现将{agency}（以下简称本机关）{year}年度政府信息公开工作年度报告公布如下：",
            # a page's properties, each label run into its value (标题某局…)
            f"索引号00106/{year + 1}-00085\n发布机构发文日期 {year + 1}-01-12\n"
            f"标题{agency}{year}年政府信息公开工作年度报告\n\n{agency}{year}年政府信息公开工作年度报告",
        ]
    )


# --- HTML with blank cells and spans -----------------------------------------------------


def _html_sparse(f: dict, rng: random.Random) -> Rendered:
    parts = blocks(f, rng)
    for i, block in enumerate(parts):
        if isinstance(block, SpanTable) and block.width == 4:  # table 二
            parts[i] = _wide_t2(block, f["meta.format"] == "2019")
    page = to_html(parts, f"{f['meta.agency']}{f['meta.year']}年政府信息公开工作年度报告", "utf-8", False)
    return ".html", page.replace(b"<td></td>", b"<td>&nbsp;</td>"), {}


def _wide_t2(table: SpanTable, units: bool) -> SpanTable:
    """Table 二 one column wider: the second value column spans two grid columns in the
    header, and the data rows print its value then an empty cell; 元 after the procurement
    amount."""
    rows = []
    for row in table.rows:
        if len(row) == 1:  # a 第二十条 heading across the table
            rows.append([(row[0][0], 1, 5)])
            continue
        cells = list(row)
        text, rs, cs = cells[-1]
        cells[-1] = (text, rs, cs + 1)
        header = not any(t[:1].isdigit() or t.startswith(("增", "减")) for t, _, _ in row[1:])
        if not header and len(cells) > 2:
            second = cells[2]
            cells[2:3] = [second, ("", 1, 1)]
            text, rs, cs = cells[-1]
            cells[-1] = (text, rs, cs - 1)
        elif header and len(cells) > 2:
            text, rs, cs = cells[2]
            cells[2] = (text, rs, cs + 1)
            text, rs, cs = cells[-1]
            cells[-1] = (text, rs, max(1, cs - 1))
        if units and row[0][0] == "政府集中采购" and cells[-1][0]:
            text, rs, cs = cells[-1]
            cells[-1] = (f"{text}元", rs, cs)
        rows.append(cells)
    return SpanTable(rows, 5)


# --- a crawler's flattening ----------------------------------------------------------------


def _crawler_glued(f: dict, rng: random.Random) -> Rendered:
    return _crawler(f, rng, spaced=False)


def _crawler_spaced(f: dict, rng: random.Random) -> Rendered:
    return _crawler(f, rng, spaced=True)


_PRINT_TAG = "==================== 正文 ====================\n"
# A PDF's text runs: where words meet digits, its text extraction puts a space (not where 增/减
# signs a number).
_WORDS_MEET_DIGITS = re.compile(
    r"(?<=[\u4e00-\u9fff])(?<![增减])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff])(?![增减]\d)"
)


def _crawler_wrapped(f: dict, rng: random.Random) -> Rendered:
    """A crawler's glued copy printed to a PDF, its text taken out again: a space where words
    meet digits, the body wrapped at the page's width (a heading or a label cut at a line's
    end; never between two digits, which would leave open where one number ends), perhaps
    indented by the page's margin and padded to its width."""
    suffix, text, undeterminable = _crawler(f, rng, spaced=False, apart_from_words=True)
    assert isinstance(text, str)
    header, body = text.split(_PRINT_TAG)
    body = _wrapped(_WORDS_MEET_DIGITS.sub(" ", body.strip()), width := rng.randint(84, 100))
    if rng.random() < 0.5:  # a layout-keeping extraction: the page's margin, lines padded to its width
        body = "\n".join(" " * 8 + line + " " * (width - len(line)) for line in body.split("\n"))
    return suffix, header + _PRINT_TAG + body + "\n", undeterminable


def _wrapped(text: str, width: int) -> str:
    """``text`` in lines of ``width`` columns at most (a Chinese character two), a space at a
    break dropped; a break between digits, or before a closing mark or after an opening one,
    moved back to where it may stand."""
    lines, line, used = [], "", 0
    for ch in text:
        wide = _columns(ch)
        if used + wide > width:
            cut = len(line)
            while cut > 1 and (
                _digits_around(line, cut) or line[cut:][:1] in _NO_LINE_START or line[cut - 1] in "（(“"
            ):
                cut -= 1
            lines.append(line[:cut].rstrip(" "))
            line = line[cut:].lstrip(" ")
            used = _columns(line)
        line += ch
        used += wide
    return "\n".join([*lines, line])


def _columns(text: str) -> int:
    """The columns ``text`` takes on a page's line: a Chinese character (or mark) two."""
    return sum(2 if "\u3000" <= ch <= "\uffef" else 1 for ch in text)


# A typesetter never opens a line with these (nor ends one with an opener).
_NO_LINE_START = frozenset("、，。）)：；”")


def _digits_around(line: str, cut: int) -> bool:
    """A break at ``cut`` would stand between two digits (a space between them or not)."""
    before, after = line[:cut].rstrip(" "), line[cut:].lstrip(" ")
    return bool(before[-1:].isdigit() and (after[:1].isdigit() or not after))


def _crawler(f: dict, rng: random.Random, spaced: bool, apart_from_words: bool = False) -> Rendered:
    """A crawler's copy: a metadata header, the body on one line, the tables' cells run
    together (glued) or one space apart (``spaced``: a blank cell leaves no trace).
    ``apart_from_words``: its digits will stand apart from the words by spaces."""
    agency, year = f["meta.agency"], f["meta.year"]
    header = (
        f"标题: {agency}{year}年度政府信息公开工作年度报告\n发布时间: {year + 1}-01-20 15:22\n文号: \n"
        f"发布机构: \n栏目: 政府信息公开年报\n{_PRINT_TAG}"
    )
    prose = "".join(p.strip() for p in _prose(f).split("\n") if p.strip())
    undeterminable: dict[str, str] = {}
    run = _Run(rng, spaced, undeterminable)
    tables = "".join(_lead_in(glued(f, run), year, rng) for glued in (_glued_t2, _glued_t3, _glued_t4))
    if apart_from_words:
        run.no_glue_shown()
    tail = "".join(p.strip() for p in _tail(f).split("\n") if p.strip())
    body = f"{agency}{year}年政府信息公开工作年度报告 {prose}{tables}{tail}"
    return ".txt", header + body + "\n", undeterminable


def _lead_in(table: str, year: int, rng: random.Random) -> str:
    """The table, now and then a sentence with the year between its heading and its cells, as a
    page prints it above the table (numbers of its own, a share and a count for table 二, run
    into the table's first words)."""
    heading = re.match(r"[一二三四]、[^（(]*?情况", table)
    if heading is None or rng.random() >= 0.4:
        return table
    cut = heading.end()
    shares = (
        f"，全文电子化率{rng.randint(90, 100)}%，其中政策解读{rng.randint(2, 40)}条"
        if table[0] == "二"
        else ""
    )
    return f"{table[:cut]}{year}年，本机关{table[2:cut]}如下{shares}。{table[cut:]}"


class _Run:
    """How a crawler's copy runs a row's cells together, and which fields that leaves open:
    glued digits that split more than one way, or (spaced) a row whose blank left no trace."""

    def __init__(self, rng: random.Random, spaced: bool, undeterminable: dict[str, str]) -> None:
        self.rng, self.spaced, self.undeterminable = rng, spaced, undeterminable
        self.sep = " " if spaced else ""
        self.printed: list[tuple[str, list[str]]] = []  # each row's digits, and its fields

    def no_glue_shown(self) -> None:
        """Digits apart from the words by spaces: a table none of whose digits show glue (a
        leading 0, a run too long for one number) reads each run as one value, so its rows of
        several values are open."""
        for table in ("t2.", "t3.", "t4."):
            rows = [(digits, fields) for digits, fields in self.printed if fields[0].startswith(table)]
            if not any(_GLUE_SHOWN.search(digits) for digits, _ in rows):
                for _, fields in rows:
                    if len(fields) > 1:
                        self.undeterminable.update(dict.fromkeys(fields, "glued digits that show no glue"))

    def cells(self, values: list[str], fields: list[str], check: str | None, gaps: bool = False) -> str:
        """The row's values as the copy prints them; its fields noted when that leaves them open."""
        if self.spaced:
            printed = " " + " ".join(v.replace(" ", "") for v in values if v) + " "
            if any(not v for v in values):
                self.undeterminable.update(dict.fromkeys(fields, "a blank cell left no trace"))
            return printed
        digits = _glued(values, self.rng if gaps else None)
        self.printed.append((digits, fields))
        if _split_count(digits, len(values), check) != 1:
            self.undeterminable.update(dict.fromkeys(fields, f"glued '{digits}' splits more than one way"))
        return digits


_GLUE_SHOWN = re.compile(r"(?<![\d.])(?:0\d|\d{9,}(?![\d.]))")  # (as a reader tells glue from one value)


def _glued(values: list[str], rng: random.Random | None = None) -> str:
    """Cells run together; now and then a space stands between two of them."""
    out = ""
    for i, value in enumerate(values):
        gap = " " if rng is not None and i and rng.random() < 0.15 else ""
        out += gap + value.replace(" ", "")
    return out


def _glued_t2(f: dict, run: _Run) -> str:
    out = "二、主动公开政府信息情况 "
    for head, header, data, columns in T2_ROWS[f["meta.format"]]:
        out += head + run.sep + run.sep.join(header)
        for row_id, label in data:
            values = [t2_cell(f, row_id, c) for c in columns]
            out += run.sep + label + run.cells(values, [f"t2.{row_id}.{c}" for c in columns], None)
    return out


def _glued_t3(f: dict, run: _Run) -> str:
    kinds = run.sep.join(
        ["自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    )
    out = "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，"
    out += "等于第三项加第四项之和）申请人情况" + run.sep + kinds
    labels = [
        ("new_received", "一、本年新收政府信息公开申请数量"),
        ("carried_over", "二、上年结转政府信息公开申请数量"),
    ]
    labels += [
        (r, (("三、本年度办理结果" + run.sep if i == 0 else "") + g + run.sep + lab))
        for i, (r, g, lab) in enumerate(t3_rows(f["meta.format"]))
    ]
    labels += [("total", "（七）总计"), ("carried_forward", "四、结转下年度继续办理")]
    for row_id, label in labels:
        values = [_num(f[f"t3.{row_id}.{c}"]) for c in COLUMNS]
        out += (
            run.sep
            + label.strip()
            + run.cells(values, [f"t3.{row_id}.{c}" for c in COLUMNS], "row", gaps=True)
        )
    return out


def _glued_t4(f: dict, run: _Run) -> str:
    head = run.sep.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])
    parts = [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议",
        "行政诉讼",
        head,
        "未经复议直接起诉",
        "复议后起诉",
    ]
    out = run.sep.join([*parts, head, head])
    values = [_num(f[f"t4.{g}.{c}"]) for g in T4_GROUPS for c in T4_COLUMNS]
    return out + run.cells(values, [f"t4.{g}.{c}" for g in T4_GROUPS for c in T4_COLUMNS], "groups") + " "


# the units table 二's cells print, the longest first (万元 before 元)
_CELL_UNITS = sorted({unit for units in T2_UNITS.values() for unit in units}, key=len, reverse=True)


def _split_count(digits: str, n: int, check: str | None) -> int:
    """How many ways ``digits`` split into ``n`` numbers (no leading zeros; 增/减 open a number)
    that hold the row's own sum (``row``: the last is the sum of the others; ``groups``: each
    five the last of which is the sum of four), counting up to 2."""
    found = 0

    def holds(numbers: list[int]) -> bool:
        if check == "row":
            return numbers[-1] == sum(numbers[:-1])
        if check == "groups":
            return all(numbers[i + 4] == sum(numbers[i : i + 4]) for i in range(0, 15, 5))
        return True

    def walk(rest: str, taken: list[int]) -> None:
        nonlocal found
        if found > 1:
            return
        if not rest:
            if len(taken) == n and holds(taken):
                found += 1
            return
        if len(taken) == n:
            return
        for cut in range(1, len(rest) + 1):
            piece = rest[:cut]
            sign = -1 if piece[0] == "减" else 1
            number = piece.lstrip("增减")
            if not number.isdigit() or (len(number) > 1 and number[0] == "0"):
                continue
            end = cut + len(next((u for u in _CELL_UNITS if rest.startswith(u, cut)), ""))
            if end < len(rest) and not (rest[end].isdigit() or rest[end] in "增减"):
                continue  # (a unit ends a number: 2笔984361元)
            walk(rest[end:], [*taken, sign * int(number)])

    for part in [digits]:
        walk(part.replace(" ", ""), [])
    return found


# --- one cell per line, without tabs --------------------------------------------------------


def _cell_lines_plain(f: dict, rng: random.Random) -> Rendered:
    # A text export writes an empty cell as a no-break space, or (LibreOffice's) as an empty
    # line, which a reader cannot tell from a gap between rows: those cells stay open.
    empty = rng.choice(["\xa0", ""])
    lines = [title(f, rng)]
    for block in blocks(f, rng):
        if isinstance(block, str):
            lines.append(block)
            continue
        for _, _, text, _, _ in block.placed():
            lines.append(text or empty)
    doubts = (
        {}
        if empty
        else {k: "its row has an empty line: an empty cell or a gap" for k in _rows_with_a_blank(f)}
    )
    return ".txt", "\n".join(lines) + "\n", doubts


def _rows_with_a_blank(f: dict) -> list[str]:
    """The fields of the printed rows holding a blank cell (table 三 a row each, table 四 one
    row): where such a row's values stand is open when a blank may be a gap."""
    rows: dict[str, list[str]] = {}
    for key in f:
        if key.startswith(("t3.", "t4.")):
            rows.setdefault("t4" if key.startswith("t4.") else key.rsplit(".", 1)[0], []).append(key)
    return [key for keys in rows.values() if any(f[k] is None for k in keys) for key in keys]


# --- markdown from a PDF ----------------------------------------------------------------------


def _markdown_floating(f: dict, rng: random.Random) -> Rendered:
    text = to_markdown(blocks(f, rng))
    out = []
    for line in text.split("\n"):
        cells = [c.strip() for c in line.strip("|").split("|")] if line.startswith("|") else None
        if not cells or not any(c[:1].isdigit() for c in cells) or (not cells[0] and not cells[1:2]):
            out.append(line)
            continue
        label_at = max((i for i, c in enumerate(cells) if c and not _is_value(c)), default=None)
        if label_at is None:
            out.append(line)
            continue
        label = cells[label_at]
        move = rng.random()
        if move < 0.3:  # the label floats onto a line of its own above its row
            cells[label_at] = ""
            out.append(label)
        elif move < 0.5 and len(label) > 12:  # a long label cut, its rest on the line below
            cells[label_at] = label[:8]
            out.append("| " + " | ".join(cells) + " |")
            out.append(label[8:])
            continue
        elif move < 0.62 and len(label) >= 4 and label_at + 1 < len(cells):
            # a narrow label column: the label's tail runs into the first value, and the
            # values share one cell, a line each (pymupdf4llm's <br>)
            cut = rng.randint(2, len(label) - 2)
            cells[label_at:] = [label[:cut], label[cut:] + "<br>".join(cells[label_at + 1 :])]
        elif move < 0.7 and len(label) >= 6:  # a page ends inside the row: its label goes on
            cut = rng.randint(2, len(label) - 3)  # over the next page's first row, beside blanks
            rest = [""] * len(cells)
            cells[label_at], rest[label_at] = label[:cut], label[cut:]
            out += ["| " + " | ".join(cells) + " |", f"— {rng.randint(2, 6)} —"]
            out += ["| " + " | ".join(rest) + " |", "|" + "---|" * len(cells)]
            continue
        out.append("| " + " | ".join(cells) + " |")
        if rng.random() < 0.08:  # a page ends: the table goes on as a new one
            out += [
                f"— {rng.randint(2, 6)} —",
                "| " + " | ".join([""] * len(cells)) + " |",
                "|" + "---|" * len(cells),
            ]
    return ".md", title(f, rng) + "\n\n" + "\n".join(out), {}


def _markdown_stacked(f: dict, rng: random.Random) -> Rendered:
    """Markdown of a PDF whose table 三 has runs of two or three numbered rows with their labels
    stacked above them, each wrapped over lines, and the rows' values printed alone, a small
    table each; and, sometimes, 结转下年度's total printed out of place, a line of its own among
    a run's rows, its own cell blank: that row is open to every reader."""
    text = to_markdown(blocks(f, rng))
    start, end = text.index("三、收到和处理"), text.index("四、政府信息公开行政复议")
    lines = text[start:end].split("\n")
    rows = [_numbered_cells(line) for line in lines]
    runs: list[tuple[int, int]] = []
    at = 0
    while at < len(lines):
        k = rng.choice((2, 3))
        if rows[at] is not None and all(r is not None for r in rows[at : at + k]) and rng.random() < 0.35:
            runs.append((at, at + k))
            at += k
        else:
            at += 1
    stray = _out_of_place_total(f, lines) if runs and rng.random() < 0.5 else None
    out: list[str] = []
    cut = dict(runs)
    at = 0
    while at < len(lines):
        if at not in cut:
            out.append(lines[at] if stray is None or at != stray[0] else stray[1])
            at += 1
            continue
        run = [rows[n] for n in range(at, cut[at])]
        for label, _ in run:  # type: ignore[misc]
            out += _label_over_lines(label, rng)
        for n, (_, values) in enumerate(run):  # type: ignore[misc]
            if stray is not None and at == runs[0][0] and n == len(run) - 1:
                out.append(stray[2])  # the other row's cell, between this run's last two rows
            out += ["| " + " | ".join(values) + " |", "|" + "---|" * len(values)]
        at = cut[at]
    # (its row then no longer sums: which of its cells is amiss, no identity tells)
    why = "its total printed out of place, a number alone among other rows: the row fails its sum"
    open_cells = {f"t3.carried_forward.{c}": why for c in COLUMNS} if stray is not None else {}
    body = text[:start] + "\n".join(out) + text[end:]
    return ".md", title(f, rng) + "\n\n" + body, open_cells


def _markdown_rows_broken(f: dict, rng: random.Random) -> Rendered:
    """Docling's markdown of a PDF: a blank line after every row of a table, and now and then a
    row of several values broken between two of its cells, its rest a paragraph of its own."""
    out: list[str] = []
    for line in to_markdown(blocks(f, rng)).split("\n"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        values = [n for n, c in enumerate(cells) if _is_value(c)]
        if "---" in line or not cells:
            out.append(line)
            continue
        if len(values) >= 3 and not _is_value(cells[0]) and rng.random() < 0.3:
            cut = rng.choice(values[1:])  # the rest opens with this cell
            head, rest = " | ".join(cells[:cut]), " | ".join(cells[cut:])
            if rng.random() < 0.5:
                out += [f"| {head} |", "", f"{rest} |"]
            else:
                out += [f"| {head}", "", f"| {rest} |"]
        else:
            out.append(line)
        out.append("")
    return ".md", title(f, rng) + "\n\n" + "\n".join(out), {}


def _numbered_cells(line: str) -> tuple[str, list[str]] | None:
    """A markdown row of a numbered row of table 三 (1.属于国家秘密 …): its label and values."""
    if not line.startswith("|"):
        return None
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    labels = [c for c in cells if c and not c.isdigit()]
    if len(labels) != 1 or not re.match(r"\d+\.", labels[0]):
        return None
    values = cells[cells.index(labels[0]) + 1 :]
    return (labels[0], values) if len(values) == len(COLUMNS) and all(v.isdigit() for v in values) else None


def _out_of_place_total(f: dict, lines: list[str]) -> tuple[int, str, str] | None:
    """The line of 结转下年度继续办理, its total cell blanked, and that total, when it prints one."""
    total = f["t3.carried_forward.total"]
    at = next((n for n, line in enumerate(lines) if "结转下年度" in line and line.startswith("|")), None)
    if at is None or not total:
        return None
    cells = lines[at].rstrip().rstrip("|").split("|")
    if cells[-1].strip() != _num(total):
        return None
    return at, "|".join([*cells[:-1], "  "]) + "|", _num(total)


def _label_over_lines(label: str, rng: random.Random) -> list[str]:
    """A label over lines of 6 to 10 characters, as a narrow cell of a PDF wraps it."""
    parts, rest = [], label
    while rest:
        n = rng.randint(6, 10)
        parts.append(rest[:n])
        rest = rest[n:]
    return parts


# --- pdftotext -layout ------------------------------------------------------------------------


def _layout_spaces(f: dict, rng: random.Random) -> Rendered:
    return _space_aligned(f, rng, _aligned)


def _layout_wrapped_numbers(f: dict, rng: random.Random) -> Rendered:
    return _space_aligned(f, rng, _aligned_wrapping)


def _space_aligned(
    f: dict, rng: random.Random, t3: Callable[[list[list[str]], random.Random], str]
) -> Rendered:
    """The report with its tables as space-aligned lines, table 三 as ``t3`` prints it."""
    fmt = f["meta.format"]
    tables = {
        "t2": _aligned(_t2_printed(f, fmt), rng),
        "t3": t3(_t3_printed(f, fmt, False), rng),
        "t4": _aligned(_t4_printed(f), rng),
    }
    return ".txt", _report(f, rng, tables), {}


def _aligned(rows: list[list[str]], rng: random.Random) -> str:
    """Rows as space-aligned lines: labels padded, a long one wrapped onto the lines below,
    a group label one character per line beside the rows."""
    out = []
    for row in rows:
        labels = [c for c in row if c and not _is_value(c)]
        values = [c for c in row if _is_value(c)]
        label = "".join(labels)
        if not values:
            out.append("    " + "  ".join(labels))
            continue
        wrap = 10 if len(label) > 12 and rng.random() < 0.6 else len(label)
        parts = [label[:wrap]] + [label[k : k + 4] for k in range(wrap, len(label), 4)]
        last = len(parts) > 1 and _keyed(label, values)  # the values beside the label's last line
        at = len(parts) - 1 if last else 0
        for k, part in enumerate(parts):
            line = f"  {part:<14}" if k == 0 else "                " + part
            out.append(f"{line:<16}" + "".join(f" {v:>5}" for v in values) if k == at else line)
    return "\n".join(out)


_NUMBER_CELL = re.compile(r"\d+")


def _keyed(label: str, values: list[str]) -> bool:
    """A choice made by the row's own cells, half the time, not by the generator's random
    stream (so the suite's other draws stay as they were)."""
    return zlib.crc32(f"{label}{values}".encode()) % 2 == 1


def _aligned_wrapping(rows: list[list[str]], rng: random.Random) -> str:
    """Rows as ``pdftotext -layout`` prints a PDF's table whose last columns are narrow: a number
    of several digits wraps in its cell, its first digits each on a line of its own above the
    row's line, in the number's columns; rows apart by blank lines."""
    narrow = rng.choice((1, 2))  # the last columns that wrap
    out = []
    for row in rows:
        labels = [c for c in row if c and not _NUMBER_CELL.fullmatch(c)]
        values = [c for c in row if _NUMBER_CELL.fullmatch(c)]
        if not values:
            out.append("    " + "  ".join(labels))
            continue
        label = "".join(labels)
        head_label = ""  # a long label's head, on the line above (the values beside its tail)
        if len(label) > 14 and _keyed(label, values):
            head_label, label = label[:10], label[10:]
        line = f"  {label}" + " " * max(3, 30 - len(label))
        heads: list[tuple[int, str]] = []  # (column, first digits) of each wrapped number
        for i, value in enumerate(values):
            wraps = i >= len(values) - narrow and len(value) > 1 and value.isdigit()
            heads += [(len(line), value[:-1])] if wraps else []
            line += f"{value[-1] if wraps else value:<6}"
        depth = max((len(h) for _, h in heads), default=0)
        if head_label and not depth:
            out.append(f"  {head_label}")
        for k in range(depth):  # the heads' digits bottom-aligned on the lines above
            above = f"  {head_label}" if head_label and k == depth - 1 else ""
            for col, head in heads:
                digit = head[k - depth + len(head)] if k >= depth - len(head) else ""
                above = f"{above:<{col}}{digit}" if digit else above
            out.append(above.rstrip())
        out += [line.rstrip(), ""]
    return "\n".join(out)


def _is_value(cell: str) -> bool:
    return bool(cell) and (cell[:1].isdigit() or cell.startswith(("增", "减")))


# --- a page's tables as markdown without outer pipes, or as pandoc's plain text --------------


def _labelled_rows(f: dict) -> dict[str, list[tuple[list[str], list[str]]]]:
    """Each table's printed rows as (label cells, value cells), the way an HTML table's rows
    come out of a converter: a cell spanning rows (三、本年度办理结果, a group's label) written
    in its first row only, a header row's spanned cells left out; blank values empty."""
    fmt = f["meta.format"]
    t2 = [
        ([c for c in row if c and not _is_value(c)], [c for c in row if _is_value(c)])
        for row in _t2_printed(f, fmt)
    ]
    t3: list[tuple[list[str], list[str]]] = [
        (["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "总计"], []),
        (["自然人", "法人或其他组织"], []),
        (
            ["商业企业", "科研机构", "社会公益组织" if fmt == "2021" else "社会组织", "法律服务机构", "其他"],
            [],
        ),
    ]

    def values(row_id: str) -> list[str]:
        return [_num(f[f"t3.{row_id}.{c}"]) for c in COLUMNS]

    t3 += [(["一、本年新收政府信息公开申请数量"], values("new_received"))]
    t3 += [(["二、上年结转政府信息公开申请数量"], values("carried_over"))]
    for i, (row_id, group, label) in enumerate(t3_rows(fmt)):
        labels = (["三、本年度办理结果"] if i == 0 else []) + [c for c in (group, label) if c]
        t3.append((labels, values(row_id)))
    t3 += [(["（七）总计"], values("total")), (["四、结转下年度继续办理"], values("carried_forward"))]
    head = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    t4 = [
        (["行政复议", "行政诉讼"], []),
        ([*head, "未经复议直接起诉", "复议后起诉"], []),
        (head + head, []),
        ([], [_num(f[f"t4.{g}.{c}"]) for g in T4_GROUPS for c in T4_COLUMNS]),
    ]
    return {"t2": t2, "t3": t3, "t4": t4}


def _markdown_bare_pipes(f: dict, rng: random.Random) -> Rendered:
    """html2text's markdown of a page: no outer pipes (``a| b| c``), so a blank cell first or
    last in its row leaves a pipe opening or closing the line; the rule under the first row."""
    tables = {}
    for table, rows in _labelled_rows(f).items():
        lines = ["| ".join(labels + values).rstrip() for labels, values in rows if labels or values]
        tables[table] = "\n".join([lines[0], "---|---", *lines[1:]])
    return ".md", _report(f, rng, tables), {}


_NBSP = "\xa0"


def _plain_blank_cells(f: dict, rng: random.Random) -> Rendered:
    """pandoc's plain text of a page: a simple table, each grid column padded to its display
    width (an ideograph two) between rules of dashes, a column's run of dashes each; a blank
    cell as spaces (an empty ``<td>``) or as the no-break space of its ``&nbsp;``."""
    blank = rng.choice(["", _NBSP])
    tables = {name: _simple_table(*_grid(name, rows), blank) for name, rows in _labelled_rows(f).items()}
    return ".txt", _report(f, rng, tables), {}


def _grid(table: str, rows: list[tuple[list[str], list[str]]]) -> tuple[list[list[str]], int, set[int]]:
    """The rows on the table's grid: label columns first (a row's labels from the left), then
    the value columns; a header row's titles over the columns they head. And how many label
    columns there are, and which rows hold values."""
    labels = max((len(ls) for ls, vs in rows if vs), default=0)
    width = labels + max(len(vs) for _, vs in rows)
    heads = {  # where each header row's titles stand, as columns of the values
        "t3": [[-labels, 0, 6], [0, 1], [1, 2, 3, 4, 5]],
        "t4": [[0, 5], [0, 1, 2, 3, 4, 5, 10], list(range(5, 15))],
    }.get(table, [])
    grid, header = [], 0
    for ls, vs in rows:
        row = [""] * width
        if vs:
            row[: len(ls)] = ls
            row[labels : labels + len(vs)] = vs
        elif header < len(heads) and len(ls) == len(heads[header]):
            for title, at in zip(ls, heads[header], strict=True):
                row[labels + at] = title
            header += 1
        else:
            row[: len(ls)] = ls
        grid.append(row)
    return grid, labels, {i for i, (_, vs) in enumerate(rows) if vs}


def _simple_table(grid: list[list[str]], labels: int, valued: set[int], blank: str) -> str:
    def width(text: str) -> int:
        return sum(2 if "\u4e00" <= ch <= "\u9fff" or ch in "（），、：" else 1 for ch in text)

    widths = [max(3, *(width(row[c]) for row in grid)) for c in range(len(grid[0]))]
    lines = []
    for r, row in enumerate(grid):
        filled = r in valued
        cells = [
            text + " " * (w - width(text))
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
            for text in [c or (blank if filled and i >= labels else "")]
        ]  # (a label cell under a spanning one is no cell: spaces)
        lines.append("  " + " ".join(cells).rstrip(" "))  # (str.rstrip() takes &nbsp; too)
    rule = "  " + " ".join("-" * w for w in widths)
    return "\n".join([rule, *lines, rule])


# --- the agency's own numbering, the tables attached ------------------------------------------


def _appended_tables(f: dict, rng: random.Random) -> Rendered:
    fmt = f["meta.format"]
    prose = _prose(f).split("\n\n")
    body = [
        title(f, rng),
        *prose,
        "二、工作机制保障情况",
        "健全工作机制，明确专人负责。",
        "三、主动公开工作情况",
        "围绕中心工作做好信息发布。",
        "四、依申请公开工作情况",
        "依法规范办理。",
        "五、存在的主要问题及改进情况",
        "公开内容的深度和广度仍需加强。",
        "六、其他需要报告的事项",
        _tail(f).split("六、其他需要报告的事项")[1].strip(),
        "附表",
        "附表1：主动公开政府信息情况",
        "\n".join("\t".join(r) for r in _t2_printed(f, fmt)),
        "附表2：收到和处理政府信息公开申请情况",
        "\n".join("\t".join(r) for r in _t3_printed(f, fmt, False)),
        "附表3：政府信息公开行政复议、行政诉讼情况",
        "\n".join("\t".join(r) for r in _t4_printed(f)),
    ]
    return ".txt", "\n\n".join(body) + "\n", {}


# --- table 三 one small table per row ------------------------------------------------------------


def _split_rows(f: dict, rng: random.Random) -> Rendered:
    fmt = f["meta.format"]
    head = (
        "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n|---|---|---|---|---|---|---|---|"
    )
    t3 = ["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"]
    rows = [
        ("new_received", "", "本年新收政府信息公开申请数量"),
        ("carried_over", "", "上年结转政府信息公开申请数量"),
    ]
    rows += [*t3_rows(fmt), ("total", "", "（七）总计"), ("carried_forward", "", "四、结转下年度继续办理")]
    group = None
    for row_id, grp, label in rows:
        if grp and grp != group:
            group = grp
            t3.append(f"### {grp}")
        values = " | ".join(_num(f[f"t3.{row_id}.{c}"]) for c in COLUMNS)
        if row_id in ("new_received", "carried_over"):
            t3.append(f"### {'一' if row_id == 'new_received' else '二'}、{label}")
        t3.append(f"{head}\n| {label or grp} | {values} |")
    md = to_markdown(blocks(f, rng))
    before, rest = md.split("三、收到和处理政府信息公开申请情况", 1)
    after = rest[rest.index("## 四、") :]
    return ".md", f"{before}三、收到和处理政府信息公开申请情况\n\n" + "\n\n".join(t3) + f"\n\n{after}", {}


# --- a PDF text copy of blank cells ------------------------------------------------------------


def _pdf_lines_sparse(f: dict, rng: random.Random) -> Rendered:
    return _pdf_lines(f, rng, _spaced)


def _pdf_lines(f: dict, rng: random.Random, t3: Callable[[list[list[str]]], str]) -> Rendered:
    """A report whose tables 二 and 四 are printed rows, their cells a space apart, and whose
    table 三's printed rows ``t3`` writes."""
    fmt = f["meta.format"]
    tables = {
        "t2": _spaced(_t2_printed(f, fmt)),
        "t3": t3(_t3_printed(f, fmt, False)),
        "t4": _spaced(_t4_printed(f)),
    }
    return ".txt", _report(f, rng, tables), {}


def _pdf_lines_interleaved(f: dict, rng: random.Random) -> Rendered:
    """A browser's print of the report through a text extractor's reading order (pdftotext's
    default): table 三 a cell a line, two rows' label lines now and then together, then both
    rows' values; a long label wrapped with its row's first value after its head, the others
    after its tail (also after the row before's label and first value, its other values
    with them)."""
    return _pdf_lines(f, rng, lambda rows: _interleaved(rows, rng))


def _other_in_one_row(f: dict, rng: random.Random) -> Rendered:
    """A PDF text copy of a 2021-format report whose table 三 prints （六）其他处理 as one row,
    the 2019 form's, holding its three parts' sums: the parts of a sum other than 0 are open."""
    if f["meta.format"] != "2021":
        return _pdf_lines(f, rng, _spaced)
    parts = [(row_id, label) for row_id, _, label in t3_rows("2021") if row_id.startswith("other_")]
    sums = [sum(f[f"t3.{row_id}.{c}"] or 0 for row_id, _ in parts) for c in COLUMNS]

    def one_row(rows: list[list[str]]) -> str:
        at = next(i for i, row in enumerate(rows) if row[2] == parts[0][1])
        labels = {label for _, label in parts}
        kept = [row for row in rows if row[2] not in labels]
        kept.insert(at, ["", "（六）其他处理", *map(_num, sums), ""])
        return _spaced(kept)

    suffix, text, _ = _pdf_lines(f, rng, one_row)
    why = "printed only as the sum of its row's parts, （六）其他处理"
    return (
        suffix,
        text,
        {f"t3.{r}.{c}": why for r, _ in parts for c, v in zip(COLUMNS, sums, strict=True) if v},
    )


def _interleaved(rows: list[list[str]], rng: random.Random) -> str:
    cells: list[str] = []
    pending: tuple[list[str], list[str]] | None = None  # a row waiting to be printed beside the next
    for row in rows:
        labels = [c for c in row if c and not _is_value(c)]
        values = [c for c in row if _is_value(c)]
        whole = len(values) == len(COLUMNS) and bool(labels)  # every cell printed (blanks drop out)
        if pending is not None:
            (first_labels, first_values), pending = pending, None
            if whole and len(labels) == 1 and len(labels[0]) >= 12 and rng.random() < 0.5:
                # each row's first value beside its label's head, the others after the last tail
                head, tail = _cut(labels[0], rng)
                heads = ["\n".join(first_labels), first_values[0], head, values[0]]
                cells += [*heads, tail, *first_values[1:], *values[1:]]
                continue
            if whole and len(labels) == 1:
                cells += ["\n".join([*first_labels, *labels]), *first_values, *values]
                continue
            cells += ["\n".join(first_labels), *first_values]
        if whole and rng.random() < 0.3:
            pending = (labels, values)
        elif whole and len(labels[-1]) >= 12 and rng.random() < 0.5:
            head, tail = _cut(labels[-1], rng)
            cells += [*labels[:-1], head, values[0], tail, *values[1:]]
        else:
            cells += [c for c in row if c]
    if pending is not None:
        cells += ["\n".join(pending[0]), *pending[1]]
    return "\n\n".join(cells)


def _cut(label: str, rng: random.Random) -> tuple[str, str]:
    """A long label wrapped in two: its head and its tail."""
    at = rng.randint(4, len(label) - 2)
    return label[:at], label[at:]


def _spaced(rows: list[list[str]]) -> str:
    return "\n".join(" ".join(c for c in row if c) for row in rows if any(row))


def _report(f: dict, rng: random.Random, tables: dict[str, str]) -> str:
    return "".join(
        [
            title(f, rng) + "\n\n",
            _prose(f),
            "\n\n二、主动公开政府信息情况\n\n" + tables["t2"],
            "\n\n三、收到和处理政府信息公开申请情况\n\n" + tables["t3"],
            "\n\n四、政府信息公开行政复议、行政诉讼情况\n\n" + tables["t4"],
            "\n\n" + _tail(f),
        ]
    )


# --- headings whose automatic numbers were lost ------------------------------------------


_SECTION_HEADING = re.compile(r"^([一二三四五六])、(?=[^\t\n]*$)", re.MULTILINE)  # not a table row


def _headings_unnumbered(f: dict, rng: random.Random) -> Rendered:
    arabic = rng.random() < 0.5
    text = _SECTION_HEADING.sub(
        lambda m: f"{'一二三四五六'.index(m[1]) + 1}." if arabic else "", render(f, "tab_rows", rng)
    )
    return ".txt", text, {}


# --- markdown with raw HTML tables (pandoc's gfm writer) --------------------------------------


def _markdown_html_tables(f: dict, rng: random.Random) -> Rendered:
    out = ['<div class="header">', "网站导航 \\| 无障碍", "</div>", title(f, rng)]
    for block in blocks(f, rng):
        if isinstance(block, str):
            out.append(block)
        else:  # pipes cannot draw a merged cell: such a table is written as HTML
            out.append(html_table(block) if block.merges() else to_markdown([block]).strip())
    return ".md", "\n\n".join(out) + "\n", {}


RENDERERS: dict[str, Callable[[dict, random.Random], Rendered]] = {
    "html_sparse": _html_sparse,
    "crawler_glued": _crawler_glued,
    "crawler_spaced": _crawler_spaced,
    "crawler_wrapped": _crawler_wrapped,
    "cell_lines_plain": _cell_lines_plain,
    "markdown_floating": _markdown_floating,
    "layout_spaces": _layout_spaces,
    "appended_tables": _appended_tables,
    "split_rows": _split_rows,
    "pdf_lines_sparse": _pdf_lines_sparse,
    "pdf_lines_interleaved": _pdf_lines_interleaved,
    "headings_unnumbered": _headings_unnumbered,
    "markdown_html_tables": _markdown_html_tables,
    "markdown_bare_pipes": _markdown_bare_pipes,
    "plain_blank_cells": _plain_blank_cells,
    "layout_wrapped_numbers": _layout_wrapped_numbers,
    "other_in_one_row": _other_in_one_row,
    "markdown_stacked": _markdown_stacked,
    "markdown_rows_broken": _markdown_rows_broken,
}
# What a layout's gold holds: the record itself, or the record with its zero cells left blank.
SPARSE = frozenset(
    {"html_sparse", "cell_lines_plain", "pdf_lines_sparse", "markdown_bare_pipes", "plain_blank_cells"}
)
# Layouts whose blank cells leave no trace: a report of them with any blank cell is to be flagged.
TRACELESS_BLANKS = frozenset(
    {"pdf_lines_sparse", "layout_spaces", "crawler_spaced", "pdf_lines_interleaved", "layout_wrapped_numbers"}
)
