"""The batch store: a SQLite database of documents, their fields and checks, keyed by content.

A report is done once its document is committed here; a re-run skips every input whose
content hash (under the same extraction settings) is already stored. Users query the
same file::

    SELECT r.source, f.value FROM fields f JOIN reports r ON r.id = f.report_id
    WHERE f.field = 't3.new_received.total' AND r.status = 'ok';
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

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
    document TEXT NOT NULL,
    UNIQUE (content_hash, settings)
);
CREATE TABLE IF NOT EXISTS fields (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value,
    method TEXT,
    start INTEGER,
    "end" INTEGER,
    PRIMARY KEY (report_id, field)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checks (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    check_id TEXT NOT NULL,
    passed INTEGER NOT NULL,
    fields TEXT NOT NULL,
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
CREATE INDEX IF NOT EXISTS fields_by_name ON fields (field);
CREATE INDEX IF NOT EXISTS checks_by_report ON checks (report_id);
"""


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

    def add(self, items: Iterable[tuple[str, str, dict]]) -> None:
        """Store ``(content hash, settings, document)`` items in one transaction."""
        with self.db:
            for content_hash, settings, doc in items:
                self._add_one(content_hash, settings, doc)

    def _add_one(self, content_hash: str, settings: str, doc: dict) -> None:
        fields = doc.get("fields", {})
        cursor = self.db.execute(
            "INSERT OR REPLACE INTO reports (content_hash, settings, source, status, format, agency, year,"
            " input_format, error, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                content_hash,
                settings,
                doc["source"],
                doc["status"],
                doc.get("format"),
                fields.get("meta.agency"),
                fields.get("meta.year"),
                doc.get("input_format"),
                doc.get("error"),
                json.dumps(doc, ensure_ascii=False),
            ),
        )
        report_id = cursor.lastrowid
        evidence = doc.get("evidence", {})
        self.db.executemany(
            'INSERT INTO fields (report_id, field, value, method, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
            [(report_id, f, value, *_where(evidence.get(f))) for f, value in fields.items()],
        )
        self.db.executemany(
            "INSERT INTO checks (report_id, check_id, passed, fields, detail) VALUES (?, ?, ?, ?, ?)",
            [
                (report_id, c["id"], int(c["passed"]), json.dumps(c["fields"]), c.get("detail"))
                for c in doc.get("checks", [])
            ],
        )

    def documents(self, settings: str, hashes: list[str] | None = None) -> Iterator[dict]:
        """The stored documents under ``settings``: in the order of ``hashes`` when given."""
        if hashes is None:
            rows = self.db.execute("SELECT document FROM reports WHERE settings = ? ORDER BY id", (settings,))
            yield from (json.loads(doc) for (doc,) in rows)
            return
        for content_hash in hashes:
            row = self.db.execute(
                "SELECT document FROM reports WHERE settings = ? AND content_hash = ?",
                (settings, content_hash),
            ).fetchone()
            if row:
                yield json.loads(row[0])

    def set_cross_year(self, rows: list[tuple]) -> None:
        with self.db:
            self.db.execute("DELETE FROM cross_year")
            self.db.executemany("INSERT INTO cross_year VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def close(self) -> None:
        self.db.close()


def _where(evidence: dict | None) -> tuple:
    if not evidence:
        return (None, None, None)
    return (evidence.get("method"), evidence.get("start"), evidence.get("end"))
