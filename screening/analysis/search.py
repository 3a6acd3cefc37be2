"""The engine as the judge: check closed-form answers, and search where no closed form applies.

- :func:`check_and_nudge` screens every closed-form answer at once (each firm's own gates and score
  depend only on its own inputs when references are fixed) and, where rounding leaves a firm a hair
  short (indicators are rounded to 9 decimals, totals to 6), moves the answer by a few units in the
  last place until the engine agrees.
- :func:`search_engine` handles one firm where ranks or batch statistics move with it: the list
  is screened with only that firm's lever changed, outward from its current value until the target
  holds, then bisected — the answer is the boundary the engine itself draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.result import Result
from ..engine.screen import screen
from ..vocabulary import Decision, Status
from .levers import probe_values, with_lever
from .targets import Target

NUDGES = 48
DOUBLINGS = 40
BISECTIONS = 45


@dataclass
class Pending:
    """Closed-form answers of one lever and target, waiting for the engine's word."""

    lever: str
    target: Target
    rows: np.ndarray  # firm positions to check
    needed: np.ndarray  # their answers
    side: np.ndarray  # +1: nudge up, -1: nudge down
    need_score: np.ndarray  # total score each needs (-inf: none)
    gates: tuple[str, ...]  # gates that must pass


def own_parts_met(run: Result, part: slice, pending: Pending) -> np.ndarray:
    """Whether the firms in ``part`` of a screening meet their own part of the target: the gates it
    needs, the score it needs, and for admission no veto, no failed or unjudgeable review gate."""
    ok = np.ones(part.stop - part.start, dtype=bool)
    for gate_id in pending.gates:
        ok &= np.isin(run.gates[gate_id].status[part], (Status.PASS, Status.NA))
    if pending.target.kind != "gate":
        ok &= run.summary["total"].to_numpy(dtype=float)[part] >= pending.need_score
    if pending.target.kind == "admit":
        flags = run.flags.iloc[part]
        ok &= ~(flags["veto_fail"] | flags["review_fail"] | flags["gate_missing_review"]).to_numpy()
    return ok


def check_and_nudge(result: Result, batch: list[Pending]) -> None:
    """Screen every pending answer at once — each firm a copy of itself with one lever at its answer
    (with fixed references a firm's own gates and score depend on nothing else) — and, where rounding
    leaves one a hair short (indicators are rounded to 9 decimals, totals to 6), move it by a few
    units in the last place until the engine agrees; NaN where it never does."""
    todo = [(p, np.ones(len(p.rows), dtype=bool)) for p in batch if len(p.rows)]
    for attempt in range(NUDGES):
        todo = [(p, mask) for p, mask in todo if mask.any()]
        if not todo:
            return
        parts = [result.firms.iloc[p.rows[mask]].assign(**{p.lever: p.needed[mask]}) for p, mask in todo]
        frame = pd.concat(parts, ignore_index=True)
        frame["source_row"] = np.arange(2, len(frame) + 2)
        run = screen(frame, result.ruleset)
        start = 0
        for p, mask in todo:
            where = np.flatnonzero(mask)
            part = slice(start, start + len(where))
            start = part.stop
            sub = Pending(
                p.lever, p.target, p.rows[where], p.needed[where], p.side[where], p.need_score[where], p.gates
            )
            short = ~own_parts_met(run, part, sub)
            step = np.fmax(np.abs(p.needed[where]), 1.0) * 2.0 ** (attempt - 50)
            p.needed[where[short]] += p.side[where[short]] * step[short]
            mask[where[~short]] = False
    for p, mask in todo:
        p.needed[mask] = np.nan


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
