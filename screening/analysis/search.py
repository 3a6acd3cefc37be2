"""The engine as the judge: check closed-form answers, and search where no closed form applies.

- :func:`check_and_nudge` screens the list with every firm's lever at its answer (each firm's own
  gates and score depend only on its own inputs when references are fixed) and, where rounding
  leaves a firm a hair short (indicators are rounded to 9 decimals, totals to 6), moves the answer
  by a few units in the last place until the engine agrees.
- :func:`search_engine` handles one firm where ranks or batch statistics move with it: the list
  is screened with only that firm's lever changed, outward from its current value until the target
  holds, then bisected — the answer is the boundary the engine itself draws.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..engine.result import Result
from ..engine.screen import screen
from ..vocabulary import Decision, Status
from .levers import probe_values, with_lever
from .targets import Target

NUDGES = 48
DOUBLINGS = 40
BISECTIONS = 45


def own_check(result: Result, target: Target, need_score: np.ndarray, gates: tuple[str, ...]) -> Callable:
    """Whether each firm, in a screen where every lever moved at once, meets its own part of the target."""

    def check(run: Result) -> np.ndarray:
        ok = np.ones(run.size, dtype=bool)
        for gate_id in gates:
            ok &= np.isin(run.gates[gate_id].status, (Status.PASS, Status.NA))
        if target.kind != "gate":
            total = run.summary["total"].to_numpy(dtype=float)
            ok &= total >= need_score
        if target.kind == "admit":
            flags = run.flags
            ok &= ~(flags["veto_fail"] | flags["review_fail"] | flags["gate_missing_review"]).to_numpy()
        return ok

    return check


def check_and_nudge(result: Result, lever: str, needed: np.ndarray, side: np.ndarray, check: Callable) -> np.ndarray:
    """``needed`` moved (in the direction ``side``) until the engine agrees; NaN where it never does."""
    needed = needed.copy()
    todo = np.isfinite(needed)
    fill = probe_values(result, lever)
    for attempt in range(NUDGES):
        if not todo.any():
            break
        run = screen(with_lever(result.firms, lever, np.where(np.isfinite(needed), needed, fill)), result.ruleset)
        short = todo & ~check(run)
        if not short.any():
            break
        step = np.fmax(np.abs(needed), 1.0) * 2.0 ** (attempt - 50)
        needed = np.where(short, needed + side * step, needed)
        todo = short
    else:
        needed[todo] = np.nan
    return needed


def target_reached(run: Result, position: int, target: Target, class_index: int | None) -> bool:
    """The engine's own verdict for one firm."""
    summary = run.summary
    if target.kind == "admit":
        return summary["decision"].iat[position] == Decision.ADMIT.value
    if target.kind == "score":
        total = summary["total"].iat[position]
        return bool(total == total and total >= float(target.value))
    if target.kind == "gate":
        return int(run.gates[target.value].status[position]) in (Status.PASS, Status.NA)
    names = [b.klass for b in run.ruleset.model.classes.bands]
    klass = summary["class"].iat[position]
    return klass in names and names.index(klass) <= class_index


def search_engine(
    result: Result, lever: str, position: int, target: Target, class_index: int | None, floor: float
) -> float:
    """The lever value nearest to the firm's own at which the engine says the target holds (others as
    they are); NaN when no value between ``floor`` and 2**40 times the current one does."""
    values = result.numbers(lever).copy()
    current = values[position]
    scale = current if np.isfinite(current) and current > 0 else float(probe_values(result, lever)[position])

    def holds(x: float) -> bool:
        values[position] = x
        return target_reached(
            screen(with_lever(result.firms, lever, values), result.ruleset), position, target, class_index
        )

    if np.isfinite(current) and holds(current):
        return float(current)
    start = current if np.isfinite(current) else scale
    found = [x for x in (_outward(holds, start, scale, floor, up) for up in (True, False)) if x is not None]
    if not found:
        return np.nan
    return min(found, key=lambda x: abs(x - start))


def _outward(holds: Callable, start: float, scale: float, floor: float, up: bool) -> float | None:
    """Step away from ``start`` by doubling until the target holds, then bisect back to the boundary."""
    inside, outside = None, start
    for k in range(DOUBLINGS):
        x = max(start, scale) * 2.0 ** (k + 1) if up else start * 2.0 ** -(k + 1)
        if not up and x <= floor:
            break
        if holds(x):
            inside = x
            break
        outside = x
    if inside is None and not up and start > floor and holds(floor):
        inside = floor
    if inside is None:
        return None
    for _ in range(BISECTIONS):
        mid = (inside + outside) / 2
        inside, outside = (mid, outside) if holds(mid) else (inside, mid)
    return inside
