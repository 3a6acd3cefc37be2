"""Golden values: the published Huangyan method reproduced by rules/huangyan-2022.yaml.

Source: 黄岩区工业企业亩均效益综合评价 (黄政发〔2018〕12号), 2022 evaluation published 2023-09,
https://www.chacewang.com/newsdetail/news430850.html (see seeds/sources.yaml: huangyan-2018).
Score = Σ (indicator ÷ baseline × weight), no cap. 规上 baselines and weights:
亩均税收 24.097 (30), 亩均增加值 136.16 (20), 单位能耗增加值 2.694 (20), 单位排放增加值 4929.81 (10),
全员劳动生产率 18.14 (10), R&D ÷ 主营业务收入 0.0302 (10). 规下: 亩均税收 11.5932 (50),
单位电耗税收 0.2352 (50). A 规上 firm without emission data gets the average 规上 emission score.

Firm A (规上): tax 240.97, land 10 → 24.097/亩 → 1.0 × 30 = 30
               value added 2723.2 → 272.32/亩 → 2.0 × 20 = 40
               energy 505.4 tce → 2723.2 / 505.4 = 5.388 → 2.0 × 20 = 40
               emissions 0.27623 t → 2723.2 / 0.27623 = 9858.4 → 1.99974… × 10 = 19.9974…
               employees 75 → 2723.2 / 75 = 36.3093 → 2.00162… × 10 = 20.0162…
               R&D 151 on revenue 10000 → 0.0151 → 0.5 × 10 = 5
Firm B (规上): tax 120.485, land 10 → 12.0485 → 0.5 × 30 = 15
               value added 680.8 → 68.08 → 0.5 × 20 = 10
               energy 505.4 → 1.347 → 0.5 × 20 = 10
               emissions missing → the average of A's and C's emission points
               employees 37.5 (average headcount) → 18.1547 → 1.000812… × 10 = 10.00812…
               R&D 302 on 10000 → 0.0302 → 1.0 × 10 = 10
Firm C (规上): everything at the baseline except emissions 1.3808 t → 1361.6/1.3808 = 986.1 → 0.2 × 10 = 2
Firm D (规下): tax 57.966, land 5 → 11.5932 → 1.0 × 50 = 50; electricity 492.9 万kWh →
               57.966 / 492.9 = 0.117602… → 0.5 × 50 = 25 (0.117602 / 0.2352 = 0.5000…)
Firm E: size class missing → belongs to no scoring set → not scored.
"""

import numpy as np
import pytest

from screening.engine.screen import screen
from tests.conftest import firms

HUANGYAN = {"tax": 24.097, "va": 136.16, "energy": 2.694, "emission": 4929.81, "labour": 18.14, "rd": 0.0302}


@pytest.fixture(scope="module")
def result(profiles):
    frame = firms(
        name=["A", "B", "C", "D", "E"],
        scale=["规上", "规上", "规上", "规下", None],
        tax_paid=[240.97, 120.485, 240.97, 57.966, 100.0],
        land_area=[10.0, 10.0, 10.0, 5.0, 10.0],
        value_added=[2723.2, 680.8, 1361.6, np.nan, 100.0],
        energy_tce=[505.4, 505.4, 505.4, np.nan, 10.0],
        emissions_t=[0.27623, np.nan, 1.3808, np.nan, 1.0],
        employees=[75.0, 37.5, 75.06, np.nan, 10.0],
        rd_expense=[151.0, 302.0, 302.0, np.nan, 1.0],
        revenue=[10000.0] * 4 + [100.0],
        electricity=[np.nan, np.nan, np.nan, 492.9, 1.0],
    )
    return screen(frame, profiles["huangyan-2022"])


def test_firm_a_points(result):
    points = result.points.iloc[0]
    assert points["tax_per_mu"] == pytest.approx(30.0)
    assert points["value_added_per_mu"] == pytest.approx(40.0)
    assert points["value_added_per_energy"] == pytest.approx(10 * 2723.2 / 505.4 / HUANGYAN["energy"] * 2)
    assert points["value_added_per_energy"] == pytest.approx(40.0, rel=1e-3)
    assert points["value_added_per_emission"] == pytest.approx(2723.2 / 0.27623 / HUANGYAN["emission"] * 10)
    assert points["labour_productivity"] == pytest.approx(2723.2 / 75 / HUANGYAN["labour"] * 10)
    assert points["rd_share"] == pytest.approx(5.0)


def test_missing_emission_data_gets_the_average_above_scale_emission_score(result):
    a = 2723.2 / 0.27623 / HUANGYAN["emission"] * 10
    c = 1361.6 / 1.3808 / HUANGYAN["emission"] * 10
    assert result.points["value_added_per_emission"].iloc[1] == pytest.approx((a + c) / 2)


def test_totals_are_the_plain_sum_without_caps(result):
    a = 30 + 40 + 20 * (2723.2 / 505.4) / 2.694 + 10 * (2723.2 / 0.27623) / 4929.81 + 10 * (2723.2 / 75) / 18.14 + 5
    c_emission = 10 * (1361.6 / 1.3808) / 4929.81
    b = (
        15
        + 10
        + 20 * (680.8 / 505.4) / 2.694
        + (10 * (2723.2 / 0.27623) / 4929.81 + c_emission) / 2
        + 10 * (680.8 / 37.5) / 18.14
        + 10
    )
    assert result.summary["total"].iloc[0] == pytest.approx(a)
    assert result.summary["total"].iloc[1] == pytest.approx(b)
    assert a > 150  # uncapped: a firm at twice the baselines scores far above 100


def test_below_scale_firms_use_their_own_two_indicators(result):
    assert result.summary["scoring_set"].iloc[3] == "below-scale"
    assert result.points["small-tax-per-mu"].iloc[3] == pytest.approx(50.0)
    assert result.points["small-tax-per-kwh"].iloc[3] == pytest.approx(57.966 / 492.9 / 0.2352 * 50)
    assert result.summary["total"].iloc[3] == pytest.approx(50 + 57.966 / 492.9 / 0.2352 * 50)
    assert np.isnan(result.points["tax_per_mu"].iloc[3])  # not a member of the 规上 set


def test_a_firm_in_no_scoring_set_is_not_scored(result):
    assert result.summary["decision"].iloc[4] == "not_scored"
    assert result.flags["no_scoring_set"].iloc[4]
    assert (result.issues["code"] == "no-scoring-set").sum() == 1
