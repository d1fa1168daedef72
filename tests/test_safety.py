"""The safety rules, pinned: how rule and model readings merge, when a report is ``ok``, and what
sends a section to the model. Each rule here is one a silent change could break without any
other test noticing; the end-to-end versions with a model are in test_llm_faults."""

from __future__ import annotations

from extractor import extract
from extractor.catalog import Format
from extractor.merge import combine, status_of
from extractor.models import Check, FieldReading, Problem, Reading
from extractor.pipeline import checks_of, llm_tasks, read_by_rules
from extractor.reading import read_text
from extractor.segmenting import find_sections

from .conftest import REPORTS, SEED_NAMES

FIELD = "t3.granted.natural_person"
SEED = REPORTS / f"{SEED_NAMES[1]}.txt"  # 偃师区: read cleanly, status ok


def rule(value, confident=True):
    return FieldReading(value, 10 if value is not None else None, 11 if value is not None else None,
                        confident=confident)  # fmt: skip


def model(value, confident=True):
    return FieldReading(value, 20, 21, method="llm", confident=confident)


# --- merge ----------------------------------------------------------------------------


def test_a_disagreement_is_a_failed_agree_check_and_the_confident_rule_value_stands():
    merged, checks, _ = combine({FIELD: rule(5)}, {FIELD: model(6)})
    assert merged[FIELD].value == 5 and merged[FIELD].method == "rule"
    assert [(c.id, c.passed, c.fields) for c in checks] == [(f"agree.{FIELD}", False, [FIELD])]


def test_agreement_is_recorded_as_both_and_makes_no_check():
    merged, checks, _ = combine({FIELD: rule(5)}, {FIELD: model(5)})
    assert merged[FIELD].value == 5 and merged[FIELD].method == "rule+llm"
    assert checks == []


def test_the_model_fills_only_what_the_rules_could_not_read():
    merged, checks, _ = combine({}, {FIELD: model(7)})  # a row the rules did not find
    assert merged[FIELD].value == 7 and checks == []
    merged, checks, _ = combine({FIELD: rule(None, confident=False)}, {FIELD: model(7)})  # a doubtful gap
    assert merged[FIELD].value == 7 and checks == []


def test_a_gap_the_rules_read_as_not_stated_is_never_filled_silently():
    merged, checks, _ = combine({FIELD: rule(None)}, {FIELD: model(7)})
    assert merged[FIELD].value is None
    assert [c.id for c in checks if not c.passed] == [f"agree.{FIELD}"]


def test_a_doubtful_rule_value_gives_way_to_the_model_but_the_disagreement_is_flagged():
    merged, checks, _ = combine({FIELD: rule(5, confident=False)}, {FIELD: model(6)})
    assert merged[FIELD].value == 6
    assert [c.id for c in checks] == [f"agree.{FIELD}"]


def test_a_model_reading_nothing_confirms_never_outweighs_a_confident_rule_reading():
    merged, checks, notes = combine({FIELD: rule(5)}, {FIELD: model(6, confident=False)})
    assert merged[FIELD].value == 5 and merged[FIELD].method == "rule" and merged[FIELD].confident
    assert checks == [] and notes == [f"{FIELD}: the model read 6, unconfirmed; the rules' stands"]
    merged, checks, _ = combine({FIELD: rule(5, confident=False)}, {FIELD: model(6, confident=False)})
    assert merged[FIELD].value == 6 and not merged[FIELD].confident  # still doubtful
    assert [c.id for c in checks] == [f"agree.{FIELD}"]


def test_a_blank_the_model_reads_with_confidence_fills_an_unread_cell_a_doubtful_one_does_not():
    unread = {FIELD: rule(None, confident=False)}
    merged, _, _ = combine(unread, {FIELD: FieldReading(None, 20, 23, method="rule")})  # 未填报 at its span
    assert merged[FIELD].confident and merged[FIELD].start == 20
    merged, _, _ = combine(unread, {FIELD: FieldReading(None, None, None, method="llm", confident=False)})
    assert merged[FIELD] is unread[FIELD]


def test_the_same_method_twice_is_named_once():
    merged, _, _ = combine({FIELD: rule(5)}, {FIELD: rule(5)})
    assert merged[FIELD].method == "rule"


# --- status ------------------------------------------------------------------------------


def test_status_is_ok_only_when_every_check_passed():
    passed = Check("t3.row_sum.total", True, [FIELD])
    assert status_of([passed, passed]) == "ok"
    assert status_of([passed, Check("agree.x", False, [FIELD])]) == "needs_review"


def test_a_value_read_without_confidence_is_named_by_a_failed_check():
    text = SEED.read_text(encoding="utf-8")
    assert extract(text).status == "ok"
    # one clause, two counts: the rules cannot tell which is the WeChat posts
    doc = extract(text.replace("一、总体情况", "一、总体情况\n通过微信公众号发布信息 30 条、视频 12 条。", 1))
    failed = {c.id: c for c in doc.failed_checks}
    assert doc.status == "needs_review"
    assert "overview.wechat_posts" in failed["read.overview"].fields
    assert doc.fields["overview.wechat_posts"] is None


# --- the triggers of the fallback -------------------------------------------------------


def _clean_reading() -> Reading:
    return Reading({FIELD: rule(1), "t2.licensing.decisions": rule(3)})


def test_a_clean_reading_sends_nothing_to_the_model_in_fallback():
    assert llm_tasks("fallback", _clean_reading(), [Check("t3.row_sum.granted", True, [FIELD])]) == []


def test_a_failed_check_alone_sends_its_section_to_the_model():
    checks = [Check("t3.row_sum.granted", False, [FIELD, "t3.granted.total"])]
    assert llm_tasks("fallback", _clean_reading(), checks) == ["t3"]


def test_a_value_read_without_confidence_alone_sends_its_section_to_the_model():
    reading = _clean_reading()
    reading.fields["overview.wechat_posts"] = rule(None, confident=False)
    assert llm_tasks("fallback", reading, []) == ["prose"]


def test_a_problem_alone_sends_its_section_to_the_model():
    reading = _clean_reading()
    reading.problems.append(Problem("row total not found", ("t4.review.total",)))
    assert llm_tasks("fallback", reading, []) == ["t4"]
    reading.problems.append(Problem("meta.year not found in the title", ("meta.year",)))
    assert llm_tasks("fallback", reading, []) == ["meta", "t4"]


def test_always_and_only_ask_for_every_section():
    assert llm_tasks("always", _clean_reading(), []) == ["t2", "t3", "t4", "prose"]
    assert llm_tasks("only", _clean_reading(), []) == ["meta", "t2", "t3", "t4", "prose"]


def test_the_fallback_triggers_on_a_real_document_with_a_broken_identity():
    text = SEED.read_text(encoding="utf-8")
    broken = text.replace("(七) 总计\t\t6\t0\t0\t0\t0\t0\t6\t", "(七) 总计\t\t7\t0\t0\t0\t0\t0\t7\t")
    assert broken != text
    src = read_text(broken)
    fmt, reading = read_by_rules(src.text, find_sections(src.text))
    assert fmt == Format.F2021 and not reading.problems
    assert llm_tasks("fallback", reading, checks_of(reading, fmt, src.text)) == ["t3"]
