"""The 全区统筹 page's shaping, without Streamlit: hand-worked answers, words instead of ids, no nan/None."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from screening.district import allocate, district_matrix, load_batch
from screening.vocabulary import Objective
from tests.conftest import DEMO
from tests.ui.pages_fixtures import KNAPSACK, hand_rules
from ui.shape import district as shape
from ui.shape.district import Settings


@pytest.fixture(scope="module")
def knapsack():
    batch = load_batch([("hand.csv", KNAPSACK)], [hand_rules()])
    return batch, district_matrix(batch)


def plan_of(case, **settings):
    batch, matrix = case
    return allocate(batch, matrix, Settings(quotas=(("test-park", 10.0),), **settings).options())


@pytest.fixture(scope="module")
def demo(profiles):
    batch = load_batch([(DEMO.name, DEMO.read_bytes())], [r for r in profiles.values() if r.model.kind == "entry"])
    return batch, district_matrix(batch)


def texts(frame: pd.DataFrame) -> list[str]:
    return [str(v) for column in frame.columns for v in frame[column].to_numpy(dtype=object) if isinstance(v, str)]


def test_settings_become_the_library_options():
    options = Settings(
        objective="net", years=10, share_percent=35.0, ramp_up=2.0, rate_percent=4.0, tax_lines=(50.0, 500.0),
        force_in=((3, None), (7, "sme-park")), force_out=(9,),
    ).options()  # fmt: skip
    assert options.objective is Objective.NET and options.years == 10
    assert options.retention.share == pytest.approx(0.35) and options.retention.rate == pytest.approx(0.04)
    assert options.retention.ramp_up == 2.0
    assert options.force_in == {3: None, 7: "sme-park"} and options.force_out == frozenset({9})
    assert options.tax_lines == (500.0, 50.0)  # high line first, as the speech says them
    assert Settings().options().retention.share is None  # no share unless the user gives one


def test_the_optimum_beside_the_rank_order_fill_matches_the_hand_worked_knapsack(knapsack):
    frame = shape.comparison(plan_of(knapsack), "zh")
    assert frame[""].tolist() == ["最优方案", "排序法", "最优方案多出"]
    assert frame["企业数"].tolist() == [2, 1, 1]
    assert frame["目标价值"].tolist() == pytest.approx([140, 100, 40])
    assert frame["用地（亩）"].tolist() == pytest.approx([10, 6, 4])
    assert frame["年税收（万元）"].tolist() == pytest.approx([500, 500, 0])


def test_the_firms_that_differ_and_why_the_big_one_is_out(knapsack):
    plan = plan_of(knapsack)
    differences = shape.differences_table(plan, "zh")
    assert dict(zip(differences["企业名称"], differences["与排序法相比"], strict=True)) == {
        "甲公司": "最优方案移出", "乙公司": "最优方案新增", "丙公司": "最优方案新增"}  # fmt: skip
    allocation = shape.allocation_table(plan, "zh")
    assert allocation["企业名称"].tolist() == ["乙公司", "丙公司", "甲公司"]  # allocated first
    assert list(allocation.columns[:7]) == ["Excel行号", "企业名称", "分配园区（最优）", "分配园区（排序法）",
                                            "与排序法相比", "结果", "说明"]  # fmt: skip
    out = allocation.set_index("企业名称").loc["甲公司"]
    assert "放不下其 6.0 亩" in out["说明"] and out["分配园区（排序法）"] == "测试园"
    assert "文件" not in allocation.columns  # one list: no file column


def test_out_counts_name_each_outcome(knapsack):
    frame = shape.out_counts(plan_of(knapsack), "en")
    assert dict(zip(frame["Outcome"], frame["Firms"], strict=True)) == {
        "Allocated": 2, "The land is worth more to others": 1}  # fmt: skip


def test_the_status_reports_a_proven_optimum(knapsack):
    found = shape.status(plan_of(knapsack))
    assert found["kind"] == "optimal" and found["bound"] is None and found["gap_percent"] == 0


def test_the_frontier_table_and_chart_follow_the_hand_worked_steps(knapsack):
    frontier = plan_of(knapsack).frontier("test-park", step=5, steps=2, time_limit=2)
    table = shape.frontier_table(frontier, "zh")
    assert table["目标价值"].tolist() == pytest.approx([140, 170, 240])
    assert table["入选企业"].tolist() == [2, 2, 3]
    assert "价值上界" not in table.columns  # every point proven: no bound column
    assert table.attrs["digits"]["入选企业"] == 0
    figure = shape.frontier_figure(frontier, "zh")
    assert figure["proven"] and figure["x"] == [0, 5, 10]


def test_the_matrix_speaks_in_park_names_and_decision_words(demo):
    plan = allocate(*demo, Settings().options())
    frame = shape.matrix_table(plan, "decision", "zh")
    names = shape.park_names(plan, "zh")
    assert set(names.values()) <= set(frame.columns)
    words = set(texts(frame))
    assert not words & set(names)  # never a park id
    cells = pd.unique(frame[list(names.values())].to_numpy().ravel())
    assert set(cells) <= {"√ 准予入园", "△ 待复核", "× 不予入园", "○ 未评分"}
    eligible = frame["可接收园区"].to_numpy(dtype=object)
    listed = plan.firms["eligible_parks"].to_numpy(dtype=object)
    for ids, shown in zip(listed, eligible, strict=True):
        assert shown == "、".join(names[i] for i in ids.split(",") if i)
    scores = shape.matrix_table(plan, "score", "en")
    assert scores.attrs["digits"][plan.parks["name_en"].iloc[0]] == 1


def test_no_table_shows_nan_none_or_an_id(demo):
    plan = allocate(*demo, Settings(objective="net", years=10, share_percent=30.0, tax_lines=(500.0,)).options())
    frames = [
        shape.allocation_table(plan, "zh"), shape.differences_table(plan, "zh"), shape.comparison(plan, "zh"),
        shape.matrix_table(plan, "reason", "zh"), shape.parks_table(plan, "zh"), shape.money_table(plan, "zh"),
        shape.batch_summary(plan, "zh"), shape.out_counts(plan, "zh"),
    ]  # fmt: skip
    for frame in frames:
        for text in texts(frame):
            assert text not in ("nan", "None", "inf", "NaN") and "smart-mfg-town" not in text, text
            assert text not in {"in", "out", "moved", "allocated", "land", "budget"}, text


def test_payback_reads_never_where_the_tax_never_covers_the_compensation():
    shown = shape.years_text(np.array([13.84, np.inf, np.nan, 0.5]), "zh")
    assert shown.tolist() == ["13.8", "永不回收", None, "0.5"]
    assert shape.years_text(np.array([np.inf]), "en").tolist() == ["never"]


def test_the_district_columns_appear_only_with_a_share(demo):
    without = shape.money_table(allocate(*demo, Settings().options()), "zh")
    assert "区级留成税收（万元/年）" not in without and "补偿净现值（万元）" not in without
    given = shape.money_table(allocate(*demo, Settings(years=10, share_percent=35.0).options()), "zh")
    assert {"区级留成税收（万元/年）", "区级动态回收年限（年）", "补偿净现值（万元）"} <= set(given.columns)


def test_the_speech_sentence_and_the_batch_summary(demo):
    plan = allocate(*demo, Settings(tax_lines=(500.0, 50.0)).options())
    lines = shape.speech(plan, "zh")
    assert lines[0].startswith("全部企业：300家企业总税收") and "税收500万元及以上的" in lines[0]
    summary = shape.batch_summary(plan, "zh")
    assert summary["企业数"].tolist()[0] == 300
    assert {"税收 ≥ 500 万元", "税收 < 50 万元"} <= set(summary.columns)


def test_firm_choices_name_the_excel_row_and_the_file_when_there_are_several():
    one = load_batch([("hand.csv", KNAPSACK)], [hand_rules()])
    assert shape.firm_choices(one, "zh") == {0: "第2行 · 甲公司", 1: "第3行 · 乙公司", 2: "第4行 · 丙公司"}
    two = load_batch([("a.csv", KNAPSACK), ("b.csv", KNAPSACK)], [hand_rules()])
    assert shape.firm_choices(two, "en")[3] == "b.csv · row 2 · 甲公司"
