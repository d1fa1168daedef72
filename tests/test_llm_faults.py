"""The model path under faults and lies a real server cannot be made to produce on demand.

Only the HTTP transport is fake (``httpx2.MockTransport``, what the openai SDK runs on):
openai, instructor, the response schemas, the statements, the identities, the cache and the
pipeline are the real ones. The fake answers a question with one of the options its schema
offers (what a grammar-constrained server can do), truthfully or not.
"""

from __future__ import annotations

import json
import random
import re

import pytest

from .conftest import needs

needs("instructor", "openai", "diskcache", "tenacity", "httpx2", extra="pip install -e '.[llm]'")
pytestmark = pytest.mark.model

import httpx2

from evals.generate import random_record, render_file
from extractor.batch import run_batch
from extractor.cache import AnswerCache
from extractor.catalog import T3_2021, row_names
from extractor.llm_client import LLMClient, LLMConfig, LLMError
from extractor.llm_schemas import choice_model
from extractor.models import FieldReading
from extractor.pipeline import Options, extract
from extractor.reading import read_file
from extractor.validators import is_grounded

from .conftest import REPORTS, SEED_NAMES, tool_call_answer

SEED = REPORTS / f"{SEED_NAMES[1]}.txt"  # 偃师区: read cleanly by the rules, status ok
NONE = "以上都不是"
YES_NO = ["是", "不是"]


