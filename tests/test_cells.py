from extractor.cells import CellKind, table_rows


def texts(rows):
    return [[c.text for c in row] for row in rows]


def test_tab_rows_keep_empty_cells_and_spans():
    text = "行政许可\t136\t\t\n规章\t0\t/\t—\n"
    rows = table_rows(text, 0, len(text))
    assert texts(rows) == [["行政许可", "136", "", ""], ["规章", "0", "/", "—"], []]  # [] : the grid ends
    cell = rows[0][1]
    assert text[cell.start : cell.end] == "136"
    assert [c.kind for c in rows[1]] == [CellKind.LABEL, CellKind.VALUE, CellKind.VALUE, CellKind.VALUE]


def test_one_cell_per_line_with_wrapped_header_cells():
    lines = ["\t社会\n公益\n组织", "\t法律\n服务\n机构", "\t其他", ""] + ["\t行政许可", "\t150", ""] * 4
    text = "\n".join(lines)
    rows = table_rows(text, 0, len(text))
    assert texts(rows)[0] == ["社会公益组织", "法律服务机构", "其他"]
    assert texts(rows)[1] == ["行政许可", "150"]
    cell = rows[1][1]
    assert text[cell.start : cell.end] == "150"


def test_numbers_trailing_a_label_after_spaces_are_cells():
    text = "一、本年新收政府信息公开申请数量 6 0 0 0 0 0 6\n行政许可 增 2 103\n0 0 0\n1. 属于国家秘密\n"
    rows = texts(table_rows(text, 0, len(text)))
    assert rows[0] == ["一、本年新收政府信息公开申请数量", "6", "0", "0", "0", "0", "0", "6"]
    assert rows[1] == ["行政许可", "增 2", "103"]
    assert rows[2] == ["0", "0", "0"]
    assert rows[3] == ["1.属于国家秘密"]


def test_numbers_trailing_labels_set_far_apart_are_cells():
    """pandoc's simple tables pad every column with spaces: a row's labels stand a hundred
    characters and more apart from each other and from its numbers."""
    pad = " " * 70
    text = f"  三、本年度办理结果{pad}（一）予以公开{pad}{pad}0            27       0   28\n"
    rows = table_rows(text, 0, len(text))
    assert texts(rows)[0] == ["三、本年度办理结果（一）予以公开", "0", "27", "0", "28"]
    assert text[rows[0][2].start : rows[0][2].end] == "27"


def test_a_pipe_row_without_outer_pipes_keeps_its_empty_first_cells():
    """html2text writes pipe tables without outer pipes: a row whose first cells are empty then
    opens with a pipe, which is no outer pipe (the row does not end with one)."""
    text = "行政复议| 行政诉讼  \n---|---  \n| | 0| 1  \n| 规章 | 0 | 1 |\n"
    rows = texts(table_rows(text, 0, len(text)))
    assert rows[1] == ["", "", "0", "1"]
    assert rows[2] == ["规章", "0", "1"]  # outer pipes on both ends: not cells


def test_markdown_pipe_rows():
    text = "| 信息内容 | 本年制发件数 | 本年废止件数 |\n|---|---|---|\n| 规章 | 3 | 1 |\n"
    rows = table_rows(text, 0, len(text))
    assert texts(rows) == [["信息内容", "本年制发件数", "本年废止件数"], ["规章", "3", "1"], []]
    assert text[rows[1][1].start : rows[1][1].end] == "3"


def test_a_running_header_inside_a_table_is_no_row_and_does_not_break_the_grid():
    text = (
        "信息内容\t本年处理决定数量\n行政处罚\t9\n"
        "某某县人民政府2024年政府信息公开工作年度报告 第 2 页\n"
        "行政强制\t0\n"
    )
    rows = table_rows(text, 0, len(text))
    assert texts(rows)[:3] == [["信息内容", "本年处理决定数量"], ["行政处罚", "9"], ["行政强制", "0"]]


def test_a_flattened_line_of_words_and_numbers_apart_by_spaces_is_rows_of_cells():
    """A crawler's copy with a space between cells (行政许可 396 0 181), the whole table on one
    line: a printed row per run of words and the numbers after it, each number a cell as printed
    (增 2 one change); where words and digits touch, glued cells for the table reader to split."""
    spaced = "第二十条第（五）项 信息内容 上一年项目数量 本年增/减 处理决定数量 行政许可 396 增 2 181 "
    spaced += "其他对外管理服务事项 10 0 153 "
    text = spaced * 8  # a line far longer than a table row
    rows = table_rows(text, 0, len(text))
    assert texts(rows)[:2] == [
        ["第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可", "396", "增 2", "181"],
        ["其他对外管理服务事项", "10", "0", "153"],
    ]
    assert {c.kind for row in rows for c in row[1:]} == {CellKind.VALUE}
    glued = "行政许可3960181其他对外管理服务事项100153" * 20
    kinds = {c.kind for row in table_rows(glued, 0, len(glued)) for c in row[1:]}
    assert kinds == {CellKind.GLUED}


