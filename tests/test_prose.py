import re

import pytest

from extractor.catalog import FactSpec, ValueKind
from extractor.locate import statements_about
from extractor.prose import prose_tables_as_prose, read_prose
from extractor.segmenting import Section


def facts(overview: str, other: str = "") -> dict:
    text = overview + "\n" + other
    sections = {
        "overview": Section("overview", "", 0, 0, len(overview)),
        "other": Section("other", "", len(overview) + 1, len(overview) + 1, len(text)),
    }
    readings = read_prose(text, sections).fields
    for reading in readings.values():  # every fact points at the words that state it
        assert text[reading.start : reading.end]
    return {field: reading.value for field, reading in readings.items()}


@pytest.mark.parametrize(
    ("overview", "total"),
    [
        ("（一）主动公开情况。2023年，我局通过门户网站主动公开政府信息共 1,204 条。", 1204),
        ("全年共发布各类信息 88 条，其中政策文件 12 条、工作动态 76 条。", 88),
        ("（一）主动公开情况。截至12月31日，主动公开信息千余条。", None),
        ("门户网站共发布部门动态信息11条，政务公开信息45条，财务信息6条。", None),
        # kinds of documents counted in 件, no total: none stated (and a total in 条 beside them)
        ("（一）主动公开情况。全年主动公开规章2件、规范性文件12件。", None),
        ("（一）主动公开情况。全年主动公开政府信息1234条，其中规范性文件12件。", 1234),
        ("（一）主动公开。严格落实制度。\n（二）依申请公开。\n（三）平台建设。发布政策解读 12 条。", None),
        ("通过微信公众号发布信息 300 条。", None),
        # published in other words, a line break inside the statement, a breakdown in brackets
        ("今年，我区政府信息公开单位共公布政府信息2599条，(其中机构职能类信息25条)。", 2599),
        # its bracketed breakdown runs over clauses, one of them in the words 主动公开: the
        # breakdown's items are no statements of their own
        (
            "全年我区政府信息公开单位共公布政府信息2602条(其中机构职能类信息82条，规划计划类信息21条，"
            "其他应主动公开政府信息1053条)，对于主动公开的政府信息，主要通过政府门户网站进行公开。",
            2602,
        ),
        ("（一）主动公开情况。全年通过门户网站主动公开政府信\n息 4511 条，开展意见征集9期。", 4511),
        # a page's line wrapped inside the very words that say it is the proactive total
        ("（一）主动公开情况。2021 年度，主\n动公开政府信息总数为 14392 条。", 14392),
        # the words of proactive disclosure outrank a later count of one kind of item
        ("全年主动公开政府信息4511条。全年累计发布解读类信息21条。", 4511),
        # a rough count in a comparison with last year leaves the year's own count exact
        ("全年主动公开政府信息1520条，较上年增长约200条。", 1520),
        # another year's own count beside this year's total
        ("2024年度我局主动公开政府信息54条，2023年度为40条。", 54),
        ("全年主动公开政府信息54条，上年为40条。", 54),
        # the 主动公开 sub-section is not the first: read under its own sub-heading, up to the next
        (
            "（一）依申请公开情况。未收到申请。\n（二）主动公开情况。主动公开政府信息共54条。\n（三）平台建设。发布信息300条。",
            54,
        ),
        # its sub-heading in other words (政府信息主动公开情况): read up to the next
        (
            "（一）政府信息主动公开情况\n共在门户网站发布信息621条。\n（二）依申请公开\n收到申请2件，主动公开事项目录1条。",
            621,
        ),
        # its kinds after 内容涵盖, a channel's count in the next sentence
        ("全年累计公开信息59条，内容涵盖政务信息12条、工作动态29条。同时，微信公众号全年发布信息502篇。", 59),
        # ... or in brackets after 涵盖, more items of the list after the bracket
        (
            "全年共制发政府信息487条，其中，主动公开政府信息117条（涵盖政策文件类10条）、依申请公开274条、不予公开96条。",
            117,
        ),
        # a breakdown's item named for a kind of it (主动公开事项目录) states no total of its own
        (
            "（一）主动公开情况。本年度共在外网公示信息总计621条，其中审批信息公示611条，主动公开事项目录1条。",
            None,
        ),
        # the words around a count that name the whole, a line wrapped inside them
        ("（一）主动公开情况。全年发布信息，主动公\n开446条信息、政策解读12条、工作动态30条。", 446),
        # all the items made, broken down: the proactive ones are a count of their own, less
        # their own breakdown in brackets; a whole that is the proactive total keeps its count
        (
            "全年共制发政府信息487条，其中，主动公开政府信息117条（涵盖规范性文件类10条、规划计划类1条）、"
            "依申请公开274条、不予公开96条。",
            117,
        ),
        (
            "全年制作政府信息总数425条，其中主动公开政府信息148条，依申请公开信息数182条，不予公开信息数95条。",
            148,
        ),
        # ... written as a list's item (a PDF's markdown makes its paragraphs so)
        (
            "- （二）主动公开政府信息的数量 全年共制发政府信息 3179 条，其中，主动公开政府信息 2379 条"
            " （涵盖政策文件类 793 条）。",
            2379,
        ),
        # the same under a sub-heading in the words 主动公开, run into it (a crawler's text)
        (
            "（一）主动公开政府信息的数量 2020年制作、获取政府信息总数425条,其中主动公开政府信息148条,"
            "依申请公开信息数182条,不予公开信息数95条",
            148,
        ),
        ("（一）主动公开情况\n全年制作政府信息总数425条，其中主动公开政府信息148条、依申请公开182条。", 148),
        ("（一）主动公开情况 全年主动公开政府信息共1200条，其中主动公开规范性文件12条。", 1200),
        ("全年主动公开政府信息共1200条，其中主动公开规范性文件12条。", 1200),
        # the whole named first (主动公开政府信息), kinds after it in clauses of their own, then
        # the remainder's own sentence in the words 主动公开: the whole is the total, the
        # remainder's count none; a kind's count first leaves no total
        (
            "2023年，主动公开政府信息312条，重大建设项目类信息280条，规范性文件类信息5条。"
            "其他应主动公开的政府信息24条。",
            312,
        ),
        ("2023年，重大建设项目类信息280条，主动公开政府信息312条，规范性文件类信息5条。", None),
        ("2023年，主动公开重大建设项目类信息280条，规范性文件类信息5条。", None),
        ("全年主动公开政府信息312条。其他应主动公开的政府信息24条。", 312),
        # a count in the words 主动公开 whose breakdown adds up to more than it (a part's count,
        # not the whole): doubtful, and it outranks another channel's count in other words
        (
            "通过门户网站累计发布工作动态信息165条，其中街道动态102条；发布法定主动公开内容1条，"
            "包括机构概况1条，以及预算决算信息2条。",
            None,
        ),
        ("全年主动公开政府信息30条，包括机构概况10条，以及预算决算信息20条。", 30),
        # the whole's count among other things' totals in one sentence: the one named as the whole
        ("全年在门户网站上发布政务新闻共804条，主动公开政府信息数共计449条，包括工作动态371条。", 449),
        ("全年在门户网站上发布政务新闻共804条，累计发布通知公告共120条。", None),
        # its own sub-section states no count at all: the total may stand in another; where it
        # states counts of kinds (in 件), a later sub-section's count is another thing's
        ("（一）主动公开情况。围绕中心工作做好信息发布。\n（二）平台建设。主动公开政府信息3744条。", 3744),
        (
            "（一）主动公开情况。围绕中心工作做好信息发布。\n（二）平台建设。门户网站全年共发布信息300条。",
            None,
        ),
        (
            "（一）主动公开方面。主动公开规章22件、规范性文件34件。\n（四）平台建设。共发布各类信息13528条。",
            None,
        ),
        # sub-sections of the agency's own, none of them 主动公开: the total may stand in any
        (
            "（一）政府信息管理方面\n公开征集群众意见建议，共征集到意见建议41条。\n（二）平台建设方面\n"
            "2023年，我局共制发政府信息313条，其中，主动公开政府信息128条、依申请公开130条。",
            128,
        ),
        # the one count stated in the words naming the whole, after another thing's count
        (
            "2022年制作、获取的政府信息64条，通过区政府网站、区档案馆的政府信息查阅室主动公开政府信息16条，"
            "依申请公开文件12条、不予公开文件36条。",
            16,
        ),
        # the whole's words around the count (主动公开446条信息), another thing's count after it
        ("2024年，区教育局通过政府门户网站依法主动公开446条信息，回复网民留言10条。", 446),
        ("2024年，主动公开3条政策文件，120条工作动态。", None),
        ("2024年，我局共主动公示84条信息，其中通过区政府门户网站20条。", 84),  # (公示 for 公开)
        ("2024年，累计公示双公示信息5000条。", None),  # (a 双公示 count: licences and penalties)
        ("2020 年，主动公\n开政府信息 26610 条。", 26610),  # (a line wrapped inside 主动公开)
        # the total in 件 (doubtful), then a list of kinds whose last is the remainder's, in the
        # words 主动公开 after the verb: never the total
        (
            "2023年度我局主动公开政府信息31件。本年度重点公开了以下政府信息：机构设定类2条；"
            "工作情况类10条；政府应主动公开的其他信息2条。",
            None,
        ),
        # a WeChat account among the channels a whole was published through
        ("利用政务公开网站、“某某宣传”微信公众号、公开栏等多种形式主动公开政府信息1265条。", 1265),
        ("通过政府门户网站、电子政务网、微信公众号等载体全年累计主动公开政府信息数量46条。", 46),
        ("通过局门户网站和微信公众号共公开各类非涉密信息1057条，其中局门户网站公开信息633条。", 1057),
        ("在县人民政府门户网、“某某”微信公众平台及相关主流媒体主动公开政府信息数511条。", 511),
        # new media alone: their own count, not the whole's
        ("通过政务微信、微博等新媒体平台共发布信息470条。", None),
        ("通过微信公众号主动公开政府信息300条。", None),
    ],
)
def test_proactive_total_only_when_one_exact_total_is_stated(overview, total):
    assert facts(overview).get("overview.proactive_total") == total


