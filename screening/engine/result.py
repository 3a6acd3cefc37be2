"""What a screening run produces: every number per firm, ready for tables, charts and export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..rules.loading import RuleSet
from ..rules.schema import Gate, GateTest

DECISIONS = ("admit", "review", "reject", "not_scored")
SKIPPED_COLUMNS = ["source_row", "reason_code", "reason_zh", "reason_en", "text"]
DECISION_LABELS = {
    "admit": {"zh": "准予入园", "en": "Admit"},
    "review": {"zh": "待复核", "en": "Review"},
    "reject": {"zh": "不予入园", "en": "Reject"},
    "not_scored": {"zh": "未评分", "en": "Not scored"},
}
SEVERITY_LABELS = {
    "veto": {"zh": "一票否决", "en": "veto"},
    "review": {"zh": "需复核", "en": "review"},
    "info": {"zh": "提示", "en": "info"},
}


@dataclass(frozen=True)
class TestOutcome:
    """One threshold test of a gate, for every firm."""

    key: str  # "<gate>" or "<gate>.<test>"
    gate: Gate
    test: GateTest | Gate
    status: np.ndarray  # int8 codes, see conditions.STATUS_NAMES
    threshold: Any  # float, per-firm array, (low, high), or None for text tests
    margin: np.ndarray | None

    @property
    def subject(self) -> str:
        return self.test.indicator or self.test.input  # type: ignore[return-value]


@dataclass(frozen=True)
class GateOutcome:
    gate: Gate
    status: np.ndarray  # combined over the tests, NA where only_if rules the gate out
    tests: list[TestOutcome]


@dataclass
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
    skipped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SKIPPED_COLUMNS))
    elsewhere: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["source_row", "name", "target_park"]))
    source: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.summary)

    def counts(self) -> dict[str, int]:
        counts = self.summary["decision"].value_counts()
        return {d: int(counts.get(d, 0)) for d in DECISIONS}

    def display_order(self) -> np.ndarray:
        """Summary positions in the order people read them: admitted, review, rejected by rank; then unscored."""
        decision = self.summary["decision"].cat.codes.to_numpy()
        rank = self.summary["rank"].to_numpy(dtype=float, na_value=np.inf)
        return np.lexsort((self.summary["source_row"].to_numpy(), rank, decision))

    def ranked(self) -> pd.DataFrame:
        """The summary in display order: by decision, then rank; unscored last by Excel row."""
        return self.summary.iloc[self.display_order()]
