"""Rule files: the shipped profiles, every broken-file case, parameters, overrides and round trips."""

from pathlib import Path

import pytest

from screening.issues.record import ScreeningError
from screening.rules.loading import check_rules, parse_rules
from screening.rules.overrides import adjusted_rule_text, apply_overrides, parse_override
from screening.rules.sources import load_sources
from screening.vocabulary import Department

BAD = Path(__file__).parents[1] / "fixtures" / "bad_rules"

# file -> (issue code, key path, line in the file)
BROKEN = {
    "yaml-syntax": ("rule-yaml-syntax", "", 19),
    "duplicate-key": ("rule-duplicate-key", "", 5),
    "unknown-key": ("rule-unknown-key", "gates[0].treshold", 23),
    "missing-key": ("rule-missing-key", "gates[0].department", 16),
    "wrong-type": ("rule-wrong-type", "version", 4),
    "bad-choice": ("rule-bad-choice", "gates[0].severity", 19),
    "schema-version": ("rule-schema-version", "schema", 2),
    "formula-syntax": ("rule-formula-syntax", "indicators.tax_per_mu.formula", 13),
    "unknown-reference": ("rule-unknown-reference", "indicators.tax_per_mu.formula", 13),
    "circular-formula": ("rule-circular-formula", "indicators.tax_per_mu.formula", 13),
    "weights-sum": ("rule-weights-sum", "scoring.criteria", 26),
    "out-of-range": ("rule-threshold-out-of-range", "gates[0].value", 22),
    "unknown-source": ("rule-unknown-source", "gates[0].basis", 24),
    "duplicate-id": ("rule-duplicate-id", "gates[1].id", 25),
    "bad-bands": ("rule-bad-bands", "classes.bands[1].min_score", 33),
    "decision-class": ("rule-decision-class", "decision.admit[2]", 36),
    "bad-tiers": ("rule-bad-tiers", "gates[0].tiers", 22),
    "op-value": ("rule-op-value", "gates[0].value", 22),
    "method-direction": ("rule-method-direction", "scoring.criteria[1].method", 28),
    "bad-field": ("rule-bad-field", "inputs.hunch", 12),
}


def test_every_broken_file_has_a_case_and_codes_are_distinct():
    assert {p.stem for p in BAD.glob("*.yaml")} == set(BROKEN)
    assert len({code for code, _, _ in BROKEN.values()}) == len(BROKEN)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_rule_file_names_its_code_key_path_and_line(name):
    code, path, line = BROKEN[name]
    issues = check_rules(BAD / f"{name}.yaml")
    assert [(i.code, i.column, i.row) for i in issues] == [(code, path, line)]
    issue = issues[0]
    assert issue.source.endswith(f"{name}.yaml")
    assert issue.message_zh and issue.message_en and issue.severity == "error"


def test_unknown_key_message_lists_what_is_allowed():
    issue = check_rules(BAD / "unknown-key.yaml")[0]
    assert "treshold" in issue.message_en and "value" in issue.message_en and "tunable" in issue.message_en


def test_every_shipped_profile_loads_and_cites_only_known_sources(profiles):
    assert set(profiles) >= {
        "smart-mfg-town",
        "bio-medicine-park",
        "chemical-park",
        "sme-park",
        "talent-base",
        "huangyan-2022",
    }
    sources = load_sources()
    for ruleset in profiles.values():
        model = ruleset.model
        cited = [g.basis for g in model.gates] + [c.basis for s in model.scoring.all_sets() for c in s.criteria]
        cited += [a.basis for a in model.scoring.adjustments] + [model.classes.basis]
        for basis in cited:
            for sid in [basis] if isinstance(basis, str) else basis:
                assert sid in sources
        assert len(ruleset.sha256) == 64


def test_the_five_parks_of_the_speech_and_one_published_method(profiles):
    kinds = {rs.model.park.id: rs.model.kind for rs in profiles.values()}
    assert sum(1 for k in kinds.values() if k == "entry") == 5
    assert kinds["huangyan-2022"] == "evaluation"


def test_parameters_come_from_tunable_ranges(profiles):
    params = profiles["smart-mfg-town"].parameters
    tax = params["gate.min-tax-per-mu"]
    assert (tax.value, tax.low, tax.high, tax.group, tax.unit) == (30.0, 0.0, 80.0, Department.ECON, "万元/亩")
    assert params["weight.tax_per_mu"].kind == "weight"
    assert params["capacity"].value == 600.0
    assert "gate.industry-fit" not in params  # not tunable


def test_composite_gate_tests_are_separate_parameters(profiles):
    params = profiles["sme-park"].parameters
    assert params["gate.not-low-efficiency.tax"].value == 3.0
    assert params["gate.not-low-efficiency.power"].value == 0.35


def test_overrides_report_standard_and_used_and_renormalise_weights(profiles):
    standard = profiles["smart-mfg-town"]
    changed = apply_overrides(standard, {"gate.min-tax-per-mu": 35, "weight.tax_per_mu": 40})
    assert changed.model.gates[3].value == 35
    by_id = {c.parameter: c for c in changed.changes}
    assert (by_id["gate.min-tax-per-mu"].standard, by_id["gate.min-tax-per-mu"].used) == (30.0, 35)
    weights = [c.weight for c in changed.model.scoring.criteria]
    assert sum(weights) == pytest.approx(100)
    assert by_id["weight.tax_per_mu"].effective == pytest.approx(40 * 100 / 110)
    assert standard.model.gates[3].value == 30  # the standard stays untouched


def test_override_to_the_standard_value_is_no_change(profiles):
    assert apply_overrides(profiles["smart-mfg-town"], {"gate.min-tax-per-mu": 30}).changes == ()


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"gate.nope": 1}, "override-unknown-parameter"),
        ({"gate.min-tax-per-mu": 500}, "override-out-of-range"),
        ({"gate.min-tax-per-mu": (1.0, 2.0)}, "override-bad-value"),
        ({"gate.min-tax-per-mu": float("nan")}, "override-bad-value"),
    ],
)
def test_bad_overrides_are_refused_with_a_reason(profiles, overrides, code):
    with pytest.raises(ScreeningError) as caught:
        apply_overrides(profiles["smart-mfg-town"], overrides)
    assert caught.value.issues[0].code == code


def test_parse_override_from_the_command_line():
    assert parse_override("gate.min-tax-per-mu=35") == ("gate.min-tax-per-mu", 35.0)
    assert parse_override("gate.x = 0.7,1.8") == ("gate.x", (0.7, 1.8))
    with pytest.raises(ScreeningError):
        parse_override("gate.x=abc")


def test_adjusted_rule_file_keeps_comments_and_loads_to_the_same_rules(profiles):
    changed = apply_overrides(profiles["smart-mfg-town"], {"gate.min-tax-per-mu": 35, "weight.rd_ratio": 30})
    text = adjusted_rule_text(changed)
    assert "# 智造新城（高端装备制造）入园标准" in text  # the official's comments survive
    reloaded = parse_rules(text)
    assert reloaded.model == changed.model
    assert adjusted_rule_text(profiles["smart-mfg-town"]) == profiles["smart-mfg-town"].text


def test_yaml_1_2_keeps_yes_and_no_as_text():
    """PyYAML would read 'no' as False; with YAML 1.2 a category value 'no' stays text."""
    from screening.rules.yaml_io import load_document

    assert load_document("a: no\nb: yes\n") == {"a": "no", "b": "yes"}
