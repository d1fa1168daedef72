"""Prompts: one versioned file per task in the package's ``prompts/``, rendered into chat messages.

A prompt file starts with ``version: <id>`` and has a ``## system`` and a ``## user`` part;
``$section`` is replaced by the section's text, ``$rows`` by the rows of the table the task
reads and ``$facts`` by the facts it reads (both from the catalog, so the prompt and the
response schema name the same rows and facts).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

from .catalog import CATALOG, Catalog, FactSource, TableSpec

PROMPT_DIR = Path(os.environ.get("EXTRACTOR_PROMPTS", Path(__file__).resolve().parent / "prompts"))
_FACT_SOURCE: dict[str, FactSource] = {"prose": "prose", "meta": "title"}


@dataclass(frozen=True)
class Prompt:
    """A task's prompt: its version id and its two message templates."""

    task: str
    version: str
    system: str
    user: str

    def messages(
        self, section: str, spec: TableSpec | None = None, catalog: Catalog = CATALOG
    ) -> list[dict[str, str]]:
        source = _FACT_SOURCE.get(self.task)
        values = {
            "section": section,
            "rows": rows_listing(spec) if spec else "",
            "facts": facts_listing(source, catalog) if source else "",
        }
        return [
            {"role": "system", "content": Template(self.system).safe_substitute(values)},
            {"role": "user", "content": Template(self.user).safe_substitute(values)},
        ]


def rows_listing(spec: TableSpec) -> str:
    """The table's rows, one per line: field name, label, and columns where rows differ."""
    same = len({row.columns for row in spec.rows}) == 1
    lines = [
        f"- {row.id}: {row.title}" + ("" if same else f" [{', '.join(row.columns)}]") for row in spec.rows
    ]
    if same:
        lines.append(f"Each row's array: [{', '.join(spec.rows[0].columns)}]")
    return "\n".join(lines)


def facts_listing(source: FactSource, catalog: Catalog = CATALOG) -> str:
    """The facts the catalog reads from ``source``, one per line: field name and description."""
    return "\n".join(f"- {fact.name}: {fact.description}" for fact in catalog.facts_from(source))


@cache
def load_prompt(task: str, directory: Path = PROMPT_DIR) -> Prompt:
    """The prompt of ``task`` (a file name in ``prompts/`` without ``.md``)."""
    path = directory / f"{task}.md"
    head, _, body = path.read_text(encoding="utf-8").partition("\n")
    if not head.startswith("version:"):
        raise ValueError(f"{path}: the first line must be 'version: <id>'")
    system, _, user = body.partition("## user\n")
    return Prompt(
        task, head.removeprefix("version:").strip(), system.removeprefix("## system\n").strip(), user.strip()
    )
