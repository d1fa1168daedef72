"""Converters: HTML, Word and PDF files read as the same report text, and bad files refused."""

import pytest

from .conftest import ROOT, needs

needs("reportlab", extra="pip install -e '.[dev]'")  # the generator writes PDF files with it

import io
import random
import re
import shutil
import subprocess
import zipfile

from evals.generate import random_record, render_file, seed_records
from evals.markup import SpanTable, to_docx, to_html, to_pdf
from extractor import extract
from extractor.converters.from_pdf import pdf_layout, pdf_text
from extractor.converters.grid import expand_spans
from extractor.reading import read_file


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- grids ------------------------------------------------------------------------------


def test_rowspan_and_colspan_expand_to_a_grid_with_the_text_in_the_first_cell():
    rows = [
        [("A", 2, 1), ("B", 1, 2), ("C", 3, 1)],
        [("D", 1, 1), ("E", 1, 1)],
        [("F", 1, 3)],
    ]
    assert expand_spans(rows) == [["A", "B", "", "C"], ["", "D", "E", ""], ["F", "", "", ""]]


def test_a_row_ending_before_a_column_still_covered_from_above_keeps_its_place():
    rows = [[("a", 1, 1), ("b", 1, 1), ("z", 2, 1)], [("c", 1, 1)]]
    assert expand_spans(rows) == [["a", "b", "z"], ["c", "", ""]]


# --- HTML -------------------------------------------------------------------------------


def test_html_page_blocks_lines_tables_as_tab_rows_scripts_and_layout_tables_skipped(tmp_path):
    table = SpanTable([[("行政复议", 1, 2), ("总计", 2, 1)], [("维持", 1, 1), ("纠正", 1, 1)]], 3)
    page = to_html(["一、总体情况", "共收到申请 3 件。", table], "标题", "utf-8", layout_table=True)
    text = read_file(_write(tmp_path, "p.html", page)).text
    lines = text.splitlines()
    assert "一、总体情况" in lines and "共收到申请 3 件。" in lines
    assert "行政复议\t\t总计" in lines and "维持\t纠正\t" in lines
    assert "var x" not in text and "<" not in text


@pytest.mark.parametrize(
    "head",
    [
        "<title>某某县民政局2023年政府信息公开工作年度报告_某某县人民政府</title>",
        "<title>某某县人民政府 | 政务公开</title>"
        '<meta name="ArticleTitle" content="某某县民政局2023年政府信息公开工作年度报告">',
    ],
)
def test_a_body_without_its_title_takes_the_title_its_page_head_gives(tmp_path, head):
    page = f"<html><head>{head}</head><body><p>一、总体情况</p><p>本年共收到申请 3 件。</p></body></html>"
    text = read_file(_write(tmp_path, "p.html", page.encode())).text
    assert text.startswith("某某县民政局2023年政府信息公开工作年度报告\n\n一、总体情况\n")
    titled = page.replace("<body>", "<body><h1>某某县民政局 2023 年政府信息公开工作年度报告</h1>")
    text = read_file(_write(tmp_path, "q.html", titled.encode())).text
    assert text.startswith("某某县民政局 2023 年政府信息公开工作年度报告\n") and text.count("年度报告") == 1


def test_a_page_head_naming_no_report_adds_nothing(tmp_path):
    page = "<html><head><title>某某县人民政府_政务公开</title></head><body><p>一、总体情况</p></body></html>"
    assert read_file(_write(tmp_path, "p.html", page.encode())).text == "一、总体情况\n"


