"""Does a column's content fit a field? Used only to settle an uncertain header: a column titled
企业规模 holding 规上/规下 is the size class the rules mean; one holding 大型/中型/小型 is not."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..rules.fields import FieldSpec
from . import cells as read

SHARE = 0.9  # of the non-empty sample cells
MINIMUM = 3


def fits(spec: FieldSpec, sample: Sequence[Any]) -> bool:
    """True when the field has a strict reader (yes/no, a list of values, a credit or industry code)
    and nearly every sampled cell passes it."""
    cells = [v for v in sample if not read.is_blank(v) and str(v).strip()]
    if len(cells) < MINIMUM:
        return False
    if spec.type == "flag":
        ok = [read.flag(v)[1] == "ok" for v in cells]
    elif spec.type == "industry":
        ok = [read.industry_code(v)[1] == "ok" for v in cells]
    elif spec.type == "id":
        codes = pd.Series([read.credit_code(v)[0] for v in cells])
        ok = read.credit_code_valid(codes).tolist()
    elif spec.values:
        reader = read.choice(spec.values)
        ok = [reader(v)[1] == "ok" for v in cells]
    else:
        return False
    return sum(ok) >= SHARE * len(cells)
