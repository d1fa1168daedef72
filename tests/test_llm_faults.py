"""The LLM path under faults a real server cannot be made to produce on demand.

Only the HTTP transport is fake (``httpx2.MockTransport``, what the openai SDK runs on):
openai, instructor, the response schemas, the validators, the cache and the pipeline are
the real ones.
"""

from __future__ import annotations

import json

import pytest

from .conftest import needs

needs("instructor", "openai", "diskcache", "tenacity", "httpx2", extra="pip install -e '.[llm]'")
pytestmark = pytest.mark.model

import httpx2

from extractor.cache import AnswerCache
from extractor.llm_client import LLMClient, LLMConfig, LLMError
from extractor.llm_readings import read_with_llm
from extractor.pipeline import Options, extract
from extractor.reading import read_file
from extractor.segmenting import find_sections

from .conftest import REPORTS, SEED_NAMES, tool_call_answer

SEED = REPORTS / f"{SEED_NAMES[1]}.txt"  # 偃师区: table 三 has 6 applications
T4_ZEROS = {"review": [0] * 5, "litigation_direct": [0] * 5, "litigation_after_review": [0] * 5}


def completion(request: httpx2.Request, arguments: dict | str) -> httpx2.Response:
    """A chat completion whose tool call answers with ``arguments``."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    return httpx2.Response(200, json=tool_call_answer(json.loads(request.content), args))


class Script:
    """A fake endpoint that plays ``steps`` in order: a status code, an exception, or an answer."""

    def __init__(self, *steps):
        self.steps = list(steps)
        self.requests: list[dict] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.content))
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, int):
            return httpx2.Response(step, json={"error": {"message": f"status {step}"}})
        return completion(request, step)


def client(script: Script, cache: AnswerCache | None = None, **config) -> LLMClient:
    settings = {
        "base_url": "http://fake.invalid/v1",
        "model": "fake",
        "backoff": 0.0,
        "timeout": 5.0,
        **config,
    }
    return LLMClient(
        LLMConfig(**settings),
        cache or AnswerCache(None),
        http_client=httpx2.Client(transport=httpx2.MockTransport(script)),
    )


def ask(llm: LLMClient, task: str, path=SEED):
    src = read_file(path)
    return read_with_llm(llm, src.text, find_sections(src.text), "2021", [task])


def test_429_and_5xx_are_retried_on_the_transport_budget():
    script = Script(429, 503, T4_ZEROS)
    llm = client(script)
    got = ask(llm, "t4")
    assert not got.problems
    assert got.fields["t4.review.total"].value == 0
    assert llm.usage.calls == 3  # two transport retries, no validation re-ask


def test_a_model_that_stays_down_leaves_its_section_for_review_and_the_rest_intact():
    script = Script(httpx2.ReadTimeout("timed out"))
    llm = client(script, transport_retries=2)
    doc = extract(SEED, options=Options(llm, "always"))
    assert llm.usage.calls == 2 * 3 + 2 * 3  # each task: 1 try + 2 retries (t2, t3, t4, prose)
    assert doc.status == "needs_review"
    failed = {c.id for c in doc.checks if not c.passed}
    assert {"read.t2", "read.t3", "read.t4"} <= failed
    assert doc.fields["t3.new_received.total"] == 6  # the rule reading stands
    assert doc.evidence["t3.new_received.total"].method == "rule"


def test_malformed_json_is_re_asked_and_the_second_answer_taken():
    script = Script('{"review": [0, 0, 0, 0, 0], "litigation_direct": [0, 0', T4_ZEROS)
    llm = client(script)
    got = ask(llm, "t4")
    assert not got.problems and got.fields["t4.litigation_direct.total"].value == 0
    assert llm.usage.calls == 2


def test_a_value_in_the_wrong_row_is_sent_back_with_the_precise_error_and_fixed():
    right = seed_t3()
    wrong = {**right, "granted": [4, 0, 0, 0, 0, 0, 4], "withheld_enforcement_files": [1, 0, 0, 0, 0, 0, 1]}
    script = Script(wrong, right)
    llm = client(script)
    got = ask(llm, "t3")
    assert got.fields["t3.granted.total"].value == 1
    assert got.fields["t3.withheld_enforcement_files.total"].value == 4
    re_ask = script.requests[1]["messages"][-1]["content"]
    assert "t3.granted.natural_person = 4" in re_ask and "does not state 4" in re_ask


def test_an_invented_number_is_never_accepted():
    invented = {"proactive_total": 172, "applications_received": 6, "wechat_posts": 88,
                "weibo_posts": None, "processing_fee_yuan": 0}  # fmt: skip
    script = Script(invented)  # the model insists, every time
    llm = client(script, max_retries=2)
    doc = extract(SEED, options=Options(llm, "always"))
    assert llm.usage.calls >= 3  # asked, then re-asked twice
    assert doc.fields["overview.wechat_posts"] is None  # 88 is stated nowhere: rejected
    assert doc.llm.fields["overview.wechat_posts"] is None
    assert doc.status == "needs_review"
    assert any("88" in note and "rejected" in note for note in doc.notes)
    assert doc.fields["overview.proactive_total"] == 172  # the grounded rest of the answer is kept


def test_a_model_that_fixes_a_sum_by_inventing_a_number_is_caught(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace(
        "(七) 总计\t\t6\t0\t0\t0\t0\t0\t6\t", "(七) 总计\t\t7\t0\t0\t0\t0\t0\t7\t"
    )
    report = tmp_path / "inconsistent.txt"
    report.write_text(text, encoding="utf-8")
    faithful = seed_t3(total=[7, 0, 0, 0, 0, 0, 7])  # as printed: its parts add up to 6
    fixed = {
        **faithful,
        "granted": [2, 0, 0, 0, 0, 0, 2],
    }  # 2 makes the sum work; it is printed nowhere there
    script = Script(fixed, faithful)
    llm = client(script, max_retries=1)
    got = ask(llm, "t3", report)
    assert got.fields["t3.granted.total"].value == 1  # the invented 2 never got through
    assert got.fields["t3.total.total"].value == 7  # the faithful reading of the printed table
    assert any("breaks an identity" in note for note in got.notes)
    insisting = ask(client(Script(fixed), max_retries=1), "t3", report)  # the model never lets go of it
    assert insisting.fields["t3.granted.total"].value is None
    assert not insisting.fields["t3.granted.total"].confident
    doc = extract(report, options=Options(client(Script(faithful), max_retries=1), "always"))
    assert doc.fields["t3.total.total"] == 7 and doc.status == "needs_review"
    assert doc.evidence["t3.total.total"].method == "rule+llm"


def test_answers_are_cached_and_a_warm_run_makes_no_call(tmp_path):
    cache = AnswerCache(tmp_path / "cache")
    first = client(Script(T4_ZEROS), cache)
    ask(first, "t4")
    assert first.usage.calls == 1
    warm = client(Script(500), cache)  # a cold call would now fail
    got = ask(warm, "t4")
    assert warm.usage.calls == 0 and warm.usage.cache_hits == 1
    assert got.fields["t4.review.total"].value == 0


def test_a_local_server_restarted_on_another_port_still_hits_the_cache(tmp_path):
    cache = AnswerCache(tmp_path / "cache")
    ask(client(Script(T4_ZEROS), cache, base_url="http://127.0.0.1:40001/v1", endpoint_id="local: m"), "t4")
    again = client(Script(500), cache, base_url="http://127.0.0.1:40002/v1", endpoint_id="local: m")
    ask(again, "t4")
    assert again.usage.calls == 0 and again.usage.cache_hits == 1
    elsewhere = client(Script(T4_ZEROS), cache, base_url="http://127.0.0.1:40003/v1")  # another endpoint
    ask(elsewhere, "t4")
    assert elsewhere.usage.calls == 1


def test_a_model_that_never_answers_validly_gives_an_error_not_a_value():
    llm = client(Script("not json at all"), max_retries=1)
    got = ask(llm, "t4")
    assert not got.fields
    assert got.problems and "no valid answer" in got.problems[0].message
    with pytest.raises(LLMError):
        src = read_file(SEED)
        from extractor.catalog import T4
        from extractor.llm_schemas import context, table_answer_model

        llm.ask(
            "t4-v1",
            table_answer_model(T4, "2021"),
            [{"role": "user", "content": "x"}],
            context(src.text, [(0, 10)]),
        )


def test_fallback_asks_only_for_what_the_rules_could_not_read():
    script = Script(T4_ZEROS)
    llm = client(script)
    doc = extract(SEED, options=Options(llm, "fallback"))
    assert llm.usage.calls == 0 and doc.status == "ok" and "llm" not in doc.model_dump()
    text = SEED.read_text(encoding="utf-8")
    damaged = text.replace("0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0", "0\t0\t0")  # table 四 cut short
    doc = extract(damaged, options=Options(llm, "fallback"))
    assert doc.llm.tasks == ["t4"] and llm.usage.calls == 1
    assert doc.fields["t4.review.total"] == 0 and doc.evidence["t4.review.total"].method == "llm"


def seed_t3(**rows: list[int]) -> dict[str, list[int]]:
    """Table 三 of the seed as printed (read by eye), with ``rows`` replaced."""
    from extractor.catalog import T3_2021

    printed = {row.id: [0] * 7 for row in T3_2021.rows}
    printed.update(
        new_received=[6, 0, 0, 0, 0, 0, 6],
        granted=[1, 0, 0, 0, 0, 0, 1],
        withheld_enforcement_files=[4, 0, 0, 0, 0, 0, 4],
        unable_not_held=[1, 0, 0, 0, 0, 0, 1],
        total=[6, 0, 0, 0, 0, 0, 6],
    )
    return {**printed, **rows}


def test_a_new_catalog_fact_is_in_the_response_schema_the_prompt_and_grounding():
    from extractor.llm_schemas import facts_answer_model
    from extractor.prompting import facts_listing, load_prompt

    from .test_catalog import WITH_DOUYIN

    schema = facts_answer_model("prose", WITH_DOUYIN).model_json_schema()
    assert "douyin" in schema["properties"]["douyin_posts"]["description"].lower()
    assert "douyin_posts" not in facts_answer_model("prose").model_json_schema()["properties"]
    assert "- douyin_posts: items published on the Douyin" in facts_listing("prose", WITH_DOUYIN)
    system = load_prompt("prose").messages("…", None, WITH_DOUYIN)[0]["content"]
    assert "douyin_posts" in system and "douyin_posts" not in load_prompt("prose").messages("…")[0]["content"]
    text = SEED.read_text(encoding="utf-8").replace(
        "一、总体情况\n", "一、总体情况\n抖音号发布短视频41条。\n", 1
    )
    answer = {"proactive_total": None, "applications_received": 6, "wechat_posts": None, "weibo_posts": None,
              "processing_fee_yuan": None, "douyin_posts": 41}  # fmt: skip
    doc = extract(text, options=Options(client(Script(answer)), "always", WITH_DOUYIN))
    assert doc.llm.fields["overview.douyin_posts"] == 41
    assert (
        doc.fields["overview.douyin_posts"] == 41
        and doc.evidence["overview.douyin_posts"].method == "rule+llm"
    )
