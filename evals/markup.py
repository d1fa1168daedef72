"""Reports as real files: the standard form's tables with merged cells, written as HTML,
Word (.docx), PDF (with running headers, page numbers and page breaks inside tables) and
markdown (as converters write it: merged cells left empty).

A report is a list of blocks: a ``str`` is a paragraph, a :class:`SpanTable` a table.
Nothing here imports the extractor.
"""

from __future__ import annotations

import html
import io
import random
import zipfile
import zlib
from dataclasses import dataclass

SpanCell = tuple[str, int, int]  # text, rowspan, colspan (HTML's way: covered cells are left out)


@dataclass
class SpanTable:
    rows: list[list[SpanCell]]
    width: int

    def placed(self) -> list[tuple[int, int, str, int, int]]:
        """Every cell at its grid position: (row, column, text, rowspan, colspan)."""
        out = []
        covered = [[False] * self.width for _ in self.rows]
        for r, row in enumerate(self.rows):
            c = 0
            for text, rowspan, colspan in row:
                while covered[r][c]:
                    c += 1
                for dr in range(rowspan):
                    for dc in range(colspan):
                        covered[r + dr][c + dc] = True
                out.append((r, c, text, rowspan, colspan))
                c += colspan
        return out

    def grid(self) -> list[list[str]]:
        """The expanded grid: a merged cell's text in the first grid cell it covers."""
        grid = [[""] * self.width for _ in self.rows]
        for r, c, text, _, _ in self.placed():
            grid[r][c] = text
        return grid

    def merges(self) -> list[tuple[int, int, int, int]]:
        """Each merged range as (first row, first column, last row, last column)."""
        return [(r, c, r + rs - 1, c + cs - 1) for r, c, _, rs, cs in self.placed() if rs > 1 or cs > 1]


Block = str | SpanTable


# --- HTML ------------------------------------------------------------------------------


def to_html(blocks: list[Block], title: str, encoding: str, layout_table: bool) -> bytes:
    """A web page; with ``layout_table`` the content sits inside a page-layout table, as many
    government sites print it."""
    body = "\n".join(_html_block(b) for b in blocks)
    if layout_table:
        body = (
            '<table width="100%"><tr><td class="nav"><a href="/">首页</a> &gt; 政府信息公开</td></tr>'
            f"<tr><td>{body}</td></tr></table>"
        )
    page = (
        f'<!DOCTYPE html>\n<html><head><meta charset="{encoding}"><title>{html.escape(title)}</title>'
        "<style>td{border:1px solid #000}</style><script>var x = '<table>';</script></head>\n"
        f"<body>\n<div class='header'>网站导航 | 无障碍</div>\n{body}\n"
        "<div class='footer'>主办单位：本机关 &nbsp; 版权所有</div></body></html>\n"
    )
    return page.encode(encoding)


def _html_block(block: Block) -> str:
    if isinstance(block, str):
        return f"<p>{html.escape(block)}</p>"
    return html_table(block)


def html_table(block: SpanTable) -> str:
    """A table as HTML, its merged cells spanning rows and columns."""
    rows = []
    for row in block.rows:
        cells = "".join(
            f"<td{f' rowspan={rs}' if rs > 1 else ''}{f' colspan={cs}' if cs > 1 else ''}>"
            f"{html.escape(text)}</td>"
            for text, rs, cs in row
        )
        rows.append(f"<tr>{cells}</tr>")
    return '<table border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"


# --- markdown --------------------------------------------------------------------------


def to_markdown(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        if isinstance(block, str):
            out.append(f"## {block}" if _is_heading(block) else block)
            continue
        grid = block.grid()
        lines = ["| " + " | ".join(grid[0]) + " |", "|" + "---|" * block.width]
        lines += ["| " + " | ".join(row) + " |" for row in grid[1:]]
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _is_heading(text: str) -> bool:
    return len(text) < 30 and text[:1] in "一二三四五六" and text[1:2] == "、"


# --- Word ------------------------------------------------------------------------------


def to_docx(blocks: list[Block]) -> bytes:
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        grid = block.grid()
        table = document.add_table(rows=len(grid), cols=block.width)
        table.style = "Table Grid"
        for row, texts in zip(table.rows, grid, strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                if text:
                    cell.text = text
        for r0, c0, r1, c1 in block.merges():  # a merge keeps the one text of its range
            table.cell(r0, c0).merge(table.cell(r1, c1))
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so a rebuild gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------


def to_pdf(blocks: list[Block], running_header: str, rng: random.Random) -> bytes:
    """A PDF with a text layer (reportlab, the Adobe song typeface, not embedded), ruled
    tables, a running header and page numbers; a page break falls inside table 三."""
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    rl_config.invariant = 1  # no creation date or random id: a rebuild gives the same bytes
    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    text_style = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16)
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=7, leading=9)

    def on_page(canvas, doc) -> None:
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 30, running_header)
        canvas.drawCentredString(A4[0] / 2, 25, f"- {doc.page} -")

    # Half the reports' tables are ruled with double lines, as a web page's table with cell
    # spacing prints: every cell boxed on its own; a quarter have open sides, no rule down
    # their outer edges (Word's open-sided style; a browser clipping a wide table at the
    # margin leaves the same). The choice is keyed on the title, so the suite's other draws
    # stay as they were.
    style = zlib.crc32(running_header.encode()) % 4
    rules = (0.5, colors.black, None, None, None, 2, 1.6) if style % 2 else (0.5, colors.black)
    sides = [("LINEABOVE", (0, 0), (-1, 0)), ("LINEBELOW", (0, -1), (-1, -1))]
    grid = [("INNERGRID", (0, 0), (-1, -1)), *sides] if style == 2 else [("GRID", (0, 0), (-1, -1))]
    lines = [(*where, *rules) for where in grid]
    story = []
    for block in blocks:
        if isinstance(block, str):
            story.append(Paragraph(html.escape(block), text_style))
            continue
        grid = [[Paragraph(html.escape(t), cell_style) if t else "" for t in row] for row in block.grid()]
        styles = [*lines, ("FONTNAME", (0, 0), (-1, -1), font)]
        styles += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in block.merges()]
        story.append(Table(grid, style=TableStyle(styles), repeatRows=0))
    buffer = io.BytesIO()
    top = rng.choice([60, 90, 200])  # moves the page break to another row of table 三
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, topMargin=top, bottomMargin=50, leftMargin=30, rightMargin=30
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


