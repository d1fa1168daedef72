"""Scans read by OCR (the ocr extra): a generated report printed to PDF, rendered to page images,
degraded and read back; the guards that keep an OCR error from ever being silent."""

from __future__ import annotations

import pytest

from .conftest import needs

needs("rapidocr", "onnxruntime", "cv2", extra="pip install -e '.[ocr]'")

import io
import itertools
import random
import socket

import cv2
import numpy as np
import pdfplumber
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from evals.generate import generate
from evals.scans import blur, jpeg, render, scanned, seal, skew
from extractor import extract
from extractor.converters import from_scan, kind_of
from extractor.converters.from_scan import HIGH, LOW, _doubt
from extractor.converters.scan_grid import Page, mask_red, prepare
from extractor.evaluation import score
from extractor.reading import read_bytes
from extractor.values import UNREAD

DPI = 200
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _generated_pdf(seed: int, index: int = 0) -> tuple[bytes, dict]:
    _name, _suffix, content, gold = generate(index + 1, seed=seed, layouts=("pdf",))[index]
    assert isinstance(content, bytes)
    return content, gold


@pytest.fixture(scope="module")
def source() -> tuple[bytes, dict]:
    """A generated report as a PDF with a text layer (its tables ruled with single lines), and
    its gold."""
    return _generated_pdf(32)


@pytest.fixture(scope="module")
def pages(source) -> list[Image.Image]:
    return render(source[0], DPI)


@pytest.fixture(scope="module")
def clean_scan(pages) -> bytes:
    return scanned(pages, DPI)


@pytest.fixture(scope="module")
def offline_document(clean_scan):
    """The clean scan read with every network connection refused, the engine loaded inside."""
    from_scan._engine.cache_clear()

    def refuse(*args, **kwargs):
        raise OSError("network access attempted during OCR")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket.socket, "connect_ex", refuse)
        patch.setattr(socket, "create_connection", refuse)
        return extract(clean_scan, name="scan.pdf")


def _cell_boxes(pdf: bytes, label: str) -> list[tuple[int, int, int, int]]:
    """The boxes (page-image pixels at DPI) of the numbers printed on the table row ``label``
    starts, left to right, from the source's text layer; and the page they are on."""
    scale = DPI / 72
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            words = page.extract_words()
            row = next((w for w in words if w["text"].startswith(label)), None)
            if row is None:
                continue
            numbers = [w for w in words if abs(w["top"] - row["top"]) < 3 and w["text"].isdigit()]
            numbers.sort(key=lambda w: w["x0"])
            return [
                (page.page_number - 1, *(round(v * scale) for v in (w["x0"], w["top"], w["x1"], w["bottom"])))
                for w in numbers
            ]
    raise AssertionError(f"no row {label}")


def _overwrite(image: Image.Image, box: tuple[int, int, int, int], draw_in) -> Image.Image:
    image = image.copy()
    x0, y0, x1, y1 = box
    pad = 2
    canvas = ImageDraw.Draw(image)
    canvas.rectangle((x0 - pad, y0 - pad, x1 + pad, y1 + pad), fill=(255, 255, 255))
    draw_in(canvas, x0, y0, x1, y1)
    return image


def test_a_clean_scan_reads_every_field_offline_and_every_value_says_ocr(offline_document, source, pages):
    doc = offline_document
    result = score(doc, source[1], "scan", 0.0)
    assert result.wrong == {}
    assert doc.status == "ok" and doc.input_format == "ocr" and "OCR" in (doc.encoding or "")
    assert doc.ocr is not None and doc.ocr.pages == len(pages) >= 2 and doc.ocr.dpi == DPI
    read = {f: e for f, e in doc.evidence.items() if doc.fields[f] is not None}
    assert read and all(e.method == "ocr" for e in read.values())
    on_pages = range(1, len(pages) + 1)
    assert all(e.confidence is not None and e.page in on_pages and e.box is not None for e in read.values())
    total = doc.evidence["t3.new_received.total"]
    assert total.text == str(doc.fields["t3.new_received.total"])


