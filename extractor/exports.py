"""Exports of a batch: JSON Lines, CSV wide and long (stdlib ``csv``) with a field dictionary
``fields.csv``, XLSX (openpyxl), Parquet wide and long (pyarrow, the ``parquet`` extra) with the
CSVs' columns; the field dictionary itself (ids with their Chinese labels); and a short summary
of one document for people.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalog import CATALOG, Catalog, Format, ValueKind
from .corrections import HUMAN
from .errors import MissingExtraError
from .models import Check, Document, Evidence
from .values import display_width

if TYPE_CHECKING:
    from openpyxl import Workbook

REPORT_COLUMNS = ("source", "status", "format", "input_format", "error")
REPORT_LABELS = ("来源文件", "状态", "表格格式", "输入格式", "错误")
# after the fields: the status the extraction gave, and the extraction's value of each field a
# person corrected or confirmed (a JSON object; the field columns hold the person's values)
REVIEW_COLUMNS = ("extracted_status", "original_values")
REVIEW_LABELS = ("提取状态", "人工审核前的提取值")
# the long export's review columns: the extraction's value and method beside a person's value
LONG_COLUMNS = (
    "report",
    "field",
    "value",
    "status",
    "method",
    "start",
    "end",
    "evidence_text",
    "original_value",
    "original_method",
    "review",
)
DICTIONARY_NAME = "fields.csv"
DICTIONARY_COLUMNS = ("field", "row_label", "column_label", "kind", "formats")
FAILED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "来源文件"),
    ("check", "检查项"),
    ("detail", "说明"),
    ("fields", "字段"),
    ("field_labels", "字段名称（行 · 列）"),
    ("review", "审核结论"),
)


@dataclass(frozen=True)
class FieldLabel:
    """A field id as people read it: its row (or fact) and column labels in Chinese, its value
    kind, and the formats that have it."""

    id: str
    row: str
    column: str
    kind: str
    formats: tuple[str, ...]

    @property
    def text(self) -> str:
        """Row and column label in one: ``一、本年新收政府信息公开申请数量 · 总计``."""
        return _joined(self.row, self.column)


def _joined(row: str, column: str) -> str:
    return f"{row} · {column}" if column else row


def field_labels(formats: Sequence[Format] = tuple(Format), catalog: Catalog = CATALOG) -> list[FieldLabel]:
    """Every field id of ``formats``, in the order of their wide columns, with its labels; where
    the formats word a label differently, the first format's wording and then the others'."""
    labels = {fmt: catalog.labels(fmt) for fmt in formats}
    kinds = {fmt: catalog.value_kinds(fmt) for fmt in formats}
    ids = dict.fromkeys(f for fmt in formats for f in catalog.field_ids(fmt))
    found = []
    for field_id in ids:
        present = [fmt for fmt in formats if field_id in labels[fmt]]
        row, column = (_worded({fmt: labels[fmt][field_id][i] for fmt in present}) for i in (0, 1))
        kind = kinds[present[0]][field_id].value
        found.append(FieldLabel(field_id, row, column, kind, tuple(str(fmt) for fmt in present)))
    return found


def _worded(by_format: dict[Format, str]) -> str:
    first, *others = by_format.items()
    extra = [f"{fmt}: {text}" for fmt, text in others if text != first[1]]
    return first[1] + (f" ({'; '.join(extra)})" if extra else "")


def write_field_dictionary(path: Path, catalog: Catalog = CATALOG) -> None:
    """``fields.csv``: every field id of the CSV exports with its Chinese labels and value kind."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(DICTIONARY_COLUMNS)
        writer.writerows(
            (f.id, f.row, f.column, f.kind, ",".join(f.formats)) for f in field_labels(catalog=catalog)
        )


