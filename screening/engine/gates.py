"""Gates: each threshold test over every firm, combined with all/any, limited by ``only_if``.

A gate whose column the list lacks altogether follows its ``on_absent`` policy: ``review`` and
``fail`` mark the firms it cannot judge (``blocked``), ``skip`` leaves the absent tests out (a
gate with nothing left does not apply), ``assume`` tests one declared value for every firm.
"""

from __future__ import annotations

import numpy as np

from ..rules.schema import Gate, GateTest
from .columns import Columns
from .conditions import (
    FAIL,
    MISSING,
    NA,
    combine,
    evaluate_condition,
    industry_threshold,
    margin,
    test_status,
    tiered_threshold,
)
from .gaps import Absence
from .result import GateOutcome, TestOutcome


def evaluate_gates(gates: list[Gate], cols: Columns, absence: Absence | None = None) -> dict[str, GateOutcome]:
    return {gate.id: evaluate_gate(gate, cols, absence) for gate in gates}


def evaluate_gate(gate: Gate, cols: Columns, absence: Absence | None = None) -> GateOutcome:
    absent = absence.of_gate(gate) if absence is not None else frozenset()
    policy = gate.absent_policy if absent else None
    if policy == "assume":
        cols = cols.assuming(gate.indicator or gate.input, gate.assumed)
    tests = [_test(gate, test, cols) for test in gate.tests()]
    judged = tests
    if policy == "skip":
        judged = [t for t, spec in zip(tests, gate.tests(), strict=True) if not _absent_in(spec, absence)]
    how = "any" if gate.any is not None else "all"
    if not judged:
        status = np.full(cols.size, NA, dtype=np.int8)
    else:
        status = judged[0].status if len(judged) == 1 else combine([t.status for t in judged], how)
    if gate.only_if is not None:
        applies = evaluate_condition(gate.only_if, cols) != FAIL
        status = np.where(applies, status, NA).astype(np.int8)
    blocked = None
    if policy in ("review", "fail"):
        blocked = status == MISSING  # an absent test is missing for every firm: it is what blocks the gate
        if policy == "fail":
            status = np.where(blocked, FAIL, status).astype(np.int8)
    return GateOutcome(gate, status, tests, absent=tuple(sorted(absent)), blocked=blocked)


def _absent_in(test: GateTest | Gate, absence: Absence | None) -> bool:
    if absence is None:
        return False
    by = test.tiers.by if test.tiers is not None else None
    return bool(absence.behind(test.indicator or test.input) or absence.behind(by))


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
