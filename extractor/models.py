"""The typed spine: what readers return (:class:`Reading`), the output document of ``output.md``
(:class:`Document`, validated), and typed models of a report built from the catalog.

The table and fact models are built from the catalog's descriptions, so their field names
are the canonical ids of ``fields.md`` and cannot drift from the readers.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from .catalog import CATALOG, Catalog, Format, TableSpec, ValueKind

SCHEMA_VERSION = "1"

Value = int | float | str | None
Status = Literal["ok", "needs_review", "failed", "reviewed"]  # reviewed: see :class:`Review`
ExtractedStatus = Literal["ok", "needs_review", "failed"]  # what an extraction alone can say


# --- readings -------------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a reader could not read, and the fields it leaves unread or doubtful."""

    message: str
    fields: tuple[str, ...]


@dataclass
class Usage:
    """What the model cost: questions asked, HTTP calls, cache hits, tokens, seconds."""

    questions: int = 0
    calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0

    def add(self, other: Usage) -> Usage:
        """This usage with ``other``'s added in."""
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)
        return self

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        return data


@dataclass(frozen=True)
class ModelStep:
    """The model's progress on one section of a report: questions answered of those it is
    asked, what they cost so far, the attempts the last one took, and why it stopped when it
    could not answer."""

    source: str
    task: str
    answered: int
    questions: int
    usage: Usage
    error: str = ""
    attempts: int = 0  # the calls the last question answered took (re-asks, transport retries)


@dataclass
class Reading:
    """What a reader read (the title, the prose, a table, the model): values by field id with
    their spans and confidence, the problems that leave fields unread, notes for people, and
    (for the model) what the reading cost."""

    fields: dict[str, FieldReading] = dataclass_field(default_factory=dict)
    problems: list[Problem] = dataclass_field(default_factory=list)
    notes: list[str] = dataclass_field(default_factory=list)
    usage: Usage | None = None

    def add(self, other: Reading) -> Reading:
        """This reading with ``other``'s added in (its values win where both read a field)."""
        self.fields.update(other.fields)
        self.problems.extend(other.problems)
        self.notes.extend(other.notes)
        return self

    def problem(self, message: str, fields: list[str] | tuple[str, ...]) -> None:
        self.problems.append(Problem(message, tuple(fields)))


