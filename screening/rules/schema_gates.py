"""Gates and conditions in a rule file: threshold tests, all/any, tiers, per-industry values."""

from __future__ import annotations

import itertools
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .operators import OPERATORS, ORDERING
from .schema_base import DepartmentWord, Id, Op, SeverityWord, Strict, Text, Tunable, _exactly_one, _fail


class Condition(Strict):
    """A test on one input or indicator, a missing-data test, all/any of conditions, or ``not`` one."""

    input: str | None = None
    indicator: str | None = None
    op: Op | None = None
    value: Any = None
    missing: str | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    label: Text | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = {
            "test": self.input is not None or self.indicator is not None,
            "missing": self.missing is not None,
            "all": self.all is not None,
            "any": self.any is not None,
            "not": self.not_ is not None,
        }
        if sum(forms.values()) != 1:
            raise _fail(
                "rule-invalid",
                "条件须且只能是以下一种：input/indicator + op + value、missing、all、any、not",
                "a condition is exactly one of: input/indicator + op + value, missing, all, any, not",
            )
        if forms["test"]:
            _exactly_one(self, ("input", "indicator"), "条件", "a condition")
            if self.op is None:
                raise PydanticCustomError("missing", "Field required", {"field": "op"})
            check_op_value(self.op, self.value)
        return self


def check_op_value(op: str, value: Any) -> None:
    problem = OPERATORS[op].value_problem(value)
    if problem is not None:
        raise PydanticCustomError(
            "rule-op-value",
            "{op} needs {needs_en}",
            {"op": op, "needs_zh": problem[0], "needs_en": problem[1], "value": repr(value), "field": "value"},
        )


class TierBand(Strict):
    upto: float | None = None
    value: float


class Tiers(Strict):
    by: str
    bands: list[TierBand] = Field(min_length=2)

    @model_validator(mode="after")
    def _ascending(self) -> Tiers:
        limits = [b.upto for b in self.bands]
        if limits[-1] is not None or any(u is None for u in limits[:-1]):
            raise PydanticCustomError(
                "rule-bad-tiers",
                "only the last band may (and must) omit upto",
                {"zh": "只有最后一档不写 upto，其余各档都要写", "en": "only the last band may (and must) omit upto"},
            )
        if any(a >= b for a, b in itertools.pairwise(limits[:-1])):
            raise PydanticCustomError(
                "rule-bad-tiers",
                "upto must increase",
                {"zh": "各档 upto 必须递增", "en": "upto must increase from band to band"},
            )
        return self


class GateTest(Strict):
    """One threshold test inside a composite gate (``all`` / ``any``)."""

    id: Id
    label: Text | None = None
    input: str | None = None
    indicator: str | None = None
    op: Op
    value: Any = None
    by_industry: dict[str, float] | None = None
    tiers: Tiers | None = None
    tunable: Tunable | None = None

    @model_validator(mode="after")
    def _threshold(self) -> GateTest:
        _exactly_one(self, ("input", "indicator"), "门槛", "a threshold test")
        _check_threshold(self)
        return self


def _check_threshold(test: Any) -> None:
    if test.tiers is not None:
        if test.value is not None or test.by_industry is not None:
            raise _fail(
                "rule-invalid",
                "写了 tiers 就不要再写 value 或 by_industry",
                "with tiers, leave out value and by_industry",
            )
        if test.op not in ORDERING:
            raise _fail("rule-invalid", "分档门槛只能用 >= <= > <", "tiers work only with >= <= > <")
        if test.tunable is not None:
            raise _fail("rule-invalid", "分档门槛不能设为可调（tunable）", "tiered thresholds cannot be tunable")
        return
    if test.value is None:
        raise PydanticCustomError("missing", "Field required", {"field": "value"})
    check_op_value(test.op, test.value)
    if test.by_industry is not None and not OPERATORS[test.op].is_numeric:
        raise _fail("rule-invalid", "分行业门槛只能用于数值比较", "by_industry works only with numeric comparisons")


class Assume(Strict):
    """``on_absent: {assume: VALUE}``: judge every firm as if the absent column held VALUE (reported)."""

    assume: bool | float | str


AbsentPolicy = Literal["review", "skip", "fail"]


class Gate(Strict):
    id: Id
    label: Text
    department: DepartmentWord
    severity: SeverityWord
    basis: str | list[str]
    note: Text | None = None
    only_if: Condition | None = None
    on_missing: Literal["review", "fail", "not_scored"] = "review"
    on_absent: AbsentPolicy | Assume | None = None
    input: str | None = None
    indicator: str | None = None
    op: Op | None = None
    value: Any = None
    by_industry: dict[str, float] | None = None
    tiers: Tiers | None = None
    tunable: Tunable | None = None
    all: list[GateTest] | None = None
    any: list[GateTest] | None = None

    @model_validator(mode="after")
    def _form(self) -> Gate:
        composite = self.all is not None or self.any is not None
        if composite:
            _exactly_one(self, ("all", "any"), "门槛", "a gate")
            inline = [
                k
                for k in ("input", "indicator", "op", "value", "by_industry", "tiers", "tunable")
                if getattr(self, k) is not None
            ]
            if inline:
                raise _fail(
                    "rule-invalid",
                    f"组合门槛（all/any）中不能再直接写 {inline}",
                    f"a composite gate (all/any) cannot also have {inline}",
                )
            return self
        _exactly_one(self, ("input", "indicator"), "门槛", "a gate")
        if self.op is None:
            raise PydanticCustomError("missing", "Field required", {"field": "op"})
        _check_threshold(self)
        return self

    def tests(self) -> list[GateTest | Gate]:
        return list(self.all or self.any or [self])

    @property
    def absent_policy(self) -> str:
        """What a column the whole list lacks does to this gate: ``review`` (the default for veto and
        review gates: the firm goes to review with the material to supply), ``skip`` (the default for
        info gates), ``fail``, or ``assume`` (judged on :attr:`assumed`)."""
        if isinstance(self.on_absent, Assume):
            return "assume"
        if self.on_absent is not None:
            return self.on_absent
        return "skip" if self.severity == "info" else "review"

    @property
    def assumed(self) -> bool | float | str | None:
        return self.on_absent.assume if isinstance(self.on_absent, Assume) else None