def test_tables_ruled_with_double_lines_read_every_field_and_their_blank_cells_blank():
    """A web page's table with cell spacing prints every cell boxed on its own: each rule is two
    strokes. Both are one line of the grid, and both are taken off before the OCR (the inner
    box's corner otherwise reads as 7, its side as 1, in a blank cell); a value cell split only
    on the label side, and a label cell over rows, stay one row."""
    pdf, gold = _generated_pdf(1717, 3)  # its page break falls inside a block of rows under one label
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        edges = [e for e in document.pages[0].edges if e["orientation"] == "v"]
    xs = sorted({round(e["x0"], 1) for e in edges})
    assert any(0 < b - a < 3 for a, b in itertools.pairwise(xs)), "the source is not double-ruled"
    doc = extract(scanned(render(pdf, DPI), DPI), name="double.pdf")
    assert score(doc, gold, "scan", 0.0).wrong == {}
    assert doc.status == "ok"


def test_grid_rows_have_the_grid_cell_count_and_merged_cells_their_text_once(clean_scan):
    text = read_bytes(clean_scan, "scan.pdf").decoded
    tables = [block for block in text.split("\n\n") if "\t" in block]
    assert len(tables) >= 3
    for block in tables:
        counts = {line.count("\t") for line in block.splitlines() if line}
        assert len(counts) == 1, block
    assert text.count("申请人情况") == 1  # a header spanning columns: its text in its first cell


def test_ink_that_does_not_read_as_a_number_is_not_read_and_is_named(pages, source):
    """A number printed as the letter O and a scribble in two value cells of table 三: those two
    fields are not read and a failed check names each; the rest of their row reads right."""
    pdf, gold = source
    boxes = _cell_boxes(pdf, "一、本年新收")
    (page_o, *box_o), (page_b, *box_b) = boxes[0], boxes[2]
    font = ImageFont.truetype(FONT, box_o[3] - box_o[1] + 4)
    tampered = list(pages)
    tampered[page_o] = _overwrite(
        tampered[page_o],
        tuple(box_o),
        lambda c, x0, y0, x1, y1: c.text((x0, y0 - 3), "O", fill=(0, 0, 0), font=font),
    )
    tampered[page_b] = _overwrite(
        tampered[page_b],
        tuple(box_b),
        lambda c, x0, y0, x1, y1: c.line(
            (x0 - 2, y0, x1 + 2, y1, x0 - 2, y1, x1 + 2, y0), fill=(0, 0, 0), width=3
        ),
    )
    doc = extract(scanned(tampered, DPI), name="tampered.pdf")
    letter, blot = "t3.new_received.natural_person", "t3.new_received.research"
    flagged = {f for check in doc.failed_checks for f in check.fields}
    assert doc.status == "needs_review"
    assert doc.fields[letter] is None and doc.fields[blot] is None
    assert {letter, blot} <= {f for c in doc.failed_checks if c.id == "read.t3" for f in c.fields}
    others = [f"t3.new_received.{col}" for col in ("commercial", "social_org", "legal_service", "other_org")]
    assert all(doc.fields[f] == gold["fields"][f] for f in others)
    assert not [f for f, v in gold["fields"].items() if doc.fields.get(f) != v and f not in flagged]


def test_a_red_seal_over_a_table_leaves_its_grid_as_it_was(pages):
    clean = prepare(cv2.cvtColor(np.asarray(pages[0]), cv2.COLOR_RGB2BGR), DPI)
    for attempt in range(3):
        stamped = seal(pages[0], random.Random(attempt), DPI)
        page = prepare(cv2.cvtColor(np.asarray(stamped), cv2.COLOR_RGB2BGR), DPI)
        assert len(page.tables) == len(clean.tables)
        for got, want in zip(page.tables, clean.tables, strict=True):
            assert [(c.row, c.col, c.rows, c.cols) for c in got.cells] == [
                (c.row, c.col, c.rows, c.cols) for c in want.cells
            ]
            assert np.abs(np.subtract(got.xs + got.ys, want.xs + want.ys)).max() <= 2


