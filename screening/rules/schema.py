"""The shape of a rule file (schema ``park-rules/1``), as strict pydantic models.

Only shape lives here: key names, types, choices, and checks local to one item. Checks that
need the whole file (references, cycles, weight sums, policy sources) live in
``rule_checks.py``. docs/rules.md documents every key; a test keeps the two in step.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .schema_base import (  # noqa: F401 — the schema's names, importable from one place
    ID_PATTERN,
    SCHEMA_ID,
    Edition,
    FieldType,
    Id,
    RoleWord,
    Strict,
    Text,
    Tunable,
)
from .schema_gates import Assume, Condition, Gate, GateTest, TierBand, Tiers, check_op_value  # noqa: F401
from .schema_scoring import (  # noqa: F401
    Adjustment,
    Band,
    Capacity,
    Classes,
    ClassRule,
    Criterion,
    Decision,
    Exempt,
    Quota,
    Ranking,
    Scoring,
    ScoringSet,
    Stat,
    TieBreak,
)


class Park(Strict):
    id: Id
    name: Text
    description: Text | None = None
    industries: Text | None = None


class InputSpec(Strict):
    label: Text | None = None
    type: FieldType | None = None
    unit: str | None = None
    units: dict[str, float] | None = None
    aliases: list[str] = []
    required: bool = False
    min: float | None = None
    max: float | None = None
    values: list[str] | None = None
    description: Text | None = None
    role: RoleWord | None = None
    lever: bool = False  # the firm controls it: "what would it take" may change it (analysis/)
    default: bool | float | str | None = None


class IndicatorSpec(Strict):
    label: Text
    unit: str = ""
    formula: str
    better: Literal["higher", "lower"] | None = None
    digits: int = Field(default=2, ge=0, le=10)
    plausible_max: float | None = None
    description: Text | None = None
    basis: str | list[str] | None = None


class RuleFile(Strict):
    schema_id: Literal["park-rules/1"] = Field(alias="schema")
    park: Park
    version: str
    kind: Literal["entry", "evaluation"] = "entry"
    industry_codes: Edition = "GB/T 4754-2017"
    basis: list[str] = Field(min_length=1)
    notes: Text | None = None
    inputs: dict[str, InputSpec] = Field(min_length=1)
    indicators: dict[str, IndicatorSpec] = {}
    gates: list[Gate] = []
    scoring: Scoring
    classes: Classes
    decision: Decision = Decision()
    ranking: Ranking = Ranking()

    @property
    def is_evaluation(self) -> bool:
        """An evaluation (亩均评价) scores and grades; it admits or rejects nobody."""
        return self.kind == "evaluation"
