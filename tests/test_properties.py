"""Property tests: whatever the input, the extractor answers with a document, never a crash."""

from .conftest import needs

needs("hypothesis", extra="pip install -e '.[dev]'")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import extract, segmenting
from extractor.cells import table_rows
from extractor.decoding import decode
from extractor.errors import InputError
from extractor.reading import normalise
from extractor.values import VALUE_CELL, is_value

from .conftest import REPORTS, SEED_NAMES

PIECES = st.sampled_from(
    [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "2024年政府信息公开工作年度报告",
        "行政许可",
        "规章",
        "(七) 总计",
        "1. 属于国家秘密",
        "本年制发件数",
        "增 2",
        "减",
        "—",
        "/",
        "0",
        "7",
        "1,234",
        "12.5",
        "\t",
        "\n",
        "\n\n",
        " ",
        "|",
        "- 3 -",
        "第二十条第（一）项",
        "未收到申请",
        "微信公众号发布信息",
        "条",
        "收取信息处理费",
    ]
)

SEED = (REPORTS / f"{SEED_NAMES[1]}.txt").read_text(encoding="utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=80))
def test_random_report_like_text_never_crashes(parts):
    doc = extract("\n" + "".join(parts), name="random")
    assert doc.status in {"ok", "needs_review", "failed"}
    if doc.status == "ok":
        assert all(c.passed for c in doc.checks)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, len(SEED)), st.integers(0, 400), st.text(max_size=20))
def test_a_mangled_seed_never_crashes_and_never_claims_ok_with_a_failed_check(at, cut, insert):
    doc = extract(SEED[:at] + insert + SEED[at + cut :] + "\n", name="mangled")
    assert doc.status in {"ok", "needs_review", "failed"}
    if doc.status == "ok":
        assert all(c.passed for c in doc.checks)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_decode_or_give_a_reason(data):
    try:
        text, _ = decode(data)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(text, str)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalised_offsets_always_map_inside_the_decoded_text(text):
    src = normalise(text)
    for i in range(len(src.text)):
        assert 0 <= src.to_decoded(i) < len(text)


@given(st.from_regex(VALUE_CELL))
def test_every_value_is_told_by_its_first_character(text):
    """is_value tests a text's first character before VALUE_CELL: the grammar allows no other."""
    assert is_value(text)


CELL_LINES = st.lists(
    st.tuples(
        st.sampled_from(["\t", "|", " ", "  ", ""]), st.lists(st.one_of(PIECES, st.text(max_size=8)))
    ).map(lambda line: line[0].join(line[1])),
    max_size=40,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(CELL_LINES)
def test_a_rows_cells_all_stand_in_a_grid_or_none_does(text):
    """What the table parser takes a row's first cell to tell of the whole row."""
    for row in table_rows(text, 0, len(text)):
        assert len({cell.col >= 0 for cell in row}) <= 1, row


@given(st.from_regex(segmenting._STANDARD_TITLE, fullmatch=True))
def test_every_standard_title_holds_one_of_the_words_its_lines_are_found_by(title):
    assert any(word in title for word in segmenting._STANDARD_WORDS)


_TITLES = [
    "总体情况",
    "主动公开政府信息情况",
    "行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
]
_AROUND = ["\n", "\n\n", " ", "\t", "**", "# ", "一、", "1.", "（2）", "。", "行政复议", "x"]
HEADING_LINES = st.lists(st.sampled_from(_TITLES + _AROUND), max_size=10).map("".join)


@given(HEADING_LINES)
def test_standard_headings_found_on_their_words_lines_are_those_of_the_whole_scan(text):
    """The lines tried for a standard heading (those holding its words) miss none of the scan's."""
    whole = [m.span() for m in segmenting._STANDARD_HEADING_LINE.finditer(text)]
    assert [m.span() for m in segmenting._standard_heading_lines(text)] == whole
