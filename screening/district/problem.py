"""The allocation as numbers: which (firm, park) pairs may be chosen, what each is worth, the limits.

Each firm takes at most one park; a park's firms together use at most its land quota (亩); the
firms chosen together receive at most the district's compensation budget (万元), if one is set;
forced-in firms must be placed, forced-out firms may not. Only eligible pairs are variables, and
only those worth something (value > 0) unless the firm is forced in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..issues.record import ScreeningError, make_issue
from ..vocabulary import Eligibility, Objective, Role
from .batch import Batch
from .money import Retention, net_values


@dataclass(frozen=True)
class Options:
    """What the district decides: objective, quotas, budget, forced firms, money assumptions, solver limits."""

    objective: Objective = Objective.SCORE
    years: int | None = None  # horizon of the ``net`` objective and of the present value
    quotas: Mapping[str, float] = field(default_factory=dict)  # park id -> 亩, over the rule file's quota
    budget: float | None = None  # district compensation budget, 万元
    force_in: Mapping[int, str | None] = field(default_factory=dict)  # firm -> park id, or None: any eligible
    force_out: frozenset[int] = frozenset()
    retention: Retention = field(default_factory=Retention)
    tax_lines: tuple[float, ...] = ()  # 万元: the speech's “税收过X万元的仅X家”
    time_limit: float = 10.0  # seconds for the exact solve; beyond it the gap is reported
    gap: float = 1e-6  # relative gap accepted as proven optimal


@dataclass(frozen=True)
class Problem:
    """Pairs as parallel arrays (``firm``, ``park`` index, ``value``, ``pair_land``) and per-firm / per-park
    limits. Land is kept per pair, so the same solver takes the generalised assignment problem, where what
    an item uses depends on the knapsack (a firm's land request is the same at every park)."""

    size: int  # firms
    parks: tuple[str, ...]
    firm: np.ndarray
    park: np.ndarray
    value: np.ndarray
    pair_land: np.ndarray  # per pair, 亩
    land: np.ndarray  # per firm, 亩 (what the firm asks for; shown in the reasons)
    compensation: np.ndarray  # per firm, 万元 (missing = 0)
    quota: np.ndarray  # per park, 亩
    budget: float | None
    must: np.ndarray  # per firm: forced in
    pool: float = 0.0  # extra land, 亩, that any park may use (the district-wide frontier)

    def with_land(self, quota: np.ndarray, pool: float = 0.0) -> Problem:
        return replace(self, quota=np.asarray(quota, dtype=float), pool=float(pool))

    def totals(self, chosen: np.ndarray) -> dict:
        """Objective, land per park, compensation and count of a choice of pairs (bool per pair)."""
        land = np.bincount(self.park[chosen], weights=self.pair_land[chosen], minlength=len(self.parks))
        return {
            "objective": float(self.value[chosen].sum()),
            "firms": int(chosen.sum()),
            "land_by_park": dict(zip(self.parks, map(float, land), strict=True)),
            "compensation": float(self.compensation[self.firm[chosen]].sum()),
        }


def pair_values(objective: Objective, pairs: pd.DataFrame, batch: Batch, options: Options) -> np.ndarray:
    """What each pair of the table is worth under the objective (score at that park, or the firm's money)."""
    firm = pairs["firm"].to_numpy()
    if objective == Objective.SCORE:
        return np.nan_to_num(pairs["score"].to_numpy(dtype=float), nan=0.0)
    tax = batch.role_numbers(Role.TAX)
    if objective == Objective.TAX:
        return np.nan_to_num(tax, nan=0.0)[firm]
    if options.years is None:
        raise ScreeningError([make_issue("district-years-needed", value=objective.value)])
    compensation = batch.role_numbers(Role.COMPENSATION)
    return net_values(tax, compensation, options.years, options.retention)[firm]


def build_problem(batch: Batch, pairs: pd.DataFrame, options: Options) -> Problem:
    """The pairs the optimiser may choose: eligible, not forced out, worth something (or forced in)."""
    park_index = {p: i for i, p in enumerate(batch.park_ids)}
    quota = _quotas(batch, options.quotas)
    values = pair_values(options.objective, pairs, batch, options)
    firm = pairs["firm"].to_numpy()
    park = pairs["park"].cat.codes.to_numpy().astype(np.int64)
    keep = (pairs["eligibility"].to_numpy() == Eligibility.ELIGIBLE.value) & (values > 0)
    must = np.zeros(batch.size, dtype=bool)
    forced = np.array(sorted(options.force_in), dtype=np.int64)
    must[forced] = True
    named = np.full(batch.size, -1)
    for position, park_id in options.force_in.items():  # the handful of firms the user named
        if park_id is not None:
            named[position] = park_index[park_id]
    keep |= must[firm] & (pairs["eligibility"].to_numpy() == Eligibility.ELIGIBLE.value)
    keep = np.where(named[firm] >= 0, park == named[firm], keep)
    out = np.zeros(batch.size, dtype=bool)
    out[np.array(sorted(options.force_out), dtype=np.int64)] = True
    keep &= ~out[firm]
    _check_forced(batch, must, firm[keep])
    land = np.nan_to_num(batch.role_numbers(Role.LAND_REQUESTED), nan=0.0)
    return Problem(
        size=batch.size,
        parks=batch.park_ids,
        firm=firm[keep],
        park=park[keep],
        value=values[keep],
        pair_land=land[firm[keep]],
        land=land,
        compensation=np.nan_to_num(batch.role_numbers(Role.COMPENSATION), nan=0.0),
        quota=quota,
        budget=options.budget,
        must=must,
    )


def _quotas(batch: Batch, overrides: Mapping[str, float]) -> np.ndarray:
    unknown = [p for p in overrides if p not in batch.park_ids]
    if unknown:
        raise ScreeningError(
            [make_issue("district-unknown-park", value=p, allowed="、".join(batch.park_ids)) for p in unknown]
        )
    quota = [overrides.get(p.id, p.quota_mu) for p in batch.parks]
    missing = [p.id for p, q in zip(batch.parks, quota, strict=True) if q is None]
    if missing:
        raise ScreeningError([make_issue("district-no-quota", value=p) for p in missing])
    return np.array(quota, dtype=float)


def _check_forced(batch: Batch, must: np.ndarray, kept_firms: np.ndarray) -> None:
    """A forced-in firm with no park that may take it cannot be placed: say which, and how to name a park."""
    nowhere = np.flatnonzero(must & (np.bincount(kept_firms, minlength=batch.size) == 0))
    if len(nowhere):
        rows = batch.firms.iloc[nowhere]
        raise ScreeningError(
            [
                make_issue("district-force-nowhere", source=str(f), row=int(r), value=int(r))
                for f, r in zip(rows["source_file"], rows["source_row"], strict=True)
            ]
        )
