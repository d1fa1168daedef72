"""The batch on Ray Data (--engine ray), on a real local Ray instance: the same documents as the
default engine, Parquet shards of them, and a killed batch that resumes."""

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from .conftest import REPORTS, ROOT, needs, stored_count, tool_call_answer

needs("ray", "pyarrow", extra="pip install -e '.[ray]'")

import pyarrow.parquet as pq

from evals.generate import random_record, render_file

pytestmark = pytest.mark.ray

SUITE = ROOT / "evals" / "suite" / "reports"


def _inputs(tmp_path):
    """The samples, a few generated reports in the file layouts, a bad file and a duplicate."""
    folder = tmp_path / "in"
    shutil.copytree(REPORTS, folder / "seeds")
    rng = random.Random(5)
    for i, layout in enumerate(("tab_rows", "markdown", "html", "docx", "pdf", "pdf_lines")):
        suffix, content = render_file(random_record(rng), layout, rng)
        path = folder / "generated" / f"{i}_{layout}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (folder / "bad.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    shutil.copy(REPORTS / sorted(os.listdir(REPORTS))[0], folder / "copy.txt")
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _extract(inputs, out, *flags):
    command = [sys.executable, "-m", "extractor", "extract", *map(str, inputs), "--out", str(out)]
    command += ["--no-progress", "--outputs", "jsonl,csv,csv-long,parquet", *flags]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_ray_gives_the_documents_of_the_default_engine_and_shards_of_them(tmp_path):
    inputs = _inputs(tmp_path)
    local_summary = _extract(inputs, tmp_path / "local", "--jobs", "2")
    ray_summary = _extract(inputs, tmp_path / "ray", "--engine", "ray", "--jobs", "2")
    assert local_summary.splitlines()[:2] == ray_summary.splitlines()[:2]
    assert "1 failed" in ray_summary and "duplicate content 1" in ray_summary
    for name in ("documents.jsonl", "fields_wide.csv", "fields_long.csv", "fields_wide.parquet"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "ray" / name).read_bytes(), name
    stored = {}
    for engine in ("local", "ray"):
        with sqlite3.connect(tmp_path / engine / "reports.sqlite") as db:
            stored[engine] = db.execute(
                "SELECT r.content_hash, d.source, d.document FROM documents d"
                " JOIN reports r ON r.id = d.id ORDER BY d.id"
            ).fetchall()
    assert stored["local"] == stored["ray"] and len(stored["ray"]) == len(inputs) - 1
    shards = pq.read_table(tmp_path / "ray" / "shards").to_pylist()
    documents = [json.loads(line) for line in (tmp_path / "ray" / "documents.jsonl").read_text().splitlines()]
    assert [json.loads(shard["document"]) for shard in shards] == documents
    assert [shard["report_id"] for shard in shards] == list(range(1, len(documents) + 1))


def _kill_session(leader):
    """The batch and every process it started (Ray's too): they share its session."""
    os.killpg(leader.pid, signal.SIGKILL)
    leader.wait()
    for _ in range(50):  # Ray's own processes, if any left the process group but not the session
        left = [int(p) for p in os.listdir("/proc") if p.isdigit() and _session_of(int(p)) == leader.pid]
        if not left:
            return
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)


def _session_of(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[4])
    except (OSError, IndexError, ValueError):
        return None


def test_a_ray_batch_killed_part_way_resumes_where_it_stopped(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    rng = random.Random(4)
    count = 1500
    for i in range(count):
        _, text = render_file(random_record(rng), "tab_rows", rng)
        (folder / f"r{i:04d}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "extractor", "extract", str(folder), "--out", str(out)]
    command += ["--engine", "ray", "--jobs", "1", "--no-progress", "--outputs", "csv"]
    child = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    store = out / "reports.sqlite"
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline and child.poll() is None and stored_count(store) < 1:
            time.sleep(0.05)
    finally:
        _kill_session(child)
    before = stored_count(store)
    assert 0 < before < count  # killed part-way, with some documents committed
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"extracted now {count - before}, already done {before}" in rerun.stderr
    assert stored_count(store) == count
    with (out / "fields_wide.csv").open(encoding="utf-8-sig") as f:
        assert sum(1 for _ in f) == count + 1


class _Endpoint:
    """A real OpenAI-compatible endpoint on a loopback port that answers every question with an
    empty tool call (so each is re-asked, then left for review) and counts the calls in flight."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.lock = threading.Lock()
        self.calls = self.in_flight = self.most_in_flight = 0
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                with endpoint.lock:
                    endpoint.calls += 1
                    endpoint.in_flight += 1
                    endpoint.most_in_flight = max(endpoint.most_in_flight, endpoint.in_flight)
                time.sleep(0.1)  # long enough for calls from several tasks to overlap
                with endpoint.lock:
                    endpoint.in_flight -= 1
                answer = tool_call_answer(body, "{}")
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_on_ray_model_calls_go_through_the_client_at_most_llm_concurrency_at_once(tmp_path):
    needs("instructor", "openai", "diskcache", "tenacity", extra="pip install -e '.[llm,ray]'")
    from extractor.batch import run_batch
    from extractor.cache import AnswerCache
    from extractor.llm_client import LLMClient, LLMConfig
    from extractor.pipeline import Options

    folder = tmp_path / "in"
    folder.mkdir()
    samples = sorted(REPORTS.glob("*.txt"))
    for i in range(12):  # enough tasks for Ray to run more at once than the bound, were there none
        text = samples[i % len(samples)].read_text(encoding="utf-8") + f"\n（编号 {i}）\n"
        (folder / f"r{i:02d}.txt").write_text(text, encoding="utf-8")
    inputs = sorted(folder.iterdir())
    import ray

    ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False)  # a Ray the batch finds running
    endpoint = _Endpoint()
    try:
        warm = ray.remote(lambda: time.sleep(1.0))
        ray.get([warm.remote() for _ in range(4)])  # four workers up: were there no bound, four would call
        config = LLMConfig(base_url=endpoint.url, model="fake", backoff=0.0, timeout=10.0, max_retries=1)
        llm = LLMClient(config, AnswerCache(tmp_path / "cache"))
        options = Options(llm, "always")
        result = run_batch(
            inputs,
            tmp_path / "out",
            options,
            llm_concurrency=2,
            outputs=["jsonl"],
            progress=False,
            engine="ray",
        )
        assert ray.is_initialized()  # a Ray the batch did not start is left running
    finally:
        endpoint.close()
        ray.shutdown()
    assert endpoint.calls > len(inputs)  # every report asked its sections, through the HTTP client
    assert endpoint.most_in_flight == 2  # --llm-concurrency bounds the calls in flight across tasks
    assert result.llm["calls"] == endpoint.calls  # each document accounts for its own calls
    documents = [json.loads(line) for line in (tmp_path / "out" / "documents.jsonl").read_text().splitlines()]
    assert len(documents) == len(inputs) and all(doc["llm"]["model"] == "fake" for doc in documents)
    assert (tmp_path / "cache").is_dir()  # the tasks' clients used the same answer cache
