"""Exports of a batch: JSON Lines, CSV wide and long (stdlib ``csv``), XLSX (openpyxl), and
Parquet wide and long (pyarrow, the ``parquet`` extra), with the CSVs' columns."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .catalog import CATALOG, Catalog, Format, ValueKind
from .errors import MissingExtraError
from .models import Document

REPORT_COLUMNS = ("source", "status", "format", "input_format", "error")
LONG_COLUMNS = ("report", "field", "value", "status", "method")


def write_jsonl(docs: Iterable[Document], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(doc.model_dump_json() + "\n")


def _wide_rows(docs: Iterable[Document], ids: tuple[str, ...]) -> Iterator[list[Any]]:
    for doc in docs:
        yield [getattr(doc, c) for c in REPORT_COLUMNS] + [doc.fields.get(f) for f in ids]


def wide_columns(catalog: Catalog = CATALOG) -> list[str]:
    """The wide export's columns: the report's, then every field id of both formats."""
    return [*REPORT_COLUMNS, *catalog.all_field_ids()]


def write_csv_wide(docs: Iterable[Document], path: Path, catalog: Catalog = CATALOG) -> None:
    """One row per report, one column per field id (blank where the report has no such field)."""
    ids = catalog.all_field_ids()
    with path.open("w", encoding="utf-8-sig", newline="") as out:  # the BOM lets Excel see UTF-8
        writer = csv.writer(out)
        writer.writerow(wide_columns(catalog))
        writer.writerows(_wide_rows(docs, ids))


def _long_rows(doc: Document) -> Iterator[tuple[Any, ...]]:
    """A document's rows of the long export, one per field: the columns of LONG_COLUMNS."""
    evidence = doc.evidence
    for f, value in doc.fields.items():
        yield (doc.source, f, value, doc.status, evidence[f].method if f in evidence else "")


def write_csv_long(docs: Iterable[Document], path: Path) -> None:
    """One row per report and field: report, field, value, status, method."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(LONG_COLUMNS)
        for doc in docs:
            writer.writerows(_long_rows(doc))


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
        raise MissingExtraError(
            "Parquet needs pyarrow: pip install 'gov-report-extractor[parquet]'"
        ) from None
    return pyarrow, pyarrow.parquet


def write_parquet_wide(docs: Iterable[Document], path: Path, catalog: Catalog = CATALOG) -> None:
    """The wide CSV's rows and columns as Parquet, each field typed by its kind (counts and
    changes int64, money float64, text string; null where the CSV is blank)."""
    pa, pq = pyarrow_modules()
    ids = catalog.all_field_ids()
    kinds = {f: kind for fmt in Format for f, kind in catalog.value_kinds(fmt).items()}
    types = [pa.string()] * len(REPORT_COLUMNS) + [pa.type_for_alias(_ARROW_TYPES[kinds[f]]) for f in ids]
    schema = pa.schema(list(zip(wide_columns(catalog), types, strict=True)))
    _write_parquet(pq, pa, schema, _wide_rows(docs, ids), path)


def write_parquet_long(docs: Iterable[Document], path: Path) -> None:
    """The long CSV's rows and columns as Parquet: text columns, ``value`` as the CSV writes
    it (the wide file has the values typed), null where the CSV is blank."""
    pa, pq = pyarrow_modules()
    schema = pa.schema([(column, pa.string()) for column in LONG_COLUMNS])
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
        pa.array(_texts(c) if f.type == pa.string() else c, type=f.type)
        for c, f in zip(columns, schema, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def _texts(column: Sequence[Any]) -> list[str | None]:
    """A text column as the CSV writes it: numbers as their text, null where the CSV is blank."""
    return [v if type(v) is str and v else None if v is None or v == "" else str(v) for v in column]


def write_xlsx(docs: Iterable[Document], path: Path, catalog: Catalog = CATALOG) -> None:
    """A workbook for analysts: a sheet of reports (one column per field) and one of failed checks."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    reports = book.create_sheet("reports")
    failed = book.create_sheet("failed checks")
    ids = catalog.all_field_ids()
    reports.append(wide_columns(catalog))
    failed.append(["source", "check", "detail", "fields"])
    for doc in docs:
        reports.append(next(_wide_rows([doc], ids)))
        for check in doc.failed_checks:
            failed.append([doc.source, check.id, check.detail, ", ".join(check.fields)])
    book.save(path)


WRITERS: dict[str, tuple[str, Callable[[Iterable[Document], Path], None]]] = {
    "jsonl": ("documents.jsonl", write_jsonl),
    "csv": ("fields_wide.csv", write_csv_wide),
    "csv-long": ("fields_long.csv", write_csv_long),
    "xlsx": ("reports.xlsx", write_xlsx),
    "parquet": ("fields_wide.parquet", write_parquet_wide),
    "parquet-long": ("fields_long.parquet", write_parquet_long),
}
NEEDS_PYARROW = frozenset({"parquet", "parquet-long"})
