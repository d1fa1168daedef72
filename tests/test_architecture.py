"""The code's own contracts: the import layers (import-linter), the types (mypy), the style (ruff).

Each runs as the tool a developer runs by hand, from the repository root, on the whole package.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT, needs


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_imports_follow_the_layers_of_pyproject():
    needs("importlinter", extra="pip install -e '.[dev]'")
    lint_imports = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    done = _run(sys.executable, "-c", lint_imports, "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_package_type_checks():
    needs("mypy", extra="pip install -e '.[dev]'")
    done = _run(sys.executable, "-m", "mypy", "--no-incremental")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("command", [("check",), ("format", "--check")])
def test_ruff_is_clean(command):
    needs("ruff", extra="pip install -e '.[dev]'")
    done = _run(sys.executable, "-m", "ruff", *command, "extractor", "tests", "evals", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr
