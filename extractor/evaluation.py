"""Evaluation: field accuracy of the extractor against gold files read by hand.

A gold file ``evals/<set>/gold/<name>.json`` holds ``{"source": ..., "format": ...,
"fields": {field id: value}, "expected_status": ..., "checked": {...}}`` and, where the copy
itself cannot settle a cell, ``"undeterminable": {field id: reason}``. Accuracy is reported
over all gold fields, over the fields whose gold is non-zero and non-null (most cells are 0,
so plain accuracy flatters) beside an all-zeros baseline, and over the determinable fields.

A wrong value is *silent* in a report whose status is ``ok``, and *unflagged* in a
``needs_review`` report when no failed check names its field: both are what a user cannot
see. A wrong value named by a failed check is flagged, the honest outcome.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import section_of
from .models import Document, Value, same_value
from .pipeline import Options, extract

SECTIONS = ("meta", "overview", "t2", "t3", "t4")


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def merge(self, other: Tally) -> None:
        self.right += other.right
        self.total += other.total

    @property
    def rate(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass
class ReportScore:
    name: str
    status: str
    expected_status: str | None
    seconds: float
    layout: str = "sample"
    pages: int = 0  # of a scan read by OCR
    all_fields: Tally = field(default_factory=Tally)
    nonzero: Tally = field(default_factory=Tally)
    baseline: Tally = field(default_factory=Tally)
    sections: dict[str, Tally] = field(default_factory=lambda: {s: Tally() for s in SECTIONS})
    wrong: dict[str, dict[str, Value]] = field(default_factory=dict)
    unflagged: dict[str, dict[str, Value]] = field(default_factory=dict)
    determinable: Tally = field(default_factory=Tally)
    llm_only: Tally = field(default_factory=Tally)  # the model's own answers, before merging
    llm_prose: Tally = field(default_factory=Tally)
    llm_usage: dict[str, float] = field(default_factory=dict)

    @property
    def silent_errors(self) -> int:
        return len(self.wrong) if self.status == "ok" else 0

    @property
    def values_in_ok(self) -> int:
        """Values this report vouches for: all of them when its status is ``ok``."""
        return self.all_fields.total if self.status == "ok" else 0


def score(doc: Document, gold: dict, name: str, seconds: float) -> ReportScore:
    """Compare one document with its gold file."""
    result = ReportScore(name, doc.status, gold.get("expected_status"), seconds, gold.get("layout", "sample"))
    result.pages = doc.ocr.pages if doc.ocr is not None else 0
    undeterminable = gold.get("undeterminable", {})
    flagged = {f for check in doc.failed_checks for f in check.fields}
    for field_id, want in gold["fields"].items():
        got = doc.fields.get(field_id)
        ok = same_value(got, want)
        result.all_fields.add(ok)
        result.sections[section_of(field_id)].add(ok)
        result.baseline.add(same_value(0, want))
        if want not in (0, None):
            result.nonzero.add(ok)
        if field_id not in undeterminable:
            result.determinable.add(ok)
        if not ok:
            result.wrong[field_id] = {"got": got, "gold": want}
            if doc.status != "ok" and field_id not in flagged:
                result.unflagged[field_id] = {"got": got, "gold": want}
    if doc.llm is not None:
        for field_id, got in doc.llm.fields.items():
            if field_id in gold["fields"]:
                ok = same_value(got, gold["fields"][field_id])
                result.llm_only.add(ok)
                if section_of(field_id) == "overview":
                    result.llm_prose.add(ok)
        result.llm_usage = dict(doc.llm.usage)
    return result


def load_gold(gold_dir: Path, layouts: set[str] | None = None, per_layout: int | None = None) -> list[dict]:
    """The gold files, optionally of some layouts only and at most ``per_layout`` of each."""
    golds: list[dict] = []
    taken: Counter[str] = Counter()
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        layout = gold.get("layout", "sample")
        if (layouts and layout not in layouts) or (per_layout is not None and taken[layout] >= per_layout):
            continue
        taken[layout] += 1
        golds.append(gold)
    return golds


def evaluate(reports: Path, golds: list[dict], options: Options | None = None) -> list[ReportScore]:
    """Extract every report that has a gold file and score it."""
    scores = []
    for gold in golds:
        report = reports / Path(gold["source"]).name
        began = time.perf_counter()
        doc = extract(report, options=options)
        scores.append(score(doc, gold, report.name, time.perf_counter() - began))
    return scores


def _figures(scores: list[ReportScore]) -> dict:
    """Accuracy, reports read fully right, silent and unflagged errors, status as expected."""
    fields, nonzero, determinable, prose, tables = Tally(), Tally(), Tally(), Tally(), Tally()
    for s in scores:
        fields.merge(s.all_fields)
        nonzero.merge(s.nonzero)
        determinable.merge(s.determinable)
        prose.merge(s.sections["overview"])
        for section in ("meta", "t2", "t3", "t4"):
            tables.merge(s.sections[section])
    n = len(scores) or 1
    pages = sum(s.pages for s in scores)
    return {
        "reports": len(scores),
        "seconds_per_page": sum(s.seconds for s in scores if s.pages) / pages if pages else None,
        "accuracy_all": fields.rate,
        "accuracy_nonzero": nonzero.rate,
        "accuracy_determinable": determinable.rate,
        "accuracy_tables_and_meta": tables.rate,
        "accuracy_prose": prose.rate,
        "reports_all_right": sum(not s.wrong for s in scores) / n,
        "silent_errors": sum(s.silent_errors for s in scores),
        "unflagged_errors": sum(len(s.unflagged) for s in scores),
        "status_as_expected": _share(s.status == s.expected_status for s in scores if s.expected_status),
    }


def _share(outcomes: Iterable[bool]) -> float | None:
    seen = list(outcomes)
    return sum(seen) / len(seen) if seen else None


def summary(scores: list[ReportScore]) -> dict:
    """The overall figures of a run."""
    baseline = Tally()
    sections = {s: Tally() for s in SECTIONS}
    llm_only, llm_prose = Tally(), Tally()
    usage: dict[str, float] = {}
    for s in scores:
        baseline.merge(s.baseline)
        for name, tally in s.sections.items():
            sections[name].merge(tally)
        llm_only.merge(s.llm_only)
        llm_prose.merge(s.llm_prose)
        for key, value in s.llm_usage.items():
            usage[key] = usage.get(key, 0) + value
    n = len(scores) or 1
    overall = _figures(scores)
    vouched = sum(s.values_in_ok for s in scores)
    return {
        **overall,
        "layouts": _by_layout(scores),
        "silent_error_rate": overall["silent_errors"] / vouched if vouched else None,
        "baseline_all_zeros": baseline.rate,
        "sections": {name: t.rate for name, t in sections.items()},
        "ms_per_report": 1000 * sum(s.seconds for s in scores) / n,
        "llm_only_accuracy": llm_only.rate,
        "llm_only_prose_accuracy": llm_prose.rate,
        "llm_usage": usage,
        "llm_usage_per_report": {key: value / n for key, value in usage.items()},
    }


def _by_layout(scores: list[ReportScore]) -> dict[str, dict]:
    """The figures of each layout."""
    groups: dict[str, list[ReportScore]] = defaultdict(list)
    for s in scores:
        groups[s.layout].append(s)
    return {layout: _figures(group) for layout, group in sorted(groups.items())}


def render_layouts(overall: dict) -> str:
    """Accuracy per layout (or per converter), for runs over the generated or converted sets."""
    head = (
        f"{'layout':34} {'reports':>7} {'all%':>6} {'nz%':>6} {'tab%':>6} {'prose%':>6} {'right%':>6} "
        f"{'silent':>6} {'unflag':>6} {'status%':>7} {'s/page':>6}"
    )
    lines = [head, "-" * len(head)]
    for layout, o in overall["layouts"].items():
        lines.append(
            f"{layout[:34]:34} {o['reports']:7d} {_pct(o['accuracy_all'])} {_pct(o['accuracy_nonzero'])} "
            f"{_pct(o['accuracy_tables_and_meta'])} {_pct(o['accuracy_prose'])} "
            f"{_pct(o['reports_all_right'])} {o['silent_errors']:6d} {o['unflagged_errors']:6d} "
            f"{_pct(o['status_as_expected']):>7} "
            + (f"{o['seconds_per_page']:6.2f}" if o["seconds_per_page"] is not None else f"{'—':>6}")
        )
    rate = overall["silent_error_rate"]
    lines.append(
        f"silent-error rate: {overall['silent_errors']} wrong values in reports whose status is ok"
        + (f", {100 * rate:.3f} % of the values those reports vouch for" if rate is not None else "")
    )
    return "\n".join(lines)


def _pct(rate: float | None) -> str:
    return "   —  " if rate is None else f"{100 * rate:6.1f}"


def render(scores: list[ReportScore], overall: dict) -> str:
    """A table for people: per report (in a large run, only the reports with a wrong value or an
    unexpected status), then overall."""
    head = f"{'report':28} {'status':13} {'all%':>6} {'nz%':>6} {'0-base':>6} " + " ".join(
        f"{s:>6}" for s in SECTIONS
    )
    lines = [head, "-" * len(head)]
    shown = scores if len(scores) <= 30 else [s for s in scores if s.wrong or s.status != s.expected_status]
    for s in shown:
        lines.append(
            f"{s.name[:28]:28} {s.status:13} {_pct(s.all_fields.rate)} {_pct(s.nonzero.rate)} "
            f"{_pct(s.baseline.rate)} " + " ".join(_pct(t.rate) for t in s.sections.values())
        )
        lines.extend(
            f"    wrong {f}: got {v['got']!r}, gold {v['gold']!r}"
            + (" UNFLAGGED" if f in s.unflagged else "")
            for f, v in s.wrong.items()
        )
    lines.append("-" * len(head))
    lines.append(
        f"{'overall':28} {'':13} {_pct(overall['accuracy_all'])} {_pct(overall['accuracy_nonzero'])} "
        f"{_pct(overall['baseline_all_zeros'])} " + " ".join(_pct(r) for r in overall["sections"].values())
    )
    lines.append(
        f"tables and meta: {_pct(overall['accuracy_tables_and_meta']).strip()} %   "
        f"prose facts: {_pct(overall['accuracy_prose']).strip()} %   "
        f"determinable fields: {_pct(overall['accuracy_determinable']).strip()} %"
    )
    lines.append(
        f"reports with every field right: {100 * overall['reports_all_right']:.1f} %   "
        f"silent errors (wrong values in status ok): {overall['silent_errors']}   "
        f"unflagged (wrong, in needs_review, named by no failed check): {overall['unflagged_errors']}   "
        f"status as expected: {_pct(overall['status_as_expected']).strip()} %   "
        f"ms per report: {overall['ms_per_report']:.2f}"
    )
    usage = overall["llm_usage_per_report"]
    if usage:
        lines.append(
            f"model: {usage.get('calls', 0):.1f} calls, {usage.get('cache_hits', 0):.1f} cache hits, "
            f"{usage.get('prompt_tokens', 0):.0f} prompt + {usage.get('completion_tokens', 0):.0f} "
            f"completion tokens, {usage.get('seconds', 0):.1f} s per report;   the model's own answers: "
            f"{_pct(overall['llm_only_accuracy']).strip()} % of fields asked, "
            f"{_pct(overall['llm_only_prose_accuracy']).strip()} % of prose facts"
        )
    return "\n".join(lines)


def compare(results: dict[str, dict]) -> str:
    """The modes side by side: the same reports, the same metrics."""
    names = ("all%", "nz%", "prose%", "model%", "silent", "calls", "tokens", "s/rep")
    head = f"{'mode':10} " + " ".join(f"{name:>7}" for name in names)
    lines = [head, "-" * len(head)]
    for mode, result in results.items():
        o = result["overall"]
        usage = o["llm_usage_per_report"]
        tokens = usage.get("prompt_tokens", 0) + usage.get("completion_tokens", 0)
        rates = (o["accuracy_all"], o["accuracy_nonzero"], o["sections"]["overview"], o["llm_only_accuracy"])
        costs = f"{usage.get('calls', 0):7.1f} {tokens:7.0f} {usage.get('seconds', 0):7.1f}"
        rates_text = " ".join(f"{_pct(rate):>7}" for rate in rates)
        lines.append(f"{mode:10} {rates_text} {o['silent_errors']:7d} {costs}")
    lines.append("model% = the model's own answers before merging, over the fields it was asked")
    return "\n".join(lines)


def results_json(scores: list[ReportScore], overall: dict) -> dict:
    return {
        "overall": overall,
        "reports": [
            {
                "name": s.name,
                "layout": s.layout,
                "status": s.status,
                "expected_status": s.expected_status,
                "seconds": s.seconds,
                "wrong": s.wrong,
                "unflagged": s.unflagged,
                "accuracy_all": s.all_fields.rate,
                "accuracy_nonzero": s.nonzero.rate,
                "baseline_all_zeros": s.baseline.rate,
                "sections": {name: t.rate for name, t in s.sections.items()},
                "silent_errors": s.silent_errors,
                "llm_only_accuracy": s.llm_only.rate,
                "llm_usage": s.llm_usage,
            }
            for s in scores
        ],
    }
