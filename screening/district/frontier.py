"""What each extra step of land (50 亩 by default) would buy: the efficient frontier of land against value.

For one park (its quota grows step by step) or the whole district (a shared extra that any park
may use, placed where it is worth most), the allocation is solved again at every step. Each point
starts from the previous point's allocation — still feasible with more land — so the curve never
goes down, and a point that runs out of time reports its gap instead of pretending.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .problem import Problem
from .solve import solve

DISTRICT = "district"


@dataclass(frozen=True)
class Frontier:
    scope: str  # "district" or a park id
    step: float  # 亩 per step
    table: pd.DataFrame  # one row per point: extra land, what the allocation is worth, what each step added

    def figure(self, lang: str = "zh") -> dict:
        """The chart's data: x = extra land (亩), the allocation's value and tax, and the bound where a
        point was not proven optimal (so a chart can show the band)."""
        t = self.table
        return {
            "x": t["extra_mu"].tolist(),
            "objective": t["objective"].tolist(),
            "bound": t["bound"].tolist(),
            "tax": t["tax"].tolist(),
            "firms": t["firms"].tolist(),
            "compensation": t["compensation"].tolist(),
            "x_label": "新增用地（亩）" if lang == "zh" else "Extra land (mu)",
            "scope": self.scope,
        }


def frontier(
    problem: Problem,
    tax: np.ndarray,
    scope: str = DISTRICT,
    step: float = 50.0,
    steps: int = 20,
    time_limit: float = 3.0,
    gap: float = 1e-6,
    start: np.ndarray | None = None,
) -> Frontier:
    """Solve at 0, 1, … ``steps`` extra steps of land for ``scope`` (a park id, or ``"district"``);
    ``tax`` per firm gives the tax column. ``time_limit`` is shared by all points; ``start`` is a feasible
    allocation at the current quotas (the plan's own) for the first point to beat."""
    began = time.perf_counter()
    park = None if scope == DISTRICT else problem.parks.index(scope)
    tax = np.nan_to_num(np.asarray(tax, dtype=float), nan=0.0)
    rows = []
    for k in range(steps + 1):  # a loop over steps of land
        extra = k * step
        quota = problem.quota.copy()
        if park is not None:
            quota[park] += extra
        current = problem.with_land(quota, pool=extra if park is None else 0.0)
        left = time_limit - (time.perf_counter() - began)
        solution = solve(current, time_limit=max(left / (steps + 1 - k), 0.05), gap=gap, start=start)
        start = solution.chosen
        chosen = solution.chosen
        firms = problem.firm[chosen]
        rows.append(
            {
                "step": k,
                "extra_mu": extra,
                "objective": solution.objective,
                "bound": solution.bound,
                "gap": solution.gap,
                "status": solution.status,
                "firms": int(chosen.sum()),
                "land_used": float(problem.pair_land[chosen].sum()),
                "tax": float(tax[firms].sum()),
                "compensation": float(problem.compensation[firms].sum()),
            }
        )
    table = pd.DataFrame(rows)
    for column in ("objective", "firms", "tax", "compensation", "land_used"):
        table[f"gain_{column}"] = table[column].diff()
    table["gain_per_mu"] = table["gain_objective"] / step
    return Frontier(scope, step, table)
