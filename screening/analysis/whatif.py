"""What would it take: for each firm and lever, the smallest single change that reaches a target.

Targets: pass each gate the firm fails, reach the next class, be admitted (including a place in
the land quota) — or one target asked for (``score:S``, ``class:X``, ``admit``). The lever moves
alone, every other input and every other firm stay as they are. Answers come from the closed
forms (:mod:`solve`), checked by the engine; where a rank, a batch statistic or a rule condition
moves with the firm, the engine itself is searched, up to ``search_limit`` firm–lever–target
cases (each costs about a hundred screenings of the list).

The answer is one row per firm × lever × target: the lever's current value, the value needed
(NaN: not reachable by this lever alone), the change, and why not when it cannot be done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.result import Result
from ..issues.record import ScreeningError, make_issue
from ..vocabulary import Decision, Status
from .constraints import band_names, blocking_gates
from .forms import depends_on
from .levers import LeverModel, build_model, lever_ids
from .search import Pending, check_and_nudge, search_engine
from .solve import requirement
from .targets import Target

SEARCH_LIMIT = 25
COLUMNS = [
    "source_row",
    "name",
    "decision",
    "score",
    "target",
    "input",
    "current",
    "needed",
    "change",
    "method",
    "note",
]


@dataclass(frozen=True)
class WhatIf:
    """The answers, and the levers and targets they cover."""

    changes: pd.DataFrame  # COLUMNS, one row per firm × lever × target
    levers: list[str]
    targets: list[Target]

    def for_firm(self, source_row: int) -> pd.DataFrame:
        return self.changes[self.changes["source_row"] == source_row].reset_index(drop=True)


def what_it_takes(
    result: Result,
    rows: Sequence[int] | None = None,
    targets: Sequence[Target] | None = None,
    levers: Sequence[str] | None = None,
    search_limit: int = SEARCH_LIMIT,
) -> WhatIf:
    """Answers for the firms on Excel ``rows`` (default: all), for ``targets`` (default: each failed
    gate, the next class, admission) and ``levers`` (default: the rule file's)."""
    ruleset = result.ruleset
    chosen = list(levers) if levers is not None else lever_ids(ruleset)
    if not chosen:
        numeric = [k for k, f in ruleset.inputs.items() if f.is_numeric]
        raise ScreeningError([make_issue("whatif-no-levers", allowed=", ".join(numeric))])
    positions = _positions(result, rows)
    cases = []
    for lever in chosen:
        model = build_model(result, lever)
        cases += [_solve(result, model, *case) for case in _cases(result, model, positions, targets)]
    check_and_nudge(result, [case.pending for case in cases])
    budget = [search_limit]
    parts = [_finish(result, case, budget) for case in cases]
    changes = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    order = np.lexsort((changes["input"].map(chosen.index).to_numpy(), changes["source_row"].to_numpy()))
    return WhatIf(changes.iloc[order].reset_index(drop=True), chosen, list(targets or []))


def _positions(result: Result, rows: Sequence[int] | None) -> np.ndarray:
    source = result.summary["source_row"].to_numpy()
    if rows is None:
        return np.arange(result.size)
    where = {int(r): i for i, r in enumerate(source)}
    unknown = [r for r in rows if int(r) not in where]
    if unknown:
        raise ScreeningError([make_issue("whatif-unknown-row", value=r) for r in unknown])
    return np.array([where[int(r)] for r in rows], dtype=np.int64)


def _cases(result: Result, model: LeverModel, positions: np.ndarray, targets: Sequence[Target] | None):
    """(target, firm positions, class index per firm) for this lever."""
    ruleset = result.ruleset
    names = band_names(ruleset)
    current = band_codes(result, -1)
    wanted = list(targets) if targets else None
    if wanted is None:
        wanted = [Target("gate", g) for g in blocking_gates(ruleset)] + [Target("next_class")]
        if not ruleset.model.is_evaluation:  # an evaluation admits nobody: admission is no target
            wanted.append(Target("admit"))
        failing = {g: ~np.isin(result.gates[g].status, (Status.PASS, Status.NA)) for g in blocking_gates(ruleset)}
    for target in wanted:
        if target.kind == "gate":
            gate = next(g for g in ruleset.model.gates if g.id == target.value)
            if not any(model.lever in depends_on(ruleset, t.indicator or t.input) for t in gate.tests()):
                continue
            firms = positions if targets else positions[failing[gate.id][positions]]
            yield target, firms, None
        elif target.kind == "next_class":
            firms = positions[current[positions] > 0]
            yield target, firms, current - 1
        elif target.kind == "class":
            yield target, positions, np.full(result.size, names.index(target.value))
        else:
            yield target, positions, None


def band_codes(result: Result, other: int) -> np.ndarray:
    """Each firm's class as an index into the bands (``other`` for no class or an exempt class)."""
    codes = pd.Categorical(result.summary["class"].astype(object), categories=band_names(result.ruleset)).codes
    return np.where(codes < 0, other, codes).astype(np.int64)


def _met(result: Result, target: Target, index: np.ndarray | None) -> np.ndarray:
    summary = result.summary
    if target.kind == "admit":
        return (summary["decision"] == Decision.ADMIT.value).to_numpy()
    if target.kind == "score":
        return (summary["total"].to_numpy(dtype=float) >= float(target.value)) & summary["total"].notna().to_numpy()
    if target.kind == "gate":
        return np.isin(result.gates[target.value].status, (Status.PASS, Status.NA))
    return band_codes(result, 10**6) <= index


@dataclass
class _Case:
    """One lever and target for the firms it concerns, on its way to an answer."""

    model: LeverModel
    target: Target
    solved: Target  # ``next_class`` becomes a class target per firm
    firms: np.ndarray
    index: np.ndarray | None
    needed: np.ndarray
    method: np.ndarray
    note: np.ndarray
    search: np.ndarray  # firms to search over the engine
    pending: Pending


def _solve(result: Result, model: LeverModel, target: Target, firms: np.ndarray, index) -> _Case:
    """The closed-form answer (and what is left for the engine) for one lever and target."""
    size = result.size
    solved = Target("class" if target.kind == "next_class" else target.kind, target.value)
    req = requirement(model, result, solved, index)
    met = _met(result, solved, index)
    needed = np.where(req.blocked, np.nan, req.interval.nearest(model.current, model.floor))
    lo, hi = req.interval.lo, req.interval.hi
    side = np.where(needed == lo, 1.0, np.where(needed == hi, -1.0, np.where(np.isinf(hi), 1.0, -1.0)))
    mine = np.zeros(size, dtype=bool)
    mine[firms] = True
    closed = np.flatnonzero(mine & ~met & ~req.search & ~req.blocked & np.isfinite(needed))
    pending = Pending(model.lever, solved, closed, needed[closed], side[closed], req.score[closed], req.gates)
    method = np.where(met, "met", np.where(req.blocked, "", "closed_form")).astype(object)
    note = np.where(req.blocked & ~met, "blocked", "").astype(object)
    needed = np.where(met, model.current, needed)
    search = mine & req.search & ~met & ~req.blocked
    return _Case(model, target, solved, firms, index, needed, method, note, search, pending)


def _finish(result: Result, case: _Case, budget: list[int]) -> pd.DataFrame:
    """Checked answers in, the engine searched where it must be, one frame out."""
    needed, method, note = case.needed, case.method, case.note
    needed[case.pending.rows] = case.pending.needed
    for position in np.flatnonzero(case.search):
        if budget[0] <= 0:
            needed[position], method[position], note[position] = np.nan, "", "not_searched"
            continue
        budget[0] -= 1
        cls = None if case.index is None else int(case.index[position])
        needed[position] = search_engine(result, case.model.lever, position, case.solved, cls, case.model.floor)
        method[position] = "search"
    note = np.where(np.isnan(needed) & (note == ""), "out_of_reach", note)
    return _frame(result, case.model, case.target, case.firms, needed, method, note, case.index)


def _frame(result, model, target, firms, needed, method, note, index) -> pd.DataFrame:
    summary = result.summary
    text = np.full(len(firms), target.text, dtype=object)
    if target.kind == "next_class":
        names = band_names(result.ruleset)
        text = np.array([f"class:{names[i]}" for i in index[firms]], dtype=object)
    current = model.current[firms]
    return pd.DataFrame(
        {
            "source_row": summary["source_row"].to_numpy()[firms],
            "name": summary["name"].astype(object).to_numpy()[firms] if "name" in summary else None,
            "decision": summary["decision"].astype(str).to_numpy()[firms],
            "score": summary["total"].to_numpy(dtype=float)[firms],
            "target": text,
            "input": model.lever,
            "current": current,
            "needed": needed[firms],
            "change": needed[firms] - current,
            "method": method[firms],
            "note": note[firms],
        },
        columns=COLUMNS,
    )
