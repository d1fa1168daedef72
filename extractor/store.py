"""The batch store: a SQLite database of documents, their fields and checks, keyed by content.

A report is done once its document is committed here; a re-run skips every input whose
content hash (under the same extraction settings) is already stored. The store keeps each
value once: a document's fields and checks are rows (field ids and check kinds numbered in
tables of their own), and ``reports.document`` holds the document's other keys as JSON text.
Users query the views, which read as plain tables::

    SELECT r.source, f.value FROM fields f JOIN reports r ON r.id = f.report_id
    WHERE f.field = 't3.new_received.total' AND r.status = 'ok';

    SELECT source, json_extract(document, '$.fields."t3.total.total"') FROM documents;

``documents`` assembles each report's whole output document as JSON text from the rows
(for SQLite's JSON functions); :meth:`Store.documents` rebuilds them as :class:`Document`.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import operator
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .corrections import Correction
from .models import Check, Document, Evidence

SCHEMA_VERSION = 2  # 1: each document zlib-packed in reports.document, fields and checks as tables
EVIDENCE = tuple(f.name for f in dataclasses.fields(Evidence))  # its columns in field_values
_IN_ROWS = {"fields", "evidence", "checks"}  # the document's keys kept as rows
_CORRECTION_FIELDS = tuple(f for f in Correction.model_fields if f != "id")
_CORRECTION_COLUMNS = tuple(
    {"check": "check_id", "by": "reviewer", "start": '"start"', "end": '"end"'}.get(f, f)
    for f in _CORRECTION_FIELDS
)
_READ_AT_ONCE = 256  # documents per read (SQLite allows 32,766 parameters in a statement)


_EVIDENCE_OF_V = ", ".join(f'v."{n}"' for n in EVIDENCE)
_TEXT = EVIDENCE.index("text")  # NULL in a store made before evidence quoted its text
_BOX = EVIDENCE.index("box")  # a value's box on its page (OCR): a JSON list in its column
_OPTIONAL = {f.name for f in dataclasses.fields(Evidence) if f.default is None}  # keys left out when null


def _evidence_pairs(names: list[str]) -> str:
    """json_object's keys and columns (a box as the JSON list it holds)."""
    return ", ".join(f"'{n}', json(\"{n}\")" if n == "box" else f"'{n}', \"{n}\"" for n in names)


# The evidence as JSON, its optional keys (OCR's) merged in only when not null (json_patch drops nulls).
_EVIDENCE_JSON = (
    f"json_patch(json_object({_evidence_pairs([n for n in EVIDENCE if n not in _OPTIONAL])}), "
    f"json_object({_evidence_pairs([n for n in EVIDENCE if n in _OPTIONAL])}))"
)
_SCHEMA = f"""
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
    document TEXT NOT NULL,  -- JSON: the document's keys other than fields, evidence, checks
    UNIQUE (content_hash, settings)
);
CREATE TABLE IF NOT EXISTS field_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS field_values (
    report_id INTEGER NOT NULL REFERENCES reports (id),
    position INTEGER NOT NULL,  -- the field's place in the document
    field_id INTEGER NOT NULL REFERENCES field_names (id),
    value,
    {", ".join(f'"{n}"' for n in EVIDENCE)},  -- the value's evidence (NULL: none)
    PRIMARY KEY (report_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS check_kinds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    fields TEXT NOT NULL,  -- JSON array: the field ids the check used
    UNIQUE (name, fields)
);
CREATE TABLE IF NOT EXISTS check_results (
    report_id INTEGER NOT NULL REFERENCES reports (id),
    position INTEGER NOT NULL,
    kind_id INTEGER NOT NULL REFERENCES check_kinds (id),
    passed INTEGER NOT NULL,
    detail TEXT,
    PRIMARY KEY (report_id, position)
) WITHOUT ROWID;
-- The audit trail of the review workspace: entries are only ever added (the latest about a
-- field, or a check, is in effect), keyed by content so that they outlive re-extractions.
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL,
    action TEXT NOT NULL,  -- correct, confirm, inconsistent, withdraw
    field TEXT,
    check_id TEXT,  -- (neither field nor check_id: the whole report)
    old_value,  -- the extraction's value when the entry was made
    new_value,  -- the value given, or confirmed as printed
    "start" INTEGER,  -- a span of the text a person pointed at
    "end" INTEGER,
    quoted TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL  -- ISO 8601, UTC
);
CREATE INDEX IF NOT EXISTS corrections_by_content ON corrections (content_hash, id);
-- The last batch run: its settings and exports, and its inputs in input order.
CREATE TABLE IF NOT EXISTS batch_run (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    settings TEXT NOT NULL,
    outputs TEXT NOT NULL,  -- JSON array of export names
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS batch_inputs (
    position INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL,
    settings TEXT NOT NULL,  -- the run's, or those a report opened in the workspace was read with
    path TEXT NOT NULL  -- absolute
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
# The views, made anew each time the store is opened (they follow field_values' columns).
_VIEWS = f"""
DROP VIEW IF EXISTS fields;
DROP VIEW IF EXISTS checks;
DROP VIEW IF EXISTS documents;
CREATE VIEW fields AS
    SELECT v.report_id, n.name AS field, v.value, {_EVIDENCE_OF_V}
    FROM field_values v JOIN field_names n ON n.id = v.field_id;
