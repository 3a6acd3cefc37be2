"""Shared fixtures: the shipped rule files, the demo workbook, and a small rule-file builder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from screening.rules.loading import RULES_DIR, list_rule_files, load_rules, parse_rules

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _data_dir(tmp_path_factory, monkeypatch):
    """Every test stores into its own empty data directory, never the user's."""
    monkeypatch.setenv("SCREENING_DATA_DIR", str(tmp_path_factory.mktemp("data")))
DEMO = ROOT / "sample_data" / "demo_firms.xlsx"

MINIMAL = """
schema: park-rules/1
park: {id: test-park, name: {zh: 测试园, en: Test park}}
version: "1"
basis: [district-choice]
inputs:
  name: {required: true}
  industry_code: {}
  tax_paid: {}
  land_area: {}
  revenue: {}
  rd_expense: {}
  high_tech: {}
  safety_accident: {}
  years_operating: {}
  requested_land: {}
  scale: {}
indicators:
  tax_per_mu: {label: {zh: 亩均税收, en: Tax per mu}, unit: 万元/亩, formula: tax_paid / land_area, better: higher,
               digits: 1}
  rd_ratio: {label: {zh: 研发投入强度, en: R&D}, unit: "%", formula: rd_expense / revenue * 100, better: higher}
{gates}
{scoring}
{adjustments}
{classes}
{decision}
"""

SCORING = """scoring:
  total: 100
  criteria:
    - {indicator: tax_per_mu, weight: 60, method: ratio, baseline: 50, cap: 1, basis: district-choice,
       tunable: {min: 0, max: 100, step: 5}}
    - {indicator: rd_ratio, weight: 40, method: ratio, baseline: 5, cap: 1, basis: district-choice}"""
BANDS = """classes:
  method: bands
  bands:
    - {class: A, min_score: 80, tunable: {min: 50, max: 95}}
    - {class: B, min_score: 60}
    - {class: C, min_score: 40}
    - {class: D}
  basis: district-choice"""
DECISION = "decision: {admit: [A, B], review: [C], reject: [D]}"

TAX_GATE = """
gates:
  - id: min-tax
    label: {zh: 亩均税收门槛, en: Minimum tax per mu}
    department: 经信
    severity: veto
    indicator: tax_per_mu
    op: ">="
    value: 30
    tunable: {min: 0, max: 80, step: 1}
    basis: model-county-entry
"""


def minimal_rules(
    gates: str = TAX_GATE,
    adjustments: str = "",
    classes: str = BANDS,
    decision: str = DECISION,
    scoring: str = SCORING,
    **replace: str,
):
    text = MINIMAL.replace("{gates}", gates).replace("{scoring}", scoring).replace("{adjustments}", adjustments)
    text = text.replace("{classes}", classes).replace("{decision}", decision)
    for old, new in replace.items():
        text = text.replace(old, new)
    return parse_rules(text, source="test.yaml")


def firms(**columns) -> pd.DataFrame:
    """A firms frame with Excel rows starting at 2 (the row after a one-line header)."""
    frame = pd.DataFrame(columns)
    frame.insert(0, "source_row", range(2, len(frame) + 2))
    return frame


@pytest.fixture(scope="session")
def profiles():
    return {path.stem: load_rules(path) for path in list_rule_files(RULES_DIR)}


@pytest.fixture(scope="session")
def demo_bytes() -> bytes:
    return DEMO.read_bytes()
