"""Prompts: one versioned file per kind of question in the package's ``prompts/``, rendered into
chat messages.

A prompt file starts with ``version: <id>`` and has a ``## system`` and a ``## user`` part, with
``$name`` placeholders filled by the caller: the text shown (``$section``, first in the user
message and the same for every question about it, so a server that keeps the previous
request's prefix reads it once), then what the question is about. The fact lists come from
the catalog, so a prompt and its response schema name the same facts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

from .catalog import CATALOG, Catalog, FactSource

PROMPT_DIR = Path(os.environ.get("EXTRACTOR_PROMPTS", Path(__file__).resolve().parent / "prompts"))


@dataclass(frozen=True)
class Prompt:
    """A question's prompt: its version id and its two message templates."""

    task: str
    version: str
    system: str
    user: str

    def messages(self, **values: str) -> list[dict[str, str]]:
        """The chat messages, ``$name`` placeholders filled from ``values``."""
        return [
            {"role": "system", "content": Template(self.system).safe_substitute(values)},
            {"role": "user", "content": Template(self.user).safe_substitute(values)},
        ]


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
