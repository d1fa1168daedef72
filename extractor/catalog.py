"""The field catalog of ``shared/spec/fields.md`` as data.

Every table is described once (rows in order, their label patterns and columns);
the table parser, the pydantic models and the validators are all driven by these
descriptions, so a field id is spelled in exactly one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache


class Format(StrEnum):
    """The two standard table formats (国办公开办函〔2021〕30号 and 〔2019〕60号)."""

    F2021 = "2021"
    F2019 = "2019"


class ValueKind(StrEnum):
    """How a cell's text becomes a value."""

    COUNT = "count"  # a non-negative integer
    MONEY = "money"  # a number, decimals allowed
    CHANGE = "change"  # a signed integer, 增 2 → 2, 减 4 → -4


@dataclass(frozen=True, eq=False)  # hashed by identity: each spec is a singleton
class RowSpec:
    """One row of a standard table: its id, how its label reads, its columns."""

    id: str
    label: re.Pattern[str]
    columns: tuple[str, ...]
    kinds: tuple[ValueKind, ...]

    def kind_of(self, column: str) -> ValueKind:
        return self.kinds[self.columns.index(column)]

    @property
    def display(self) -> str:
        """The label as words, for people and prompts: the first alternative, no regex syntax."""
        return re.sub(r"[\^$()?]", "", self.label.pattern.split("|")[0])


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

    def field_ids(self) -> list[str]:
        return [f"{self.id}.{row.id}.{col}" for row in self.rows for col in row.columns]

    def row(self, row_id: str) -> RowSpec:
        return next(row for row in self.rows if row.id == row_id)


def _row(
    row_id: str, label: str, columns: tuple[str, ...], kinds: tuple[ValueKind, ...] | None = None
) -> RowSpec:
    return RowSpec(row_id, re.compile(label), columns, kinds or (ValueKind.COUNT,) * len(columns))


# --- Table 二 --------------------------------------------------------------

_C, _M, _D = ValueKind.COUNT, ValueKind.MONEY, ValueKind.CHANGE
_DOCS_2021 = ("issued", "repealed", "in_force")
_DOCS_2019 = ("made", "published", "total_published")
_ITEMS_2019 = ("previous_items", "change", "decisions")

T2_2021 = TableSpec(
    "t2",
    "主动公开政府信息情况",
    (
        _row("regulations", r"^规章$", _DOCS_2021),
        _row("normative_documents", r"^(行政)?规范性文件$", _DOCS_2021),
        _row("licensing", r"^行政许可$", ("decisions",)),
        _row("penalty", r"^行政处罚$", ("decisions",)),
        _row("coercion", r"^行政强制$", ("decisions",)),
        _row("fees", r"^行政事业性收费$", ("amount",), (_M,)),
    ),
)

