"""The 稳健性 page driven headless. The probabilities on screen are the hand-worked two-firm case's
(tests/ui/pages_fixtures.py), within the stated Monte Carlo error; the rest is the library's."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from screening.analysis.robustness import robustness
from screening.pipeline import screen_file
from tests.conftest import DEMO
from tests.ui.pages_fixtures import CSV, MONTE_CARLO_TOLERANCE, TWO_FIRMS, hand_park, run_page  # noqa: F401
from ui.pages import keys

PREFIX = keys.ROBUSTNESS
VIEW = keys.shown(keys.view(PREFIX), "zh")
MODE = keys.shown(keys.R_MODE, "zh")


def _run(lang: str = "zh") -> AppTest:
    return run_page("robustness", lang)


def _two_firms() -> AppTest:
    at = _run()
    at.file_uploader(key=keys.upload(PREFIX)).set_value(("两家.csv", TWO_FIRMS, CSV)).run()
    assert not at.exception
    return at


def _p_admit(at: AppTest) -> dict[str, float]:
    at.radio(key=VIEW).set_value("table").run()
    frame = at.dataframe[0].value
    return dict(zip(frame["企业名称"], frame["入园概率"], strict=True))


def _counts(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_without_weight_information_it_warns_and_counts_as_the_library(profiles):
    at = _run()
    result = screen_file(DEMO, profiles["smart-mfg-town"])
    found = robustness(result, samples=10_000, seed=0)
    assert any("几乎所有企业都会显示为“边缘”" in w.value for w in at.warning)
    counts = found.counts()
    assert _counts(at) == {label.label("zh"): f"{counts[label]:,}" for label in list(counts)[:3]}


@pytest.mark.usefixtures("hand_park")
def test_the_hand_worked_probabilities_on_screen():
    at = _two_firms()
    none = _p_admit(at)
    assert none["强税公司"] == pytest.approx(0.4, abs=MONTE_CARLO_TOLERANCE)
    at.radio(key=MODE).set_value("orders").run()
    at.multiselect(key=keys.shown(keys.weight_order("econ"), "zh")).set_value(["tax_per_mu", "rd_ratio"]).run()
    ordered = _p_admit(at)
    assert ordered["强税公司"] == pytest.approx(0.8, abs=MONTE_CARLO_TOLERANCE) and ordered["强研公司"] == 0
    assert not at.warning  # weight information given: no warning
    at.radio(key=MODE).set_value("ranges").run()
    at.slider(key=keys.weight_range("tax_per_mu")).set_value((60.0, 70.0)).run()
    at.slider(key=keys.weight_range("rd_ratio")).set_value((30.0, 40.0)).run()
    assert _p_admit(at) == {"强税公司": 1.0, "强研公司": 0.0}
    assert _counts(at) == {"稳定入选": "1", "边缘": "0", "稳定落选": "1"}


@pytest.mark.usefixtures("hand_park")
def test_contradictory_ranges_are_refused_with_the_library_s_words():
    at = _two_firms()
    at.radio(key=MODE).set_value("ranges").run()
    at.slider(key=keys.weight_range("tax_per_mu")).set_value((0.0, 10.0)).run()
    at.slider(key=keys.weight_range("rd_ratio")).set_value((0.0, 10.0)).run()  # at most 20 of 100 points
    assert not at.exception and at.error
    assert "weights-infeasible" in " ".join(m.value for m in at.markdown)


@pytest.mark.usefixtures("hand_park")
def test_what_it_would_take_opens_on_the_firm_not_admitted_with_the_hand_worked_tax():
    at = _two_firms()
    at.radio(key=VIEW).set_value("gap").run()
    assert at.selectbox(key=keys.shown(keys.R_FIRM, "zh")).value == 3  # 强研公司, under review
    frame = at.dataframe[0].value
    admit = frame[frame["目标"] == "准予入园"].iloc[0]
    assert admit["可调整项"] == "实缴税金（万元）"
    assert admit["需达到"] == pytest.approx(500 / 3, rel=1e-6)  # 16.67 万元/亩 on 10 亩


def test_an_evaluation_speaks_of_class_stability():
    at = _run()
    at.selectbox(key=keys.shown(keys.park(PREFIX), "zh")).set_value("huangyan-2022").run()
    assert not at.exception
    assert set(_counts(at)) == {"等级稳定", "等级可能变化"}
    assert any("综合评价不作入园结论" in c.value for c in at.caption)
    at.radio(key=VIEW).set_value("bars").run()
    assert at.get("plotly_chart")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_view_renders_and_nothing_shows_nan_or_codes(lang):
    at = _run(lang)
    codes = {"nan", "None", "closed_form", "search", "admit", "review", "reject", "met", "blocked", "out_of_reach"}
    if lang == "zh":  # (the English labels of core / borderline / exterior are those words themselves)
        codes |= {"core", "borderline", "exterior"}
    for view in ("table", "bars", "dominance", "gap", "download"):
        at.radio(key=keys.shown(keys.view(PREFIX), lang)).set_value(view).run()
        assert not at.exception, view
        for frame in (d.value for d in at.dataframe):
            cells = {str(v) for column in frame.columns for v in frame[column] if isinstance(v, str)}
            assert not cells & codes, view
    assert at.get("download_button")
