"""From a target to the lever interval that reaches it: the closed forms put together.

For one lever and one kind of target this returns, per firm, the interval of lever values that
reaches the target (others held fixed), whether some other rule blocks it whatever the lever does,
and whether the firm has to be searched over the engine instead (no closed form applies).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.result import Result
from ..vocabulary import Status
from .constraints import (
    LAND_TOLERANCE,
    LandQueue,
    admit_band,
    blocking_gates,
    capacity_requirement,
    class_requirement,
    gate_interval,
    quota_moves,
)
from .forms import depends_on
from .intervals import Interval, to_lever
from .levers import LeverModel, gate_is_closed_form
from .scorefn import solve_increasing
from .targets import Target

BISECTION_STEPS = 80


@dataclass(frozen=True)
class Requirement:
    interval: Interval  # lever values that reach the target
    blocked: np.ndarray  # another rule keeps it out of reach whatever this lever does
    search: np.ndarray  # no closed form: search the engine for these firms
    score: np.ndarray  # the total score the target needs (-inf: none), for the check
    gates: tuple[str, ...]  # the gates that must pass, for the check


def score_interval(model: LeverModel, need_total: np.ndarray) -> tuple[Interval, np.ndarray]:
    """Lever values at which the total reaches ``need_total``; and where the moved terms disagree
    in direction (no closed form)."""
    size = len(need_total)
    need = need_total - model.base
    direction = model.terms.direction()
    up = solve_increasing(model.terms, need)
    down = -solve_increasing(model.terms.flipped(), need)
    rising = ~(direction < 0)
    empty = np.where(rising, up == np.inf, down == -np.inf) | np.isnan(need)
    u = Interval(np.where(rising, up, -np.inf), np.where(rising, np.inf, down))
    u = u.where(~empty, Interval.empty(size))
    return to_lever(u, model.kind, model.floor), np.isnan(direction)


def requirement(model: LeverModel, result: Result, target: Target, index: np.ndarray | None = None) -> Requirement:
    """What ``target`` asks of the lever, per firm. ``index``: the class per firm for class targets."""
    size = result.size
    none = np.zeros(size, dtype=bool)
    score_slow = np.full(size, model.slow_reason != "")
    if target.kind == "gate":
        gate = next(g for g in result.ruleset.model.gates if g.id == target.value)
        slow = model.slow_reason == "condition" or not gate_is_closed_form(
            result.ruleset, gate, model.forms, model.lever
        )
        interval = gate_interval(model, gate.id)
        return Requirement(interval, none, np.full(size, slow), np.full(size, -np.inf), (gate.id,))
    if target.kind == "score":
        need = np.full(size, float(target.value))
        interval, mixed = score_interval(model, need)
        blocked = np.isnan(model.probe.summary["total"].to_numpy(dtype=float))
        return Requirement(interval, blocked, score_slow | mixed, need, ())
    if target.kind == "class":
        need, blocked = class_requirement(result, model.probe, index)
        interval, mixed = score_interval(model, need)
        search = score_slow | mixed | quota_moves(result.ruleset, index)
        return Requirement(interval, blocked, search, need, ())
    return _admission(model, result, score_slow)


def _admission(model: LeverModel, result: Result, score_slow: np.ndarray) -> Requirement:
    ruleset = result.ruleset
    size = result.size
    band = admit_band(ruleset)
    if band is None:  # admitted classes are not the top ones: only the engine knows
        return Requirement(Interval.empty(size), np.zeros(size, bool), np.ones(size, bool), np.full(size, -np.inf), ())
    index = np.full(size, band)
    need, blocked = class_requirement(result, model.probe, index)
    probe = model.probe
    exempt_in = probe.flags["exempt"].to_numpy() & probe.summary["class"].isin(ruleset.model.decision.admit).to_numpy()
    need = np.where(exempt_in, -np.inf, need)
    flags = probe.flags
    blocked = (blocked & ~exempt_in) | (
        flags["required_missing"] | flags["no_scoring_set"] | flags["criterion_unscored"]
    ).to_numpy()
    capacity = ruleset.model.decision.capacity
    on_land = capacity is not None and capacity.input == model.lever
    if capacity is not None and not on_land:
        cap_need, cap_blocked = capacity_requirement(result, result.numbers(capacity.input))
        need, blocked = np.fmax(need, cap_need), blocked | cap_blocked
    interval, mixed = score_interval(model, need)
    gates = tuple(blocking_gates(ruleset))
    search = score_slow | mixed | quota_moves(ruleset, index)
    for gate in ruleset.model.gates:
        if gate.id in gates:
            interval = interval & gate_interval(model, gate.id)
            if not any(model.lever in depends_on(ruleset, t.indicator or t.input) for t in gate.tests()):
                blocked |= ~np.isin(probe.gates[gate.id].status, (Status.PASS, Status.NA))
            if not gate_is_closed_form(ruleset, gate, model.forms, model.lever):
                search |= True
    if on_land:
        interval = _land_fit(model, result, interval)
    return Requirement(interval, blocked, search, need, gates)


def _land_fit(model: LeverModel, result: Result, interval: Interval) -> Interval:
    """Shrink the interval to the land requests that also fit in the quota, ranked by the score the
    request gives (less land: a higher investment intensity and less to find room for)."""
    queue = LandQueue(result)
    quota = result.ruleset.model.decision.capacity.quota_mu

    def fits(x: np.ndarray) -> np.ndarray:
        score = model.base + model.terms.points(model.u_of(x))
        return queue.used_ahead(score) + x <= quota + LAND_TOLERANCE

    low = np.fmax(interval.lo, quota * 1e-12)
    start = np.where(np.isfinite(model.current), model.current, interval.hi)
    high = np.fmin(np.where(np.isfinite(start), start, quota), interval.hi)
    high = np.fmax(high, low)
    good = fits(high)
    lo_x, hi_x = low.copy(), high.copy()
    for _ in range(BISECTION_STEPS):  # the largest request that fits, for every firm at once
        mid = np.sqrt(lo_x * hi_x)
        ok = fits(mid)
        lo_x, hi_x = np.where(ok, mid, lo_x), np.where(ok, hi_x, mid)
    best = np.where(good, high, np.where(fits(low), lo_x, np.nan))
    out = Interval(interval.lo, np.fmin(interval.hi, best))
    return out.where(~np.isnan(best) & ~interval.is_empty, Interval.empty(len(best)))
