"""Converters: HTML, Word and PDF files read as the same report text, and bad files refused."""

import pytest

from .conftest import needs

needs("reportlab", extra="pip install -e '.[dev]'")  # the generator writes PDF files with it

import io
import random

from evals.generate import random_record, render_file, seed_records
from evals.markup import SpanTable, to_docx, to_html, to_pdf
from extractor import extract
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


def test_a_zip_that_is_not_a_word_file_and_an_old_doc_file_are_refused(tmp_path):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n")
    doc = extract(_write(tmp_path, "x.zip", buffer.getvalue()))
    assert doc.status == "failed" and "not a Word .docx" in doc.error
    doc = extract(_write(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600))
    assert doc.status == "failed" and "save it as .docx" in doc.error


def test_a_broken_docx_is_refused_with_one_line(tmp_path):
    doc = extract(_write(tmp_path, "bad.docx", b"PK\x03\x04word/" + b"\x00" * 100))
    assert doc.status == "failed" and "\n" not in doc.error and "docx" in doc.error


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
