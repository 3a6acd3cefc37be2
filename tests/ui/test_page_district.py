"""The 全区统筹 page driven headless (AppTest.from_function: imports inside the function). The answers
on screen are the hand-worked knapsack's (tests/ui/pages_fixtures.py) or, for the sample, the library's."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from screening.district import allocate, district_matrix, load_batch
from screening.district.problem import Options
from tests.conftest import DEMO
from tests.ui.pages_fixtures import CSV, KNAPSACK, hand_park, run_page  # noqa: F401 - a fixture
from ui.pages import keys

VIEW = keys.shown(keys.view(keys.DISTRICT), "zh")


def _run(lang: str = "zh") -> AppTest:
    return run_page("district", lang)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _knapsack(at: AppTest) -> AppTest:
    at.file_uploader(key=keys.upload(keys.DISTRICT)).set_value(("手工.csv", KNAPSACK, CSV)).run()
    at.number_input(key=keys.quota("test-park")).set_value(10.0).run()
    assert not at.exception
    return at


def test_the_sample_is_allocated_across_every_entry_park_as_the_library_says(profiles):
    at = _run()
    entry = [r for r in profiles.values() if r.model.kind == "entry"]
    batch = load_batch([(DEMO.name, DEMO.read_bytes())], entry)
    plan = allocate(batch, district_matrix(batch), Options(time_limit=10))
    assert _metric(at, "入选企业（最优 / 排序法）") == f"{plan.totals['firms']} / {plan.greedy_totals['firms']}"
    assert _metric(at, "年税收（万元）") == f"{plan.totals['tax']:,.0f}"
    assert any(c.value.startswith("已证明最优") for c in at.caption)
    assert any("不是园区，不参与统筹" in c.value for c in at.caption)  # the annual evaluation is set aside
    assert at.multiselect(key=keys.shown(keys.D_PARKS, "zh")).value == [r.model.park.id for r in entry]


@pytest.mark.usefixtures("hand_park")
def test_the_hand_worked_knapsack_on_screen():
    at = _knapsack(_run())
    assert _metric(at, "入选企业（最优 / 排序法）") == "2 / 1"
    assert _metric(at, "目标价值") == "140.0"
    at.radio(key=VIEW).set_value("compare").run()
    comparison = at.dataframe[0].value
    assert comparison["目标价值"].tolist() == pytest.approx([140, 100, 40])
    differences = at.dataframe[1].value
    assert sorted(differences["企业名称"]) == ["丙公司", "乙公司", "甲公司"]


@pytest.mark.usefixtures("hand_park")
def test_a_park_without_a_quota_is_refused_with_what_to_do():
    at = _run()
    at.file_uploader(key=keys.upload(keys.DISTRICT)).set_value(("手工.csv", KNAPSACK, CSV)).run()
    assert at.error and "district-no-quota" in " ".join(m.value for m in at.markdown)
    assert any("各园区用地指标" in i.value for i in at.info)  # where to give it on this page
    assert not at.metric


@pytest.mark.usefixtures("hand_park")
def test_forcing_firms_in_beyond_the_quota_says_they_do_not_fit():
    at = _knapsack(_run())
    at.multiselect(key=keys.shown(keys.D_FORCE_IN, "zh")).set_value([0, 1]).run()  # 甲 6 亩 + 乙 5 亩 > 10 亩
    assert not at.exception
    assert any("放不下" in e.value for e in at.error)
    at.multiselect(key=keys.shown(keys.D_FORCE_IN, "zh")).set_value([0]).run()
    at.selectbox(key=keys.shown(keys.force_park(0), "zh")).set_value("test-park").run()
    assert not at.error


@pytest.mark.usefixtures("hand_park")
def test_forcing_a_firm_out_and_naming_a_park_for_one_forced_in():
    at = _knapsack(_run())
    at.multiselect(key=keys.shown(keys.D_FORCE_OUT, "zh")).set_value([1]).run()  # 乙 out
    at.multiselect(key=keys.shown(keys.D_FORCE_IN, "zh")).set_value([2]).run()
    at.selectbox(key=keys.shown(keys.force_park(2), "zh")).set_value("test-park").run()
    assert not at.exception
    table = at.dataframe[1].value.set_index("企业名称")
    assert table.at["乙公司", "结果"] == "指定不入园"
    assert table.at["丙公司", "结果"] == "指定入园"


@pytest.mark.usefixtures("hand_park")
def test_the_net_objective_asks_for_the_years_and_the_share_has_no_default():
    at = _knapsack(_run())
    assert at.number_input(key=keys.D_SHARE).value is None
    at.radio(key=keys.shown(keys.D_OBJECTIVE, "zh")).set_value("net").run()
    assert any("请填写年限 N" in i.value for i in at.info) and not at.metric
    at.number_input(key=keys.D_YEARS).set_value(10).run()
    assert not at.exception and at.metric


@pytest.mark.usefixtures("hand_park")
def test_the_frontier_is_computed_on_request_with_the_hand_worked_steps():
    at = _knapsack(_run())
    at.radio(key=VIEW).set_value("frontier").run()
    assert not at.get("plotly_chart")  # nothing heavy until asked
    at.selectbox(key=keys.shown(keys.D_FRONTIER_SCOPE, "zh")).set_value("test-park")
    at.number_input(key=keys.D_FRONTIER_STEP).set_value(5.0)
    at.number_input(key=keys.D_FRONTIER_STEPS).set_value(2).run()
    at.button(key=keys.D_FRONTIER_RUN).click().run()
    assert not at.exception and at.get("plotly_chart")
    assert at.dataframe[0].value["目标价值"].tolist() == pytest.approx([140, 170, 240])


@pytest.mark.usefixtures("hand_park")
def test_every_view_renders_in_english_without_ids():
    at = _knapsack(_run("en"))
    for view in ("allocation", "compare", "matrix", "parks", "frontier", "money", "issues", "download"):
        at.radio(key=keys.shown(keys.view(keys.DISTRICT), "en")).set_value(view).run()
        assert not at.exception, view
        for frame in (d.value for d in at.dataframe):
            cells = {str(v) for column in frame.columns for v in frame[column] if isinstance(v, str)}
            assert not cells & {"nan", "None", "test-park", "allocated", "land", "in", "out"}, view
    assert at.get("download_button")


@pytest.mark.usefixtures("hand_park")
def test_the_upload_is_kept_when_the_page_is_left_and_dropped_when_removed():
    at = _run()
    at.session_state[keys.files(keys.DISTRICT)] = (("手工.csv", KNAPSACK),)  # as left by an earlier visit
    at.run()
    assert any("当前数据：手工" in c.value for c in at.caption)  # (the dot is escaped: "手工\\.csv")
    at.file_uploader(key=keys.upload(keys.DISTRICT)).set_value(("手工.csv", KNAPSACK, CSV)).run()
    at.button(key=keys.use_sample(keys.DISTRICT)).click().run()
    assert any("内置示例" in c.value for c in at.caption)
    assert not at.get("file_uploader")[0].value  # the widget emptied too: no file shown that is not used


def test_an_answer_stopped_by_the_time_limit_says_how_close_it_is_and_can_be_proven(monkeypatch):
    import ui.shape.district

    monkeypatch.setattr(ui.shape.district, "INTERACTIVE_SECONDS", 0.001)  # too short to prove anything
    at = _run()
    at.radio(key=keys.shown(keys.D_OBJECTIVE, "zh")).set_value("tax").run()
    assert any("与最优相差不超过" in i.value for i in at.info)
    assert not any(c.value.startswith("已证明最优") for c in at.caption)
    at.button(key=keys.D_PROVE_BUTTON).click().run()
    assert not at.exception and any(c.value.startswith("已证明最优") for c in at.caption)