def test_red_is_taken_off_by_colour_what_is_under_it_and_grey_shading_are_kept():
    seal = np.array([40, 35, 215])  # BGR, seal ink on paper
    under_grey_line = (seal * 0.6).astype(np.uint8)  # the seal multiplied over a line of grey 153
    pixels = np.array([[seal, [0, 0, 0], under_grey_line, [200, 200, 200], [255, 255, 255]]], np.uint8)
    # seal on paper, black text, a line under the seal, a shaded row, paper
    grey, red, _faded = mask_red(pixels)
    assert grey[0, 0] == 255 and grey[0, 1] == 0 and abs(int(grey[0, 2]) - 153) <= 3
    assert grey[0, 3] == 200 and grey[0, 4] == 255
    assert red[0].tolist() == [255, 0, 255, 0, 0]


def test_a_seals_strokes_that_lost_their_colour_are_taken_off_and_text_under_its_red_kept():
    """JPEG and blur leave a seal's strokes light grey at their edges, no longer red: taken off
    the page for its text (read as characters, they made 0 into 0、2。44). Text under the red
    comes back by dividing out the seal, lighter than it was printed: it is kept."""
    seal = np.array([40, 35, 215])  # BGR, seal ink on paper
    faded_edge, black, grey_under_seal = [180, 180, 180], [0, 0, 0], (seal * 0.5).astype(np.uint8)
    pixels = np.array([[seal, faded_edge, black, grey_under_seal, seal]], np.uint8)
    _grey, _red, faded = mask_red(pixels)
    assert faded[0, 1:4].tolist() == [255, 0, 0]


def test_values_under_a_blurred_seal_in_jpeg_are_read_right_or_named(pages, source):
    """A seal over table 二 (which has no sum to catch a misread), blurred and saved as JPEG: no
    value comes out wrong unnamed. Taking off the seal's text under its star, too, left a 0 that
    read 9 with high confidence twice, in an ok report."""
    rng = random.Random(3)
    degraded = [jpeg(blur(seal(page, rng, DPI), rng, DPI), rng, DPI) for page in pages]
    doc = extract(scanned(degraded, DPI), name="sealed.pdf")
    flagged = {f for check in doc.failed_checks for f in check.fields}
    wrong = [f for f, v in source[1]["fields"].items() if doc.fields.get(f) != v]
    assert wrong == [f for f in wrong if f in flagged] and len(wrong) <= 3


def test_the_skew_is_corrected(pages):
    turned = skew(pages[0], random.Random(3), DPI)  # 0.8-2 degrees one way or the other
    page = prepare(cv2.cvtColor(np.asarray(turned), cv2.COLOR_RGB2BGR), DPI)
    clean = prepare(cv2.cvtColor(np.asarray(pages[0]), cv2.COLOR_RGB2BGR), DPI)
    assert 0.8 <= abs(page.skew) <= 2.0
    assert [(t.n_rows, t.n_cols) for t in page.tables] == [(t.n_rows, t.n_cols) for t in clean.tables]


def test_a_reading_is_trusted_only_when_sure_or_confirmed():
    assert _doubt("447228", HIGH, lambda: pytest.fail("no second read when sure")) == ""
    assert _doubt("447228", 0.8, lambda: ("447228", 0.9)) == ""
    assert "second read gave '447223'" in _doubt("447228", 0.8, lambda: ("447223", 0.99))
    assert "below" in _doubt("5", LOW - 0.1, lambda: ("5", LOW - 0.2))