@pytest.mark.parametrize(
    ("overview", "received"),
    [
        ("（二）依申请公开情况。2024年，我局未收到政府信息公开申请。", 0),
        ("（二）依申请公开。本年度共受理政府信息公开申请 17 件，均已办结。", 17),
        ("（二）依申请公开。依法办理依申请公开事项1件，全年未发生因政府信息公开被申请行政复议的情况。", 1),
        ("（二）依申请公开。严格按照条例办理依申请公开事项。", None),
        ("（三）办事服务情况。办件总量为 402 件，其中依申请办件 30 件。", None),
        # the receiving words outrank counts of answers, kinds of applicant and carried-over ones
        ("共受理政府信息公开申请 749 件，其中自然人申请 741 件，法人或其他组织申请 8 件；", 749),
        ("代表市政府共受理政府信息公开申请 859 件；另有 72 件申请顺延到下年度答复。", 859),
        ("接收各类政府信息公开申请共计81件，涉及自然人80件、商业企业1件。", 81),
        ("全年户外广告设置许可的申请 783 件。", None),
        ("本年度未发生依申请公开事项。", 0),  # an application for a licence, not for information
        # 依申请公开 N 条: items of information disclosed on application, not applications
        ("全年制作政府信息总数425条，其中主动公开政府信息148条，依申请公开信息数182条。", None),
        ("全年共制发政府信息313条，其中，主动公开政府信息128条、依申请公开130条、不予公开55条。", None),
        ("全年共办理依申请公开12件。", 12),
        # a breakdown's items after the first, each a clause of its own: still the breakdown's
        ("全年依法办结政府信息公开申请21件，其中网络申请数11件，信函申请数10件。", 21),
        ("全年依法办结政府信息公开申请96件，其\n        中网络申请数48件，信函申请数48件。", 96),  # (其 / 中)
        ("全年共收到政府信息公开申请21件，其中网络申请11件、信函申请10件。共受理申请10件。", None),
        # none in other words: 接收到; a request (要求公开) received, not an 申请
        ("建章路街道办事处未接收到政府信息公开申请。", 0),
        ("2024年，收到政府信息公开申请3宗，已全部办结。", 3),  # (宗: Guangdong's measure of cases)
        ("（二）依申请公开情况\n本年度，未接到群众要求公开的信息。", 0),
        # applications received counted as 依申请公开 in 条; none in 依法申请's words
        ("（二）依申请公开。本年度共收到依申请公开17条。", 17),
        ("（二）依申请公开。本年度共收到\n依申请公开 112 条，均按时答复。", 112),  # (a line wrapped)
        ("全年共制发政府信息313条，其中，主动公开政府信息128条，\n依申请公开130条。", None),
        ("（二）依申请公开。我局受理依申请公开政府信息2条，均按时答复。", 2),
        ("（二）依申请公开情况\n2022年度我乡无依法申请公开件。", 0),
        # the agency's own name holds words of other business (审批, 政务服务): no business of it
        ("（二）依申请公开\n2022年市行政审批局未收到依申请公开的相关信息。", 0),
        ("本年度，区政务服务和大数据管理局共收到政府信息公开申请5件。", 5),
        ("本年度市行政审批服务局共受理政府信息公开申请3件。", 3),
        ("本年度行政审批局共受理审批申请12000件。", None),  # (its business: applications for licences)
        # counted in 项; but not a list of the items disclosed on application (依申请公开事项12项)
        ("（二）依申请公开情况。2023年，我单位共收到依申请公开申请1项，均已按时答复。", 1),
        ("（二）依申请公开情况。梳理依申请公开事项12项，规范办理流程。", None),
        ("（二）依申请公开方面。2022年，我局共收到依申公开事项7件，均按时答复。", 7),  # (依申公开: short)
        ("（二）依申请公开方面\n2022年区乡村振兴局无政府信息公开申请", 0),
    ],
)
def test_applications_received(overview, received):
    assert facts(overview).get("overview.applications_received") == received


