"""Tables written as prose in the agency's own words: the suite's ``prose_tables`` layout with
most row labels reworded, so no label pattern of the standard form names the row (as some
small agencies write them: 本年度新接收的信息公开申请, 公开后可能危及国家安全…的), and with a
remark among the rows that is none of them (上述申请中通过网上平台提出的：…), so the order alone
cannot place the rows around it. A few labels keep their key words (国家秘密, 信访). The
column words stay as printed. Nothing here imports the extractor.

    python -m evals.paraphrase OUT_DIR [--count N] [--seed S]

writes ``reports/<name>.txt`` and ``gold/<name>.json`` (gold: the record), the same bytes on
every run; ``python -m extractor eval --reports OUT_DIR/reports --gold OUT_DIR/gold`` reads them.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from .generate import _gold, break_identity, random_record, render

# The standard form's labels as the prose layout prints them → in other words.
REWORDED = {
    # table 二
    "规章：": "本机关制定的规章：",
    "规范性文件：": "本机关出台的其他文件：",
    "行政规范性文件：": "本机关出台的其他文件：",
    "行政许可：": "许可类事项：",
    "其他对外管理服务事项：": "其他面向社会的管理服务事项：",
    "行政处罚：": "处罚类事项：",
    "行政强制：": "强制措施类事项：",
    "行政事业性收费：": "各项收费：",
    "政府集中采购：": "集中采购：",
    # table 三
    "本年新收政府信息公开申请：": "本年度新接收的信息公开申请：",
    "上年结转政府信息公开申请：": "从上一年度转来的申请：",
    "（一）予以公开：": "（一）全部公开的：",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）：": "（二）区分处理、只公开其中一些内容的：",
    "2.其他法律行政法规禁止公开：": "2.法律法规不允许公开的：",
    "3.危及“三安全一稳定”：": "3.公开后可能危害国家安全、公共安全、经济安全和社会稳定的：",
    "4.保护第三方合法权益：": "4.公开会损害他人合法权益的：",
    "5.属于三类内部事务信息：": "5.属于机关内部人事、财务等管理信息的：",
    "6.属于四类过程性信息：": "6.属于讨论、研究、请示过程中形成的信息的：",
    "7.属于行政执法案卷：": "7.属于执法办案材料的：",
    "8.属于行政查询事项：": "8.可以通过查询渠道获取的：",
    "（四）无法提供1.本机关不掌握相关政府信息：": "（四）无法提供1.本机关没有该信息的：",
    "2.没有现成信息需要另行制作：": "2.需要另外加工整理才能提供的：",
    "3.补正后申请内容仍不明确：": "3.经补正仍说不清要什么信息的：",
    "2.重复申请：": "2.同一申请人再次提出相同申请的：",
    "3.要求提供公开出版物：": "3.要求提供报刊、书籍等出版物的：",
    "4.无正当理由大量反复申请：": "4.没有正当理由多次、大批量申请的：",
    "5.要求行政机关确认或重新出具已获取信息：": "5.要求确认或再次出具已经得到的信息的：",
    "（六）其他处理：": "（六）以其他方式处理的：",
    "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请：": (
        "（六）其他处理1.申请人超过期限仍未补充材料、本机关不再办理的："
    ),
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请：": (
        "2.申请人超过期限未交费、本机关不再办理的："
    ),
    "3.其他：": "3.其余情形：",
    "办理结果总计：": "以上办理结果合计：",
    "结转下年度继续办理：": "转入下一年度办理的：",
    # table 四
    "行政复议：": "针对本机关的复议案件：",
    "未经复议直接起诉的行政诉讼：": "直接向法院起诉的案件：",
    "复议后起诉的行政诉讼：": "经过复议后又起诉的案件：",
}


# A remark printed after a row, stating a part of it: none of the table's rows.
REMARKS = {
    "（一）予以公开：": "上述申请中通过网上平台提出的",
    "规章：": "上述规章中本年修订的",
}


def reword(text: str, rng: random.Random) -> str:
    """The text with each standard label at the start of a line replaced by its rewording, and
    a remark after the rows of :data:`REMARKS` stating some of their numbers again."""
    lines = []
    for line in text.split("\n"):
        remark = next((words for label, words in REMARKS.items() if line.startswith(label)), None)
        for label, words in REWORDED.items():
            if line.startswith(label):
                line = words + line[len(label) :]
                break
        lines.append(line)
        if remark:
            lines.append(
                remark
                + "："
                + re.sub(r"\d+", lambda m: str(rng.randint(0, int(m.group()))), line.split("：", 1)[1])
            )
    return "\n".join(lines)


def generate(count: int, seed: int) -> list[tuple[str, str, dict]]:
    """``count`` reports as ``(name, text, gold)``; every tenth breaks its own identity."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        record = random_record(rng)
        if i % 10 == 9:
            record = break_identity(record, rng)
        name = f"para_{i:04d}_prose_reworded"
        text = reword(render(record, "prose_tables", rng), rng)
        origin = "generated: the record is the gold; the prose layout with its labels reworded"
        out.append((name, text, _gold(name, ".txt", record, "prose_reworded", None, origin)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    for folder in ("reports", "gold"):
        (args.out / folder).mkdir(parents=True, exist_ok=True)
    for name, text, gold in generate(args.count, args.seed):
        (args.out / "reports" / f"{name}.txt").write_text(text, encoding="utf-8")
        (args.out / "gold" / f"{name}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    print(f"{args.count} reports with their gold written under {args.out}")


if __name__ == "__main__":
    main()