def test_an_image_is_known_by_its_first_bytes_and_read(pages):
    buffer = io.BytesIO()
    pages[0].save(buffer, "PNG", dpi=(DPI, DPI))
    from pathlib import Path

    assert kind_of(Path("page.dat"), buffer.getvalue()) == "image"
    src = read_bytes(buffer.getvalue(), "page.dat")
    assert src.input_format == "ocr" and src.ocr is not None and src.ocr.info.dpi == DPI
    assert "政府信息公开工作年度报告" in src.decoded and "\t" in src.decoded


def test_a_pdf_with_a_text_layer_never_goes_through_ocr(source, monkeypatch):
    def no_ocr(*args, **kwargs):
        raise AssertionError("a text-layer PDF went through OCR")

    monkeypatch.setattr(from_scan, "scan_text", no_ocr)
    doc = extract(source[0], name="report.pdf")
    assert doc.input_format == "pdf" and doc.ocr is None
    assert all(e.method == "rule" and e.confidence is None for e in doc.evidence.values())
    assert UNREAD not in str(doc.model_dump())


@pytest.mark.parametrize("skipped", [True, False])
def test_ink_between_two_characters_of_a_line_that_the_ocr_skipped_is_a_value_that_never_reads(skipped):
    """A 0 between two printed bars (a text-drawn table, |0|0|) that the OCR read nothing of:
    the line reads |�| with a doubt, not | | (a blank cell, counted 0 by every identity)."""
    from extractor.converters.from_scan import _Char, _line_piece
    from extractor.converters.scan_grid import Page, ink_of

    image = Image.new("L", (400, 80), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 36)
    if skipped:
        draw.text((180, 18), "0", fill=0, font=font)
    grey = np.asarray(image)
    page = Page(grey, ink_of(grey), (), DPI, 0.0, np.array([[1.0, 0, 0], [0, 1.0, 0]]))
    bar = lambda x0: _Char("|", 0.99, (x0, 15, x0 + 8, 60), 0)  # noqa: E731
    piece = _line_piece(page, [bar(120), bar(260)])
    assert piece.text == (f"|{UNREAD}|" if skipped else "| |")
    assert bool(piece.doubts) is skipped


def test_a_scanned_value_is_boxed_on_its_page_in_the_review_page(clean_scan, offline_document):
    """The review page of a scan shows the pages that hold values, each value's box where the
    OCR read it: its pixels at the scan's resolution as fractions of the page."""
    import json
    import re

    from extractor.reading import read_bytes
    from extractor.review import review_page

    doc = offline_document
    source = read_bytes(clean_scan, "scan.pdf")
    html = review_page(doc, source, clean_scan)
    data = json.loads(
        re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)[1]
    )
    field = "t3.new_received.total"
    evidence = doc.evidence[field]
    x0, y0, x1, y1 = evidence.box
    width, height = (v * doc.ocr.dpi / 72 for v in (595.2756, 841.8898))  # an A4 page, in pixels
    page, left, top, w, h = data["fields"][field]["boxes"][0]
    assert page == evidence.page and data["pages"]
    assert (left, top) == pytest.approx((x0 / width, y0 / height), abs=2e-3)
    assert (w, h) == pytest.approx(((x1 - x0) / width, (y1 - y0) / height), abs=2e-3)


CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def _ruled_rows(mid_rule: tuple[int, int] | None, through_second_row: bool = False) -> bytes:
    """A PNG of a ruled table at DPI: a group label over two rows, each row a label and two
    values, then a row of its own. The rule between the first two rows runs over the grid
    columns ``mid_rule`` (None: nowhere, lost); ``through_second_row``: one more rule across the
    group's column only, through the middle of the second row (a page break under a cell
    spanning rows leaves one so)."""
    image = Image.new("RGB", (1400, 540), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(CJK_FONT, 36)
    xs, top, mid, bottom, end = (60, 360, 860, 1110, 1360), 60, 180, 300, 420
    for x in xs:
        draw.line((x, top, x, end), fill="black", width=3)
    for y in (top, bottom, end):
        draw.line((xs[0], y, xs[-1], y), fill="black", width=3)
    if mid_rule:
        draw.line((xs[mid_rule[0]], mid, xs[mid_rule[1]], mid), fill="black", width=3)
    if through_second_row:
        draw.line((xs[0], 240, xs[1], 240), fill="black", width=3)
    draw.text((80, 340), "（四）无法提供", fill="black", font=font)
    draw.text((xs[2] + 40, 340), "3", fill="black", font=font)
    draw.text((xs[3] + 40, 340), "0", fill="black", font=font)
    draw.text((80, 220), "（三）不予公开", fill="black", font=font)
    draw.text((380, 100), "7.属于行政执法案卷", fill="black", font=font)
    draw.text((380, 220), "8.属于行政查询事项", fill="black", font=font)
    for x, (a, b) in zip(xs[2:4], [("5", "10"), ("4", "2")], strict=True):
        draw.text((x + 40, 100), a, fill="black", font=font)
        draw.text((x + 40, 220), b, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def test_a_rule_across_the_label_side_only_leaves_a_row_whole():
    text = from_scan.scan_text("image", _ruled_rows((1, 4), through_second_row=True)).text
    assert "8.属于行政查询事项\t10\t2" in text and UNREAD not in text


@pytest.mark.parametrize("mid_rule", [(1, 2), None], ids=["lost over the values", "lost across"])
def test_a_rule_lost_between_two_rows_leaves_their_values_unread(mid_rule):
    text = from_scan.scan_text("image", _ruled_rows(mid_rule)).text
    assert "510" not in text and "42" not in text and UNREAD in text


def _tight_rows(size: int) -> np.ndarray:
    """A table as a word processor prints it, blurred: ``size``-pixel text in rows of 37 pixels
    (LibreOffice's Word tables: 29-pixel characters between lines 34 apart), so a stroke of a
    character meets both lines of its row; 行政处罚 over 行政强制, their strokes at the same
    places. Only the first three rows are split into value columns (table 二's way)."""
    image = Image.new("RGB", (1300, 420), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(CJK_FONT, size)
    xs, ys = (40, 340, 640, 940, 1240), tuple(range(40, 400, 37))
    for y in ys:
        draw.line((xs[0], y, xs[-1], y), fill="black", width=2)
    for x in xs:
        bottom = ys[-1] if x in (xs[0], xs[1], xs[-1]) else ys[3]
        draw.line((x, ys[0], x, bottom), fill="black", width=2)
    rows = [("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "0", "22", "5")]
    rows += [("行政规范性文件", "0", "9", "13"), ("信息内容", "本年处理决定数量"), ("行政许可", "0")]
    rows += [
        ("信息内容", "本年处理决定数量"),
        ("行政处罚", "0"),
        ("行政强制", "0"),
        ("信息内容", "本年收费金额"),
    ]
    for top, row in zip(ys[:-1], rows, strict=True):
        for x, text in zip(xs, row, strict=False):
            draw.text((x + 8, top), text, fill="black", font=font)
    blurred = image.filter(ImageFilter.GaussianBlur(radius=1))
    return cv2.cvtColor(np.asarray(blurred), cv2.COLOR_RGB2BGR)


@pytest.mark.parametrize("size", [30, 31, 33])
def test_a_stroke_of_text_that_fills_its_row_is_no_column_line(size):
    """A column line runs end to end through two neighbouring rows, in one pixel column: a
    stroke of 本 or 件 that meets its row's lines is text (as a line, it split the cells of
    table 二 and, whitened, cut 本 and read 0 as "("), and so are two strokes one above the
    other a pixel or two apart."""
    (table,) = prepare(_tight_rows(size), DPI).tables
    assert len(table.xs) == 5 and table.xs == pytest.approx((40, 340, 640, 940, 1240), abs=4)


def test_a_wrapped_label_cut_after_its_first_character_is_a_label_not_an_unread_value():
    """A row broken over a page keeps its label's first line, 2.没, beside its numbers: a label
    (the next page's first row holds the rest); a digit's look-alike there is still no label."""
    row = [from_scan._Piece(t, (0, 0, 1, 1)) for t in ("", "2.没", "0", "3", "0")]
    assert [p.text for p in from_scan._values_judged(row)] == ["", "2.没", "0", "3", "0"]
    row = [from_scan._Piece(t, (0, 0, 1, 1)) for t in ("本机关不掌握相关政府信息", "一", "0", "3", "0")]
    assert [p.text for p in from_scan._values_judged(row)] == [
        "本机关不掌握相关政府信息",
        UNREAD,
        "0",
        "3",
        "0",
    ]


def _cell_with(stray: bool) -> tuple[Page, tuple[int, int, int, int]]:
    """One ruled cell holding 314 near its left side and, with ``stray``, a short stroke far
    right of it, as a seal's leftover stroke stands in a wide cell of table 二."""
    image = Image.new("RGB", (1200, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 1180, 100), outline="black", width=2)
    draw.text((40, 38), "314", fill="black", font=ImageFont.truetype(FONT, 34))
    if stray:
        draw.line((760, 44, 780, 76), fill=(90, 90, 90), width=4)
    page = prepare(cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR), DPI)
    return page, (20, 20, 1180, 100)


def test_ink_apart_from_a_number_in_its_cell_leaves_it_unread_when_the_cell_is_read_alone():
    """Where the page's OCR missed some of a cell's ink, the cell is read alone: a seal's
    leftover stroke far from the number made 314 read 2314, twice alike (so trusted), in table
    二 of a needs_review report, named by no check. Ink apart on one line is no one number."""
    page, box = _cell_with(stray=True)
    assert page.ink_apart(box)
    assert from_scan._cell_piece(page, box, []).text == UNREAD
    page, box = _cell_with(stray=False)
    assert not page.ink_apart(box)
    assert from_scan._cell_piece(page, box, []).text == "314"


@pytest.mark.parametrize("speck", [(800, 30, 806, 36), (700, 102, 706, 108)])
def test_a_speck_of_noise_beside_a_number_the_page_read_is_no_text_it_missed(speck):
    """A blot of noise on no line of the cell's number, too small to be any character, left
    the number "missed": read alone, with the speck, a scan's 11 came out 411, named by no
    check. The page's own reading of the cell stands."""
    image = Image.new("RGB", (1200, 140), "white")
    draw = ImageDraw.Draw(image)
    for box in ((20, 20, 580, 120), (580, 20, 1180, 120)):
        draw.rectangle(box, outline="black", width=2)
    font = ImageFont.truetype(FONT, 34)
    draw.text((60, 55), "Licensing 2024", fill="black", font=font)
    draw.text((860, 55), "11", fill="black", font=font)
    draw.rectangle(speck, fill="black")
    page = prepare(cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR), DPI)
    cell = (580, 20, 1180, 120)
    assert len(page.ink_by_line(cell)) == 2  # the speck is ink on a line of its own
    chars = [c for c in from_scan._page_chars(page) if c.box[0] >= cell[0]]
    assert "".join(c.text for c in chars) == "11"
    assert from_scan._cell_piece(page, cell, chars).text == "11"


def _open_rows(open_at: str) -> bytes:
    """A PNG of a ruled table broken by a page: three rows of a label and two values, the rule
    under the last row (``open_at`` "bottom") or over the first ("top") not printed, its column
    lines running on to where the row ends."""
    image = Image.new("RGB", (1400, 560), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(CJK_FONT, 36)
    xs, ys = (60, 660, 960, 1260), (60, 180, 300, 420)
    rules = ys[1:] if open_at == "top" else ys[:-1]
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill="black", width=3)
    for y in rules:
        draw.line((xs[0], y, xs[-1], y), fill="black", width=3)
    rows = [
        ("1.属于国家秘密", "5", "10"),
        ("2.其他法律行政法规禁止公开", "4", "2"),
        ("3.危及三安全一稳定", "3", "7"),
    ]
    for top, row in zip(ys, rows, strict=False):
        for x, text in zip(xs[:-1], row, strict=True):
            draw.text((x + 30, top + 40), text, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


@pytest.mark.parametrize("open_at", ["bottom", "top"])
def test_a_row_a_page_break_left_open_is_a_row_of_the_grid(open_at):
    """Word prints no rule under a table's last row on a page when the table goes on over the
    page (nor, some tables, over the next page's first row): the row is closed where its column
    lines end, and its values read in their cells."""
    text = from_scan.scan_text("image", _open_rows(open_at)).text
    row = "3.危及三安全一稳定\t3\t7" if open_at == "bottom" else "1.属于国家秘密\t5\t10"
    assert row in text and UNREAD not in text


def _columns_with_a_stray_stroke(stray: bool) -> np.ndarray:
    """A ruled table of four rows and three columns; with ``stray``, a thin stroke of ink just
    left of the last inner column line, over the first two rows alone (a seal's remains along
    it): one line's band holds the two."""
    image = Image.new("RGB", (1200, 520), "white")
    draw = ImageDraw.Draw(image)
    xs, ys = (60, 500, 800, 1100), (60, 160, 260, 360, 460)
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill="black", width=3)
    for y in ys:
        draw.line((xs[0], y, xs[-1], y), fill="black", width=3)
    if stray:
        draw.line((792, ys[0], 792, ys[2]), fill="black", width=1)
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


@pytest.mark.parametrize("stray", [True, False])
def test_a_stroke_beside_a_column_line_merges_no_cells_of_the_rows_below(stray):
    """A column line whose band starts with a stroke beside it (the line taken at that first
    stroke, as a double rule's) still bounds every row's cells: a scan's 社会公益组织 and 法律
    服务机构 columns merged from the third row down, each two 0s then one cell, not read."""
    page = prepare(_columns_with_a_stray_stroke(stray), DPI)
    (table,) = page.tables
    assert len(table.xs) == 4
    assert all(cell.cols == 1 for cell in table.cells)


def _cell_image(zeros: tuple[int, ...], sealed: bool) -> Page:
    """One ruled cell holding a 0 at each x of ``zeros``; with ``sealed``, a seal's red ring
    passes through it."""
    image = Image.new("RGB", (800, 160), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 780, 140), outline="black", width=2)
    for x in zeros:
        draw.text((x, 55), "0", fill="black", font=ImageFont.truetype(FONT, 34))
    if sealed:
        draw.ellipse((300, -200, 700, 200), outline=(215, 35, 40), width=10)
    return prepare(cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR), DPI)


@pytest.mark.parametrize("sealed", [True, False])
def test_a_cell_without_ink_under_a_seal_is_not_read_as_blank(sealed):
    """No ink seen in a cell proves it blank only where no seal lies over it: taking the seal's
    red off took a 0 under its ring with it (a scan's blank read for 0, in a row whose sum a
    blank counted as 0 still held: wrong, and named by no check)."""
    piece = from_scan._cell_piece(_cell_image((), sealed), (20, 20, 780, 140), [])
    assert piece.text == (UNREAD if sealed else "")
    assert bool(piece.doubts) is sealed


@pytest.mark.parametrize("both_read", [True, False])
def test_a_digit_of_ink_the_pages_ocr_left_out_of_a_cell_is_read_alone(both_read):
    """The page's OCR read one 0 where the cell holds two apart (its column line lost, two
    cells merged): the blot no character stands over sends the cell to be read alone, where
    the two apart leave it unread, never the one 0 read for both."""
    page = _cell_image((100, 500), sealed=False)
    cell = (20, 20, 780, 140)
    blots = [blot for _line, blots in page.ink_by_line(cell) for blot in blots]
    assert len(blots) == 2
    chars = [from_scan._Char("0", 0.99, blot, 0) for blot in (blots if both_read else blots[:1])]
    piece = from_scan._cell_piece(page, cell, chars)
    assert piece.text == UNREAD and piece.doubts


def _columns_crossed_by_a_ring(ring: bool) -> np.ndarray:
    """A ruled table of four rows and four columns; with ``ring``, a seal's red ring painted
    over the middle column line in the second and third rows, breaking it where it crosses (a
    degraded scan's seal leaves no line under its strokes), the ring's side running along it."""
    image = Image.new("RGB", (1200, 520), "white")
    draw = ImageDraw.Draw(image)
    xs, ys = (60, 330, 600, 870, 1100), (60, 160, 260, 360, 460)
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill="black", width=3)
    for y in ys:
        draw.line((xs[0], y, xs[-1], y), fill="black", width=3)
    if ring:
        draw.ellipse((430, 100, 630, 300), outline=(215, 35, 40), width=12)
        draw.ellipse((560, 200, 760, 400), outline=(215, 35, 40), width=12)
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