@pytest.mark.parametrize(
    ("overview", "wechat", "weibo"),
    [
        # the channels are the breakdown of a count of something else: their own statements
        ("政务新媒体发布信息400条，其中微信320条、微博80条。", 320, 80),
        # a breakdown of the channel's own count is no statement of it
        ("微信公众号发布信息500条，其中原创微信文章200条。", 500, None),
        # a page's line wrapped inside a channel's name
        ("依托政务新媒体，通过微\n信公众号发布信息 619 条，官方微\n博发布 52 条。", 619, 52),
        # a 公众号 is WeChat's, its name in quotes without the word 微信
        ("通过“平潭发布”公众号发布信息672条，有效保障群众知情权。", 672, None),
        # the website's and WeChat's count together (joined by 和), then each one's
        (
            "通过局门户网站和微信公众号共公开各类信息1057条，其中局门户网站公开信息633条，"
            "局微信公众号(某某应急)公开信息424条。",
            424,
            None,
        ),
    ],
)
def test_channels_stated_in_a_breakdown(overview, wechat, weibo):
    got = facts(overview)
    assert (got["overview.wechat_posts"], got["overview.weibo_posts"]) == (wechat, weibo)


_LONG = "（一）主动公开情况。2024年1月1日至12月31日，本机关通过县人民政府网站主动公"


