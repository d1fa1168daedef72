import re

import pytest

from extractor import extract
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


_CONTENTS = (
    "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
    "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
)


_PADDED = "".join(f"            {line:<70}\n{' ' * 82}\n" for line in _CONTENTS.splitlines())


@pytest.mark.parametrize(
    "contents",
    [
        "目录\n" + _CONTENTS + "\n",
        _CONTENTS,
        "# 目录\n\n" + "".join(f"- {line} \n\n" for line in _CONTENTS.splitlines()),  # a list
        "目录\n" + _PADDED,  # a layout text's lines padded with spaces, blank lines between
    ],
)
def test_a_table_of_contents_without_page_numbers_is_no_sections_headings(contents):
    """pymupdf4llm writes a contents list as a list (- 一、总体情况); pdfplumber's layout text
    pads every line with spaces across the page."""
    body = BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    if contents.startswith("# "):  # (the body's headings are the list's items too)
        for heading in _CONTENTS.splitlines():
            body = body.replace(heading + "\n", f"- {heading} \n\n- ")
    text = "某某局2023年政府信息公开工作年度报告\n" + contents + body
    sections = find_sections(text)
    assert list(sections) == ["overview", "t2", "t3", "t4", "problems", "other"]
    assert sections["overview"].start >= text.index(body)  # the body's heading, not the list's


def test_sections_numbered_as_sub_headings_are_found_by_their_standard_titles():
    """Some reports number their six sections （一）…（六）, as sub-headings usually are."""
    text = BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    for n, numeral in enumerate("一二五六"):
        head = ["一、总体情况", "二、主动公开政府信息情况", "五、存在的主要问题", "六、其他需要报告"][n]
        text = text.replace(head, f"（{numeral}）{head[2:]}")
    sections = find_sections(text)
    assert list(sections) == ["overview", "t2", "t3", "t4", "problems", "other"]
    assert text[sections["overview"].start :].startswith("（一）总体情况\n（一）主动公开情况")


def test_a_table_without_its_heading_is_found_by_its_opening_words():
    text = BODY.format(t4="").replace("三、收到和处理政府信息公开申请情况\n", "")
    sections = find_sections(text)
    assert text[sections["t3"].start :].startswith("一、本年新收")


MARKDOWN_BODY = """一、总体情况
略。
二、主动公开政府信息情况
|第二十条第（一）项||||
|---|---|---|---|
|信息内容|本年制发件数|本年废止件数|现行有效件数|
三、收到和处理政府信息公开申请情况
|一、本年新收政府信息公开申请数量|1|0|0|0|0|0|1|
|二、上年结转政府信息公开申请数量||||||||
|四、结转下年度继续办理|0|0|0|0|0|0|0|
|四、政府信息公开行政复|议、行政诉讼情况||||||
|行政|复议||||行政|诉讼|
|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|
五、存在的主要问题及改进情况
略。
"""


def test_a_heading_a_converter_took_into_a_table_row_cut_in_cells_is_a_heading():
    """pymupdf4llm of a LibreOffice PDF: table 四's heading, next to the table, became its first
    row, cut in two cells, and the table's own header words are cut too. The row's cells joined
    make the heading; a row of words that make none (a blank row of table 三) is no heading."""
    sections = find_sections(MARKDOWN_BODY)
    assert list(sections) == ["overview", "t2", "t3", "t4", "problems"]
    assert MARKDOWN_BODY[sections["t4"].start :].startswith("|四、政府信息公开行政复|")
    t3 = MARKDOWN_BODY[sections["t3"].body_start : sections["t3"].end]
    assert "|二、上年结转政府信息公开申请数量|" in t3 and "|四、结转下年度继续办理|" in t3


