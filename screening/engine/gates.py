"""Gates: each threshold test over every firm, combined with all/any, limited by ``only_if``."""

from __future__ import annotations

import numpy as np

from ..rules.schema import Gate, GateTest
from .columns import Columns
from .conditions import FAIL, NA, combine, evaluate_condition, industry_threshold, margin, test_status, tiered_threshold
from .result import GateOutcome, TestOutcome


def evaluate_gates(gates: list[Gate], cols: Columns) -> dict[str, GateOutcome]:
    return {gate.id: evaluate_gate(gate, cols) for gate in gates}


def evaluate_gate(gate: Gate, cols: Columns) -> GateOutcome:
    tests = [_test(gate, test, cols) for test in gate.tests()]
    how = "any" if gate.any is not None else "all"
    status = tests[0].status if len(tests) == 1 else combine([t.status for t in tests], how)
    if gate.only_if is not None:
        applies = evaluate_condition(gate.only_if, cols) != FAIL
        status = np.where(applies, status, NA).astype(np.int8)
    return GateOutcome(gate, status, tests)


def _test(gate: Gate, test: GateTest | Gate, cols: Columns) -> TestOutcome:
    key = gate.id if test is gate else f"{gate.id}.{test.id}"
    name = test.indicator or test.input
    field = cols.inputs.get(name) if test.input is not None else None
    numeric = field is None or field.type == "number"
    threshold = _threshold(test, cols) if numeric else None
    status = test_status(name, test.input is not None, test.op, test.value, threshold, cols)
    room = margin(cols.number(name), test.op, threshold) if numeric else None
    return TestOutcome(key, gate, test, status, threshold, room)


def _threshold(test: GateTest | Gate, cols: Columns):
    """The number each firm is compared with: tiered, a (low, high) pair, a list, or per industry."""
    if test.tiers is not None:
        return tiered_threshold(test.tiers, cols)
    if test.op == "between":
        return tuple(float(v) for v in test.value)
    if test.op in ("in", "not_in"):
        return [float(v) for v in test.value]
    return industry_threshold(float(test.value), test.by_industry or {}, cols)
