"""The catalog is the single source: a new prose fact is one entry, and every model, schema,
prompt list, output column and the rule reader follow it. Shown on a copy of the catalog."""

from __future__ import annotations

import re

from extractor import extract
from extractor.catalog import CATALOG, FactSpec, Format, ValueKind
from extractor.exports import wide_columns
from extractor.models import facts_model, report_model
from extractor.pipeline import Options

from .conftest import REPORTS, SEED_NAMES

DOUYIN = FactSpec(
    "overview.douyin_posts",
    ValueKind.COUNT,
    "抖音号发布信息数",
    "items published on the Douyin (抖音) account(s) that year",
    sections=("overview", "other"),
    piece="clause",
    topic=re.compile(r"抖音"),
    units="条|个|篇",
)
WITH_DOUYIN = CATALOG.with_fact(DOUYIN)


def test_the_new_fact_is_a_field_of_both_formats_and_an_output_column():
    for fmt in Format:
        assert "overview.douyin_posts" in WITH_DOUYIN.field_ids(fmt)
        assert "overview.douyin_posts" not in CATALOG.field_ids(fmt)  # the copy, not the original
        assert WITH_DOUYIN.labels(fmt)["overview.douyin_posts"] == ("抖音号发布信息数", "")
    assert "overview.douyin_posts" in wide_columns(WITH_DOUYIN)
    assert "overview.douyin_posts" not in wide_columns()


def test_the_new_fact_is_in_the_typed_models():
    overview = facts_model("overview", WITH_DOUYIN)
    assert "douyin_posts" in overview.model_fields
    assert overview.model_fields["douyin_posts"].annotation == int | None
    report = report_model(Format.F2021, WITH_DOUYIN).from_fields({"overview.douyin_posts": 41})
    assert report.overview.douyin_posts == 41


def test_the_rules_read_the_new_fact_with_its_evidence():
    text = (REPORTS / f"{SEED_NAMES[1]}.txt").read_text(encoding="utf-8")
    text = text.replace("一、总体情况\n", "一、总体情况\n本年度通过“偃师发布”抖音号发布短视频41条。\n", 1)
    doc = extract(text, options=Options(catalog=WITH_DOUYIN))
    assert doc.fields["overview.douyin_posts"] == 41
    evidence = doc.evidence["overview.douyin_posts"]
    assert text[evidence.start : evidence.end] == "41"
    assert "overview.douyin_posts" not in extract(text).fields  # the default catalog has no such fact


def test_a_clause_about_the_new_fact_with_two_counts_is_doubtful_and_flagged():
    text = (REPORTS / f"{SEED_NAMES[1]}.txt").read_text(encoding="utf-8")
    text = text.replace("一、总体情况\n", "一、总体情况\n抖音号发布短视频41条、图文12条。\n", 1)
    doc = extract(text, options=Options(catalog=WITH_DOUYIN))
    assert doc.fields["overview.douyin_posts"] is None
    assert doc.status == "needs_review"
    assert any("overview.douyin_posts" in c.fields for c in doc.failed_checks)