def write_jsonl(docs: Iterable[Document], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(doc.model_dump_json() + "\n")


def _wide_rows(docs: Iterable[Document], ids: tuple[str, ...]) -> Iterator[list[Any]]:
    for doc in docs:
        yield (
            [getattr(doc, c) for c in REPORT_COLUMNS] + [doc.fields.get(f) for f in ids] + _review_cells(doc)
        )


def _review_cells(doc: Document) -> list[Any]:
    """The wide export's review columns of a document."""
    if doc.review is None:
        return [doc.status, ""]
    originals = {f: given.original for f, given in doc.review.fields.items()}
    return [doc.review.extracted_status, json.dumps(originals, ensure_ascii=False) if originals else ""]


def wide_columns(catalog: Catalog = CATALOG) -> list[str]:
    """The wide export's columns: the report's, every field id of both formats, the review's."""
    return [*REPORT_COLUMNS, *catalog.all_field_ids(), *REVIEW_COLUMNS]


def write_csv_wide(docs: Iterable[Document], path: Path, catalog: Catalog = CATALOG) -> None:
    """One row per report, one column per field id (blank where the report has no such field);
    the field dictionary ``fields.csv`` beside it (one header row here, for CSV readers)."""
    ids = catalog.all_field_ids()
    with path.open("w", encoding="utf-8-sig", newline="") as out:  # the BOM lets Excel see UTF-8
        writer = csv.writer(out)
        writer.writerow(wide_columns(catalog))
        writer.writerows(_wide_rows(docs, ids))
    write_field_dictionary(path.with_name(DICTIONARY_NAME), catalog)


def _long_rows(doc: Document) -> Iterator[tuple[Any, ...]]:
    """A document's rows of the long export, one per field: the columns of LONG_COLUMNS."""
    where = doc.evidence.get
    human = doc.review.fields if doc.review else {}
    for f, value in doc.fields.items():
        given = human.get(f)
        if given is None:
            yield (doc.source, f, value, doc.status, *_where(where(f)), *_NOT_REVIEWED)
        else:
            read = where(f)
            cells = _where(read) if read else (HUMAN, "", "", "")  # a value given where none was read
            beside = (given.original, given.original_method or "", given.action)
            yield (doc.source, f, value, doc.status, *cells, *beside)


_NOT_REVIEWED = ("", "", "")


def write_csv_long(docs: Iterable[Document], path: Path) -> None:
    """One row per report and field: report, field, value, status, and the evidence (method,
    start, end, the quoted text; blank where nothing in the text supports the value); the
    field dictionary ``fields.csv`` beside it."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(LONG_COLUMNS)
        for doc in docs:
            writer.writerows(_long_rows(doc))
    write_field_dictionary(path.with_name(DICTIONARY_NAME))


def _where(evidence: Evidence | None) -> tuple[str, int | str, int | str, str]:
    if evidence is None:
        return ("", "", "", "")
    return (evidence.method, evidence.start, evidence.end, evidence.text)


_ARROW_TYPES = {
    ValueKind.COUNT: "int64",
    ValueKind.CHANGE: "int64",
    ValueKind.MONEY: "float64",
    ValueKind.TEXT: "string",
}
_ROWS_PER_GROUP = 2000  # reports per Parquet row group (the wide file) or per write (the long one)


def pyarrow_modules() -> tuple[Any, Any]:
    """pyarrow and pyarrow.parquet, or :class:`MissingExtraError` naming the extra."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ModuleNotFoundError:
        raise MissingExtraError("Parquet needs pyarrow: pip install -e '.[parquet]'") from None
    return pyarrow, pyarrow.parquet


def write_parquet_wide(docs: Iterable[Document], path: Path, catalog: Catalog = CATALOG) -> None:
    """The wide CSV's rows and columns as Parquet, each field typed by its kind (counts and
    changes int64, money float64, text string; null where the CSV is blank)."""
    pa, pq = pyarrow_modules()
    ids = catalog.all_field_ids()
    kinds = {f: kind for fmt in Format for f, kind in catalog.value_kinds(fmt).items()}
    types = [
        *[pa.string()] * len(REPORT_COLUMNS),
        *[pa.type_for_alias(_ARROW_TYPES[kinds[f]]) for f in ids],
        *[pa.string()] * len(REVIEW_COLUMNS),
    ]
    schema = pa.schema(list(zip(wide_columns(catalog), types, strict=True)))
    _write_parquet(pq, pa, schema, _wide_rows(docs, ids), path)


def write_parquet_long(docs: Iterable[Document], path: Path) -> None:
    """The long CSV's rows and columns as Parquet: text columns, ``value`` as the CSV writes
    it (the wide file has the values typed), null where the CSV is blank."""
    pa, pq = pyarrow_modules()
    types = {"start": pa.int64(), "end": pa.int64()}  # the evidence's offsets; the rest as the CSV's text
    schema = pa.schema([(column, types.get(column, pa.string())) for column in LONG_COLUMNS])
    _write_parquet(pq, pa, schema, (row for doc in docs for row in _long_rows(doc)), path)


def _write_parquet(pq: Any, pa: Any, schema: Any, rows: Iterable[Sequence[Any]], path: Path) -> None:
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[Sequence[Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == _ROWS_PER_GROUP:
                writer.write_table(_table(pa, schema, chunk))
                chunk = []
        if chunk:
            writer.write_table(_table(pa, schema, chunk))


def _table(pa: Any, schema: Any, rows: list[Sequence[Any]]) -> Any:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    arrays = [
        pa.array(_texts(c) if f.type == pa.string() else _numbers(c), type=f.type)
        for c, f in zip(columns, schema, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def _numbers(column: Sequence[Any]) -> Sequence[Any]:
    """A typed column: null where the CSV is blank."""
    return [None if v == "" else v for v in column] if "" in column else column


def _texts(column: Sequence[Any]) -> list[str | None]:
    """A text column as the CSV writes it: numbers as their text, null where the CSV is blank."""
    return [v if type(v) is str and v else None if v is None or v == "" else str(v) for v in column]


def write_xlsx(docs: Iterable[Document], path: Path, catalog: Catalog = CATALOG) -> None:
    """A workbook for analysts: a sheet of reports (one column per field), one of failed checks
    (with how a review resolved each) and one of people's corrections. Each sheet has two header
    rows, the ids and then their Chinese labels (``pandas.read_excel(path, header=[0, 1])``),
    frozen below them, with a filter and widths."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ids = catalog.all_field_ids()
    labels = {f.id: f.text for f in field_labels(catalog=catalog)}
    report_columns = [
        *zip(REPORT_COLUMNS, REPORT_LABELS, strict=True),
        *((f, labels[f]) for f in ids),
        *zip(REVIEW_COLUMNS, REVIEW_LABELS, strict=True),
    ]
    reports = _Sheet(book, "reports", report_columns)
    failed = _Sheet(book, "failed checks", FAILED_COLUMNS)
    corrected = _Sheet(book, "corrections", CORRECTION_COLUMNS)
    for doc in docs:
        reports.append(next(_wide_rows([doc], ids)))
        own = catalog.labels(doc.format) if doc.format else {}
        resolved = {c.id: c.resolution for c in doc.review.checks} if doc.review else {}
        for check in doc.failed_checks:
            named = "; ".join(_joined(*own.get(f, (f, ""))) for f in check.fields)
            row = [
                doc.source,
                check.id,
                check.detail,
                ", ".join(check.fields),
                named,
                resolved.get(check.id, ""),
            ]
            failed.append(row)
        for given in correction_rows(doc, catalog):
            corrected.append(list(given))
    for sheet in (reports, failed, corrected):
        sheet.finish()
    book.save(path)


CORRECTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "来源文件"),
    ("field", "字段或检查项"),
    ("label", "名称（行 · 列）"),
    ("action", "审核操作"),
    ("original_value", "提取值"),
    ("original_method", "提取方法"),
    ("value", "人工值"),
    ("reason", "理由"),
    ("by", "审核人"),
    ("at", "时间（UTC）"),
)


def correction_rows(doc: Document, catalog: Catalog = CATALOG) -> Iterator[tuple[Any, ...]]:
    """What people gave for a document, a row per value (corrected or confirmed) and per mark
    of inconsistency at the source: the columns of CORRECTION_COLUMNS."""
    if doc.review is None or doc.format is None:
        return
    own = catalog.labels(doc.format)
    for f, given in doc.review.fields.items():
        label = _joined(*own.get(f, (f, "")))
        yield (
            doc.source,
            f,
            label,
            given.action,
            given.original,
            given.original_method or "",
            given.value,
            given.reason,
            given.by,
            given.at,
        )
    for mark in doc.review.inconsistent:
        yield (
            doc.source,
            mark.check or "",
            "",
            "inconsistent_at_source",
            "",
            "",
            "",
            mark.reason,
            mark.by,
            mark.at,
        )


def write_corrections_csv(docs: Iterable[Document], path: Path) -> None:
    """``corrections.csv``: every value people corrected or confirmed and every mark of
    inconsistency at the source, beside the extraction's value (the whole audit trail, with
    superseded entries, is the store's ``corrections`` table)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(name for name, _ in CORRECTION_COLUMNS)
        for doc in docs:
            writer.writerows(correction_rows(doc))


_LONG_TEXT_WIDTHS = {"source": 48, "detail": 60, "error": 40, "field_labels": 60, "reason": 48}


class _Sheet:
    """A write-only sheet with two header rows (ids, labels), frozen below them and beside the
    first column, each column as wide as its headers (up to a limit), and a filter on its rows."""

    def __init__(self, book: Workbook, title: str, columns: Sequence[tuple[str, str]]):
        from openpyxl.utils import get_column_letter

        self.sheet = book.create_sheet(title)
        self.sheet.freeze_panes = "B3"  # before the first row: a write-only sheet writes its view then
        for number, (name, label) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(number)].width = _width(name, label)
        self.last_column = get_column_letter(len(columns))
        self.sheet.append([name for name, _ in columns])
        self.sheet.append([label for _, label in columns])
        self.rows = 2

    def append(self, row: list[Any]) -> None:
        self.sheet.append(row)
        self.rows += 1

    def finish(self) -> None:
        """The filter over the label row and every row below it (written when the book is saved)."""
        self.sheet.auto_filter.ref = f"A2:{self.last_column}{self.rows}"


def _width(name: str, label: str) -> int:
    """A column's width: fixed for long text, else its widest header (within 8 to 32)."""
    return _LONG_TEXT_WIDTHS.get(name) or min(32, max(8, display_width(name), display_width(label)) + 2)


KEY_TOTALS = ("overview.applications_received", "t3.new_received.total", "t3.total.total")
_DETAIL_CHARS = 96


def render_summary(doc: Document, catalog: Catalog = CATALOG) -> str:
    """One screen about a document: status, agency, year and format, the key totals (and every
    total of table 四) with their labels, the failed checks by family with counts and their first
    details, the first notes."""
    if doc.format is None:
        return f"{doc.source}\n  status   failed: {doc.error}\n"
    fields, failed = doc.fields, doc.failed_checks
    lines = [
        doc.source,
        f"  status   {doc.status}: {len(doc.checks) - len(failed)} of {len(doc.checks)} checks passed",
        f"  report   {fields.get('meta.agency')} · {fields.get('meta.year')} · format {doc.format} · "
        f"{doc.input_format} ({doc.encoding})",
        "  totals",
        *_totals(doc, doc.format, catalog),
        *(["  failed checks", *_failed(failed, catalog)] if failed else []),
        *(f"  note     {_cut(note)}" for note in doc.notes[:2]),
    ]
    if doc.llm is not None:
        calls = doc.llm.usage.get("calls", 0)
        lines.append(f"  model    {doc.llm.model}: {', '.join(doc.llm.tasks)}; {calls:g} calls")
    return "\n".join(lines) + "\n"


def _totals(doc: Document, fmt: Format, catalog: Catalog) -> Iterator[str]:
    labels = catalog.labels(fmt)
    t4_totals = [f for f in catalog.table(fmt, "t4").field_ids() if f.endswith(".total")]
    for field_id in (*KEY_TOTALS, *t4_totals):
        value = doc.fields.get(field_id)
        yield f"    {'—' if value is None else value!s:>6}  {_joined(*labels[field_id])}  ({field_id})"


def _failed(failed: list[Check], catalog: Catalog) -> Iterator[str]:
    families = _families(failed, catalog)
    shown = 2 if len(families) <= 4 else 1  # details per family, so that it fits one screen
    for family, checks in families.items():
        yield f"    {family} ×{len(checks)}"
        for check in checks[:shown]:
            member = check.id.removeprefix(family).lstrip(".") or check.id
            yield f"      {member}: {_cut(check.detail)}"


def _families(checks: list[Check], catalog: Catalog) -> dict[str, list[Check]]:
    """Checks by family: a table's identity (``t3.row_sum``), else the id's head (``read``)."""
    tables = {spec.id for specs in catalog.tables.values() for spec in specs}
    families: dict[str, list[Check]] = {}
    for check in checks:
        parts = check.id.split(".")
        family = ".".join(parts[:2]) if parts[0] in tables and len(parts) > 2 else parts[0]
        families.setdefault(family, []).append(check)
    return families


def _cut(text: str) -> str:
    return text if len(text) <= _DETAIL_CHARS else text[: _DETAIL_CHARS - 1] + "…"


WRITERS: dict[str, tuple[str, Callable[[Iterable[Document], Path], None]]] = {
    "jsonl": ("documents.jsonl", write_jsonl),
    "csv": ("fields_wide.csv", write_csv_wide),
    "csv-long": ("fields_long.csv", write_csv_long),
    "xlsx": ("reports.xlsx", write_xlsx),
    "parquet": ("fields_wide.parquet", write_parquet_wide),
    "parquet-long": ("fields_long.parquet", write_parquet_long),
    "corrections": ("corrections.csv", write_corrections_csv),
}
NEEDS_PYARROW = frozenset({"parquet", "parquet-long"})
