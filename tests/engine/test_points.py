"""Batch statistics are taken over exactly the firms scored in that scoring set.

Jingde's min–max method (single score = weight × [20 + 80 × (x − min) ÷ (max − min)] ÷ 100) and a
ratio to the batch mean move with the batch; a firm that is not scored — a required value blank,
zero land (the import blanks it), a gate with ``on_missing: not_scored`` lacking data, a
``missing: not_scored`` criterion lacking data — or a firm of another scoring set must never move
anyone else's points.
"""

import numpy as np
import pandas as pd
import pytest

from screening.engine.screen import screen
from screening.rules.loading import parse_rules
from tests.conftest import firms

STATS_RULES = """
schema: park-rules/1
park: {id: stats-park, name: {zh: 统计园}}
version: "1"
basis: [district-choice]
inputs:
  name: {required: true}
  scale: {}
  tax_paid: {required: true}
  land_area: {required: true}
  revenue: {}
  rd_expense: {}
  energy_tce: {}
  safety_accident: {}
indicators:
  tax_per_mu: {label: {zh: 亩均税收}, formula: tax_paid / land_area, better: higher}
  revenue_per_mu: {label: {zh: 亩均营业收入}, formula: revenue / land_area, better: higher}
  rd_ratio: {label: {zh: 研发投入强度}, formula: rd_expense / revenue * 100, better: higher}
  energy_per_revenue: {label: {zh: 单位营收能耗}, formula: energy_tce / revenue, better: lower}
gates:
  - {id: safety-known, label: {zh: 安全记录已报}, department: 安监, severity: info, input: safety_accident,
     op: "==", value: false, on_missing: not_scored, basis: district-choice}
scoring:
  sets:
    - id: big
      label: {zh: 规上}
      when: {input: scale, op: "==", value: 规上}
      criteria:
        - {indicator: tax_per_mu, weight: 40, method: linear, best: {stat: max}, worst: {stat: min}, floor: 0.2,
           basis: jingde-minmax}
        - {indicator: revenue_per_mu, weight: 20, method: ratio, baseline: {stat: mean, times: 2}, cap: 1,
           basis: huaian-2024}
        - {indicator: rd_ratio, weight: 20, method: percentile, missing: mean, basis: district-choice}
        - {indicator: energy_per_revenue, weight: 20, method: lower_ratio, baseline: {stat: mean},
           missing: not_scored, basis: fsou-lower-better}
    - id: small
      label: {zh: 规下}
      criteria:
        - {id: small-tax, indicator: tax_per_mu, weight: 100, method: linear, best: {stat: max}, worst: {stat: min},
           basis: jingde-minmax}
classes:
  method: bands
  bands: [{class: A, min_score: 80}, {class: B, min_score: 60}, {class: C}]
  basis: district-choice
decision: {admit: [A], review: [B], reject: [C]}
"""

SCORED = {
    "name": ["甲", "乙", "丙", "丁"],
    "scale": ["规上"] * 4,
    "tax_paid": [300.0, 150.0, 600.0, 220.0],
    "land_area": [10.0, 10.0, 10.0, 10.0],
    "revenue": [8000.0, 4000.0, 9000.0, 5000.0],
    "rd_expense": [240.0, 40.0, np.nan, 300.0],
    "energy_tce": [400.0, 300.0, 900.0, 200.0],
    "safety_accident": [False, False, False, False],
}
# each would stretch min, max, mean or a rank if it counted: huge tax, tiny tax, huge revenue …
UNSCORED = {
    "name": ["必填空白", "零用地", "安全未报", "能耗未报", "规下"],
    "scale": ["规上", "规上", "规上", "规上", "规下"],
    "tax_paid": [np.nan, 9000.0, 5000.0, 1.0, 4000.0],
    "land_area": [10.0, np.nan, 10.0, 10.0, 1.0],  # the import turns a zero land area into a blank
    "revenue": [90000.0, 1.0, 99000.0, 1.0, 100.0],
    "rd_expense": [9000.0, 0.0, 9900.0, 0.0, 1.0],
    "energy_tce": [1.0, 9000.0, 1.0, np.nan, 1.0],
    "safety_accident": [False, False, None, False, False],
}


def _frame(*parts: dict) -> pd.DataFrame:
    data = {key: [value for part in parts for value in part[key]] for key in parts[0]}
    frame = firms(**data)
    frame["safety_accident"] = pd.array(frame["safety_accident"].tolist(), dtype="boolean")
    return frame


@pytest.fixture(scope="module")
def rules():
    return parse_rules(STATS_RULES, source="stats.yaml")


def test_firms_not_scored_or_in_another_set_never_move_anyone_elses_points(rules):
    alone = screen(_frame(SCORED), rules)
    together = screen(_frame(SCORED, UNSCORED), rules)
    assert together.summary["decision"].tolist()[4:8] == ["not_scored"] * 4
    assert together.summary["scoring_set"].iloc[8] == "small"
    pd.testing.assert_frame_equal(together.points.iloc[:4], alone.points, check_exact=True)
    assert together.summary["total"].iloc[:4].tolist() == alone.summary["total"].tolist()
    assert together.references == {**alone.references, "small-tax": together.references["small-tax"]}
    assert together.points.iloc[4:8].isna().all().all()  # not scored: no points at all


def test_hand_computed_points_over_the_scored_firms_only(rules):
    """Tax per mu 30, 15, 60, 22 → min 15, max 60 (Jingde): 甲 40 × (0.2 + 0.8 × 15/45) = 18.666…;
    revenue per mu 800, 400, 900, 500 → mean 650, baseline 1300: 乙 20 × 400/1300 = 6.1538…;
    R&D 3, 1, —, 6 % → percentile ranks 2/3, 1/3, 1 of the three with data; 丙 has none → their mean 13.333…;
    energy per revenue 0.05, 0.075, 0.1, 0.04 → mean 0.06625: 丁 20 × (1 − 0.04 / 0.1325) = 13.962…"""
    result = screen(_frame(SCORED, UNSCORED), rules)
    points = result.points
    assert points["tax_per_mu"].iloc[0] == pytest.approx(40 * (0.2 + 0.8 * 15 / 45), abs=1e-12)
    assert points["revenue_per_mu"].iloc[1] == pytest.approx(20 * 400 / 1300, abs=1e-12)
    assert points["rd_ratio"].iloc[:4].tolist() == pytest.approx([40 / 3, 20 / 3, 40 / 3, 20.0], abs=1e-12)
    assert points["energy_per_revenue"].iloc[3] == pytest.approx(20 * (1 - 0.04 / (2 * 0.06625)), abs=1e-12)


def test_score_criterion_takes_statistics_over_the_scored_members_only():
    from screening.engine.scoring import score_criterion
    from screening.rules.schema import Criterion

    crit = Criterion.model_validate(
        {"indicator": "x", "weight": 10, "method": "linear", "best": {"stat": "max"}, "worst": {"stat": "min"},
         "basis": "jingde-minmax"}
    )  # fmt: skip
    x = np.array([10.0, 20.0, 30.0, 1000.0])
    members = np.ones(4, dtype=bool)
    scored = np.array([True, True, True, False])
    out = score_criterion(x, members, crit, "higher", scored=scored)
    assert out.points[:3].tolist() == [0.0, 5.0, 10.0] and np.isnan(out.points[3])
    assert out.references == {"best": 30.0, "worst": 10.0}
