"""The firm × park matrix: eligibility, the first rule in the way, best fit, and the park a firm names."""

from __future__ import annotations

import numpy as np
import pandas as pd

from screening.district.matrix import applied_park_issues, first_failure
from screening.engine.screen import screen
from screening.vocabulary import Eligibility
from tests.conftest import BANDS, DECISION, SCORING, firms, minimal_rules

TWO_VETOES_AND_A_REVIEW = """
gates:
  - {id: min-tax, label: {zh: 亩均税收门槛, en: Minimum tax per mu}, department: 经信, severity: veto,
     indicator: tax_per_mu, op: ">=", value: 30, basis: model-county-entry}
  - {id: no-accident, label: {zh: 无安全事故, en: No accident}, department: 安监, severity: veto,
     input: safety_accident, op: "==", value: false, basis: district-choice}
  - {id: min-rd, label: {zh: 研发门槛, en: R&D}, department: 科技, severity: review,
     indicator: rd_ratio, op: ">=", value: 2, basis: district-choice}
"""


def test_the_first_failing_rule_is_the_first_veto_in_the_file_then_a_review_rule():
    rules = minimal_rules(gates=TWO_VETOES_AND_A_REVIEW, scoring=SCORING, classes=BANDS, decision=DECISION)
    frame = firms(
        name=["两项都不过", "只有事故", "只差研发", "都通过"],
        tax_paid=[10.0, 100.0, 100.0, 100.0],
        land_area=[1.0, 1.0, 1.0, 1.0],
        revenue=[1000.0] * 4,
        rd_expense=[50.0, 50.0, 5.0, 50.0],
        safety_accident=pd.array([True, True, False, False], dtype="boolean"),
    )
    ids, zh, en = first_failure(screen(frame, rules))
    assert ids.tolist() == ["min-tax", "no-accident", "min-rd", ""]
    assert zh.tolist() == ["亩均税收门槛", "无安全事故", "研发门槛", ""]
    assert en.tolist()[1] == "No accident"


def test_matrix_has_every_firm_at_every_park(demo_batch, demo_matrix):
    pairs = demo_matrix.pairs
    assert len(pairs) == demo_batch.size * len(demo_batch.parks)
    grid = demo_matrix.grid("decision")
    assert grid.shape == (300, 5) and list(grid.columns) == list(demo_batch.park_ids)


def test_eligibility_follows_the_parks_own_verdicts(demo_batch, demo_matrix):
    pairs = demo_matrix.pairs
    for index, park in enumerate(demo_batch.parks):
        here = pairs[pairs["park"] == park.id].set_index("firm").sort_index()
        veto = park.result.flags["veto_fail"].to_numpy()
        assert (here["eligibility"].to_numpy()[veto] == Eligibility.VETO.value).all()
        eligible = here["eligibility"].to_numpy() == Eligibility.ELIGIBLE.value
        assert set(here["decision"][eligible]) <= {"admit", "review"}
        assert here["score"].to_numpy()[eligible].min() > 0, index


def test_a_firm_the_reader_can_check_by_hand(demo_matrix, demo_batch):
    """Row 5, 安瑞生物: industry 2761 (生物药品制造) passes the bio-medicine park's industry rule, but it had an
    environmental violation (近三年环境违法 = 是), so that park's first failing rule is the environment veto."""
    assert demo_batch.firms.loc[1, "source_row"] == 5 and demo_batch.firms.loc[1, "env_violation"]
    row = demo_matrix.pairs[(demo_matrix.pairs["firm"] == 1) & (demo_matrix.pairs["park"] == "bio-medicine-park")]
    assert row["first_fail"].item() == "no-env-violation"
    assert row["reason_zh"].item() == "未通过：近三年无环境违法"


def test_best_fit_and_the_park_a_firm_names(demo_matrix):
    table = demo_matrix.firms
    assert len(table) == 300 and table["source_row"].tolist() == list(range(4, 304))
    named_elsewhere = table[(table["applied_eligible"] == False) & (table["other_parks"] != "")]  # noqa: E712
    assert len(named_elsewhere) > 0  # the demo has firms turned away by their park but taken by another
    first = named_elsewhere.iloc[0]
    assert (
        first["best_park"] == first["other_parks"].split(",")[0] and first["applied_park"] not in first["other_parks"]
    )
    nowhere = table["n_eligible"] == 0
    assert table.loc[nowhere, "best_park"].isna().all() and (table.loc[~nowhere, "best_park"].notna()).all()
    assert table["applied_park"].notna().sum() == 300  # every demo firm names one of the five parks


def test_a_park_name_that_is_not_in_the_run_is_noted_once(demo_batch):
    firms_ = demo_batch.firms.copy()
    firms_.loc[[0, 5, 9], "target_park"] = "高新区"
    batch = type(demo_batch)(firms_, demo_batch.fields, demo_batch.parks, demo_batch.issues, demo_batch.skipped, ())
    notes = applied_park_issues(batch)
    assert notes["code"].tolist() == ["district-applied-park-unknown"]
    assert notes["value"].item() == "高新区" and "3" in notes["message_zh"].item()
    assert np.isnan(notes["row"].astype(float)).sum() == 0
