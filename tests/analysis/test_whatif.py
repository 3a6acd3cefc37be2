"""What would it take: published worked examples, the closed form against a step search, and the
engine's verdict on every answer (the full change reaches the target, 99 % of it does not)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.analysis.search import target_reached
from screening.analysis.targets import Target, parse_target
from screening.analysis.whatif import what_it_takes
from screening.engine.screen import screen
from screening.issues.record import ScreeningError
from tests.conftest import firms, minimal_rules


def lever_rules(**kwargs):
    rules = minimal_rules(**kwargs)
    text = rules.text.replace("  tax_paid: {}\n", "  tax_paid: {lever: true}\n").replace(
        "  rd_expense: {}\n", "  rd_expense: {lever: true}\n"
    )
    text = text.replace("  requested_land: {}\n", "  requested_land: {lever: true}\n")
    from screening.rules.loading import parse_rules

    return parse_rules(text, source="test.yaml")


def reached_with(result, row: int, lever: str, value: float, target: Target, class_index=None) -> bool:
    """The engine's verdict when only this firm's lever is changed."""
    values = result.numbers(lever).copy()
    values[row] = value
    run = screen(result.firms.assign(**{lever: values}), result.ruleset)
    return target_reached(run, row, target, class_index)


# --- published worked examples ------------------------------------------------------------------


def test_huangyan_below_scale_firm_raised_to_90_points(profiles):
    """Huangyan 2022 (黄政发〔2018〕12号, 2022 evaluation): a 规下 firm scores
    50 × (亩均税收 ÷ 11.5932) + 50 × (单位电耗税收 ÷ 0.2352). Firm D of the golden test: tax 57.966 万元,
    land 5 亩, electricity 492.9 万kWh → 11.5932 / 11.5932 × 50 = 50 and 0.117602 / 0.2352 × 50 = 25:
    75 points. Both terms are proportional to the tax, so 90 points need 57.966 × 90 / 75 = 69.5592 万元."""
    frame = firms(name=["D"], scale=["规下"], tax_paid=[57.966], land_area=[5.0], electricity=[492.9], revenue=[1000.0])
    result = screen(frame, profiles["huangyan-2022"])
    assert result.summary["total"].iloc[0] == pytest.approx(75.0, abs=1e-3)
    answer = what_it_takes(result, targets=[Target("score", 90.0)], levers=["tax_paid"]).changes.iloc[0]
    assert answer["needed"] == pytest.approx(69.5592, abs=1e-3)
    assert answer["change"] == pytest.approx(69.5592 - 57.966, abs=1e-3)


def test_huangyan_above_scale_firm_raised_to_100_points(profiles):
    """A 规上 firm at the 2022 baselines (firm C of the golden test) except emissions scores
    30 + 20 + 20 + 10 × (1361.6 / 1.3808) / 4929.81 + 10 × (1361.6 / 75.06) / 18.14 + 10. Only 亩均税收
    moves with the tax: each extra point needs 24.097 ÷ 30 万元 per 亩, so on 10 亩 reaching 100 points
    takes 240.97 + (100 − total) × 24.097 × 10 / 30 万元."""
    frame = firms(
        name=["C"],
        scale=["规上"],
        tax_paid=[240.97],
        land_area=[10.0],
        value_added=[1361.6],
        energy_tce=[505.4],
        emissions_t=[1.3808],
        employees=[75.06],
        rd_expense=[302.0],
        revenue=[10000.0],
    )
    result = screen(frame, profiles["huangyan-2022"])
    total = 30 + 20 + 20 * (1361.6 / 505.4) / 2.694 + 10 * (1361.6 / 1.3808) / 4929.81
    total += 10 * (1361.6 / 75.06) / 18.14 + 10 * (302.0 / 10000.0) / 0.0302
    assert result.summary["total"].iloc[0] == pytest.approx(total, abs=1e-6)
    answer = what_it_takes(result, targets=[Target("score", 100.0)], levers=["tax_paid"]).changes.iloc[0]
    assert answer["needed"] == pytest.approx(240.97 + (100 - total) * 24.097 * 10 / 30, abs=1e-4)


def test_gate_shortfall_is_threshold_times_land_minus_tax():
    """补齐差额: a tax-per-mu gate of 30 on 12 亩 needs 360 万元 of tax; a firm paying 200 is 160 short."""
    result = screen(
        firms(name=["甲"], tax_paid=[200.0], land_area=[12.0], rd_expense=[10.0], revenue=[1000.0]), lever_rules()
    )
    answer = what_it_takes(result, targets=[parse_target("gate:min-tax", result.ruleset)]).changes
    tax = answer[answer["input"] == "tax_paid"].iloc[0]
    assert tax["needed"] == pytest.approx(360.0)
    assert tax["change"] == pytest.approx(160.0)
    assert tax["method"] == "closed_form"
    assert "rd_expense" not in set(answer["input"])  # R&D does not move the tax gate


# --- not reachable, blocked, already there ------------------------------------------------------


def test_a_capped_term_cannot_carry_a_firm_past_its_weight():
    """tax per mu (60 points, capped at the baseline) and R&D (40): with no R&D the best the tax
    lever can do is 60 points — 80 is out of its reach; R&D alone can add its 40 points."""
    result = screen(
        firms(name=["乙"], tax_paid=[600.0], land_area=[10.0], rd_expense=[0.0], revenue=[1000.0]), lever_rules()
    )
    changes = what_it_takes(result, targets=[Target("score", 80.0)]).changes.set_index("input")
    assert np.isnan(changes.loc["tax_paid", "needed"])
    assert changes.loc["tax_paid", "note"] == "out_of_reach"
    # 80 − 60 = 20 points of 40 → share 0.5 → R&D ratio 2.5 % of revenue 1000 → 25 万元
    assert changes.loc["rd_expense", "needed"] == pytest.approx(25.0)


def test_another_veto_blocks_admission_whatever_the_lever():
    safety = """
