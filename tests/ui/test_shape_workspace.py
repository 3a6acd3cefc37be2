"""The 工作组 page's shaping, without Streamlit, on the store's hand-worked rounds (tests/fixtures/store/firms.py:
from round A, gate 30, to round B, gate 20, 乙 and 丁 enter, 丙 leaves)."""

from __future__ import annotations

import pandas as pd
import pytest

from screening.store.access import local_actor
from screening.store.compare import compare_rounds
from screening.store.meeting import build_pack, final_decisions, record_decisions
from screening.store.opinions import add_opinion, firm_opinions, missing_opinions, opinions_frame
from screening.store.rounds import list_rounds, round_info, round_snapshot
from tests.conftest import minimal_rules
from tests.fixtures.store.firms import NAMES
from tests.store.conftest import two_rounds, ws  # noqa: F401 - the store's fixtures, used here too
from tests.store.test_meeting import _filled
from ui.shape import workspace as shape

PARKS = {"test-park": "测试园"}


def test_rounds_are_listed_in_words_newest_first(two_rounds):  # noqa: F811
    frame = shape.rounds_table(list_rounds(two_rounds), PARKS, "zh")
    assert frame["轮次"].tolist() == ["B", "A"]
    assert frame["园区"].tolist() == ["测试园", "测试园"]
    assert frame[["准予入园", "待复核", "不予入园"]].to_numpy().tolist() == [[3, 1, 1], [2, 1, 1]]
    assert frame["调整的参数"].tolist() == [1, 0]
    assert frame["保存人"].tolist() == ["李四", "张三"]


def test_a_round_s_facts_name_the_parameter_by_its_label(two_rounds):  # noqa: F811
    facts = shape.round_facts(round_info(two_rounds, "B"), PARKS, minimal_rules(), "zh").set_index("项目")["内容"]
    assert facts["园区"] == "测试园"
    assert facts["调整的参数"] == "亩均税收门槛（万元/亩） = 20"
    assert facts["名单文件"].startswith("b.csv（") and facts["保存人"] == "李四"
    standard = shape.round_facts(round_info(two_rounds, "A"), PARKS, None, "en").set_index("Item")["Value"]
    assert standard["Parameters changed"] == "all at the standard"


def test_the_comparison_says_who_entered_and_left_and_why_in_words(two_rounds):  # noqa: F811
    tables = shape.comparison_tables(compare_rounds(two_rounds, "A", "B"), minimal_rules(), "zh")
    entered = dict(zip(tables["entered"]["企业名称"], tables["entered"]["原因"], strict=True))
    assert set(entered) == {NAMES["乙"], NAMES["丁"]}
    assert "上一轮名单中没有该企业" in entered[NAMES["丁"]]
    assert "参数“亩均税收门槛（万元/亩）”：30 → 20" in entered[NAMES["乙"]]
    assert "gate.min-tax" not in " ".join(entered.values())  # the parameter's label, never its id
    assert tables["left"]["企业名称"].tolist() == [NAMES["丙"]]
    assert tables["left"][["上一轮", "本轮"]].to_numpy().tolist() == [["√ 准予入园", "× 不予入园"]]
    assert tables["parameters"].to_numpy().tolist() == [["亩均税收门槛（万元/亩）", "30", "20"]]


def test_the_snapshot_table_puts_opinions_and_the_meeting_beside_the_rules(two_rounds):  # noqa: F811
    row = int(round_snapshot(two_rounds, "A").firms.set_index("name").at[NAMES["戊"], "source_row"])
    add_opinion(two_rounds, "A", row, "env", "conditional", local_actor("赵六"), conditions="限期整改")
    add_opinion(two_rounds, "A", row, "env", "agree", local_actor("赵六"))  # a change of mind: the latest counts
    pack = build_pack(two_rounds, "A")
    record_decisions(two_rounds, "A", _filled(pack, {NAMES["戊"]: ("准予入园", "会议同意")}), "p.xlsx",
                     local_actor("办公室"))  # fmt: skip
    frame = shape.snapshot_table(
        round_snapshot(two_rounds, "A"), opinions_frame(two_rounds, "A"), final_decisions(two_rounds, "A"), "zh"
    ).set_index("企业名称")
    assert frame.at[NAMES["戊"], "环保"] == "同意" and pd.isna(frame.at[NAMES["戊"], "经信"])
    assert frame.at[NAMES["戊"], "结论"] == "△ 待复核" and frame.at[NAMES["戊"], "会议决定"] == "√ 准予入园"
    assert frame.at[NAMES["戊"], "决定理由"] == "会议同意"
    assert frame["排名"].iloc[0] == 1  # ranked firms first
    decisions = shape.decisions_table(final_decisions(two_rounds, "A"), round_snapshot(two_rounds, "A").firms, "en")
    assert decisions.iloc[0][["Firm", "The rules said", "Decision", "Reason", "Recorded by"]].tolist() == [
        NAMES["戊"], "△ Review", "√ Admit", "会议同意", "办公室"]  # fmt: skip


def test_opinions_and_missing_ones_in_words(two_rounds):  # noqa: F811
    snapshot = round_snapshot(two_rounds, "A")
    row = int(snapshot.firms.set_index("name").at[NAMES["戊"], "source_row"])
    add_opinion(two_rounds, "A", row, "tech", "disagree", local_actor("钱七"), note="研发为零")
    current = shape.opinions_table(firm_opinions(two_rounds, "A", row), "zh")
    assert current["部门"].tolist() == ["经信", "科技", "环保", "安监"]
    assert current["意见"].tolist()[1] == "不同意" and current["说明"].tolist()[1] == "研发为零"
    missing = shape.missing_table(missing_opinions(two_rounds, "A"), "zh")
    assert missing.to_numpy().tolist() == [[row, NAMES["戊"], "经信、环保、安监"]]
    choices = shape.firm_choices(snapshot, "zh")
    assert next(iter(choices)) == row and choices[row] == f"第{row}行 · {NAMES['戊']} · △ 待复核"  # review first


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai"])
def test_times_are_shown_in_the_machine_s_zone(zone, monkeypatch):
    import time

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        shown = shape.local_time(["2026-03-02T06:05:00+00:00", None]).tolist()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert shown == ["2026-03-02 06:05" if zone == "UTC" else "2026-03-02 14:05", None]
