"""Robustness under uncertain weights: a closed-form case, an exact LP check, and the engine itself
re-run sample by sample as the oracle."""

import copy
import math

import numpy as np
import pytest
from scipy.optimize import linprog

from screening.analysis.robustness import robustness, tally_weights
from screening.analysis.sampling import sample_weights
from screening.analysis.weights import WeightInfo, constraints, parse_weights
from screening.engine.screen import screen
from screening.pipeline import screen_file
from screening.rules.loading import build_ruleset, parse_rules
from screening.vocabulary import Robustness
from tests.conftest import DEMO, firms

TWO = """
schema: park-rules/1
park: {id: two, name: {zh: 两项, en: Two}}
version: "1"
basis: [district-choice]
inputs:
  name: {required: true}
  x1: {type: number, label: {zh: 指标一}}
  x2: {type: number, label: {zh: 指标二}}
  x3: {type: number, label: {zh: 指标三}}
indicators:
  c1: {label: {zh: 一}, formula: x1, better: higher}
  c2: {label: {zh: 二}, formula: x2, better: higher}
  c3: {label: {zh: 三}, formula: x3, better: higher}
scoring:
  total: 100
  criteria:
    - {indicator: c1, weight: 50, method: ratio, baseline: 1, cap: 1, basis: district-choice}
    - {indicator: c2, weight: 50, method: ratio, baseline: 1, cap: 1, basis: district-choice}
CLASSES
decision: {admit: [A], reject: [B]}
"""
ALL_ADMITTED = "classes: {method: bands, bands: [{class: A, min_score: 0}, {class: B}], basis: district-choice}"


def test_two_firms_two_criteria_match_the_closed_form():
    """Shares A = (1.0, 0.2), B = (0.4, 0.6); weights (w, 100 − w) with w uniform on [0, 100] (the
    simplex of two criteria). A ranks first iff 100·0.2 + 0.8·w > 60 − 0.2·w, i.e. w > 40: probability
    0.6. With N = 20 000 samples the estimate's standard error is sqrt(0.6 · 0.4 / N) = 0.0035;
    the test allows 4 standard errors (0.014; a fixed seed makes it repeatable)."""
    rules = parse_rules(TWO.replace("CLASSES", ALL_ADMITTED), source="two.yaml")
    result = screen(firms(name=["A", "B"], x1=[1.0, 0.4], x2=[0.2, 0.6], x3=[0.0, 0.0]), rules)
    samples = 20_000
    found = robustness(result, WeightInfo("none"), samples=samples, seed=7)
    bound = 4 * math.sqrt(0.6 * 0.4 / samples)
    assert found.rank_acceptability[0, 0] == pytest.approx(0.6, abs=bound)
    assert found.rank_acceptability[1, 0] == pytest.approx(0.4, abs=bound)
    assert found.rank_acceptability.sum(axis=1) == pytest.approx([1.0, 1.0])


def test_a_rank_order_that_makes_it_certain_gives_exactly_one(tmp_path):
    """Criterion one weighs at least as much as two: w >= 50 > 40, so A is always first."""
    rules = parse_rules(TWO.replace("CLASSES", ALL_ADMITTED), source="two.yaml")
    result = screen(firms(name=["A", "B"], x1=[1.0, 0.4], x2=[0.2, 0.6], x3=[0.0, 0.0]), rules)
    path = tmp_path / "weights.yaml"
    path.write_text("orders:\n  经信: [c1, c2]\n", encoding="utf-8")
    found = robustness(result, parse_weights(str(path)), samples=5_000, seed=3)
    assert found.rank_acceptability[0, 0] == 1.0
    assert found.issues.empty  # information was given: no warning


def test_admitted_under_every_sample_agrees_with_the_linear_program():
    """For a box of weights (±30 % around 50/30/20, adding up to 100) a firm's lowest possible score
    is min Σ w·s over the box — a linear program. Admitted (score >= 55) in every sample exactly when
    that minimum clears the cut; never admitted exactly when the highest possible score misses it.
    Firms within 0.5 points of the cut either way are left out (a corner that thin may go unsampled)."""
    three = TWO.replace("    - {indicator: c2, weight: 50,", "    - {indicator: c2, weight: 30,").replace(
        "    - {indicator: c1, weight: 50,", "    - {indicator: c1, weight: 50,"
    )
    three = three.replace(
        "CLASSES",
        "classes: {method: bands, bands: [{class: A, min_score: 55}, {class: B}], basis: district-choice}",
    )
    three = three.replace(
        "    - {indicator: c2, weight: 30, method: ratio, baseline: 1, cap: 1, basis: district-choice}",
        "    - {indicator: c2, weight: 30, method: ratio, baseline: 1, cap: 1, basis: district-choice}\n"
        "    - {indicator: c3, weight: 20, method: ratio, baseline: 1, cap: 1, basis: district-choice}",
    )
    rules = parse_rules(three, source="three.yaml")
    rng = np.random.default_rng(11)
    shares = rng.random((60, 3))
    result = screen(firms(name=[f"f{i}" for i in range(60)], x1=shares[:, 0], x2=shares[:, 1], x3=shares[:, 2]), rules)
    found = robustness(result, parse_weights("spread:0.3"), samples=20_000, seed=5)
    standard = np.array([50.0, 30.0, 20.0])
    bounds = list(zip(standard * 0.7, standard * 1.3, strict=True))
    checked = 0
    for i, s in enumerate(shares):
        low = linprog(s, A_eq=[[1, 1, 1]], b_eq=[100], bounds=bounds).fun
        high = -linprog(-s, A_eq=[[1, 1, 1]], b_eq=[100], bounds=bounds).fun
        p = found.firms["p_admit"].iloc[i]
        if low >= 55 + 0.5 or high < 55 - 0.5:
            checked += 1
        if low >= 55 + 0.5:
            assert p == 1.0
        elif low < 55 - 0.5:
            assert p < 1.0
        if high < 55 - 0.5:
            assert p == 0.0
    assert checked > 20


