"""A batch's unit of work: one input, extracted into the store's rows where it runs (a worker
process, a thread, a Ray task), so that only rows travel back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .pipeline import Options, extract_guarded
from .store import StoreRows, rows_of


@dataclass(frozen=True)
class Job:
    """One input to extract, under the report id the store gave it in advance."""

    path: Path
    content_hash: str
    report_id: int
    settings: str


def work(job: Job, options: Options | None = None) -> StoreRows:
    """Extract one input and build its store rows."""
    doc = extract_guarded(job.path, options)[0]
    return rows_of(job.report_id, job.content_hash, job.settings, doc)


Engine = Callable[[list[Job]], Iterator[StoreRows]]  # the jobs' rows, in the jobs' order
