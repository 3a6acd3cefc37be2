"""Each operator, defined once: the value it takes, how it compares, its margin and its words."""

import numpy as np
import pytest

from screening.rules.operators import OPERATORS, ORDERING, SYMBOLS

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