def completion(request: httpx2.Request, arguments: dict | str) -> httpx2.Response:
    """A chat completion whose tool call answers with ``arguments``."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    return httpx2.Response(200, json=tool_call_answer(json.loads(request.content), args))


def options_of(body: dict) -> list[str]:
    return body["tools"][0]["function"]["parameters"]["properties"]["answer"]["enum"]


def marked(body: dict) -> str:
    """The label of the statement a row question is about ("" for other questions)."""
    found = re.search(r"→ 「(.*?)」", body["messages"][-1]["content"])
    return found.group(1) if found else ""


class Script:
    """A fake endpoint that plays ``steps`` in order (the last one again and again): a status
    code, an exception, an answer (its arguments), or a function of the request's body giving
    the option to answer."""

    def __init__(self, *steps):
        self.steps = list(steps)
        self.requests: list[dict] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, int):
            return httpx2.Response(step, json={"error": {"message": f"status {step}"}})
        if callable(step):
            return completion(request, {"answer": step(body)})
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


# --- the reports asked about ------------------------------------------------------------

PARTLY = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）："
REWORDED = {
    "（一）予以公开：": "（一）全部公开的：",
    PARTLY: "（二）只公开其中一些内容的：",
    "本年新收政府信息公开申请：": "本年度新接收的申请：",
}
TRUTH = {
    "(一)全部公开的": "予以公开",
    "(二)只公开其中一些内容的": row_names(T3_2021)[3],
    "本年度新接收的申请": row_names(T3_2021)[0],
}


def prose_report(tmp_path, seed: int, reword: tuple[str, ...], remark_after: tuple[str, ...] = ()):
    """A report of the suite's prose layout (2021 format) with ``reword`` labels in other words
    (the rules cannot name their rows) and a remark that is no row after the rows of
    ``remark_after`` (so the order alone cannot place them)."""
    rng = random.Random(seed)
    record = random_record(rng, fmt="2021")
    _, text = render_file(record, "prose_tables", rng)
    lines = []
    for line in text.split("\n"):
        lines.append(line)
        if line.startswith(remark_after):
            lines.append("上述申请中通过网上平台提出的：自然人1件，商业企业0件，科研机构0件，社会公益组织0件，"
                         "法律服务机构0件，其他法人或其他组织0件，总计1件。")  # fmt: skip
    text = "\n".join(lines)
    for label in reword:
        text = text.replace(label, REWORDED[label])
    path = tmp_path / f"prose_{seed}.txt"
    path.write_text(text, encoding="utf-8")
    return path, record


def truthful(body: dict) -> str:
    """The right answer to a row question (by :data:`TRUTH` for the reworded labels, else the row
    the label names); the first option of other questions (for a fact: the first count)."""
    options = options_of(body)
    label = marked(body)
    if not label:
        return options[0]
    right = _row_named(label)
    if options == YES_NO:  # is it this row?
        asked = re.search(r"The row: 「(.*?)」", body["messages"][-1]["content"]).group(1)
        return YES_NO[0] if asked == right else YES_NO[1]
    return right if right in options else NONE


def _row_named(label: str) -> str | None:
    from extractor.catalog import T2_2021, T4
    from extractor.statements import rows_named

    if label in TRUTH:
        return TRUTH[label]
    for spec in (T2_2021, T3_2021, T4):
        named = rows_named(spec, label)
        if len(named) == 1:
            return row_names(spec)[named[0]]
    return None


def neighbour(body: dict) -> str:
    """A lie: the option after the right one."""
    options = options_of(body)
    return options[(options.index(truthful(body)) + 1) % len(options)]


def wrong_values(doc, record) -> dict:
    return {f: (doc.fields.get(f), v) for f, v in record.items() if doc.fields.get(f) != v}


def test_the_rules_place_verbatim_statements_and_the_model_is_asked_nothing(tmp_path):
    path, record = prose_report(tmp_path, 3, ())
    llm = client(Script(500))  # a call would fail
    doc = extract(path, options=Options(llm, "fallback"))
    assert llm.usage.calls == 0 and wrong_values(doc, record) == {}
    assert doc.evidence["t3.new_received.total"].method == "rule"
    assert doc.llm is None  # nothing doubtful: no section asked
    rules_only = extract(path)  # tables written as prose are read by their sentences alone
    assert wrong_values(rules_only, record) == {} and rules_only.model_dump() == doc.model_dump()


def test_the_model_chooses_rows_only_where_order_cannot_and_its_values_are_the_printed_ones(tmp_path):
    path, record = prose_report(tmp_path, 3, ("（一）予以公开：",), remark_after=("（一）予以公开：",))
    script = Script(truthful)
    llm = client(script)
    doc = extract(path, options=Options(llm, "fallback"))
    assert [marked(body) for body in script.requests] == ["(一)全部公开的"]  # the remark: no row is left
    assert options_of(script.requests[0]) == YES_NO  # the one row between the anchors: is it 予以公开?
    assert "The row: 「予以公开」" in script.requests[0]["messages"][-1]["content"]
    assert wrong_values(doc, record) == {}
    granted = [f for f in doc.fields if f.startswith("t3.granted.")]
    assert {doc.evidence[f].method for f in granted if f in doc.evidence} == {"llm"}
    text = path.read_text(encoding="utf-8")
    assert all(text[doc.evidence[f].start : doc.evidence[f].end] == str(doc.fields[f]) for f in granted)
    assert doc.llm.fields["t3.granted.total"] == record["t3.granted.total"]


def test_where_the_report_leaves_a_row_out_the_model_chooses_among_the_rows_the_statement_may_be(tmp_path):
    path, record = prose_report(tmp_path, 3, ("本年新收政府信息公开申请：",))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"上年结转政府信息公开申请：[^\n]*\n", "", text), encoding="utf-8")
    script = Script(truthful)
    doc = extract(path, options=Options(client(script), "fallback"))
    [asked] = script.requests
    assert options_of(asked) == [*row_names(T3_2021)[:2], NONE]  # 本年新收 or 上年结转: one is left out
    assert doc.fields["t3.new_received.total"] == record["t3.new_received.total"]
    read_t3 = next(c for c in doc.failed_checks if c.id == "read.t3")
    assert "t3.carried_over.total" in read_t3.fields and doc.fields["t3.carried_over.total"] is None


def test_a_choice_the_identities_pin_is_trusted_one_they_do_not_is_flagged(tmp_path):
    new = ("本年新收政府信息公开申请：",)
    pinned, record = prose_report(tmp_path, 3, new, remark_after=new)
    doc = extract(pinned, options=Options(client(Script(truthful)), "fallback"))
    assert wrong_values(doc, record) == {}
    assert doc.status == "ok"  # the remark cannot stand for 本年新收: table 三's columns would not balance
    assert doc.evidence["t3.new_received.total"].method == "llm"
    both = ("（一）予以公开：", PARTLY)
    unpinned, record = prose_report(tmp_path, 3, both, remark_after=both[1:])
    assert record["t3.granted.total"] != record["t3.partially_granted.total"]
    doc = extract(unpinned, options=Options(client(Script(truthful)), "fallback"))
    assert wrong_values(doc, record) == {}  # right, but the sums would hold with the two rows swapped
    assert doc.status == "needs_review"
    failed = {f for c in doc.failed_checks for f in c.fields}
    assert {"t3.granted.total", "t3.partially_granted.total"} <= failed


@pytest.mark.parametrize(("answer", "read"), [("结果维持", True), ("结果纠正", False)])
def test_a_value_whose_column_words_are_its_own_is_placed_in_the_column_the_model_chooses(
    tmp_path, answer, read
):
    path, record = prose_report(tmp_path, 3, ())
    path.write_text(path.read_text(encoding="utf-8").replace("行政复议：结果维持", "行政复议：维持原决定的"))
    script = Script(lambda body: answer)
    doc = extract(path, options=Options(client(script), "fallback"))
    [asked] = script.requests
    assert options_of(asked) == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", NONE]
    assert "after the words 「维持原决定的」" in asked["messages"][-1]["content"]
    if read:
        assert doc.fields["t4.review.upheld"] == record["t4.review.upheld"]
        assert doc.evidence["t4.review.upheld"].method == "llm"
    else:  # two values for 结果纠正: neither is taken
        assert doc.fields["t4.review.upheld"] is None and doc.fields["t4.review.corrected"] is None
        assert {"t4.review.upheld", "t4.review.corrected"} <= {f for c in doc.failed_checks for f in c.fields}


LIES = {
    "the first option (yes to every row)": lambda body: options_of(body)[0],
    "the last option (none, no)": lambda body: options_of(body)[-1],
    "the right one's neighbour": neighbour,
}


@pytest.mark.parametrize("lie", LIES.values(), ids=LIES.keys())
@pytest.mark.parametrize("mode", ["fallback", "only"])
def test_a_lying_model_never_yields_an_ok_value(tmp_path, lie, mode):
    path, record = prose_report(
        tmp_path, 3, ("本年新收政府信息公开申请：",), remark_after=("本年新收政府信息公开申请：",)
    )
    llm = client(Script(lie))
    doc = extract(path, options=Options(llm, mode))
    assert llm.usage.calls > 0
    wrong = wrong_values(doc, record)
    flagged = {f for c in doc.failed_checks for f in c.fields}
    assert not (wrong and doc.status == "ok"), wrong  # never silently wrong
    assert set(wrong) <= flagged  # every wrong value is named by a failed check
    text = read_file(path).text
    for field_id, evidence in doc.evidence.items():  # whatever it chose, it is what the text says
        found = FieldReading(doc.fields[field_id], evidence.start, evidence.end)
        assert is_grounded(field_id, found, text), (field_id, found)


def test_always_keeps_a_clean_report_ok_and_a_wrong_unconfirmed_choice_is_only_noted():
    doc = extract(SEED, options=Options(client(Script(truthful)), "always"))
    assert doc.status == "ok" and doc.evidence["t3.new_received.total"].method == "rule+llm"
    assert doc.evidence["overview.proactive_total"].method == "rule+llm"
    doc = extract(SEED, options=Options(client(Script(neighbour)), "always"))
    assert doc.status == "ok"  # its rows break the identities, so nothing confirms them: the rules' stand
    assert any("unconfirmed" in note for note in doc.notes)
    assert doc.evidence["t3.new_received.total"].method == "rule"


def test_a_doubtful_prose_fact_is_chosen_among_its_counts_and_trusted_only_when_table_三_agrees():
    text = SEED.read_text(encoding="utf-8").replace(
        "2024 年我委共办理答复依申请公开信息 6 件", "2024 年我委共收到申请 6 件、答复 5 件"
    )
    assert extract(text).fields["overview.applications_received"] is None  # two counts: doubtful

    def pick(value: str):
        return lambda body: next(o for o in options_of(body) if o.startswith(value))

    right = extract(text, options=Options(client(Script(pick("1: "))), "fallback"))
    assert right.fields["overview.applications_received"] == 6 and right.status == "ok"
    assert right.evidence["overview.applications_received"].method == "llm"
    wrong = extract(text, options=Options(client(Script(pick("2: "))), "fallback"))
    assert wrong.fields["overview.applications_received"] == 5 and wrong.status == "needs_review"
    assert "overview.applications_received" in {f for c in wrong.failed_checks for f in c.fields}


def test_a_count_in_another_unit_the_rules_doubt_is_among_the_model_s_options():
    """发布各类信息共 172 件: the rules cannot tell all items from one kind's documents and doubt
    it; the model is offered that count, and its choice stays flagged (no identity confirms it)."""
    text = SEED.read_text(encoding="utf-8").replace("发布各类信息共 172 条", "发布各类信息共 172 件")
    rules = extract(text)
    assert rules.fields["overview.proactive_total"] is None
    assert "overview.proactive_total" in {f for c in rules.failed_checks for f in c.fields}
    script = Script(lambda body: next(o for o in options_of(body) if "172 件" in o))
    doc = extract(text, options=Options(client(script), "fallback"))
    assert doc.fields["overview.proactive_total"] == 172
    assert doc.evidence["overview.proactive_total"].method == "llm"
    assert "overview.proactive_total" in {f for c in doc.failed_checks for f in c.fields}


def test_a_new_catalog_fact_is_asked_with_its_own_description_and_grounded():
    from .test_catalog import WITH_DOUYIN

    text = SEED.read_text(encoding="utf-8").replace(
        "一、总体情况\n", "一、总体情况\n抖音号发布短视频41条、图文12条。\n", 1
    )
    script = Script(lambda body: options_of(body)[0])
    doc = extract(text, options=Options(client(script), "fallback", WITH_DOUYIN))
    [asked] = script.requests
    assert "Douyin" in asked["messages"][-1]["content"]
    assert doc.fields["overview.douyin_posts"] == 41
    assert is_grounded("overview.douyin_posts", _reading(doc, "overview.douyin_posts"), text)


def _reading(doc, field_id):
    evidence = doc.evidence[field_id]
    return FieldReading(doc.fields[field_id], evidence.start, evidence.end)


# --- transport, re-asks, cache ------------------------------------------------------------


def one_question(tmp_path):
    path, _ = prose_report(tmp_path, 3, ("（一）予以公开：",), remark_after=("（一）予以公开：",))
    return path


def test_429_and_5xx_are_retried_on_the_transport_budget(tmp_path):
    llm = client(Script(429, 503, truthful))
    doc = extract(one_question(tmp_path), options=Options(llm, "fallback"))
    assert doc.fields["t3.granted.total"] is not None
    assert llm.usage.calls == 3 and llm.usage.questions == 1  # two transport retries, then the answer


def test_a_model_that_stays_down_leaves_its_rows_for_review_and_the_rest_intact(tmp_path):
    llm = client(Script(httpx2.ReadTimeout("timed out")), transport_retries=2, server_log="/tmp/server.log")
    path = one_question(tmp_path)
    doc = extract(path, options=Options(llm, "fallback"))
    assert llm.usage.calls == 3  # 1 try + 2 retries, then the section stops asking
    assert doc.llm is not None and doc.llm.usage["calls"] == 3  # the report accounts for them too
    assert doc.status == "needs_review"
    read_t3 = next(c for c in doc.failed_checks if c.id == "read.t3")
    assert "t3.granted.total" in read_t3.fields and "the server's log: /tmp/server.log" in read_t3.detail
    assert doc.fields["t3.new_received.total"] is not None  # placed by the rules: it stands
    assert doc.evidence["t3.new_received.total"].method == "rule"
    clean = extract(SEED, options=Options(client(Script(httpx2.ReadTimeout("down"))), "always"))
    assert clean.status == "ok"  # the second reading failed; the rules' reading stands


def test_malformed_json_is_re_asked_and_the_second_answer_taken(tmp_path):
    llm = client(Script('{"answer": "予以', truthful))
    doc = extract(one_question(tmp_path), options=Options(llm, "fallback"))
    assert doc.fields["t3.granted.total"] is not None
    assert llm.usage.calls == 2  # asked, then re-asked


def test_an_answer_outside_the_options_is_never_taken(tmp_path):
    llm = client(Script({"answer": "总计"}), max_retries=1)  # not among the options, every time
    doc = extract(one_question(tmp_path), options=Options(llm, "fallback"))
    assert llm.usage.calls == 2
    assert doc.llm is not None and doc.llm.usage["calls"] == 2  # a question unanswered still cost
    assert doc.fields["t3.granted.total"] is None and doc.status == "needs_review"
    with pytest.raises(LLMError):
        llm.ask("rows-v3", choice_model(("予以公开", NONE)), [{"role": "user", "content": "x"}], {})


def test_answers_are_cached_and_a_warm_run_makes_no_call_and_starts_nothing(tmp_path):
    cache = AnswerCache(tmp_path / "cache")
    path = one_question(tmp_path)
    cold = client(Script(truthful), cache)
    first = extract(path, options=Options(cold, "fallback"))
    assert cold.usage.calls == 1

    def never_started() -> str:
        raise AssertionError("a warm run started the model's server")

    warm = client(Script(500), cache, connect=never_started)
    second = extract(path, options=Options(warm, "fallback"))
    assert warm.usage.calls == 0 and warm.usage.cache_hits == 1
    assert second.fields == first.fields


def test_a_local_server_restarted_on_another_port_still_hits_the_cache(tmp_path):
    cache = AnswerCache(tmp_path / "cache")
    path = one_question(tmp_path)
    local = {"endpoint_id": "local: m"}
    extract(
        path,
        options=Options(
            client(Script(truthful), cache, base_url="http://127.0.0.1:40001/v1", **local), "fallback"
        ),
    )
    again = client(Script(500), cache, base_url="http://127.0.0.1:40002/v1", **local)
    extract(path, options=Options(again, "fallback"))
    assert again.usage.calls == 0 and again.usage.cache_hits == 1
    elsewhere = client(Script(truthful), cache, base_url="http://127.0.0.1:40003/v1")  # another endpoint
    extract(path, options=Options(elsewhere, "fallback"))
    assert elsewhere.usage.calls == 1


def test_a_server_that_cannot_start_fails_its_questions_once_with_a_clear_message(tmp_path):
    from extractor.local_model import LocalModelError

    started = []

    def broken() -> str:
        started.append(1)
        raise LocalModelError("llama_cpp.server exited with status 1 (its log: /tmp/x.log)")

    llm = client(Script(truthful), connect=broken)
    doc = extract(one_question(tmp_path), options=Options(llm, "fallback"))
    assert started == [1] and doc.status == "needs_review"
    assert any("its log: /tmp/x.log" in c.detail for c in doc.failed_checks)


# --- progress and accounting ---------------------------------------------------------------


def test_progress_is_told_per_question_with_its_task_and_cost(tmp_path):
    steps = []
    path = one_question(tmp_path)
    extract(path, options=Options(client(Script(truthful)), "fallback", progress=steps.append))
    assert {(s.source, s.task) for s in steps} == {(str(path), "t3")}
    assert [(s.answered, s.questions) for s in steps] == [(0, 2), (1, 2), (1, 1)]  # the remark: no row left
    assert steps[-1].usage.calls == 1 and steps[-1].usage.prompt_tokens == 100


def test_usage_is_exact_per_report_with_concurrent_calls(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    one_question(folder)  # one question
    both = ("（一）予以公开：", "本年新收政府信息公开申请：")
    prose_report(folder, 4, both, remark_after=both)  # two
    options = Options(client(Script(truthful)), "fallback")
    inputs = sorted(folder.glob("*.txt"))
    result = run_batch(
        inputs, tmp_path / "out", options, llm_concurrency=2, outputs=["jsonl"], progress=False
    )
    docs = [json.loads(line) for line in (tmp_path / "out" / "documents.jsonl").read_text().splitlines()]
    questions = sorted(doc["llm"]["usage"]["questions"] for doc in docs)
    assert questions == [1, 2] and sum(doc["llm"]["usage"]["calls"] for doc in docs) == result.llm["calls"]


def test_the_progress_bar_names_the_report_the_section_and_a_question_s_attempts(capsys):
    from extractor.models import ModelStep, Usage
    from extractor.progress import ModelProgress

    show = ModelProgress()
    show(ModelStep("in/report.txt", "t3", 0, 2, Usage()))
    show(ModelStep("in/report.txt", "t3", 1, 2, Usage(questions=1, calls=2, prompt_tokens=300), attempts=2))
    show(ModelStep("in/report.txt", "t3", 2, 2, Usage(questions=2, calls=3, prompt_tokens=400), attempts=1))
    shown = capsys.readouterr().err
    assert "model report.txt t3" in shown and "1/2" in shown and "2/2" in shown
    assert "2 calls, attempt 2" in shown and "3 calls, 0 cached, 400 tokens" in shown
    show.close()
