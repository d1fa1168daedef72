"""The field catalog of ``shared/spec/fields.md`` as data: the single source of every field.

Every table is described once (rows in order, their label patterns, columns, value kinds,
Chinese labels), and so is every fact stated in words (the title's agency and year, the prose
facts): its id, value kind, the sections it is read from, the words a statement of it is made
with and the words that make it another fact, the units it is counted in, how a report says
"none", and what the model is told about it. The table parser, the prose reader, the pydantic
models, the model's response schemas, the prompts' lists, the output columns and the
identities are all derived from a :class:`Catalog`, so a field id is spelled in exactly one
place and adding a fact is one entry.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property, lru_cache
from typing import Literal

from .values import ZERO, ValueKind


class Format(StrEnum):
    """The two standard table formats (国办公开办函〔2021〕30号 and 〔2019〕60号)."""

    F2021 = "2021"
    F2019 = "2019"


@dataclass(frozen=True, eq=False)  # hashed by identity: each spec is a singleton
class RowSpec:
    """One row of a standard table: its id, how its label reads, its columns."""

    id: str
    label: re.Pattern[str]
    columns: tuple[str, ...]
    kinds: tuple[ValueKind, ...]
    title: str  # the label as the standard form prints it, for people and prompts
    column_titles: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: each spec is a singleton
class TableSpec:
    """A standard table: rows in printed order.

    ``flat`` means the printed table may hold all its values in one unlabelled
    line, in row order (table 四 is printed that way).
    """

    id: str
    title: str
    rows: tuple[RowSpec, ...]
    flat: bool = False
    printed_as_one: PartsAsOne | None = None

    def field_ids(self) -> list[str]:
        return [field_id for ids in self.row_field_ids for field_id in ids]

    @cached_property
    def row_field_ids(self) -> tuple[tuple[str, ...], ...]:
        """Each row's field ids, in row order."""
        return tuple(tuple(f"{self.id}.{row.id}.{col}" for col in row.columns) for row in self.rows)

    def row(self, row_id: str) -> RowSpec:
        return next(row for row in self.rows if row.id == row_id)

    def row_fields(self, row_id: str) -> tuple[str, ...]:
        """The field ids of row ``row_id``."""
        return self.row_field_ids[self.rows.index(self.row(row_id))]


@dataclass(frozen=True, eq=False)
class PartsAsOne:
    """Rows ``parts`` of a table that a report may print as one row, ``row`` of the other
    format's ``table`` (format ``fmt``), which holds their sums."""

    table: TableSpec
    fmt: Format
    row: str
    parts: tuple[str, ...]


FactSource = Literal["title", "tables", "prose"]
Piece = Literal["sentence", "clause"]


