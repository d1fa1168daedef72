"""Statements of a table section: labels, values with their spans, rows and columns by the rules."""

from __future__ import annotations

from extractor.catalog import T2_2019, T2_2021, T3_2021, T4
from extractor.reading import read_text
from extractor.statements import column_choices, columns_of, find_statements, rows_named
from extractor.values import ValueKind


def _statements(text: str):
    normalised = read_text(text).text  # full-width punctuation folded, as every reader sees it
    return normalised, find_statements(normalised, 0, len(normalised))


def test_a_sentence_is_cut_into_its_label_and_values_each_with_its_column_words_and_span():
    text, [s] = _statements("规章：本年新制作数量0，本年新公开数量16，对外公开总数量未填报。")
    assert s.label == "规章"
    assert [(i.words, text[i.start : i.end], i.blank) for i in s.items] == [
        ("本年新制作数量", "0", False),
        ("本年新公开数量", "16", False),
        ("对外公开总数量", "未填报", True),
    ]
    assert columns_of(T2_2019.rows[0], s) == dict(zip(T2_2019.rows[0].columns, s.items, strict=True))
    assert s.items[1].value(text, ValueKind.COUNT) == 16 and s.items[2].value(text, ValueKind.COUNT) is None


def test_a_change_keeps_its_sign_but_not_the_title_s_and_a_blank_may_carry_a_unit():
    text, [change, blank] = _statements(
        "行政许可：上一年项目数量24，本年增/减减 4，处理决定数量210。\n"
        "行政复议：结果维持未填报件，结果纠正2件。"
    )
    assert [text[i.start : i.end] for i in change.items] == ["24", "减 4", "210"]
    assert change.items[1].value(text, ValueKind.CHANGE) == -4
    _, zero = _statements("行政处罚：上一年项目数量2，本年增/减0，处理决定数量207。")
    assert [i.words for i in zero[0].items] == ["上一年项目数量", "本年增/减", "处理决定数量"]
    assert [(i.words, i.blank) for i in blank.items] == [("结果维持", True), ("结果纠正", False)]


def test_numbering_dates_and_ordinals_are_not_values():
    _, [s] = _statements("（三）不予公开1.属于国家秘密：自然人29件，商业企业0件，总计29件。")
    assert s.label == "(三)不予公开1.属于国家秘密" and len(s.items) == 3
    _, [row] = _statements("(三) 不予公开\t1. 属于国家秘密\t0\t0\t0\t0\t0\t0\t0")
    assert row.label == "(三) 不予公开\t1. 属于国家秘密" and len(row.items) == 7
    assert rows_named(T3_2021, row.label) == (T3_2021.rows.index(T3_2021.row("withheld_state_secret")),)
    _, none = _statements("2024年，第2项工作\n第二十条第（一）项")
    assert none == []


def test_rows_named_by_the_catalog_labels_and_none_for_other_words():
    assert [T3_2021.rows[i].id for i in rows_named(T3_2021, "办理结果总计")] == ["total"]
    assert [T4.rows[i].id for i in rows_named(T4, "未经复议直接起诉的行政诉讼")] == ["litigation_direct"]
    assert rows_named(T3_2021, "（一）全部公开的") == ()
    assert rows_named(T2_2021, "本机关制定的规章") == ()  # ^规章$: only the label itself


def test_columns_by_title_by_order_or_left_open():
    text, [by_title, by_order, short, reworded] = _statements(
        "本年新收：科研机构1件，自然人38件，其他法人或其他组织8件，总计47件。\n"
        "一、本年新收政府信息公开申请数量\t6\t0\t0\t0\t0\t0\t6\n"
        "| 规章 | 22 | 235 |\n"
        "行政复议：维持原决定的2件，结果纠正0件。"
    )
    row = T3_2021.row("new_received")
    assert {c: text[i.start : i.end] for c, i in columns_of(row, by_title).items()} == {
        "research": "1", "natural_person": "38", "other_org": "8", "total": "47",
    }  # fmt: skip
    assert list(columns_of(row, by_order)) == list(row.columns)
    assert columns_of(T2_2021.row("regulations"), short) is None  # 2 values, 3 columns, no words
    assert column_choices(T2_2021.row("regulations"), short) == [(), ()]
    review = T4.row("review")
    assert columns_of(review, reworded) is None
    assert column_choices(review, reworded) == [(0, 1, 2, 3, 4), (1,)]  # 维持原决定的: the model's to read


def test_every_value_s_span_says_its_value():
    text, statements = _statements(
        "规章：本年新制作数量1,200，本年新公开数量16，对外公开总数量/。\n行政事业性收费：本年收费金额（单位：万元）12.5。"
    )
    spans = [(text[i.start : i.end], i.value(text, ValueKind.MONEY)) for s in statements for i in s.items]
    assert spans == [("1,200", 1200), ("16", 16), ("/", None), ("12.5", 12.5)]


def _prose_report(seed: int):
    import random

    from evals.generate import random_record, render_file

    rng = random.Random(seed)
    record = random_record(rng, fmt="2021")
    return render_file(record, "prose_tables", rng)[1], record


def _wrong(doc, record) -> dict:
    return {f: (doc.fields.get(f), v) for f, v in record.items() if f in doc.fields and doc.fields[f] != v}


def test_tables_written_in_sentences_are_read_by_the_rules_alone_each_value_at_its_span():
    from extractor import extract

    text, record = _prose_report(5)
    doc = extract(text, name="prose.txt")
    assert _wrong(doc, record) == {}
    for field_id, evidence in doc.evidence.items():
        if field_id.startswith("t3.") and doc.fields[field_id] is not None:
            assert evidence.text == str(doc.fields[field_id])  # the printed number, where it stands


def test_a_row_in_other_words_and_a_remark_among_the_rows_leave_rows_unread_and_named_never_guessed():
    """The rules place a statement on a row by its label, or by order only where the count of
    statements between two placed ones is that of the rows between: a reworded row next to a
    remark is neither, so its row and its neighbours' stay unread, each named by read.t3."""
    from extractor import extract

    text, record = _prose_report(5)
    remark = "上述申请中通过网上平台提出的：自然人1件，商业企业0件，科研机构0件，总计1件。\n"
    text = text.replace("（一）予以公开：", remark + "（一）全部公开的：")
    doc = extract(text, name="prose.txt")
    wrong = _wrong(doc, record)
    named = {f for c in doc.failed_checks if c.id == "read.t3" for f in c.fields}
    assert doc.status == "needs_review"
    assert {f"t3.granted.{c}" for c in ("natural_person", "total")} <= named
    assert wrong and all(got is None for got, _ in wrong.values())  # unread, never misread
    assert set(wrong) <= named


def test_a_fee_stated_in_yuan_is_doubtful_as_the_column_is_in_wan_yuan():
    from extractor import extract

    text, _ = _prose_report(5)
    line = next(x for x in text.splitlines() if x.startswith("行政事业性收费"))
    for stated, confident in (("本年收费金额3800元", False), ("本年收费金额0.38万元", True)):
        doc = extract(text.replace(line, f"行政事业性收费：{stated}。"), name="prose.txt")
        named = {f for c in doc.failed_checks for f in c.fields}
        assert ("t2.fees.amount" not in named) is confident