gates:
  - {id: min-tax, label: {zh: 亩均税收门槛}, department: 经信, severity: veto, indicator: tax_per_mu, op: ">=",
     value: 30, basis: model-county-entry}
  - {id: no-accident, label: {zh: 无安全事故}, department: 安监, severity: veto, input: safety_accident, op: "==",
     value: false, basis: hnte-2016}
"""
    result = screen(
        firms(
            name=["丙"], tax_paid=[100.0], land_area=[10.0], rd_expense=[10.0], revenue=[1000.0], safety_accident=[True]
        ),
        lever_rules(gates=safety),
    )
    changes = what_it_takes(result, targets=[Target("admit")]).changes
    assert changes["needed"].isna().all()
    assert set(changes["note"]) == {"blocked"}


def test_a_target_already_met_needs_no_change():
    result = screen(
        firms(name=["丁"], tax_paid=[600.0], land_area=[10.0], rd_expense=[50.0], revenue=[1000.0]), lever_rules()
    )
    changes = what_it_takes(result, targets=[Target("admit")]).changes
    assert (changes["method"] == "met").all()
    known = changes["current"].notna()  # no land request given: nothing to compare with
    assert (changes.loc[known, "change"] == 0).all() and known.sum() == 2


def test_how_much_less_land_to_fit_the_quota():
    """Land quota 50 亩, filled in rank order: the best firm asks 30, the second 40. The second fits
    only if it asks for at most 50 − 30 = 20 亩 (its score does not depend on the land it asks for)."""
    decision = """decision:
  admit: [A, B]
  review: [C]
  reject: [D]
  capacity: {input: requested_land, quota_mu: 50, overflow: review, basis: district-choice}"""
    result = screen(
        firms(
            name=["一", "二"],
            tax_paid=[600.0, 500.0],
            land_area=[10.0, 10.0],
            rd_expense=[50.0, 50.0],
            revenue=[1000.0, 1000.0],
            requested_land=[30.0, 40.0],
        ),
        lever_rules(decision=decision),
    )
    assert list(result.summary["decision"]) == ["admit", "review"]
    changes = what_it_takes(result, rows=[3], targets=[Target("admit")]).changes.set_index("input")
    assert changes.loc["requested_land", "needed"] == pytest.approx(20.0)
    assert changes.loc["requested_land", "change"] == pytest.approx(-20.0)
    # the tax lever cannot lift it past the first firm: both are at the cap on tax per mu
    assert np.isnan(changes.loc["tax_paid", "needed"])


def test_unknown_target_row_and_missing_levers_are_clear_issues():
    rules = lever_rules()
    with pytest.raises(ScreeningError) as bad:
        parse_target("class:Z", rules)
    assert bad.value.issues[0].code == "whatif-bad-target"
    result = screen(firms(name=["甲"], tax_paid=[1.0], land_area=[1.0]), rules)
    with pytest.raises(ScreeningError) as row:
        what_it_takes(result, rows=[99])
    assert row.value.issues[0].code == "whatif-unknown-row"
    plain = screen(firms(name=["甲"], tax_paid=[1.0], land_area=[1.0]), minimal_rules())
    with pytest.raises(ScreeningError) as none:
        what_it_takes(plain)
    assert none.value.issues[0].code == "whatif-no-levers"


# --- the closed form against the engine ---------------------------------------------------------

firm_values = st.tuples(st.floats(1, 2000), st.floats(1, 50), st.floats(0, 200), st.floats(100, 5000), st.floats(1, 60))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(firm_values, min_size=1, max_size=6), st.floats(20, 99), st.sampled_from(["tax_paid", "rd_expense"]))
def test_closed_form_reaches_the_target_and_99_percent_of_it_does_not(rows, score, lever):
    tax, land, rd, revenue, requested = (list(c) for c in zip(*rows, strict=True))
    result = screen(
        firms(
            name=[f"f{i}" for i in range(len(rows))],
            tax_paid=tax,
            land_area=land,
            rd_expense=rd,
            revenue=revenue,
            requested_land=requested,
        ),
        lever_rules(),
    )
    target = Target("score", round(score, 3))
    changes = what_it_takes(result, targets=[target], levers=[lever]).changes
    for i, answer in changes.iterrows():
        if answer["method"] == "met" or np.isnan(answer["needed"]):
            continue
        assert reached_with(result, i, lever, answer["needed"], target)
        partial = answer["current"] + 0.99 * (answer["needed"] - answer["current"])
        assert not reached_with(result, i, lever, partial, target)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(firm_values, st.floats(20, 99), st.sampled_from(["tax_paid", "rd_expense"]))
def test_closed_form_equals_a_brute_force_step_search(values, score, lever):
    """Step the lever up from its current value in 0.1 % steps of its scale (the oracle of
    pysensmcda's promotion search): the first step that reaches the score is within one step of
    the closed form; when none does up to 100 times the scale, the closed form says out of reach."""
    tax, land, rd, revenue, requested = values
    result = screen(
        firms(
            name=["f"], tax_paid=[tax], land_area=[land], rd_expense=[rd], revenue=[revenue], requested_land=[requested]
        ),
        lever_rules(),
    )
    target = Target("score", round(score, 3))
    answer = what_it_takes(result, targets=[target], levers=[lever]).changes.iloc[0]
    if answer["method"] == "met":
        return
    current = answer["current"]
    scale = max(current, {"tax_paid": land * 50, "rd_expense": revenue * 0.05}[lever])
    step = scale * 1e-3
    grid = current + step * np.arange(1, 100_001)
    reach = _scores(result, lever, grid) >= target.value - 1e-9
    if not reach.any():
        assert np.isnan(answer["needed"])
        return
    first = grid[np.argmax(reach)]
    assert answer["needed"] == pytest.approx(first, abs=step * 1.0001)


def _scores(result, lever: str, grid: np.ndarray) -> np.ndarray:
    """The engine's total for the one firm at each grid value (one screening of a list of copies)."""
    frame = result.firms.loc[np.zeros(len(grid), dtype=int)].reset_index(drop=True)
    frame[lever] = grid
    frame["source_row"] = np.arange(2, len(grid) + 2)
    return screen(frame, result.ruleset).summary["total"].to_numpy(dtype=float)


# --- where no closed form applies: the engine is searched ---------------------------------------


def test_a_batch_baseline_is_searched_over_the_engine():
    """A baseline at the batch mean moves with the firm's own value: the answer comes from a search
    over the engine, and the engine agrees with it."""
    scoring = """scoring:
  total: 100
  criteria:
    - {indicator: tax_per_mu, weight: 60, method: ratio, baseline: {stat: mean, times: 2}, cap: 1,
       basis: huaian-2024}
    - {indicator: rd_ratio, weight: 40, method: ratio, baseline: 5, cap: 1, basis: district-choice}"""
    result = screen(
        firms(
            name=list("abc"),
            tax_paid=[100.0, 300.0, 500.0],
            land_area=[10.0] * 3,
            rd_expense=[10.0] * 3,
            revenue=[1000.0] * 3,
        ),
        lever_rules(scoring=scoring),
    )
    target = Target("score", 60.0)
    changes = what_it_takes(result, rows=[2], targets=[target], levers=["tax_paid"]).changes
    answer = changes.iloc[0]
    assert answer["method"] == "search"
    assert reached_with(result, 0, "tax_paid", answer["needed"], target)
    assert not reached_with(result, 0, "tax_paid", answer["current"] + 0.99 * answer["change"], target)


def test_percentile_classes_use_the_place_among_the_others(profiles):
    """Percentile classes (A = top 20 %): among five firms, class A means being first, i.e. scoring above
    the best other firm — a closed form over the others' (unchanged) scores, checked by the engine."""
    result = screen(
        firms(
            name=list("abcde"),
            scale=["规下"] * 5,
            tax_paid=[10.0, 20.0, 30.0, 40.0, 50.0],
            land_area=[5.0] * 5,
            electricity=[100.0] * 5,
        ),
        profiles["huangyan-2022"],
    )
    changes = what_it_takes(result, rows=[2], targets=[Target("class", "A")], levers=["tax_paid"]).changes
    answer = changes.iloc[0]
    assert answer["method"] == "closed_form"
    assert answer["needed"] == pytest.approx(50.0, rel=1e-6)
    assert reached_with(result, 0, "tax_paid", answer["needed"], Target("class", "A"), 0)
    assert not reached_with(result, 0, "tax_paid", answer["current"] + 0.99 * answer["change"], Target("class", "A"), 0)


def test_an_evaluation_is_never_offered_admission_as_a_target(profiles, demo_bytes):
    """huangyan-2022 admits nobody: the default targets are gates and the next class, and asking for
    admission is refused with the targets that exist."""
    from screening.analysis.targets import parse_target
    from screening.analysis.whatif import what_it_takes
    from screening.issues.record import ScreeningError
    from screening.pipeline import screen_file

    rules = profiles["huangyan-2022"]
    result = screen_file(demo_bytes, rules, file_name="demo.xlsx")
    rows = result.summary["source_row"].head(30).tolist()
    found = what_it_takes(result, rows=rows)
    assert len(found.changes) and "admit" not in set(found.changes["target"])
    with pytest.raises(ScreeningError, match="whatif-bad-target"):
        parse_target("admit", rules)
    assert parse_target("admit", profiles["smart-mfg-town"]).kind == "admit"
