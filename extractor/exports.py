"""Exports of a batch: JSON Lines, CSV wide and long (stdlib ``csv``), XLSX (openpyxl)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from .catalog import Format, field_ids

REPORT_COLUMNS = ("source", "status", "format", "input_format", "error")
LONG_COLUMNS = ("report", "field", "value", "status", "method")


def all_field_ids() -> list[str]:
    """Every field id of both formats: the 2021 ids in catalog order, then the 2019-only ones."""
    ids = list(field_ids(Format("2021")))
    seen = set(ids)
    return ids + [f for f in field_ids(Format("2019")) if f not in seen]


def write_jsonl(docs: Iterable[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")


def _wide_rows(docs: Iterable[dict], ids: list[str]):
    for doc in docs:
        fields = doc.get("fields", {})
        yield [doc.get(c) for c in REPORT_COLUMNS] + [fields.get(f) for f in ids]


def write_csv_wide(docs: Iterable[dict], path: Path) -> None:
    """One row per report, one column per field id (blank where the report has no such field)."""
    ids = all_field_ids()
    with path.open("w", encoding="utf-8-sig", newline="") as out:  # the BOM lets Excel see UTF-8
        writer = csv.writer(out)
        writer.writerow([*REPORT_COLUMNS, *ids])
        writer.writerows(_wide_rows(docs, ids))


def write_csv_long(docs: Iterable[dict], path: Path) -> None:
    """One row per report and field: report, field, value, status, method."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(LONG_COLUMNS)
        for doc in docs:
            evidence = doc.get("evidence", {})
            source, status = doc["source"], doc["status"]
            writer.writerows(
                (source, f, value, status, evidence.get(f, {}).get("method", ""))
                for f, value in doc.get("fields", {}).items()
            )


def write_xlsx(docs: Iterable[dict], path: Path) -> None:
    """A workbook for analysts: a sheet of reports (one column per field) and one of failed checks."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    reports = book.create_sheet("reports")
    failed = book.create_sheet("failed checks")
    ids = all_field_ids()
    reports.append([*REPORT_COLUMNS, *ids])
    failed.append(["source", "check", "detail", "fields"])
    for doc in docs:
        reports.append(next(_wide_rows([doc], ids)))
        for check in doc.get("checks", []):
            if not check["passed"]:
                failed.append([doc["source"], check["id"], check.get("detail"), ", ".join(check["fields"])])
    book.save(path)


WRITERS = {
    "jsonl": ("documents.jsonl", write_jsonl),
    "csv": ("fields_wide.csv", write_csv_wide),
    "csv-long": ("fields_long.csv", write_csv_long),
    "xlsx": ("reports.xlsx", write_xlsx),
}
