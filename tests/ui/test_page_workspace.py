"""The 工作组 page driven headless, on the store's hand-worked lists (tests/fixtures/store/firms.py: from
round A, gate 30, to round B, gate 20, 乙 and 丁 enter, 丙 leaves). Each test has its own data directory."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from screening.store.access import Account, Actor, add_account
from screening.store.meeting import build_pack, final_decisions
from screening.store.opinions import opinions_frame
from screening.store.rounds import list_rounds, round_info
from screening.store.workspace import default_path, open_workspace
from screening.vocabulary import Department
from tests.fixtures.store.firms import NAMES, list_a, list_b
from tests.store.test_meeting import _filled
from tests.ui.pages_fixtures import gated_park, run_page  # noqa: F401 - a fixture
from ui import state
from ui.pages import keys
from ui.shape.workspace import CurrentScreening

PREFIX = keys.WORKSPACE
VIEW = keys.shown(keys.view(PREFIX), "zh")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _run(lang: str = "zh", actor: Actor | None = None) -> AppTest:
    return run_page("workspace", lang, {state.ACTOR: actor} if actor else None)


def _save(at: AppTest, name: str, current: CurrentScreening | None = None) -> AppTest:
    if current is not None:
        at.session_state[keys.CURRENT_SCREENING] = current
    at.radio(key=VIEW).set_value("save").run()
    at.text_input(key=keys.W_ROUND_NAME).input(name)
    at.button(key=keys.W_SAVE).click().run()
    assert not at.exception
    return at


def _two_rounds(at: AppTest) -> AppTest:
    _save(at, "A", CurrentScreening((("a.csv", list_a()),), "test-park"))
    return _save(at, "B", CurrentScreening((("b.csv", list_b()),), "test-park", overrides=(("gate.min-tax", 20.0),)))


def _view(at: AppTest, view: str, round_name: str | None = None) -> AppTest:
    at.radio(key=VIEW).set_value(view).run()
    if round_name is not None:
        at.selectbox(key=keys.W_ROUND).set_value(round_name).run()
    assert not at.exception
    return at


def test_save_a_round_of_the_sample_list_it_and_open_it():
    at = _save(_run(), "三月初筛")
    ws = open_workspace(default_path())
    info = round_info(ws, "三月初筛")
    assert at.success[0].value.startswith("已保存轮次：三月初筛")
    assert info.created_by and info.overrides == {} and info.inputs[0]["file_name"] == "demo_firms.xlsx"
    _view(at, "rounds")
    assert at.dataframe[0].value["轮次"].tolist() == ["三月初筛"]
    _view(at, "round", "三月初筛")
    assert {m.label: m.value for m in at.metric}["√ 准予入园"] == str(info.counts["admit"])
    assert len(at.dataframe[1].value) == sum(info.counts.values())  # every screened firm


@pytest.mark.usefixtures("gated_park")
def test_the_main_page_s_screening_is_saved_with_its_parameters():
    at = _two_rounds(_run())
    assert any("将保存主页面当前的甄别" in i.value for i in at.info)
    assert round_info(open_workspace(default_path()), "B").overrides == {"gate.min-tax": 20.0}


@pytest.mark.usefixtures("gated_park")
def test_comparing_two_rounds_names_who_entered_and_left_and_why():
    at = _view(_two_rounds(_run()), "compare")
    at.selectbox(key=keys.W_COMPARE_A).set_value("A")
    at.selectbox(key=keys.W_COMPARE_B).set_value("B").run()
    entered, left, parameters = (d.value for d in at.dataframe)
    assert set(entered["企业名称"]) == {NAMES["乙"], NAMES["丁"]}
    assert left["企业名称"].tolist() == [NAMES["丙"]]
    assert parameters.to_numpy().tolist() == [["亩均税收门槛（万元/亩）", "30", "20"]]


@pytest.mark.usefixtures("gated_park")
def test_an_opinion_needs_its_conditions_and_is_then_counted():
    at = _view(_two_rounds(_run()), "opinions", "A")
    before = {m.label: m.value for m in at.metric}
    row = at.selectbox(key=keys.shown(keys.W_FIRM, "zh")).value  # the review firm first: 戊
    at.radio(key=keys.shown(keys.W_VERDICT, "zh")).set_value("conditional")
    at.button(key=keys.W_OPINION_SUBMIT).click().run()
    assert "opinion-conditions-missing" in " ".join(m.value for m in at.markdown)
    at.radio(key=keys.shown(keys.W_VERDICT, "zh")).set_value("conditional")
    at.text_area(key=keys.W_CONDITIONS).input("一年内完成清洁生产审核")
    at.button(key=keys.W_OPINION_SUBMIT).click().run()
    assert not at.exception and at.success[0].value == f"已记录经信对第{row}行企业的意见：有条件同意。"
    stored = opinions_frame(open_workspace(default_path()), "A")
    assert stored[["source_row", "department", "verdict", "conditions"]].to_numpy().tolist() == [
        [row, "econ", "conditional", "一年内完成清洁生产审核"]]  # fmt: skip
    after = {m.label: m.value for m in at.metric}
    assert int(after["经信"]) == int(before["经信"]) - 1 and after["科技"] == before["科技"]


@pytest.mark.usefixtures("gated_park")
def test_a_department_account_speaks_for_its_own_department_only():
    ws = open_workspace(default_path())
    add_account(ws, "环保 赵六", "a long enough password", Department.ENV)
    env = Actor("环保 赵六", Account("环保 赵六", Department.ENV, False))
    at = _view(_two_rounds(_run(actor=env)), "opinions", "A")
    department = at.selectbox(key=keys.shown(keys.W_DEPARTMENT, "zh"))
    assert department.options == ["环保"] and department.disabled
    at.button(key=keys.W_OPINION_SUBMIT).click().run()
    stored = opinions_frame(ws, "A")
    assert stored[["department", "author", "account"]].to_numpy().tolist() == [["env", "环保 赵六", "环保 赵六"]]
    secretariat = Actor("办公室", Account("办公室", None, True))
    at = _view(_run(actor=secretariat), "opinions", "A")
    assert any("不能填写部门意见" in i.value for i in at.info) and not at.get("form")


def test_with_accounts_and_nobody_signed_in_nothing_is_shown():
    ws = open_workspace(default_path())
    add_account(ws, "经信 王五", "a long enough password", Department.ECON)
    at = _run()
    assert any("请先登录" in w.value for w in at.warning)
    assert not at.dataframe and not at.button and not at.text_input and not at.radio
    ws.db.write(lambda conn: conn.execute("DELETE FROM accounts"))
    assert _run().radio  # without accounts the same page does show things: the check above can fail


@pytest.mark.usefixtures("gated_park")
def test_the_meeting_pack_goes_out_and_comes_back_as_decisions():
    at = _view(_two_rounds(_run()), "meeting", "A")
    at.button(key=keys.W_PACK_BUILD).click().run()
    assert not at.exception and at.get("download_button")
    ws = open_workspace(default_path())
    filled = _filled(build_pack(ws, "A"), {NAMES["戊"]: ("准予入园", "会议同意，限期整改")})
    at.file_uploader(key=keys.W_DECISIONS_UPLOAD).set_value(("会议材料.xlsx", filled, XLSX)).run()
    at.button(key=keys.W_DECISIONS_RECORD).click().run()
    assert not at.exception and at.success[0].value == "已记录 1 家企业的会议决定。"
    assert final_decisions(ws, "A")["reason"].tolist() == ["会议同意，限期整改"]
    assert at.dataframe[0].value["会议决定"].tolist() == ["√ 准予入园"]
    at.run()
    assert not at.get("button") or keys.W_DECISIONS_RECORD not in [b.key for b in at.button]  # not twice
    other = _filled(build_pack(ws, "B"), {NAMES["甲"]: ("准予入园", "")})
    at.file_uploader(key=keys.W_DECISIONS_UPLOAD).set_value(("B.xlsx", other, XLSX)).run()
    at.button(key=keys.W_DECISIONS_RECORD).click().run()
    assert "decision-wrong-round" in " ".join(m.value for m in at.markdown)
    assert len(final_decisions(ws, "A", history=True)) == 1


@pytest.mark.usefixtures("gated_park")
def test_what_users_typed_is_shown_as_text_never_as_markup():
    name = "**加粗**[链接](http://example.com)"
    at = _save(_run(), name, CurrentScreening((("a.csv", list_a()),), "test-park"))
    assert list_rounds(open_workspace(default_path()))["name"].tolist() == [name]
    assert r"\*\*加粗\*\*\[链接\]\(http://example\.com\)" in at.success[0].value
