"""Deterministic generator of reports with gold, in the layouts real reports come in.

A *record* is a gold field map whose numbers satisfy every identity of ``fields.md``
(or, on request, break one on purpose). A *layout* renders a record as report text.
Gold is the record itself, never the extractor's output, and nothing here imports the
extractor: labels are typed from the standard form, so the two can disagree.

    python -m evals.generate [OUT_DIR] [--count N] [--seed S]

rebuilds the suite (default ``evals/suite``): ``reports/<name>.<txt|md|html|docx|pdf>`` and
``gold/<name>.json``, the same bytes on every run.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

from .markup import Block, SpanTable, t2_table, t3_table, t4_table, to_docx, to_html, to_markdown, to_pdf

COLUMNS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"]
T4_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
T4_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]

# Table 三 rows as the standard form prints them: (row id, group label, row label).
_T3_OUTCOMES_HEAD = [
    ("granted", "（一）予以公开", ""),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("withheld_state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("withheld_prohibited_by_law", "", "2.其他法律行政法规禁止公开"),
    ("withheld_safety_stability", "", "3.危及“三安全一稳定”"),
    ("withheld_third_party", "", "4.保护第三方合法权益"),
    ("withheld_internal_affairs", "", "5.属于三类内部事务信息"),
    ("withheld_process_info", "", "6.属于四类过程性信息"),
    ("withheld_enforcement_files", "", "7.属于行政执法案卷"),
    ("withheld_admin_query", "", "8.属于行政查询事项"),
    ("unable_not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unable_needs_compilation", "", "2.没有现成信息需要另行制作"),
    ("unable_unclear", "", "3.补正后申请内容仍不明确"),
    ("declined_complaint", "（五）不予处理", "1.信访举报投诉类申请"),
    ("declined_repeated", "", "2.重复申请"),
    ("declined_publication", "", "3.要求提供公开出版物"),
    ("declined_excessive", "", "4.无正当理由大量反复申请"),
    ("declined_confirmation", "", "5.要求行政机关确认或重新出具已获取信息"),
]
_T3_OTHER = {
    "2021": [
        (
            "other_no_correction",
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        ("other_no_fee", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_other", "", "3.其他"),
    ],
    "2019": [("other_processing", "（六）其他处理", "")],
}
T2_ROWS = {
    "2021": [
        (
            "第二十条第（一）项",
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            [("regulations", "规章"), ("normative_documents", "行政规范性文件")],
            ["issued", "repealed", "in_force"],
        ),
        ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [("licensing", "行政许可")], ["decisions"]),
        (
            "第二十条第（六）项",
            ["信息内容", "本年处理决定数量"],
            [("penalty", "行政处罚"), ("coercion", "行政强制")],
            ["decisions"],
        ),
        (
            "第二十条第（八）项",
            ["信息内容", "本年收费金额（单位：万元）"],
            [("fees", "行政事业性收费")],
            ["amount"],
        ),
    ],
    "2019": [
        (
            "第二十条第（一）项",
            ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            [("regulations", "规章"), ("normative_documents", "规范性文件")],
            ["made", "published", "total_published"],
        ),
        (
            "第二十条第（五）项",
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
            ["previous_items", "change", "decisions"],
        ),
        (
            "第二十条第（六）项",
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            [("penalty", "行政处罚"), ("coercion", "行政强制")],
            ["previous_items", "change", "decisions"],
        ),
        (
            "第二十条第（八）项",
            ["信息内容", "上一年项目数量", "本年增/减"],
            [("fees", "行政事业性收费")],
            ["previous_items", "change"],
        ),
        (
            "第二十条第（九）项",
            ["信息内容", "采购项目数量", "采购总金额"],
            [("procurement", "政府集中采购")],
            ["items", "amount"],
        ),
    ],
}
_PLACES = ["青山", "临河", "东湖", "南川", "白云", "金水", "凤台", "西林", "安平", "清远"]
_KINDS = ["县", "区", "市"]
_BODIES = [
    "卫生健康局",
    "教育局",
    "民政局",
    "自然资源局",
    "交通运输局",
    "人民政府办公室",
    "市场监督管理局",
    "发展和改革局（粮食和物资储备局）",  # two bodies under one roof: the name holds full-width brackets
]


def t3_rows(fmt: str) -> list[tuple[str, str, str]]:
    return _T3_OUTCOMES_HEAD + _T3_OTHER[fmt]


# --- records -------------------------------------------------------------------------


def _small(rng: random.Random, zero_share: float = 0.75, top: int = 9) -> int:
    return 0 if rng.random() < zero_share else rng.randint(1, top)


def random_record(
    rng: random.Random, fmt: str | None = None, big_numbers: bool = False, blank_cells: bool = True
) -> dict:
    """A gold record whose numbers satisfy every identity of ``fields.md``; with
    ``big_numbers``, table 二 and the proactive total run into the thousands; without
    ``blank_cells``, no group of table 四 is left blank."""
    fmt = fmt or rng.choice(["2021", "2021", "2019"])
    year = rng.randint(2021, 2025) if fmt == "2021" else rng.choice([2019, 2020])
    agency = rng.choice(_PLACES) + rng.choice(_KINDS) + rng.choice(_BODIES)
    f: dict = {"meta.agency": agency, "meta.year": year, "meta.format": fmt}
    for row_id, _group, _label in t3_rows(fmt):
        for col in COLUMNS[:-1]:
            f[f"t3.{row_id}.{col}"] = _small(rng, 0.8 if col == "natural_person" else 0.95, 30)
    outcome_ids = [r for r, _, _ in t3_rows(fmt)]
    for col in COLUMNS[:-1]:
        total = sum(f[f"t3.{r}.{col}"] for r in outcome_ids)
        carried_over = min(_small(rng, 0.7, 5), total)
        carried_forward = _small(rng, 0.7, 5)
        f[f"t3.total.{col}"] = total
        f[f"t3.carried_over.{col}"] = carried_over
        f[f"t3.carried_forward.{col}"] = carried_forward
        f[f"t3.new_received.{col}"] = total + carried_forward - carried_over
    for row_id in ["new_received", "carried_over", *outcome_ids, "total", "carried_forward"]:
        f[f"t3.{row_id}.total"] = sum(f[f"t3.{row_id}.{c}"] for c in COLUMNS[:-1])
    for group in T4_GROUPS:
        parts = [_small(rng, 0.85, 4) for _ in range(4)]
        f.update({f"t4.{group}.{c}": v for c, v in zip(T4_COLUMNS, [*parts, sum(parts)], strict=True)})
    for _head, _cols, rows, columns in T2_ROWS[fmt]:
        for row_id, _label in rows:
            for col in columns:
                f[f"t2.{row_id}.{col}"] = _t2_value(rng, col, big_numbers)
    f["overview.proactive_total"] = rng.choice([None, rng.randint(1000 if big_numbers else 20, 30000)])
    f["overview.applications_received"] = f["t3.new_received.total"] if rng.random() < 0.8 else None
    f["overview.wechat_posts"] = rng.choice([None, rng.randint(5, 900)])
    f["overview.weibo_posts"] = rng.choice([None, None, rng.randint(5, 400)])
    f["other.processing_fee_yuan"] = rng.choice([None, 0, 0])
    if rng.random() < 0.15 and blank_cells:  # a group of table 四 left blank, as some reports print it
        f.update({f"t4.review.{c}": None for c in T4_COLUMNS})
    return f


def _t2_value(rng: random.Random, col: str, big: bool = False) -> int | float:
    if col == "change":
        return rng.choice([0, 0, rng.randint(-5, 5)])
    if col == "amount":
        return rng.choice([0, 0, round(rng.uniform(0.5, 3000 if big else 300), 2)])
    if big and col in ("decisions", "total_published"):
        return rng.randint(1000, 90000)
    return _small(rng, 0.5, 400 if col == "decisions" else 30)


def break_identity(record: dict, rng: random.Random) -> dict:
    """The record as a report that contradicts itself: one 总计 cell printed off by one or more."""
    broken = dict(record)
    col = rng.choice(COLUMNS[:-1])
    broken[f"t3.total.{col}"] += rng.randint(1, 3)
    return broken


# --- rendering -------------------------------------------------------------------------


def _num(value: int | float | None, fmt_change: bool = False) -> str:
    if value is None:
        return ""
    if fmt_change and value:
        return f"增 {value}" if value > 0 else f"减 {-value}"
    return f"{value:g}" if isinstance(value, float) else str(value)


# The units some reports print in table 二's procurement cells (政府集中采购 6个 / 251000元, 2笔 /
# 984361元): half the 2019-format reports print one, the number the same.
T2_UNITS = {"items": ("个", "项", "笔"), "amount": ("元", "万元")}


def t2_cell(f: dict, row_id: str, col: str) -> str:
    """Table 二's cell of ``row_id`` and ``col`` as the report prints it (with its unit, in the
    reports that print units)."""
    text = _num(f[f"t2.{row_id}.{col}"], col == "change")
    units = T2_UNITS.get(col) if row_id == "procurement" else None
    if not text or not units:
        return text
    chosen = zlib.crc32(f"{f['meta.agency']}{f['meta.year']}t2 units".encode()) % (2 * len(units))
    return text + units[chosen] if chosen < len(units) else text


# How agencies word the prose facts (the gold the same number, or 0 for none, whatever the
# words): the first of each is the wording of the samples; the others, real reports' own.
_PROACTIVE = (
    "{year}年，我单位通过政府门户网站主动公开政府信息共 {n} 条。",
    "{year}年，共主动公开各类政府信息{n}条，其中通知公告{part}条。",
    "全年主动公开政府信息{n}条，同比增长5%。",
    "本年度累计主动公开政府信息{n}条。",
    "{year}年度，主动公开政府信息总数为{n}条。",
    # a bracketed breakdown, its items apart by commas, one of them in the words 主动公开
    "全年共公布政府信息{n}条（其中机构职能类信息{part}条，规划计划类信息{part}条，其他应主动公开政府信息"
    "{part}条），均按时发布。",
    # the remainder's own count in the words 主动公开, after the total
    "{year}年，主动公开政府信息{n}条。其他应主动公开的政府信息{part}条。",
    # the whole named first, its kinds' counts after it in clauses of their own
    "{year}年，主动公开政府信息{n}条，重大建设项目类信息{part}条，规范性文件类信息{part}条。",
    # another thing's total beside the whole's, in one sentence
    "{year}年，在门户网站发布政务新闻共{part}条，主动公开政府信息数共计{n}条。",
    # the channels it went through, a WeChat account among them, listed with 等
    "{year}年，通过政府门户网站、微信公众号、公开栏等载体累计主动公开政府信息{n}条。",
    # a count of more before the whole's (all items made and obtained)
    "{year}年制作、获取的政府信息{more}条，通过政府网站主动公开政府信息{n}条。",
    # through channels, a network platform for the website, and 主动向社会公开
    "利用公众号、纸质媒体、网络平台主动向社会公开信息{n}条。其中：网站信息公开{part}条。",
    # its kinds after 内容涵盖; a kind named for the 主动公开 items' catalogue among them
    "全年累计公开信息{n}条，内容涵盖政务信息{part}条、工作动态{part}条。",
    "{year}年，共在门户网站发布公示信息总计{n}条，其中审批信息公示{part}条，主动公开事项目录1条。",
)
_APPLICATIONS = (
    "{year}年共收到政府信息公开申请 {n} 件，均按时答复。",
    "{year}年，全年共接收政府信息公开申请{n}件，已全部办结。",
    "{year}年，本机关收到依申请公开{n}件（其中网络申请{part}件）。",
    # a breakdown's items in clauses of their own, the count in words of handling
    "全年依法办结政府信息公开申请{n}件，其中网络申请数{part}件，信函申请数{rest}件。",
    "{year}年，本机关共收到依申请公开{n}条，均在法定期限内答复。",  # (counted in 条)
    "{year}年，我局共收到依申公开事项{n}件，均按时答复。",  # (依申公开: 依申请公开 cut short)
    "{year}年，我单位共收到依申请公开申请{n}项，均已按时答复。",  # (counted in 项)
)
_NO_APPLICATIONS = (
    "{year}年，我单位未收到政府信息公开申请。",
    "本年度未发生依申请公开事项。",
    "{year}年全年没有收到政府信息公开申请。",
    "本年度无依申请公开情况。",
    "{year}年，本单位未接收到政府信息公开申请。",
    "本年度，未接到群众要求公开的信息。",  # (a request, in the words of the sub-heading's topic)
    "{year}年度我单位无依法申请公开件。",
    "{year}年，区行政审批局未收到依申请公开的相关信息。",  # (审批 in the agency's name: no business of it)
)
_NO_FEE = (
    "本单位本年度未收取信息处理费。",
    "本机关不存在收取信息处理费的情况。",
    "本年度未向申请人收取信息处理费。",
    "本年度无信息处理费收费情况。",
    "全年未产生信息处理费。",
    "本机关政府信息公开未发生收费情况。",
)


def _worded(f: dict, wordings: tuple[str, ...], key: str, **values: object) -> str:
    """One of ``wordings``, the same for the same report on every run (chosen by its agency and
    year, not by the generator's random stream, so the rest of the suite stays as it was)."""
    index = zlib.crc32(f"{f['meta.agency']}{f['meta.year']}{key}".encode()) % len(wordings)
    return wordings[index].format(year=f["meta.year"], **values)


def _prose(f: dict) -> str:
    year = f["meta.year"]
    total = f["overview.proactive_total"]
    if total is not None and _worded(f, ("usual", "usual", "usual", "own"), "outline") == "own":
        return _prose_own_outline(f, total)
    lines = ["一、总体情况", ""]
    heading = _worded(f, ("（一）主动公开情况。", "（一）政府信息主动公开情况。"), "proactive heading")
    if total is None:
        lines.append(f"{heading}{year}年，我单位坚持“公开为常态、不公开为例外”，主动公开信息千余条。")
    else:
        lines.append(
            heading + _worded(f, _PROACTIVE, "proactive", n=total, part=total // 3, more=2 * total + 5)
        )
    apps = f["overview.applications_received"]
    if apps == 0:
        lines.append("（二）依申请公开情况。" + _worded(f, _NO_APPLICATIONS, "applications"))
    elif apps is not None:
        stated = _worded(f, _APPLICATIONS, "applications", n=apps, part=apps // 2, rest=apps - apps // 2)
        lines.append("（二）依申请公开情况。" + stated)
    else:
        lines.append("（二）依申请公开情况。严格按照条例要求办理依申请公开事项，做到依法依规答复。")
    lines.append("（三）政府信息管理情况。严格落实信息发布审核制度，确保信息准确。")
    lines.append("（四）政府信息公开平台建设情况。" + _channels(f))
    lines.append("（五）监督保障情况。本年度未发生因政府信息公开工作被追责的情况。")
    if _worded(f, ("paragraphs", "paragraphs", "paragraphs", "lines"), "sub-sections") == "lines":
        # (a page's sub-sections on lines of their own, the first's sentence left unended)
        return "\n\n".join(lines[:2]) + lines[2].removesuffix("。") + "\n" + "\n".join(lines[3:])
    return "\n\n".join(lines)


def _prose_own_outline(f: dict, total: int) -> str:
    """An overview in sub-sections of the agency's own (as Fujian's reports have them): a count of
    something else in the first, the proactive total a breakdown's item of all the items made in
    the second. (Each number within a page's first line: a PDF's line never cuts one.)"""
    part = total // 3
    lines = ["一、总体情况", ""]
    lines.append("（一）政府信息管理方面。公开征集群众意见建议12条。")
    # (or under a sub-heading in the words 主动公开, its first sentence run into it)
    heading = _worded(f, ("（二）信息发布方面。", "（二）主动公开政府信息的数量 "), "made heading")
    lines.append(
        f"{heading}全年共制发政府信息{total + part + 7}条，其中，主动公开政府信息{total}条"
        f"（涵盖政策文件类{part}条）。"
    )
    apps = f["overview.applications_received"]
    if apps == 0:
        lines.append("（三）依申请公开方面。" + _worded(f, _NO_APPLICATIONS, "applications"))
    elif apps is not None:
        lines.append(
            "（三）依申请公开方面。"
            + _worded(f, _APPLICATIONS, "applications", n=apps, part=apps // 2, rest=apps - apps // 2)
        )
    lines.append("（四）政府信息公开平台建设情况。" + _channels(f))
    lines.append("（五）监督保障情况。本年度未发生因政府信息公开工作被追责的情况。")
    return "\n\n".join(lines)


def _channels(f: dict) -> str:
    """The new-media counts: each channel in a clause of its own, or (some reports) both as the
    breakdown of a count of all new media."""
    wechat, weibo = f["overview.wechat_posts"], f["overview.weibo_posts"]
    both = wechat is not None and weibo is not None
    if both and _worded(f, ("own", "breakdown"), "channels") == "breakdown":
        return f"政务新媒体发布信息{wechat + weibo}条，其中微信{wechat}条、微博{weibo}条。"
    channels = []
    if wechat is not None:
        account = _worded(f, ("微信公众号", "公众号"), "wechat account")  # (a 公众号 is WeChat's)
        channels.append(f"通过“{f['meta.agency'][:2]}发布”{account}发布信息{wechat}条")
    if weibo is not None:
        channels.append(f"官方微博发布信息{weibo}条")
    return "，".join(channels) + "。" if channels else "持续优化网站栏目。"


def _tail(f: dict) -> str:
    fee = f["other.processing_fee_yuan"]
    other = _worded(f, _NO_FEE, "fee") if fee == 0 else "无。"
    return (
        "五、存在的主要问题及改进情况\n\n公开内容的深度和广度仍需加强，下一步将进一步规范公开工作。\n\n"
        f"六、其他需要报告的事项\n\n{other}\n"
    )


def _title(f: dict, rng: random.Random) -> str:
    title = f"{f['meta.year']}年政府信息公开工作年度报告"
    if rng.random() < 0.5:
        return f"\n\n{f['meta.agency']}\n\n{title}\n\n"
    return f"\n\n{f['meta.agency']} {title}\n\n"


def _t2_printed(f: dict, fmt: str) -> list[list[str]]:
    rows = []
    for head, header, data_rows, columns in T2_ROWS[fmt]:
        width = 4
        rows.append([head] + [""] * (width - 1))
        rows.append(header + [""] * (width - len(header)))
        for row_id, label in data_rows:
            cells = [t2_cell(f, row_id, c) for c in columns]
            rows.append([label, *cells] + [""] * (width - 1 - len(cells)))
    return rows


def _t3_printed(f: dict, fmt: str, lost_labels: bool) -> list[list[str]]:
    """Table 三's printed rows, label cells first, as the tab layout prints them."""

    def values(row_id: str) -> list[str]:
        return [_num(f[f"t3.{row_id}.{c}"]) for c in COLUMNS]

    rows = [
        [
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            "",
            "申请人情况",
            "",
            "",
            "",
            "",
            "",
            "总计",
            "",
        ],
        ["", "", "自然人", "法人或其他组织", "", "", "", "", "", ""],
        [
            "",
            "",
            "",
            "商业企业",
            "科研机构",
            "社会公益组织" if fmt == "2021" else "社会组织",
            "法律服务机构",
            "其他",
            "",
            "",
        ],
        ["一、本年新收政府信息公开申请数量", "", *values("new_received"), ""],
        ["二、上年结转政府信息公开申请数量", "", *values("carried_over"), ""],
    ]
    for i, (row_id, group, label) in enumerate(t3_rows(fmt)):
        first = "三、本年度办理结果" if i == 0 else ""
        group_cell = "0" if lost_labels and group else group
        if label:
            rows.append([first, group_cell, label, *values(row_id)])
        else:
            rows.append([first, group_cell, *values(row_id), ""])
    rows.append(["0" if lost_labels else "（七）总计", "", *values("total"), ""])
    rows.append(["四、结转下年度继续办理", "", *values("carried_forward"), ""])
    return rows


def _t4_printed(f: dict) -> list[list[str]]:
    head = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
        [*head, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        [""] * 5 + head + head,
        [_num(f[f"t4.{g}.{c}"]) for g in T4_GROUPS for c in T4_COLUMNS],
    ]


def _as_tab_lines(rows: list[list[str]]) -> str:
    return "\n".join("\t".join(row) for row in rows)


def _as_cell_lines(rows: list[list[str]], vertical: bool) -> str:
    """One cell per line, each after a tab; rows apart by a blank line; with ``vertical``,
    header cells printed one character per line as narrow Word columns come out."""

    def is_header(row: list[str]) -> bool:
        return not any(c[:1].isdigit() for c in row)

    def cell(text: str, header: bool) -> str:
        return "\n".join(text) if vertical and header and 2 <= len(text) <= 6 else text

    return "\n\n".join(
        "\n".join("\t" + cell(c, is_header(row)) for c in _trim(row)) for row in rows if any(row)
    )


def _trim(row: list[str]) -> list[str]:
    """A cell-per-line printing keeps no trailing empty grid cells."""
    end = len(row)
    while end > 1 and not row[end - 1]:
        end -= 1
    return row[:end]


def render(f: dict, layout: str, rng: random.Random) -> str:
    """The report text of record ``f`` in ``layout`` (see :data:`LAYOUTS`)."""
    fmt = f["meta.format"]
    lost = layout == "lost_labels"
    as_text: Callable[[list[list[str]]], str] = _as_tab_lines
    if layout.startswith("cell_per_line"):
        as_text = partial(_as_cell_lines, vertical=layout.endswith("vertical"))
    elif layout == "pdf_lines":
        as_text = partial(_as_pdf_lines, f=f, rng=rng, page=[1])
    t3 = _t3_printed(f, fmt, lost)
    if layout == "wrapped_label":
        t3 = _wrap_a_label(t3)
    tables = {"t2": as_text(_t2_printed(f, fmt)), "t3": as_text(t3), "t4": as_text(_t4_printed(f))}
    if layout == "prose_tables":
        tables = _as_prose_tables(f)
    parts = [
        _title(f, rng),
        _prose(f),
        "\n\n二、主动公开政府信息情况\n\n" + tables["t2"],
        "\n\n三、收到和处理政府信息公开申请情况\n\n" + tables["t3"],
        "\n\n四、政府信息公开行政复议、行政诉讼情况\n\n" + tables["t4"],
        "\n\n" + _tail(f),
    ]
    text = "".join(parts)
    return _full_width(text) if layout == "full_width" else text


def _wrap_a_label(rows: list[list[str]]) -> list[list[str]]:
    """Wrap the longest row label onto a line of its own with empty cells, as PDF copies do."""
    index = max(range(len(rows)), key=lambda i: len(rows[i][2]) if len(rows[i]) > 2 else 0)
    row = rows[index]
    label = row[2]
    cut = len(label) * 2 // 3
    wrapped = [*row[:2], label[:cut], *row[3:]]
    continuation = ["", label[cut:]] + [""] * 7
    return [*rows[:index], wrapped, [""], continuation, *rows[index + 1 :]]


# --- tables as markup (HTML, Word, PDF, markdown) ----------------------------------------


# The six sections' headings, as a table of contents lists them (without page numbers).
CONTENTS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


def blocks(
    f: dict, rng: random.Random, *, split_friendly: bool = False, titled: bool = True, contents: bool = False
) -> list[Block]:
    """The report as paragraphs and tables with merged cells; ``split_friendly`` keeps
    table 三's outcome label from spanning all its rows, so a PDF page may break inside it;
    without ``titled`` the title lines are left out (a web page's body saved without them);
    with ``contents``, a table of contents follows the title."""
    fmt = f["meta.format"]
    title = f"{f['meta.year']}年政府信息公开工作年度报告"
    head = [f["meta.agency"], title] if rng.random() < 0.5 else [f"{f['meta.agency']}{title}"]
    head = (head if titled else []) + (["目录", *CONTENTS] if contents else [])
    prose = [p for p in _prose(f).split("\n") if p]  # (each line a paragraph of its own)
    tail = [p for p in _tail(f).split("\n\n") if p.strip()]
    return [
        *head,
        *prose,
        "二、主动公开政府信息情况",
        _t2_span_table(f, fmt),
        "三、收到和处理政府信息公开申请情况",
        _t3_span_table(f, fmt, span_outcomes=not split_friendly),
        "四、政府信息公开行政复议、行政诉讼情况",
        t4_table(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], _t4_values(f)),
        *[p.strip() for p in tail],
    ]


def _t2_span_table(f: dict, fmt: str) -> SpanTable:
    return t2_table(
        [
            (
                head,
                header,
                [(label, [t2_cell(f, r, c) for c in cols]) for r, label in rows],
            )
            for head, header, rows, cols in T2_ROWS[fmt]
        ]
    )


def _t3_span_table(f: dict, fmt: str, span_outcomes: bool) -> SpanTable:
    def values(row_id: str) -> list[str]:
        return [_num(f[f"t3.{row_id}.{c}"]) for c in COLUMNS]

    kinds = ["商业企业", "科研机构", "社会公益组织" if fmt == "2021" else "社会组织", "法律服务机构", "其他"]
    head = [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "申请人情况",
        "自然人",
        "法人或其他组织",
        *kinds,
        "总计",
    ]
    return t3_table(
        head,
        [
            ("一、本年新收政府信息公开申请数量", values("new_received")),
            ("二、上年结转政府信息公开申请数量", values("carried_over")),
        ],
        [(group, label, values(row_id)) for row_id, group, label in t3_rows(fmt)],
        ("（七）总计", values("total")),
        ("四、结转下年度继续办理", values("carried_forward")),
        span_outcomes,
    )


def _t4_values(f: dict) -> list[str]:
    return [_num(f[f"t4.{g}.{c}"]) for g in T4_GROUPS for c in T4_COLUMNS]


# --- more text layouts ------------------------------------------------------------------


def _as_pdf_lines(rows: list[list[str]], f: dict, rng: random.Random, page: list[int]) -> str:
    """Rows as a PDF text copy gives them: cells apart by spaces (blank cells leave no trace);
    in a long table a page ends: a page number, a form feed, the running header."""
    lines = [" ".join(c for c in row if c) for row in rows if any(row)]
    if len(lines) > 12:
        cut = rng.randint(4, len(lines) - 3)
        page[0] += 1
        header = f"{f['meta.agency']}{f['meta.year']}年政府信息公开工作年度报告"
        lines[cut:cut] = [f"- {page[0]} -", f"\f{header}"]
    return "\n".join(lines)


_FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def _full_width(text: str) -> str:
    """Numbers with thousands separators, every digit full width, as some Word templates print."""
    return re.sub(r"(?<![\d.])\d{4,}(?![\d.年])", lambda m: f"{int(m.group()):,}", text).translate(
        _FULL_WIDTH
    )


def _as_prose_tables(f: dict) -> dict[str, str]:
    """Tables written as sentences, as some small agencies do: every cell stated in words."""
    fmt = f["meta.format"]
    kinds = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他法人或其他组织", "总计"]
    t2 = []
    for _head, header, rows, cols in T2_ROWS[fmt]:
        for row_id, label in rows:
            said = "，".join(
                f"{h}{t2_cell(f, row_id, c) or '未填报'}" for h, c in zip(header[1:], cols, strict=True)
            )
            t2.append(f"{label}：{said}。")
    t3_labels = [("new_received", "本年新收政府信息公开申请"), ("carried_over", "上年结转政府信息公开申请")]
    t3_labels += [(r, (g + label) if label else g) for r, g, label in t3_rows(fmt)]
    t3_labels += [("total", "办理结果总计"), ("carried_forward", "结转下年度继续办理")]
    t3 = [
        f"{label}："
        + "，".join(f"{k}{f[f't3.{r}.{c}']}件" for k, c in zip(kinds, COLUMNS, strict=True))
        + "。"
        for r, label in t3_labels
    ]
    names = {
        "review": "行政复议",
        "litigation_direct": "未经复议直接起诉的行政诉讼",
        "litigation_after_review": "复议后起诉的行政诉讼",
    }
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    t4 = [
        f"{names[g]}："
        + "，".join(
            f"{h}{_num(f[f't4.{g}.{c}']) or '未填报'}件" for h, c in zip(heads, T4_COLUMNS, strict=True)
        )
        + "。"
        for g in T4_GROUPS
    ]
    return {"t2": "\n".join(t2), "t3": "\n".join(t3), "t4": "\n".join(t4)}


TEXT_LAYOUTS = (
    "tab_rows",
    "lost_labels",
    "wrapped_label",
    "cell_per_line",
    "cell_per_line_vertical",
    "pdf_lines",
    "full_width",
    "prose_tables",
)
FILE_LAYOUTS = ("markdown", "html", "html_gbk", "docx", "pdf")
# What real reports and their converters do (evals/wild.py renders them)
WILD_LAYOUTS = (
    "html_sparse",
    "crawler_glued",
    "crawler_spaced",
    "crawler_wrapped",
    "cell_lines_plain",
    "markdown_floating",
    "layout_spaces",
    "appended_tables",
    "split_rows",
    "pdf_lines_sparse",
    "headings_unnumbered",
    "markdown_html_tables",
    "pdf_lines_interleaved",
    "markdown_bare_pipes",
    "plain_blank_cells",
    "layout_wrapped_numbers",
    "other_in_one_row",
    "markdown_stacked",
    "markdown_rows_broken",
)
LAYOUTS = TEXT_LAYOUTS + FILE_LAYOUTS + WILD_LAYOUTS
SUFFIXES = {"markdown": ".md", "html": ".html", "html_gbk": ".html", "docx": ".docx", "pdf": ".pdf"}


def render_file(f: dict, layout: str, rng: random.Random) -> tuple[str, str | bytes]:
    """Record ``f`` in ``layout`` as ``(suffix, content)``: text for text layouts, bytes for files."""
    return render_with_doubts(f, layout, rng)[:2]


def render_with_doubts(f: dict, layout: str, rng: random.Random) -> tuple[str, str | bytes, dict[str, str]]:
    """Record ``f`` in ``layout``: suffix, content, and the cells the rendering leaves open."""
    if layout in WILD_LAYOUTS:
        from .wild import RENDERERS

        return RENDERERS[layout](f, rng)
    return (*_render_file(f, layout, rng), {})


def _render_file(f: dict, layout: str, rng: random.Random) -> tuple[str, str | bytes]:
    if layout in TEXT_LAYOUTS:
        return ".txt", render(f, layout, rng)
    title = f"{f['meta.agency']}{f['meta.year']}年政府信息公开工作年度报告"
    # Variants keyed on the title, so the suite's other draws stay as they were: a quarter of
    # the Word files and markdown copies list their sections after the title, a quarter of the
    # web pages give their title in the head alone.
    key = zlib.crc32(title.encode()) % 4
    contents = key == 1
    if layout == "markdown":
        return ".md", to_markdown(blocks(f, rng, contents=contents))
    if layout in ("html", "html_gbk"):
        encoding = "gbk" if layout == "html_gbk" else "utf-8"
        titled = key != 3
        head = title if titled else f"{title}_{f['meta.agency']}门户网站"  # (the site's name after it)
        page = to_html(blocks(f, rng, titled=titled), head, encoding, layout_table=layout == "html_gbk")
        return ".html", page
    if layout == "docx":
        return ".docx", to_docx(blocks(f, rng, contents=contents))
    if layout == "pdf":
        return ".pdf", to_pdf(blocks(f, rng, split_friendly=True), title, rng)
    raise ValueError(f"unknown layout {layout!r}")


def seed_records(gold_dir: Path = Path(__file__).parent / "gold") -> list[tuple[str, dict]]:
    """The hand-read records of the sample reports, by report name."""
    return [
        (path.stem, json.loads(path.read_text(encoding="utf-8"))["fields"])
        for path in sorted(gold_dir.glob("*.json"))
    ]


def _gold(
    name: str,
    suffix: str,
    record: dict,
    layout: str,
    status: str | None,
    origin: str,
    undeterminable: dict[str, str] | None = None,
) -> dict:
    gold = {
        "source": f"reports/{name}{suffix}",
        "format": record["meta.format"],
        "layout": layout,
        "expected_status": status,
        "checked": origin,
        "fields": record,
    }
    if undeterminable:
        gold["undeterminable"] = undeterminable
    return gold


def _expected_status(layout: str, record: dict, inconsistent: bool, undeterminable: dict) -> str | None:
    from .wild import TRACELESS_BLANKS

    # The rule path cannot read rows whose blank cells vanished: it must say so. Cells the
    # rendering leaves open may or may not be settled by the identities.
    blanks = any(v is None for k, v in record.items() if k.startswith(("t2.", "t3.", "t4.")))
    if inconsistent or (layout in TRACELESS_BLANKS and blanks):
        return "needs_review"
    return None if undeterminable else "ok"


# Layouts whose records print every cell, a 0 for a blank: a PDF text copy loses blank cells
# without a trace, so that no reader can place the rest (a test of its own: flagged, never
# misread); one row printing three rows' sums would make their blanks 0s.
_WHOLE_RECORDS = frozenset({"pdf_lines", "other_in_one_row"})


def generate(
    count: int, seed: int, layouts: tuple[str, ...] = LAYOUTS
) -> list[tuple[str, str, str | bytes, dict]]:
    """``count`` reports as ``(name, suffix, content, gold)``, cycling through ``layouts``."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        layout = layouts[i % len(layouts)]
        whole = layout in _WHOLE_RECORDS
        record = random_record(rng, big_numbers=layout == "full_width", blank_cells=not whole)
        inconsistent = i % 10 == 9
        if inconsistent:
            record = break_identity(record, rng)
        if layout in WILD_LAYOUTS:
            from .wild import SPARSE, sparse

            record = sparse(record) if layout in SPARSE else record
        suffix, content, undeterminable = render_with_doubts(record, layout, rng)
        name = f"gen_{i:04d}_{layout}"
        status = _expected_status(layout, record, inconsistent, undeterminable)
        origin = "generated: the record is the gold"
        out.append(
            (name, suffix, content, _gold(name, suffix, record, layout, status, origin, undeterminable))
        )
    return out


def generate_from_seeds(
    seed: int, layouts: tuple[str, ...] = FILE_LAYOUTS
) -> list[tuple[str, str, str | bytes, dict]]:
    """The samples' hand-read records rendered in every file layout."""
    rng = random.Random(seed)
    out = []
    for stem, record in seed_records():
        for layout in layouts:
            suffix, content = render_file(record, layout, rng)
            name = f"seed_{stem[:3]}_{layout}"
            origin = f"the hand-read gold of sample {stem}, rendered as {layout}"
            out.append((name, suffix, content, _gold(name, suffix, record, layout, "ok", origin)))
    return out


def empty_set_folders(out: Path) -> tuple[Path, Path]:
    """An eval set's ``reports`` and ``gold`` folders under ``out``, made empty for a rebuild."""
    folders = out / "reports", out / "gold"
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
    return folders


def build_suite(out: Path, count: int, seed: int) -> int:
    """Write the suite: generated reports and the samples' records in every file layout."""
    reports, gold_dir = empty_set_folders(out)
    items = generate(count, seed) + generate_from_seeds(seed)
    for name, suffix, content, gold in items:
        path = reports / f"{name}{suffix}"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        (gold_dir / f"{name}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return len(items)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, nargs="?", default=Path(__file__).parent / "suite")
    parser.add_argument("--count", type=int, default=20 * len(LAYOUTS))
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    written = build_suite(args.out, args.count, args.seed)
    print(f"{written} reports with their gold written under {args.out}")


if __name__ == "__main__":
    main()