def same_value(a: Value, b: Value) -> bool:
    """Values compared as a reader would: numbers by value (0 == 0.0), the rest exactly."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


# --- the output document ----------------------------------------------------------------


def _absent(value: object) -> bool:
    return value is None


@dataclass(slots=True)
class Evidence:
    """Where a value was read: character offsets into the decoded input text, how, and the
    text quoted from there (``decoded[start:end]``, what ``extractor text FILE`` shows at
    those offsets), so a value can be checked without re-slicing its source.

    A value read by OCR (``method`` ``ocr``) also carries the OCR's ``confidence`` (the
    lowest of its characters'), its ``page`` (from 1) and its ``box`` on that page
    (``[x0, y0, x1, y1]`` in pixels of the page image as read: a PDF page rendered at the
    document's ``ocr.dpi``); these keys are left out otherwise.

    A plain dataclass (a report carries some 200): pydantic validates and serialises it as
    part of a :class:`Document`. ``text`` defaults to "" so documents stored before it
    existed still load.
    """

    start: int
    end: int
    method: str
    text: str = ""
    confidence: Annotated[float | None, Field(exclude_if=_absent)] = None
    page: Annotated[int | None, Field(exclude_if=_absent)] = None
    box: Annotated[tuple[int, int, int, int] | None, Field(exclude_if=_absent)] = None


@dataclass(frozen=True, slots=True)
class OcrSpan:
    """A stretch of text read by OCR: its offsets in the converted text, where it stands on
    which page, how sure the OCR was (its lowest character's confidence), and, when the
    reading is not to be trusted, why (a doubt: it makes every value read there doubtful)."""

    start: int
    end: int
    page: int
    box: tuple[int, int, int, int]
    confidence: float
    doubt: str = ""


@dataclass
class OcrLayer:
    """What OCR adds to a converted text: the spans it read (sorted by ``start``) and how the
    scan was read."""

    spans: list[OcrSpan]
    info: OcrInfo

    def __post_init__(self) -> None:
        self.spans.sort(key=lambda span: span.start)
        self._starts = [span.start for span in self.spans]
        self._longest = max((span.end - span.start for span in self.spans), default=0)

    def at(self, start: int, end: int) -> list[OcrSpan]:
        """The spans over ``[start, end)`` (over the point ``start`` when the range is empty)."""
        first = bisect.bisect_left(self._starts, start - self._longest)
        last = bisect.bisect_right(self._starts, max(start, end - 1))
        if end <= start:
            return [s for s in self.spans[first:last] if s.start <= start < s.end]
        return [s for s in self.spans[first:last] if s.start < end and start < s.end]


class OcrInfo(BaseModel):
    """How a scan was read: the pages, the seconds the OCR took, the resolution, the engine,
    and how many stretches of its text were doubtful."""

    pages: int
    seconds: float
    dpi: float
    engine: str
    doubtful: int = 0


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


class LLMInfo(BaseModel):
    """What the model was asked for one report, what it answered (before merging), and the cost."""

    model: str
    tasks: list[str]
    usage: dict[str, float]
    fields: dict[str, Value]


# --- a person's review of a document (the workspace) -----------------------------------

HumanAction = Literal["corrected", "confirmed"]
Resolution = Literal["passes", "inconsistent_at_source", "settled", "open"]


class HumanValue(BaseModel):
    """A value a person gave: corrected, or confirmed as printed; and the extraction's beside it."""

    value: Value
    action: HumanAction
    original: Value  # the value the extraction read
    original_method: str | None  # how it was read (None: not found in the text)
    reason: str
    by: str
    at: str  # ISO 8601, UTC


class SourceMark(BaseModel):
    """A person's word that the report itself is inconsistent: one identity, or (``check`` None)
    every identity that still fails."""

    check: str | None
    reason: str
    by: str
    at: str


class CheckReview(BaseModel):
    """A check as the review leaves it: the extraction's verdict, the identity re-run on the
    values in ``fields`` (``now``; None for a check that cannot be re-run: read, grounding,
    agree), and how its doubt was resolved."""

    id: str
    passed: bool | None  # the extraction's verdict (None: a check that fails only now)
    now: bool | None
    detail: str
    resolution: Resolution


class Review(BaseModel):
    """What people made of a document: the values they gave, the checks that failed before or
    fail now and how each was resolved, their marks of inconsistency at the source, the status
    the extraction gave, and how many doubts are still open (``status`` is ``reviewed`` at 0)."""

    extracted_status: ExtractedStatus
    fields: dict[str, HumanValue] = Field(default_factory=dict)
    checks: list[CheckReview] = Field(default_factory=list)
    inconsistent: list[SourceMark] = Field(default_factory=list)
    open: int = 0


class Document(BaseModel):
    """The output contract of ``extract`` (``shared/spec/output.md``), validated.

    Besides the contract's keys: ``encoding`` (as detected), ``input_format`` (``text``, ``pdf``,
    ``docx``, ``html`` or ``ocr`` (a scan: a PDF without a text layer, an image); for all but
    ``text``, evidence offsets point into the converted text
    that ``python -m extractor text FILE`` prints), ``notes``, and, only when they apply,
    ``llm`` (what the model was asked), ``section`` (the one table read alone), ``ocr`` (how
    a scan was read; ``input_format`` is then ``ocr``) and ``review`` (what people corrected or
    confirmed in the review workspace).
    """

    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    source: str
    status: Status
    format: Format | None = None
    fields: dict[str, Value] = Field(default_factory=dict)
    evidence: dict[str, Evidence] = Field(default_factory=dict)
    checks: list[Check] = Field(default_factory=list)
    error: str | None = None
    encoding: str | None = None
    input_format: str | None = None
    notes: list[str] = Field(default_factory=list)
    llm: LLMInfo | None = Field(default=None, exclude_if=_absent)
    section: str | None = Field(default=None, exclude_if=_absent)
    ocr: OcrInfo | None = Field(default=None, exclude_if=_absent)
    review: Review | None = Field(default=None, exclude_if=_absent)

    @property
    def failed_checks(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    def report(self, catalog: Catalog = CATALOG) -> BaseModel | None:
        """The fields as the typed model of this report's format, or None when failed."""
        if self.format is None:
            return None
        return report_model(self.format, catalog).from_fields(self.fields)


# --- typed models of a report, built from the catalog ----------------------------------

_PYTHON_TYPE: dict[ValueKind, Any] = {
    ValueKind.COUNT: int | None,
    ValueKind.CHANGE: int | None,
    ValueKind.MONEY: float | None,
    ValueKind.TEXT: str | None,
}


class _Table(BaseModel):
    """Base of the generated table models: rows as fields, columns as sub-fields."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def from_fields(cls, fields: dict[str, Value], prefix: str) -> _Table:
        rows = {}
        for name, info in cls.model_fields.items():
            row_model: Any = info.annotation
            rows[name] = {col: fields.get(f"{prefix}.{name}.{col}") for col in row_model.model_fields}
        return cls.model_validate(rows)


@cache
def table_model(spec: TableSpec, fmt: Format) -> type[_Table]:
    """The pydantic model of one standard table in one format."""
    rows: dict[str, Any] = {}
    for row in spec.rows:
        columns: dict[str, Any] = {
            col: (_PYTHON_TYPE[kind], Field(default=None))
            for col, kind in zip(row.columns, row.kinds, strict=True)
        }
        row_model = create_model(
            f"{spec.id.upper()}_{fmt}_{row.id}", __config__=ConfigDict(extra="forbid"), **columns
        )
        rows[row.id] = (row_model, Field(default_factory=row_model))
    return create_model(f"{spec.id.upper()}_{fmt}", __base__=_Table, **rows)


@cache
def facts_model(group: str, catalog: Catalog = CATALOG) -> type[BaseModel]:
    """The model of one group of facts stated in words (``meta``, ``overview``, ``other``)."""
    fields: dict[str, Any] = {
        fact.name: (_PYTHON_TYPE[fact.kind], Field(default=None, description=fact.label))
        for fact in catalog.facts
        if fact.group == group
    }
    return create_model(group.capitalize(), __config__=ConfigDict(extra="forbid"), **fields)


def fact_groups(catalog: Catalog = CATALOG) -> tuple[str, ...]:
    """The groups of the catalog's facts, in catalog order."""
    return tuple(dict.fromkeys(fact.group for fact in catalog.facts))


class _Report(BaseModel):
    @classmethod
    def from_fields(cls, fields: dict[str, Value]) -> _Report:
        data: dict[str, Any] = {}
        for name, info in cls.model_fields.items():
            model: Any = info.annotation
            if issubclass(model, _Table):
                data[name] = model.from_fields(fields, name)
            else:
                data[name] = {k.split(".", 1)[1]: v for k, v in fields.items() if k.startswith(name + ".")}
        return cls.model_validate(data)


@cache
def report_model(fmt: Format, catalog: Catalog = CATALOG) -> type[_Report]:
    """The typed model of a whole report in format ``fmt``: its fact groups, then its tables."""
    parts: dict[str, Any] = {group: (facts_model(group, catalog), ...) for group in fact_groups(catalog)}
    parts.update({spec.id: (table_model(spec, fmt), ...) for spec in catalog.tables[fmt]})
    return create_model(f"Report_{fmt}", __base__=_Report, **parts)