def test_a_space_inside_a_word_is_no_break_of_it():
    """A PDF's text may space a word out (微 博, 微 信): the word still names its channel."""
    got = facts("（四）平台建设情况。政务新媒体发布信息 668 条，其中微 信 616 条、微 博 52 条。")
    assert (got["overview.wechat_posts"], got["overview.weibo_posts"]) == (616, 52)


@pytest.mark.parametrize("page_break", ["\n\n", "\n\n3\n\n", "\n3\n"])
@pytest.mark.parametrize(
    "line", [_LONG, "（一）主动公开情况。本机关严格落实信息公开制度，持续推进公开。本年度通过网站主动公"]
)
def test_a_page_break_inside_a_sentence_keeps_its_count(page_break, line):
    """A PDF copy's page break inside the sentence, perhaps with the page number alone between;
    the full line before it may hold a sentence's end (its last character does not)."""
    assert facts(line + page_break + "开政府信息共 54 条。")["overview.proactive_total"] == 54


def test_a_number_cut_by_a_page_break_is_doubtful_and_a_later_section_does_not_answer_for_it():
    """微信…126条 cut as 1 / 26条 over a page break: doubtful; section 六's 30条 (of something
    else) is not taken instead."""
    overview = "（四）平台建设情况。本机关持续优化平台建设，在“健康某地”微信公众号累计编发信息1\n\n26条。"
    fields = read_prose(
        overview + "\n微信公众平台累计发布工作动态30条。",
        {
            "overview": Section("overview", "", 0, 0, len(overview)),
            "other": Section("other", "", len(overview) + 1, len(overview) + 1, len(overview) + 20),
        },
    ).fields
    assert fields["overview.wechat_posts"].value is None and not fields["overview.wechat_posts"].confident


@pytest.mark.parametrize("other", ["本机关2024年未\n收取信息处理费。", "2024年本机关没有\n收取信息处理费。"])
def test_none_stated_across_a_line_break(other):
    assert facts("无。", other)["other.processing_fee_yuan"] == 0


def test_channels_from_section_one_then_six():
    got = facts("在“健康某地”微信公众号累计编发信息126条，官方微博累计编发信息75条。", "微信发布动态30条。")
    assert got["overview.wechat_posts"] == 126 and got["overview.weibo_posts"] == 75
    assert facts("无。", "2024年通过微信公众号发布信息42条。")["overview.wechat_posts"] == 42


