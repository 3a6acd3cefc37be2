"""Money per firm: what the relocation compensation buys in tax.

Found through field roles (the input that is the tax, the one that is the compensation), not
column names. The district view builds on this (retained share, ramp-up, present value).
"""

from __future__ import annotations

import numpy as np

from ..vocabulary import Role
from .result import Result


def payback_years(result: Result) -> np.ndarray:
    """Simple payback: compensation ÷ annual tax, in years; NaN where there is no positive tax."""
    return simple_payback(result.role_numbers(Role.COMPENSATION), result.role_numbers(Role.TAX))


def simple_payback(compensation: np.ndarray, tax: np.ndarray) -> np.ndarray:
    """Compensation ÷ annual tax, in years; NaN where there is no positive tax."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(tax > 0, compensation / tax, np.nan)
