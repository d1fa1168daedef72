import re
import unicodedata

import pytest

from extractor.errors import InputError
from extractor.reading import decode, normalise, read_file

from .conftest import REPORTS, SEED_NAMES, gold_of

SEED = REPORTS / f"{SEED_NAMES[1]}.txt"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("gb18030", b""),
        ("gbk", b""),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-16", b""),  # with its BOM
    ],
)
def test_every_encoding_decodes_to_the_same_text(encoding, prefix):
    text = SEED.read_text(encoding="utf-8")
    decoded, _ = decode(prefix + text.encode(encoding))
    assert decoded == text


def test_short_gbk_title_is_not_mistaken_for_utf16():
    # charset-normalizer alone calls this UTF-16-BE; the plausibility check must not.
    data = "海原县卫生健康局2024年政府信息公开工作年度报告".encode("gbk")
    assert decode(data) == ("海原县卫生健康局2024年政府信息公开工作年度报告", "gb18030")


def test_big5_text_is_decoded_as_big5_not_as_gb18030_gibberish():
    text = "臺北市政府衛生局政府資訊公開年度報告，本年度受理申請案件共計十件。" * 3
    decoded, encoding = decode(text.encode("big5"))
    assert decoded == text
    assert encoding == "big5"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t ", "empty file"),
        (bytes(range(256)) * 20, "binary"),
        (b"\x00\x01\x02\x03" * 500, "binary"),
    ],
)
def test_bad_bytes_give_a_one_line_reason(data, message):
    with pytest.raises(InputError, match=message) as info:
        decode(data)
    assert "\n" not in str(info.value)


def test_a_wrong_byte_order_mark_is_refused():
    with pytest.raises(InputError, match="byte-order mark"):
        decode(b"\xef\xbb\xbf" + "政府信息公开".encode("gbk"))


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_file(tmp_path)


def test_normalisation_folds_width_spaces_and_line_ends():
    src = normalise("规章\u3000１２\xa0３\r\n（一）予以公开：５")
    assert src.text == "规章 12 3\n(一)予以公开:5"


def test_page_number_lines_are_dropped_and_offsets_still_map_back():
    decoded = "一、本年新收\t6\r\n- 3 -\r\n\t第 4 页 共 9 页\n二、上年结转\t０\n"
    src = normalise(decoded)
    assert src.text == "一、本年新收\t6\n二、上年结转\t0\n"
    for i, ch in enumerate(src.text):
        original = decoded[src.to_decoded(i)]
        assert normalise(original).text == ch or (ch == "\n" and original in "\r\n")
    zero = src.text.index("0")
    start, end = src.span_to_decoded(zero, zero + 1)
    assert decoded[start:end] == "０"


def test_zero_width_marks_are_removed():
    src = normalise("总\u200b计\ufeff 7")
    assert src.text == "总计 7"
    assert src.decoded[src.to_decoded(src.text.index("7"))] == "7"


def test_radical_and_compatibility_code_points_read_as_their_ideographs():
    """A PDF font that maps 一 to the Kangxi radical ⼀ (U+2F00), 行 to ⾏, 月 to ⽉: the same
    report, the same fields, offsets unchanged."""
    from extractor import extract

    radicals = {}
    for code in range(0x2F00, 0x2FD6):
        ideograph = unicodedata.normalize("NFKC", chr(code))
        radicals.setdefault(ideograph, chr(code))
    text = (REPORTS / f"{SEED_NAMES[1]}.txt").read_text(encoding="utf-8")
    disguised = "".join(radicals.get(ch, ch) for ch in text)
    assert sum(a != b for a, b in zip(text, disguised, strict=True)) > 100
    assert normalise(disguised).text == normalise(text).text
    assert extract(disguised).fields == extract(text).fields


def test_letter_spaced_words_are_read_as_words_and_offsets_map_back():
    """A justified PDF line's character spacing (政 府 信 息) is no word break; spaces between
    two-character words, or beside digits, stay."""
    src = normalise("二 、 主 动 公 开 政 府 信 息 情 况\n结果 维持 其他\n规 章 0 0\n1 2 3 件")
    assert src.text == "二、主动公开政府信息情况\n结果 维持 其他\n规 章 0 0\n1 2 3 件"
    at = src.text.index("情")
    assert src.decoded[src.to_decoded(at)] == "情"


def test_a_report_letter_spaced_throughout_reads_its_fields():
    import re

    from extractor import extract

    text = (REPORTS / f"{SEED_NAMES[0]}.txt").read_text(encoding="utf-8")
    spaced = re.sub(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", " ", text)
    doc, reference = extract(spaced), extract(text)
    assert doc.status == reference.status == "ok"
    assert doc.fields == reference.fields


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        # full-width brackets are folded to ASCII for reading, but a name is given as named
        ("某县发改局（某县粮食局）2024年政府信息公开工作年度报告", "某县发改局（某县粮食局）"),
        ("某 县 民 政 局 2024年政府信息公开工作年度报告", "某县民政局"),  # less the letter spacing
        ("某县\u2f00\u5c40 2024年政府信息公开工作年度报告", "某县一局"),  # a font's radical: the ideograph
    ],
)
def test_the_agency_is_given_in_the_characters_the_title_prints(title, agency):
    from extractor import extract

    text = (REPORTS / f"{SEED_NAMES[1]}.txt").read_text(encoding="utf-8")
    body = text[text.index("一、总体情况") :]
    assert extract(f"{title}\n\n{body}").fields["meta.agency"] == agency


