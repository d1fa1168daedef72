"""Shared fixtures: the sample reports, their gold files, the generator."""

from __future__ import annotations

import json
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
