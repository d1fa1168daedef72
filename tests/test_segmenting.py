import pytest

from extractor.catalog import Format
from extractor.segmenting import detect_format, find_sections, read_title

from .conftest import SEED_NAMES, gold_of

BODY = """一、总体情况
（一）主动公开情况。略。
二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t1
二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0
三、本年度办理结果\t(一) 予以公开\t1\t0\t0\t0\t0\t0\t1
四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0
{t4}
行政复议\t\t\t\t\t行政诉讼
五、存在的主要问题及改进情况
略。
六、其他需要报告的事项
无。
"""


@pytest.mark.parametrize(
    "t4_title",
    [
        "四、政府信息公开行政复议、行政诉讼情况",
        "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "四. 行政复议、诉讼情况",
    ],
)
def test_sections_in_order_and_table_rows_are_not_headings(t4_title):
    text = BODY.format(t4=t4_title)
    sections = find_sections(text)
    assert list(sections) == ["overview", "t2", "t3", "t4", "problems", "other"]
    t3 = text[sections["t3"].body_start : sections["t3"].end]
    assert "四、结转下年度继续办理" in t3  # a row of table 三, not the heading of 四
    assert text[sections["t4"].start :].startswith(t4_title)


def test_a_table_without_its_heading_is_found_by_its_opening_words():
    text = BODY.format(t4="").replace("三、收到和处理政府信息公开申请情况\n", "")
    sections = find_sections(text)
    assert text[sections["t3"].start :].startswith("一、本年新收")


@pytest.mark.parametrize(
    ("head", "agency", "year"),
    [
        ("\n\n某某县卫生健康局\n\n2023 年政府信息公开工作年度报告\n\n", "某某县卫生健康局", 2023),
        ("某某区教育局 2022 年政府信息公开工作年度报告\n", "某某区教育局", 2022),
        ("2021年某某市民政局政府信息公开工作年度报告\n", "某某市民政局", 2021),
        ("某某市人民政府办公室2020年度政府信息公开工作年度报告\n", "某某市人民政府办公室", 2020),
        ("《某某镇人民政府2024年政府信息公开工作年度报告》\n", "某某镇人民政府", 2024),
    ],
)
def test_title_variants(head, agency, year):
    text = head + BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    readings = read_title(text, text.index("一、总体情况")).fields
    assert readings["meta.agency"].value == agency
    assert readings["meta.year"].value == year
    r = readings["meta.agency"]
    assert text[r.start : r.end] == agency


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_title_and_format(seed_texts, name):
    text = seed_texts[name]
    sections = find_sections(text)
    readings = read_title(text, sections["overview"].start).fields
    gold = gold_of(name)["fields"]
    fmt, reading = detect_format(text, sections, readings["meta.year"].value)
    assert (readings["meta.agency"].value, readings["meta.year"].value) == (
        gold["meta.agency"],
        gold["meta.year"],
    )
    assert fmt == Format(gold["meta.format"])
    assert reading.confident


def test_format_from_table_three_when_table_two_is_silent_and_from_year_when_all_are():
    text = BODY.format(t4="").replace("本年制发件数\t本年废止件数\t现行有效件数", "")
    sections = find_sections(text)
    assert detect_format(text, sections, 2019)[0] == Format.F2019  # no marker at all: the year decides
    with_sub_rows = text.replace("四、结转下年度", "1.申请人无正当理由逾期不补正\t0\n四、结转下年度")
    fmt, reading = detect_format(with_sub_rows, find_sections(with_sub_rows), 2019)
    assert fmt == Format.F2021 and reading.confident
    assert not detect_format(text, sections, 2019)[1].confident