@pytest.mark.parametrize(
    ("head", "agency", "year"),
    [
        ("\n\n某某县卫生健康局\n\n2023 年政府信息公开工作年度报告\n\n", "某某县卫生健康局", 2023),
        ("某某区教育局 2022 年政府信息公开工作年度报告\n", "某某区教育局", 2022),
        ("2021年某某市民政局政府信息公开工作年度报告\n", "某某市民政局", 2021),
        ("某某市人民政府办公室2020年度政府信息公开工作年度报告\n", "某某市人民政府办公室", 2020),
        ("《某某镇人民政府2024年政府信息公开工作年度报告》\n", "某某镇人民政府", 2024),
        # the title over two lines, the year first
        ("正文\n2024 年某某市科学技术委员会政府信息公开工作\n年度报告\n", "某某市科学技术委员会", 2024),
        ("2025 年某某市人民政府办公厅政府信息公开\n工作年度报告\n", "某某市人民政府办公厅", 2025),
        # markup and labels around the name
        ("# 某某县人民政府 2025 年 政府信息公开工作年度报告\n", "某某县人民政府", 2025),
        ("**某某县民政局2023年政府信息公开工作年度报告**\n", "某某县民政局", 2023),
        (
            "标题: 某某综合实验区2019年度政府信息公开工作年度报告\n发布时间: 2020-01-20\n",
            "某某综合实验区",
            2019,
        ),
        ("| 名称 | 某某区交通运输局2022年政府信息公开工作年度报告 |\n", "某某区交通运输局", 2022),
        # a web page's letter-spaced label (标　　题：) in its list of the document's properties
        (
            "发文机关: 区公安局\n\n标 题: 某某区公安局2024年政府信息公开工作年度报告\n\n发布日期:2025-01\n",
            "某某区公安局",
            2024,
        ),
        ("【某某县财政局】2022年政府信息公开工作年度报告\n", "某某县财政局", 2022),  # a site's brackets
        # a browser's print header on the title line
        ("2024/5/6 14:32 某某县卫生健康局2023年政府信息公开工作年度报告\n", "某某县卫生健康局", 2023),
        # the year in Chinese numerals; a 工作报告; the notice that publishes the report
        ("某某市人民政府二〇二三年政府信息公开工作年度报告\n", "某某市人民政府", 2023),
        ("二零二一年度某某区教育委员会政府信息公开工作年度报告\n", "某某区教育委员会", 2021),
        ("某某县民政局2022年度政府信息公开工作报告\n", "某某县民政局", 2022),
        (
            "关于印发《某某县民政局2022年政府信息公开工作年度报告》的通知\n\n"
            "某某县民政局2022年政府信息公开工作年度报告\n",
            "某某县民政局",
            2022,
        ),
        # the year after the words, as tax bureaus title theirs (on one line or two)
        ("国家税务总局某某县税务局政府信息公开工作2023年度报告\n", "国家税务总局某某县税务局", 2023),
        ("某某县卫生健康局政府信息公开工作\n2024年度报告\n", "某某县卫生健康局", 2024),
        # the title in two paragraphs (a Word file's), or two lines of a layout copy, indented
        ("2025 年某某市人民政府办公厅政府信息公开\n\n工作年度报告\n", "某某市人民政府办公厅", 2025),
        (
            "    2025 年某某市人民政府办公厅政府信息公开        \n            工作年度报告    \n",
            "某某市人民政府办公厅",
            2025,
        ),
        # a breadcrumb ending with the title
        (
            "当前位置：首页 > 政务公开 > 某某县卫生健康局2023年政府信息公开工作年度报告\n",
            "某某县卫生健康局",
            2023,
        ),
        # the year last: after 报告, in brackets or on a line of its own
        ("某某县卫生健康局政府信息公开工作年度报告（2024年度）\n", "某某县卫生健康局", 2024),
        ("某某县卫生健康局政府信息公开工作年度报告\n（2024年度）\n", "某某县卫生健康局", 2024),
        ("某某县卫生健康局\n政府信息公开工作年度报告\n2024年\n", "某某县卫生健康局", 2024),
        # a list's bullet before the year; the name on the line above
        ("某某市卫生健康局\n\n- 2024 年政府信息公开工作年度报告\n", "某某市卫生健康局", 2024),
        # no title line the rules know: the report named in the opening sentence
        (
            "工作报告\n\n根据《条例》规定，现发布《某某县卫生健康局 2024 年政府信息公开工作年度报告》。\n",
            "某某县卫生健康局",
            2024,
        ),
        # no title line at all: the opening sentence names the report, quoted or not
        (
            "根据《条例》规定，现公布某某市农业农村局2024年政府信息公开工作年度报告。\n",
            "某某市农业农村局",
            2024,
        ),
        ("现将某某区文化体育和旅游局2024年政府信息公开工作年度报告如下：\n", "某某区文化体育和旅游局", 2024),
        (
            "2020年度\n根据《条例》规定，现就某某县人民政府2020年度政府信息公开情况报告如下：\n",
            "某某县人民政府",
            2020,
        ),
        # ... after the notice it answers, whose name holds the title's words too
        (
            "根据某某市《关于认真做好2022年度政府信息公开工作年度报告编制工作的通知》要求，"
            "现向社会公开《某某区人民政府2022年度政府信息公开工作年度报告》。\n",
            "某某区人民政府",
            2022,
        ),
        # a title naming no agency, repeated with the agency on the line above it
        (
            "2022年政府信息公开工作年度报告\n某某县某某镇人民政府\n2022年政府信息公开工作年度报告\n",
            "某某县某某镇人民政府",
            2022,
        ),
        # ... or in the sentence after it that names the report
        (
            "2022年政府信息公开工作年度报告\n根据《条例》的规定，某某市卫生健康委编制了"
            "某某市卫生健康委员会2022年政府信息公开工作年度报告（以下简称《年报》）。\n",
            "某某市卫生健康委员会",
            2022,
        ),
        # a breadcrumb's year on the line above the title: no title over both lines
        ("> 2022年\n某某镇人民政府2022年度政府信息公开工作年度报告\n", "某某镇人民政府", 2022),
        # a breadcrumb's last crumb naming a kind of agency (部门…年度报告), then the title
        (
            "首页 -> 政务公开 -> 政府信息公开年报 -> 2022年 -> 部门政府信息公开工作年度报告\n"
            "某某市生态环境局2022年政府信息公开工作年度报告\n",
            "某某市生态环境局",
            2022,
        ),
        # an empty title label, the report named in a sentence (向社会公布…); a space in the title
        (
            "标题:\n本年度报告根据有关要求，向社会公布某某省商务厅2023年政府信息公开年度报告。\n",
            "某某省商务厅",
            2023,
        ),
        ("某某区文化和旅游局2025年度政府信息 公开工作年度报告\n", "某某区文化和旅游局", 2025),
        # a 年报 (…信息公开年报), the year first
        ("2022年某某县卫生健康委员会信息公开年报\n", "某某县卫生健康委员会", 2022),
        # the report named in a sentence, its name followed by 的
        (
            "本年度报告根据《条例》要求，汇总2021年度某某镇人民政府的政务公开年度报告编制而成。\n",
            "某某镇人民政府",
            2021,
        ),
        # the work of making the report named before the sentence that names it
        (
            "为切实做好2020年度政府信息公开工作年度报告编制及发布工作，根据《条例》有关规定，"
            "现公布某某市大数据发展管理局2020年政府信息公开工作年度报告。\n",
            "某某市大数据发展管理局",
            2020,
        ),
        # the name's short form after it, in brackets
        (
            "现将某某开发区发展改革局(以下简称发改局)2024年度政府信息公开工作年度报告如下：\n",
            "某某开发区发展改革局",
            2024,
        ),
        # a page's properties, each label run into its value
        (
            "发布机构发文日期 2023-01-12\n标题某某县某某乡2022年政府信息公开工作年度报告\n",
            "某某县某某乡",
            2022,
        ),
    ],
)
def test_title_variants(head, agency, year):
    text = head + BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    readings = read_title(text, text.index("一、总体情况")).fields
    assert readings["meta.agency"].value == agency
    assert readings["meta.year"].value == year
    r = readings["meta.agency"]
    assert text[r.start : r.end] == agency
    assert r.confident and readings["meta.year"].confident


