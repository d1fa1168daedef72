"""The opt-in compiled build (``EXTRACTOR_COMPILE=1 pip install .``, setup.py): built as a user
builds it, it runs the rule path compiled and gives every document the pure build gives.

The wheel is built once per content of the files it is built from (kept under
``~/.cache/gov-report-extractor/compiled``, or ``EXTRACTOR_BUILD_DIR``): a build takes a minute.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, needs

needs("mypyc", "/usr/bin/cc", extra="pip install -e '.[dev]' and a C compiler (build-essential)")

from extractor import compiled, extract

BUILD_DIR = Path(
    os.environ.get("EXTRACTOR_BUILD_DIR", Path.home() / ".cache" / "gov-report-extractor" / "compiled")
)
# Every text input of evals/: the samples, the converted set, the real reports.
INPUTS = sorted(
    p.relative_to(ROOT)
    for p in (ROOT / "evals").rglob("*")
    if p.suffix in (".txt", ".md") and p.name != "README.md" and "suite" not in p.parts
)
DUMP = """
import json, sys
import extractor
from extractor import compiled, extract
assert extractor.__file__.startswith(sys.argv[1]), extractor.__file__
docs = {path: extract(path).model_dump(mode="json") for path in sys.argv[2:]}
print(json.dumps({"compiled": compiled(), "documents": docs}, ensure_ascii=False))
"""


def _sources() -> list[Path]:
    """The files the wheel is built from."""
    package = [p for p in (ROOT / "extractor").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted([ROOT / "pyproject.toml", ROOT / "setup.py", ROOT / "README.md", *package])


def _key_sources() -> list[Path]:
    """The files whose content the build depends on (the README is only copied)."""
    return [p for p in _sources() if p != ROOT / "README.md"]


def _compiled_site(tmp: Path) -> Path:
    """The compiled wheel, unpacked: built by pip from a copy of the sources as a user builds it
    (an isolated build: pip fetches its setuptools and mypy), unless built from the same
    sources before."""
    digest = hashlib.sha256(sys.version.encode())
    for path in _key_sources():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    site = BUILD_DIR / digest.hexdigest()[:20]
    if site.is_dir():
        site.touch()  # recently used: kept by _prune
        return site
    source = tmp / "source"
    for path in _sources():
        (source / path.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, source / path.relative_to(ROOT))
    build = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(tmp / "wheel")]
    env = {**os.environ, "EXTRACTOR_COMPILE": "1"}
    done = subprocess.run(build, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (wheel,) = (tmp / "wheel").glob("*.whl")
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(dir=BUILD_DIR))  # beside its place, to be renamed there whole
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    try:
        unpacked.rename(site)
    except OSError:  # built meanwhile by another run
        shutil.rmtree(unpacked)
    _prune()
    return site


def _prune(keep: int = 8) -> None:
    """Only the builds used last stay (each change of the sources makes a new one)."""
    builds = sorted((p for p in BUILD_DIR.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in builds[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


@pytest.fixture(scope="module")
def compiled_documents(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("compiled")
    site = _compiled_site(tmp)
    paths = [str(ROOT / p) for p in INPUTS]
    env = {**os.environ, "PYTHONPATH": str(site)}
    # run away from the checkout, so that only the compiled package is found
    done = subprocess.run(
        [sys.executable, "-c", DUMP, str(site), *paths], cwd=tmp, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_the_compiled_build_runs_compiled(compiled_documents):
    assert compiled_documents["compiled"]
    assert not compiled()  # and the tests themselves run the source


def test_the_compiled_build_gives_the_same_documents(compiled_documents):
    got = compiled_documents["documents"]
    assert len(got) == len(INPUTS) > 200
    for path in INPUTS:
        expected = extract(ROOT / path).model_dump(mode="json")
        assert json.dumps(got[str(ROOT / path)], ensure_ascii=False) == json.dumps(
            expected, ensure_ascii=False
        ), path
