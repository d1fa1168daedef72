"""Shared fixtures: the sample reports, their gold files, the generator; and :func:`needs`, which
skips a test whose optional parts are not installed (a rule-only install runs the rule tests
green), except under CI (``CI`` set), where every part must be there and every test runs."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "evals" / "reports"
GOLD = ROOT / "evals" / "gold"
sys.path.insert(0, str(ROOT))  # the generator lives in evals/, beside the package

SEED_NAMES = sorted(p.stem for p in REPORTS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {name: (REPORTS / f"{name}.txt").read_text(encoding="utf-8") for name in SEED_NAMES}


def gold_of(name: str) -> dict:
    return json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))


def tool_call_answer(request_body: dict, arguments: str) -> dict:
    """An OpenAI chat completion answering ``request_body``'s first tool with ``arguments``."""
    call = {
        "id": "call",
        "type": "function",
        "function": {"name": request_body["tools"][0]["function"]["name"]},
    }
    call["function"]["arguments"] = arguments
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    return {
        "id": "fake",
        "object": "chat.completion",
        "created": 0,
        "model": request_body["model"],
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": message}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
    }


def stored_count(store: Path) -> int:
    """How many documents a batch's SQLite store holds (0 before it exists)."""
    import sqlite3

    try:
        with sqlite3.connect(store) as db:
            return db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def needs(*parts: str, extra: str) -> None:
    """Skip the calling test (or module) unless every one of ``parts`` is there: a module name,
    or a program path such as ``/usr/bin/chromium``. Under CI a missing part fails instead."""
    missing = [
        part
        for part in parts
        if not (
            (shutil.which(part) or Path(part).exists()) if "/" in part else importlib.util.find_spec(part)
        )
    ]
    if not missing:
        return
    message = f"needs {', '.join(missing)} (install: {extra})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI runs every test", pytrace=False)
    pytest.skip(message, allow_module_level=True)
