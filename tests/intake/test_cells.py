"""Reading single cell values (screening/cells.py)."""

import numpy as np
import pandas as pd
import pytest

from screening.intake import cells
from screening.intake.cells import credit_code_valid
from tests.fixtures.make_fixtures import CODES


@pytest.mark.parametrize(
    "raw, value, note",
    [
        (12.5, 12.5, "ok"),
        ("1,234.5", 1234.5, "ok"),
        ("１２３", 123.0, "ok"),
        (" 56 ", 56.0, "ok"),
        ("3.5%", 3.5, "percent"),
        ("约120", 120.0, "cell-number-with-text"),
        ("120左右", 120.0, "cell-number-with-text"),
        ("#DIV/0!", None, "cell-excel-error"),
        ("—", None, "empty"),
        ("无", None, "empty"),
        (None, None, "empty"),
        ("待核实", None, "cell-not-number"),
        ("1-2", None, "cell-not-number"),
        (True, None, "cell-not-number"),
    ],
)
def test_numbers(raw, value, note):
    assert cells.number(raw) == (value, note)


@pytest.mark.parametrize("raw", ["是", "有", "√", "Y", "yes", "TRUE", 1, 1.0, True, "已认定"])
def test_yes(raw):
    assert cells.flag(raw) == (True, "ok")


@pytest.mark.parametrize("raw", ["否", "无", "×", "n", "No", "false", 0, False, "不涉及"])
def test_no(raw):
    assert cells.flag(raw) == (False, "ok")


def test_unreadable_flags_and_blanks():
    assert cells.flag("可能") == (None, "cell-not-flag")
    assert cells.flag(2) == (None, "cell-not-flag")
    assert cells.flag("—") == (None, "empty")


def test_texts_codes_and_choices():
    assert cells.text("  精密\n机床  ") == ("精密 机床", "ok")
    assert cells.text(3512.0) == ("3512", "ok")
    assert cells.industry_code("C3512") == ("3512", "ok")
    assert cells.industry_code("3512 金属加工机械制造") == ("3512", "ok")
    assert cells.industry_code("9912") == (None, "industry-code-unknown")
    assert cells.choice(("规上", "规下"))("规模以上") == ("规上", "ok")
    assert cells.choice(("鼓励类", "限制类"))("限制") == ("限制类", "ok")
    assert cells.choice(("鼓励类",))("别的") == (None, "cell-unknown-category")
    assert cells.credit_code(" 91370100ma3c5xk7l-x ") == ("91370100MA3C5XK7LX", "ok")
    assert cells.credit_code(9.13701001234568e17)[1] == "credit-code-as-number"


def test_by_unique_reads_each_distinct_value_once():
    seen = []

    def reader(value):
        seen.append(value)
        return cells.flag(value)

    values, notes = cells.by_unique(pd.Series(["是", "否", "是", None, "是"] * 1000, dtype=object), reader)
    assert sorted(seen) == ["否", "是"]
    assert values[:5].tolist() == [True, False, True, None, True]
    assert notes[3] == "empty"


def test_gb32100_check_digit():
    """GB 32100-2015: C18 = 31 − (Σ Ci·Wi mod 31), weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28."""
    good = pd.Series(CODES + [None, "91370100MA3C5XK7L0", "SHORT"])
    assert credit_code_valid(good).tolist() == [True, True, True, False, CODES[0].endswith("0"), False]
    assert np.all(credit_code_valid(pd.Series(CODES)))