@pytest.mark.parametrize("hiding", ['style="display: none"', 'style="VISIBILITY:hidden"', "hidden"])
def test_what_a_page_does_not_show_is_not_read(tmp_path, hiding):
    """A stale copy of a table (or a widget's text) the page hides is no part of the report:
    its numbers, read, would stand beside the shown table's."""
    record = random_record(random.Random(8))
    data = render_file(record, "html", random.Random(8))[1]
    page = data.decode("utf-8") if isinstance(data, bytes) else data
    at = page.index("<table", page.index("二、主动公开"))
    stale = re.sub(r"<td>\d+</td>", "<td>9</td>", page[at : page.index("</table>", at) + 8])
    hidden = page[:at] + f"<div {hiding}><p>旧表</p>{stale}</div>" + page[at:]
    doc = extract(_write(tmp_path, "p.html", hidden.encode("utf-8")))
    assert {f: doc.fields.get(f) for f in record} == record and doc.status == "ok"
    assert "旧表" not in read_file(tmp_path / "p.html").text
    row = page.index("<tr>", at)  # a hidden row of the shown table, too
    hidden = page[:row] + f"<tr {hiding}><td>规章</td><td>9</td><td>9</td><td>9</td></tr>" + page[row:]
    doc = extract(_write(tmp_path, "p.html", hidden.encode("utf-8")))
    assert {f: doc.fields.get(f) for f in record} == record and doc.status == "ok"


def test_a_gbk_page_is_decoded_by_its_declared_charset(tmp_path):
    page = to_html(["青山县民政局2023年政府信息公开工作年度报告"], "标题", "gbk", layout_table=False)
    src = read_file(_write(tmp_path, "p.htm", page))
    assert "青山县民政局" in src.text
    assert src.encoding == "html; gb18030" and src.input_format == "html"


def test_an_html_page_without_a_suffix_is_known_by_its_first_bytes(tmp_path):
    page = to_html(["共收到申请 3 件。"], "标题", "utf-8", layout_table=False)
    assert read_file(_write(tmp_path, "report", page)).input_format == "html"


# --- Word -------------------------------------------------------------------------------


def test_word_merged_cells_keep_their_text_once(tmp_path):
    table = SpanTable(
        [
            [("三、本年度办理结果", 3, 1), ("（一）予以公开", 1, 2), ("5", 1, 1)],
            [("（三）不予公开", 2, 1), ("1.属于国家秘密", 1, 1), ("0", 1, 1)],
            [("2.其他法律行政法规禁止公开", 1, 1), ("1", 1, 1)],
        ],
        4,
    )
    text = read_file(_write(tmp_path, "t.docx", to_docx(["前言", table]))).text
    assert text.splitlines()[:1] == ["前言"]
    assert "三、本年度办理结果\t(一)予以公开\t\t5" in text  # full-width brackets normalised
    assert "\t(三)不予公开\t1.属于国家秘密\t0" in text
    assert "\t\t2.其他法律行政法规禁止公开\t1" in text


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_a_zip_that_is_not_a_word_file_and_an_old_spreadsheet_are_refused(tmp_path):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n")
    doc = extract(_write(tmp_path, "x.zip", buffer.getvalue()))
    assert doc.status == "failed" and "not a Word .docx" in doc.error
    doc = extract(_write(tmp_path, "old.xls", OLE_HEADER + b"\0" * 600))
    assert doc.status == "failed" and "not a Word document" in doc.error
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # China's fixed-layout format, as some agencies publish
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    doc = extract(_write(tmp_path, "report.ofd", buffer.getvalue()))
    assert doc.status == "failed" and "OFD" in doc.error and "PDF" in doc.error and "\n" not in doc.error


def test_an_old_word_file_is_read_through_libreoffice(tmp_path):
    """A .doc file (LibreOffice writes it from a generated .docx) gives the .docx's fields."""
    program = shutil.which("soffice") or "/usr/bin/soffice"
    needs(program, extra="LibreOffice: apt-get install libreoffice-writer-nogui (install.sh does)")
    docx = _write(
        tmp_path, "report.docx", render_file(random_record(random.Random(7)), "docx", random.Random(7))[1]
    )
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    old = tmp_path / (docx.stem + ".doc")
    assert old.read_bytes().startswith(OLE_HEADER)
    doc, reference = extract(old), extract(docx)
    assert doc.input_format == "doc" and doc.status == reference.status
    assert doc.fields == reference.fields
    broken = extract(_write(tmp_path, "broken.doc", OLE_HEADER + b"\0" * 600))
    assert broken.status == "failed" and broken.error.startswith("not a readable .doc file")