@pytest.mark.parametrize("ring", [True, False])
def test_a_column_line_a_seals_ring_breaks_still_bounds_its_cells(ring):
    """A seal's ring crossing a column line breaks it in a degraded scan: where the line is
    gone, the red is, and the line still bounds its cells (table 四's 尚未审结 and 总计 under
    a seal made one cell, 0 and 2 lost with it)."""
    page = prepare(_columns_crossed_by_a_ring(ring), DPI)
    (table,) = page.tables
    assert len(table.xs) == 5
    assert all(cell.cols == 1 and cell.rows == 1 for cell in table.cells)


def _digits_beside_lines(offset: int, blurred: bool) -> np.ndarray:
    """A ruled table of three rows and four columns, each value cell's digit (1, 0, 1) printed
    ``offset`` pixels right of its column line (1: flush against it, as a web page's cells
    without padding print); ``blurred``, as a degraded scan leaves them."""
    image = Image.new("RGB", (1000, 400), "white")
    draw = ImageDraw.Draw(image)
    xs, ys = (40, 400, 600, 800, 960), (40, 160, 280, 360)
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill="black", width=3)
    for y in ys:
        draw.line((xs[0], y, xs[-1], y), fill="black", width=3)
    font = ImageFont.truetype(FONT, 34)
    for top in ys[:-1]:
        for x, digit in zip(xs[1:-1], "101", strict=True):
            draw.text((x + offset, top + 20), digit, fill="black", font=font)
    if blurred:
        image = image.filter(ImageFilter.GaussianBlur(1.2))
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def _ink_per_value_cell(image: np.ndarray) -> list[int]:
    page = prepare(image, DPI)
    (table,) = page.tables
    assert len(table.xs) == 5 and len(table.ys) == 4
    boxes = [cell.box for cell in table.cells if cell.col]
    return [int((page.ink[y0:y1, x0:x1] > 0).sum()) for x0, y0, x1, y1 in boxes]


@pytest.mark.parametrize("blurred", [True, False])
def test_a_digit_printed_flush_against_a_column_line_keeps_its_strokes(blurred):
    """Taking the ruling lines off the page takes only the line: a 0 printed against it (its
    side one stroke with the line's, down the column) keeps its ink as a 0 printed apart from it
    does (a browser's print of a web page, scanned and blurred: 0s beside their lines unread,
    a 1 made blank)."""
    flush = _ink_per_value_cell(_digits_beside_lines(1, blurred))
    apart = _ink_per_value_cell(_digits_beside_lines(40, blurred))
    assert all(f >= 0.8 * a for f, a in zip(flush, apart, strict=True)), (flush, apart)  # (less the rim)
