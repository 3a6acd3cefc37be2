"""Every comparison operator a rule file may use, each defined once.

One :class:`Operator` holds what the rest of the library needs to know about it: the value it
takes (checked when a rule file is read), how it compares whole columns (the engine), how far
a value is from passing (the margin), and how it reads in words, plain and negated (reasons
and rule texts). Adding an operator means adding one entry here and a line to docs/rules.md.

It lives with the rules, not the engine, because the rule schema must know the operators to
validate a file, and the rules floor never imports the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Compare = Callable[[np.ndarray, Any], np.ndarray]
Margin = Callable[[np.ndarray, Any], np.ndarray]

# Numbers are kept at full double precision everywhere; only comparisons are tolerant. A value within
# one part in 10⁹ of a threshold (or 10⁻¹² of zero) counts as equal to it, so floating-point noise
# (8.1 / 0.27 = 29.999999999999996) never fails a "≥ 30" gate and 30.000000000000004 never passes "> 30".
# The tolerance is taken from the threshold (the second argument), so a comparison with a scalar
# threshold costs one array operation, as the exact comparison did.
REL_TOL = 1e-9
ABS_TOL = 1e-12


def tolerance(threshold: Any) -> Any:
    """How far from ``threshold`` a value may be and still count as equal to it."""
    return REL_TOL * np.abs(np.asarray(threshold, dtype=float)) + ABS_TOL


def near(a: Any, b: Any) -> np.ndarray:
    """Element-wise: a equals b up to floating-point noise (NaN is near nothing)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.abs(np.subtract(a, b, dtype=float)) <= tolerance(b)


def _shifted(compare: Callable[..., np.ndarray], sign: float) -> Compare:
    """A comparison with the threshold moved by its tolerance towards the lenient (-) or strict (+) side."""

    def tolerant(a: Any, b: Any) -> np.ndarray:
        with np.errstate(invalid="ignore", over="ignore"):
            return compare(a, np.add(b, sign * tolerance(b)))

    return tolerant


at_least = _shifted(np.greater_equal, -1.0)  # a ≥ b, a hair below b included
above = _shifted(np.greater, +1.0)  # a > b, and not merely by noise
_at_most = _shifted(np.less_equal, +1.0)
_below_strictly = _shifted(np.less, -1.0)


def _not_near(a: Any, b: Any) -> np.ndarray:
    return ~near(a, b)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Operator:
    symbol: str  # as written in a rule file
    shown: str  # as printed: ≥
    negated: str  # as printed when the test fails: <
    takes: str  # number | pair | list | scalar — the shape of ``value``
    compare: Compare | None = None  # numbers (scalar or per-firm threshold); None: membership
    margin: Margin | None = None  # room on the passing side, in the value's unit
    members_pass: bool | None = None  # for membership and equality on text: does being listed pass?

    @property
    def is_ordering(self) -> bool:
        """A one-sided numeric comparison (>=, <=, >, <): can be tiered, per-industry, tunable."""
        return self.takes == "number"

    @property
    def is_numeric(self) -> bool:
        """Compares numbers only (the ordering operators and between)."""
        return self.takes in ("number", "pair")

    def value_problem(self, value: Any) -> tuple[str, str] | None:
        """What is wrong with ``value`` for this operator (zh, en), or None if it fits."""
        if self.takes == "pair":
            if not (isinstance(value, list) and len(value) == 2 and all(is_number(v) for v in value)):
                return "两个数字 [下限, 上限]", "two numbers [low, high]"
            if value[0] > value[1]:
                return "下限不大于上限", "low <= high"
        elif self.takes == "list":
            if not (isinstance(value, list) and value and all(isinstance(v, str | int | float) for v in value)):
                return "一个非空列表", "a non-empty list"
        elif self.takes == "number":
            if not is_number(value):
                return "一个数字", "a number"
        elif not (is_number(value) or isinstance(value, bool | str)):
            return "一个数字、文字或 true/false", "a number, a text or true/false"
        return None

    def status_parts(self, values: np.ndarray, threshold: Any) -> tuple[np.ndarray, np.ndarray]:
        """(passes, missing) for numbers; a NaN value or threshold is missing, never a pass."""
        with np.errstate(invalid="ignore"):
            if self.takes == "list":
                member = np.zeros(np.shape(values), dtype=bool)
                for listed in threshold:  # a few listed values: a loop over the rule, not the firms
                    member |= near(values, listed)
                return (member if self.members_pass else ~member), np.isnan(values)
            if self.takes == "pair":
                low, high = (np.asarray(t, dtype=float) for t in threshold)
                inside = at_least(values, low) & _at_most(values, high)
                return inside, np.isnan(values) | np.isnan(low) | np.isnan(high)
            ok = self.compare(values, threshold)
            return ok, np.isnan(values) | np.isnan(np.asarray(threshold, dtype=float))


def _snapped(room: np.ndarray, values: np.ndarray, threshold: Any) -> np.ndarray:
    """A margin that is only noise is exactly 0 (a value at its threshold has no room either way)."""
    return np.where(near(values, threshold), 0.0, room)


def _between_margin(values: np.ndarray, threshold: Any) -> np.ndarray:
    low, high = threshold
    return np.minimum(_snapped(values - low, values, low), _snapped(high - values, values, high))


def _above(values: np.ndarray, threshold: Any) -> np.ndarray:
    return _snapped(values - threshold, values, threshold)


def _below(values: np.ndarray, threshold: Any) -> np.ndarray:
    return _snapped(threshold - values, values, threshold)


OPERATORS: dict[str, Operator] = {
    op.symbol: op
    for op in (
        Operator(">=", "≥", "<", "number", at_least, _above),
        Operator(">", ">", "≤", "number", above, _above),
        Operator("<=", "≤", ">", "number", _at_most, _below),
        Operator("<", "<", "≥", "number", _below_strictly, _below),
        Operator("==", "=", "≠", "scalar", near, members_pass=True),
        Operator("!=", "≠", "=", "scalar", _not_near, members_pass=False),
        Operator("between", "∈", "∉", "pair", margin=_between_margin),
        Operator("in", "∈", "∉", "list", members_pass=True),
        Operator("not_in", "∉", "∈", "list", members_pass=False),
    )
}
SYMBOLS = tuple(OPERATORS)
ORDERING = tuple(s for s, op in OPERATORS.items() if op.is_ordering)