CREATE VIEW checks AS
    SELECT c.report_id, k.name AS check_id, c.passed, k.fields, c.detail
    FROM check_results c JOIN check_kinds k ON k.id = c.kind_id;
CREATE VIEW documents AS
    SELECT r.id, r.source, json_set(
        r.document,
        '$.fields', (SELECT json_group_object(name, value) FROM
            (SELECT n.name, v.value FROM field_values v JOIN field_names n ON n.id = v.field_id
             WHERE v.report_id = r.id ORDER BY v.position)),
        '$.evidence', (SELECT json_group_object(name, {_EVIDENCE_JSON}) FROM
            (SELECT n.name, {_EVIDENCE_OF_V} FROM field_values v
             JOIN field_names n ON n.id = v.field_id
             WHERE v.report_id = r.id AND v."{EVIDENCE[0]}" IS NOT NULL ORDER BY v.position)),
        '$.checks', (SELECT json_group_array(json_object('id', name, 'passed',
                json(CASE WHEN passed THEN 'true' ELSE 'false' END), 'fields', json(fields),
                'detail', detail)) FROM
            (SELECT k.name, c.passed, k.fields, c.detail FROM check_results c
             JOIN check_kinds k ON k.id = c.kind_id WHERE c.report_id = r.id ORDER BY c.position))
    ) AS document
    FROM reports r;
"""
# Built once a batch is stored: a bulk build is much faster than keeping them up row by row.
_INDEXES = """
CREATE INDEX IF NOT EXISTS field_values_by_field ON field_values (field_id, report_id);
"""


@dataclass(slots=True)
class StoreRows:
    """One document as the store's rows, built where the document is (a worker): the report
    row, per field (id, value, evidence...), per check (id, fields as JSON, passed, detail)."""

    report: tuple
    fields: list[tuple]
    checks: list[tuple]

    @property
    def content_hash(self) -> str:
        return str(self.report[1])


def rows_of(report_id: int, content_hash: str, settings: str, doc: Document) -> StoreRows:
    """The rows of ``doc`` under the id the store gave it in advance."""
    fields, evidence = doc.fields, doc.evidence
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
        doc.model_dump_json(exclude=_IN_ROWS),
    )
    none, where = _NO_EVIDENCE, _evidence_values
    return StoreRows(
        report,
        [(f, value, *(where(evidence[f]) if f in evidence else none)) for f, value in fields.items()],
        [(c.id, _json_list(tuple(c.fields)), int(c.passed), c.detail) for c in doc.checks],
    )


_evidence_attrs = operator.attrgetter(*EVIDENCE)


def _evidence_values(evidence: Evidence) -> tuple:
    """The evidence's columns: its box (OCR) as a JSON list."""
    values = _evidence_attrs(evidence)
    if evidence.box is None:
        return values
    return (*values[:_BOX], json.dumps(list(evidence.box)), *values[_BOX + 1 :])


_NO_EVIDENCE = (None,) * len(EVIDENCE)


@functools.lru_cache(maxsize=4096)
def _json_list(items: tuple[str, ...]) -> str:
    return json.dumps(list(items))