@pytest.mark.parametrize(
    ("other", "fee"),
    [
        ("本机关2024年未收取信息处理费。", 0),
        ("2024年无收取信息处理费情况。", 0),
        ("本年度共收取信息处理费 120 元。", 120),
        ("收取信息处理费共计380元，其中民政局1件，收取380元。", 380),  # not the 0 at the end of 380元
        ("本年度未发生信息处理费收费情况。", 0),
        ("本机关不存在收取信息处理费的情况。", 0),
        ("本年度未向申请人收取信息处理费。", 0),
        ("本年度无信息处理费收费情况。", 0),
        ("全年未产生信息处理费。", 0),
        ("信息处理费收取情况：无。", 0),
        ("2023年度，县发展和改革局政府信息公开未发生收费情况。", 0),
        ("本局政府信息公开工作没有产生收费。", 0),
        ("本年度信息公开处理费收费情况\n2024 年，本机关未发生政府信息公开收费事项。", 0),  # under its heading
        ("本年度信息公开处理费收费情况\n\n2024 年，本机关未发生政府信息公开收费事项。", 0),  # own paragraph
        ("信息处理费情况\n本年度收取信息处理费 50 元，未发生其他收费。", None),  # a count and a none
        ("因申请人逾期未按收费通知要求缴纳信息处理费，不再处理其申请1件。", None),
        ("无。", None),
    ],
)
def test_processing_fee(other, fee):
    assert facts("（一）略。", other).get("other.processing_fee_yuan") == fee


@pytest.mark.parametrize(
    ("overview", "field"),
    [
        ("（一）主动公开情况。我局门户网站发布信息 96 条。", "overview.proactive_total"),
        ("（二）依申请公开。受理和办结申请分别为 5 件、4 件。", "overview.applications_received"),
        # one count broken down after it, though not said to be a total (nor in 条): whose total?
        (
            "（一）主动公开。网站当年发布政府信息 393 件，其中规范性文件 13 件、规划 2 件。",
            "overview.proactive_total",
        ),
        (
            "（一）主动公开。网站发布信息 2139 条，其中动态类信息 1744 条、政务信息 393 条。",
            "overview.proactive_total",
        ),
        ("通过微信公众号发布信息 30 条、视频 12 条。", "overview.wechat_posts"),
        # several counts, none said to be the total: the first may be everything's, or one kind's
        (
            "（一）主动公开。网站主动发布各类信息 2428 条，召开会议 7 期，发布解读 7 条。",
            "overview.proactive_total",
        ),
        # two statements of the same fact that disagree: doubtful, not a guess
        ("共收到政府信息公开申请 6 件。\n全年受理政府信息公开申请 8 件。", "overview.applications_received"),
        # a scan's ink the OCR could not read where the count stands (U+FFFD): unread, not "none"
        ("（一）主动公开情况。全年主动公开政府信息\ufffd\ufffd条。", "overview.proactive_total"),
        ("（二）依申请公开。本年度共受理政府信息公开申请\ufffd件。", "overview.applications_received"),
        # glyph confusions: never the digits that happen to survive them (4�11 is no 11)
        ("（一）主动公开情况。全年主动公开政府信息4\ufffd11条。", "overview.proactive_total"),
        ("（一）主动公开情况。全年主动公开政府信息45I1条。", "overview.proactive_total"),
        ("（一）主动公开情况。全年主动公开政府信息l511条。", "overview.proactive_total"),
        ("（二）依申请公开。本年度共受理政府信息公开申请O件。", "overview.applications_received"),
        # a count stated roughly is no exact number: 约, 近, 超过 before it, 左右, 以上 after, in 万
        ("（一）主动公开情况。全年主动公开信息约1500条。", "overview.proactive_total"),
        ("（一）主动公开情况。全年主动公开政府信息超过1500条。", "overview.proactive_total"),
        ("（一）主动公开情况。全年主动公开政府信息1500条左右。", "overview.proactive_total"),
        ("（一）主动公开情况。全年主动公开政府信息1.2万条。", "overview.proactive_total"),
        ("（一）略。收取信息处理费0.5万元。", "other.processing_fee_yuan"),
        # none for some, a count for others: no none at all
        ("（一）略。收取信息处理费120元，其余申请均未收取信息处理费。", "other.processing_fee_yuan"),
        # a number a line break cut (Word may wrap a run of digits): never its tail alone
        ("（一）主动公开情况。全年主动公开政府信息45\n11条。", "overview.proactive_total"),
        ("（二）依申请公开。本年度共收到政府信息公开申请1\n7件。", "overview.applications_received"),
        # the one total counted in 件, not 条: all items, or one kind of document's?
        ("（一）主动公开情况。全年通过门户网站主动公开政府信息共 2663 件。", "overview.proactive_total"),
        ("（一）主动公开情况。全年主动公开规范性文件 12 项。", "overview.proactive_total"),
        # its unit gone from the line (a PDF's text reordered: …共 2663 / 条。 on a line before)
        ("（一）主动公开情况。2023\n条。\n\n年，我单位主动公开政府信息共 2663\n", "overview.proactive_total"),
        # a line's end lost in a conversion, its number's unit with it: never the next count
        (
            "（二）依申请公开方面\n市政府共受理政府信息公开申请 1295\n上年结转 189 件），均在期限内答复。",
            "overview.applications_received",
        ),
        # a number run into the next words, its unit and the punctuation lost in a copy
        (
            "二是依申请公开方面。规范流程。本年度共收到依申请公开事项0三是政府信息管理方面。",
            "overview.applications_received",
        ),
    ],
)
def test_a_count_the_rules_cannot_pin_down_is_flagged_not_dropped(overview, field):
    text = overview + "\n"
    sections = {"overview": Section("overview", "", 0, 0, len(overview))}
    reading = read_prose(text, sections).fields[field]
    assert reading.value is None and not reading.confident


