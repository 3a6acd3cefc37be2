"""Invariants that must hold for any batch of firms (hypothesis draws the batches)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.engine.conditions import FAIL, PASS
from screening.engine.screen import screen

CODES = ["3421", "3670", "3982", "2614", "1810", "6513", None]
CLASSES = ["鼓励类", "允许类", "限制类", "淘汰类", None]

money = st.one_of(st.none(), st.floats(min_value=0.0, max_value=1e6, allow_nan=False))
positive = st.one_of(st.none(), st.floats(min_value=0.1, max_value=1e4, allow_nan=False))
flag = st.sampled_from([True, False, None])

firm = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["甲", "乙", "丙", None]),
        "industry_code": st.sampled_from(CODES),
        "catalogue_class": st.sampled_from(CLASSES),
        "tax_paid": money,
        "revenue": money,
        "value_added": money,
        "rd_expense": money,
        "energy_tce": money,
        "employees": positive,
        "land_area": positive,
        "requested_land": positive,
        "planned_investment": money,
        "relocation_compensation": money,
        "invention_patents": st.one_of(st.none(), st.integers(0, 20)),
        "high_tech": flag,
        "specialized": flag,
        "hidden_champion": flag,
        "env_violation": flag,
        "safety_accident": flag,
        "hazardous_chemicals": flag,
        "two_high": flag,
    }
)
batches = st.lists(firm, min_size=1, max_size=25)
FLAGS = [
    "high_tech",
    "specialized",
    "hidden_champion",
    "env_violation",
    "safety_accident",
    "hazardous_chemicals",
    "two_high",
]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def frame_of(records) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records)
    for column in FLAGS:
        frame[column] = pd.array(frame[column].tolist(), dtype="boolean")
    for column in (
        "tax_paid",
        "revenue",
        "value_added",
        "rd_expense",
        "energy_tce",
        "employees",
        "land_area",
        "requested_land",
        "planned_investment",
        "relocation_compensation",
        "invention_patents",
    ):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame.insert(0, "source_row", np.arange(4, len(frame) + 4))
    return frame


@pytest.fixture(scope="module")
def rules(profiles):
    return profiles["smart-mfg-town"]


@SETTINGS
@given(batches)
def test_rows_in_equal_rows_out(rules, records):
    frame = frame_of(records)
    result = screen(frame, rules)
    assert len(result.summary) == len(frame)
    assert result.summary["source_row"].tolist() == frame["source_row"].tolist()
    assert result.summary["decision"].notna().all()
    scored = result.summary["decision"] != "not_scored"
    assert sorted(result.summary.loc[scored, "rank"].tolist()) == list(range(1, int(scored.sum()) + 1))


@SETTINGS
@given(batches, st.data())
def test_more_tax_never_lowers_a_score_nor_fails_a_passed_gate(rules, records, data):
    frame = frame_of(records)
    i = data.draw(st.integers(0, len(frame) - 1))
    factor = data.draw(st.floats(min_value=1.0, max_value=5.0))
    richer = frame.copy()
    richer.loc[i, "tax_paid"] = richer.loc[i, "tax_paid"] * factor + data.draw(st.floats(0, 100))
    before, after = screen(frame, rules), screen(richer, rules)
    if not np.isnan(before.summary["total"].iloc[i]) and not np.isnan(after.summary["total"].iloc[i]):
        assert after.summary["total"].iloc[i] >= before.summary["total"].iloc[i] - 1e-9
    for gate_id, outcome in before.gates.items():
        if outcome.status[i] == PASS:
            assert after.gates[gate_id].status[i] != FAIL, gate_id


@SETTINGS
@given(batches, st.randoms(use_true_random=False))
def test_shuffling_rows_changes_no_firm_result(rules, records, rng):
    frame = frame_of(records)
    order = list(range(len(frame)))
    rng.shuffle(order)
    shuffled = frame.iloc[order].reset_index(drop=True)
    a = screen(frame, rules).summary.sort_values("source_row").reset_index(drop=True)
    b = screen(shuffled, rules).summary.sort_values("source_row").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


@SETTINGS
@given(batches)
def test_same_input_same_output(rules, records):
    frame = frame_of(records)
    a, b = screen(frame, rules), screen(frame.copy(), rules)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.points, b.points)
    pd.testing.assert_frame_equal(a.issues, b.issues)


# --- a firm that is not scored never moves anyone else's points ---------------------------------------

positive_money = st.floats(min_value=0.01, max_value=1e5, allow_nan=False)
scored_firm = st.fixed_dictionaries(
    {
        "name": st.just("企业"),
        "scale": st.sampled_from(["规上", "规下"]),
        "tax_paid": positive_money,
        "land_area": st.floats(min_value=0.1, max_value=500),
        "revenue": positive_money,
        "rd_expense": st.one_of(st.none(), positive_money),
        "energy_tce": positive_money,
        "safety_accident": st.just(False),
    }
)
# what makes a firm unscorable: a required value blank, zero land (blank after import), a gate with
# on_missing: not_scored lacking data, a missing: not_scored criterion lacking data
SPOILERS = {
    "required": {"tax_paid": None},
    "zero-land": {"land_area": None},
    "gate": {"safety_accident": None},
    "criterion": {"energy_tce": None, "scale": "规上"},
}


@SETTINGS
@given(st.lists(scored_firm, min_size=1, max_size=12), scored_firm, st.sampled_from(sorted(SPOILERS)))
def test_adding_an_unscorable_firm_leaves_every_other_firms_points_identical(records, extra, spoiler):
    from screening.rules.loading import parse_rules
    from tests.engine.test_points import STATS_RULES

    rules = parse_rules(STATS_RULES, source="stats.yaml")

    def frame(rows):
        data = pd.DataFrame.from_records(rows)
        data["safety_accident"] = pd.array(data["safety_accident"].tolist(), dtype="boolean")
        for column in ("tax_paid", "land_area", "revenue", "rd_expense", "energy_tce"):
            data[column] = pd.to_numeric(data[column], errors="coerce").astype(float)
        data.insert(0, "source_row", np.arange(2, len(data) + 2))
        return data

    before = screen(frame(records), rules)
    after = screen(frame([*records, {**extra, **SPOILERS[spoiler]}]), rules)
    assert after.summary["decision"].iloc[-1] == "not_scored"
    pd.testing.assert_frame_equal(after.points.iloc[:-1], before.points, check_exact=True)
    assert after.summary["total"].iloc[:-1].tolist() == before.summary["total"].tolist()