@pytest.mark.parametrize(
    "head",
    [
        "某某市\n司法局2023年政府信息公开工作年度报告\n",
        "国家税务总局某某市\n某某区税务局2023年政府信息公开工作年度报告\n",
        "某某县卫\n生健康局2023年政府信息公开工作年度报告\n",  # wrapped anywhere: 卫 ends no name
    ],
)
def test_a_place_alone_on_the_line_above_the_title_makes_the_agency_doubtful(head):
    """The title wrapped inside the agency's name: the name read on the title line may be its
    tail only."""
    text = head + BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    agency = read_title(text, text.index("一、总体情况")).fields["meta.agency"]
    assert not agency.confident and "line above" in agency.note


@pytest.mark.parametrize("above", ["政府信息公开年报", "政务公开", "年度报告"])
def test_a_breadcrumbs_channel_on_the_line_above_the_title_leaves_the_agency_sure(above):
    """A web page's breadcrumb ends with its channel, named for the kind of report, on the line
    right above the title: no head of a name."""
    text = f"首页\n{above}\n某某市司法局2023年政府信息公开工作年度报告\n" + BODY.format(
        t4="四、政府信息公开行政复议、行政诉讼情况"
    )
    agency = read_title(text, text.index("一、总体情况")).fields["meta.agency"]
    assert agency.value == "某某市司法局" and agency.confident


