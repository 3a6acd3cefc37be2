"""Hostile rule files: each is refused at load with exit 2 and one line, before it can cost time or memory."""

import pytest

from screening.cli import main
from screening.issues.record import ScreeningError
from screening.rules.guards import DEFAULT_MAX_BYTES, ENV_MAX_BYTES, max_rule_bytes, usable_number
from screening.rules.loading import parse_rules
from screening.rules.yaml_io import MAX_DEPTH
from tests.conftest import DEMO, ROOT

SHIPPED = (ROOT / "rules" / "sme-park.yaml").read_text(encoding="utf-8")


def _laughs(levels: int) -> str:
    """The "billion laughs" shape: each level lists the previous one 9 times (9**levels strings)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def _refused(text: str | bytes) -> list:
    with pytest.raises(ScreeningError) as caught:
        parse_rules(text, source="hostile.yaml")
    return caught.value.issues


def test_anchors_and_aliases_are_refused_before_anything_is_expanded():
    # 3 levels (729 strings) would load in a blink if aliases were allowed: the refusal is the rule, not a timeout
    issues = _refused(_laughs(3))
    assert [(i.code, i.row) for i in issues] == [("rule-yaml-alias", 1)]
    assert _refused(SHIPPED.replace("version:", "anchor: &v 1\nversion:"))[0].code == "rule-yaml-alias"


def test_deep_nesting_is_refused_without_a_recursion_error():
    for text in ("schema: " + "[" * 5000 + "]" * 5000, "schema: " + "{a: " * 3000 + "1" + "}" * 3000):
        issues = _refused(text)
        assert [i.code for i in issues] == ["rule-too-deep"]
        assert str(MAX_DEPTH) in issues[0].message("en")


@pytest.mark.parametrize(
    "literal",
    ["1" + "0" * 400, "1" + "0" * 5000, "1e400", "-.inf", ".nan", "12345678901234567890"],
    ids=["400-digit", "5000-digit", "1e400", "-inf", "nan", "1e19"],
)
def test_numbers_no_computation_can_use_are_refused_at_load(literal):
    text = SHIPPED.replace("value: 3\n", f"value: {literal}\n", 1)
    assert text != SHIPPED
    issues = _refused(text)
    assert [i.code for i in issues] == ["rule-number-unusable"]
    assert issues[0].row is not None and len(issues[0].message("zh")) < 200  # never the 5000 digits


def test_formula_constants_must_be_usable_numbers():
    issues = _refused(SHIPPED.replace("formula: tax_paid / land_area", "formula: tax_paid / land_area * 1e400", 1))
    assert [i.code for i in issues] == ["rule-formula-syntax"]


def test_size_cap_refuses_before_parsing_and_is_configurable(monkeypatch, tmp_path):
    big = SHIPPED + "#" + "x" * DEFAULT_MAX_BYTES + "\n"
    assert [i.code for i in _refused(big)] == ["rule-file-too-large"]
    monkeypatch.setenv(ENV_MAX_BYTES, str(3 * DEFAULT_MAX_BYTES))
    assert max_rule_bytes() == 3 * DEFAULT_MAX_BYTES
    assert parse_rules(big).model.park.id == "sme-park"  # a comment, so the file itself is fine
    monkeypatch.setenv(ENV_MAX_BYTES, "not a number")
    assert max_rule_bytes() == DEFAULT_MAX_BYTES


def test_usable_number():
    assert usable_number(30) and usable_number(-0.5) and usable_number(True) and usable_number("text")
    assert not usable_number(float("inf")) and not usable_number(10**400) and not usable_number(2e15)


@pytest.mark.parametrize(
    "text, code",
    [
        (_laughs(9), "rule-yaml-alias"),
        ("schema: " + "[" * 20000 + "]" * 20000, "rule-too-deep"),
        (SHIPPED.replace("value: 3\n", "value: " + "9" * 400 + "\n", 1), "rule-number-unusable"),
        (SHIPPED + "#" + "x" * 2 * DEFAULT_MAX_BYTES, "rule-file-too-large"),
    ],
    ids=["billion-laughs", "deep", "huge-integer", "too-large"],
)
def test_the_cli_exits_2_with_one_line(text, code, tmp_path, capsys):
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    for argv in (["rules", "check", str(path)], ["score", str(DEMO), "--rules", str(path)]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"[{code}]" in err[0], err
