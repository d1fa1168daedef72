"""The output follows shared/spec/output.md: keys, every field of the format, evidence offsets."""

import json

import pytest

from extractor import extract
from extractor.catalog import Format, field_ids
from extractor.reading import normalise

from .conftest import REPORTS, SEED_NAMES


@pytest.mark.parametrize("name", SEED_NAMES)
def test_document_shape_and_evidence_point_at_the_values(name):
    path = REPORTS / f"{name}.txt"
    doc = json.loads(extract(path).model_dump_json())
    assert {"schema_version", "source", "status", "format", "fields", "evidence", "checks", "error"} <= set(
        doc
    )
    assert doc["schema_version"] == "1" and doc["error"] is None
    assert tuple(doc["fields"]) == field_ids(Format(doc["format"]))
    decoded = path.read_text(encoding="utf-8")
    for field_id, value in doc["fields"].items():
        if value is None or field_id == "meta.format":
            continue
        ev = doc["evidence"][field_id]
        assert ev["method"] == "rule"
        quoted = normalise(decoded[ev["start"] : ev["end"]]).text
        if isinstance(value, str):
            assert quoted == value
        elif quoted[:1].isdigit():
            assert float(quoted.replace(",", "")) == value, field_id
        elif quoted[:1] in "增减":  # a signed change, 增 2 or 减 4
            assert (1 if quoted[0] == "增" else -1) * int(quoted[1:]) == value
        else:
            assert value == 0  # 0 stated in words, such as 未收到
    for check in doc["checks"]:
        assert set(check) == {"id", "passed", "fields", "detail"}
        assert all(f in doc["fields"] for f in check["fields"])


def test_evidence_offsets_are_into_the_decoded_text_not_the_normalised_one():
    text = "\r\n".join((REPORTS / f"{SEED_NAMES[1]}.txt").read_text(encoding="utf-8").split("\n"))
    text = text.replace("行政许可\t1130", "行政许可\t１１３０")
    doc = extract(text)
    ev = doc.evidence["t2.licensing.decisions"]
    assert text[ev.start : ev.end] == "１１３０"
    assert doc.fields["t2.licensing.decisions"] == 1130


def test_typed_report_model():
    doc = extract(REPORTS / f"{SEED_NAMES[1]}.txt")
    report = doc.report()
    assert report.t3.new_received.natural_person == 6
    assert report.t2.licensing.decisions == 1130
    assert report.meta.agency == doc.fields["meta.agency"]