@pytest.mark.parametrize(
    ("period", "year", "confident"),
    [
        ("本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。", 2023, True),
        ("本报告统计数据从 2023 年 1 月 1 日至 12 月 31 日。", 2023, True),
        ("统计期限为2023年1月1日至12月31日。上年报告统计期限为2022年1月1日至12月31日。", 2023, False),
    ],
)
def test_a_title_naming_no_year_takes_the_year_from_the_statistics_period(period, year, confident):
    text = f"某某县卫生健康局政府信息公开工作年度报告\n{period}\n" + BODY.format(
        t4="四、政府信息公开行政复议、行政诉讼情况"
    )
    fields = read_title(text, text.index("一、总体情况")).fields
    assert fields["meta.agency"].value == "某某县卫生健康局"
    assert (fields["meta.year"].value, fields["meta.year"].confident) == (year, confident)


def test_a_title_year_that_is_not_the_statistics_periods_is_doubtful():
    body = BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    for year, confident in ((2023, False), (2024, True)):
        text = (
            f"某某县卫生健康局{year}年政府信息公开工作年度报告\n本报告统计期限为2024年1月1日至12月31日。\n"
            + body
        )
        found = read_title(text, text.index("一、总体情况")).fields["meta.year"]
        assert (found.value, found.confident) == (year, confident)


def test_a_regulations_title_wrapped_at_its_baogao_is_no_title_naming_no_year():
    """《关于印发中华人民共和国政府信息公开工作年度报告 / 格式的通知》 wrapped at 报告: the line's end is
    no title, and 中华人民共和国 no agency (the report's own title is lost)."""
    text = (
        "本年度报告根据《条例》和《关于印发中华人民共和国政府信息公开工作年度报告\n格式的通知》编制，"
        "统计期限为2025年1月1日至12月31日。\n" + BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    )
    fields = read_title(text, text.index("一、总体情况")).fields
    assert "meta.agency" not in fields and fields["meta.year"].value == 2025


def test_a_title_does_not_run_over_a_blank_line_into_the_next_paragraph():
    """A year alone on a line, then a paragraph quoting the regulations' title (…中华人民共和国政府
    信息公开工作年度报告格式): no title of this report, and the line above is no agency."""
    text = (
        "政府信息公开工作年度报告\n2024年\n\n根据《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国"
        "政府信息公开工作年度报告格式〉的通知》要求编制本报告。\n"
        + BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    )
    fields = read_title(text, text.index("一、总体情况")).fields
    assert fields["meta.year"].value == 2024 and "meta.agency" not in fields


@pytest.mark.parametrize("above", ["附件", "正文", "某某市人民政府"])
def test_a_label_or_a_whole_name_above_the_title_leaves_the_agency_confident(above):
    text = f"{above}\n某某市司法局2023年政府信息公开工作年度报告\n" + BODY.format(
        t4="四、政府信息公开行政复议、行政诉讼情况"
    )
    agency = read_title(text, text.index("一、总体情况")).fields["meta.agency"]
    assert agency.value == "某某市司法局" and agency.confident