def test_a_fact_whose_section_is_missing_is_unread_not_read_as_not_stated():
    text = "二、主动公开政府信息情况\n第二十条第（一）项\n六、其他需要报告的事项\n微信发布信息 12 条。\n"
    other = text.index("六、")
    sections = {
        "t2": Section("t2", "主动公开政府信息情况", 0, 13, other),
        "other": Section("other", "其他需要报告的事项", other, other + 12, len(text)),
    }
    reading = read_prose(text, sections)
    unread = {f for p in reading.problems for f in p.fields}
    assert {"overview.proactive_total", "overview.applications_received"} <= unread
    assert "overview.proactive_total" not in reading.fields
    assert reading.fields["overview.wechat_posts"].value == 12  # its other section is there
    assert "overview.weibo_posts" not in reading.fields  # not in 六, but 一 was never read
    assert "overview.weibo_posts" in unread


@pytest.mark.parametrize(
    ("overview", "read"),
    [
        # a converter made a PDF's wrapped line a paragraph of its own: the sentence goes on
        (
            "（四）平台建设情况。通过“海原发布”微信公众号发布信息 126 条，官方微博发布\n\n信息 75 条。",
            {"weibo_posts": 75},
        ),
        # a short heading ends at its blank line: its words lend no topic to the next paragraph
        ("（一）主动公开政府信息情况\n\n全年发布政策解读 12 条。", {}),
        ("主动公开政府信息工作扎实推进，各项制度不断完善规范\n\n（二）依申请公开。共发布解读 5 条。", {}),
    ],
)
def test_a_sentence_goes_on_over_a_broken_paragraph_not_over_a_heading(overview, read):
    got = facts(overview)
    assert {k: got[f"overview.{k}"] for k in ("proactive_total", "weibo_posts")} == {
        "proactive_total": None,
        "weibo_posts": None,
        **read,
    }


def _doubts(overview: str) -> dict:
    """Each fact read as a value, ``"doubt"`` (flagged) or left out when not stated."""
    sections = {"overview": Section("overview", "", 0, 0, len(overview))}
    readings = read_prose(overview, sections).fields
    return {
        field.split(".")[1]: reading.value if reading.confident else "doubt"
        for field, reading in readings.items()
        if reading.value is not None or not reading.confident
    }


