"""The batch store: a SQLite database of documents, their fields and checks, keyed by content.

A report is done once its document is committed here; a re-run skips every input whose
content hash (under the same extraction settings) is already stored. Users query the
same file::

    SELECT r.source, f.value FROM fields f JOIN reports r ON r.id = f.report_id
    WHERE f.field = 't3.new_received.total' AND r.status = 'ok';
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .models import Document, Evidence

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL,
    settings TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    format TEXT,
    agency TEXT,
    year INTEGER,
    input_format TEXT,
    error TEXT,
    document BLOB NOT NULL,  -- the whole output document: zlib-compressed JSON
    UNIQUE (content_hash, settings)
);
CREATE TABLE IF NOT EXISTS fields (
    report_id INTEGER NOT NULL REFERENCES reports (id),
    field TEXT NOT NULL,
    value,
    method TEXT,
    start INTEGER,
    "end" INTEGER
);
CREATE TABLE IF NOT EXISTS checks (
    report_id INTEGER NOT NULL REFERENCES reports (id),
    check_id TEXT NOT NULL,
    passed INTEGER NOT NULL,
    fields TEXT NOT NULL,  -- the field ids the check used, space-separated
    detail TEXT
);
CREATE TABLE IF NOT EXISTS cross_year (
    agency TEXT NOT NULL,
    year INTEGER NOT NULL,
    field TEXT NOT NULL,
    carried_over INTEGER,
    previous_field TEXT NOT NULL,
    previous_carried_forward INTEGER,
    passed INTEGER NOT NULL
);
"""
# Built once a batch is stored: a bulk build is much faster than keeping them up row by row.
_INDEXES = """
CREATE INDEX IF NOT EXISTS fields_by_report ON fields (report_id, field);
CREATE INDEX IF NOT EXISTS fields_by_name ON fields (field);
CREATE INDEX IF NOT EXISTS checks_by_report ON checks (report_id);
"""


@dataclass(slots=True)
class StoreRows:
    """One document as the store's rows, built where the document is (a worker process)."""

    report: tuple
    fields: list[tuple]
    checks: list[tuple]


def rows_of(report_id: int, content_hash: str, settings: str, doc: Document) -> StoreRows:
    """The rows of ``doc`` under the id the store gave it in advance."""
    fields = doc.fields
    evidence = doc.evidence
    packed = zlib.compress(doc.model_dump_json().encode("utf-8"), 1)
    report = (
        report_id,
        content_hash,
        settings,
        doc.source,
        doc.status,
        doc.format,
        fields.get("meta.agency"),
        fields.get("meta.year"),
        doc.input_format,
        doc.error,
        packed,
    )
    return StoreRows(
        report,
        [(report_id, f, value, *_where(evidence.get(f))) for f, value in fields.items()],
        [(report_id, c.id, int(c.passed), " ".join(c.fields), c.detail) for c in doc.checks],
    )


class Store:
    """A SQLite file of finished documents (see the module docstring for its tables)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.executescript(_SCHEMA)

    def done(self, settings: str) -> set[str]:
        """The content hashes already extracted under ``settings``."""
        rows = self.db.execute("SELECT content_hash FROM reports WHERE settings = ?", (settings,))
        return {h for (h,) in rows}

    def next_id(self) -> int:
        """The first free report id: ids are handed out before extraction, in input order."""
        (top,) = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM reports").fetchone()
        return top + 1

    def add(self, items: list[StoreRows]) -> None:
        """Store documents in one transaction."""
        with self.db:
            self.db.executemany(
                f"INSERT INTO reports VALUES ({', '.join('?' * 11)})", [i.report for i in items]
            )
            self.db.executemany(
                "INSERT INTO fields VALUES (?, ?, ?, ?, ?, ?)", [r for i in items for r in i.fields]
            )
            self.db.executemany(
                "INSERT INTO checks VALUES (?, ?, ?, ?, ?)", [r for i in items for r in i.checks]
            )

    def finish(self) -> None:
        """Build the indexes users query by."""
        self.db.executescript(_INDEXES)

    def documents(self, settings: str, hashes: list[str]) -> Iterator[tuple[str, Document]]:
        """``(content hash, document)`` of each document stored under ``settings``, in ``hashes`` order."""
        for content_hash in hashes:
            row = self.db.execute(
                "SELECT document FROM reports WHERE settings = ? AND content_hash = ?",
                (settings, content_hash),
            ).fetchone()
            if row:
                yield content_hash, Document.model_validate_json(zlib.decompress(row[0]))

    def set_cross_year(self, rows: list[tuple]) -> None:
        with self.db:
            self.db.execute("DELETE FROM cross_year")
            self.db.executemany("INSERT INTO cross_year VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def close(self) -> None:
        self.db.close()


def _where(evidence: Evidence | None) -> tuple[str | None, int | None, int | None]:
    if not evidence:
        return (None, None, None)
    return (evidence.method, evidence.start, evidence.end)
