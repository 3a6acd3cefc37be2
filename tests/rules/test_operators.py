"""Comparison operators: tolerant of floating-point noise, exact everywhere else."""

import numpy as np

from screening.rules.operators import OPERATORS, at_least, near

NOISY_30 = 8.1 / 0.27  # 29.999999999999996 in binary floating point


def _passes(op: str, value: float, threshold) -> bool:
    ok, missing = OPERATORS[op].status_parts(np.array([value]), threshold)
    return bool(ok[0]) and not bool(missing[0])


def test_noise_never_decides_a_comparison():
    assert NOISY_30 != 30  # the noise is real …
    assert _passes(">=", NOISY_30, 30.0) and _passes("<=", 30.000000000000004, 30.0)  # … and harmless
    assert not _passes(">", 30.000000000000004, 30.0) and not _passes("<", NOISY_30, 30.0)
    assert _passes("==", 0.1 + 0.2, 0.3) and not _passes("!=", 0.1 + 0.2, 0.3)
    assert _passes("between", NOISY_30, (30.0, 40.0)) and _passes("in", 0.1 + 0.2, [0.3, 5.0])


def test_a_real_difference_still_counts():
    # 1 part in 10⁹ of the threshold is noise; 3 parts in 10⁹ (29.9999999) is a real shortfall
    assert not _passes(">=", 29.9999, 30.0)
    assert not _passes(">=", 29.9999999, 30.0)
    assert _passes(">", 30.0001, 30.0) and not _passes("between", 40.001, (30.0, 40.0))
    assert not near(1e-11, 0.0) and near(1e-13, 0.0)


def test_margin_of_a_value_at_its_threshold_is_exactly_zero():
    margin = OPERATORS[">="].margin(np.array([NOISY_30, 31.5]), 30.0)
    assert margin[0] == 0.0 and margin[1] == 1.5
    assert at_least(np.array([np.nan]), 1.0).tolist() == [False]