@dataclass(frozen=True, eq=False)  # hashed by identity: each spec is a singleton
class FactSpec:
    """A fact stated in words: in the title (``meta.*``) or in the prose of the report.

    For a prose fact: it is read from the ``sections`` named, in the first ``piece`` (a
    sentence, or a clause) that speaks of its ``topic`` and not of ``excluded`` words, as the
    one count followed by one of its ``units``; ``none_stated`` is how a report says there was
    none (a 0). With ``total``, only a sentence that says it states a total counts (others are
    doubtful); with ``until``, a section is read only up to that line (the next sub-heading),
    or, with ``subsection``, only the sub-section under the sub-heading it names;
    statements made with ``preferred`` words outrank the others (those must agree); with
    ``channel_verbs`` (how a channel posts), a count that channels listed before the verb share
    is none of theirs alone (doubtful); a count in ``other_units`` alone (主动公开政府信息 2663 件)
    may state the fact or one kind's count: doubtful. ``whole``: the words right before a count
    that name all the fact counts (主动公开政府信息312条): its sentence's first count so named
    is the total the kinds' counts after it break down; for a channel (with ``channel_verbs``),
    the words naming the report's whole total, after which a count the channels listed before
    the verb share is the whole's, none of theirs (no statement of the channel's).
    """

    id: str
    kind: ValueKind
    label: str  # in Chinese, for people
    description: str  # what the model is told the fact is
    source: FactSource = "prose"
    sections: tuple[str, ...] = ("overview",)
    piece: Piece = "sentence"
    topic: re.Pattern[str] | None = None
    excluded: re.Pattern[str] | None = None
    units: str = ""
    none_stated: re.Pattern[str] | None = None
    total: re.Pattern[str] | None = None
    until: re.Pattern[str] | None = None
    subsection: re.Pattern[str] | None = None
    preferred: re.Pattern[str] | None = None
    channel_verbs: re.Pattern[str] | None = None
    other_units: str = ""
    whole: re.Pattern[str] | None = None
    # other channels: a clause naming one is about it (excluded), unless it stands in a list of
    # the channels, a website among them, that a total was published through
    channels: re.Pattern[str] | None = None
    # or the words right before a count and right after its unit that name the whole together
    # (主动公开 / 446条 / 信息)
    whole_around: tuple[re.Pattern[str], re.Pattern[str]] | None = None

    def __post_init__(self) -> None:
        for name in (
            "topic",
            "excluded",
            "channels",
            "none_stated",
            "total",
            "preferred",
            "channel_verbs",
            "whole",
        ):
            if (pattern := getattr(self, name)) is not None:
                object.__setattr__(self, name, across_breaks(pattern))
        if self.whole_around is not None:
            before, after = self.whole_around
            object.__setattr__(self, "whole_around", (across_breaks(before), across_breaks(after)))

    def region(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The part of a section ``text[start:end]`` the fact is read in: the sub-section whose
        sub-heading ``subsection`` names, up to the next sub-heading; else up to ``until``, but
        where sub-headings before it name none of them (（一）政府信息管理 （二）平台建设: the
        section is not laid out by the usual sub-sections, and the fact may be stated in any)."""
        if self.subsection is not None and (own := self.subsection.search(text, start, end)):
            after = _SUB_HEADING.search(text, own.end(), end)
            return own.start(), after.start() if after else end
        if self.until is not None and (stop := self.until.search(text, start, end)):
            if self.subsection is not None and _SUB_HEADING.search(text, start, stop.start()):
                return start, end
            return start, stop.start()
        return start, end

    @property
    def any_units(self) -> str:
        """``units`` and ``other_units``: every unit a count of the fact may be stated in."""
        return f"{self.units}|{self.other_units}" if self.other_units else self.units

    @property
    def group(self) -> str:
        """The id's head: ``meta``, ``overview`` or ``other``."""
        return self.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        """The id's tail, unique among the facts: the field name in models and schemas."""
        return self.id.split(".", 1)[1]


Identity = tuple[str, list[str], list[str]]


# （二）…, a sub-heading's number; or 三、…, where a report's overview runs on under headings of
# its own (一、总体情况 二、工作机制保障 三、主动公开工作情况 …, its tables attached after them)
BRACKETED_NUMBER = r"[(（][一二三四五六七八九十]{1,2}[)）]"  # a sub-heading's (（二）)
SUB_NUMBER = rf"(?:{BRACKETED_NUMBER}|[一二三四五六七八九十]{{1,2}}、)"  # or 三、
# from a line's start, after a list's bullet too (a PDF's markdown: - （二）主动公开…)
SUB_MARK = rf"[ \t]*(?:[-*+•][ \t]+)?{SUB_NUMBER}"
_SUB_MARK = "^" + SUB_MARK
_SUB_HEADING = re.compile(_SUB_MARK, re.MULTILINE)
_BOUNDED_RUN = re.compile(r"(\[\^[^\]\\]*\])(\{\d*,\d+\}\??)")


def across_breaks(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern``, found also where a line break stands between two of its Chinese characters
    (a page's line wrapped inside the words: 主 / 动公开, 微 / 信公众号; a page break, its
    number alone between), with the spaces a layout-keeping text extraction pads and indents
    its lines with, or a space alone (微 博); a bounded run of any
    characters but some (``[^。；]{0,8}``) counts such a break as one."""
    source, out = _BOUNDED_RUN.sub(r"(?:[ \\t]*\\n[ \\t]*|\1)\2", pattern.pattern), []
    in_class = escaped = False
    for i, ch in enumerate(source):
        out.append(ch)
        if escaped or ch == "\\":
            escaped = not escaped
        elif in_class or ch == "[":
            in_class = ch != "]"
        elif _WORD_ENDS.match(source, i) and _WORD_GOES_ON.match(source, i + 1):
            out.append(_WORD_BREAK)
    return re.compile("".join(out), pattern.flags)


_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
# Where words may break in a pattern's source: after a Chinese character, or a group's end (its
# quantifier taken), before another, or a non-capturing group's start (未(?:收到…), )(?:依)?申请).
_WORD_ENDS = re.compile(r"[\u4e00-\u9fff]|\)(?![?*+{])|[?*+](?<=\)[?*+])")
_WORD_GOES_ON = re.compile(r"[\u4e00-\u9fff]|\(\?:")
# A line break inside words, perhaps a page break: blank lines, or a page number alone, between;
# or a space alone (a PDF's text spaced a word out: 微 博).
_WORD_BREAK = r"(?:[ \t]*\n(?:[ \t]*(?:\d{1,3}[ \t]*)?\n)*[ \t]*| )?"


@dataclass(frozen=True, eq=False)  # hashed by identity; copy with :meth:`with_fact`
class Catalog:
    """Every field of both formats: the tables of each format and the facts stated in words."""

    tables: Mapping[Format, tuple[TableSpec, ...]]
    facts: tuple[FactSpec, ...]

    def table(self, fmt: Format, table_id: str) -> TableSpec:
        return next(spec for spec in self.tables[fmt] if spec.id == table_id)

    def fact(self, field_id: str) -> FactSpec:
        return next(fact for fact in self.facts if fact.id == field_id)

    def facts_from(self, source: FactSource) -> tuple[FactSpec, ...]:
        """The facts read from the title, from the tables' headers, or from the prose."""
        return tuple(fact for fact in self.facts if fact.source == source)

    @cached_property
    def prose_ids(self) -> frozenset[str]:
        return frozenset(fact.id for fact in self.facts_from("prose"))

    def field_ids(self, fmt: Format) -> tuple[str, ...]:
        """Every field id a report of format ``fmt`` carries, in catalog order."""
        return _field_ids(self, fmt)

    def all_field_ids(self) -> tuple[str, ...]:
        """Every field id of both formats: the 2021 ids in catalog order, then the 2019-only ones."""
        ids = list(self.field_ids(Format.F2021))
        seen = set(ids)
        return tuple(ids + [f for f in self.field_ids(Format.F2019) if f not in seen])

    def value_kinds(self, fmt: Format) -> dict[str, ValueKind]:
        """The value kind of every field of format ``fmt``."""
        return _value_kinds(self, fmt)

    def labels(self, fmt: Format) -> dict[str, tuple[str, str]]:
        """Every field id of ``fmt`` → (row or fact label, column label) in Chinese."""
        return _labels(self, fmt)

    def identities(self, fmt: Format) -> tuple[Identity, ...]:
        """Identities 1–4 of ``fields.md`` for format ``fmt``: (check id, left fields, right fields)."""
        return _identities(self, fmt)

    def identities_of(self, fmt: Format, table_id: str) -> tuple[Identity, ...]:
        """The identities among one table's fields."""
        return _identities_of(self, fmt, table_id)

    def with_fact(self, fact: FactSpec) -> Catalog:
        """A copy of this catalog with one more fact (or ``fact`` replacing the one of its id)."""
        kept = tuple(f for f in self.facts if f.id != fact.id)
        return dataclasses.replace(self, facts=(*kept, fact))


@cache
def _identities_of(catalog: Catalog, fmt: Format, table_id: str) -> tuple[Identity, ...]:
    return tuple(i for i in catalog.identities(fmt) if i[1][0].startswith(table_id + "."))


@cache
def _field_ids(catalog: Catalog, fmt: Format) -> tuple[str, ...]:
    ids = [fact.id for fact in catalog.facts]
    for table in catalog.tables[fmt]:
        ids.extend(table.field_ids())
    return tuple(ids)


@cache
def _value_kinds(catalog: Catalog, fmt: Format) -> dict[str, ValueKind]:
    kinds = {fact.id: fact.kind for fact in catalog.facts}
    for spec in catalog.tables[fmt]:
        for row in spec.rows:
            for col, kind in zip(row.columns, row.kinds, strict=True):
                kinds[f"{spec.id}.{row.id}.{col}"] = kind
    return kinds


@cache
def _labels(catalog: Catalog, fmt: Format) -> dict[str, tuple[str, str]]:
    labels = {fact.id: (fact.label, "") for fact in catalog.facts}
    for spec in catalog.tables[fmt]:
        for row in spec.rows:
            for col, title in zip(row.columns, row.column_titles, strict=True):
                labels[f"{spec.id}.{row.id}.{col}"] = (row.title, title)
    return labels


def _row(
    row_id: str,
    label: str,
    title: str,
    columns: tuple[str, ...],
    column_titles: tuple[str, ...],
    kinds: tuple[ValueKind, ...] | None = None,
) -> RowSpec:
    kinds = kinds or (ValueKind.COUNT,) * len(columns)
    return RowSpec(row_id, re.compile(label), columns, kinds, title, column_titles)


# --- Table 二 --------------------------------------------------------------

_C, _M, _D = ValueKind.COUNT, ValueKind.MONEY, ValueKind.CHANGE
_DOCS_2021 = ("issued", "repealed", "in_force")
_DOCS_2021_TITLES = ("本年制发件数", "本年废止件数", "现行有效件数")
_DOCS_2019 = ("made", "published", "total_published")
_DOCS_2019_TITLES = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
_ITEMS_2019 = ("previous_items", "change", "decisions")
_ITEMS_2019_TITLES = ("上一年项目数量", "本年增/减", "处理决定数量")
_DECISIONS = (("decisions",), ("本年处理决定数量",))

T2_2021 = TableSpec(
    "t2",
    "主动公开政府信息情况",
    (
        _row("regulations", r"^规章$", "规章", _DOCS_2021, _DOCS_2021_TITLES),
        _row("normative_documents", r"^(行政)?规范性文件$", "行政规范性文件", _DOCS_2021, _DOCS_2021_TITLES),
        _row("licensing", r"^行政许可$", "行政许可", *_DECISIONS),
        _row("penalty", r"^行政处罚$", "行政处罚", *_DECISIONS),
        _row("coercion", r"^行政强制$", "行政强制", *_DECISIONS),
        _row("fees", r"^行政事业性收费$", "行政事业性收费", ("amount",), ("本年收费金额（万元）",), (_M,)),
    ),
)

T2_2019 = TableSpec(
    "t2",
    "主动公开政府信息情况",
    (
        _row("regulations", r"^规章$", "规章", _DOCS_2019, _DOCS_2019_TITLES),
        _row("normative_documents", r"^(行政)?规范性文件$", "规范性文件", _DOCS_2019, _DOCS_2019_TITLES),
        _row("licensing", r"^行政许可$", "行政许可", _ITEMS_2019, _ITEMS_2019_TITLES, (_C, _D, _C)),
        _row(
            "other_services",
            r"^其他对外管理服务事项$",
            "其他对外管理服务事项",
            _ITEMS_2019,
            _ITEMS_2019_TITLES,
            (_C, _D, _C),
        ),
        _row("penalty", r"^行政处罚$", "行政处罚", _ITEMS_2019, _ITEMS_2019_TITLES, (_C, _D, _C)),
        _row("coercion", r"^行政强制$", "行政强制", _ITEMS_2019, _ITEMS_2019_TITLES, (_C, _D, _C)),
        _row(
            "fees",
            r"^行政事业性收费$",
            "行政事业性收费",
            ("previous_items", "change"),
            _ITEMS_2019_TITLES[:2],
            (_C, _D),
        ),
        _row(
            "procurement",
            r"^政府集中采购$",
            "政府集中采购",
            ("items", "amount"),
            ("采购项目数量", "采购总金额"),
            (_C, _M),
        ),
    ),
)

# --- Table 三 --------------------------------------------------------------

T3_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_org",
    "legal_service",
    "other_org",
    "total",
)
T3_COLUMN_TITLES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T3_APPLICANT_COLUMNS = T3_COLUMNS[:-1]

# (row id, label pattern, the label as the standard form prints it)
_T3_HEAD = (
    ("new_received", r"本年新收", "一、本年新收政府信息公开申请数量"),
    ("carried_over", r"上年结转", "二、上年结转政府信息公开申请数量"),
    ("granted", r"予以公开", "（一）予以公开"),
    ("partially_granted", r"部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld_state_secret", r"国家秘密", "（三）不予公开 1.属于国家秘密"),
    ("withheld_prohibited_by_law", r"法律行政法规禁止", "2.其他法律行政法规禁止公开"),
    ("withheld_safety_stability", r"三安全一稳定|危及", "3.危及“三安全一稳定”"),
    ("withheld_third_party", r"第三方", "4.保护第三方合法权益"),
    ("withheld_internal_affairs", r"内部事务", "5.属于三类内部事务信息"),
    ("withheld_process_info", r"过程性信息", "6.属于四类过程性信息"),
    ("withheld_enforcement_files", r"行政执法案卷", "7.属于行政执法案卷"),
    ("withheld_admin_query", r"行政查询", "8.属于行政查询事项"),
    ("unable_not_held", r"不掌握", "（四）无法提供 1.本机关不掌握相关政府信息"),
    ("unable_needs_compilation", r"另行制作", "2.没有现成信息需要另行制作"),
    ("unable_unclear", r"仍不明确", "3.补正后申请内容仍不明确"),
    ("declined_complaint", r"信访|举报投诉", "（五）不予处理 1.信访举报投诉类申请"),
    ("declined_repeated", r"重复申请", "2.重复申请"),
    ("declined_publication", r"公开出版物", "3.要求提供公开出版物"),
    ("declined_excessive", r"大量反复", "4.无正当理由大量反复申请"),
    ("declined_confirmation", r"确认或重新出", "5.要求行政机关确认或重新出具已获取信息"),
)
_T3_OTHER_2021 = (
    (
        "other_no_correction",
        r"逾期不补正",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "other_no_fee",
        r"缴纳费用|收费通知",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other_other", r"^其他$", "3.其他"),
)
_T3_OTHER_2019 = (("other_processing", r"其他处理", "（六）其他处理"),)
_T3_TAIL = (
    ("total", r"总计", "（七）总计"),
    ("carried_forward", r"结转下年", "四、结转下年度继续办理"),
)


def _t3(rows: tuple[tuple[str, str, str], ...], printed_as_one: PartsAsOne | None = None) -> TableSpec:
    return TableSpec(
        "t3",
        "收到和处理政府信息公开申请情况",
        tuple(_row(row_id, label, title, T3_COLUMNS, T3_COLUMN_TITLES) for row_id, label, title in rows),
        printed_as_one=printed_as_one,
    )


T3_2019 = _t3(_T3_HEAD + _T3_OTHER_2019 + _T3_TAIL)
# Some 2021-format reports print （六）其他处理 as the one row of the 2019 form, not its 3 parts
T3_2021 = _t3(
    _T3_HEAD + _T3_OTHER_2021 + _T3_TAIL,
    PartsAsOne(T3_2019, Format.F2019, _T3_OTHER_2019[0][0], tuple(row[0] for row in _T3_OTHER_2021)),
)

# --- Table 四 --------------------------------------------------------------

T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
_T4_COLUMN_TITLES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
T4 = TableSpec(
    "t4",
    "政府信息公开行政复议、行政诉讼情况",
    (
        _row("review", r"^行政复议$", "行政复议", T4_COLUMNS, _T4_COLUMN_TITLES),
        _row("litigation_direct", r"直接起诉", "行政诉讼 未经复议直接起诉", T4_COLUMNS, _T4_COLUMN_TITLES),
        _row("litigation_after_review", r"复议后起诉", "行政诉讼 复议后起诉", T4_COLUMNS, _T4_COLUMN_TITLES),
    ),
    flat=True,
)

TABLES: dict[Format, tuple[TableSpec, TableSpec, TableSpec]] = {
    Format.F2021: (T2_2021, T3_2021, T4),
    Format.F2019: (T2_2019, T3_2019, T4),
}

# --- Facts stated in words ------------------------------------------------------

_POSTS = "条|篇|则"
_POSTING = re.compile(
    r"发布|推送|公开|公布|编发|更新|推出|刊发|发送|刊登|转载|上传|报送|发博|发文|推文|发帖"
)  # how a channel posts

# After the words of a kind of business: they name no bureau (行政审批局, 行政审批服务局, 政务服务和
# 大数据管理局), an agency's name, not its business
_NO_BUREAU = r"(?!(?:服务)?(?:和[^\s，。；]{0,6}?)?(?:管理)?局)"

# The words right before a count that name it the report's whole proactive total
_PROACTIVE_WHOLE = re.compile(
    r"主动(?:向社会)?公开(?:的)?(?:各类)?(?:政府)?信息(?:数量?)?(?:共计?|合计|总数为?)?\s*$"
)

FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "meta.agency",
        ValueKind.TEXT,
        "发布机关",
        "the publishing agency, exactly as named in the title (for example 某某县卫生健康局)",
        source="title",
    ),
    FactSpec("meta.year", ValueKind.COUNT, "报告年度", "the year the report covers", source="title"),
    FactSpec(
        "meta.format",
        ValueKind.TEXT,
        "表格格式",
        "the table format, 2021 or 2019, told by the tables' headers",
        source="tables",
    ),
    FactSpec(
        "overview.proactive_total",
        ValueKind.COUNT,
        "主动公开政府信息总数",
        "the total number of items proactively published that year, only when the text states it "
        "as one exact number (such as 主动公开政府信息共 54 条); null when it gives only categories "
        "(11 条, 45 条 …) or a vague amount (千余条)",
        topic=re.compile(r"公开|发布|公布|主动公示"),  # (主动公示 as 主动公开; never 双公示's)
        excluded=re.compile(r"申请"),  # (counts of applications)
        channels=re.compile(r"微信|微博|公众号|新媒体"),  # (counts of other channels)
        units=_POSTS,
        # a kind of document's count (规范性文件12件), or everything's? a count whose unit went
        # elsewhere (a PDF's text reordered its lines: 主动公开政府信息共 2663 / …条。)
        other_units=r"件|项|(?=[ \t]*(?:\n|$))",
        total=re.compile(
            r"主动(?:向社会)?(?:公开|公示)|(?:共|累计|合计|总计)[^。；，,]{0,12}(?:公开|发布|公布)"
            r"|(?:公开|发布|公布)[^。；，,]{0,12}(?:共|累计|合计|总计)"
        ),
        until=re.compile(r"^\s*[(（]二[)）]", re.MULTILINE),  # only the 主动公开 paragraph: the first,
        subsection=re.compile(_SUB_MARK + r"[ \t]*(?:政府信息)?主动公开", re.MULTILINE),  # or its own
        preferred=re.compile(r"主动公开"),
        whole=_PROACTIVE_WHOLE,
        whole_around=(re.compile(r"主动公(?:开|示)(?:各类)?\s*$"), re.compile(r"\s*(?:各类)?(?:政府)?信息")),
    ),
    FactSpec(
        "overview.applications_received",
        ValueKind.COUNT,
        "收到政府信息公开申请数",
        "the number of information-disclosure applications received (or handled) that year as the "
        "prose states it; 0 when it says none were received (未收到申请)",
        sections=("overview", "t3"),  # (or the words above table 三: 共收到政府信息公开申请34件)
        until=re.compile(
            r"申请人情况|本列数据的?勾稽关系|本年新收政府信息公开申请(?:数量|[：:])"
        ),  # (the table)
        piece="clause",
        # (未接到群众要求公开的信息: no request; 依申公开: 依申请公开 cut short)
        topic=re.compile(r"申请|依申公开|要求公开"),
        # 申请 here is for something else; or 依申请公开 names how items of information were
        # disclosed, counted in 条 (主动公开政府信息128条、依申请公开130条、不予公开55条)
        # (but 收到依申请公开17条, 受理依申请公开政府信息2条: applications received, in 条)
        # (but never the agency's own name: 行政审批局, 政务服务和大数据管理局)
        excluded=re.compile(
            rf"复议|诉讼|办件|政务服务{_NO_BUREAU}|许可|审批{_NO_BUREAU}|备案"
            r"|(?<![到收\s])(?<![受办]理)\s*依申请?公开[^，。；申\d]{0,8}\d+\s*[条项]"
        ),
        units="件|个|条|份|项|人次|宗",  # (宗: as reports in Guangdong count cases)
        none_stated=re.compile(
            rf"未(?:接?收到|接到|受理)|没有(?:收到|接到)|(?:无|未发生|没有)(?:依法?|政府信息公开)?申请|(?:申请|收到)[^，。]{{0,6}}为(?:零|{ZERO})"
        ),
        preferred=re.compile(r"收到|受理|接收|接到|新收"),  # over counts of answers, kinds, carried-over ones
    ),
    FactSpec(
        "overview.wechat_posts",
        ValueKind.COUNT,
        "微信公众号发布信息数",
        "items published on the WeChat (微信) account(s) that year",
        sections=("overview", "other"),
        piece="clause",
        topic=re.compile(r"微信|公众号"),  # (a 公众号 is WeChat's: “平潭发布”公众号发布信息672条)
        excluded=re.compile(r"微博"),
        units=_POSTS,
        channel_verbs=_POSTING,
        whole=_PROACTIVE_WHOLE,  # (the channels' shared count stated as the whole's: none of theirs)
    ),
    FactSpec(
        "overview.weibo_posts",
        ValueKind.COUNT,
        "微博发布信息数",
        "items published on Weibo (微博) that year",
        sections=("overview", "other"),
        piece="clause",
        topic=re.compile(r"微博"),
        excluded=re.compile(r"微信|公众号"),
        units=_POSTS,
        channel_verbs=_POSTING,
        whole=_PROACTIVE_WHOLE,  # (the channels' shared count stated as the whole's: none of theirs)
    ),
    FactSpec(
        "other.processing_fee_yuan",
        ValueKind.MONEY,
        "收取信息处理费（元）",
        "信息处理费 collected, in yuan; 0 when the report says none was collected "
        "(未收取信息处理费); null when the fee is not mentioned",
        sections=("overview", "t2", "t3", "t4", "problems", "other"),  # anywhere from 一 on
        # (未发生政府信息公开收费事项, 信息公开未发生收费情况: no fee at all)
        topic=re.compile(r"处理费|信息公开[^。；，,]{0,6}?收费"),
        units="元",
        none_stated=re.compile(  # (never 未按收费通知…缴纳信息处理费: an applicant's, not a fee of none)
            rf"(?:未|无|没有|不存在|不涉及|不)(?:发生|产生|曾经?|向[^。；，,]{{1,6}}?)?(?:收取|收费|收缴|产生)"
            rf"[^。；]{{0,20}}?处理费"
            rf"|(?:未|无|没有|不存在|不涉及)(?:发生|产生)?[^。；，,]{{0,8}}?处理费[^。；，,]{{0,6}}?(?:收费|收取)"
            rf"|处理费[^。；]{{0,10}}?(?:为零|为{ZERO}|{ZERO}元)|处理费[^。；]{{0,8}}?[:：]\s*(?:无|没有|未收取)"
            # (a heading on the fee, then 未发生政府信息公开收费事项)
            rf"|处理费[^。；]{{0,40}}?(?:未|没有|无)(?:发生|产生)[^。；，,]{{0,10}}?收费"
            rf"|(?:未|没有|无)(?:发生|产生)[^。；，,]{{0,10}}?信息公开收费"
            rf"|信息公开(?:工作)?(?:未|没有|无)(?:发生|产生)[^。；，,]{{0,4}}?收费"
        ),
    ),
)