def test_a_sentence_with_a_date_before_a_flattened_table_is_no_row_and_no_part_of_a_label():
    """A crawler's copy printing a sentence under the table's heading (…情况2023年，本机关…如下。):
    the year, a share and a count in 条 are its words, no cells, and the sentence ends before the
    first row's label."""
    head = "三、收到和处理政府信息公开申请情况2023年12月，本机关收到和处理申请情况如下，占15.4%，共61条。"
    rows = "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3 二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0 "
    text = head + rows * 8  # (a line far longer than a table row)
    found = texts(table_rows(text, 0, len(text)))
    assert found[0] == ["一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "0", "3"]


def test_grid_rows_run_together_on_a_flattened_line_are_cut_where_a_row_ends():
    """A page's text with its line breaks made spaces and its tabs kept (a crawler's table,
    stripped of newlines to fit one record a line): a row ends at its last value where a space
    and the next row's label (after its empty first cells) follow; a cell's trailing space
    before a value is no row's end."""
    rows = "规章\t18\t14\t0 行政规范性文件\t1\t0 \t4 "
    rows += "\t（三）不予公开\t1.属于国家秘密\t0 \t\t2.其他法律行政法规禁止公开\t3 "
    text = rows * 8  # a line far longer than a table row
    found = [r for r in texts(table_rows(text, 0, len(text))) if r][:4]
    assert found == [
        ["规章", "18", "14", "0"],
        ["行政规范性文件", "1", "0", "4"],
        ["", "（三）不予公开", "1.属于国家秘密", "0"],
        ["", "", "2.其他法律行政法规禁止公开", "3"],
    ]


def _broken(head: str, rest: str) -> str:
    header = "| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n|---|---|---|---|\n\n"
    return header + head + "\n\n" + rest + "\n\n| 行政处罚 | 2 | 0 | 5 |\n"


def test_a_markdown_row_broken_between_its_cells_is_joined_where_one_side_prints_the_pipe():
    """docling writes each row of a PDF's table as a paragraph, and breaks a long one between two
    cells: the rest, values alone, is the next paragraph. Joined, each cell keeps its span."""
    for head, rest in (("| 行政许可 | 18 |", "0 | 211 |"), ("| 行政许可 | 18", "| 0 | 211 |")):
        text = _broken(head, rest)
        rows = [r for r in table_rows(text, 0, len(text)) if r]
        assert texts(rows)[1:] == [["行政许可", "18", "0", "211"], ["行政处罚", "2", "0", "5"]]
        cell = rows[1][3]
        assert text[cell.start : cell.end] == "211"


def test_a_markdown_row_is_not_joined_with_a_line_it_cannot_be_the_rest_of():
    for head, rest in (
        ("| 行政许可 | 18 |", "| 0 | 211 |"),  # a pipe each side: two rows
        ("| 行政许可 | 18", "0 | 211 |"),  # no pipe at the break: a cell may be cut in two
        ("| 行政许可 | 18 |", "0 | 211 | 3 |"),  # more cells than the table's columns
        ("| 行政许可 | 18 |", "规章 | 211 |"),  # a label: a row of its own
    ):
        text = _broken(head, rest)
        rows = [texts([r])[0] for r in table_rows(text, 0, len(text)) if r]
        assert ["行政许可", "18", "0", "211"] not in rows, (head, rest)
        assert not any("行政许可" in row and "211" in row for row in rows), (head, rest)  # never one row


def test_a_break_with_no_pipe_on_either_side_is_never_joined_even_where_the_count_would_fit():
    """``| 行政许可 | 18`` then ``0 | 211 |`` in a table of three columns: joined, 18 and 0 would
    make one cell (a number cut in two, or two numbers?), so the lines stay apart."""
    header = "| 信息内容 | 本年处理决定数量 | 备注 |\n|---|---|---|\n\n"
    text = header + "| 行政许可 | 18\n\n0 | 211 |\n\n| 行政处罚 | 2 | 5 |\n"
    rows = [texts([r])[0] for r in table_rows(text, 0, len(text)) if r]
    assert not any("行政许可" in row and "211" in row for row in rows)