def test_a_sentence_naming_the_report_without_its_agency_takes_no_name_from_the_line_above():
    """The line above such a sentence is no agency's name (it was a title the rules cannot
    read): the agency is not found, and says so."""
    text = (
        "某某文件\n\n根据《条例》规定，现发布《2024年政府信息公开工作年度报告》，数据从2024年1月1日起。\n"
        + BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    )
    reading = read_title(text, text.index("一、总体情况"))
    assert "meta.agency" not in reading.fields and reading.fields["meta.year"].value == 2024
    assert any("meta.agency" in p.fields for p in reading.problems)


@pytest.mark.parametrize(
    "head",
    [
        "根据《条例》规定，现向社会公布2022年度本单位政府信息公开工作年度报告。\n",
        "根据《条例》规定，现将我局2022年政府信息公开工作年度报告如下：\n",
        "根据《条例》规定，现将全面做好2022年政府信息公开工作年度报告如下：\n",  # no agency's ending
    ],
)
def test_a_sentence_naming_the_report_by_a_pronoun_or_no_name_gives_no_agency(head):
    text = head + BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    reading = read_title(text, text.index("一、总体情况"))
    assert "meta.agency" not in reading.fields and reading.fields["meta.year"].value == 2022


@pytest.mark.parametrize(
    "links",
    [
        "东湖县教育局2019年政府信息公开工作年度报告\n南川市民政局2021年政府信息公开工作年度报告\n",
        "相关链接\n某某县民政局2021年政府信息公开工作年度报告（全文）\n",  # the same agency, another year
    ],
)
def test_the_titles_of_other_reports_in_the_head_make_the_title_doubtful(links):
    """A web page's links to other reports above the title: which title is this report's, the
    head alone cannot say."""
    text = (
        links
        + "某某县民政局2022年政府信息公开工作年度报告\n"
        + BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    )
    readings = read_title(text, text.index("一、总体情况")).fields
    assert not readings["meta.agency"].confident and not readings["meta.year"].confident


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


def test_sections_numbered_otherwise_with_the_tables_attached_at_the_end():
    """Some reports number their own sections and attach the three tables after them."""
    prose = (
        "一、总体情况\n本年度主动公开政府信息共 120 条。\n二、工作机制保障\n略。\n"
        "三、主动公开工作情况\n略。\n四、依申请公开工作情况\n全年共收到政府信息公开申请 3 件。\n"
        "五、政府信息管理情况\n略。\n六、存在的主要问题及改进情况\n略。\n七、其他需要报告的事项\n无。\n"
    )
    tables = BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    tables = tables[tables.index("二、主动公开政府信息情况") : tables.index("五、存在的主要问题")]
    tables = tables.replace("二、主动公开政府信息情况", "附表1：主动公开政府信息情况")
    tables = tables.replace("三、收到和处理政府信息公开申请情况", "附表2：收到和处理政府信息公开申请情况")
    tables = tables.replace(
        "四、政府信息公开行政复议、行政诉讼情况", "附表3：政府信息公开行政复议、行政诉讼情况"
    )
    text = prose + "附表\n" + tables
    sections = find_sections(text)
    assert list(sections) == ["overview", "problems", "other", "t2", "t3", "t4"]
    assert text[sections["t2"].start :].startswith("附表1：主动公开")
    assert text[sections["t3"].start :].startswith("附表2：收到和处理")
    assert text[sections["t4"].start :].startswith("附表3：")
    overview = text[sections["overview"].start : sections["overview"].end]
    assert "四、依申请公开工作情况" in overview and "三、主动公开工作情况" in overview  # prose, not tables
    assert text[sections["problems"].start :].startswith("六、存在的主要问题")


def test_headings_inside_a_flattened_line_are_found():
    """A crawler's copy puts the whole body on one line: headings stand inside it."""
    body = BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况")
    flat = "标题: 某某区民政局2023年政府信息公开工作年度报告\n==== 正文 ====\n" + body.replace("\n", "")
    sections = find_sections(flat)
    assert list(sections) == ["overview", "t2", "t3", "t4", "problems", "other"]
    t3 = flat[sections["t3"].body_start : sections["t3"].end]
    assert "四、结转下年度继续办理" in t3 and "一、本年新收" in t3
    assert flat[sections["t4"].start :].startswith("四、政府信息公开行政复议")
    assert flat[sections["t2"].start :].startswith("二、主动公开")


