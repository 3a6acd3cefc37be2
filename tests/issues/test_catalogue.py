"""The issue catalogue and the places that raise issues agree: every placeholder is supplied."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from screening.issues.catalogue import CATALOGUE, OWN_FIELDS
from screening.issues.record import issues_frame, make_issue

ROOT = Path(__file__).resolve().parents[2]


# Rule-file checks inside pydantic models raise PydanticCustomError(code, msg, {context}); the
# translation to issues (rules/errors.py) renames zh/en to detail_zh/detail_en and adds the value.
PYDANTIC_RENAMES = {"zh": "detail_zh", "en": "detail_en"}


def _supplied(node: ast.Call) -> set[str]:
    """The parameter names a call supplies, whichever way the helper takes them."""
    names = {k.arg for k in node.keywords}
    func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
    for keyword in node.keywords:  # validation._issues(..., per_row={"parsed": …})
        if keyword.arg == "per_row" and isinstance(keyword.value, ast.Dict):
            names |= {k.value for k in keyword.value.keys if isinstance(k, ast.Constant)}
    if func == "_fail":  # schema helper: _fail(code, zh, en)
        names |= {"detail_zh", "detail_en"}
    if func == "PydanticCustomError" and len(node.args) > 2 and isinstance(node.args[2], ast.Dict):
        keys = {k.value for k in node.args[2].keys if isinstance(k, ast.Constant)}
        names |= {PYDANTIC_RENAMES.get(k, k) for k in keys} | {"value"}
    return names


def raising_calls() -> list[tuple[str, int, str, set[str]]]:
    """(file, line, code, parameter names) for every call whose first argument is a literal issue code
    (make_issue, row_issues, Checker.add, PydanticCustomError …) and that does not pass ``**context`` on."""
    found = []
    for path in sorted((ROOT / "screening").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and first.value in CATALOGUE):
                continue
            if any(k.arg is None for k in node.keywords):
                continue  # **context: checked when it runs
            found.append((path.name, node.lineno, first.value, _supplied(node)))
    return found


def missing_parameters(calls) -> list[str]:
    return [
        f"{file}:{line} {code} lacks {sorted(CATALOGUE[code].parameters - keywords)}"
        for file, line, code, keywords in calls
        if CATALOGUE[code].parameters - keywords
    ]


def test_every_call_supplies_every_placeholder_of_its_code():
    calls = raising_calls()
    assert len(calls) > 50  # the scan sees the library's calls
    assert missing_parameters(calls) == []


def test_a_misspelled_placeholder_is_caught_statically_and_at_run_time():
    code = "rule-bad-bands"  # its templates use {detail_zh} / {detail_en}
    assert missing_parameters([("x.py", 1, code, {"detail_zh", "detial_en"})]) == [
        "x.py:1 rule-bad-bands lacks ['detail_en']"
    ]
    with pytest.raises(ValueError, match="detail_en"):
        make_issue(code, detail_zh="…", detial_en="…")


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_renders_completely_in_both_languages(code):
    kind = CATALOGUE[code]
    params = {name: f"<{name}>" for name in kind.parameters}
    issue = make_issue(code, column="<column>", value="<value>", row=7, **params)
    for lang in ("zh", "en"):
        message = issue.message(lang)
        for name in kind.placeholders:
            if name in kind.template(lang) and name not in OWN_FIELDS | {"row"}:
                assert f"<{name}>" in message
        assert "{" not in message and "}" not in message.replace("{}", "")


def test_an_issue_keeps_its_data_and_renders_when_asked():
    issue = make_issue("unit-unknown", column="C", value="面积（亩2）", unit="亩2", target="亩", allowed="亩、公顷")
    assert issue.params["unit"] == "亩2"
    assert "亩2" in issue.message("zh") and "亩2" in issue.message("en")
    frame = issues_frame([issue])
    assert list(frame["code"]) == ["unit-unknown"] and frame["message_en"][0] == issue.message_en
