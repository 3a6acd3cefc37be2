"""What a target asks of a firm, others held fixed: lever intervals for gates, scores for classes.

- A gate passes on an interval of the lever (each threshold test inverted through its form).
- A class needs a score: the band's cut-off; for percentile classes the score of the other firm
  at the last place inside the band (the others' scores do not move when one firm's lever does).
- The land quota is filled in rank order, so entering it needs a score above the first admitted
  firm that would no longer leave room for this firm's land.

Floors, caps and exemptions whose conditions the lever does not touch are read off the probe.
"""

from __future__ import annotations

import numpy as np

from ..engine.columns import Columns
from ..engine.conditions import PASS, evaluate_condition
from ..engine.result import Result
from ..rules.loading import RuleSet
from ..vocabulary import Decision, GateSeverity, Status
from .intervals import Interval, at_least, to_lever
from .levers import LeverModel
from .standings import SCORE_STEP, Standings

LAND_TOLERANCE = 1e-9  # the engine's own tolerance when filling the land quota


def gate_interval(model: LeverModel, gate_id: str) -> Interval:
    """Lever values at which the gate passes (or does not apply), everything else as in the probe."""
    outcome = model.probe.gates[gate_id]
    gate = outcome.gate
    size = model.probe.size
    parts = [_test_interval(model, test) for test in outcome.tests]
    if gate.any is not None:
        combined = parts[0]
        for part in parts[1:]:
            combined = combined.union_if_touching(part, model.current)
    else:
        combined = Interval.full(size)
        for part in parts:
            combined = combined & part
    return combined.where(outcome.status != Status.NA, Interval.full(size))


def _test_interval(model: LeverModel, test) -> Interval:
    size = model.probe.size
    form = model.forms.get(test.subject)
    if form is None or not form.moves:
        passes = test.status == Status.PASS
        return Interval.full(size).where(passes, Interval.empty(size))
    threshold = test.threshold
    if test.test.op == "between":
        low, high = threshold
        u = at_least(form.p, form.q, np.asarray(low, dtype=float)) & at_least(
            -form.p, -form.q, -np.asarray(high, dtype=float)
        )
    elif test.test.op in (">=", ">"):
        u = at_least(form.p, form.q, np.asarray(threshold, dtype=float))
    else:
        u = at_least(-form.p, -form.q, -np.asarray(threshold, dtype=float))
    return to_lever(u, form.kind, model.floor)


def blocking_gates(ruleset: RuleSet) -> list[str]:
    """Gates whose failure keeps a firm out (vetoes and review gates; info gates only inform)."""
    return [g.id for g in ruleset.model.gates if g.severity in (GateSeverity.VETO, GateSeverity.REVIEW)]


def band_names(ruleset: RuleSet) -> list[str]:
    return [b.klass for b in ruleset.model.classes.bands]


def admit_band(ruleset: RuleSet) -> int | None:
    """Index of the worst admitted band when the admitted classes are the top ones; else None."""
    names = band_names(ruleset)
    admitted = [names.index(c) for c in ruleset.model.decision.admit if c in names]
    if not admitted or sorted(admitted) != list(range(max(admitted) + 1)):
        return None
    return max(admitted)


def quota_moves(ruleset: RuleSet, index: np.ndarray) -> np.ndarray:
    """Per firm: whether quotas make class ``index`` depend on the others in a way no closed form
    here covers (quotas with percentile classes; a capped class that also receives another capped
    class's surplus). Those firms are searched over the engine."""
    classes = ruleset.model.classes
    capped = [band_names(ruleset).index(c) for c, q in classes.quotas.items() if q.max_share is not None]
    if not classes.quotas:
        return np.zeros(len(index), dtype=bool)
    if classes.method != "bands":
        return np.ones(len(index), dtype=bool)
    cascade = [c for c in capped if any(other < c for other in capped)]
    return np.isin(index, cascade)


def probe_columns(probe: Result) -> Columns:
    cols = Columns(probe.firms, probe.ruleset.inputs)
    cols.numbers.update({k: probe.indicators[k].to_numpy() for k in probe.indicators.columns})
    return cols