def test_a_line_break_tag_outside_a_table_row_breaks_the_line():
    """A converter's text of a table it took for a picture joins its lines with <br> (规章 0 0
    18<br>行政规范性文件 0 0 0<br>…): those are line breaks; in a markdown row, breaks in a cell."""
    import json

    from extractor import extract

    text = (REPORTS / "002_a9a3d7926273398a.txt").read_text(encoding="utf-8")
    start, end = text.index("第二十条第（一）项"), text.index("三、收到和处理政府信息公开申请情况")
    block = text[start:end].strip()
    pictured = (
        text[:start]
        + "<br>".join(line.replace("\t", " ").strip() for line in block.split("\n"))
        + "\n\n"
        + text[end:]
    )
    assert "<br>行政许可 6 增 2 103<br>" in pictured
    gold = json.loads((REPORTS.parent / "gold" / "002_a9a3d7926273398a.json").read_text(encoding="utf-8"))[
        "fields"
    ]
    fields = extract(pictured).fields
    t2 = [f for f in gold if f.startswith("t2.")]
    assert {f: fields[f] for f in t2} == {f: gold[f] for f in t2}
    assert "\n" not in normalise("| a<br>b | 1 |").text  # (in a table's row: a break in its cell)


def test_markdown_bold_is_deleted_and_offsets_still_map_back():
    """A Word file through a markdown converter keeps its bold runs (共 **5251** 条, **一、总体
    情况**): the marks are deleted, a number inside them read, its span mapped to the decoded text."""
    from extractor import extract

    text = (REPORTS / "000_3e234e060d6fa3b4.txt").read_text(encoding="utf-8")
    sentence = next(line for line in text.splitlines() if "主动公开" in line and "条" in line)
    count = re.search(r"(\d+)\s*条", sentence)
    assert count is not None
    bolded = text.replace(sentence, sentence.replace(count.group(1), f"**{count.group(1)}**", 1))
    source = normalise(bolded)
    assert "**" not in source.text
    doc = extract(bolded)
    evidence = doc.evidence["overview.proactive_total"]
    assert doc.fields["overview.proactive_total"] == int(count.group(1))
    assert bolded[evidence.start : evidence.end] == count.group(1)  # (evidence: decoded offsets)


# A few characters' pinyin, as a copy site annotates them (its ruby text copied in brackets)
_PINYIN = {
    "區": "qū",
    "開": "kāi",
    "報": "bào",
    "務": "wù",
    "時": "shí",
    "請": "qǐng",
    "網": "wǎng",
    "發": "fā",
}


def _with_pinyin(text: str) -> str:
    return "".join(f"{ch}({_PINYIN[ch]})" if ch in _PINYIN else ch for ch in text)


@pytest.mark.parametrize("annotated", [False, True])
@pytest.mark.parametrize("name", SEED_NAMES)
def test_a_report_in_traditional_characters_reads_as_in_simplified_ones(name, annotated):
    """A site's 繁體 version of a report (a sample through OpenCC's simplified → traditional):
    read in simplified characters, one for one, every field as the sample's gold; the agency
    quoted as printed, and the evidence in the characters of the input. The same on a copy
    site's page of it whose characters carry their pinyin in brackets (區(qū), 公開(kāi)): read
    as without them, the agency quoted without them too."""
    import opencc

    from extractor.evaluation import same_value
    from extractor.pipeline import extract

    to_traditional = opencc.OpenCC("s2t").convert
    printed = to_traditional((REPORTS / f"{name}.txt").read_text(encoding="utf-8"))
    if annotated:
        printed, before = _with_pinyin(printed), printed
        assert printed.count("(") > before.count("(") + 20  # (the case is real)
    doc = extract(printed, name="traditional.txt")
    gold = gold_of(name)["fields"]
    wrong = {
        f: doc.fields.get(f)
        for f, want in gold.items()
        if not same_value(doc.fields.get(f), to_traditional(want) if f == "meta.agency" else want)
    }
    assert not wrong and doc.status == gold_of(name)["expected_status"]
    assert to_traditional(str(gold["meta.agency"])) != gold["meta.agency"]  # (the case is real)


def test_a_text_in_simplified_characters_quoting_a_few_traditional_ones_is_left_as_it_is():
    text = (
        SEED.read_text(encoding="utf-8") + "\n本頁面提供繁體版、政府資訊公開、關於我們、聯絡處、個人資料。\n"
    )
    assert normalise(text).text.endswith("本頁面提供繁體版、政府資訊公開、關於我們、聯絡處、個人資料。\n")