T2_2019 = TableSpec(
    "t2",
    "主动公开政府信息情况",
    (
        _row("regulations", r"^规章$", _DOCS_2019),
        _row("normative_documents", r"^(行政)?规范性文件$", _DOCS_2019),
        _row("licensing", r"^行政许可$", _ITEMS_2019, (_C, _D, _C)),
        _row("other_services", r"^其他对外管理服务事项$", _ITEMS_2019, (_C, _D, _C)),
        _row("penalty", r"^行政处罚$", _ITEMS_2019, (_C, _D, _C)),
        _row("coercion", r"^行政强制$", _ITEMS_2019, (_C, _D, _C)),
        _row("fees", r"^行政事业性收费$", ("previous_items", "change"), (_C, _D)),
        _row("procurement", r"^政府集中采购$", ("items", "amount"), (_C, _M)),
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
T3_APPLICANT_COLUMNS = T3_COLUMNS[:-1]

_T3_HEAD = (
    ("new_received", r"本年新收"),
    ("carried_over", r"上年结转"),
    ("granted", r"予以公开"),
    ("partially_granted", r"部分公开"),
    ("withheld_state_secret", r"国家秘密"),
    ("withheld_prohibited_by_law", r"法律行政法规禁止"),
    ("withheld_safety_stability", r"三安全一稳定|危及"),
    ("withheld_third_party", r"第三方"),
    ("withheld_internal_affairs", r"内部事务"),
    ("withheld_process_info", r"过程性信息"),
    ("withheld_enforcement_files", r"行政执法案卷"),
    ("withheld_admin_query", r"行政查询"),
    ("unable_not_held", r"不掌握"),
    ("unable_needs_compilation", r"另行制作"),
    ("unable_unclear", r"仍不明确"),
    ("declined_complaint", r"信访|举报投诉"),
    ("declined_repeated", r"重复申请"),
    ("declined_publication", r"公开出版物"),
    ("declined_excessive", r"大量反复"),
    ("declined_confirmation", r"确认或重新出"),
)
_T3_OTHER_2021 = (
    ("other_no_correction", r"逾期不补正"),
    ("other_no_fee", r"缴纳费用|收费通知"),
    ("other_other", r"^其他$"),
)
_T3_OTHER_2019 = (("other_processing", r"其他处理"),)
_T3_TAIL = (
    ("total", r"总计"),
    ("carried_forward", r"结转下年"),
)


def _t3(rows: tuple[tuple[str, str], ...]) -> TableSpec:
    return TableSpec(
        "t3",
        "收到和处理政府信息公开申请情况",
        tuple(_row(row_id, label, T3_COLUMNS) for row_id, label in rows),
    )


T3_2021 = _t3(_T3_HEAD + _T3_OTHER_2021 + _T3_TAIL)
T3_2019 = _t3(_T3_HEAD + _T3_OTHER_2019 + _T3_TAIL)
T3_WITHHELD_ROWS = tuple(r for r, _ in _T3_HEAD if r.startswith(("withheld_", "unable_", "declined_")))

# --- Table 四 --------------------------------------------------------------

T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
T4 = TableSpec(
    "t4",
    "政府信息公开行政复议、行政诉讼情况",
    (
        _row("review", r"^行政复议$", T4_COLUMNS),
        _row("litigation_direct", r"直接起诉", T4_COLUMNS),
        _row("litigation_after_review", r"复议后起诉", T4_COLUMNS),
    ),
    flat=True,
)

TABLES: dict[Format, tuple[TableSpec, TableSpec, TableSpec]] = {
    Format.F2021: (T2_2021, T3_2021, T4),
    Format.F2019: (T2_2019, T3_2019, T4),
}

# --- Prose and meta --------------------------------------------------------

META_FIELDS = ("meta.agency", "meta.year", "meta.format")
PROSE_FIELDS = (
    "overview.proactive_total",
    "overview.applications_received",
    "overview.wechat_posts",
    "overview.weibo_posts",
    "other.processing_fee_yuan",
)


@cache
def field_ids(fmt: Format) -> tuple[str, ...]:
    """Every field id a report of format ``fmt`` carries, in catalog order."""
    ids = list(META_FIELDS) + list(PROSE_FIELDS)
    for table in TABLES[fmt]:
        ids.extend(table.field_ids())
    return tuple(ids)


@cache
def value_kinds(fmt: Format) -> dict[str, ValueKind]:
    """The value kind of every table field of format ``fmt``."""
    return {
        f"{spec.id}.{row.id}.{col}": kind
        for spec in TABLES[fmt]
        for row in spec.rows
        for col, kind in zip(row.columns, row.kinds, strict=True)
    }


def _t3_outcome_rows(spec: TableSpec) -> list[str]:
    ids = [row.id for row in spec.rows]
    return ids[ids.index("carried_over") + 1 : ids.index("total")]


Identity = tuple[str, list[str], list[str]]


@cache
def identities(fmt: Format) -> tuple[Identity, ...]:
    """Identities 1–4 of ``fields.md`` for format ``fmt``: (check id, left fields, right fields)."""
    t3 = TABLES[fmt][1]
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
    for group in T4.rows:
        parts = [f"t4.{group.id}.{c}" for c in group.columns if c != "total"]
        found.append((f"t4.total.{group.id}", [f"t4.{group.id}.total"], parts))
    return tuple(found)


def section_of(field_id: str) -> str:
    """The section a field id belongs to: ``meta``, ``overview``, ``t2``, ``t3``, ``t4``."""
    head = field_id.split(".", 1)[0]
    return "overview" if head == "other" else head
