"""Classes: score bands, percentile bands per group, quotas, floors, caps and exempt classes."""

import numpy as np

from screening.engine.screen import screen
from tests.conftest import BANDS, DECISION, firms, minimal_rules


def rules_with(classes: str, decision: str = DECISION, gates="gates: []"):
    return minimal_rules(gates=gates, classes=classes, decision=decision)


def firms_scoring(scores: list[float], **extra):
    """tax_per_mu = score × 50/60 puts each firm at exactly `score` when R&D is at its cap (40 points)…
    simpler: R&D 0, tax share gives 60 points max; so use land 1 and tax = score/60 × 50."""
    n = len(scores)
    return firms(
        name=[f"F{i}" for i in range(n)],
        tax_paid=[s / 60 * 50 for s in scores],
        land_area=[1.0] * n,
        revenue=[100.0] * n,
        rd_expense=[0.0] * n,
        **extra,
    )


def test_score_bands():
    result = screen(firms_scoring([59.9, 60.0, 40.0, 39.99]), rules_with(BANDS))
    assert result.summary["class"].tolist() == ["C", "B", "C", "D"]


def test_percentile_bands_changle():
    """Changle (Shandong): A top 20 % inclusive, B to 75 %, C to 95 %, D the rest. 20 firms → 4 A, 11 B, 4 C, 1 D."""
    classes = """classes:
  method: percentile
  bands:
    - {class: A, top_share: 0.20}
    - {class: B, top_share: 0.75}
    - {class: C, top_share: 0.95}
    - {class: D}
  basis: changle-2023"""
    scores = [60 - i for i in range(20)]
    result = screen(firms_scoring(scores), rules_with(classes))
    counts = result.summary["class"].value_counts().to_dict()
    assert counts == {"A": 4, "B": 11, "C": 4, "D": 1}
    assert result.summary["class"].tolist()[:5] == ["A", "A", "A", "A", "B"]


def test_quota_moves_surplus_a_down_and_fills_minimum_d():
    """Shandong (鲁政字〔2019〕235号): A ≤ 20 %, D ≥ 5 %. 10 firms all scoring ≥ 80 → only 2 stay A,
    and the lowest (ceil(0.5) = 1) firm is put in D."""
    classes = BANDS.replace(
        "  basis: district-choice", "  quotas: {A: {max_share: 0.2}, D: {min_share: 0.05}}\n  basis: sd-muchan-2019"
    )
    scores = [60.0] * 10  # R&D 0 → at most 60 points; lower the band A cut to 50 to have everyone in A
    rules = rules_with(
        classes.replace("min_score: 80", "min_score: 55")
        .replace("min_score: 60", "min_score: 50")
        .replace("min_score: 40", "min_score: 45")
    )
    result = screen(firms_scoring([s - i * 0.1 for i, s in enumerate(scores)]), rules)
    classes_out = result.summary["class"].tolist()
    assert classes_out[:2] == ["A", "A"]
    assert classes_out[2:9] == ["B"] * 7
    assert classes_out[9] == "D"
    assert result.flags["quota_moved"].sum() == 8


def test_floor_protects_and_cap_wins_over_floor():
    """Changle: new firms are not put in D — unless vetoed (the cap applies last)."""
    classes = BANDS.replace(
        "  basis: district-choice",
        """  floors:
    - {id: young, label: {zh: 新企业不评 D}, when: {input: years_operating, op: "<", value: 3}, min_class: C,
       basis: changle-2023}
  caps:
    - {id: accident, label: {zh: 有事故最高 D}, when: {input: safety_accident, op: "==", value: true}, max_class: D,
       basis: changle-2023}
  basis: changle-2023""",
    )
    frame = firms_scoring([10.0, 10.0, 90.0], years_operating=[1.0, 1.0, 9.0], safety_accident=[False, True, True])
    result = screen(frame, rules_with(classes))
    assert result.summary["class"].tolist() == ["C", "D", "D"]
    assert result.flags["class_floored"].tolist() == ["young", "young", ""]
    assert result.flags["class_capped"].tolist() == ["", "accident", "accident"]


def test_exempt_firms_take_their_own_class_and_decision():
    """Anhui (gu456): start-ups are evaluated but not graded and are managed as B (here class T → review)."""
    classes = BANDS.replace(
        "  basis: district-choice",
        """  exempt:
    - {id: startup, label: {zh: 初创企业不定等级}, when: {input: years_operating, op: "<", value: 2}, class: T,
       basis: anhui-gu456}
  basis: anhui-gu456""",
    )
    rules = rules_with(classes, decision="decision: {admit: [A, B], review: [C, T], reject: [D]}")
    result = screen(firms_scoring([90.0, 10.0], years_operating=[1.0, 8.0]), rules)
    assert result.summary["class"].tolist() == ["T", "D"]
    assert result.summary["decision"].tolist() == ["review", "reject"]


def test_percentile_groups_rank_each_scoring_set_separately():
    sets = """scoring:
  total: 100
  sets:
    - id: big
      label: {zh: 规上}
      when: {input: scale, op: "==", value: 规上}
      criteria:
        - {id: big-tax, indicator: tax_per_mu, weight: 100, method: ratio, baseline: 50, basis: district-choice}
    - id: small
      label: {zh: 规下}
      criteria:
        - {id: small-tax, indicator: tax_per_mu, weight: 100, method: ratio, baseline: 10, basis: district-choice}"""
    classes = """classes:
  method: percentile
  bands:
    - {class: A, top_share: 0.5}
    - {class: B}
  basis: sd-muchan-2019"""
    rules = minimal_rules(
        gates="gates: []", scoring=sets, classes=classes, decision="decision: {admit: [A], review: [B]}"
    )
    frame = firms(
        name=list("abcd"), tax_paid=[100.0, 50.0, 5.0, 2.0], land_area=[1.0] * 4, scale=["规上", "规上", "规下", "规下"]
    )
    result = screen(frame, rules)
    assert result.summary["scoring_set"].tolist() == ["big", "big", "small", "small"]
    assert result.summary["class"].tolist() == ["A", "B", "A", "B"]
    np.testing.assert_allclose(result.summary["total"], [200.0, 100.0, 50.0, 20.0])
