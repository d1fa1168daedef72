"""Exports of a batch: JSON Lines, CSV wide and long (stdlib ``csv``), XLSX (openpyxl)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .catalog import CATALOG, Catalog
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


def write_csv_long(docs: Iterable[Document], path: Path) -> None:
    """One row per report and field: report, field, value, status, method."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(LONG_COLUMNS)
        for doc in docs:
            evidence = doc.evidence
            writer.writerows(
                (doc.source, f, value, doc.status, evidence[f].method if f in evidence else "")
                for f, value in doc.fields.items()
            )


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
}