CATALOG = Catalog(TABLES, FACTS)


def _t3_outcome_rows(spec: TableSpec) -> list[str]:
    ids = [row.id for row in spec.rows]
    return ids[ids.index("carried_over") + 1 : ids.index("total")]


@cache
def _identities(catalog: Catalog, fmt: Format) -> tuple[Identity, ...]:
    t3, t4 = catalog.table(fmt, "t3"), catalog.table(fmt, "t4")
    outcomes = _t3_outcome_rows(t3)
    found: list[Identity] = []
    for col in T3_COLUMNS:
        found.append(
            (
                f"t3.column_balance.{col}",
                [f"t3.new_received.{col}", f"t3.carried_over.{col}"],
                [f"t3.total.{col}", f"t3.carried_forward.{col}"],
            )
        )
        found.append((f"t3.outcome_sum.{col}", [f"t3.total.{col}"], [f"t3.{r}.{col}" for r in outcomes]))
    for row in t3.rows:
        applicants = [f"t3.{row.id}.{c}" for c in T3_APPLICANT_COLUMNS]
        found.append((f"t3.row_sum.{row.id}", [f"t3.{row.id}.total"], applicants))
    for group in t4.rows:
        parts = [f"t4.{group.id}.{c}" for c in group.columns if c != "total"]
        found.append((f"t4.total.{group.id}", [f"t4.{group.id}.total"], parts))
    return tuple(found)


