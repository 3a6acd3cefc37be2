"""Decisions: an evaluation profile decides nothing; data a list lacks never rejects."""

import numpy as np
import pandas as pd

from screening.engine.screen import screen
from tests.conftest import firms, minimal_rules
from tests.engine.test_screen import REVIEW_GATE, base_frame


def test_an_evaluation_grades_and_ranks_but_admits_and_rejects_nobody(profiles):
    frame = firms(
        name=["甲", "乙", "丙", "丁"],
        scale=["规上", "规上", "规下", None],
        tax_paid=[240.97, 120.485, 57.966, 10.0],
        land_area=[10.0, 10.0, 5.0, 1.0],
        electricity=[np.nan, np.nan, 492.9, 1.0],
    )
    result = screen(frame, profiles["huangyan-2022"])
    assert result.is_evaluation
    assert result.summary["decision"].tolist() == ["graded", "graded", "graded", "not_scored"]
    assert result.summary["rank"].tolist()[:3] == [2, 3, 1] and pd.isna(result.summary["rank"].iloc[3])
    counts = result.counts()
    assert counts == {"graded": 3, "not_scored": 1}  # no admit, review or reject to count


def test_a_firm_held_back_only_by_an_absent_column_is_review_whatever_its_class():
    # without an R&D column every firm misses the R&D criterion's 40 points and the R&D review gate cannot
    # judge anyone: 甲 and 丙 (class B) wait for the material; 乙 fails the tax veto, 丁 had an accident
    result = screen(base_frame().drop(columns=["rd_expense"]), minimal_rules(gates=REVIEW_GATE))
    assert result.summary["class"].astype(str).tolist() == ["B", "D", "B", "B"]
    assert result.summary["decision"].tolist() == ["review", "reject", "review", "reject"]
    assert result.flags["scoring_absent"].all() and result.materials["rd_expense"].tolist() == [True] * 4
    low = screen(base_frame(tax_paid=[100.0, 100.0, 600.0, 500.0]).drop(columns=["rd_expense"]),
                 minimal_rules(gates="gates: []"))  # fmt: skip
    assert low.summary["class"].astype(str).tolist()[:2] == ["D", "D"]
    assert low.summary["decision"].tolist()[:2] == ["review", "review"]  # never rejected for missing data
    assert low.flags["review_for_data"].tolist()[:2] == [True, True]


def test_a_required_column_the_list_lacks_means_review_with_the_material_to_supply():
    result = screen(base_frame().drop(columns=["tax_paid"]), minimal_rules(gates="gates: []",
                    **{"  tax_paid: {}": "  tax_paid: {required: true}"}))  # fmt: skip
    assert result.summary["decision"].tolist() == ["review"] * 4
    assert result.summary["total"].isna().all() and result.materials["tax_paid"].all()