def test_a_year_in_chinese_numerals_is_grounded(seed_texts):
    name = SEED_NAMES[0]
    text = seed_texts[name]
    year = re.search(r"(20\d{2}) ?年", text)
    assert year is not None
    numerals = "".join("〇一二三四五六七八九"[int(d)] for d in year[1])
    doc = extract(text[: year.start(1)] + numerals + text[year.end(1) :])
    assert doc.fields["meta.year"] == int(year[1])
    assert doc.evidence["meta.year"].text == numerals
    assert all(c.passed for c in doc.checks if c.id == "grounding.meta")


@pytest.mark.parametrize("numbering", ["", "1.", "(1)"])
def test_sections_whose_heading_numbers_were_lost_or_are_arabic(numbering):
    """A copy of a Word file with automatically numbered headings: the numbers are gone, or
    come back as 1. 2. 3. A section's standard title on a line of its own still heads it."""
    marks = iter(f"{n}." if numbering == "1." else f"({n})" if numbering else "" for n in range(1, 7))
    text = re.sub(
        r"^[一二三四五六]、(?=[^\t\n]*$)",
        lambda _: next(marks),
        BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况"),
        flags=re.M,
    )
    assert "总体情况" in text.splitlines()[0]
    sections = find_sections(text)
    assert list(sections) == ["overview", "t2", "t3", "t4", "problems", "other"]
    t3 = text[sections["t3"].body_start : sections["t3"].end]
    assert "四、结转下年度继续办理" in t3


def test_headings_whose_numeral_a_converter_split_off_onto_a_line_of_its_own():
    """docling writes a PDF's ``一、总体情况`` as two paragraphs, ``一`` and ``、总体情况``."""
    text = re.sub(
        r"^([一二三四五六])(、)(?=[^\t\n]*$)",
        r"\1\n\n\2",
        BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况"),
        flags=re.M,
    )
    assert "\n\n、总体情况" in text
    sections = find_sections(text)
    assert list(sections) == ["overview", "t2", "t3", "t4", "problems", "other"]
    t3 = text[sections["t3"].body_start : sections["t3"].end]
    assert "四、结转下年度继续办理" in t3


def test_a_compilation_is_read_as_its_first_report_and_says_so(seed_texts):
    """Reports printed one after another (a county's compilation): the first report's last
    section ends where the next report's title starts, so none of its statements (a fee, a
    WeChat count) is read as the first one's."""
    from extractor import extract

    first, second = seed_texts[SEED_NAMES[1]], seed_texts[SEED_NAMES[2]]
    sections = find_sections(first + "\n\n" + second)
    assert max(s.end for s in sections.values()) == len(first) + 2 + second.index(second.strip()[:8])
    alone, compiled = extract(first), extract(first + "\n\n" + second)
    assert compiled.fields == alone.fields and compiled.status == alone.status
    assert any("another report" in note for note in compiled.notes)


@pytest.mark.parametrize(
    ("opening", "year"),
    [
        ("（一）主动公开方面。2022年，我镇主动公开政务动态类信息420条。", 2022),
        ("（一）主动公开信息情况。截止2023年12月31日我局通过官方网站发布政务类信息34条。", 2023),
        ("（一）主动公开情况。与上年相比，2021年新增栏目3个。", None),  # (no sentence opens with it)
    ],
)
@pytest.mark.parametrize("preamble", ["根据《条例》要求，编制本报告。\n", ""])
def test_no_title_and_no_statistics_period_take_a_doubtful_year_from_the_overviews_opening(
    opening, year, preamble
):
    """No title and no statistics period: a sentence of the overview opening with a year offers
    it, for a reader to confirm (flagged); never a year named in passing. The same when the
    text starts with the overview's heading (a page's body copied without its title)."""
    body = BODY.format(t4="四、政府信息公开行政复议、行政诉讼情况").replace(
        "（一）主动公开情况。略。", opening
    )
    text = preamble + body
    found = read_title(text, text.index("一、总体情况")).fields.get("meta.year")
    assert (found.value if found else None) == year
    assert found is None or not found.confident