def test_a_word_file_whose_pages_are_drawn_reads_as_its_pdf(tmp_path):
    """A PDF turned into Word by a converter (here LibreOffice's PDF import): every line a text
    box placed on the page, the tables' rules drawn lines. Read by where they stand."""
    program = shutil.which("soffice") or "/usr/bin/soffice"
    needs(program, extra="LibreOffice: apt-get install libreoffice-writer-nogui (install.sh does)")
    record = random_record(random.Random(11))
    pdf = _write(tmp_path, "report.pdf", render_file(record, "pdf", random.Random(11))[1])
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--infilter=writer_pdf_import",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(tmp_path / "w"),
            str(pdf),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    drawn = tmp_path / "w" / "report.docx"
    assert b"txbxContent" in zipfile.ZipFile(drawn).read("word/document.xml")
    doc = extract(drawn)
    assert doc.encoding == "docx (drawn pages)" and doc.status == "ok"
    assert doc.fields == {f: record[f] for f in doc.fields}


def test_an_old_word_file_without_libreoffice_names_it(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)  # a machine without LibreOffice
    doc = extract(_write(tmp_path, "old.doc", OLE_HEADER + b"\0" * 600))
    assert doc.status == "failed" and "\n" not in doc.error
    assert "LibreOffice" in doc.error and "libreoffice-writer-nogui" in doc.error


def test_a_broken_docx_is_refused_with_one_line(tmp_path):
    doc = extract(_write(tmp_path, "bad.docx", b"PK\x03\x04word/" + b"\x00" * 100))
    assert doc.status == "failed" and "\n" not in doc.error and "docx" in doc.error


def test_a_docx_whose_text_part_is_cut_short_is_refused_with_one_line(tmp_path):
    data = render_file(random_record(random.Random(3)), "docx", random.Random(3))[1]
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(
                item, content[: len(content) // 2] if item.filename == "word/document.xml" else content
            )
    doc = extract(_write(tmp_path, "cut.docx", out.getvalue()))
    assert doc.status == "failed" and "\n" not in doc.error and doc.error.startswith("not a readable .docx")


# --- PDF --------------------------------------------------------------------------------


def test_pdf_running_headers_and_page_numbers_are_dropped_and_a_split_table_reads_on(tmp_path):
    rows = [[(f"{i}.第{i}行的标签", 1, 1), (str(i), 1, 1)] for i in range(1, 120)]
    data = to_pdf(
        ["前言", SpanTable(rows, 2), "结语"], "某某局2024年政府信息公开工作年度报告", random.Random(0)
    )
    text = read_file(_write(tmp_path, "t.pdf", data)).text
    assert "年度报告" not in text and "- 2 -" not in text
    table_lines = [line for line in text.splitlines() if "\t" in line]
    assert table_lines == [f"{i}.第{i}行的标签\t{i}" for i in range(1, 120)]
    assert text.index("前言") < text.index("1.第1行") and text.index("119.第119行") < text.index("结语")


def test_without_the_ocr_extra_a_pdf_without_a_text_layer_fails_naming_the_extra(tmp_path, monkeypatch):
    from reportlab.pdfgen import canvas

    import extractor.converters

    monkeypatch.setattr(extractor.converters, "ocr_available", lambda: False)  # as if not installed
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(100, 100, 300, 500, fill=1)  # what a scan is to a text extractor: no characters
    page.showPage()
    page.save()
    doc = extract(_write(tmp_path, "scan.pdf", buffer.getvalue()))
    assert doc.status == "failed" and "no text layer" in doc.error and "run OCR" in doc.error
    assert "pip install -e '.[ocr]'" in doc.error and "\n" not in doc.error
    image = extract(b"\x89PNG\r\n\x1a\n" + bytes(64), name="page.png")
    assert image.status == "failed" and "pip install -e '.[ocr]'" in image.error


def test_an_encrypted_or_broken_pdf_fails_clearly(tmp_path):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt="secret")
    page.drawString(100, 700, "hello")
    page.save()
    doc = extract(_write(tmp_path, "locked.pdf", buffer.getvalue()))
    assert doc.status == "failed" and doc.error.startswith("not a readable PDF")
    doc = extract(_write(tmp_path, "cut.pdf", b"%PDF-1.7\n1 0 obj\n<<"))
    assert doc.status == "failed" and doc.error.startswith("not a readable PDF")
    assert doc.error == "not a readable PDF: damaged, or not a PDF"


