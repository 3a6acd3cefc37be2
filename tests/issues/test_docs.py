"""Docs that cannot drift: every schema key is documented, the error catalogue file is generated."""

import re

from pydantic import BaseModel

from screening.issues.catalogue import CATALOGUE
from screening.issues.docs import catalogue_markdown
from screening.rules import schema as rule_schema
from tests.conftest import ROOT


def _models() -> list[type[BaseModel]]:
    return [
        m
        for m in vars(rule_schema).values()
        if isinstance(m, type) and issubclass(m, BaseModel) and m not in (BaseModel, rule_schema.Strict)
    ]


def test_every_rule_file_key_is_documented():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    fences = re.findall(r"```.*?```", text, flags=re.S)
    spans = fences + re.findall(r"`([^`]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
    documented = {word for span in spans for word in re.findall(r"[a-z_]+", span)}
    missing = {
        (m.__name__, f.alias or name)
        for m in _models()
        for name, f in m.model_fields.items()
        if (f.alias or name) not in documented
    }
    assert not missing


def test_errors_md_is_generated_from_the_catalogue():
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert text == catalogue_markdown() + "\n", "run: python -m screening docs"
    for code in CATALOGUE:
        assert f"`{code}`" in text


def test_every_issue_code_is_used_somewhere_in_the_code():
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "screening").rglob("*.py") if p.parent.name != "issues"
    )
    unused = [code for code in CATALOGUE if f'"{code}"' not in source and code not in source]
    assert not unused
