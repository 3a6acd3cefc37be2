"""Each operator, defined once: the value it takes, how it compares, its margin and its words."""

import numpy as np
import pytest

from screening.rules.operators import OPERATORS, ORDERING, SYMBOLS, at_least, near

NAN = np.nan


@pytest.mark.parametrize(
    "op, threshold, passes",
    [
        (">=", 30.0, [False, True, True, False]),
        (">", 30.0, [False, False, True, False]),
        ("<=", 30.0, [True, True, False, False]),
        ("<", 30.0, [True, False, False, False]),
        ("==", 30.0, [False, True, False, False]),
        ("!=", 30.0, [True, False, True, False]),
        ("between", (29.0, 30.0), [False, True, False, False]),
        ("in", [30.0, 31.0], [False, True, True, False]),
        ("not_in", [30.0, 31.0], [True, False, False, False]),
    ],
)
def test_comparison_over_a_column_with_a_blank(op, threshold, passes):
    values = np.array([20.0, 30.0, 31.0, NAN])
    ok, missing = OPERATORS[op].status_parts(values, threshold)
    assert missing.tolist() == [False, False, False, True]
    assert (ok & ~missing).tolist() == passes


def test_a_missing_threshold_is_missing_not_a_pass():
    _, missing = OPERATORS[">="].status_parts(np.array([5.0, 5.0]), np.array([4.0, NAN]))
    assert missing.tolist() == [False, True]


def test_margins_are_room_on_the_passing_side():
    values = np.array([25.0, 35.0])
    assert OPERATORS[">="].margin(values, 30.0).tolist() == [-5.0, 5.0]
    assert OPERATORS["<="].margin(values, 30.0).tolist() == [5.0, -5.0]
    assert OPERATORS["between"].margin(values, (20.0, 30.0)).tolist() == [5.0, -5.0]
    assert OPERATORS["in"].margin is None


def test_value_shapes_are_checked_per_operator():
    assert OPERATORS[">="].value_problem(30) is None
    assert OPERATORS[">="].value_problem("30") == ("一个数字", "a number")
    assert OPERATORS[">="].value_problem(True) is not None  # a yes/no is not a number
    assert OPERATORS["between"].value_problem([0.7, 1.8]) is None
    assert OPERATORS["between"].value_problem([1.8, 0.7]) == ("下限不大于上限", "low <= high")
    assert OPERATORS["in"].value_problem([]) is not None
    assert OPERATORS["=="].value_problem(True) is None


def test_every_operator_has_words_and_negation_pairs_up():
    assert set(ORDERING) == {">=", ">", "<=", "<"}
    assert len(SYMBOLS) == 9
    assert OPERATORS[">="].negated == "<" and OPERATORS["<"].negated == "≥"
    for op in OPERATORS.values():
        assert op.shown and op.negated and op.shown != op.negated


# --- tolerant of floating-point noise, exact everywhere else ---------------------------------

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