def class_requirement(result: Result, probe: Result, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(score needed, blocked) for class ``index`` or better, per firm; -inf where any score will do."""
    classes = result.ruleset.model.classes
    index = np.asarray(index, dtype=np.int64)
    last = len(classes.bands) - 1
    at = np.clip(index, 0, last)
    standings = Standings(result)
    if classes.method == "bands":
        cuts = np.array([b.min_score for b in classes.bands[:-1]] + [-np.inf])
        need = _quota_need(result, standings, cuts, index, cuts[at])
    else:
        tops = np.array([b.top_share for b in classes.bands[:-1]] + [1.0])
        need = standings.beat(np.floor(tops[at] * standings.size + 1e-9).astype(np.int64))
    cols = probe_columns(probe)
    names = band_names(result.ruleset)
    blocked = np.isnan(probe.summary["total"].to_numpy(dtype=float)) | probe.flags["exempt"].to_numpy()
    for rule in classes.caps:
        blocked |= (evaluate_condition(rule.when, cols) == PASS) & (names.index(rule.max_class) > index)
    for rule in classes.floors:
        floored = (evaluate_condition(rule.when, cols) == PASS) & (names.index(rule.min_class) <= index)
        need = np.where(floored, -np.inf, need)
    return np.where(index >= last, -np.inf, need), blocked | (index < 0)


def _quota_need(result: Result, standings: Standings, cuts: np.ndarray, index: np.ndarray, need: np.ndarray):
    """Band cut-offs tightened by quotas: a capped class keeps only its first ``max_share`` of the group
    (those above it in better classes come first); a floor quota sends the bottom ``min_share`` down."""
    names = band_names(result.ruleset)
    for cls, quota in result.ruleset.model.classes.quotas.items():
        c = names.index(cls)
        if quota.max_share is not None:
            allowed = np.floor(quota.max_share * standings.size + 1e-9).astype(np.int64)
            better = cuts[c - 1] if c > 0 else np.inf
            ahead = standings.others_at_least(np.full(len(index), better)) if c > 0 else 0
            inside = np.fmax(cuts[c], standings.beat(ahead + allowed))
            need = np.where(index == c, np.fmin(inside, better), need)
        if quota.min_share is not None:
            required = np.ceil(quota.min_share * standings.size - 1e-9).astype(np.int64)
            need = np.where(c > index, np.fmax(need, standings.beat(standings.size - required)), need)
    return need


def capacity_requirement(result: Result, land: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(score needed, blocked) to enter the land quota with ``land`` requested, others as they are."""
    capacity = result.ruleset.model.decision.capacity
    size = result.size
    if capacity is None:
        return np.full(size, -np.inf), np.zeros(size, dtype=bool)
    queue = LandQueue(result)
    quota = capacity.quota_mu
    land = np.asarray(land, dtype=float)
    k_any = np.searchsorted(queue.cum, quota - land + LAND_TOLERANCE, side="right") - 1
    k_after = np.searchsorted(queue.cum, quota + LAND_TOLERANCE, side="right") - 2
    k = np.where(queue.place < k_any, np.maximum(queue.place, k_after), k_any)
    pick = np.where(k < queue.place, k, k + 1)  # the first other that must stay behind the firm
    inside = pick < len(queue.members)
    other = queue.totals[np.clip(pick, 0, max(len(queue.members) - 1, 0))] if len(queue.members) else np.nan
    need = np.where(inside, other + SCORE_STEP, -np.inf)
    blocked = np.isnan(land) | (k_any < 0)
    return np.where(blocked, np.inf, need), blocked


class LandQueue:
    """Firms admitted before the land quota, in rank order, with their cumulative land."""

    def __init__(self, result: Result):
        capacity = result.ruleset.model.decision.capacity
        decision = result.summary["decision"].to_numpy()
        pre = (decision == Decision.ADMIT.value) | result.flags["capacity_overflow"].to_numpy()
        total = result.summary["total"].to_numpy(dtype=float)
        rows = result.summary["source_row"].to_numpy()
        members = np.flatnonzero(pre)
        members = members[np.lexsort((rows[members], -total[members]))]
        land = np.nan_to_num(result.numbers(capacity.input)[members])
        self.members = members
        self.totals = total[members]
        self.cum = np.r_[0.0, np.cumsum(land)]
        place = np.full(result.size, np.iinfo(np.int64).max // 2, dtype=np.int64)
        place[members] = np.arange(len(members))
        self.place = place  # index in the queue; huge for firms not in it
        self.land = np.r_[land, 0.0]

    def used_ahead(self, score: np.ndarray) -> np.ndarray:
        """Land taken by the queued others whose score is at least ``score`` (they stay ahead)."""
        ahead = np.searchsorted(-self.totals, -score, side="right")  # a prefix of the queue
        in_prefix = self.place < ahead
        own = self.land[np.clip(self.place, 0, len(self.land) - 1)]
        return np.where(in_prefix, self.cum[ahead] - own, self.cum[ahead])