_GROUP_MARK = re.compile(r"^(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")
_ITEM_MARK = re.compile(r"^\d+\.")


@cache
def row_names(spec: TableSpec) -> tuple[str, ...]:
    """Each row's label in full and without its numbering, under its group when it is an item of
    one: 不予公开：属于国家秘密, 不予公开：其他法律行政法规禁止公开, 总计 (for people and the model)."""
    names: list[str] = []
    group = ""
    for row in spec.rows:
        head, _, rest = row.title.partition(" ")
        if _GROUP_MARK.match(row.title):
            is_group = bool(rest) and _ITEM_MARK.match(rest) is not None
            group = _GROUP_MARK.sub("", head) if is_group else ""
            name = rest if is_group else _GROUP_MARK.sub("", row.title)
        else:
            name = row.title
        item = _ITEM_MARK.sub("", name)
        names.append(f"{group}：{item}" if group and _ITEM_MARK.match(name) else item)
    return tuple(names)


def field_ids(fmt: Format, catalog: Catalog = CATALOG) -> tuple[str, ...]:
    """Every field id a report of format ``fmt`` carries, in catalog order."""
    return catalog.field_ids(fmt)


def value_kinds(fmt: Format, catalog: Catalog = CATALOG) -> dict[str, ValueKind]:
    """The value kind of every field of format ``fmt``."""
    return catalog.value_kinds(fmt)


def identities(fmt: Format | str, catalog: Catalog = CATALOG) -> tuple[Identity, ...]:
    """Identities 1–4 of ``fields.md`` for format ``fmt``."""
    return catalog.identities(Format(fmt))


@lru_cache(maxsize=4096)  # bounded: the catalog's few hundred ids recur
def section_of(field_id: str) -> str:
    """The section a field id belongs to: ``meta``, ``overview``, ``t2``, ``t3``, ``t4``."""
    head = field_id.split(".", 1)[0]
    return "overview" if head == "other" else head