def test_pdf_merged_cells_keep_their_text_in_the_first_cell_they_cover():
    table = SpanTable(
        [
            [("三、本年度办理结果", 3, 1), ("（一）予以公开", 1, 2), ("5", 1, 1)],
            [("（三）不予公开", 2, 1), ("1.属于国家秘密", 1, 1), ("0", 1, 1)],
            [("2.其他法律行政法规禁止公开", 1, 1), ("1", 1, 1)],
        ],
        4,
    )
    text = pdf_text(to_pdf(["前言", table, "结语"], "某局2024年报告", random.Random(0)))[0]
    assert "\n三、本年度办理结果\t（一）予以公开\t\t5\n\t（三）不予公开\t1.属于国家秘密\t0\n" in text
    assert "\n\t\t2.其他法律行政法规禁止公开\t1\n" in text
    assert text.index("前言") < text.index("三、") < text.index("结语")


def _ruled_page(cells: list[tuple[float, float, float, float, list[str]]], prose: str) -> bytes:
    """One page: a line of prose, then cells (x0, bottom, x1, top in PDF points) ruled round,
    each with its lines of text from the top down."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 10)
    page.drawString(72, 760, prose)
    for x0, bottom, x1, top, lines in cells:
        page.rect(x0, bottom, x1 - x0, top - bottom)
        for i, line in enumerate(lines):
            page.drawString(x0 + 2, top - 11 - 10 * i, line)
    page.save()
    return buffer.getvalue()


def test_a_number_wrapped_in_a_narrow_pdf_cell_reads_whole():
    data = _ruled_page(
        [(72, 650, 200, 700, ["本年新收政府信息", "公开申请数量"]), (200, 650, 212, 700, ["1", "3", "9"])],
        "三、收到和处理政府信息公开申请情况",
    )
    assert "本年新收政府信息公开申请数量\t139" in pdf_text(data)[0].splitlines()


def _open_sided_page(left: float, right: float, clip: float | None = None) -> bytes:
    """A table of two rows whose horizontal rules run from ``left`` to ``right`` with vertical
    rules between its columns only (none at its sides), perhaps drawn under a clip at ``clip``
    (a browser's page margin cutting a wide table)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 10)
    page.drawString(72, 760, "二、主动公开政府信息情况")
    if clip is not None:
        path = page.beginPath()
        path.rect(0, 0, clip, 842)
        page.clipPath(path, stroke=0, fill=0)
    for y in (700, 680, 660):
        page.line(left, y, right, y)
    for x in (200, 260):
        page.line(x, 660, x, 700)
    for y, cells in ((684, ("规章", "3", "15")), (664, ("规范性文件", "8", "120"))):
        for x, text in zip((left + 4, 204, 264), cells, strict=True):
            page.drawString(x, y, text)
    page.save()
    return buffer.getvalue()


@pytest.mark.parametrize("clip", [None, 330.0], ids=["open_sides", "clipped_at_the_margin"])
def test_a_table_without_side_rules_keeps_its_outer_columns(clip):
    lines = pdf_text(_open_sided_page(72, 360, clip))[0].splitlines()
    assert "规章\t3\t15" in lines and "规范性文件\t8\t120" in lines


def _row_open_at_the_top(open_top: bool) -> bytes:
    """A page whose table goes on from the page before: its first row (a wrapped label and its
    values) drawn without a rule above it (``open_top``), its vertical rules starting together
    at the page's top; a second row below, ruled all round."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 10)
    for y in (740, 700) if open_top else (780, 740, 700):
        page.line(72, y, 330, y)
    for x in (72, 200, 260, 330):
        page.line(x, 700, x, 780)
    for y, text in ((766, "1.申请人无正当"), (754, "理由逾期不补正")):
        page.drawString(76, y, text)
    for x, value in ((204, "3"), (264, "3")):
        page.drawString(x, 758, value)
    for x, text in ((76, "2.重复申请"), (204, "5"), (264, "5")):
        page.drawString(x, 716, text)
    page.save()
    return buffer.getvalue()


@pytest.mark.parametrize("open_top", [True, False])
def test_a_row_a_page_break_left_open_at_the_top_is_a_row_of_its_table(open_top):
    """A browser breaks a table over pages without a rule above the row that opens the next
    page: its vertical rules, starting together there, close it; its label is one cell."""
    lines = pdf_text(_row_open_at_the_top(open_top))[0].splitlines()
    assert "1.申请人无正当理由逾期不补正\t3\t3" in [line.replace("\n", "") for line in lines], lines
    assert "2.重复申请\t5\t5" in lines


def test_rules_ending_apart_close_no_column():
    """Rules that run on past the last vertical one but end at different places are no side."""
    from extractor.converters.pdf_rules import Segment, find_tables

    rules = [Segment(True, 100, 50, 300), Segment(True, 120, 50, 340), Segment(True, 140, 50, 380)]
    rules += [Segment(False, x, 100, 140) for x in (50, 150, 250)]
    (table,) = find_tables(rules)
    assert table.bbox == (50, 100, 250, 140)


def test_pdf_character_boxes_stand_where_the_characters_were_drawn():
    data = _ruled_page(
        [(72, 650, 200, 700, ["合计"]), (200, 650, 260, 700, ["57"])], "本年度共收到政府信息公开申请57件"
    )
    layout = pdf_layout(data)
    prose_seven = layout.text.index("7件")
    box = layout.box(prose_seven)
    assert (
        box and box.page == 1 and 841.9 - 760 - 10 < box.top < 841.9 - 760 < box.bottom
    )  # about the baseline
    assert box.x0 > layout.box(prose_seven - 1).x0 + 1 and box.x1 > box.x0
    cell_seven = layout.text.index("57\n", prose_seven + 2) + 1
    box = layout.box(cell_seven)
    assert box and 200 < box.x0 < box.x1 < 260 and 841.9 - 700 < box.top < box.bottom < 841.9 - 650
    assert layout.box(cell_seven - 2) is None  # the tab between the cells was written, not drawn
    (run,) = layout.boxes(layout.text.index("合计"), layout.text.index("合计") + 2)
    assert 72 < run.x0 < run.x1 < 200


def test_a_space_drawn_as_its_own_text_object_still_parts_the_words_beside_it():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 10)
    page.drawString(100, 700, "本年度新收政府信息公开申请共计若干件")
    page.drawString(100, 680, "成立")
    page.drawString(120, 680, " ")  # PDFium's text page leaves a text object of blanks out
    page.drawString(122.5, 680, "70")  # 2.5 pt on: too close to part the words without the blank
    page.save()
    assert "成立 70" in pdf_text(buffer.getvalue())[0].splitlines()


def _tiny_pdf(content: bytes, to_unicode: bytes) -> bytes:
    """A one-page PDF in Helvetica whose characters map to Unicode as ``to_unicode`` says."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        *(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(s), s) for s in (content, to_unicode)),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_character_beyond_the_bmp_reads_as_one_character_with_its_box():
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"1 beginbfchar <41> <D842DFB7> endbfchar\n"  # A is \U00020BB7, written in UTF-16 as PDF does
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    layout = pdf_layout(_tiny_pdf(b"BT /F1 12 Tf 20 100 Td (A BCDEFGHIJKLMNOPQRSTUVWXYZ) Tj ET", cmap))
    assert layout.text.startswith("\U00020bb7 BCDEFGHIJKLMNOPQRSTUVWXYZ\n")
    box = layout.box(0)
    assert box and box.x0 == pytest.approx(20) and box.top < 100 < box.bottom


_THREADS = """
import random, sys
from concurrent.futures import ThreadPoolExecutor
from evals.markup import SpanTable, to_pdf
from extractor.converters.from_pdf import pdf_text

rows = lambda n: SpanTable([[(f"第{i}行", 1, 1), (str(i), 1, 1)] for i in range(n)], 2)
datas = [to_pdf(["前言", rows(n)], "报告", random.Random(n)) for n in (30, 60, 90)]
alone = [pdf_text(data)[0] for data in datas]
for _ in range(10):
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda data: pdf_text(data)[0], datas * 8)) == alone * 8
print("same")
"""


def test_pdfs_read_in_threads_at_once_read_as_one_at_a_time():
    import subprocess
    import sys

    # in a process of its own: PDFium entered from two threads at once crashes the process
    done = subprocess.run([sys.executable, "-c", _THREADS], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip() == "same", done.stderr[-500:]


def test_reading_a_pdf_is_quiet_and_needs_no_pdfminer(capfd):
    import subprocess
    import sys

    data = to_pdf(["本年度报告根据《中华人民共和国政府信息公开条例》编制。"], "报告", random.Random(0))
    code = (
        "import sys; from extractor.converters.from_pdf import pdf_text; "
        "pdf_text(sys.stdin.buffer.read()); print(sorted(m for m in sys.modules if m.startswith('pdfminer')))"
    )
    done = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, cwd=ROOT, check=True)
    assert done.stdout.decode().strip() == "[]" and done.stderr == b""


# --- round trip -------------------------------------------------------------------------

_RECORDS = [random_record(random.Random(n)) for n in (3, 4)] + [seed_records()[1][1]]


@pytest.mark.parametrize("record", _RECORDS, ids=["random-a", "random-b", "sample-001"])
def test_the_same_report_gives_the_same_fields_in_every_format(tmp_path, record):
    fields = {}
    for layout in ("tab_rows", "markdown", "html", "html_gbk", "docx", "pdf"):
        suffix, content = render_file(record, layout, random.Random(1))
        path = tmp_path / f"{layout}{suffix}"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        doc = extract(path)
        assert doc.status == "ok", (layout, doc.notes)
        fields[layout] = doc.fields
    first = fields["tab_rows"]
    assert {layout: f for layout, f in fields.items() if f != first} == {}
    assert {k: v for k, v in record.items() if first.get(k) != v} == {}


# --- Word files as offices leave them -------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _edited_docx(data: bytes, edit) -> bytes:
    """A .docx whose document.xml ``edit`` (on its lxml body) changed."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/document.xml":
                root = etree.fromstring(content)
                edit(root.find(f"{_W}body"))
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, content)
    return out.getvalue()


def _tracked_numbers(body) -> None:
    """Every number a tracked change: the old number deleted, the new one inserted."""
    from lxml import etree

    for run in list(body.iter(f"{_W}r")):
        text = "".join(t.text or "" for t in run.iter(f"{_W}t"))
        if not text.strip().isdigit():
            continue
        parent, at = run.getparent(), run.getparent().index(run)
        deleted = etree.Element(f"{_W}del", {f"{_W}id": "1", f"{_W}author": "x"})
        old = etree.SubElement(etree.SubElement(deleted, f"{_W}r"), f"{_W}delText")
        old.text = "9999"
        inserted = etree.Element(f"{_W}ins", {f"{_W}id": "2", f"{_W}author": "x"})
        parent.remove(run)
        inserted.append(run)
        parent.insert(at, inserted)
        parent.insert(at, deleted)


def _in_content_controls(body) -> None:
    """Every table inside a content control (a template's w:sdt)."""
    from lxml import etree

    for table in list(body.iter(f"{_W}tbl")):
        parent, at = table.getparent(), table.getparent().index(table)
        control = etree.Element(f"{_W}sdt")
        content = etree.SubElement(control, f"{_W}sdtContent")
        parent.remove(table)
        content.append(table)
        parent.insert(at, control)


def _in_a_layout_table(body) -> None:
    """The whole report inside one cell of a table laid out for the page."""
    from lxml import etree

    section = body.find(f"{_W}sectPr")
    children = [c for c in body if c is not section]
    outer = etree.Element(f"{_W}tbl")
    cell = etree.SubElement(etree.SubElement(outer, f"{_W}tr"), f"{_W}tc")
    for child in children:
        body.remove(child)
        cell.append(child)
    etree.SubElement(cell, f"{_W}p")  # a cell ends with a paragraph
    body.insert(0, outer)


def _rows_starting_later(body) -> None:
    """Rows under a cell merged down start later in the grid (w:gridBefore), and rows whose
    last cell is empty end earlier (w:gridAfter), as Word writes a table edited so: the places
    left out are no cells of the row."""
    from lxml import etree

    for row in body.iter(f"{_W}tr"):
        cells = row.findall(f"{_W}tc")
        first_merge, last_text = cells[0].find(f"{_W}tcPr/{_W}vMerge"), "".join(cells[-1].itertext())
        properties = row.find(f"{_W}trPr")
        if properties is None:
            properties = etree.Element(f"{_W}trPr")
            row.insert(0, properties)
        if first_merge is not None and first_merge.get(f"{_W}val") in (None, "continue"):
            row.remove(cells[0])
            etree.SubElement(properties, f"{_W}gridBefore", {f"{_W}val": "1"})
        if len(cells) > 2 and not last_text.strip() and cells[-1].find(f"{_W}tcPr/{_W}vMerge") is None:
            row.remove(cells[-1])
            etree.SubElement(properties, f"{_W}gridAfter", {f"{_W}val": "1"})


@pytest.mark.parametrize(
    "edit", [_tracked_numbers, _in_content_controls, _in_a_layout_table, _rows_starting_later]
)
def test_a_word_file_as_offices_leave_it_reads_its_fields(tmp_path, edit):
    record = random_record(random.Random(11))
    data = render_file(record, "docx", random.Random(11))[1]
    doc = extract(_write(tmp_path, "report.docx", _edited_docx(data, edit)))
    wrong = {f: (doc.fields.get(f), v) for f, v in record.items() if doc.fields.get(f) != v}
    assert wrong == {}
    assert doc.status == "ok"


def test_markdown_that_opens_with_raw_html_is_still_markdown(tmp_path):
    """pandoc keeps a page's header as a raw HTML block at the top of its markdown: the file is
    markdown (its pipe tables read), not a web page."""
    record = random_record(random.Random(5))
    suffix, text = render_file(record, "markdown", random.Random(5))
    assert suffix == ".md" and "| 规章 |" in text
    page_header = '<div class="header">\n\n网站导航 \\| 无障碍\n\n</div>\n\n'
    doc = extract(_write(tmp_path, "report.md", (page_header + text).encode("utf-8")))
    assert {f: doc.fields.get(f) for f in record} == record
    assert doc.status == "ok" and doc.input_format == "text"
