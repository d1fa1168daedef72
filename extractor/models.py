"""pydantic models: the output document of ``output.md`` and one typed model per table.

The table models are built from the catalog's table descriptions, so their field
names are the canonical ids of ``fields.md`` and cannot drift from the parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model
from typing_extensions import TypedDict

from .catalog import TABLES, Format, TableSpec, ValueKind

SCHEMA_VERSION = "1"

Value = int | float | str | None
Status = Literal["ok", "needs_review", "failed"]


@dataclass(slots=True)
class FieldReading:
    """One value as read, with the span of the normalised text it was read from.

    ``start``/``end`` are ``None`` when nothing in the text supports the value (a field
    not stated, or not found). ``confident`` is False when the reader doubts it.
    """

    value: Value
    start: int | None
    end: int | None
    method: str = "rule"
    confident: bool = True
    note: str = ""


def same_value(a: Value, b: Value) -> bool:
    """Values compared as a reader would: numbers by value (0 == 0.0), the rest exactly."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


class Evidence(TypedDict):
    """Where a value was read: character offsets into the decoded input text.

    A TypedDict, not a model: a report carries some 200 of them, and plain dicts keep
    the rule path fast; pydantic still validates them as part of a :class:`Document`.
    """

    start: int
    end: int
    method: str


@dataclass(slots=True)
class Check:
    """One identity or grounding check, with the fields it used.

    A plain dataclass (a report carries some 50): pydantic validates and serialises it
    as part of a :class:`Document`.
    """

    id: str
    passed: bool
    fields: list[str] = dataclass_field(default_factory=list)
    detail: str = ""


class Document(BaseModel):
    """The output contract of ``extract`` (``shared/spec/output.md``)."""

    model_config = ConfigDict(extra="allow")

    schema_version: str = SCHEMA_VERSION
    source: str
    status: Status
    format: Literal["2021", "2019"] | None = None
    fields: dict[str, Value] = Field(default_factory=dict)
    evidence: dict[str, Evidence] = Field(default_factory=dict)
    checks: list[Check] = Field(default_factory=list)
    error: str | None = None
    encoding: str | None = None
    # text, pdf, docx or html; for the last three, evidence offsets point into the converted
    # text that ``python -m extractor text FILE`` prints.
    input_format: str | None = None
    notes: list[str] = Field(default_factory=list)

    def report(self) -> BaseModel | None:
        """The fields as the typed model of this report's format, or None when failed."""
        if self.format is None:
            return None
        return report_model(Format(self.format)).from_fields(self.fields)


# --- typed models of the tables, built from the catalog -----------------------

_PYTHON_TYPE = {
    ValueKind.COUNT: int | None,
    ValueKind.CHANGE: int | None,
    ValueKind.MONEY: float | None,
}


class _Table(BaseModel):
    """Base of the generated table models: rows as fields, columns as sub-fields."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def from_fields(cls, fields: dict[str, Value], prefix: str) -> _Table:
        rows = {}
        for name, info in cls.model_fields.items():
            row_model = info.annotation
            rows[name] = {col: fields.get(f"{prefix}.{name}.{col}") for col in row_model.model_fields}
        return cls.model_validate(rows)


@cache
def table_model(spec: TableSpec, fmt: Format) -> type[_Table]:
    """The pydantic model of one standard table in one format."""
    rows: dict[str, Any] = {}
    for row in spec.rows:
        columns = {
            col: (_PYTHON_TYPE[kind], Field(default=None))
            for col, kind in zip(row.columns, row.kinds, strict=True)
        }
        row_model = create_model(
            f"{spec.id.upper()}_{fmt}_{row.id}", __config__=ConfigDict(extra="forbid"), **columns
        )
        rows[row.id] = (row_model, Field(default_factory=row_model))
    return create_model(f"{spec.id.upper()}_{fmt}", __base__=_Table, **rows)


class Meta(BaseModel):
    agency: str | None = None
    year: int | None = None
    format: Literal["2021", "2019"] | None = None


class Overview(BaseModel):
    proactive_total: int | None = None
    applications_received: int | None = None
    wechat_posts: int | None = None
    weibo_posts: int | None = None


class Other(BaseModel):
    processing_fee_yuan: float | None = None


class _Report(BaseModel):
    meta: Meta
    overview: Overview
    other: Other

    @classmethod
    def from_fields(cls, fields: dict[str, Value]) -> _Report:
        data: dict[str, Any] = {}
        for group in ("meta", "overview", "other"):
            data[group] = {k.split(".", 1)[1]: v for k, v in fields.items() if k.startswith(group + ".")}
        for name, info in cls.model_fields.items():
            if name.startswith("t"):
                data[name] = info.annotation.from_fields(fields, name)
        return cls.model_validate(data)


@cache
def report_model(fmt: Format) -> type[_Report]:
    """The typed model of a whole report in format ``fmt``."""
    tables = {spec.id: (table_model(spec, fmt), ...) for spec in TABLES[fmt]}
    return create_model(f"Report_{fmt}", __base__=_Report, **tables)
