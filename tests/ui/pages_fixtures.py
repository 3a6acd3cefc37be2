"""Small hand-made cases for the standalone pages' tests, each with its answer worked out by hand.

KNAPSACK — one park, quota 10 亩, three firms (rules: tests.conftest.minimal_rules without gates, score =
60·min(亩均税收/50, 1) + 40·min(研发强度/5 %, 1)):

    甲  tax 500 on 10 亩 → 50/亩 → 60; R&D 50/1000 = 5 % → 40; score 100; asks 6 亩
    乙  tax 250 on 10 亩 → 25/亩 → 30; R&D 5 % → 40;             score 70;  asks 5 亩
    丙  as 乙;                                                    score 70;  asks 5 亩

Rank-order fill: 甲 first (6 亩), then 4 亩 are left and neither 乙 nor 丙 fits → 1 firm, 100 points.
Optimum: 乙 + 丙 (10 亩) → 2 firms, 140 points; the optimum gains 40 points and 1 firm.
With 5 more 亩 (15): 甲 + 乙 = 11 亩 → 170; with 10 more (20): all three, 16 亩 → 240.

TWO_FIRMS — two criteria, two firms, one of each kind (same rules):

    强税  亩均税收 50 → share 1 on the 60-point criterion; no R&D → 0; standard score 60 (B, admitted)
    强研  no tax → 0; R&D 5 % → share 1 on the 40-point criterion; standard score 40 (C, review)

With weights (w, 100 − w) the tax firm scores w and is admitted (class B needs 60) exactly when w ≥ 60.
No information: w uniform on [0, 100] → P = 0.4 (each firm). Rank order tax ≥ R&D: w uniform on
[50, 100] → P = 10/50·… = 0.8 for the tax firm, 0 for the R&D firm (it needs 100 − w ≥ 60, w ≤ 40).
Range 60 ≤ w_tax ≤ 70 → the tax firm always (core), the R&D firm never (exterior).
What it takes for the R&D firm (row 3) to be admitted by paying tax: 40 + 60·t/50 ≥ 60 with t the tax
per 亩 → t ≥ 16.67 → on 10 亩, 166.67 万元.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import minimal_rules

HEADER = "企业名称,行业代码,实缴税金（万元）,现用地面积（亩）,营业收入（万元）,研发费用（万元）,拟申请用地（亩）\n"
KNAPSACK = (
    HEADER + "甲公司,3311,500,10,1000,50,6\n乙公司,3311,250,10,1000,50,5\n丙公司,3311,250,10,1000,50,5\n"
).encode()
TWO_FIRMS = (HEADER + "强税公司,3311,500,10,1000,0,6\n强研公司,3311,0,10,1000,50,5\n").encode()
CSV = "text/csv"
MONTE_CARLO_TOLERANCE = 4 * (0.4 * 0.6 / 10_000) ** 0.5  # 4 standard errors of a share near 0.4 from 10,000 draws


def hand_rules():
    """The minimal test park without gates; tax paid is a lever (for "what it would take")."""
    return minimal_rules(gates="", **{"  tax_paid: {}": "  tax_paid: {lever: true}"})


def _page(module: str, lang: str) -> None:
    """The page body, run by AppTest as a script (so the import is inside)."""
    import importlib

    importlib.import_module(f"ui.pages.{module}").render(lang)


def run_page(module: str, lang: str = "zh", state: dict | None = None) -> AppTest:
    """One standalone page (``district``, ``robustness``, ``workspace``) run once, with ``state`` seeded."""
    at = AppTest.from_function(_page, args=(module, lang), default_timeout=120)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    return at


@pytest.fixture()
def hand_park(monkeypatch):
    """The pages see one park only: the hand-worked test park (no quota in its rule file)."""
    import ui.data

    monkeypatch.setattr(ui.data, "profiles", lambda: ({"test-park": hand_rules()}, []))


@pytest.fixture()
def gated_park(monkeypatch):
    """The pages see one park only: the store's test park (tests.conftest.minimal_rules, with its tax gate)."""
    import ui.data

    monkeypatch.setattr(ui.data, "profiles", lambda: ({"test-park": minimal_rules()}, []))