# --- the standard form's tables with their merged cells ------------------------------------


def t2_table(rows: list[tuple[str, list[str], list[tuple[str, list[str]]]]]) -> SpanTable:
    """Table 二: per block, its heading across the table, the column heads, its data rows."""
    out: list[list[SpanCell]] = []
    for head, header, data in rows:
        out.append([(head, 1, 4)])
        out.append(_fill([(h, 1, 1) for h in header], 4))
        for label, values in data:
            out.append(_fill([(label, 1, 1)] + [(v, 1, 1) for v in values], 4))
    return SpanTable(out, 4)


def _fill(cells: list[SpanCell], width: int) -> list[SpanCell]:
    """The last cell widened to the table's width."""
    used = sum(cs for _, _, cs in cells)
    text, rs, cs = cells[-1]
    return [*cells[:-1], (text, rs, cs + width - used)]


def t3_table(
    head: list[str],
    top_rows: list[tuple[str, list[str]]],
    outcomes: list[tuple[str, str, list[str]]],
    total: tuple[str, list[str]],
    bottom: tuple[str, list[str]],
    span_outcomes: bool,
) -> SpanTable:
    """Table 三 as the standard form prints it: 3 label columns and 7 value columns.
    ``outcomes`` are (group label or "", row label or "", values) in order; a group label
    spans its rows. With ``span_outcomes`` the 三、本年度办理结果 cell spans them all."""
    note, applicants, natural, organisations, *org_kinds, grand = head
    rows: list[list[SpanCell]] = [
        [(note, 3, 3), (applicants, 1, 6), (grand, 3, 1)],
        [(natural, 2, 1), (organisations, 1, 5)],
        [(k, 1, 1) for k in org_kinds],
    ]
    rows += [[(label, 1, 3)] + [(v, 1, 1) for v in values] for label, values in top_rows]
    group_sizes = _group_sizes([g for g, _, _ in outcomes])
    outcome_span = len(outcomes) + 1
    for i, (group, label, values) in enumerate(outcomes):
        row: list[SpanCell] = []
        if i == 0 or not span_outcomes:
            row.append(("三、本年度办理结果" if i == 0 else "", outcome_span if span_outcomes else 1, 1))
        if group and label:
            row.append((group, group_sizes[i], 1))
        if label:
            row.append((label, 1, 1))
        elif group:
            row.append((group, 1, 2))
        rows.append(row + [(v, 1, 1) for v in values])
    total_row: list[SpanCell] = [] if span_outcomes else [("", 1, 1)]
    rows.append(total_row + [(total[0], 1, 2)] + [(v, 1, 1) for v in total[1]])
    rows.append([(bottom[0], 1, 3)] + [(v, 1, 1) for v in bottom[1]])
    return SpanTable(rows, 10)


def _group_sizes(groups: list[str]) -> dict[int, int]:
    """For each row that opens a group, how many rows the group spans."""
    sizes: dict[int, int] = {}
    opener = None
    for i, group in enumerate(groups):
        if group:
            opener = i
            sizes[i] = 1
        elif opener is not None:
            sizes[opener] += 1
    return sizes


def t4_table(heads: list[str], values: list[str]) -> SpanTable:
    """Table 四: 行政复议 (5 columns) and 行政诉讼 (two groups of 5)."""
    return SpanTable(
        [
            [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
            [(h, 2, 1) for h in heads] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
            [(h, 1, 1) for h in heads * 2],
            [(v, 1, 1) for v in values],
        ],
        15,
    )
