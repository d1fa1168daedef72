"""Prompts: one versioned file per task in ``prompts/``, rendered into chat messages.

A prompt file starts with ``version: <id>`` and has a ``## system`` and a ``## user`` part;
``$section`` is replaced by the section's text and ``$rows`` by the rows of the table the
task reads (from the catalog, so the prompt and the schema name the same rows).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

from .catalog import TableSpec

PROMPT_DIR = Path(os.environ.get("EXTRACTOR_PROMPTS", Path(__file__).resolve().parent.parent / "prompts"))


@dataclass(frozen=True)
class Prompt:
    """A task's prompt: its version id and its two message templates."""

    task: str
    version: str
    system: str
    user: str

    def messages(self, section: str, spec: TableSpec | None = None) -> list[dict[str, str]]:
        values = {"section": section, "rows": rows_listing(spec) if spec else ""}
        return [
            {"role": "system", "content": Template(self.system).safe_substitute(values)},
            {"role": "user", "content": Template(self.user).safe_substitute(values)},
        ]


def rows_listing(spec: TableSpec) -> str:
    """The table's rows, one per line: field name, label, and columns where rows differ."""
    same = len({row.columns for row in spec.rows}) == 1
    lines = [
        f"- {row.id}: {row.display}" + ("" if same else f" [{', '.join(row.columns)}]") for row in spec.rows
    ]
    if same:
        lines.append(f"Each row's array: [{', '.join(spec.rows[0].columns)}]")
    return "\n".join(lines)


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
