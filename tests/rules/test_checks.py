"""Whole-file checks of the rule-language additions: on_absent, default, not, evaluation profiles."""

import pytest

from screening.issues.record import ScreeningError
from screening.rules.loading import parse_rules
from tests.conftest import ROOT, TAX_GATE, minimal_rules

HUANGYAN = (ROOT / "rules" / "huangyan-2022.yaml").read_text(encoding="utf-8")


def _issues(build) -> list:
    with pytest.raises(ScreeningError) as caught:
        build()
    return [(i.code, i.column) for i in caught.value.issues]


def test_an_evaluation_decides_nothing_so_it_has_no_decision_map_and_no_veto():
    assert parse_rules(HUANGYAN).model.is_evaluation
    with_decision = HUANGYAN + "decision: {admit: [A, B], review: [C], reject: [D]}\n"
    assert _issues(lambda: parse_rules(with_decision)) == [("rule-decision-class", "decision")]
    veto = HUANGYAN.replace(
        "scoring:",
        "gates:\n  - {id: t, label: {zh: 税}, department: 经信, severity: veto, indicator: tax_per_mu, op: '>=',"
        " value: 3, basis: district-choice}\nscoring:",
        1,
    )
    assert _issues(lambda: parse_rules(veto)) == [("rule-invalid", "gates[0].severity")]
    info = veto.replace("severity: veto", "severity: info")
    assert parse_rules(info).model.gates[0].severity == "info"


def test_an_assumed_value_needs_a_single_test_gate_and_must_fit_its_input():
    assumed = TAX_GATE + "    on_absent: {assume: 35}\n"
    assert minimal_rules(gates=assumed).model.gates[0].assumed == 35
    text = TAX_GATE + "    on_absent: {assume: 是}\n"
    assert _issues(lambda: minimal_rules(gates=text)) == [("rule-op-value", "gates[0].on_absent.assume")]
    composite = """
gates:
  - id: both
    label: {zh: 两项}
    department: 经信
    severity: veto
    on_absent: {assume: 1}
    all:
      - {id: tax, indicator: tax_per_mu, op: ">=", value: 30}
      - {id: rd, indicator: rd_ratio, op: ">=", value: 2}
    basis: district-choice
"""
    assert _issues(lambda: minimal_rules(gates=composite)) == [("rule-invalid", "gates[0].on_absent")]
    bad_word = TAX_GATE + "    on_absent: ignore\n"
    assert _issues(lambda: minimal_rules(gates=bad_word))[0][0] == "rule-bad-choice"


def test_absent_policy_defaults_by_severity():
    rules = minimal_rules(gates=TAX_GATE + TAX_GATE.replace("gates:\n", "").replace("min-tax", "info-tax").replace(
        "severity: veto", "severity: info"))  # fmt: skip
    assert [g.absent_policy for g in rules.model.gates] == ["review", "skip"]


def test_not_is_checked_like_any_condition():
    floor = """classes:
  method: bands
  bands: [{class: A, min_score: 80}, {class: B, min_score: 60}, {class: C, min_score: 40}, {class: D}]
  floors: [{id: young, label: {zh: 新企业}, min_class: C, basis: changle-2023,
            when: {not: {input: no_such_input, op: "==", value: true}}}]
  basis: district-choice"""
    assert _issues(lambda: minimal_rules(classes=floor)) == [
        ("rule-unknown-reference", "classes.floors[0].when.not.input")
    ]