@pytest.mark.parametrize(
    ("overview", "read"),
    [
        # a sentence's clauses about other things are set aside, not the whole sentence
        (
            "（一）主动公开情况。通过政府网站主动公开政府信息120条，通过微信公众号发布信息80条。",
            {"proactive_total": 120, "wechat_posts": 80},
        ),
        ("（一）主动公开情况。主动公开政府信息1200条，较上年增加200条。", {"proactive_total": 1200}),
        # a count of one kind of item where the total is not stated
        ("（一）主动公开情况。主动公开文件12件，公开财政预决算信息5条。", {"proactive_total": "doubt"}),
        # a PDF copy's spaced-out digits, Chinese numerals, a count as of a date
        ("（一）主动公开情况。本年度主动公开政府信息共计 1 2 0 条。", {"proactive_total": "doubt"}),
        ("（一）主动公开情况。全年主动公开政府信息一百二十条。", {"proactive_total": "doubt"}),
        (
            "（一）主动公开情况。截至2024年底，累计主动公开政府信息12000条，其中本年新增1200条。",
            {"proactive_total": "doubt"},
        ),
        ("（二）依申请公开情况。全年共收到依申请公开申请两件。", {"applications_received": "doubt"}),
        ("（四）平台建设。两条微信阅读量即达180万次。", {}),  # two posts' readers, not a count of posts
        # channels listed one count each, or counted together
        ("（四）平台建设。通过微信公众号发布信息120条、微博80条。", {"wechat_posts": 120, "weibo_posts": 80}),
        (
            "（四）平台建设。通过“某某发布”微信公众号、微博等新媒体发布信息共计300条。",
            {"wechat_posts": "doubt", "weibo_posts": "doubt"},
        ),
        # channels listed before the verb they post by share the count after it
        (
            "（四）平台建设。通过微信、微博发布信息共计470条。",
            {"wechat_posts": "doubt", "weibo_posts": "doubt"},
        ),
        # (and the website's and WeChat's count together, stated as no total: the whole's?)
        (
            "（四）平台建设。通过政府网站、微信公众号发布信息320条。",
            {"wechat_posts": "doubt", "proactive_total": "doubt"},
        ),
        # ... unless it is stated as the report's whole total: no channel's statement, though a
        # channel's name holds a verb's characters (政务公开网站, 公开栏)
        (
            "（一）主动公开。利用政务公开网站、“某某宣传”微信公众号、公开栏等多种形式主动公开政府信息1265条。",
            {"proactive_total": 1265},
        ),
        (
            "（四）平台建设。利用政务公开网站、“某某宣传”微信公众号、公开栏等多种形式发布信息1265条。",
            {"wechat_posts": "doubt", "proactive_total": "doubt"},
        ),
        # what one channel posted, listed after the verb: its own count
        ("（四）平台建设。微信公众号发布政策解读、工作动态等信息320条。", {"wechat_posts": 320}),
        # the count in the clause after the channel's, naming no channel: its own, or everything's?
        (
            "（四）平台建设。微信公众号关注人数达5000人，全年发布信息120条。",
            {"wechat_posts": "doubt", "proactive_total": "doubt"},
        ),
        ("（四）平台建设。政务微博粉丝量达2万人，全年发博文80条。", {"weibo_posts": "doubt"}),
        # ... or two clauses later, a clause of neither between
        (
            "（一）主动公开。全年共主动公开政府信息1646条。以“某某城管”微信公众号为平台，宣传城市管理工作，"
            "全年共发布各类信息656条。",
            {"wechat_posts": "doubt", "proactive_total": 1646},
        ),
        # another channel's count: no statement of 微信's (nor a stated total)
        ("（四）平台建设。开通微信公众号，网站发布信息500条。", {"proactive_total": "doubt"}),
        # channels listed before 主动向社会公开, a network platform for the website: the whole's count
        (
            "（一）主动公开。充分利用公众号、纸质媒体、网络平台及其它方式主动向社会公开各类信息132条。"
            "其中：网站信息公开78条，微信公众号信息公开24条。",
            {"proactive_total": 132, "wechat_posts": 24},
        ),
        # a crawler's text glued a sub-heading to the line before it, that line unended
        (
            "（一）主动公开情况。全年主动公开政府信息2689条（二）依申请公开情况。全年共收到政府信息公开申请175件。",
            {"proactive_total": 2689, "applications_received": 175},
        ),
        ("（二）依申请公开。依据《条例》第（一）项收到申请3件。", {"applications_received": 3}),
        # a number in a name (H5作品), or a year (2019上海…), is no count that lost its unit
        ("（四）平台建设。微信公众号推送《2019上海再出发》H5作品，受到好评。", {}),
        # a clause never runs on over a line opening with a sub-heading's number, the line before
        # unended: its count is no count of the sub-section's (其它类信息155条 / （二）依申请公开…)
        (
            "（一）主动公开情况。全年主动公开政府信息165条，其中其它类信息155条\n"
            "（二）依申请公开受理答复情况。本年未收到依申请公开信息。",
            {"proactive_total": 165, "applications_received": 0},
        ),
    ],
)
def test_statements_about_several_things_are_read_by_their_own_clauses_or_flagged(overview, read):
    assert _doubts(overview) == read


@pytest.mark.parametrize(
    ("topic", "found"),
    [("发布", True), ("^发布", True), ("条$", True), ("(?<=。)发布", False)],
)
def test_a_topic_is_looked_for_in_each_piece_alone(topic, found):
    """A region that never names a topic is not split; a topic that looks beyond its match (an
    anchor, a lookaround) is still looked for in each piece alone, as written."""
    fact = FactSpec("overview.x", ValueKind.COUNT, "x", "x", topic=re.compile(topic), units="条")
    text = "总体情况略。发布信息 3 条。其他。"
    pieces = [s.piece.group() for s in statements_about(fact, text, 0, len(text))]
    assert pieces == (["发布信息 3 条"] if found else [])
    assert not list(statements_about(fact, text, 0, 5))  # the region before it