@functools.lru_cache(maxsize=4096)
def _list_of(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def document_of(rows: StoreRows) -> Document:
    """The document the rows were made of. Its other keys are validated again (they are few);
    its fields, evidence and checks are trusted, as they were validated when it was made."""
    doc = Document.model_validate_json(rows.report[10])
    fields, evidence = doc.fields, doc.evidence
    for row in rows.fields:
        fields[row[0]] = row[1]
        if row[2] is not None:
            where = row[2:]
            if isinstance(where[_BOX], str):
                where = (*where[:_BOX], tuple(json.loads(where[_BOX])), *where[_BOX + 1 :])
            evidence[row[0]] = Evidence(*where) if where[_TEXT] is not None else _partial_evidence(where)
    doc.checks = [
        Check(name, bool(passed), list(_list_of(used)), detail) for name, used, passed, detail in rows.checks
    ]
    return doc


def _partial_evidence(where: tuple) -> Evidence:
    """Evidence stored before :class:`Evidence` quoted its text: the missing ones as defaults."""
    return Evidence(**{k: v for k, v in zip(EVIDENCE, where, strict=True) if v is not None})


class Store:
    """A SQLite file of finished documents (see the module docstring for its tables)."""

    def __init__(self, path: str | Path, *, threads: bool = False) -> None:
        """Open (or make) the store; ``threads``: usable from several threads, one at a time
        (the caller serialises them)."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, check_same_thread=not threads)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        if self._version() == 1:
            self._migrate_from_1()
        self.db.executescript(_SCHEMA)
        self._add_evidence_columns()
        self.db.executescript(_VIEWS)
        self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._field_ids = {name: i for i, name in self.db.execute("SELECT id, name FROM field_names")}
        self._check_ids = {
            (n, f): i for i, n, f in self.db.execute("SELECT id, name, fields FROM check_kinds")
        }

    def done(self, settings: str) -> set[str]:
        """The content hashes already extracted under ``settings``."""
        rows = self.db.execute("SELECT content_hash FROM reports WHERE settings = ?", (settings,))
        return {h for (h,) in rows}

    def next_id(self) -> int:
        """The first free report id: ids are handed out before extraction, in input order."""
        (top,) = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM reports").fetchone()
        return top + 1

    def forget(self, settings: str, hashes: list[str]) -> None:
        """Drop the documents stored for these contents, to store them anew."""
        with self.db:
            for content_hash in hashes:
                found = self.db.execute(
                    "SELECT id FROM reports WHERE settings = ? AND content_hash = ?", (settings, content_hash)
                ).fetchone()
                if found:
                    for table in ("field_values", "check_results"):
                        self.db.execute(f"DELETE FROM {table} WHERE report_id = ?", found)
                    self.db.execute("DELETE FROM reports WHERE id = ?", found)

    def add(self, items: list[StoreRows]) -> None:
        """Store documents in one transaction."""
        if not items:
            return
        ids, checks_ids, new_field, new_check = (
            self._field_ids,
            self._check_ids,
            self._field_id,
            self._check_id,
        )
        values = [
            (item.report[0], position, ids.get(row[0]) or new_field(row[0]), *row[1:])
            for item in items
            for position, row in enumerate(item.fields)
        ]
        checks = [
            (item.report[0], position, checks_ids.get(row[:2]) or new_check(*row[:2]), *row[2:])
            for item in items
            for position, row in enumerate(item.checks)
        ]
        with self.db:
            self.db.executemany(
                f"INSERT INTO reports VALUES ({', '.join('?' * 11)})", [i.report for i in items]
            )
            self.db.executemany(
                f"INSERT INTO field_values VALUES ({', '.join('?' * (4 + len(EVIDENCE)))})", values
            )
            self.db.executemany("INSERT INTO check_results VALUES (?, ?, ?, ?, ?)", checks)

    def _field_id(self, name: str) -> int:
        known = self._field_ids.get(name)
        if known is None:
            known = self._field_ids[name] = (
                self.db.execute("INSERT INTO field_names (name) VALUES (?)", (name,)).lastrowid or 0
            )
        return known

    def _check_id(self, name: str, used: str) -> int:
        known = self._check_ids.get((name, used))
        if known is None:
            known = self._check_ids[(name, used)] = (
                self.db.execute(
                    "INSERT INTO check_kinds (name, fields) VALUES (?, ?)", (name, used)
                ).lastrowid
                or 0
            )
        return known

    def finish(self) -> None:
        """Build the indexes users query by."""
        self.db.executescript(_INDEXES)

    def documents(self, settings: str, hashes: list[str]) -> Iterator[tuple[str, Document]]:
        """``(content hash, document)`` of each document stored under ``settings``, in ``hashes`` order."""
        for content_hash, rows in zip(hashes, self.rows_in_order(settings, hashes), strict=True):
            if rows:
                yield content_hash, document_of(rows)

    def rows(self, settings: str, content_hash: str) -> StoreRows | None:
        """The rows of the document stored for ``content_hash`` under ``settings``."""
        return next(self.rows_in_order(settings, [content_hash]))

    def rows_in_order(self, settings: str, hashes: list[str]) -> Iterator[StoreRows | None]:
        """The rows of each document stored for ``hashes`` (None where there is none), in their
        order, read a few hundred documents at a time."""
        for start in range(0, len(hashes), _READ_AT_ONCE):
            chunk = hashes[start : start + _READ_AT_ONCE]
            marks = ", ".join("?" * len(chunk))
            reports = {
                row[1]: row
                for row in self.db.execute(
                    f"SELECT * FROM reports WHERE settings = ? AND content_hash IN ({marks})",
                    (settings, *chunk),
                )
            }
            ids = [row[0] for row in reports.values()]
            fields = self._grouped(
                f"SELECT v.report_id, n.name, v.value, {_EVIDENCE_OF_V} FROM field_values v "
                "JOIN field_names n ON n.id = v.field_id WHERE v.report_id IN ({}) "
                "ORDER BY v.report_id, v.position",
                ids,
            )
            checks = self._grouped(
                "SELECT c.report_id, k.name, k.fields, c.passed, c.detail FROM check_results c "
                "JOIN check_kinds k ON k.id = c.kind_id WHERE c.report_id IN ({}) "
                "ORDER BY c.report_id, c.position",
                ids,
            )
            for content_hash in chunk:
                report = reports.get(content_hash)
                yield (
                    None
                    if report is None
                    else StoreRows(report, fields.get(report[0], []), checks.get(report[0], []))
                )

    def _grouped(self, query: str, ids: list[int]) -> dict[int, list[tuple]]:
        """The query's rows by their first column (a report id), without it."""
        grouped: dict[int, list[tuple]] = {}
        if ids:
            for row in self.db.execute(query.format(", ".join("?" * len(ids))), ids):
                grouped.setdefault(row[0], []).append(row[1:])
        return grouped

    # --- the review workspace ------------------------------------------------------------

    def add_correction(self, entry: Correction) -> Correction:
        """Add an entry to the audit trail; returns it with its number."""
        with self.db:
            number = self.db.execute(
                f"INSERT INTO corrections ({', '.join(_CORRECTION_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_CORRECTION_COLUMNS))})",
                [getattr(entry, name) for name in _CORRECTION_FIELDS],
            ).lastrowid
        return entry.model_copy(update={"id": number})

    def corrections(self, content_hash: str | None = None) -> dict[str, list[Correction]]:
        """The audit trail by content hash (of one content, or all), each in the order made."""
        query = f"SELECT id, {', '.join(_CORRECTION_COLUMNS)} FROM corrections"
        rows = self.db.execute(
            query + (" WHERE content_hash = ? ORDER BY id" if content_hash else " ORDER BY id"),
            (content_hash,) if content_hash else (),
        )
        found: dict[str, list[Correction]] = {}
        for number, *values in rows:
            entry = Correction(id=number, **dict(zip(_CORRECTION_FIELDS, values, strict=True)))
            found.setdefault(entry.content_hash, []).append(entry)
        return found

    def set_run(self, settings: str, outputs: list[str], inputs: list[tuple[str, Path]], at: str) -> None:
        """Record a batch run: its settings, its exports, its inputs (content hash, path) in order."""
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO batch_run VALUES (1, ?, ?, ?)", (settings, json.dumps(outputs), at)
            )
            self.db.execute("DELETE FROM batch_inputs")
            self.db.executemany(
                "INSERT INTO batch_inputs VALUES (?, ?, ?, ?)",
                [(i, h, settings, str(Path(p).resolve())) for i, (h, p) in enumerate(inputs)],
            )

    def add_input(self, content_hash: str, settings: str, path: Path, outputs: list[str], at: str) -> None:
        """One more input of the last run (a report opened in the workspace), unless it is there."""
        if self.run() is None:
            self.set_run(settings, outputs, [], at)
        with self.db:
            self.db.execute(
                "INSERT INTO batch_inputs SELECT (SELECT COALESCE(MAX(position), -1) + 1 FROM batch_inputs),"
                " ?, ?, ? WHERE NOT EXISTS"
                " (SELECT 1 FROM batch_inputs WHERE content_hash = ? AND settings = ?)",
                (content_hash, settings, str(path.resolve()), content_hash, settings),
            )

    def run(self) -> tuple[str, list[str]] | None:
        """The last run's settings and exports (None before any run recorded them)."""
        found = self.db.execute("SELECT settings, outputs FROM batch_run").fetchone()
        return None if found is None else (found[0], json.loads(found[1]))

    def inputs(self) -> list[tuple[str, str, Path]]:
        """The last run's inputs (content hash, settings, absolute path), in input order; every
        stored report, by id, when no run was recorded (a store made before runs were)."""
        if self.run() is None:
            rows = self.db.execute("SELECT content_hash, settings, source FROM reports ORDER BY id")
        else:
            rows = self.db.execute("SELECT content_hash, settings, path FROM batch_inputs ORDER BY position")
        return [(h, settings, Path(p)) for h, settings, p in rows]

    def documents_of_inputs(self) -> Iterator[tuple[str, Document]]:
        """``(content hash, document)`` of each of :meth:`inputs` that is stored, in their order."""
        for settings, group in itertools.groupby(self.inputs(), key=operator.itemgetter(1)):
            yield from self.documents(settings, [h for h, _, _ in group])

    def report_rows(self) -> list[tuple]:
        """The reports of :meth:`inputs`, in their order: the ``reports`` columns but the
        document, and the count of failed checks."""
        columns = (
            "r.id, r.content_hash, r.settings, r.source, r.status, r.format, r.agency, r.year, "
            "r.input_format, r.error, (SELECT COUNT(*) FROM check_results c "
            "WHERE c.report_id = r.id AND NOT c.passed)"
        )
        if self.run() is None:
            return self.db.execute(f"SELECT {columns} FROM reports r ORDER BY r.id").fetchall()
        return self.db.execute(
            f"SELECT {columns} FROM batch_inputs b JOIN reports r "
            "ON r.content_hash = b.content_hash AND r.settings = b.settings ORDER BY b.position"
        ).fetchall()

    def path_of(self, report_id: int) -> Path | None:
        """Where the last run read a report's content (None: not an input of it)."""
        found = self.db.execute(
            "SELECT b.path FROM batch_inputs b JOIN reports r ON r.content_hash = b.content_hash "
            "WHERE r.id = ? LIMIT 1",
            (report_id,),
        ).fetchone()
        return None if found is None else Path(found[0])

    def rows_of_report(self, report_id: int) -> StoreRows | None:
        """The rows of the report stored under ``report_id``."""
        found = self.db.execute(
            "SELECT settings, content_hash FROM reports WHERE id = ?", (report_id,)
        ).fetchone()
        return None if found is None else self.rows(*found)

    def set_cross_year(self, rows: list[tuple]) -> None:
        with self.db:
            self.db.execute("DELETE FROM cross_year")
            self.db.executemany("INSERT INTO cross_year VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def close(self) -> None:
        self.db.close()

    # --- older stores ---------------------------------------------------------------------

    def _version(self) -> int:
        (version,) = self.db.execute("PRAGMA user_version").fetchone()
        if version:
            return int(version)
        columns = {row[1]: row[2] for row in self.db.execute("PRAGMA table_info(reports)")}
        return 1 if columns.get("document") == "BLOB" else 0

    def _migrate_from_1(self) -> None:
        """A store of version 1 (each document zlib-packed) rewritten as rows, in one
        transaction: a batch begun before resumes in this one."""
        old = self.db.execute("SELECT * FROM reports ORDER BY id").fetchall()
        with self.db:
            self.db.executescript(
                "DROP TABLE IF EXISTS fields; DROP TABLE IF EXISTS checks;"
                " ALTER TABLE reports RENAME TO reports_v1;"
            )
        self.db.executescript(_SCHEMA)
        self._field_ids, self._check_ids = {}, {}
        items = []
        for report_id, content_hash, settings, *_, packed in old:
            doc = Document.model_validate_json(zlib.decompress(packed))
            items.append(rows_of(report_id, content_hash, settings, doc))
        self.add(items)
        with self.db:
            self.db.execute("DROP TABLE reports_v1")

    def _add_evidence_columns(self) -> None:
        """Columns for what :class:`Evidence` gained since the store was made (NULL before)."""
        have = {row[1] for row in self.db.execute("PRAGMA table_info(field_values)")}
        for name in EVIDENCE:
            if name not in have:
                self.db.execute(f'ALTER TABLE field_values ADD COLUMN "{name}"')
