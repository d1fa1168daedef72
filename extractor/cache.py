"""Cache of validated model answers, on disk (diskcache, a SQLite file).

The key covers everything that shapes an answer: model, endpoint, prompt version, the
response schema and the section's text. A warm re-run therefore makes no model call.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import diskcache

DEFAULT_DIR = Path(
    os.environ.get("EXTRACTOR_CACHE_DIR", Path.home() / ".cache" / "gov-report-extractor" / "llm")
)


def cache_key(model: str, endpoint: str, prompt_version: str, schema: dict[str, Any], text: str) -> str:
    """A stable key of one question to one model."""
    material = json.dumps(
        {"model": model, "endpoint": endpoint, "prompt": prompt_version, "schema": schema, "text": text},
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class AnswerCache:
    """Validated answers by key; ``directory=None`` disables caching."""

    def __init__(self, directory: Path | str | None = DEFAULT_DIR) -> None:
        self.directory = None if directory is None else str(directory)
        self._cache = diskcache.Cache(self.directory) if self.directory is not None else None

    def get(self, key: str) -> dict[str, Any] | None:
        found = self._cache.get(key) if self._cache is not None else None
        return found if isinstance(found, dict) else None

    def put(self, key: str, answer: dict[str, Any]) -> None:
        if self._cache is not None:
            self._cache.set(key, answer)

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