def test_a_fact_found_after_its_first_section_went_missing_is_doubtful():
    """Section 一's heading not found: its text is read by no section, and a count of the fact in
    section 六 may be of something else (微信发布动态30条, where 一 stated 126 posts)."""
    text = "二、主动公开政府信息情况\n规章\t0\t0\t0\n六、其他需要报告的事项\n微信发布动态 30 条。\n"
    other = text.index("六、")
    sections = {
        "t2": Section("t2", "主动公开政府信息情况", 0, 13, other),
        "other": Section("other", "其他需要报告的事项", other, other + 12, len(text)),
    }
    wechat = read_prose(text, sections).fields["overview.wechat_posts"]
    assert wechat.value == 30 and not wechat.confident
    sections["overview"] = Section("overview", "总体情况", 0, 0, 0)  # found, and silent on it
    assert read_prose(text, sections).fields["overview.wechat_posts"].confident


# Justified prose a PDF-to-markdown converter rebuilt as a table: each row a line of the page,
# cut into cells at its wide gaps, a rule row under the first.
_PROSE_AS_TABLE = (
    "（二）依申请公开情况。着力强化与申请人的直接沟通，提高答复的及时性\n"
    "| 和针对性。2024     |       | 年，全市共受理政府信息公开申请 |     |  3119 | 件，答 |\n"
    "| ---------------- | ----- | --------------------------- | --- | ----- | ----- |\n"
    "| 复 3050          | 件（含上年度结转申请 |              |  34 | 件，另有 | 103 件顺延 |\n"
)


def test_prose_a_converter_cut_into_a_table_is_read_as_the_prose_it_is():
    """markitdown made a table of a page's justified lines (申请 | 3119 | 件): a pipe before the
    unit looked like a scan's misreading, and a count stated plainly was flagged, not read."""
    assert facts(_PROSE_AS_TABLE)["overview.applications_received"] == 3119


def test_a_table_row_whose_label_has_commas_in_brackets_stays_a_table_row():
    """A table's label holds clause marks only in its brackets: its row keeps its pipes (the
    prose facts do not read a table's cells as a sentence)."""
    row = "| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 3 | 0 | 3 |\n"
    row += "| --- | --- | --- | --- |\n"
    assert prose_tables_as_prose(row) == row
    blanked = prose_tables_as_prose(_PROSE_AS_TABLE)
    assert len(blanked) == len(_PROSE_AS_TABLE) and "|" not in blanked and "---" not in blanked


def test_the_proactive_total_is_read_under_its_own_heading_where_the_overview_runs_on_under_others():
    """Shanghai style: 一、总体情况 二、工作机制保障 三、主动公开工作情况 …, the tables attached after:
    section 三's doubtful count is not answered for by a short-video count of section 六."""
    overview = (
        "一、总体情况\n本机关扎实推进政务公开工作。\n三、主动公开工作情况\n"
        "当年通过网站发布政府信息 393 件，其中规范性文件 13 件。\n"
        "六、政府信息公开平台建设\n“某某”视频号共发布短视频 584 条。"
    )
    reading = read_prose(overview, {"overview": Section("overview", "", 0, 0, len(overview))})
    got = reading.fields["overview.proactive_total"]
    assert got.value is None and not got.confident
    assert (
        facts(overview.replace("393 件，其中规范性文件 13 件", "393 条"))["overview.proactive_total"] == 393
    )


@pytest.mark.parametrize(
    ("t3", "received"),
    [
        ("2023年，共收到政府信息公开申请0条。（本列数据的勾稽关系为：第一项加第二项之和）", 0),
        ("申请人情况\n本年新收政府信息公开申请数量\t30\t0\t0\t0\t0\t0\t30", None),
        # the table written out in words is no statement of the year's applications
        ("本年新收政府信息公开申请：自然人30件，商业企业56件，总计86件。", None),
    ],
)
def test_applications_stated_above_table_three_when_the_overview_states_none(t3, received):
    """Some reports state the year's applications only in the words above table 三."""
    overview = "（二）依申请公开。严格按照条例办理。"
    text = overview + "\n" + t3
    sections = {
        "overview": Section("overview", "", 0, 0, len(overview)),
        "t3": Section("t3", "", len(overview) + 1, len(overview) + 1, len(text)),
    }
    reading = read_prose(text, sections).fields["overview.applications_received"]
    assert reading.value == received
    assert reading.value is None or text[reading.start : reading.end] == str(received)