@pytest.mark.parametrize(
    ("profile", "weights", "quotas"),
    [
        ("smart-mfg-town", "uniform", None),
        (
            "smart-mfg-town",
            "spread:0.3",
            ("    A: {max_share: 0.2}", "    A: {max_share: 0.03}\n    B: {max_share: 0.05}\n    D: {min_share: 0.1}"),
        ),
        (
            "huangyan-2022",
            "uniform",
            ("  basis: [zj-abcd-2019", "  quotas: {A: {max_share: 0.1}}\n  basis: [zj-abcd-2019"),
        ),
        ("sme-park", "uniform", None),
        ("huangyan-2022", "spread:0.4", ("baseline: 24.097", "baseline: {stat: mean, times: 2}")),
        ("chemical-park", "spread:0.5", None),
    ],
)
def test_every_sample_equals_the_engine_run_with_those_weights(profile, weights, quotas):
    """The oracle: the engine screens the list once per sampled weighting; admissions, classes and
    ranks counted over the samples must be the same numbers (quotas tightened to make them bite)."""
    text = (DEMO.parent.parent / "rules" / f"{profile}.yaml").read_text(encoding="utf-8")
    if quotas:
        text = text.replace(*quotas)
    rules = parse_rules(text, source=f"{profile}.yaml")
    result = screen_file(DEMO, rules, applicants_only=False)
    sampled = sample_weights(constraints(rules, parse_weights(weights)), 25, 13)
    depth = 30
    tally = tally_weights(result, sampled, depth)
    names = [b.klass for b in rules.model.classes.bands]
    admit, klass, rank = np.zeros(result.size), np.zeros((result.size, len(names))), np.zeros((result.size, depth))
    for w in sampled:
        run = screen(result.firms, _with_weights(rules, w))
        admit += (run.summary["decision"] == "admit").to_numpy()
        got = run.summary["class"].astype(object).to_numpy()
        klass += np.stack([got == n for n in names], axis=1)
        ranks = run.summary["rank"].to_numpy(dtype=float, na_value=np.nan)
        rank += np.stack([ranks == r + 1 for r in range(depth)], axis=1)
    assert np.array_equal(tally.admit, admit)
    assert np.array_equal(tally.klass, klass)
    assert np.array_equal(tally.rank, rank)


def _with_weights(rules, weights):
    plain = copy.deepcopy(rules.plain)
    sets = plain["scoring"].get("sets") or [plain["scoring"]]
    criteria = [c for s in sets for c in s["criteria"]]
    for crit, w in zip(criteria, weights, strict=True):
        crit["weight"] = float(w)
        crit.pop("tunable", None)
    return build_ruleset(plain, rules.plain, rules.text, rules.source)


def test_no_weight_information_warns_and_labels_add_up(profiles, demo_bytes):
    result = screen_file(demo_bytes, profiles["smart-mfg-town"], file_name="demo.xlsx")
    found = robustness(result, WeightInfo("none"), samples=500, seed=1)
    assert list(found.issues["code"]) == ["robustness-no-weight-info"]
    assert sum(found.counts().values()) == result.size
    p = found.firms["p_admit"]
    assert ((found.firms["label"] == "core") == (p >= 0.99)).all()
    assert ((found.firms["label"] == "exterior") == (p <= 0.01)).all()
    assert found.class_probability.sum(axis=1).round(9).isin([0.0, 1.0]).all()
    admitted = found.central_weights.notna().all(axis=1)
    assert np.allclose(found.central_weights[admitted].sum(axis=1), 100.0)
    borderline = found.counts()[Robustness.BORDERLINE]
    assert (found.borderline_first()["label"].iloc[:borderline] == Robustness.BORDERLINE.value).all()


def test_an_evaluation_admits_nobody_so_robustness_speaks_of_classes(profiles, demo_bytes):
    """huangyan-2022 is an evaluation: p_admit is not applicable and the label is about the class."""
    from screening.analysis.robustness import robustness
    from screening.analysis.weights import WeightInfo
    from screening.pipeline import screen_file

    result = screen_file(demo_bytes, profiles["huangyan-2022"], file_name="demo.xlsx")
    found = robustness(result, WeightInfo("spread", spread=0.5), samples=400, seed=1)
    scored = result.summary["class"].notna().to_numpy()
    assert found.firms["p_admit"].isna().all()
    labels = set(found.firms["label"][scored])
    assert labels <= {"class_stable", "class_shifts"} and len(labels) == 2  # a wide spread moves some, not all
