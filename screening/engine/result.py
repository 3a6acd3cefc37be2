"""What a screening run produces: every number per firm, ready for tables, charts and export.

A :class:`Result` is complete when the engine builds it — inputs, indicators, every gate's
test outcomes, points, classes, decisions, flags, issues, and what the import set aside
(skipped rows, firms applying elsewhere, the source file's facts) — and is never patched later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..rules.loading import RuleSet
from ..rules.schema import Gate, GateTest
from ..vocabulary import ENTRY_DECISIONS, EVALUATION_DECISIONS, Decision

ELSEWHERE_COLUMNS = ["source_row", "name", "target_park"]


@dataclass(frozen=True)
class TestOutcome:
    """One threshold test of a gate, for every firm."""

    key: str  # "<gate>" or "<gate>.<test>"
    gate: Gate
    test: GateTest | Gate
    status: np.ndarray  # int8 Status codes
    threshold: Any  # float, per-firm array, (low, high), list, or None for text tests
    margin: np.ndarray | None

    @property
    def subject(self) -> str:
        return self.test.indicator or self.test.input  # type: ignore[return-value]

    @property
    def label(self):
        """The test's own label inside a composite gate, else the gate's."""
        if self.test is self.gate:
            return self.gate.label
        return self.test.label or self.gate.label


@dataclass(frozen=True)
class GateOutcome:
    gate: Gate
    status: np.ndarray  # combined over the tests, NA where only_if rules the gate out
    tests: list[TestOutcome]
    absent: tuple[str, ...] = ()  # inputs the gate needs that the list has no column for
    blocked: np.ndarray | None = None  # firms the gate cannot judge because of them (on_absent review/fail)


@dataclass(frozen=True)
class Setting:
    """What the import set aside or knows about the list, carried into the result unchanged."""

    issues: pd.DataFrame | None = None
    skipped: pd.DataFrame | None = None
    elsewhere: pd.DataFrame | None = None
    source: dict | None = None


@dataclass(frozen=True)
class Result:
    ruleset: RuleSet
    firms: pd.DataFrame
    indicators: pd.DataFrame
    gates: dict[str, GateOutcome]
    points: pd.DataFrame
    references: dict[str, dict[str, float]]
    adjustments: pd.DataFrame
    summary: pd.DataFrame
    flags: pd.DataFrame
    issues: pd.DataFrame
    skipped: pd.DataFrame
    elsewhere: pd.DataFrame
    source: dict
    absent: tuple[str, ...] = ()  # rule inputs the list has no column for
    materials: pd.DataFrame = field(default_factory=pd.DataFrame)  # per firm × absent input: needed to judge it
    filled: pd.DataFrame = field(default_factory=pd.DataFrame)  # per firm × input: blank cell filled by default

    @property
    def is_evaluation(self) -> bool:
        return self.ruleset.model.is_evaluation

    @property
    def size(self) -> int:
        return len(self.summary)

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """The outcomes this profile can give: admit/review/reject/not scored, or for an evaluation
        evaluated/not scored."""
        return EVALUATION_DECISIONS if self.is_evaluation else ENTRY_DECISIONS

    def counts(self) -> dict[Decision, int]:
        """Firms per outcome, for the outcomes this profile can give (see :attr:`decisions`)."""
        counts = self.summary["decision"].value_counts()
        return {d: int(counts.get(d.value, 0)) for d in self.decisions}

    def decided(self, decision: Decision) -> np.ndarray:
        return (self.summary["decision"] == decision.value).to_numpy()

    def display_order(self) -> np.ndarray:
        """Summary positions in the order people read them: admitted, review, rejected by rank; then unscored."""
        decision = self.summary["decision"].cat.codes.to_numpy()
        rank = self.summary["rank"].to_numpy(dtype=float, na_value=np.inf)
        return np.lexsort((self.summary["source_row"].to_numpy(), rank, decision))

    def ranked(self) -> pd.DataFrame:
        """The summary in display order: by decision, then rank; unscored last by Excel row."""
        return self.summary.iloc[self.display_order()]

    def numbers(self, name: str) -> np.ndarray:
        """An indicator's or an input's values as floats (NaN where missing or absent)."""
        if name in self.indicators.columns:
            return self.indicators[name].to_numpy()
        if name in self.firms.columns:
            return pd.to_numeric(self.firms[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return np.full(self.size, np.nan)

    def role_numbers(self, role) -> np.ndarray:
        """The values of the input that plays ``role`` (tax, land requested …); NaN if there is none."""
        name = self.ruleset.input_for(role)
        return self.numbers(name) if name else np.full(self.size, np.nan)
